#pragma once
// ggml's Q4_K super-block format, byte for byte (block_q4_K, 144 bytes per 256 weights):
//   fp16 d, fp16 dmin, uint8 scales[12], uint8 qs[128].
// The 256 weights form 8 sub-blocks of 32; sub-block j has a 6-bit scale sc_j and a 6-bit
// minimum m_j, packed into scales[12] as ggml's get_scale_min_k4 reads them (j < 4: low six
// bits of scales[j] and scales[j+4]; j >= 4: the nibbles of scales[j+4] plus the top two bits
// of scales[j-4] and scales[j]). Weight l of the 64-weight pair (2i, 2i+1) lies in the low
// nibble of qs[32i + l] for sub-block 2i and in the high nibble for sub-block 2i+1.
// x^ = d * sc_j * q - dmin * m_j.
// Quantisation follows ggml's quantize_row_q4_K_ref: per sub-block a weighted least-squares
// search over scale and minimum (make_qkx2_quants, weights av|x| + |x|, 21 candidate scales),
// 6-bit quantisation of the scales and minimums relative to their largest, then the codes
// recomputed with the quantised values. All in float, in ggml's order of operations, so the
// bytes match ggml's for the same input (barring compiler-fused multiply-adds).
// Callers pass the whole buffers and a block range. Magnitudes whose scale cannot be stored
// in fp16 throw taskquant::Error. Reentrant.
#include <cstdint>

namespace taskquant::quant::detail {

constexpr int64_t kQ4_KBlock = 256, kQ4_KBytes = 144;

// The 6-bit scale and minimum of sub-block j (0..7) from the 12 packed bytes.
void q4kScaleMin(int j, const uint8_t* packed, uint8_t* scale, uint8_t* min);

void encodeQ4_K(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out);
void decodeQ4_K(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);

} // namespace taskquant::quant::detail
