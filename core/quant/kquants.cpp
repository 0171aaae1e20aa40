#include "core/quant/kquants.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "core/quant/half.h"
#include "core/util/error.h"

// Every helper below is ggml-quants.c's algorithm of the same role, with its float operations
// in the same order; comments name the ggml function. Do not "simplify" expressions such as
// w * x[i] * l: (w * x) * l and w * (x * l) round differently.

namespace taskquant::quant::detail {

namespace {

constexpr int kQK = 256;
constexpr float kGroupMaxEps = 1e-15f; // ggml's GROUP_MAX_EPS
// Above this magnitude the float sums of squares could overflow; the fp16 super-block scales
// overflow far earlier, so nothing storable is refused.
constexpr float kMaxMagnitude = 1e9f;

// ggml's nearest_int(), bit for bit: adding 1.5 * 2^23 rounds v to an integer (ties to even)
// in the low mantissa bits. Exact for |v| < 2^22; beyond that (degenerate sub-blocks) it yields
// ggml's deterministic wrap-around rather than anything undefined.
inline int nearestInt(float v) {
    const float shifted = v + 12582912.f;
    int32_t bits;
    std::memcpy(&bits, &shifted, 4);
    return (bits & 0x007fffff) - 0x00400000;
}

struct BlockContext {
    const char* format;
    int64_t row, block;
};

[[noreturn]] void tooLarge(const BlockContext& c, float magnitude) {
    std::ostringstream s;
    s << c.format << ": row " << c.row << ", super-block " << c.block << " (columns "
      << c.block * kQK << ".." << (c.block + 1) * kQK - 1 << ") has magnitude " << magnitude
      << ", too large for the format's fp16 scales";
    throw Error(s.str());
}

void checkMagnitude(const BlockContext& c, const float* x) {
    float amax = 0.f;
    for (int i = 0; i < kQK; ++i)
        amax = std::max(amax, std::fabs(x[i]));
    if (amax > kMaxMagnitude)
        tooLarge(c, amax);
}

uint16_t checkedHalf(const BlockContext& c, const float* x, float v) {
    const uint16_t h = floatToHalf(v);
    if (!halfIsFinite(h)) {
        float amax = 0.f;
        for (int i = 0; i < kQK; ++i)
            amax = std::max(amax, std::fabs(x[i]));
        tooLarge(c, amax);
    }
    return h;
}

void checkImportance(const char* format, const float* w, int64_t cols) {
    if (!w)
        return;
    for (int64_t i = 0; i < cols; ++i) {
        if (!(w[i] >= 0.f) || !std::isfinite(w[i])) {
            std::ostringstream s;
            s << format << ": importance weight of column " << i << " is " << w[i]
              << "; importance weights must be finite and non-negative";
            throw Error(s.str());
        }
    }
}

// ---------------------------------------------------------------- lanes
// The searches below run K = 4G sub-blocks side by side, one per SIMD lane (GCC vector
// extensions; plain SSE2 on x86-64). Each lane performs exactly the float operations of
// ggml's scalar function in the same order, so every lane's result is bit-identical to it;
// only independent sub-blocks share an instruction. Branches become per-lane selects.
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

inline v4f splat(float f) {
    return v4f{f, f, f, f};
}
inline v4i splatI(int i) {
    return v4i{i, i, i, i};
}
inline v4i nearestIntV(v4f v) { // nearestInt() per lane
    const v4f shifted = v + 12582912.f;
    return ((v4i)shifted & 0x007fffff) - 0x00400000;
}
inline v4i clampV(v4i l, int lo, int hi) {
    const v4i h = splatI(hi), o = splatI(lo);
    l = l < h ? l : h;
    return l > o ? l : o;
}
inline v4f toFloat(v4i v) {
    return __builtin_convertvector(v, v4f);
}
inline v4i toInt(v4f v) { // exact for the integer values stored here
    return __builtin_convertvector(v, v4i);
}
inline v4f fabsV(v4f v) {
    return (v4f)((v4i)v & 0x7fffffff);
}
// ggml's MIN(a, b) = a < b ? a : b per lane (minps computes exactly that, NaN included).
inline v4f minV(v4f a, v4f b) {
#if defined(__SSE__)
    return __builtin_ia32_minps(a, b);
#else
    return a < b ? a : b;
#endif
}
inline bool anyLane(v4i m) {
    return (m[0] | m[1] | m[2] | m[3]) != 0;
}

// Transposes K = 4G sub-blocks of N (contiguous) into t[i][g] = lanes 4g..4g+3 of element i.
template <int N, int G> void transpose(const float* x, v4f (*t)[G]) {
    for (int i = 0; i < N; ++i)
        for (int g = 0; g < G; ++g)
            t[i][g] = v4f{x[(4 * g) * N + i], x[(4 * g + 1) * N + i], x[(4 * g + 2) * N + i],
                          x[(4 * g + 3) * N + i]};
}

// ggml's make_qx_quants with rmse_type 1, for K = 4G sub-blocks of N at once: symmetric codes
// l in [-nmax, nmax - 1] stored as l + nmax, weights qw (or x^2 where qw is null), searching
// 19 scales. Writes the codes of sub-block k to L + k * N and its scale to scale[k].
template <int N, int NMAX, int G>
void makeQxLanes(const float* x, int8_t* L, const float* qw, float* scaleOut) {
    v4f xt[N][G], wt[N][G];
    transpose<N, G>(x, xt);
    if (qw) {
        transpose<N, G>(qw, wt);
    } else {
        for (int i = 0; i < N; ++i)
            for (int g = 0; g < G; ++g)
                wt[i][g] = xt[i][g] * xt[i][g];
    }
    v4f amax[G], max[G];
    for (int g = 0; g < G; ++g)
        amax[g] = max[g] = splat(0.f);
    for (int i = 0; i < N; ++i)
        for (int g = 0; g < G; ++g) {
            const v4f ax = fabsV(xt[i][g]);
            const v4i m = ax > amax[g];
            amax[g] = m ? ax : amax[g];
            max[g] = m ? xt[i][g] : max[g];
        }
    v4i best_L[N][G], cand[N][G];
    v4f scale[G], best[G], iscale[G], sumlx[G], suml2[G];
    for (int g = 0; g < G; ++g) {
        iscale[g] = splat(float(-NMAX)) / max[g];
        sumlx[g] = suml2[g] = splat(0.f);
    }
    for (int i = 0; i < N; ++i)
        for (int g = 0; g < G; ++g) {
            const v4i l = clampV(nearestIntV(iscale[g] * xt[i][g]), -NMAX, NMAX - 1);
            best_L[i][g] = l + NMAX;
            const v4f lf = toFloat(l);
            sumlx[g] += wt[i][g] * xt[i][g] * lf;
            suml2[g] += wt[i][g] * lf * lf;
        }
    for (int g = 0; g < G; ++g) {
        scale[g] = suml2[g] != 0.f ? sumlx[g] / suml2[g] : splat(0.f);
        best[g] = scale[g] * sumlx[g];
    }
    for (int is = -9; is <= 9; ++is) {
        if (is == 0)
            continue;
        const float numer = -(NMAX + 0.1f * is);
        for (int g = 0; g < G; ++g) {
            iscale[g] = numer / max[g];
            sumlx[g] = suml2[g] = splat(0.f);
        }
        for (int i = 0; i < N; ++i)
            for (int g = 0; g < G; ++g) {
                const v4i l = clampV(nearestIntV(iscale[g] * xt[i][g]), -NMAX, NMAX - 1);
                cand[i][g] = l;
                const v4f lf = toFloat(l);
                sumlx[g] += wt[i][g] * xt[i][g] * lf;
                suml2[g] += wt[i][g] * lf * lf;
            }
        for (int g = 0; g < G; ++g) {
            const v4i better = (suml2[g] > 0.f) & (sumlx[g] * sumlx[g] > best[g] * suml2[g]);
            if (!anyLane(better))
                continue;
            for (int i = 0; i < N; ++i)
                best_L[i][g] = better ? cand[i][g] + NMAX : best_L[i][g];
            scale[g] = better ? sumlx[g] / suml2[g] : scale[g];
            best[g] = better ? scale[g] * sumlx[g] : best[g];
        }
    }
    for (int g = 0; g < G; ++g) {
        const v4i zero = amax[g] < kGroupMaxEps; // ggml: all (near) zero -> codes 0, scale 0
        for (int k = 0; k < 4; ++k) {
            const int lane = 4 * g + k;
            scaleOut[lane] = zero[k] ? 0.f : scale[g][k];
            for (int i = 0; i < N; ++i)
                L[lane * N + i] = static_cast<int8_t>(zero[k] ? 0 : best_L[i][g][k]);
        }
    }
}

// ggml's make_q3_quants with do_rmse: codes in [-nmax, nmax - 1] (stored + nmax) refined one
// at a time under weights x^2, up to 5 sweeps.
template <int N, int NMAX> float makeQ3Quants(const float* x, int8_t* L) {
    float max = 0, amax = 0;
    for (int i = 0; i < N; ++i) {
        const float ax = std::fabs(x[i]);
        if (ax > amax) {
            amax = ax;
            max = x[i];
        }
    }
    if (amax < kGroupMaxEps) {
        std::fill(L, L + N, int8_t(0));
        return 0.f;
    }
    const float iscale = -NMAX / max;
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < N; ++i) {
        const int l = std::max(-NMAX, std::min(NMAX - 1, nearestInt(iscale * x[i])));
        L[i] = static_cast<int8_t>(l);
        const float w = x[i] * x[i];
        sumlx += w * x[i] * l;
        suml2 += w * l * l;
    }
    for (int itry = 0; itry < 5; ++itry) {
        int changed = 0;
        for (int i = 0; i < N; ++i) {
            const float w = x[i] * x[i];
            float slx = sumlx - w * x[i] * L[i];
            if (slx > 0) {
                float sl2 = suml2 - w * L[i] * L[i];
                int nl = nearestInt(x[i] * sl2 / slx);
                nl = std::max(-NMAX, std::min(NMAX - 1, nl));
                if (nl != L[i]) {
                    slx += w * x[i] * nl;
                    sl2 += w * nl * nl;
                    if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                        L[i] = static_cast<int8_t>(nl);
                        sumlx = slx;
                        suml2 = sl2;
                        ++changed;
                    }
                }
            }
        }
        if (!changed)
            break;
    }
    for (int i = 0; i < N; ++i)
        L[i] = static_cast<int8_t>(L[i] + NMAX);
    return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
}

