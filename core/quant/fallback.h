#pragma once
// llama.cpp's shape fallback: what llama-quantize stores when a tensor's rows (its last
// dimension, ggml's ne[0]) are not a multiple of the chosen type's block (llama-quant.cpp,
// the "convert_incompatible_tensor" switch of llama_tensor_get_type, llama.cpp 0a50d99):
//   q2_k, q3_k, iq4_xs -> iq4_nl     q4_k -> q5_0     q5_k -> q5_1     q6_k -> q8_0
// and when the fallback's 32-block does not fit either: f16.
// llama.cpp defines no fallback for its 32-blocks (q4_0 q4_1 q5_0 q5_1 q8_0 iq4_nl) and refuses
// such a tensor; TaskQuant stores it f16 instead and says so in the note. f32, f16, bf16 and
// TaskQuant's own formats (int*, nf4) hold any row length and never fall back.
// Pure functions, thread-safe.
#include <cstdint>
#include <string>

#include "core/quant/precision.h"

namespace taskquant::quant {

// The precision a tensor with rows of `rowLength` weights gets when `requested` is asked for.
// *note (if given) receives a one-line explanation when it differs from `requested`, and is
// cleared otherwise.
Precision llamaFallback(const Precision& requested, int64_t rowLength, std::string* note = nullptr);

} // namespace taskquant::quant
