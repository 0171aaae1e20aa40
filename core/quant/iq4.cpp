#include "core/quant/iq4.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "core/quant/ggml_search.h"
#include "core/quant/half.h"
#include "core/util/error.h"

namespace taskquant::quant::detail {

const int8_t kIq4nlValues[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                 1,    13,   25,  38,  53,  69,  89,  113};

namespace {

constexpr int kSub = 32;
constexpr float kGroupMaxEps = 1e-15f;
constexpr int kNtry = 7;

// Sums of neighbouring levels: the doubled midpoints (exact in float).
constexpr float kMid2[15] = {-231, -187, -148, -114, -84, -57, -32, -9,
                             14,   38,   63,   91,   122, 158, 202};

// ggml's best_index_int8(16, kvalues_iq4nl, x): the level nearest to x, the upper one on a
// tie. Comparing 2x with the integer sums is exact; for these levels it decides exactly as
// ggml's "x - lo < hi - x" (whose two differences are exact near every midpoint). NaN gives
// 15, as ggml's binary search does.
inline int bestIndex(float x) {
    if (x != x)
        return 15;
    const float x2 = x + x;
    int idx = x2 >= kMid2[7] ? 8 : 0;
    idx = x2 >= kMid2[idx + 3] ? idx + 4 : idx;
    idx = x2 >= kMid2[idx + 1] ? idx + 2 : idx;
    idx = x2 >= kMid2[idx] ? idx + 1 : idx;
    return idx;
}

// The 16 candidate scalings of quantize_row_iq4_nl_impl's per-block search run side by side,
// one per vector lane: lane 0 is the first guess (id = 127 / v), lanes 1..15 the tries
// t = -7..7. Every lane does exactly ggml's scalar operations in ggml's order (the sums run
// over j = 0..31), so the lanes' results are ggml's bit for bit; the vector only changes how
// many of them are computed at once. The level of a lane is found without branches as
// K[0] + sum_k [2x >= kMid2[k]] * (K[k+1] - K[k]) (exact: small integers), which is
// bestIndex() (no NaN can occur: |id x| <= 134 for every lane).
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));
typedef float v16f __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));

constexpr float kStep[15] = {23, 21, 18, 16, 14, 13, 12, 11, 12, 12, 13, 15, 16, 20, 24};

// The 16 lanes' sums, as N vectors of 16/N lanes (V: float vector, I: int vector of its width).
template <class V, class I, int N>
__attribute__((always_inline)) inline void laneSums(const float* idLanes, const float* xb,
                                                    const float* w, float* qx, float* q2) {
    constexpr int W = 16 / N;
    V id[N], sumqx[N], sumq2[N];
    for (int v = 0; v < N; ++v) {
        std::memcpy(&id[v], idLanes + W * v, sizeof(V));
        sumqx[v] = id[v] - id[v];
        sumq2[v] = sumqx[v];
    }
    const V zero = sumqx[0];
    for (int j = 0; j < kSub; ++j) {
        const V xj = zero + xb[j], wj = zero + w[j];
        for (int v = 0; v < N; ++v) {
            const V al = id[v] * xj;
            const V x2 = al + al;
            V q = zero + static_cast<float>(kIq4nlValues[0]);
            for (int k = 0; k < 15; ++k) {
                const I ge = x2 >= (zero + kMid2[k]);
                q += reinterpret_cast<V>(ge & reinterpret_cast<I>(zero + kStep[k]));
            }
            const V wq = wj * q;
            sumqx[v] += wq * xj;
            sumq2[v] += wq * q;
        }
    }
    std::memcpy(qx, sumqx, sizeof sumqx);
    std::memcpy(q2, sumq2, sizeof sumq2);
}