// ggml's make_qkx2_quants (Qkx3 = false) and make_qkx3_quants (Qkx3 = true), for K = 4G
// sub-blocks of N at once: asymmetric codes 0..nmax with a scale and a minimum <= 0
// minimising the weighted (squared, or absolute with UseMad) error over
// iscale = (nmax + rmin + rdelta * k) / (max - min), k = 0..nstep, where min is the best fit
// so far. The two differ only in how a search step rounds values outside [0, nmax].
// Writes sub-block k's codes to L + k * N, its scale to scaleOut[k] and -min to minOut[k].
template <int N, int NMAX, int G, bool Qkx3, bool UseMad>
void makeQkxLanes(const float* x, const float* weights, uint8_t* L, float* scaleOut, float* minOut,
                  float rmin, float rdelta, int nstep) {
    v4f xt[N][G], wt[N][G];
    transpose<N, G>(x, xt);
    transpose<N, G>(weights, wt);
    v4f min[G], max[G], sumW[G], sumX[G];
    for (int g = 0; g < G; ++g) {
        min[g] = max[g] = xt[0][g];
        sumW[g] = wt[0][g];
        sumX[g] = sumW[g] * xt[0][g];
    }
    for (int i = 1; i < N; ++i)
        for (int g = 0; g < G; ++g) {
            min[g] = xt[i][g] < min[g] ? xt[i][g] : min[g];
            max[g] = xt[i][g] > max[g] ? xt[i][g] : max[g];
            sumW[g] += wt[i][g];
            sumX[g] += wt[i][g] * xt[i][g];
        }
    v4f min0[G], scale[G], bestError[G];
    v4i bestL[N][G];
    v4f cand[N][G];
    for (int g = 0; g < G; ++g) {
        min[g] = min[g] > 0.f ? splat(0.f) : min[g];
        min0[g] = min[g];
        const v4f iscale = float(NMAX) / (max[g] - min[g]);
        scale[g] = 1.f / iscale;
        bestError[g] = splat(0.f);
        for (int i = 0; i < N; ++i) {
            const v4i l = clampV(nearestIntV(iscale * (xt[i][g] - min[g])), 0, NMAX);
            bestL[i][g] = l;
            v4f diff = scale[g] * toFloat(l) + min[g] - xt[i][g];
            diff = UseMad ? fabsV(diff) : diff * diff;
            bestError[g] += wt[i][g] * diff;
        }
    }
    for (int is = 0; is <= nstep; ++is) {
        const float numer = rmin + rdelta * is + NMAX;
        v4f iscale[G], sumL[G], sumL2[G], sumXL[G];
        for (int g = 0; g < G; ++g) {
            iscale[g] = numer / (max[g] - min[g]);
            sumL[g] = sumL2[g] = sumXL[g] = splat(0.f);
        }
        for (int i = 0; i < N; ++i)
            for (int g = 0; g < G; ++g) {
                const v4f v = iscale[g] * (xt[i][g] - min[g]);
                v4i l;
                if (Qkx3) {
                    // v > 0 ? nearest_int(MIN(v, nmax)) : 0
                    l = nearestIntV(minV(v, splat(float(NMAX)))) & (v > 0.f);
                } else {
                    l = clampV(nearestIntV(v), 0, NMAX);
                }
                const v4f lf = toFloat(l);
                cand[i][g] = lf;
                const v4f wl = wt[i][g] * lf;
                sumL[g] += wl;
                sumL2[g] += wl * lf;
                sumXL[g] += wl * xt[i][g];
            }
        v4f thisScale[G], thisMin[G], error[G];
        v4i ok[G];
        for (int g = 0; g < G; ++g) {
            const v4f D = sumW[g] * sumL2[g] - sumL[g] * sumL[g];
            ok[g] = D > 0.f;
            thisScale[g] = (sumW[g] * sumXL[g] - sumX[g] * sumL[g]) / D;
            thisMin[g] = (sumL2[g] * sumX[g] - sumL[g] * sumXL[g]) / D;
            const v4i positive = thisMin[g] > 0.f;
            thisMin[g] = positive ? splat(0.f) : thisMin[g];
            thisScale[g] = positive ? sumXL[g] / sumL2[g] : thisScale[g];
            error[g] = splat(0.f);
        }
        for (int i = 0; i < N; ++i)
            for (int g = 0; g < G; ++g) {
                v4f diff = thisScale[g] * cand[i][g] + thisMin[g] - xt[i][g];
                diff = UseMad ? fabsV(diff) : diff * diff;
                error[g] += wt[i][g] * diff;
            }
        for (int g = 0; g < G; ++g) {
            const v4i better = ok[g] & (error[g] < bestError[g]);
            if (!anyLane(better))
                continue;
            for (int i = 0; i < N; ++i)
                bestL[i][g] = better ? toInt(cand[i][g]) : bestL[i][g];
            bestError[g] = better ? error[g] : bestError[g];
            scale[g] = better ? thisScale[g] : scale[g];
            min[g] = better ? thisMin[g] : min[g];
        }
    }
    for (int g = 0; g < G; ++g) {
        const v4i flat = max[g] <= min0[g]; // ggml: codes 0, scale 0, keeps -min
        for (int k = 0; k < 4; ++k) {
            const int lane = 4 * g + k;
            scaleOut[lane] = flat[k] ? 0.f : scale[g][k];
            minOut[lane] = flat[k] ? -min0[g][k] : -min[g][k];
            for (int i = 0; i < N; ++i)
                L[lane * N + i] = static_cast<uint8_t>(flat[k] ? 0 : bestL[i][g][k]);
        }
    }
}

