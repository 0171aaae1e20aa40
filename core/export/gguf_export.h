#pragma once
// GGUF (version 3) export of a Hugging Face model directory under a policy, in the layout
// llama.cpp loads (architectures `llama` and `phi2`; keys and tensor names as
// convert_hf_to_gguf.py and gguf-py write them, see gguf_names.h).
//
// Tensor types: every tensor gets the policy's precision after the shape fallback of
// exporting::fitPrecision (llama-quantize's fallback rule, the same the in-memory evaluation uses).
// Then, as llama.cpp's converter requires, 1-D tensors, norms and biases are stored as F32
// (holding the values fake-quantized at that precision, so they equal the evaluated weights
// exactly); matrices are stored in the GGUF type of that precision (F32, F16, BF16 and every
// block format of quant::Precision::ggufBlockNames()). Precisions GGUF has no type for
// (int8_g*, int4_g*, nf4) are substituted (8-bit -> Q8_0, 4-bit -> Q4_K, or Q4_0 / F16 when
// rows do not fit) and every substitution is reported in the notes; ggufEquivalentPolicy()
// gives the policy whose in-memory evaluation is exactly the file.
// general.file_type: the LLAMA_FTYPE_* of the policy's llama.cpp mix when its scheme names one
// ("llama_mix", as policy::applyRecipe writes), else llama_model_loader's guess from the
// dominant (by bytes) matrix type: q3_k/q4_k/q5_k -> the _M mixes, q2_k -> Q2_K, etc.
// `llama` q_proj / k_proj rows are permuted as convert_hf_to_gguf's LlamaModel.permute does
// (row-local codecs make this commute with quantization); a llama3 rope scaling adds the
// rope_freqs tensor. The tokenizer is embedded: sentencepiece as tokenizer.ggml.model "llama"
// with scores and token types, byte-level BPE as "gpt2" with merges and tokenizer.ggml.pre
// named as llama.cpp names it (gpt-2, phi-2, llama-bpe, qwen2, smollm).
//
// Streaming: one tensor is read, converted and written at a time. Atomic (temporary file +
// rename); cancellable between tensors; a failure leaves no file. Blocking.
#include <functional>
#include <string>
#include <vector>

#include "core/export/apply_policy.h"
#include "core/export/gguf_story.h"
#include "core/io/gguf_types.h"
#include "core/io/gguf_value.h"
#include "core/jobs/progress.h"
#include "core/models/model_config.h"
#include "core/policy/policy.h"

namespace taskquant::exporting {

struct GgufTensorPlan {
    std::string hfName; // empty for generated tensors (rope_freqs)
    std::string ggufName;
    exporting::TensorPlan plan; // policy precision after the shape fallback
    io::GgmlType type = io::GgmlType::F32;
    quant::Precision stored; // the precision the file's values correspond to
    bool permuteHeads = false;
    int64_t heads = 0; // for the q/k permutation
};

struct GgufPlan {
    std::string arch;
    std::vector<GgufTensorPlan> tensors;
    std::vector<std::string> notes; // fallbacks and substitutions, one line each
};

// How planGguf stores one tensor whose policy precision after the shape fallback is `effective`:
// 1-D tensors, norms and non-".weight" tensors as F32 (ggufVectorLike), matrices in the GGUF
// type of `effective`, or a substitute when GGUF has none (substituted = true).
struct GgufStorage {
    io::GgmlType type = io::GgmlType::F32;
    quant::Precision stored;
    bool substituted = false;
};
bool ggufVectorLike(const std::string& ggufName, const std::vector<int64_t>& shape);
GgufStorage ggufTensorStorage(const std::string& ggufName, const std::vector<int64_t>& shape,
                              const quant::Precision& effective);

// What the size of a GGUF file of this model depends on besides its tensor types: the tensors
// exportGguf writes (plan, under a default policy: names, shapes, copies such as phi2's tied
// output, generated tensors) and the bytes before the data, which no tensor type changes
// (types are fixed-width fields). The file's size under any policy is
//   headerBytes + sum over plan.tensors of pad(ggmlTensorBytes(type, shape), alignment).
// Reads config.json, the safetensors headers and the tokenizer. Blocking.
struct GgufFileLayout {
    GgufPlan plan;
    uint64_t headerBytes = 0;
    uint32_t alignment = 32;
};
GgufFileLayout ggufFileLayout(const std::string& modelDir);

// The plan for a model directory's checkpoint (names and shapes read from its headers).
GgufPlan planGguf(const std::string& modelDir, const policy::Policy& policy);

// `policy` with an override for every tensor, set to the precision the GGUF file stores.
policy::Policy ggufEquivalentPolicy(const policy::Policy& policy, const GgufPlan& plan);

struct ExportResult {
    uint64_t bytes = 0;             // size of the written file
    std::vector<std::string> notes; // fallbacks and substitutions
};

// importance: per Hugging Face tensor name (see quant::ImportanceLookup); the matrices it knows
// are quantized importance-weighted, as llama-quantize --imatrix does.
// story: when given, its keys are added to the metadata (gguf_story.h: provenance, policy,
// quantize.imatrix.*). It changes only the metadata, never a tensor byte.
ExportResult exportGguf(const std::string& modelDir, const policy::Policy& policy,
                        const std::string& outPath, const JobControl& job = {},
                        const quant::ImportanceLookup& importance = {},
                        const GgufStory* story = nullptr);

// llama_ftype of a file whose weight matrices are mostly (by bytes) of this type.
uint32_t llamaFileType(io::GgmlType mostlyType);
// The general.file_type exportGguf writes for this policy and plan (see above).
uint32_t ggufFileType(const policy::Policy& policy, const GgufPlan& plan);

} // namespace taskquant::exporting