// One version per instruction set: the 16 lanes are one AVX-512 register, two AVX2 or four
// SSE2 ones. All compute the same IEEE single-precision operations (no contraction), so all
// give the same bits.
#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx512f"))) void sumsAvx512(const float* id, const float* xb, const float* w,
                                                   float* qx, float* q2) {
    laneSums<v16f, v16i, 1>(id, xb, w, qx, q2);
}
__attribute__((target("avx2"))) void sumsAvx2(const float* id, const float* xb, const float* w,
                                              float* qx, float* q2) {
    laneSums<v8f, v8i, 2>(id, xb, w, qx, q2);
}
#endif
void sumsSse2(const float* id, const float* xb, const float* w, float* qx, float* q2) {
    laneSums<v4f, v4i, 4>(id, xb, w, qx, q2);
}

using SumsFn = void (*)(const float*, const float*, const float*, float*, float*);
SumsFn pickSums() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return sumsAvx512;
    if (__builtin_cpu_supports("avx2"))
        return sumsAvx2;
#endif
    return sumsSse2;
}

float searchScale(const float* xb, const float* w) {
    float amax = 0, max = 0;
    for (int j = 0; j < kSub; ++j) {
        const float ax = std::fabs(xb[j]);
        if (ax > amax) {
            amax = ax;
            max = xb[j];
        }
    }
    if (amax < kGroupMaxEps)
        return 0.f;
    alignas(64) float id[16];
    id[0] = 1 / (-max / static_cast<float>(kIq4nlValues[0]));
    for (int t = 1; t < 16; ++t)
        id[t] = static_cast<float>(t - 8 + kIq4nlValues[0]) / max;
    static const SumsFn sums = pickSums();
    alignas(64) float qx[16], q2[16];
    sums(id, xb, w, qx, q2);
    float d = q2[0] > 0 ? qx[0] / q2[0] : 0.f;
    float best = d * qx[0];
    for (int t = 1; t < 16; ++t) {
        if (q2[t] > 0 && qx[t] * qx[t] > best * q2[t]) {
            d = qx[t] / q2[t];
            best = d * qx[t];
        }
    }
    return d;
}

float superSigma2(const float* x, int n) {
    float s = 0;
    for (int j = 0; j < n; ++j)
        s += x[j] * x[j];
    return s * (2.f / static_cast<float>(n));
}

void subWeights(const float* xb, const float* qw, float sigma2, float* w) {
    if (qw) {
        for (int j = 0; j < kSub; ++j)
            w[j] = qw[j] * std::sqrt(sigma2 + xb[j] * xb[j]);
    } else {
        for (int j = 0; j < kSub; ++j)
            w[j] = xb[j] * xb[j];
    }
}

void packCodes(const float* xb, float id, uint8_t* qs) {
    uint8_t L[kSub];
    for (int j = 0; j < kSub; ++j)
        L[j] = static_cast<uint8_t>(bestIndex(id * xb[j]));
    for (int j = 0; j < 16; ++j)
        qs[j] = static_cast<uint8_t>(L[j] | (L[j + 16] << 4));
}

[[noreturn]] void tooLarge(const char* format, int64_t block, int64_t size, const float* x) {
    float amax = 0;
    for (int64_t j = 0; j < size; ++j)
        amax = std::max(amax, std::fabs(x[j]));
    std::ostringstream s;
    s << format << ": block " << block << " (elements " << block * size << ".."
      << (block + 1) * size - 1 << ") has magnitude " << amax
      << ", too large for the format's fp16 scale";
    throw Error(s.str());
}

} // namespace

void encodeIq4Nl(const float* x, int64_t cols, int64_t blockBegin, int64_t blockEnd,
                 const float* importance, uint8_t* out) {
    const int64_t perRow = cols / kIq4NlBlock;
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const float* xb = x + b * kIq4NlBlock;
        uint8_t* o = out + b * kIq4NlBytes;
        const float* qw = importance ? importance + (b % perRow) * kIq4NlBlock : nullptr;
        float w[kSub];
        subWeights(xb, qw, superSigma2(xb, kSub), w);
        const float d = searchScale(xb, w);
        const uint16_t d16 = floatToHalf(d);
        if (!halfIsFinite(d16))
            tooLarge("iq4_nl", b, kIq4NlBlock, xb);
        storeU16(o, d16);
        packCodes(xb, d != 0.f ? 1 / d : 0.f, o + 2);
    }
}