// ggml's make_qp_quants: unsigned codes 0..nmax for the non-negative values x (sub-block
// scales or minimums) under weights qw; 9 candidate scales, then up to 5 refinement sweeps.
// ggml keeps codes in uint8_t and rounds without a lower clamp: that wrap-around is kept.
template <int N, int NMAX> float makeQpQuants(const float* x, uint8_t* L, const float* qw) {
    float max = 0;
    for (int i = 0; i < N; ++i)
        max = max > x[i] ? max : x[i];
    if (max < kGroupMaxEps) {
        std::fill(L, L + N, uint8_t(0));
        return 0.f;
    }
    float iscale = NMAX / max;
    for (int i = 0; i < N; ++i)
        L[i] = static_cast<uint8_t>(nearestInt(iscale * x[i]));
    const float scale = 1 / iscale;
    float bestMse = 0;
    for (int i = 0; i < N; ++i) {
        const float diff = x[i] - scale * L[i];
        bestMse += qw[i] * diff * diff;
    }
    for (int is = -4; is <= 4; ++is) {
        if (is == 0)
            continue;
        const float iscaleIs = (0.1f * is + NMAX) / max;
        const float scaleIs = 1 / iscaleIs;
        float mse = 0;
        for (int i = 0; i < N; ++i) {
            const int l = std::min(NMAX, nearestInt(iscaleIs * x[i]));
            const float diff = x[i] - scaleIs * l;
            mse += qw[i] * diff * diff;
        }
        if (mse < bestMse) {
            bestMse = mse;
            iscale = iscaleIs;
        }
    }
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < N; ++i) {
        const int l = std::min(NMAX, nearestInt(iscale * x[i]));
        L[i] = static_cast<uint8_t>(l);
        const float w = qw[i];
        sumlx += w * x[i] * l;
        suml2 += w * l * l;
    }
    for (int itry = 0; itry < 5; ++itry) {
        int changed = 0;
        for (int i = 0; i < N; ++i) {
            const float w = qw[i];
            float slx = sumlx - w * x[i] * L[i];
            float sl2 = suml2 - w * L[i] * L[i];
            if (slx > 0 && sl2 > 0) {
                const int nl = std::min(NMAX, nearestInt(x[i] * sl2 / slx));
                if (nl != L[i]) {
                    slx += w * x[i] * nl;
                    sl2 += w * nl * nl;
                    if (slx * slx * suml2 > sumlx * sumlx * sl2) {
                        L[i] = static_cast<uint8_t>(nl);
                        sumlx = slx;
                        suml2 = sl2;
                        ++changed;
                    }
                }
            }
        }
        if (!changed)
            break;
    }
    return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
}

