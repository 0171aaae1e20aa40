#pragma once
// Group-wise integer codecs (Format::IntSym, Format::IntAsym; 8 or 4 bits): the row kernels
// behind quant::encode/decode. Layout and arithmetic are documented in codec.h. Callers pass
// the whole tensor's buffers and a range of rows, so disjoint ranges can run on different
// threads. Inputs must be finite (codec.cpp checks); a scale that overflows fp16 throws
// taskquant::Error. Reentrant.
#include <cstdint>

#include "core/quant/precision.h"

namespace taskquant::quant::detail {

// Encoded bytes of one row of `cols` weights.
uint64_t intRowBytes(const Precision& p, int64_t cols);

void encodeIntRows(const Precision& p, const float* x, int64_t cols, int64_t rowBegin,
                   int64_t rowEnd, uint8_t* out);
void decodeIntRows(const Precision& p, const uint8_t* in, int64_t cols, int64_t rowBegin,
                   int64_t rowEnd, float* out);

} // namespace taskquant::quant::detail
