#pragma once
// Evaluating a GGUF file: the weights of a GGUF (written by `taskquant export`, llama.cpp's
// convert_hf_to_gguf.py or llama-quantize) put into a model loaded from its Hugging Face
// directory, so the evaluation sees exactly the values llama.cpp dequantizes from the file.
//
// Mapping: every model parameter is looked up by its GGUF name (models::ggufTensorName of
// the architecture of config.json's model_type); general.architecture must be that
// architecture. Each tensor is dequantized with quant::decode for its GGUF type
// (io::GgufFile::dequantize) and must have the parameter's shape. For `llama`, q_proj / k_proj
// rows (weights and biases) are un-permuted (exporting::unpermuteQkRows with
// llama.attention.head_count / head_count_kv of the file, falling back to config.json), the
// inverse of the permutation convert_hf_to_gguf.py and our exporter apply. A tied model takes
// token_embd for both ends; an output.weight in the file is then accepted only when it holds
// the same values (llama.cpp would use it for the head, which this model cannot untie).
// rope_freqs.weight is ignored (computed from config.json); other extra tensors give a note.
//
// llama.cpp's CPU arithmetic (on by default for GGUF rows): ggml's CPU matrix product does not
// multiply by the dequantized matrix in float32; it first converts the activations to the
// matrix type's vec_dot type, per row of the input (ggml-cpu type_traits_cpu):
//   q4_0, q5_0, q8_0, iq4_nl -> q8_0: blocks of 32, d = amax / 127 stored as fp16,
//       q = round(x * 127 / amax) (ties to even); x' = q * d.   q4_1, q5_1 -> q8_1 (same values)
//   q2_k .. q6_k, iq4_xs -> q8_K: blocks of 256, m = the value of largest |x|,
//       iscale = -127 / m, q = min(127, round(iscale * x)); x' = q / iscale (float32 scale)
//   f16 -> f16, bf16 -> bf16 (x rounded to nearest even); f32 -> unchanged.
// ggmlCpuActivations applies that rounding, so a GGUF row gives llama-perplexity's (CPU) figures;
// with it off, the row is the plain float32 evaluation of the dequantized weights (equal to the
// in-memory policy evaluation of the file's precisions). Other runtimes round differently
// (llama.cpp's CUDA kernels use q8_1 activations or f16 cuBLAS), so this is the CPU reference.
//
// Errors (taskquant::Error naming the GGUF file and the tensor): not a GGUF, another
// architecture, a missing tensor, a shape mismatch, a type without a decoder here (e.g. IQ2),
// non-finite dequantized values. Blocking; not thread-safe per model.
#include <ATen/ATen.h>
#include <cstdint>
#include <string>
#include <vector>

#include "core/io/gguf_types.h"
#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"

namespace taskquant::eval {

struct GgufWeightsInfo {
    uint64_t bytes = 0;              // tensor bytes of the file used by the model
    std::vector<std::string> notes;  // extra tensors, ignored ones
    std::vector<io::GgmlType> types; // per parameter (model order): the file's type
};

// x (any shape, rows along the last dimension) rounded as llama.cpp's CPU backend rounds the
// input of a matrix of type `weightType` (see above). Returns x itself for f32 and for types
// without a known vec_dot type. Throws taskquant::Error when the rows do not divide the block.
at::Tensor ggmlCpuActivations(io::GgmlType weightType, const at::Tensor& x);

// Overwrites the parameters of `model` with the file's tensors; with `out`, leaves the model
// alone and fills *out (one fp32 tensor per parameter, model order) instead. On an error the
// model is left partly overwritten; callers keep a copy (or use `out`, as GgufWeightSwap does).
GgufWeightsInfo loadGgufWeights(models::CausalLM& model, const std::string& ggufPath,
                                const JobControl& job = {}, std::vector<at::Tensor>* out = nullptr);

// apply() reads a GGUF's dequantized tensors (restoring first) and installs them as the model's
// WeightSource (the model's own weights are never copied nor changed); restore() removes the
// source and the transform and frees them. A failed apply() restores before rethrowing. The
// destructor restores too.
class GgufWeightSwap {
  public:
    explicit GgufWeightSwap(models::CausalLM& model);
    ~GgufWeightSwap();
    GgufWeightSwap(const GgufWeightSwap&) = delete;
    GgufWeightSwap& operator=(const GgufWeightSwap&) = delete;
    // llamaCppCpuArithmetic: also install ggmlCpuActivations as the model's linear-input
    // transform (until restore()).
    GgufWeightsInfo apply(const std::string& ggufPath, const JobControl& job = {},
                          bool llamaCppCpuArithmetic = true);
    void restore();

  private:
    models::CausalLM& model_;
    std::vector<at::Tensor> weights_; // the file's, dequantized (fp32), while applied
};

} // namespace taskquant::eval