float sumSquares(const float* x) {
    float s = 0;
    for (int j = 0; j < kQK; ++j)
        s += x[j] * x[j];
    return s;
}

// Packs 256 2-bit codes as q2_K / q3_K store their low bits.
void pack2Bit(const uint8_t* L, uint8_t* qs) {
    for (int j = 0; j < kQK; j += 128)
        for (int l = 0; l < 32; ++l)
            qs[j / 4 + l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 2) |
                                                 (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
}

// ---------------------------------------------------------------- q2_K

void q2kBlock(const float* x, const float* qw, uint8_t* y, const BlockContext& c) {
    checkMagnitude(c, x);
    uint8_t* scalesOut = y;
    uint8_t* qs = y + 16;
    uint8_t L[kQK];
    float mins[16], scales[16];
    uint16_t d16, dmin16;
    if (!qw) { // quantize_row_q2_K_ref
        float weights[kQK];
        for (int l = 0; l < kQK; ++l)
            weights[l] = std::fabs(x[l]);
        makeQkxLanes<16, 3, 4, false, true>(x, weights, L, scales, mins, -0.5f, 0.1f, 15);
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 16; ++j) {
            if (scales[j] > maxScale)
                maxScale = scales[j];
            if (mins[j] > maxMin)
                maxMin = mins[j];
        }
        const float q4scale = 15.f;
        if (maxScale > 0) {
            const float iscale = q4scale / maxScale;
            for (int j = 0; j < 16; ++j)
                scalesOut[j] = static_cast<uint8_t>(nearestInt(iscale * scales[j]));
            d16 = checkedHalf(c, x, maxScale / q4scale);
        } else {
            std::memset(scalesOut, 0, 16);
            d16 = floatToHalf(0.f);
        }
        if (maxMin > 0) {
            const float iscale = q4scale / maxMin;
            for (int j = 0; j < 16; ++j)
                scalesOut[j] |= static_cast<uint8_t>(nearestInt(iscale * mins[j]) << 4);
            dmin16 = checkedHalf(c, x, maxMin / q4scale);
        } else {
            dmin16 = floatToHalf(0.f);
        }
    } else { // quantize_row_q2_K_impl
        float weight[kQK], sw[16];
        const float sigma2 = sumSquares(x) / kQK;
        for (int l = 0; l < kQK; ++l)
            weight[l] = qw[l] * std::sqrt(sigma2 + x[l] * x[l]);
        for (int j = 0; j < 16; ++j) {
            sw[j] = 0;
            for (int l = 0; l < 16; ++l)
                sw[j] += weight[16 * j + l];
        }
        makeQkxLanes<16, 3, 4, true, false>(x, weight, L, scales, mins, -0.9f, 0.05f, 36);
        uint8_t Ls[16], Lm[16];
        const float dm = makeQpQuants<16, 15>(scales, Ls, sw);
        const float mm = makeQpQuants<16, 15>(mins, Lm, sw);
        d16 = checkedHalf(c, x, dm);
        dmin16 = checkedHalf(c, x, mm);
        for (int j = 0; j < 16; ++j)
            scalesOut[j] = static_cast<uint8_t>(Ls[j] | (Lm[j] << 4));
    }
    storeU16(y + 80, d16);
    storeU16(y + 82, dmin16);
    const float dAll = halfToFloat(d16), mAll = halfToFloat(dmin16);
    for (int j = 0; j < 16; ++j) {
        const float d = dAll * (scalesOut[j] & 0xF);
        if (!d)
            continue;
        const float dm = mAll * (scalesOut[j] >> 4);
        for (int ii = 0; ii < 16; ++ii) {
            const int l = nearestInt((x[16 * j + ii] + dm) / d);
            L[16 * j + ii] = static_cast<uint8_t>(std::max(0, std::min(3, l)));
        }
    }
    pack2Bit(L, qs);
}

