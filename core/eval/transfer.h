#pragma once
// The cross-task transfer matrix (issue 26): does a policy built for a task keep that task
// better than other policies of the same size?
//
// Tasks: NAME=DATASET as elsewhere (data::DatasetSpec: gsm8k/math/wikitext/jsonl/text files,
// the demo's file-less arithmetic/algebra/stories). Each task's texts are split in two disjoint
// parts: the calibration split and the held-out split.
//  * file-less demo kinds: calibration = the generated train split (calibrationSamples
//    problems), held-out = the generated test split (heldOutSamples problems), seed `seed`;
//  * files: all texts (gsm8k / math with their answers appended) shuffled with `seed`
//    (data::sampleIndices); the first calibrationSamples are the calibration split, the next
//    heldOutSamples the held-out split (at most half of the texts each).
// Calibration samples are tokenized BOS + text, truncated to maxLength tokens.
//
// Policies, for every budget b in `bits` (bytes = floor(b * P / 8), P = all parameters):
//  * each task's own policy (built_for = task name): its own Fisher map (fisher.h, reduction
//    mean, on its calibration split), errors measured with the codecs importance-weighted by
//    the task's importance matrix (imatrix.h computeImatrix on its calibration split) and
//    weighted per weight by the task text's Fisher (activation_stats.h elementFisher, as the
//    frontier does), then policy_builder's optimal allocation with the damage model at the
//    exact byte budget; applied with the same importance matrix;
//  * "mixed": the same from all tasks' calibration splits together;
//  * "general" (when `general` is set): the same from that data set's calibration split;
//  * llama.cpp's named mix nearest in size to the budget (frontier_baselines.h), once with each
//    task's importance matrix (built_for = the mix's name, label "MIX imatrix TASK @b").
// Every policy records its calibration text (policy::CalibrationText) in its provenance.
// Labels: "TASK @b", "mixed @b", "general @b", "MIX imatrix TASK @b" (b as bitsText).
//
// Evaluation of every policy on every task's held-out split: the held-out texts joined by blank
// lines, tokenized with BOS, cut into windows of ctx tokens (token_metrics.h, at most `windows`),
// scored against the unquantized model as llama-perplexity scores them: KLD mean with a
// percentile bootstrap 95 % interval over windows (bootstrapResamples resamples of the windows,
// seed `seed`), KLD p99 over all scored tokens, same top-1 rate; and where the task has answers
// (gsm8k, arithmetic, algebra, stories) exact-answer accuracy of greedy generation on the first
// answerProblems held-out problems (gsm8k.h: 4-shot prompt, its answer extraction; the demo
// kinds: prompt question + "\n", data::extractAnswer, up to maxNewTokens) with a Wilson 95 %
// interval.
//
// Verdicts (one per task and budget, decideVerdict, a pure function): the own policy's gain over
// each other policy of equal size (bytes within sizeTolerance of the own policy's bytes) on the
// task's held-out split, gain = 1 - KLD_own / KLD_other with a paired percentile bootstrap
// 95 % interval over the same windows (pairedGain). The best other policy is the one with the
// smallest gain. Win when its interval's low end is > 0: "its own policy beats the best other
// policy of equal size (LABEL) by X % (95 % interval [lo, hi] %)"; loss when the high end is < 0:
// "no task-specific gain here: LABEL beats its own policy by X % (95 % interval [lo, hi] %)";
// otherwise a tie: "no task-specific gain here: the mixed policy is within X % (gain 95 %
// interval [lo, hi] %)" ("the best other policy (LABEL)" where the best other is not the mixed
// policy). X and the intervals are percentages of the gain over the best other policy; a loss
// reports -gain and its interval negated.
//
// JSON (TransferResult::toJson, read back strictly by fromJson):
//   {"format": "taskquant-transfer", "version": 1, "model", "parameters", "ctx",
//    "tasks": ["arithmetic", "stories"],               // task names, in the order given
//    "task_details": [{"name", "dataset", "answers": bool, "windows", "tokens",
//                      "answer_problems", "reference_correct": null | n (the unquantized
//                      model's exact answers of the answer_problems), "calibration":
//                      {"dataset", "split", "samples", "hash"}}],
//    "budgets": [3.5, 4.5],
//    "cells": [{"budget_bits", "policy", "built_for", "eval_task", "bytes", "bits_per_weight",
//               "kld_mean", "kld_ci95": [lo, hi], "kld_p99", "top1",
//               "accuracy": null | fraction, "accuracy_ci95": null | [lo, hi],
//               "correct": null | n, "answered": null | n}],
//    "verdicts": [{"task", "budget_bits", "outcome": "win" | "tie" | "loss", "text",
//                  "own_policy", "best_other", "gain", "gain_ci95": [lo, hi],
//                  "mixed_gain": null | g, "mixed_gain_ci95": null | [lo, hi]}],
//    "policies": {"<label>": <policy JSON, policy.h>},  // every cell's policy by its label
//    "seconds"}
// Every cell's "policy" is a key of "policies"; the matrix is complete: every policy of a
// budget has one cell per task.
//
// runTransfer: blocking (minutes on CPU); progress over the whole run; cancellable between
// units of work (taskquant::Cancelled; the model is restored, nothing is written). Not
// thread-safe per call; the pure functions are thread-safe. Throws taskquant::Error for bad
// options or data (naming the file).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data/dataset_spec.h"
#include "core/jobs/progress.h"
#include "core/policy/error_table.h"
#include "core/policy/policy.h"
#include "core/sensitivity/imatrix.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::models {
class CausalLM;
}

