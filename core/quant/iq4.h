#pragma once
// ggml's non-linear 4-bit formats IQ4_NL and IQ4_XS, byte for byte (ggml-common.h):
//   block_iq4_nl (18 bytes per 32 weights):  fp16 d, uint8 qs[16];
//       x^_j = d * K[q_j]
//   block_iq4_xs (136 bytes per 256 weights): fp16 d, uint16 scales_h, uint8 scales_l[4],
//       uint8 qs[128]; eight sub-blocks of 32, sub-block i has a 6-bit scale
//       ls_i = (low nibble of scales_l[i/2] for even i, high nibble for odd i)
//              | (bits 2i..2i+1 of scales_h) << 4,
//       x^_j = d * (ls_i - 32) * K[q_j]
// with K = kvalues_iq4nl = {-127 -104 -83 -65 -49 -35 -22 -10 1 13 25 38 53 69 89 113}.
// In each 32-weight (sub-)block, weight j < 16 is the low nibble of qs[j], weight j + 16 the
// high nibble (qs advancing 16 bytes per sub-block).
//
// Quantisation is llama.cpp's quantize_iq4_nl / quantize_iq4_xs (quantize_row_iq4_nl_impl
// with ntry 7), which llama-quantize uses with and without an importance matrix:
//   sigma2 = 2 sum(x^2) / S over the super-block (S = 32 for nl, 256 for xs);
//   w_j = qw_j * sqrt(sigma2 + x_j^2) with importance, x_j^2 without;
//   per 32-weight block: v = the value of largest magnitude; codes = nearest level of
//   x * id for id = 127 / v and id = (t - 127) / v, t = -7..7, keeping the weighted
//   least-squares scale of the codes with the largest (sum w q x)^2 / sum w q^2;
//   nl: d = that scale, codes recomputed with 1 / d;
//   xs: d = -(scale of largest magnitude) / 32, ls_i = clamp(round(scale_i / d), -32, 31) + 32,
//       codes recomputed with 1 / (d * (ls_i - 32)).
// "Nearest level": the level whose midpoints bracket the value, the upper one on a tie.
// Blocks with |v| < 1e-15 get scale 0. Every float follows ggml's order of operations (this
// file is compiled without floating-point contraction), so the bytes are llama.cpp's.
//
// Error bound (tests/core/tst_ggml_golden roundTrip): every weight decodes to the level of its
// block's grid {a * K[i]} (a = d, or d * (ls - 32)) nearest to it, up to the fp16 rounding of
// the scale (2 * 127 * (|a| 2^-11 + 2^-24 |ls - 32|)); inside [-127 |a|, 113 |a|] that is
// |x - x^| <= 12 |a| (half the widest gap, 113 - 89) plus that slack.
//
// Callers pass whole buffers and a range of (super-)blocks of a tensor whose rows have
// `cols` columns (divisible by the block); importance is nullptr or `cols` weights (finite,
// >= 0), indexed by column. A scale that overflows fp16 throws taskquant::Error. Reentrant.
#include <cstdint>

namespace taskquant::quant::detail {

constexpr int64_t kIq4NlBlock = 32, kIq4NlBytes = 18;
constexpr int64_t kIq4XsBlock = 256, kIq4XsBytes = 136;

extern const int8_t kIq4nlValues[16];

void encodeIq4Nl(const float* x, int64_t cols, int64_t blockBegin, int64_t blockEnd,
                 const float* importance, uint8_t* out);
void decodeIq4Nl(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);
void encodeIq4Xs(const float* x, int64_t cols, int64_t blockBegin, int64_t blockEnd,
                 const float* importance, uint8_t* out);
void decodeIq4Xs(const uint8_t* in, int64_t blockBegin, int64_t blockEnd, float* out);

} // namespace taskquant::quant::detail
