#include "core/quant/q4k.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "core/quant/half.h"
#include "core/util/error.h"

namespace taskquant::quant::detail {

namespace {

constexpr int kSub = 32; // weights per sub-block
constexpr int kSubs = 8; // sub-blocks per super-block
// Above this magnitude ggml's float sums of squares would overflow; the fp16 fields would
// overflow far earlier (d <= 65504 means a range of at most ~6.2e7), so nothing valid is lost.
constexpr float kMaxMagnitude = 1e9f;

// ggml's nearest_int(), bit for bit: adding 1.5 * 2^23 rounds v to an integer (ties to even)
// in the low mantissa bits. Exact for |v| < 2^22; beyond that (degenerate sub-blocks) it
// yields ggml's deterministic wrap-around rather than anything undefined. Branch-free.
inline int nearestInt(float v) {
    const float shifted = v + 12582912.f;
    int32_t bits;
    std::memcpy(&bits, &shifted, 4);
    return (bits & 0x007fffff) - 0x00400000;
}

// ggml's make_qkx2_quants (nmax 15, rmin -1, rdelta 0.1, nstep 20, squared error): the scale
// and (negated) minimum of one sub-block minimising the weighted squared error, searching
// iscale = (nmax + rmin + rdelta * k) / (max - min). Sums run in ggml's order so the floats
// match; x - min is computed once per value of min (the search updates min as it goes).
float fitScaleMin(const float* x, const float* w, uint8_t* L, float* negMin, uint8_t* Laux) {
    constexpr int n = kSub, nmax = 15, nstep = 20;
    constexpr float rmin = -1.f, rdelta = 0.1f;
    float min = x[0], max = x[0];
    float sumW = w[0];
    float sumX = sumW * x[0];
    for (int i = 1; i < n; ++i) {
        if (x[i] < min)
            min = x[i];
        if (x[i] > max)
            max = x[i];
        sumW += w[i];
        sumX += w[i] * x[i];
    }
    if (min > 0)
        min = 0;
    if (max == min) {
        std::fill(L, L + n, uint8_t(0));
        *negMin = -min;
        return 0.f;
    }
    float iscale = nmax / (max - min);
    float scale = 1 / iscale;
    float shifted[n];
    for (int i = 0; i < n; ++i)
        shifted[i] = x[i] - min;
    float bestError = 0;
    for (int i = 0; i < n; ++i) {
        L[i] = static_cast<uint8_t>(std::clamp(nearestInt(iscale * shifted[i]), 0, nmax));
        const float diff = scale * L[i] + min - x[i];
        bestError += w[i] * (diff * diff);
    }
    for (int step = 0; step <= nstep; ++step) {
        iscale = (rmin + rdelta * step + nmax) / (max - min);
        for (int i = 0; i < n; ++i)
            Laux[i] = static_cast<uint8_t>(std::clamp(nearestInt(iscale * shifted[i]), 0, nmax));
        float sumL = 0, sumL2 = 0, sumXL = 0;
        for (int i = 0; i < n; ++i) {
            const int l = Laux[i];
            sumL += w[i] * l;
            sumL2 += w[i] * l * l;
            sumXL += w[i] * l * x[i];
        }
        const float D = sumW * sumL2 - sumL * sumL;
        if (D > 0) {
            float thisScale = (sumW * sumXL - sumX * sumL) / D;
            float thisMin = (sumL2 * sumX - sumL * sumXL) / D;
            if (thisMin > 0) {
                thisMin = 0;
                thisScale = sumXL / sumL2;
            }
            float error = 0;
            for (int i = 0; i < n; ++i) {
                const float diff = thisScale * Laux[i] + thisMin - x[i];
                error += w[i] * (diff * diff);
            }
            if (error < bestError) {
                std::copy(Laux, Laux + n, L);
                bestError = error;
                scale = thisScale;
                min = thisMin;
                for (int i = 0; i < n; ++i)
                    shifted[i] = x[i] - min;
            }
        }
    }
    *negMin = -min;
    return scale;
}

[[noreturn]] void tooLarge(int64_t block, float magnitude) {
    std::ostringstream s;
    s << "q4_k: super-block " << block << " (elements " << block * kQ4_KBlock << ".."
      << (block + 1) * kQ4_KBlock - 1 << ") has magnitude " << magnitude
      << ", too large for the format's fp16 scales";
    throw Error(s.str());
}

void encodeBlock(const float* x, uint8_t* out, int64_t blockIndex) {
    float amax = 0.f;
    for (int i = 0; i < kQ4_KBlock; ++i)
        amax = std::max(amax, std::fabs(x[i]));
    if (amax > kMaxMagnitude)
        tooLarge(blockIndex, amax);

    uint8_t L[kQ4_KBlock], Laux[kSub];
    float weights[kSub], scales[kSubs], mins[kSubs];
    float maxScale = 0, maxMin = 0;
    for (int j = 0; j < kSubs; ++j) {
        const float* xs = x + kSub * j;
        float sumX2 = 0;
        for (int l = 0; l < kSub; ++l)
            sumX2 += xs[l] * xs[l];
        const float avX = std::sqrt(sumX2 / kSub);
        for (int l = 0; l < kSub; ++l)
            weights[l] = avX + std::fabs(xs[l]);
        scales[j] = fitScaleMin(xs, weights, L + kSub * j, &mins[j], Laux);
        if (scales[j] > maxScale)
            maxScale = scales[j];
        if (mins[j] > maxMin)
            maxMin = mins[j];
    }

    uint8_t* packed = out + 4;
    std::memset(packed, 0, 12);
    const float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
    const float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
    for (int j = 0; j < kSubs; ++j) {
        // ggml stores nearest_int() into a uint8_t before clamping: keep that wrap-around.
        const uint8_t ls =
            std::min<uint8_t>(63, static_cast<uint8_t>(nearestInt(invScale * scales[j])));
        const uint8_t lm =
            std::min<uint8_t>(63, static_cast<uint8_t>(nearestInt(invMin * mins[j])));
        if (j < 4) {
            packed[j] = ls;
            packed[j + 4] = lm;
        } else {
            packed[j + 4] = static_cast<uint8_t>((ls & 0xf) | ((lm & 0xf) << 4));
            packed[j - 4] |= static_cast<uint8_t>((ls >> 4) << 6);
            packed[j] |= static_cast<uint8_t>((lm >> 4) << 6);
        }
    }
    const uint16_t d16 = floatToHalf(maxScale / 63.f), dmin16 = floatToHalf(maxMin / 63.f);
    if (!halfIsFinite(d16) || !halfIsFinite(dmin16))
        tooLarge(blockIndex, amax);
    storeU16(out, d16);
    storeU16(out + 2, dmin16);

    const float dAll = halfToFloat(d16), dminAll = halfToFloat(dmin16);
    for (int j = 0; j < kSubs; ++j) {
        uint8_t sc, m;
        q4kScaleMin(j, packed, &sc, &m);
        const float d = dAll * sc;
        if (d == 0.f)
            continue; // ggml keeps the codes of the fit
        const float dm = dminAll * m;
        for (int i = 0; i < kSub; ++i)
            L[kSub * j + i] =
                static_cast<uint8_t>(std::clamp(nearestInt((x[kSub * j + i] + dm) / d), 0, 15));
    }
    uint8_t* q = out + 16;
    for (int j = 0; j < kQ4_KBlock; j += 64) {
        for (int l = 0; l < 32; ++l)
            q[l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 4));
        q += 32;
    }
}

} // namespace

void q4kScaleMin(int j, const uint8_t* q, uint8_t* scale, uint8_t* min) {
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = static_cast<uint8_t>((q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4));
        *min = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

void encodeQ4_K(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b)
        encodeBlock(x + b * kQ4_KBlock, out + b * kQ4_KBytes, b);
}

void decodeQ4_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* block = in + b * kQ4_KBytes;
        float* y = out + b * kQ4_KBlock;
        const float d = halfToFloat(loadU16(block)), dmin = halfToFloat(loadU16(block + 2));
        const uint8_t* packed = block + 4;
        const uint8_t* q = block + 16;
        for (int pair = 0; pair < 4; ++pair) {
            uint8_t sc, m;
            q4kScaleMin(2 * pair, packed, &sc, &m);
            const float d1 = d * sc, m1 = dmin * m;
            q4kScaleMin(2 * pair + 1, packed, &sc, &m);
            const float d2 = d * sc, m2 = dmin * m;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * (q[l] & 0xf) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * (q[l] >> 4) - m2;
            q += 32;
        }
    }
}

} // namespace taskquant::quant::detail
