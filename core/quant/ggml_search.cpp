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