namespace taskquant::eval {

struct TransferTask {
    std::string name;       // unique, non-empty; not "mixed" or "general"
    data::DatasetSpec data; // what to read (validated)
};

// Parses "NAME=KIND:PATH" or "NAME=KIND" (file-less kinds) into a task; throws Error.
TransferTask parseTransferTask(const std::string& text);

struct TransferOptions {
    std::string modelDir;
    std::vector<TransferTask> tasks;          // at least one
    std::optional<data::DatasetSpec> general; // the "general" policy's text
    std::vector<double> bits;                 // budgets, bits per weight (all parameters)
    std::vector<quant::Precision> candidates; // empty: policy::defaultGgufCandidates()
    int64_t calibrationSamples = 64;          // per task
    int64_t heldOutSamples = 64;              // per task (texts joined into windows)
    int64_t maxLength = 256;                  // tokens per calibration sample
    int64_t ctx = 128;                        // tokens per evaluation window
    int64_t windows = 16;                     // at most this many windows per task (0 = all)
    int64_t answerProblems = 16;              // greedy-answer problems per task (0 = none)
    int64_t maxNewTokens = 64;                // per greedy answer (gsm8k: at least 128)
    bool recipes = true;                      // llama.cpp's nearest mix with each imatrix
    int bootstrapResamples = 1000;
    double sizeTolerance = 0.02; // "equal size" for the verdict: |bytes / own - 1| <= this
    uint64_t seed = 0;
    std::string device = "cpu", dtype = "fp32";
    int threads = 0; // error measurement
};

struct TransferCell {
    double budgetBits = 0;
    std::string policy;   // label, a key of TransferResult::policies
    std::string builtFor; // task name, "mixed", "general", or the llama.cpp mix's name
    std::string evalTask;
    uint64_t bytes = 0; // GGUF tensor bytes (shape fallbacks applied)
    double bitsPerWeight = 0;
    double kldMean = 0, kldLow = 0, kldHigh = 0, kldP99 = 0, top1 = 0;
    std::optional<double> accuracy, accuracyLow, accuracyHigh; // null: task has no answers
    int64_t correct = 0, answered = 0;
    std::vector<double> windowKld; // per window mean KLD (not in the JSON)
};

// One verdict's input: the own policy's gain over another policy of equal size.
struct VerdictCandidate {
    std::string label, builtFor;
    double gain = 0, low = 0, high = 0; // 1 - KLD_own / KLD_other and its interval
};

struct TransferVerdict {
    std::string task;
    double budgetBits = 0;
    std::string outcome; // "win" | "tie" | "loss" | "none" (no other policy of equal size)
    std::string text;
    std::string ownPolicy, bestOther;
    double gain = 0, gainLow = 0, gainHigh = 0;                   // over bestOther
    std::optional<double> mixedGain, mixedGainLow, mixedGainHigh; // over the mixed policy
};

// The verdict logic (see the top): pure, thread-safe.
TransferVerdict decideVerdict(const std::string& task, double budgetBits,
                              const std::string& ownPolicy,
                              const std::vector<VerdictCandidate>& others);

struct GainInterval {
    double gain = 0, low = 0, high = 0;
};
// gain = 1 - sum(own) / sum(other) over paired windows, with the percentile bootstrap
// interval (level 0.95) of `resamples` resamples of the window indices (SplitMix64 seeded with
// `seed`). Throws Error for different lengths, no windows, or a zero sum(other).
GainInterval pairedGain(const std::vector<double>& own, const std::vector<double>& other,
                        int resamples, uint64_t seed);
// Percentile bootstrap 95 % interval of the mean of `values` over resampled indices.
std::pair<double, double> bootstrapMeanInterval(const std::vector<double>& values, int resamples,
                                                uint64_t seed);
// Wilson score interval of a proportion (z = 1.96); [0, 1] when total is 0.
std::pair<double, double> wilsonInterval(int64_t correct, int64_t total, double z = 1.959964);

struct TransferTaskInfo {
    std::string name, dataset;
    bool answers = false;
    int64_t windows = 0, tokens = 0, answerProblems = 0;
    policy::CalibrationText calibration;
    std::optional<int64_t> referenceCorrect; // the unquantized model's exact answers
};

struct TransferResult {
    std::string model;
    int64_t parameters = 0, ctx = 0;
    std::vector<TransferTaskInfo> tasks;
    std::vector<double> budgets;
    std::vector<TransferCell> cells;
    std::vector<TransferVerdict> verdicts;
    std::vector<std::pair<std::string, policy::Policy>> policies; // label -> policy, in order
    double seconds = 0;

