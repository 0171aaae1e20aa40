#pragma once
// A whole policy evaluation as the CLI and the studio start it: evaluation text (a plain text
// file or a data set), the model's tokenizer, the unquantized model on a device, then
// comparePolicies (policy_comparison.h) - baseline first, one row per policy, then one per GGUF
// file. Windows as llama-perplexity cuts them (token_metrics.h). The result holds
// the metrics as plain numbers, the fixed-width table and the JSON rows, so callers need no
// ATen. Blocking; call from a worker thread; progress and cancel through JobControl.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/jobs/progress.h"
#include "core/policy/policy.h"

namespace taskquant::tokenize {
class Tokenizer;
}

namespace taskquant::eval {

// The evaluation text: the whole file `textFile`, or the texts of a data set given as
// "KIND:PATH" (gsm8k, math with answers; wikitext, jsonl with `field`, text) joined by blank
// lines, or of a file-less kind given by its name alone ("arithmetic", "algebra", "stories":
// the held-out split generated from `seed`, data::kDemoTaskCount problems; dataset_spec.h).
// Exactly one of the two must be given. Throws taskquant::Error.
std::string loadEvalText(const std::string& textFile, const std::string& datasetKindPath,
                         const std::string& field = {}, uint64_t seed = 0);

// The tokens of the text file `textFile` (tokenizer.encode(text, addBos)), reading and
// tokenizing only a prefix when `neededTokens` > 0: the prefix starts at
// max(64 KiB, 16 bytes x neededTokens) and doubles; it is cut at its last newline (unless it
// reaches the end of the file) and is enough once its tokens exceed neededTokens by a margin
// of 256, so the cut never touches a used token. Then `tokens` holds exactly neededTokens
// tokens, identical to the first neededTokens of the whole file's (tst_streamed_text checks
// this against whole-file tokenization); wholeFile says whether the whole file was read (then
// `tokens` is all of it). neededTokens <= 0 reads the whole file. Throws taskquant::Error
// naming the file.
struct TextTokens {
    std::vector<int32_t> tokens;
    bool wholeFile = true;
};
TextTokens readTextTokens(const tokenize::Tokenizer& tokenizer, const std::string& textFile,
                          bool addBos, int64_t neededTokens);

struct EvaluationRequest {
    std::string modelDir;
    std::string textFile, dataset, field; // see loadEvalText
    uint64_t seed = 0;                    // file-less kinds: seed of the generated problems
    std::vector<std::pair<std::string, policy::Policy>> policies; // name, policy
    std::vector<std::string> ggufFiles; // GGUF files evaluated as further variants (their path)
    bool ggufCpuArithmetic = true;      // see gguf_weights.h
    int64_t ctx = 512;                  // tokens per window
    int64_t chunks = 0;                 // at most this many windows (0 = all)
    std::string device = "cpu", dtype = "fp32";
    std::string gsm8kFile; // non-empty: also GSM8K answer accuracy
    int64_t gsm8kCount = 0, gsm8kMaxNewTokens = 256;
    std::string imatrixFile; // non-empty: quantize importance-weighted (checked against the model)
};

struct EvaluationRow {
    std::string name; // "baseline" for the unquantized model
    bool baseline = false;
    int64_t chunks = 0, tokens = 0;
    double ppl = 0, pplUncertainty = 0;
    double kldMean = 0, kldP99 = 0, kldMax = 0;
    double sameTop1 = 0;   // fraction 0..1
    double meanDeltaP = 0; // fraction
    double rmsDeltaP = 0;  // fraction
    uint64_t bytes = 0;
    double averageBits = 0;
    std::vector<std::string> notes;
    std::optional<double> gsm8kAccuracy;
};

struct EvaluationResult {
    std::vector<EvaluationRow> rows; // baseline first
    std::size_t textTokens = 0;      // tokens read: all of the text only when textWhole
    bool textWhole = true;           // false: a --text file read only as far as --chunks need
    std::string table;               // formatComparisonTable
    nlohmann::ordered_json json;     // comparisonJson
};

EvaluationResult runEvaluation(const EvaluationRequest& request, const JobControl& job = {});
// evaluatePolicyStreamed (one policy on a loaded model): core/eval/streamed_evaluation.h, kept
// apart so that this header needs no ATen.

} // namespace taskquant::eval
