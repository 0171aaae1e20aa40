#include "core/quant/ggml_legacy.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>
#include <vector>

#include "core/quant/ggml_search.h"
#include "core/quant/half.h"
#include "core/util/error.h"

namespace taskquant::quant::detail {

namespace {

[[noreturn]] void tooLarge(const char* format, int64_t block, float magnitude) {
    std::ostringstream s;
    s << format << ": block " << block << " (elements " << block * 32 << ".." << block * 32 + 31
      << ") has magnitude " << magnitude << ", too large for the format's fp16 fields";
    throw Error(s.str());
}

float blockMagnitude(const float* x) {
    float a = 0.f;
    for (int j = 0; j < 32; ++j)
        a = std::max(a, std::fabs(x[j]));
    return a;
}

uint16_t half(float v, const char* format, int64_t block, const float* x) {
    const uint16_t h = floatToHalf(v);
    if (!halfIsFinite(h))
        tooLarge(format, block, blockMagnitude(x));
    return h;
}

// Truncation toward zero of a value ggml casts to a small integer type; v is finite and
// within [-1, 64) for every caller (scaled block values plus an offset).
inline int truncSmall(float v) {
    return static_cast<int>(std::clamp(v, -1.f, 64.f));
}

// Packs 32 codes of 4 bits (low nibbles) plus their bit 4 (into qh) for the 5-bit formats.
void pack5(const uint8_t* L, uint8_t* qh, uint8_t* qs) {
    uint32_t h = 0;
    for (int j = 0; j < 16; ++j) {
        qs[j] = static_cast<uint8_t>((L[j] & 0x0f) | ((L[j + 16] & 0x0f) << 4));
        h |= static_cast<uint32_t>((L[j] & 0x10u) >> 4) << j;
        h |= static_cast<uint32_t>((L[j + 16] & 0x10u) >> 4) << (j + 16);
    }
    for (int k = 0; k < 4; ++k)
        qh[k] = static_cast<uint8_t>(h >> (8 * k));
}

uint32_t loadQh(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
           (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

// Weights of one row for llama.cpp's *_impl quantisers: qw_j * sqrt(sigma2 + x_j^2) with
// sigma2 = sum(x^2) / cols over the whole row (ggml's sequential float sum).
float rowSigma2(const float* x, int64_t cols) {
    float sumX2 = 0;
    for (int64_t j = 0; j < cols; ++j)
        sumX2 += x[j] * x[j];
    return sumX2 / static_cast<float>(cols);
}

void blockWeights(const float* xb, const float* qw, float sigma2, float* w) {
    for (int j = 0; j < 32; ++j)
        w[j] = qw[j] * std::sqrt(sigma2 + xb[j] * xb[j]);
}

// Minimum / maximum of 32 values with ggml's "v < min" / "v > max" updates from +-FLT_MAX.
void minMax(const float* x, float* mn, float* mx) {
    float lo = 3.402823466e+38f, hi = -3.402823466e+38f;
    for (int j = 0; j < 32; ++j) {
        if (x[j] < lo)
            lo = x[j];
        if (x[j] > hi)
            hi = x[j];
    }
    *mn = lo;
    *mx = hi;
}

// The value of largest magnitude, the first one on ties ("amax < |v|" updates from 0).
float signedAbsMax(const float* x) {
    float amax = 0.f, max = 0.f;
    for (int j = 0; j < 32; ++j) {
        if (amax < std::fabs(x[j])) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    }
    return max;
}

} // namespace

// ---------------------------------------------------------------- reference (no importance)

void encodeQ4_1(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const float* xb = x + b * 32;
        uint8_t* o = out + b * kQ4_1Bytes;
        float mn, mx;
        minMax(xb, &mn, &mx);
        const float d = (mx - mn) / 15;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        storeU16(o, half(d, "q4_1", b, xb));
        storeU16(o + 2, half(mn, "q4_1", b, xb));
        for (int j = 0; j < 16; ++j) {
            const int lo = std::min(15, truncSmall((xb[j] - mn) * id + 0.5f));
            const int hi = std::min(15, truncSmall((xb[j + 16] - mn) * id + 0.5f));
            o[4 + j] = static_cast<uint8_t>(lo | (hi << 4));
        }
    }
}

void decodeQ4_1(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* i = in + b * kQ4_1Bytes;
        float* y = out + b * 32;
        const float d = halfToFloat(loadU16(i)), m = halfToFloat(loadU16(i + 2));
        for (int j = 0; j < 16; ++j) {
            y[j] = static_cast<float>(i[4 + j] & 0x0f) * d + m;
            y[j + 16] = static_cast<float>(i[4 + j] >> 4) * d + m;
        }
    }
}

void encodeQ5_0(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const float* xb = x + b * 32;
        uint8_t* o = out + b * kQ5_0Bytes;
        const float d = signedAbsMax(xb) / -16;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        storeU16(o, half(d, "q5_0", b, xb));
        uint8_t L[32];
        for (int j = 0; j < 32; ++j)
            L[j] = static_cast<uint8_t>(std::min(31, truncSmall(xb[j] * id + 16.5f)));
        pack5(L, o + 2, o + 6);
    }
}

