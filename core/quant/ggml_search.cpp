#include "core/quant/ggml_search.h"

#include <algorithm>
#include <cmath>

namespace taskquant::quant::detail {

namespace {
constexpr int kN = 32;
constexpr float kGroupMaxEps = 1e-15f;
} // namespace

float makeQxQuants32(int nmax, const float* x, const float* w, uint8_t* L) {
    float max = 0, amax = 0;
    for (int i = 0; i < kN; ++i) {
        const float ax = std::fabs(x[i]);
        if (ax > amax) {
            amax = ax;
            max = x[i];
        }
    }
    if (amax < kGroupMaxEps) {
        std::memset(L, 0, kN);
        return 0.f;
    }
    float iscale = static_cast<float>(-nmax) / max;
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < kN; ++i) {
        const int l = std::max(-nmax, std::min(nmax - 1, ggmlNearestInt(iscale * x[i])));
        L[i] = static_cast<uint8_t>(l + nmax);
        const float fl = static_cast<float>(l);
        sumlx += w[i] * x[i] * fl;
        suml2 += w[i] * fl * fl;
    }
    float scale = suml2 != 0.f ? sumlx / suml2 : 0.0f;
    float best = scale * sumlx;
    uint8_t Laux[kN];
    for (int is = -9; is <= 9; ++is) {
        if (is == 0)
            continue;
        iscale = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(is)) / max;
        sumlx = suml2 = 0;
        for (int i = 0; i < kN; ++i) {
            const int l = std::max(-nmax, std::min(nmax - 1, ggmlNearestInt(iscale * x[i])));
            Laux[i] = static_cast<uint8_t>(l + nmax);
            const float fl = static_cast<float>(l);
            sumlx += w[i] * x[i] * fl;
            suml2 += w[i] * fl * fl;
        }
        if (suml2 > 0 && sumlx * sumlx > best * suml2) {
            std::memcpy(L, Laux, kN);
            scale = sumlx / suml2;
            best = scale * sumlx;
        }
    }
    return scale;
}

float makeQkx3Quants32(int nmax, const float* x, const float* w, uint8_t* L, float* negMin) {
    constexpr float rmin = -0.9f, rdelta = 0.05f;
    constexpr int nstep = 36;
    float min = x[0], max = x[0];
    float sumW = w[0];
    float sumX = sumW * x[0];
    for (int i = 1; i < kN; ++i) {
        if (x[i] < min)
            min = x[i];
        if (x[i] > max)
            max = x[i];
        sumW += w[i];
        sumX += w[i] * x[i];
    }
    if (min > 0)
        min = 0;
    if (max <= min) {
        std::memset(L, 0, kN);
        *negMin = -min;
        return 0.f;
    }
    const float fmax = static_cast<float>(nmax);
    float iscale = fmax / (max - min);
    float scale = 1 / iscale;
    float bestMad = 0;
    for (int i = 0; i < kN; ++i) {
        const int l = std::max(0, std::min(nmax, ggmlNearestInt(iscale * (x[i] - min))));
        L[i] = static_cast<uint8_t>(l);
        float diff = scale * static_cast<float>(l) + min - x[i];
        diff = diff * diff;
        bestMad += w[i] * diff;
    }
    uint8_t Laux[kN];
    for (int is = 0; is <= nstep; ++is) {
        iscale = (rmin + rdelta * static_cast<float>(is) + fmax) / (max - min);
        float sumL = 0, sumL2 = 0, sumXL = 0;
        for (int i = 0; i < kN; ++i) {
            const float v = iscale * (x[i] - min);
            const int l = v > 0 ? ggmlNearestInt(std::min(v, fmax)) : 0;
            Laux[i] = static_cast<uint8_t>(l);
            const float fl = static_cast<float>(l);
            sumL += w[i] * fl;
            sumL2 += w[i] * fl * fl;
            sumXL += w[i] * fl * x[i];
        }
        const float D = sumW * sumL2 - sumL * sumL;
        if (D > 0) {
            float thisScale = (sumW * sumXL - sumX * sumL) / D;
            float thisMin = (sumL2 * sumX - sumL * sumXL) / D;
            if (thisMin > 0) {
                thisMin = 0;
                thisScale = sumXL / sumL2;
            }
            float mad = 0;
            for (int i = 0; i < kN; ++i) {
                float diff = thisScale * static_cast<float>(Laux[i]) + thisMin - x[i];
                diff = diff * diff;
                mad += w[i] * diff;
            }
            if (mad < bestMad) {
                std::memcpy(L, Laux, kN);
                bestMad = mad;
                scale = thisScale;
                min = thisMin;
            }
        }
    }
    *negMin = -min;
    return scale;
}

} // namespace taskquant::quant::detail

