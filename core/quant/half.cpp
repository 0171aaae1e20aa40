#include "core/quant/half.h"

namespace taskquant::quant {

uint16_t floatToHalf(float f) {
    uint32_t x;
    std::memcpy(&x, &f, 4);
    const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
    const uint32_t a = x & 0x7fffffffu;
    if (a > 0x7f800000u) // NaN: keep the top payload bits, force quiet
        return static_cast<uint16_t>(sign | 0x7e00u | ((a >> 13) & 0x3ffu));
    // 65520 = halfway between 65504 (largest half) and 65536: ties go to the even
    // neighbour, which is 65536, i.e. infinity. Infinity itself lands here too.
    if (a >= 0x477ff000u)
        return static_cast<uint16_t>(sign | 0x7c00u);
    if (a >= 0x38800000u) { // normal half (>= 2^-14)
        const uint32_t exponent = (a >> 23) - 127 + 15;
        const uint32_t mantissa = a & 0x7fffffu;
        uint32_t h = (exponent << 10) | (mantissa >> 13);
        const uint32_t rest = mantissa & 0x1fffu;
        if (rest > 0x1000u || (rest == 0x1000u && (h & 1u)))
            ++h; // carry may bump the exponent
        return static_cast<uint16_t>(sign | h);
    }
    // Subnormal half: units of 2^-24. Anything up to 2^-25 (the tie with 0) rounds to zero.
    if (a <= 0x33000000u)
        return sign;
    const uint32_t mantissa = (a & 0x7fffffu) | 0x800000u;
    const int e = static_cast<int>(a >> 23) - 127; // -25 .. -15
    const int shift = -(e + 1);                    // 14 .. 24
    uint32_t h = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1u);
    const uint32_t half = 1u << (shift - 1);
    if (rest > half || (rest == half && (h & 1u)))
        ++h; // 0x400 is the smallest normal: fine
    return static_cast<uint16_t>(sign | h);
}

float halfToFloat(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    uint32_t x;
    if (exponent == 0x1f) {
        x = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) {
        x = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        x = sign;
    } else { // subnormal: normalise
        int e = -14;
        while (!(mantissa & 0x400u)) {
            mantissa <<= 1;
            --e;
        }
        x = sign | (static_cast<uint32_t>(e + 127) << 23) | ((mantissa & 0x3ffu) << 13);
    }
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

} // namespace taskquant::quant
