#pragma once
// ggml's k-quant super-block formats Q2_K, Q3_K, Q4_K, Q5_K and Q6_K, byte for byte as
// ggml-common.h lays them out (QK_K = 256 weights per super-block, all fp16 fields
// little-endian), quantised exactly like llama.cpp's ggml-quants.c:
//
//   block_q2_K (84 B):  uint8 scales[16], uint8 qs[64], fp16 d, fp16 dmin.
//       16 sub-blocks of 16; scales[j] = 4-bit scale (low nibble) | 4-bit min << 4.
//       Weight 128h + 32s + l (h < 2, s < 4, l < 32) is the 2-bit field s of qs[32h + l].
//       x^ = d * (scales[j] & 15) * q - dmin * (scales[j] >> 4), q in 0..3.
//   block_q3_K (110 B): uint8 hmask[32], uint8 qs[64], uint8 scales[12], fp16 d.
//       16 sub-blocks of 16 with signed 6-bit scales sc_j (stored + 32): low nibbles in
//       scales[0..7] (j < 8 low half, j >= 8 high half of scales[j - 8]), top two bits in
//       scales[8 + j % 4] at bit 2 * (j / 4). Low two code bits as in q2_K; the third bit of
//       weight w is bit w / 32 of hmask[w % 32]. x^ = d * (sc_j - 32) * (q - 4), q in 0..7.
//   block_q4_K (144 B): fp16 d, fp16 dmin, uint8 scales[12], uint8 qs[128].
//       8 sub-blocks of 32 with 6-bit scale and min packed as get_scale_min_k4 reads them
//       (j < 4: low six bits of scales[j] and scales[j + 4]; j >= 4: the nibbles of
//       scales[j + 4] plus the top two bits of scales[j - 4] and scales[j]). Weight l of the
//       pair (2i, 2i + 1) is the low nibble of qs[32i + l] (sub-block 2i) or the high one.
//       x^ = d * sc_j * q - dmin * m_j, q in 0..15.
//   block_q5_K (176 B): fp16 d, fp16 dmin, uint8 scales[12], uint8 qh[32], uint8 qs[128].
//       As q4_K with a fifth code bit: weight 64i + l (l < 32) has its fifth bit in bit 2i
//       of qh[l], weight 64i + 32 + l in bit 2i + 1. q in 0..31.
//   block_q6_K (210 B): uint8 ql[128], uint8 qh[64], int8 scales[16], fp16 d.
//       16 sub-blocks of 16 with signed 8-bit scales. Weight 128h + 32s + l: low nibble in
//       ql[64h + l + 32 (s & 1)] (high nibble for s >= 2), top two bits in bits 2s of
//       qh[32h + l]. x^ = d * scales[j] * (q - 32), q in 0..63.
//
// Without importance (importance == nullptr) the bytes are those of quantize_row_qX_K_ref;
// with it those of quantize_row_qX_K_impl (what llama-quantize --imatrix writes):
// importance[c] weights column c of every row (llama.cpp's quant_weights). All arithmetic is
// in float in ggml's order of operations (built without -ffast-math and without fused
// multiply-adds), so the bytes match llama.cpp's bit for bit.
//
// Error bounds (tests/core/tst_kquants.cpp, Gaussian weights with outliers, 512 x 1536):
// relative RMS round-trip error below 0.35 (q2_k), 0.19 (q3_k), 0.095 (q4_k), 0.048 (q5_k)
// and 0.025 (q6_k), with or without importance (measured 0.30, 0.16, 0.075, 0.038, 0.020
// without). Importance lowers the importance-weighted error instead. Tiny super-blocks lose
// precision as their fp16 scales become subnormal and then zero (below a value range of about
// 3e-6 for q2_k, 8e-6 q3_k, 6e-5 q4_k, 1.2e-4 q5_k, 2.5e-4 q6_k); like llama.cpp's, they then
// decode with absolute errors of the order of their magnitude (at most ~2.3x max |x|).
//
// Encoders take the whole input (rows of `cols` floats, cols a multiple of 256) and the whole
// output buffer and process rows [rowBegin, rowEnd). Decoders take a super-block range and
// reproduce dequantize_row_qX_K exactly. Errors (taskquant::Error naming the format, row and
// super-block): magnitudes whose scales cannot be stored in fp16; importance weights that are
// negative or not finite. Reentrant, no shared state.
#include <cstdint>

namespace taskquant::quant::detail {

constexpr int64_t kQK_K = 256;
constexpr int64_t kQ2_KBytes = 84, kQ3_KBytes = 110, kQ4_KBytes = 144, kQ5_KBytes = 176,
                  kQ6_KBytes = 210;
constexpr int64_t kQ4_KBlock = kQK_K; // kept for existing callers

void encodeQ2_K(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                const float* importance, uint8_t* out);
void encodeQ3_K(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                const float* importance, uint8_t* out);
void encodeQ4_K(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                const float* importance, uint8_t* out);
void encodeQ5_K(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                const float* importance, uint8_t* out);
void encodeQ6_K(const float* x, int64_t cols, int64_t rowBegin, int64_t rowEnd,
                const float* importance, uint8_t* out);

void decodeQ2_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);
void decodeQ3_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);
void decodeQ4_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);
void decodeQ5_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);
void decodeQ6_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);

// The 6-bit scale and minimum of sub-block j (0..7) of q4_K / q5_K from the 12 packed bytes.
void kScaleMin(int j, const uint8_t* packed, uint8_t* scale, uint8_t* min);

} // namespace taskquant::quant::detail
