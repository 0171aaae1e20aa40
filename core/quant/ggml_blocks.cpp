#include "core/quant/ggml_blocks.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/quant/half.h"
#include "core/quant/rounding.h"
#include "core/util/error.h"

namespace taskquant::quant::detail {

namespace {
[[noreturn]] void scaleOverflow(const char* format, int64_t block, int64_t blockSize, float amax) {
    std::ostringstream s;
    s << format << ": block " << block << " (elements " << block * blockSize << ".."
      << (block + 1) * blockSize - 1 << ") has magnitude " << amax
      << ", too large for the format's fp16 scale";
    throw Error(s.str());
}
} // namespace

void encodeQ8_0(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const float* xb = x + b * kQ8_0Block;
        uint8_t* o = out + b * kQ8_0Bytes;
        float amax = 0.f;
        for (int j = 0; j < kQ8_0Block; ++j)
            amax = std::max(amax, std::fabs(xb[j]));
        const float d = amax / 127.f;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        const uint16_t d16 = floatToHalf(d);
        if (!halfIsFinite(d16))
            scaleOverflow("q8_0", b, kQ8_0Block, amax);
        storeU16(o, d16);
        for (int j = 0; j < kQ8_0Block; ++j)
            o[2 + j] = static_cast<uint8_t>(static_cast<int8_t>(roundHalfAway(xb[j] * id, 127)));
    }
}

void decodeQ8_0(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* i = in + b * kQ8_0Bytes;
        float* y = out + b * kQ8_0Block;
        const float d = halfToFloat(loadU16(i));
        for (int j = 0; j < kQ8_0Block; ++j)
            y[j] = static_cast<float>(static_cast<int8_t>(i[2 + j])) * d;
    }
}

void encodeQ4_0(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out) {
    const auto code = [](float v) { // min(15, (int8_t)(v + 8.5f)), made total
        const float t = v + 8.5f;
        if (t != t)
            return 8;
        return static_cast<int>(std::clamp(t, 0.f, 15.f)); // truncation, as the int8 cast
    };
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const float* xb = x + b * kQ4_0Block;
        uint8_t* o = out + b * kQ4_0Bytes;
        float amax = 0.f, max = 0.f;
        for (int j = 0; j < kQ4_0Block; ++j) {
            if (amax < std::fabs(xb[j])) {
                amax = std::fabs(xb[j]);
                max = xb[j];
            }
        }
        const float d = max / -8.f;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        const uint16_t d16 = floatToHalf(d);
        if (!halfIsFinite(d16))
            scaleOverflow("q4_0", b, kQ4_0Block, amax);
        storeU16(o, d16);
        for (int j = 0; j < kQ4_0Block / 2; ++j) {
            const int lo = code(xb[j] * id), hi = code(xb[j + kQ4_0Block / 2] * id);
            o[2 + j] = static_cast<uint8_t>(lo | (hi << 4));
        }
    }
}

void decodeQ4_0(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* i = in + b * kQ4_0Bytes;
        float* y = out + b * kQ4_0Block;
        const float d = halfToFloat(loadU16(i));
        for (int j = 0; j < kQ4_0Block / 2; ++j) {
            y[j] = static_cast<float>((i[2 + j] & 0xf) - 8) * d;
            y[j + kQ4_0Block / 2] = static_cast<float>((i[2 + j] >> 4) - 8) * d;
        }
    }
}

} // namespace taskquant::quant::detail
