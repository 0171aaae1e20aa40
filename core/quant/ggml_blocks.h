#pragma once
// ggml's block formats Q8_0 and Q4_0 (32 weights per block), byte for byte as ggml lays them
// out and quantised like ggml's quantize_row_q8_0_ref / quantize_row_q4_0_ref:
//   block_q8_0 (34 bytes): fp16 d, int8 qs[32];  d = absmax / 127, q = roundf(x / d)
//       (ties away from zero), x^ = q * d.
//   block_q4_0 (18 bytes): fp16 d, uint8 qs[16]; d = m / -8 where m is the value of largest
//       magnitude (first one on ties), q = min(15, trunc(x / d + 8.5)), stored with weight j
//       in the low nibble of qs[j] and weight j + 16 in the high nibble; x^ = (q - 8) * d.
// Codes are computed with the fp32 d (as ggml does); the stored fp16 d is used to decode.
// Callers pass the whole buffers and a block range (blocks are independent). A d that
// overflows fp16 throws taskquant::Error. Reentrant.
#include <cstdint>

namespace taskquant::quant::detail {

constexpr int64_t kQ8_0Block = 32, kQ8_0Bytes = 34;
constexpr int64_t kQ4_0Block = 32, kQ4_0Bytes = 18;

void encodeQ8_0(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out);
void decodeQ8_0(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);
void encodeQ4_0(const float* x, int64_t blockBegin, int64_t blockEnd, uint8_t* out);
void decodeQ4_0(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);

} // namespace taskquant::quant::detail