// ------------------------------------------------------------------ 8 blocks side by side

namespace taskquant::quant::detail {

namespace {

typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

inline v4f splat(float v) {
    return v4f{v, v, v, v};
}
// Lane-wise m ? a : b for a comparison mask m (all ones / all zeros per lane).
inline v4f sel(v4i m, v4f a, v4f b) {
    return reinterpret_cast<v4f>((reinterpret_cast<v4i>(a) & m) | (reinterpret_cast<v4i>(b) & ~m));
}
// nearest_int() as a float, for |v| < 2^22: the addition rounds to an integer (ties to even).
inline v4f roundInt(v4f v) {
    const v4f magic = splat(12582912.f);
    return (v + magic) - magic;
}

constexpr int kNv = 2; // vectors of 4 lanes: 8 blocks at a time

} // namespace

void makeQkx3Quants32x8(int nmax, const float* const* xs, const float* const* ws,
                        uint8_t* const* Ls, float* scaleOut, float* negMinOut) {
    constexpr float rmin = -0.9f, rdelta = 0.05f;
    constexpr int nstep = 36;
    const float fmax = static_cast<float>(nmax);
    v4f X[kN][kNv], W[kN][kNv], Lf[kN][kNv], La[kN][kNv];
    for (int j = 0; j < kN; ++j)
        for (int v = 0; v < kNv; ++v) {
            X[j][v] = v4f{xs[4 * v][j], xs[4 * v + 1][j], xs[4 * v + 2][j], xs[4 * v + 3][j]};
            W[j][v] = v4f{ws[4 * v][j], ws[4 * v + 1][j], ws[4 * v + 2][j], ws[4 * v + 3][j]};
        }
    v4f mn[kNv], mx[kNv], sumW[kNv], sumX[kNv], scale[kNv], bestMad[kNv], mn0[kNv];
    v4i degenerate[kNv];
    const v4f zero = splat(0.f), vmax = splat(fmax);
    for (int v = 0; v < kNv; ++v) {
        mn[v] = mx[v] = X[0][v];
        sumW[v] = W[0][v];
        sumX[v] = sumW[v] * X[0][v];
        for (int i = 1; i < kN; ++i) {
            mn[v] = sel(X[i][v] < mn[v], X[i][v], mn[v]);
            mx[v] = sel(X[i][v] > mx[v], X[i][v], mx[v]);
            sumW[v] += W[i][v];
            sumX[v] += W[i][v] * X[i][v];
        }
        mn[v] = sel(mn[v] > zero, zero, mn[v]);
        mn0[v] = mn[v];
        degenerate[v] = mx[v] <= mn[v];
        const v4f iscale = vmax / (mx[v] - mn[v]);
        scale[v] = splat(1.f) / iscale;
        bestMad[v] = zero;
        for (int i = 0; i < kN; ++i) {
            v4f l = roundInt(iscale * (X[i][v] - mn[v]));
            l = sel(l > vmax, vmax, l);
            l = sel(l < zero, zero, l);
            Lf[i][v] = l;
            v4f diff = scale[v] * l + mn[v] - X[i][v];
            diff = diff * diff;
            bestMad[v] += W[i][v] * diff;
        }
    }
    for (int is = 0; is <= nstep; ++is) {
        const float num = rmin + rdelta * static_cast<float>(is) + fmax;
        for (int v = 0; v < kNv; ++v) {
            const v4f iscale = splat(num) / (mx[v] - mn[v]);
            v4f sumL = zero, sumL2 = zero, sumXL = zero;
            for (int i = 0; i < kN; ++i) {
                const v4f t = iscale * (X[i][v] - mn[v]);
                const v4f l = sel(t > zero, roundInt(sel(t < vmax, t, vmax)), zero);
                La[i][v] = l;
                sumL += W[i][v] * l;
                sumL2 += W[i][v] * l * l;
                sumXL += W[i][v] * l * X[i][v];
            }
            const v4f D = sumW[v] * sumL2 - sumL * sumL;
            v4f thisScale = (sumW[v] * sumXL - sumX[v] * sumL) / D;
            v4f thisMin = (sumL2 * sumX[v] - sumL * sumXL) / D;
            const v4i positive = thisMin > zero;
            thisMin = sel(positive, zero, thisMin);
            thisScale = sel(positive, sumXL / sumL2, thisScale);
            v4f mad = zero;
            for (int i = 0; i < kN; ++i) {
                v4f diff = thisScale * La[i][v] + thisMin - X[i][v];
                diff = diff * diff;
                mad += W[i][v] * diff;
            }
            const v4i better = (D > zero) & (mad < bestMad[v]);
            for (int i = 0; i < kN; ++i)
                Lf[i][v] = sel(better, La[i][v], Lf[i][v]);
            bestMad[v] = sel(better, mad, bestMad[v]);
            scale[v] = sel(better, thisScale, scale[v]);
            mn[v] = sel(better, thisMin, mn[v]);
        }
    }
    for (int v = 0; v < kNv; ++v)
        for (int k = 0; k < 4; ++k) {
            const int lane = 4 * v + k;
            if (degenerate[v][k]) {
                std::memset(Ls[lane], 0, kN);
                scaleOut[lane] = 0.f;
                negMinOut[lane] = -mn0[v][k];
                continue;
            }
            for (int i = 0; i < kN; ++i)
                Ls[lane][i] = static_cast<uint8_t>(static_cast<int>(Lf[i][v][k]));
            scaleOut[lane] = scale[v][k];
            negMinOut[lane] = -mn[v][k];
        }
}

void makeQxQuants32x8(int nmax, const float* const* xs, const float* const* ws, uint8_t* const* Ls,
                      float* scaleOut) {
    const float fmax = static_cast<float>(nmax);
    v4f X[kN][kNv], WX[kN][kNv], W[kN][kNv], Lf[kN][kNv];
    for (int j = 0; j < kN; ++j)
        for (int v = 0; v < kNv; ++v) {
            X[j][v] = v4f{xs[4 * v][j], xs[4 * v + 1][j], xs[4 * v + 2][j], xs[4 * v + 3][j]};
            W[j][v] = v4f{ws[4 * v][j], ws[4 * v + 1][j], ws[4 * v + 2][j], ws[4 * v + 3][j]};
            WX[j][v] = W[j][v] * X[j][v];
        }
    const v4f zero = splat(0.f), lo = splat(-fmax), hi = splat(fmax - 1);
    v4f max[kNv], scale[kNv], best[kNv];
    v4i allZero[kNv];
    // codes l in [-nmax, nmax - 1] as floats, for one candidate iscale; returns the sums
    auto pass = [&](int v, v4f iscale, v4f* L, v4f* sumlx, v4f* suml2) {
        v4f slx = zero, sl2 = zero;
        for (int i = 0; i < kN; ++i) {
            v4f l = roundInt(iscale * X[i][v]);
            l = sel(l < hi, l, hi); // MAX(-nmax, MIN(nmax - 1, l))
            l = sel(l > lo, l, lo);
            L[i] = l;
            slx += WX[i][v] * l;
            sl2 += W[i][v] * l * l;
        }
        *sumlx = slx;
        *suml2 = sl2;
    };
    for (int v = 0; v < kNv; ++v) {
        v4f amax = zero, mx = zero;
        for (int i = 0; i < kN; ++i) {
            const v4f ax =
                reinterpret_cast<v4f>(reinterpret_cast<v4i>(X[i][v]) &
                                      (v4i{0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff}));
            const v4i larger = ax > amax;
            amax = sel(larger, ax, amax);
            mx = sel(larger, X[i][v], mx);
        }
        max[v] = mx;
        allZero[v] = amax < splat(kGroupMaxEps);
        v4f L[kN], sumlx, suml2;
        pass(v, splat(-fmax) / mx, L, &sumlx, &suml2);
        for (int i = 0; i < kN; ++i)
            Lf[i][v] = L[i];
        scale[v] = sel(suml2 != zero, sumlx / suml2, zero);
        best[v] = scale[v] * sumlx;
    }
    for (int is = -9; is <= 9; ++is) {
        if (is == 0)
            continue;
        const float num = -(fmax + 0.1f * static_cast<float>(is));
        for (int v = 0; v < kNv; ++v) {
            v4f L[kN], sumlx, suml2;
            pass(v, splat(num) / max[v], L, &sumlx, &suml2);
            const v4i better = (suml2 > zero) & (sumlx * sumlx > best[v] * suml2);
            for (int i = 0; i < kN; ++i)
                Lf[i][v] = sel(better, L[i], Lf[i][v]);
            const v4f s = sumlx / suml2;
            scale[v] = sel(better, s, scale[v]);
            best[v] = sel(better, s * sumlx, best[v]);
        }
    }
    for (int v = 0; v < kNv; ++v)
        for (int k = 0; k < 4; ++k) {
            const int lane = 4 * v + k;
            if (allZero[v][k]) {
                std::memset(Ls[lane], 0, kN);
                scaleOut[lane] = 0.f;
                continue;
            }
            for (int i = 0; i < kN; ++i)
                Ls[lane][i] = static_cast<uint8_t>(static_cast<int>(Lf[i][v][k]) + nmax);
            scaleOut[lane] = scale[v][k];
        }
}

} // namespace taskquant::quant::detail
