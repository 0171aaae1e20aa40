#pragma once
// bitsandbytes NF4 (4-bit NormalFloat) with blockwise absmax over the flattened tensor, block
// 64, fp32 absmax, no double quantisation: the block kernels behind quant::encode/decode.
// Layout (see codec.h): ceil(numel/2) code bytes, first element of each pair in the HIGH
// nibble (bitsandbytes' packing), then ceil(numel/64) little-endian fp32 absmax values.
// Callers pass the whole tensor's buffers and a range of blocks; disjoint ranges may run on
// different threads. Reentrant.
#include <cstdint>

namespace taskquant::quant::detail {

constexpr int64_t kNf4Block = 64;

// The 16 NF4 levels in code order (bitsandbytes' table, from the quantiles of N(0, 1)).
extern const float kNf4Levels[16];

// Code of a value already normalised by its block's absmax: bitsandbytes' dQuantizeNF4
// (strict comparisons with the midpoints between neighbouring levels).
int nf4Code(float normalized);

void encodeNf4(const float* x, int64_t numel, int64_t blockBegin, int64_t blockEnd, uint8_t* out);
void decodeNf4(const uint8_t* in, int64_t numel, int64_t blockBegin, int64_t blockEnd, float* out);

} // namespace taskquant::quant::detail
