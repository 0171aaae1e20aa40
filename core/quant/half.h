#pragma once
// IEEE binary16 (fp16) and bfloat16 conversions, bit-exact and independent of the CPU's F16C
// support. float -> half/bf16 rounds to nearest, ties to even (what numpy's astype(float16),
// torch's .half()/.bfloat16() and ggml's GGML_FP32_TO_FP16 do); values beyond the fp16 range
// become +-inf, NaN stays a quiet NaN with its sign. half/bf16 -> float is exact.
// Pure functions, thread-safe.
#include <cstdint>
#include <cstring>

namespace taskquant::quant {

uint16_t floatToHalf(float f);
float halfToFloat(uint16_t h);

inline uint16_t floatToBf16(float f) {
    uint32_t x;
    std::memcpy(&x, &f, 4);
    if ((x & 0x7fffffffu) > 0x7f800000u)
        return static_cast<uint16_t>((x >> 16) | 0x40u); // NaN
    x += 0x7fffu + ((x >> 16) & 1u);
    return static_cast<uint16_t>(x >> 16);
}

inline float bf16ToFloat(uint16_t h) {
    const uint32_t x = static_cast<uint32_t>(h) << 16;
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

// True when the half / bf16 bit pattern is +-inf or NaN.
inline bool halfIsFinite(uint16_t h) {
    return (h & 0x7c00u) != 0x7c00u;
}
inline bool bf16IsFinite(uint16_t h) {
    return (h & 0x7f80u) != 0x7f80u;
}

// Little-endian loads and stores used by every codec and the GGUF layer.
inline void storeU16(uint8_t* p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v);
    p[1] = static_cast<uint8_t>(v >> 8);
}
inline uint16_t loadU16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] | (static_cast<uint16_t>(p[1]) << 8));
}
inline void storeF32(uint8_t* p, float f) {
    uint32_t x;
    std::memcpy(&x, &f, 4);
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<uint8_t>(x >> (8 * i));
}
inline float loadF32(const uint8_t* p) {
    const uint32_t x = static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
                       (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

} // namespace taskquant::quant