// ---------------------------------------------------------------- q3_K

void q3kBlock(const float* x, const float* qw, uint8_t* y, const BlockContext& c) {
    checkMagnitude(c, x);
    uint8_t* hmask = y;
    uint8_t* qs = y + 32;
    uint8_t* sc = y + 96;
    int8_t L[kQK];
    float scales[16];
    std::memset(sc, 0, 12);
    const auto packScale = [sc](int j, int l) { // l in 0..63
        if (j < 8)
            sc[j] = static_cast<uint8_t>(l & 0xF);
        else
            sc[j - 8] |= static_cast<uint8_t>((l & 0xF) << 4);
        l >>= 4;
        sc[j % 4 + 8] |= static_cast<uint8_t>(l << (2 * (j / 4)));
    };
    uint16_t d16;
    if (!qw) { // quantize_row_q3_K_ref
        float maxScale = 0, amax = 0;
        for (int j = 0; j < 16; ++j) {
            scales[j] = makeQ3Quants<16, 4>(x + 16 * j, L + 16 * j);
            const float s = std::fabs(scales[j]);
            if (s > amax) {
                amax = s;
                maxScale = scales[j];
            }
        }
        if (maxScale) {
            const float iscale = -32.f / maxScale;
            for (int j = 0; j < 16; ++j) {
                int8_t l = static_cast<int8_t>(nearestInt(iscale * scales[j]));
                l = static_cast<int8_t>(std::max<int>(-32, std::min<int>(31, l)) + 32);
                packScale(j, l);
            }
            d16 = checkedHalf(c, x, 1 / iscale);
        } else {
            d16 = floatToHalf(0.f);
        }
    } else { // quantize_row_q3_K_impl
        float weight[kQK];
        const float sigma2 = 2 * sumSquares(x) / kQK;
        for (int l = 0; l < kQK; ++l)
            weight[l] = qw[l] * std::sqrt(sigma2 + x[l] * x[l]);
        // the 16 scales are fitted like one sub-block (lanes 1..3 stay empty)
        float sw[64] = {}, scales64[64] = {}, dBlock[4];
        for (int j = 0; j < 16; ++j) {
            float sumw = 0;
            for (int l = 0; l < 16; ++l)
                sumw += weight[16 * j + l];
            sw[j] = sumw;
        }
        makeQxLanes<16, 4, 4>(x, L, weight, scales);
        std::copy(scales, scales + 16, scales64);
        int8_t Ls[64];
        makeQxLanes<16, 32, 1>(scales64, Ls, sw, dBlock);
        for (int j = 0; j < 16; ++j)
            packScale(j, Ls[j]);
        d16 = checkedHalf(c, x, dBlock[0]);
    }
    storeU16(y + 108, d16);
    const float dAll = halfToFloat(d16);
    for (int j = 0; j < 16; ++j) {
        int8_t s = static_cast<int8_t>(j < 8 ? sc[j] & 0xF : sc[j - 8] >> 4);
        s = static_cast<int8_t>((s | (((sc[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32);
        const float d = dAll * s;
        if (!d)
            continue;
        for (int ii = 0; ii < 16; ++ii) {
            const int l = nearestInt(x[16 * j + ii] / d);
            L[16 * j + ii] = static_cast<int8_t>(std::max(-4, std::min(3, l)) + 4);
        }
    }
    std::memset(hmask, 0, 32);
    uint8_t low[kQK];
    int m = 0;
    uint8_t hm = 1;
    for (int j = 0; j < kQK; ++j) {
        int v = L[j];
        if (v > 3) {
            hmask[m] |= hm;
            v -= 4;
        }
        low[j] = static_cast<uint8_t>(v);
        if (++m == 32) {
            m = 0;
            hm = static_cast<uint8_t>(hm << 1);
        }
    }
    pack2Bit(low, qs);
}

// ---------------------------------------------------------------- q4_K / q5_K

void packScaleMin(uint8_t* packed, int j, uint8_t ls, uint8_t lm) {
    if (j < 4) {
        packed[j] = ls;
        packed[j + 4] = lm;
    } else {
        packed[j + 4] = static_cast<uint8_t>((ls & 0xF) | ((lm & 0xF) << 4));
        packed[j - 4] |= static_cast<uint8_t>((ls >> 4) << 6);
        packed[j] |= static_cast<uint8_t>((lm >> 4) << 6);
    }
}

// Shared by q4_K (NMAX 15) and q5_K (NMAX 31): fills packed scales, d, dmin and the codes.
template <int NMAX>
void q45kBlock(const float* x, const float* qw, uint8_t* y, uint8_t* L, const BlockContext& c) {
    checkMagnitude(c, x);
    uint8_t* packed = y + 4;
    std::memset(packed, 0, 12);
    float mins[8], scales[8], weights[kQK];
    uint16_t d16, dmin16;
    if (!qw) { // quantize_row_q4_K_ref / quantize_row_q5_K_ref
        for (int j = 0; j < 8; ++j) {
            const float* xs = x + 32 * j;
            float sumX2 = 0;
            for (int l = 0; l < 32; ++l)
                sumX2 += xs[l] * xs[l];
            const float avX = std::sqrt(sumX2 / 32);
            for (int l = 0; l < 32; ++l)
                weights[32 * j + l] = avX + std::fabs(xs[l]);
        }
        if (NMAX == 15)
            makeQkxLanes<32, NMAX, 2, false, false>(x, weights, L, scales, mins, -1.f, 0.1f, 20);
        else
            makeQkxLanes<32, NMAX, 2, false, false>(x, weights, L, scales, mins, -0.5f, 0.1f, 15);
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; ++j) {
            if (scales[j] > maxScale)
                maxScale = scales[j];
            if (mins[j] > maxMin)
                maxMin = mins[j];
        }
        const float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        const float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        for (int j = 0; j < 8; ++j) {
            // ggml stores nearest_int() into a uint8_t before clamping: keep that wrap-around.
            uint8_t ls = static_cast<uint8_t>(nearestInt(invScale * scales[j]));
            uint8_t lm = static_cast<uint8_t>(nearestInt(invMin * mins[j]));
            packScaleMin(packed, j, std::min<uint8_t>(63, ls), std::min<uint8_t>(63, lm));
        }
        d16 = checkedHalf(c, x, maxScale / 63.f);
        dmin16 = checkedHalf(c, x, maxMin / 63.f);
    } else { // quantize_row_q4_K_impl / quantize_row_q5_K_impl
        float sw[8];
        const float sigma2 = 2 * sumSquares(x) / kQK;
        for (int l = 0; l < kQK; ++l)
            weights[l] = qw[l] * std::sqrt(sigma2 + x[l] * x[l]);
        for (int j = 0; j < 8; ++j) {
            float sumw = 0;
            for (int l = 0; l < 32; ++l)
                sumw += weights[32 * j + l];
            sw[j] = sumw;
        }
        makeQkxLanes<32, NMAX, 2, true, false>(x, weights, L, scales, mins, -0.9f, 0.05f, 36);
        uint8_t Ls[8], Lm[8];
        const float dBlock = makeQpQuants<8, 63>(scales, Ls, sw);
        const float mBlock = makeQpQuants<8, 63>(mins, Lm, sw);
        for (int j = 0; j < 8; ++j) {
            // q5_K_impl clamps to 63, q4_K_impl does not (a no-op unless a code wrapped)
            if (NMAX == 31)
                packScaleMin(packed, j, std::min<uint8_t>(63, Ls[j]), std::min<uint8_t>(63, Lm[j]));
            else
                packScaleMin(packed, j, Ls[j], Lm[j]);
        }
        d16 = checkedHalf(c, x, dBlock);
        dmin16 = checkedHalf(c, x, mBlock);
    }
    storeU16(y, d16);
    storeU16(y + 2, dmin16);
    const float dAll = halfToFloat(d16), mAll = halfToFloat(dmin16);
    for (int j = 0; j < 8; ++j) {
        uint8_t sc, m;
        kScaleMin(j, packed, &sc, &m);
        const float d = dAll * sc;
        if (!d)
            continue; // ggml keeps the codes of the fit
        const float dm = mAll * m;
        for (int ii = 0; ii < 32; ++ii) {
            const int l = nearestInt((x[32 * j + ii] + dm) / d);
            L[32 * j + ii] = static_cast<uint8_t>(std::max(0, std::min(NMAX, l)));
        }
    }
}

void q4kBlock(const float* x, const float* qw, uint8_t* y, const BlockContext& c) {
    uint8_t L[kQK];
    q45kBlock<15>(x, qw, y, L, c);
    uint8_t* q = y + 16;
    for (int j = 0; j < kQK; j += 64) {
        for (int l = 0; l < 32; ++l)
            q[l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 4));
        q += 32;
    }
}

void q5kBlock(const float* x, const float* qw, uint8_t* y, const BlockContext& c) {
    uint8_t L[kQK];
    q45kBlock<31>(x, qw, y, L, c);
    uint8_t* qh = y + 16;
    uint8_t* ql = y + 48;
    std::memset(qh, 0, 32);
    uint8_t m1 = 1, m2 = 2;
    for (int n = 0; n < kQK; n += 64) {
        for (int j = 0; j < 32; ++j) {
            int l1 = L[n + j];
            if (l1 > 15) {
                l1 -= 16;
                qh[j] |= m1;
            }
            int l2 = L[n + j + 32];
            if (l2 > 15) {
                l2 -= 16;
                qh[j] |= m2;
            }
            ql[j] = static_cast<uint8_t>(l1 | (l2 << 4));
        }
        m1 = static_cast<uint8_t>(m1 << 2);
        m2 = static_cast<uint8_t>(m2 << 2);
        ql += 32;
    }
}

// ---------------------------------------------------------------- q6_K

void q6kBlock(const float* x, const float* qw, uint8_t* y, const BlockContext& c) {
    checkMagnitude(c, x);
    int8_t L[kQK];
    float scales[16];
    float maxScale = 0, maxAbsScale = 0;
    // quantize_row_q6_K_ref: weights x^2; _impl: the importance itself
    makeQxLanes<16, 32, 4>(x, L, qw, scales);
    for (int ib = 0; ib < 16; ++ib) {
        const float scale = scales[ib];
        const float a = std::fabs(scale);
        if (a > maxAbsScale) {
            maxAbsScale = a;
            maxScale = scale;
        }
    }
    if (maxAbsScale < kGroupMaxEps) {
        std::memset(y, 0, kQ6_KBytes);
        return;
    }
    uint8_t* ql = y;
    uint8_t* qh = y + 128;
    auto* sc = reinterpret_cast<int8_t*>(y + 192);
    const float iscale = -128.f / maxScale;
    const uint16_t d16 = checkedHalf(c, x, 1 / iscale);
    storeU16(y + 208, d16);
    for (int ib = 0; ib < 16; ++ib)
        sc[ib] = static_cast<int8_t>(std::min(127, nearestInt(iscale * scales[ib])));
    const float dAll = halfToFloat(d16);
    for (int j = 0; j < 16; ++j) {
        const float d = dAll * sc[j];
        if (!d)
            continue;
        for (int ii = 0; ii < 16; ++ii) {
            const int l = nearestInt(x[16 * j + ii] / d);
            L[16 * j + ii] = static_cast<int8_t>(std::max(-32, std::min(31, l)) + 32);
        }
    }
    for (int j = 0; j < kQK; j += 128) {
        for (int l = 0; l < 32; ++l) {
            const uint8_t q1 = L[j + l] & 0xF, q2 = L[j + l + 32] & 0xF;
            const uint8_t q3 = L[j + l + 64] & 0xF, q4 = L[j + l + 96] & 0xF;
            ql[l] = static_cast<uint8_t>(q1 | (q3 << 4));
            ql[l + 32] = static_cast<uint8_t>(q2 | (q4 << 4));
            qh[l] = static_cast<uint8_t>((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) |
                                         ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6));
        }
        ql += 64;
        qh += 32;
    }
}

template <class BlockFn>
void encodeRows(const char* format, int64_t bytesPerBlock, const float* x, int64_t cols,
                int64_t rowBegin, int64_t rowEnd, const float* importance, uint8_t* out,
                BlockFn blockFn) {
    checkImportance(format, importance, cols);
    const int64_t blocks = cols / kQK;
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        const float* xr = x + r * cols;
        uint8_t* o = out + r * blocks * bytesPerBlock;
        for (int64_t b = 0; b < blocks; ++b)
            blockFn(xr + b * kQK, importance ? importance + b * kQK : nullptr,
                    o + b * bytesPerBlock, BlockContext{format, r, b});
    }
}

} // namespace