void decodeQ5_0(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* i = in + b * kQ5_0Bytes;
        float* y = out + b * 32;
        const float d = halfToFloat(loadU16(i));
        const uint32_t qh = loadQh(i + 2);
        for (int j = 0; j < 16; ++j) {
            const int x0 = static_cast<int>((i[6 + j] & 0x0f) | (((qh >> j) << 4) & 0x10)) - 16;
            const int x1 = static_cast<int>((i[6 + j] >> 4) | ((qh >> (j + 12)) & 0x10)) - 16;
            y[j] = static_cast<float>(x0) * d;
            y[j + 16] = static_cast<float>(x1) * d;
        }
    }
}

void encodeQ5_1(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const float* xb = x + b * 32;
        uint8_t* o = out + b * kQ5_1Bytes;
        float mn, mx;
        minMax(xb, &mn, &mx);
        const float d = (mx - mn) / 31;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        storeU16(o, half(d, "q5_1", b, xb));
        storeU16(o + 2, half(mn, "q5_1", b, xb));
        uint8_t L[32];
        for (int j = 0; j < 32; ++j) // ggml: (uint8_t)(v + 0.5f), no clamp
            L[j] = static_cast<uint8_t>(truncSmall((xb[j] - mn) * id + 0.5f));
        pack5(L, o + 4, o + 8);
    }
}

void decodeQ5_1(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* i = in + b * kQ5_1Bytes;
        float* y = out + b * 32;
        const float d = halfToFloat(loadU16(i)), m = halfToFloat(loadU16(i + 2));
        const uint32_t qh = loadQh(i + 4);
        for (int j = 0; j < 16; ++j) {
            const int x0 = static_cast<int>((i[8 + j] & 0x0f) | (((qh >> j) << 4) & 0x10));
            const int x1 = static_cast<int>((i[8 + j] >> 4) | ((qh >> (j + 12)) & 0x10));
            y[j] = static_cast<float>(x0) * d + m;
            y[j + 16] = static_cast<float>(x1) * d + m;
        }
    }
}

// ---------------------------------------------------------------- importance-weighted

