#pragma once
// The story a TaskQuant GGUF carries: how it was made, as GGUF metadata, and read back.
//
// Keys written (GGUF naming: lowercase, dot-separated, snake_case; all small):
//   quantize.imatrix.file           STRING  the imatrix path as given (first 127 bytes)   \ exactly
//   as quantize.imatrix.dataset        STRING  its first dataset (first 127 bytes), if any     |
//   llama-quantize quantize.imatrix.entries_count  UINT32  entries in the imatrix | --imatrix
//   quantize.imatrix.chunks_count   UINT32  its chunk count, only when > 0                 / writes
//   them general.quantized_by            STRING  "TaskQuant Studio" general.base_model.count UINT32
//   1, and general.base_model.0.name STRING (GGUF's
//                                           base-model convention), when a base model is known
//   taskquant.version               STRING  tool version
//   taskquant.llama_cpp.commit      STRING  the llama.cpp commit whose rules and bytes the
//                                           export matches (kLlamaCppCommit)
//   taskquant.policy                STRING  the policy as compact JSON (Policy::toJson, no
//                                           size estimate), at most kMaxStoryPolicyBytes
//   taskquant.policy.method         STRING  how it was chosen (optimal, pct, llama_mix, ...)
//   taskquant.task.dataset          STRING  calibration task (from the map or the policy)
//   taskquant.task.samples          UINT32  calibration samples  \ only when a map was given
//   taskquant.task.tokens           UINT64  calibration tokens    |
//   taskquant.task.hash             STRING  FNV-1a 64 (16 hex) of the task's description in the
//                                           map: method, dataset, samples, tokens, settings
//   taskquant.map.file              STRING  the map the policy was made from
//   taskquant.map.method            STRING  its sensitivity method
//   taskquant.map.fingerprint       STRING  FNV-1a 64 (16 hex) of the map file's bytes, when read
//   taskquant.map.model_fingerprint STRING  the weights the map was measured on
//   taskquant.budget.bits_per_weight FLOAT32 the allocator's target (average bits), when set
//   taskquant.budget.bytes          UINT64  the allocator's byte budget, when known
//   taskquant.predicted.kld         FLOAT32 the damage model's prediction (optimal policies)
//   taskquant.measured.kld          FLOAT32 \ from an evaluation report, when given
//   taskquant.measured.ppl          FLOAT32  |
//   taskquant.measured.text         STRING  / the evaluation text
// Empty or unknown values are left out. Reading is strict: a taskquant.* or quantize.imatrix.*
// key of the wrong type, a taskquant.policy over kMaxStoryPolicyBytes, not valid JSON or not a
// valid policy throws one taskquant::Error naming the file and the key. Value types.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/io/gguf_reader.h"
#include "core/io/gguf_value.h"
#include "core/io/imatrix_file.h"
#include "core/policy/policy.h"

namespace taskquant::sensitivity {
class SensitivityMap;
}

namespace taskquant::exporting {

// The llama.cpp commit whose quantization rules (llama-quantize's type choices, fallbacks) and
// codec bytes this build reproduces; the goldens in ../shared/golden/ggml were made with it.
constexpr const char* kLlamaCppCommit = "0a50d9909a3478e82679f505bf8595d1eee4b0a8";
constexpr std::size_t kMaxStoryPolicyBytes = std::size_t(1) << 20;

struct GgufStory {
    std::string quantizedBy = "TaskQuant Studio";
    std::string toolVersion;    // filled by storyFor
    std::string llamaCppCommit; // filled by storyFor
    std::string baseModel;
    std::optional<policy::Policy> policy;
    std::string policyMethod;
    // calibration task
    std::string taskDataset;
    std::optional<int64_t> taskSamples, taskTokens;
    std::string taskHash;
    // the map
    std::string mapFile, mapMethod, mapFingerprint, mapModelFingerprint;
    // budget and damage
    std::optional<double> budgetBitsPerWeight;
    std::optional<uint64_t> budgetBytes;
    std::optional<double> predictedKld;
    std::optional<double> measuredKld, measuredPpl;
    std::string measuredText;
    // quantize.imatrix.* (llama-quantize's keys)
    std::string imatrixFile, imatrixDataset;
    std::optional<uint32_t> imatrixEntries, imatrixChunks;

    bool isTaskQuant() const { return policy.has_value() || !toolVersion.empty(); }
};

// A story for exporting `policy`: tool version, llama.cpp commit, the policy, its method, map
// provenance, budget and predicted KLD from the policy's provenance (optimal allocations record
// budget_bytes / average_bits and, with a damage model, the objective = predicted KLD).
GgufStory storyFor(const policy::Policy& policy, const std::string& baseModel = {});
// Adds the calibration task and the map's fingerprint from the map the policy was made from
// (mapBytes: the map file's bytes, for taskquant.map.fingerprint).
void addMapToStory(GgufStory& story, const sensitivity::SensitivityMap& map,
                   const std::string& mapBytes);
// Adds the measured KLD / PPL of an evaluation report (taskquant eval --report): the row named
// `row`, or else the only non-baseline row. Throws taskquant::Error naming `path` when the
// report has no such row or no metrics.
void addEvaluationToStory(GgufStory& story, const nlohmann::json& report, const std::string& path,
                          const std::string& row = {});
// quantize.imatrix.* as llama-quantize derives them from the imatrix file it was given.
void addImatrixToStory(GgufStory& story, const io::Imatrix& imatrix, const std::string& path);

// Writes the story's keys (see above) into md. Throws taskquant::Error if the policy JSON is
// over kMaxStoryPolicyBytes.
void writeStory(io::GgufMetadata& md, const GgufStory& story);
// Reads a story back from a GGUF file's metadata (keys absent -> fields empty).
GgufStory readStory(const io::GgufMetadata& md, const std::string& file);
GgufStory readStory(const io::GgufFile& f);
// The policy a TaskQuant GGUF carries; throws taskquant::Error naming the file when the file
// has none or it is corrupt / oversized.
policy::Policy policyFromGguf(const std::string& path);

// Human-readable lines (for `taskquant info`); empty when the file has no story.
std::string storyText(const GgufStory& story);

// FNV-1a 64 of bytes, 16 lowercase hex digits.
std::string fnv1a64Hex(const std::string& bytes);

} // namespace taskquant::exporting
