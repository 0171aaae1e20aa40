#pragma once
// ggml's "legacy" 32-weight block formats Q4_1, Q5_0 and Q5_1 (Q4_0 and Q8_0 are in
// ggml_blocks.h), byte for byte as ggml-common.h lays them out (fp16 fields little-endian):
//   block_q4_1 (20 bytes): fp16 d, fp16 m, uint8 qs[16];       x^ = q * d + m, q in 0..15
//   block_q5_0 (22 bytes): fp16 d, uint8 qh[4], uint8 qs[16];   x^ = (q - 16) * d, q in 0..31
//   block_q5_1 (24 bytes): fp16 d, fp16 m, uint8 qh[4], qs[16]; x^ = q * d + m,    q in 0..31
// Weight j (0..15) has its low four bits in the low nibble of qs[j], weight j + 16 in the
// high nibble; for the 5-bit formats bit 4 of weight j is bit j of the little-endian 32-bit
// qh (weights 0..31 in bits 0..31).
//
// Without importance (quantize_row_*_ref):
//   q4_1 / q5_1: d = (max - min) / (2^b - 1), m = min, q = trunc((x - min) / d + 0.5)
//                (q4_1 clamps to 15; q5_1 keeps only the low five bits, as ggml does).
//   q5_0:        d = v / -16 where v is the value of largest magnitude (the first on ties),
//                q = min(31, trunc(x / d + 16.5)).
// With importance (quantize_row_*_impl, one row at a time, llama.cpp's quant_weights qw[]):
//   sigma2 = sum(x^2) / cols over the whole row; per block w_j = qw_j * sqrt(sigma2 + x_j^2);
//   q4_0 / q5_0: make_qx_quants (nmax 8 / 16): start from iscale = -nmax / v, then try
//                iscale = -(nmax + 0.1 k) / v for k = -9..9 and keep the codes maximising
//                (sum w x l)^2 / sum w l^2; d = the least-squares scale of those codes.
//                (q4_0 codes are l + 8 in 0..15: the weighted path stores the fit's codes.)
//   q4_1 / q5_1: make_qkx3_quants (nmax 15 / 31, rmin -0.9, rdelta 0.05, 37 steps): the
//                weighted least-squares scale and minimum (minimum <= 0) over
//                iscale = (nmax - 0.9 + 0.05 k) / (max - min), keeping the smallest
//                weighted squared error; m = -(that minimum).
// Every float is computed in ggml's order of operations, so the bytes are ggml's (this file
// is compiled without floating-point contraction, as ggml's reference code is).
// Codes are computed with the fp32 scales; the stored fp16 fields are what decode uses.
//
// Error bound without importance (tests/core/tst_ggml_golden roundTrip): codes are the
// nearest level for the fp32 scale, so |x - x^| <= d/2 + (2^b - 1) e_d + e_m for q4_1 / q5_1
// (d = (max - min) / (2^b - 1), e_* the fp16 rounding errors of d and m, <= |v| 2^-11 + 2^-24)
// and |x - x^| <= |d|/2 + 2^(b-1) e_d for q5_0, except |d| at the clamped end (x = -v).
// With importance the codes come from the search's candidate scale while d is the
// least-squares scale of those codes: no per-element bound beyond the block's range.
//
// Callers pass whole buffers; the ref encoders and the decoders take a block range, the
// weighted encoders a row range of a [rows, cols] tensor (cols divisible by 32) plus `cols`
// importance weights (finite, >= 0). A scale or minimum that overflows fp16 throws
// taskquant::Error naming the format and the block. Reentrant.
#include <cstdint>

namespace taskquant::quant::detail {

constexpr int64_t kQ4_1Block = 32, kQ4_1Bytes = 20;
constexpr int64_t kQ5_0Block = 32, kQ5_0Bytes = 22;
constexpr int64_t kQ5_1Block = 32, kQ5_1Bytes = 24;

void encodeQ4_1(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out);
void decodeQ4_1(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);
void encodeQ5_0(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out);
void decodeQ5_0(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);
void encodeQ5_1(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out);
void decodeQ5_1(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);

// Importance-weighted, rows [rowBegin, rowEnd) of a tensor with `cols` columns.
void encodeQ4_0Weighted(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                        const float* importance, uint8_t* out);
void encodeQ4_1Weighted(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                        const float* importance, uint8_t* out);
void encodeQ5_0Weighted(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                        const float* importance, uint8_t* out);
void encodeQ5_1Weighted(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                        const float* importance, uint8_t* out);

} // namespace taskquant::quant::detail