    const TransferCell* cell(double budgetBits, const std::string& policy,
                             const std::string& evalTask) const;
    const policy::Policy* policyOf(const std::string& label) const;
    nlohmann::ordered_json toJson() const;
    // Strict: throws taskquant::Error naming `source` and the problem.
    static TransferResult fromJson(const nlohmann::json& j, const std::string& source);
    static TransferResult readFile(const std::string& path);
    // The matrix per budget as fixed-width text (rows: policies; columns: eval tasks, KLD mean
    // [interval] and accuracy), then the verdicts.
    std::string table() const;
    // A heat table per budget: cells coloured by KLD relative to the column's best, a task's own
    // policy on its own task outlined, the verdicts below.
    std::string svg() const;
};

// The signals one calibration text gives a policy: its Fisher map (reduction mean, no
// bootstrap), its importance matrix (by parameter name), and the error table of every allocated
// weight at every candidate, quantized importance-weighted by that imatrix and weighted per
// weight by the text's per-weight Fisher (damage model (4)). `samples`: token ids, BOS included.
struct TaskSignals {
    policy::CalibrationText text;
    sensitivity::SensitivityMap map;
    policy::ErrorTable errors;
    sensitivity::ModelImportance importance;
};
TaskSignals measureTaskSignals(models::CausalLM& model,
                               const std::vector<std::vector<int64_t>>& samples,
                               const policy::CalibrationText& text,
                               const std::vector<quant::Precision>& candidates, int threads = 0,
                               uint64_t seed = 0, const JobControl& job = {});
// The optimal policy of `map` with `errors` (policy_builder, damage model, embeddings and
// lm_head allocated, norms and biases f32) at exactly budgetBytes for the model's parameters
// `shapes`; provenance.calibration = `text`. Throws Error when no assignment fits.
policy::Policy allocateTaskPolicy(const sensitivity::SensitivityMap& map,
                                  const policy::ErrorTable& errors,
                                  const std::map<std::string, std::vector<int64_t>>& shapes,
                                  uint64_t budgetBytes,
                                  const std::vector<quant::Precision>& candidates,
                                  const policy::CalibrationText& text);

TransferResult runTransfer(const TransferOptions& options, const JobControl& job = {});

} // namespace taskquant::eval
