#pragma once
// Encoding of float tensors into the storage precisions of precision.h, and back.
//
// Input is a row-major float tensor; "rows" run along the last dimension (a 1-D tensor is one
// row, a 0-D tensor one row of one element). encode() returns exactly
// Precision::bytes(shape) bytes in the layouts below (all multi-byte fields little-endian):
//
//   f32 / f16 / bf16   the values, row-major; f16 and bf16 rounded to nearest, ties to even.
//   int{8,4}_g{G}, int{8,4}_pc (symmetric)
//       per row, per group of G weights along the row (the last group may be shorter;
//       "pc" = one group per row): ceil(n*b/8) bytes of codes, then the fp16 scale.
//       scale = absmax / (2^(b-1) - 1), rounded to fp16 = s; q = round(x / s) (ties to even,
//       like torch.round) clamped to [-(2^(b-1)-1), 2^(b-1)-1]; x^ = q * s.
//       int8 codes are two's-complement bytes; int4 codes are stored as q + 8 (1..15), two
//       per byte, the earlier weight in the low nibble.
//   int{8,4}_..._asym  as above but codes are unsigned, followed by fp16 scale then fp16
//       minimum m: scale = (max - min) / (2^b - 1); q = round((x - m) / s) clamped to
//       [0, 2^b - 1]; x^ = q * s + m.
//   nf4    bitsandbytes NF4 (quant_type="nf4", blocksize 64, no double quantisation) over the
//       flattened tensor: ceil(numel/2) bytes of codes (first element in the HIGH nibble, an
//       odd tail padded with a zero low nibble), then one fp32 absmax per block of 64.
//       Code = nearest of the 16 NF4 levels to x * (1/absmax) via bitsandbytes' decision
//       tree; x^ = level * absmax.
//   q8_0 / q4_0  ggml's block_q8_0 / block_q4_0 byte for byte, quantised like ggml's
//       quantize_row_*_ref (see ggml_blocks.h).
//   q2_k / q3_k / q4_k / q5_k / q6_k  ggml's k-quant super-blocks byte for byte, quantised
//       like llama.cpp: quantize_row_*_ref without importance, the importance-weighted
//       quantize_row_*_impl with it (see kquants.h).
//
// Errors (taskquant::Error with a message naming the precision and the position): NaN or
// +-inf anywhere in the input; values too large for a format's fp16 fields (e.g. |x| beyond
// 65504 in f16, or a q8_0 block whose scale overflows fp16); shapes a format cannot hold
// (q4_k rows not divisible by 256, negative dimensions); decode() given a byte count other
// than Precision::bytes(shape). decode() accepts any bytes of the right length without
// crashing (hostile files decode to whatever their fields say, possibly inf/NaN).
//
// Threading: the functions are reentrant; large tensors are split over rows/blocks onto
// `threads` std::threads (0 = automatic, 1 = the calling thread only). The result does not
// depend on the thread count. They block until done.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/quant/precision.h"

namespace taskquant::quant {

// importance: nullptr, or one non-negative weight per column (shape.back() floats), the
// importance matrix entry llama.cpp calls quant_weights (an imatrix's mean squared activation
// per input column). The ggml block formats that llama.cpp quantises importance-weighted then
// produce llama.cpp's importance-weighted bytes; the other formats ignore it. A weight that is
// negative, NaN or infinite throws taskquant::Error naming its column.
// The 32-weight formats q4_1 / q5_0 / q5_1 (ggml_legacy.h) and iq4_nl / iq4_xs (iq4.h) are
// ggml's blocks byte for byte: without importance quantised like quantize_row_*_ref, with it
// like llama.cpp's quantize_row_*_impl (q4_0 too); iq4_nl / iq4_xs always run llama.cpp's
// search (weights x^2 without importance); q8_0 has no weighted path.
std::string encode(const Precision& precision, const float* data, const std::vector<int64_t>& shape,
                   int threads = 0, const float* importance = nullptr);

void decode(const Precision& precision, const uint8_t* bytes, std::size_t size,
            const std::vector<int64_t>& shape, float* out, int threads = 0);
std::vector<float> decode(const Precision& precision, const std::string& bytes,
                          const std::vector<int64_t>& shape, int threads = 0);

// decode(encode(x)): the values a model sees when its weights are stored in `precision`.
std::vector<float> fakeQuantize(const Precision& precision, const float* data,
                                const std::vector<int64_t>& shape, int threads = 0,
                                const float* importance = nullptr);

// Rows per block when a tensor of `rows` x `cols` is encoded or measured in blocks of rows of
// about `maxValues` values (at least one unit, at most all rows): a multiple of
// 256 / gcd(cols, 256) rows, so every block holds whole groups of 256 values. Every codec is local
// to a row (ggml's blocks, the int groups) or to 64 consecutive values (nf4), so the blocks encode,
// one by one, to the values the whole tensor decodes to.
int64_t rowsPerBlock(int64_t rows, int64_t cols, int64_t maxValues);

// Mean squared difference of two arrays of n floats (0 for n == 0), accumulated in double.
double mse(const float* a, const float* b, std::size_t n);
// mse between a tensor and its fake-quantised version.
double quantizationMse(const Precision& precision, const float* data,
                       const std::vector<int64_t>& shape, int threads = 0,
                       const float* importance = nullptr);

} // namespace taskquant::quant