void kScaleMin(int j, const uint8_t* q, uint8_t* scale, uint8_t* min) {
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = static_cast<uint8_t>((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        *min = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

void encodeQ2_K(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                const float* importance, uint8_t* out) {
    encodeRows("q2_k", kQ2_KBytes, x, cols, rowBegin, rowEnd, importance, out, q2kBlock);
}
void encodeQ3_K(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                const float* importance, uint8_t* out) {
    encodeRows("q3_k", kQ3_KBytes, x, cols, rowBegin, rowEnd, importance, out, q3kBlock);
}
void encodeQ4_K(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                const float* importance, uint8_t* out) {
    encodeRows("q4_k", kQ4_KBytes, x, cols, rowBegin, rowEnd, importance, out, q4kBlock);
}
void encodeQ5_K(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                const float* importance, uint8_t* out) {
    encodeRows("q5_k", kQ5_KBytes, x, cols, rowBegin, rowEnd, importance, out, q5kBlock);
}
void encodeQ6_K(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                const float* importance, uint8_t* out) {
    encodeRows("q6_k", kQ6_KBytes, x, cols, rowBegin, rowEnd, importance, out, q6kBlock);
}

void decodeQ2_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* blk = in + b * kQ2_KBytes;
        float* y = out + b * kQK;
        const uint8_t* sc = blk;
        const uint8_t* q = blk + 16;
        const float d = halfToFloat(loadU16(blk + 80)), min = halfToFloat(loadU16(blk + 82));
        int is = 0;
        for (int n = 0; n < kQK; n += 128) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; ++half) {
                    const uint8_t s = sc[is++];
                    const float dl = d * (s & 0xF), ml = min * (s >> 4);
                    for (int l = 0; l < 16; ++l)
                        *y++ = dl * ((q[l + 16 * half] >> shift) & 3) - ml;
                }
            }
            q += 32;
        }
    }
}