namespace {

// The rows [rowBegin, rowEnd) of an importance-weighted quantisation, 8 blocks of a row at a
// time: search(xs, ws, Ls, d, m) fills codes, scales and minimums for 8 blocks (the last group
// of a row padded with all-zero blocks whose results are dropped), store(block, x, d, m, L)
// writes one block.
template <class Search, class Store>
void encodeWeightedRows(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                        const float* importance, Search search, Store store) {
    const int64_t nb = cols / 32;
    std::vector<float> w(static_cast<std::size_t>(cols));
    static const float zeros[32] = {};
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        const float* xr = x + r * cols;
        const float sigma2 = rowSigma2(xr, cols);
        for (int64_t ib = 0; ib < nb; ++ib)
            blockWeights(xr + ib * 32, importance + ib * 32, sigma2, w.data() + ib * 32);
        for (int64_t g = 0; g < nb; g += 8) {
            const float* xs[8];
            const float* ws[8];
            uint8_t codes[8][32];
            uint8_t* Ls[8];
            float d[8], m[8];
            for (int k = 0; k < 8; ++k) {
                const bool real = g + k < nb;
                xs[k] = real ? xr + (g + k) * 32 : zeros;
                ws[k] = real ? w.data() + (g + k) * 32 : zeros;
                Ls[k] = codes[k];
            }
            search(xs, ws, Ls, d, m);
            for (int k = 0; k < 8 && g + k < nb; ++k)
                store(r * nb + g + k, xs[k], d[k], m[k], codes[k]);
        }
    }
}

// make_qx_quants (q4_0, q5_0: no minimum) and make_qkx3_quants (q4_1, q5_1: m = -negMin).
auto qxSearch(int nmax) {
    return [nmax](const float* const* xs, const float* const* ws, uint8_t* const* Ls, float* d,
                  float* m) {
        makeQxQuants32x8(nmax, xs, ws, Ls, d);
        for (int k = 0; k < 8; ++k)
            m[k] = 0.f;
    };
}
auto qkx3Search(int nmax) {
    return [nmax](const float* const* xs, const float* const* ws, uint8_t* const* Ls, float* d,
                  float* m) {
        float negMin[8];
        makeQkx3Quants32x8(nmax, xs, ws, Ls, d, negMin);
        for (int k = 0; k < 8; ++k)
            m[k] = -negMin[k];
    };
}

} // namespace

void encodeQ4_0Weighted(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                        const float* importance, uint8_t* out) {
    encodeWeightedRows(x, cols, rowBegin, rowEnd, importance, qxSearch(8),
                       [&](int64_t b, const float* xb, float d, float, const uint8_t* L) {
                           uint8_t* o = out + b * 18;
                           storeU16(o, half(d, "q4_0", b, xb));
                           for (int j = 0; j < 16; ++j)
                               o[2 + j] = static_cast<uint8_t>(L[j] | (L[j + 16] << 4));
                       });
}

void encodeQ5_0Weighted(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                        const float* importance, uint8_t* out) {
    encodeWeightedRows(x, cols, rowBegin, rowEnd, importance, qxSearch(16),
                       [&](int64_t b, const float* xb, float d, float, const uint8_t* L) {
                           uint8_t* o = out + b * kQ5_0Bytes;
                           storeU16(o, half(d, "q5_0", b, xb));
                           pack5(L, o + 2, o + 6);
                       });
}

void encodeQ4_1Weighted(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                        const float* importance, uint8_t* out) {
    encodeWeightedRows(x, cols, rowBegin, rowEnd, importance, qkx3Search(15),
                       [&](int64_t b, const float* xb, float d, float m, const uint8_t* L) {
                           uint8_t* o = out + b * kQ4_1Bytes;
                           storeU16(o, half(d, "q4_1", b, xb));
                           storeU16(o + 2, half(m, "q4_1", b, xb));
                           for (int j = 0; j < 16; ++j)
                               o[4 + j] = static_cast<uint8_t>(L[j] | (L[j + 16] << 4));
                       });
}

void encodeQ5_1Weighted(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                        const float* importance, uint8_t* out) {
    encodeWeightedRows(x, cols, rowBegin, rowEnd, importance, qkx3Search(31),
                       [&](int64_t b, const float* xb, float d, float m, const uint8_t* L) {
                           uint8_t* o = out + b * kQ5_1Bytes;
                           storeU16(o, half(d, "q5_1", b, xb));
                           storeU16(o + 2, half(m, "q5_1", b, xb));
                           pack5(L, o + 4, o + 8);
                       });
}

} // namespace taskquant::quant::detail