void decodeIq4Nl(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* i = in + b * kIq4NlBytes;
        float* y = out + b * kIq4NlBlock;
        const float d = halfToFloat(loadU16(i));
        for (int j = 0; j < 16; ++j) {
            y[j] = d * static_cast<float>(kIq4nlValues[i[2 + j] & 0x0f]);
            y[j + 16] = d * static_cast<float>(kIq4nlValues[i[2 + j] >> 4]);
        }
    }
}

void encodeIq4Xs(const float* x, int64_t cols, int64_t blockBegin, int64_t blockEnd,
                 const float* importance, uint8_t* out) {
    constexpr int nSub = kIq4XsBlock / kSub;
    const int64_t perRow = cols / kIq4XsBlock;
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const float* xs = x + b * kIq4XsBlock;
        uint8_t* o = out + b * kIq4XsBytes;
        const float* qw = importance ? importance + (b % perRow) * kIq4XsBlock : nullptr;
        const float sigma2 = superSigma2(xs, kIq4XsBlock);
        float scales[nSub];
        float maxScale = 0, amaxScale = 0;
        for (int ib = 0; ib < nSub; ++ib) {
            float w[kSub];
            subWeights(xs + ib * kSub, qw ? qw + ib * kSub : nullptr, sigma2, w);
            scales[ib] = searchScale(xs + ib * kSub, w);
            const float a = std::fabs(scales[ib]);
            if (a > amaxScale) {
                amaxScale = a;
                maxScale = scales[ib];
            }
        }
        const float d = -maxScale / 32;
        const uint16_t d16 = floatToHalf(d);
        if (!halfIsFinite(d16))
            tooLarge("iq4_xs", b, kIq4XsBlock, xs);
        storeU16(o, d16);
        const float id = d != 0.f ? 1 / d : 0.f;
        uint16_t scalesH = 0;
        uint8_t* scalesL = o + 4;
        std::memset(scalesL, 0, 4);
        for (int ib = 0; ib < nSub; ++ib) {
            int l = std::max(-32, std::min(31, ggmlNearestInt(id * scales[ib])));
            const float dl = d * static_cast<float>(l);
            packCodes(xs + ib * kSub, dl != 0.f ? 1 / dl : 0.f, o + 8 + 16 * ib);
            l += 32;
            scalesL[ib / 2] |= static_cast<uint8_t>((l & 0xf) << (4 * (ib % 2)));
            scalesH |= static_cast<uint16_t>((l >> 4) << (2 * ib));
        }
        storeU16(o + 2, scalesH);
    }
}

void decodeIq4Xs(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* i = in + b * kIq4XsBytes;
        float* y = out + b * kIq4XsBlock;
        const float d = halfToFloat(loadU16(i));
        const uint16_t scalesH = loadU16(i + 2);
        const uint8_t* qs = i + 8;
        for (int ib = 0; ib < kIq4XsBlock / kSub; ++ib) {
            const int ls =
                ((i[4 + ib / 2] >> (4 * (ib % 2))) & 0xf) | (((scalesH >> (2 * ib)) & 3) << 4);
            const float dl = d * static_cast<float>(ls - 32);
            for (int j = 0; j < 16; ++j) {
                y[j] = dl * static_cast<float>(kIq4nlValues[qs[j] & 0x0f]);
                y[j + 16] = dl * static_cast<float>(kIq4nlValues[qs[j] >> 4]);
            }
            y += kSub;
            qs += 16;
        }
    }
}

} // namespace taskquant::quant::detail