void decodeQ3_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* blk = in + b * kQ3_KBytes;
        float* y = out + b * kQK;
        const uint8_t* hm = blk;
        const uint8_t* q = blk + 32;
        const uint8_t* sc = blk + 96;
        const float dAll = halfToFloat(loadU16(blk + 108));
        int scales[16];
        for (int j = 0; j < 16; ++j) {
            const int low = j < 8 ? sc[j] & 0xF : sc[j - 8] >> 4;
            scales[j] = (low | (((sc[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32;
        }
        int is = 0;
        uint8_t m = 1;
        for (int n = 0; n < kQK; n += 128) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; ++half) {
                    const float dl = dAll * scales[is++];
                    for (int l = 0; l < 16; ++l) {
                        const int k = l + 16 * half;
                        *y++ = dl * (((q[k] >> shift) & 3) - ((hm[k] & m) ? 0 : 4));
                    }
                }
                m = static_cast<uint8_t>(m << 1);
            }
            q += 32;
        }
    }
}

void decodeQ4_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* blk = in + b * kQ4_KBytes;
        float* y = out + b * kQK;
        const float d = halfToFloat(loadU16(blk)), min = halfToFloat(loadU16(blk + 2));
        const uint8_t* packed = blk + 4;
        const uint8_t* q = blk + 16;
        for (int pair = 0; pair < 4; ++pair) {
            uint8_t sc, m;
            kScaleMin(2 * pair, packed, &sc, &m);
            const float d1 = d * sc, m1 = min * m;
            kScaleMin(2 * pair + 1, packed, &sc, &m);
            const float d2 = d * sc, m2 = min * m;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * (q[l] & 0xF) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * (q[l] >> 4) - m2;
            q += 32;
        }
    }
}

