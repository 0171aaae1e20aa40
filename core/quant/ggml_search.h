#pragma once
// The scale searches behind llama.cpp's importance-weighted 32-weight block quantisers
// (ggml-quants.c), reimplemented in ggml's float order of operations so that results are
// bit-identical. Used by ggml_legacy.cpp; pure functions, thread-safe.
#include <cstdint>
#include <cstring>

namespace taskquant::quant::detail {

// ggml's nearest_int(): v + 1.5 * 2^23 rounds to an integer (ties to even) in the low
// mantissa bits. Exact for |v| < 2^22; beyond that it gives ggml's deterministic wrap-around.
inline int ggmlNearestInt(float v) {
    const float shifted = v + 12582912.f;
    int32_t bits;
    std::memcpy(&bits, &shifted, 4);
    return (bits & 0x007fffff) - 0x00400000;
}

// make_qx_quants(32, nmax, x, L, rmse_type 1, w): the scale d of x ~ d * (L - nmax) with
// codes L in [0, 2 nmax - 1], searching iscale = -(nmax + 0.1 k) / v (v = the value of
// largest magnitude, k = -9..9) for the largest (sum w x l)^2 / sum w l^2. All-zero blocks
// (|v| < 1e-15) give d = 0 and L = 0.
float makeQxQuants32(int nmax, const float* x, const float* w, uint8_t* L);

// make_qkx3_quants(32, nmax, x, w, L, &negMin, Laux, -0.9, 0.05, 36, false): the scale d and
// minimum -negMin (<= 0) of x ~ d * L - negMin with codes L in [0, nmax], minimising the
// weighted squared error over 37 candidate scales.
float makeQkx3Quants32(int nmax, const float* x, const float* w, uint8_t* L, float* negMin);

// makeQxQuants32 for 8 independent blocks at once, bit-identical to 8 calls.
void makeQxQuants32x8(int nmax, const float* const* xs, const float* const* ws, uint8_t* const* Ls,
                      float* scale);

// makeQkx3Quants32 for 8 independent blocks at once (block k: values xs[k], weights ws[k],
// codes to Ls[k], results scale[k] and negMin[k]); bit-identical to 8 calls, several times
// faster (the blocks run in vector lanes, each lane doing exactly the scalar operations).
void makeQkx3Quants32x8(int nmax, const float* const* xs, const float* const* ws,
                        uint8_t* const* Ls, float* scale, float* negMin);

} // namespace taskquant::quant::detail
