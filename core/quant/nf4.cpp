#include "core/quant/nf4.h"

#include <algorithm>
#include <cmath>

#include "core/quant/half.h"

namespace taskquant::quant::detail {

const float kNf4Levels[16] = {
    -1.0f,
    -0.6961928009986877f,
    -0.5250730514526367f,
    -0.39491748809814453f,
    -0.28444138169288635f,
    -0.18477343022823334f,
    -0.09105003625154495f,
    0.0f,
    0.07958029955625534f,
    0.16093020141124725f,
    0.24611230194568634f,
    0.33791524171829224f,
    0.44070982933044434f,
    0.5626170039176941f,
    0.7229568362236023f,
    1.0f,
};

namespace {
// The split points of bitsandbytes' decision tree (tests/test_functional.py,
// test_normal_map_tree): midpoints of neighbouring levels, ascending. Code k is chosen when
// exactly k of them are strictly below the value.
const float kNf4Splits[15] = {
    -0.8480964004993439f,  -0.6106329262256622f,  -0.4599952697753906f,   -0.33967943489551544f,
    -0.23460740596055984f, -0.13791173323988914f, -0.045525018125772476f, 0.03979014977812767f,
    0.1202552504837513f,   0.2035212516784668f,   0.2920137718319893f,    0.3893125355243683f,
    0.5016634166240692f,   0.6427869200706482f,   0.8614784181118011f,
};
constexpr int kZeroCode = 7;
} // namespace

int nf4Code(float v) {
    int code = 0;
    for (float split : kNf4Splits)
        code += v > split ? 1 : 0;
    return code;
}

void encodeNf4(const float* x, int64_t numel, int64_t blockBegin, int64_t blockEnd, uint8_t* out) {
    const int64_t codeBytes = (numel + 1) / 2;
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const int64_t begin = b * kNf4Block, end = std::min(numel, begin + kNf4Block);
        float absmax = 0.f;
        for (int64_t i = begin; i < end; ++i)
            absmax = std::max(absmax, std::fabs(x[i]));
        storeF32(out + codeBytes + 4 * b, absmax);
        // bitsandbytes multiplies by the reciprocal; a subnormal absmax has none in float,
        // so divide then (same codes wherever the reciprocal exists).
        const float recip = 1.0f / absmax;
        const bool useRecip = std::isfinite(recip);
        for (int64_t i = begin; i < end; i += 2) {
            int codes[2] = {kZeroCode, 0};
            for (int k = 0; k < 2 && i + k < end; ++k) {
                if (absmax == 0.f)
                    codes[k] = kZeroCode;
                else
                    codes[k] = nf4Code(useRecip ? x[i + k] * recip : x[i + k] / absmax);
            }
            out[i / 2] = static_cast<uint8_t>((codes[0] << 4) | codes[1]);
        }
    }
}

void decodeNf4(const uint8_t* in, int64_t numel, int64_t blockBegin, int64_t blockEnd, float* out) {
    const int64_t codeBytes = (numel + 1) / 2;
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const int64_t begin = b * kNf4Block, end = std::min(numel, begin + kNf4Block);
        const float absmax = loadF32(in + codeBytes + 4 * b);
        for (int64_t i = begin; i < end; ++i) {
            const int code = (i % 2 == 0) ? (in[i / 2] >> 4) : (in[i / 2] & 0xf);
            out[i] = kNf4Levels[code] * absmax;
        }
    }
}

} // namespace taskquant::quant::detail