void decodeQ5_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* blk = in + b * kQ5_KBytes;
        float* y = out + b * kQK;
        const float d = halfToFloat(loadU16(blk)), min = halfToFloat(loadU16(blk + 2));
        const uint8_t* packed = blk + 4;
        const uint8_t* qh = blk + 16;
        const uint8_t* ql = blk + 48;
        uint8_t u1 = 1, u2 = 2;
        for (int pair = 0; pair < 4; ++pair) {
            uint8_t sc, m;
            kScaleMin(2 * pair, packed, &sc, &m);
            const float d1 = d * sc, m1 = min * m;
            kScaleMin(2 * pair + 1, packed, &sc, &m);
            const float d2 = d * sc, m2 = min * m;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * ((ql[l] & 0xF) + (qh[l] & u1 ? 16 : 0)) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * ((ql[l] >> 4) + (qh[l] & u2 ? 16 : 0)) - m2;
            ql += 32;
            u1 = static_cast<uint8_t>(u1 << 2);
            u2 = static_cast<uint8_t>(u2 << 2);
        }
    }
}

void decodeQ6_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out) {
    for (int64_t b = blockBegin; b < blockEnd; ++b) {
        const uint8_t* blk = in + b * kQ6_KBytes;
        float* y = out + b * kQK;
        const uint8_t* ql = blk;
        const uint8_t* qh = blk + 128;
        const auto* sc = reinterpret_cast<const int8_t*>(blk + 192);
        const float d = halfToFloat(loadU16(blk + 208));
        for (int n = 0; n < kQK; n += 128) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l] = d * sc[is] * q1;
                y[l + 32] = d * sc[is + 2] * q2;
                y[l + 64] = d * sc[is + 4] * q3;
                y[l + 96] = d * sc[is + 6] * q4;
            }
            y += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}

} // namespace taskquant::quant::detail
