#pragma once
// The importance matrix llama.cpp's llama-imatrix computes, on a task's calibration samples:
// for each weight matrix that multiplies activations in the decoder blocks (GGUF names
// blk.N.attn_{q,k,v,output}, blk.N.ffn_{gate,up,down}; plus output.weight, the lm_head, only
// with processOutput, like llama-imatrix --process-output, and only when it is not tied to the
// embedding), the per-input-column sum over every token of the squared input activation
// (in_sum2) and the number of tokens summed (counts). Each sample is one sequence (as one
// llama-imatrix chunk) of its own real tokens; sums are accumulated in float64 and stored as
// float32. Metadata: imatrix.chunk_size = options.chunkSize (the context), chunk_count =
// tokens / chunk_size (llama-imatrix's definition), datasets = options.datasets.
// Blocking; progress per sample; cancellable (taskquant::Cancelled) between samples.
// Light header (no ATen).
#include <cstdint>
#include <string>
#include <vector>

#include "core/io/imatrix_file.h"
#include "core/jobs/progress.h"
#include "core/sensitivity/map_runs.h"

namespace taskquant::models {
class CausalLM;
}

namespace taskquant::sensitivity {

struct ImatrixOptions {
    bool processOutput = false;        // also collect output.weight (untied lm_head)
    uint32_t chunkSize = 512;          // imatrix.chunk_size: the context length used
    std::vector<std::string> datasets; // imatrix.datasets
};

// Throws taskquant::Error for a model whose architecture has no GGUF names, or no samples.
io::Imatrix computeImatrix(models::CausalLM& model,
                           const std::vector<std::vector<int64_t>>& samples,
                           const ImatrixOptions& options, const JobControl& job = {});

// The {GGUF name, input columns} of the weight matrices an imatrix may hold for a model
// directory (from its config and checkpoint headers; no weights are loaded).
std::vector<std::pair<std::string, int64_t>> imatrixTensors(const std::string& modelDir);

struct ImatrixRunRequest {
    CalibrationSpec calibration; // maxLength is the context (--ctx)
    ImatrixOptions options;      // chunkSize and datasets are filled in from calibration
    // Instead of sampled calibration problems: a whole text file windowed as llama-imatrix
    // windows it (imatrixTextWindows); calibration.data and samples are then unused.
    std::string textFile;
    int64_t maxChunks = 0; // with textFile: at most this many windows (0 = all; --chunks)
};

// llama-imatrix's windows of a text (tools/imatrix, compute_imatrix): the whole text is
// tokenized once with special tokens as configured (BOS first when the tokenizer adds BOS, as
// common_tokenize(add_special = true)), cut into consecutive windows of ctx tokens (a partial
// tail is dropped; at most maxChunks when > 0), and each window's first token is replaced by
// BOS when the tokenizer adds BOS. Like llama-imatrix it refuses a text of fewer than 2 * ctx
// tokens (taskquant::Error naming the file and the counts).
std::vector<std::vector<int64_t>> imatrixTextWindows(const std::string& modelDir,
                                                     const std::string& textFile, int64_t ctx,
                                                     int64_t maxChunks = 0);

// Loads and samples the data, tokenizes (BOS as configured, truncated to maxLength), loads the
// model and computes the imatrix; with textFile, the windows of imatrixTextWindows instead
// (imatrix.datasets = {textFile}). onStart as for Fisher runs.
io::Imatrix runImatrix(const ImatrixRunRequest& request, const JobControl& job = {},
                       const FisherStartFn& onStart = {});

} // namespace taskquant::sensitivity

namespace taskquant::sensitivity {

// llama-quantize's importance vectors (io::Imatrix::importance) of an imatrix file, by the
// Hugging Face parameter name of a model directory. The file is checked against the model
// first (io::checkImatrixMatches: names and column counts), so a mismatch is one
// taskquant::Error naming the file.
struct ModelImportance {
    std::string path;
    std::vector<std::pair<std::string, std::vector<float>>> byName; // HF name, importance
    // One float per input column, or nullptr when the tensor has no entry.
    const float* find(const std::string& hfName) const;
};
ModelImportance loadModelImportance(const std::string& imatrixPath, const std::string& modelDir);
// The same for an imatrix in memory (e.g. computeImatrix's), `source` naming it in errors.
ModelImportance modelImportance(const io::Imatrix& imatrix, const std::string& source,
                                const std::string& modelDir);

} // namespace taskquant::sensitivity
