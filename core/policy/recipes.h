#pragma once
// llama.cpp's named quantization mixes ("file types", LLAMA_FTYPE_MOSTLY_*) as TaskQuant
// policies: the per-tensor type llama-quantize chooses (llama-quant.cpp, llama_tensor_get_type
// of llama.cpp 0a50d99), reproduced from a model's tensor names, shapes and config.
//
// Names (case-insensitive, as llama-quantize accepts them): Q2_K, Q3_K_S, Q3_K_M, Q3_K_L,
// Q4_K_S, Q4_K_M, Q5_K_S, Q5_K_M, Q6_K, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL, IQ4_XS, F16, BF16,
// F32, and the aliases Q3_K = Q3_K_M, Q4_K = Q4_K_M, Q5_K = Q5_K_M.
//
// The rules, on llama.cpp's GGUF tensor names (models::ggufTensorName), in llama.cpp's
// tensor order (non-block tensors first, then block by block, names sorted within a block):
//  - 1-D tensors, norms and names not ending in "weight" are not quantized: f32.
//  - every other tensor starts at the mix's base type (Q4_K_M: q4_k, ...), then, for the
//    quantized mixes (not with `pure`):
//    output.weight, and token_embd.weight when the model has no output.weight (tied):
//      q8_0 if its rows do not divide the base type's block, else q6_k (q8_0 stays q8_0);
//    attn_v (counted i of n over the model's attn_v/attn_qkv tensors):
//      Q2_K: q4_k if n_head/n_head_kv >= 4 else q3_k;  Q3_K_M: q5_k for i < 2 else q4_k;
//      Q3_K_L: q5_k;  IQ4_NL/IQ4_XS: q5_k if n_gqa >= 4;  Q4_K_M/Q5_K_M: q6_k if
//      use_more_bits(i, n) = i < n/8 || i >= 7n/8 || (i - n/8) % 3 == 2;
//      Q4_K_S: q5_k for i < 4;  a Llama 70B (80 layers, GQA): q3_k/q4_k -> q5_k;
//    ffn_down (layer i of n_layer):
//      Q2_K: q3_k;  Q3_K_M: q5_k for i < n/16 else q4_k;  Q3_K_L: q5_k;
//      Q4_K_M/Q5_K_M: q6_k if use_more_bits(i, n);  IQ4_NL/IQ4_XS without an imatrix: q5_k for
//      i < n/8;  Q4_K_S: q5_k for i < n/8;  Q4_0/Q5_0 with an imatrix: q4_1/q5_1 for i < n/8;
//    attn_output: Q2_K: q3_k;  Q3_K_M: q4_k;  Q3_K_L: q5_k;
//    attn_qkv: Q3_K_M/Q3_K_L: q4_k;  Q4_K_M: q5_k;  Q5_K_M: q6_k;
//  - finally the shape fallback of quant::llamaFallback (q4_k -> q5_0, ...), each reported.
// Mixture-of-experts and Falcon rules are not ported (no such architecture is exported).
// Pure functions, thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/policy/policy.h"
#include "core/quant/precision.h"

namespace taskquant::policy {

struct RecipeInfo {
    std::string name;      // canonical upper-case name, e.g. "Q4_K_M"
    uint32_t fileType = 0; // LLAMA_FTYPE_* (general.file_type)
    quant::Precision base; // the mix's default tensor type
};

// The mix of that name (case-insensitive, aliases resolved); nullopt for unknown names.
std::optional<RecipeInfo> findRecipe(const std::string& name);
// Like findRecipe, but throws taskquant::Error listing the known names.
RecipeInfo recipe(const std::string& name);
// Canonical names of every mix this build knows, in llama-quantize's order.
const std::vector<std::string>& recipeNames();
// The canonical mix name of a LLAMA_FTYPE_* id, or nullopt.
std::optional<std::string> recipeNameOfFileType(uint32_t fileType);

struct RecipeTensor {
    std::string name;           // Hugging Face name
    std::vector<int64_t> shape; // row-major, as the checkpoint stores it
};

struct RecipeModel {
    std::string arch; // GGUF architecture: "llama" or "phi2" (models::ggufArchitecture)
    int64_t layers = 0;
    int64_t heads = 0;
    int64_t kvHeads = 0;
    std::vector<RecipeTensor> tensors;
};

struct RecipeOptions {
    bool imatrix = false; // choose as llama-quantize does when given an importance matrix
    bool pure = false;    // llama-quantize --pure: the base type everywhere (fallbacks apply)
};

struct RecipeChoice {
    std::string name; // Hugging Face name
    std::string ggufName;
    std::vector<int64_t> shape;
    quant::Precision type; // the type llama-quantize stores
    std::string note;      // a shape fallback, if any
};

struct RecipeResult {
    RecipeInfo recipe;
    std::vector<RecipeChoice> tensors; // in the model's order
    std::vector<std::string> notes;    // "<name>: <fallback>", one per fallback
    Policy policy;                     // default = base type, explicit fields and overrides so that
                   // policy.precisionFor(name) == tensors[i].type for every tensor
};

// Throws taskquant::Error for an unknown mix, an unsupported architecture or a tensor with no
// GGUF name.
RecipeResult applyRecipe(const std::string& name, const RecipeModel& model,
                         const RecipeOptions& options = {});

// The model of a Hugging Face directory: config.json and the safetensors headers (no weights).
RecipeModel recipeModelFromDirectory(const std::string& dir);

} // namespace taskquant::policy
