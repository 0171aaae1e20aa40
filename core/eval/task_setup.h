#pragma once
// The common start of the task-level checks (validate, frontier): evaluation text (a file or a
// data set KIND:PATH, evaluation_run.h loadEvalText), the model's tokenizer, the token chunks
// (token_metrics.h makeChunks) and the unquantized model on a device. A too-short text fails
// before the model loads. Blocking; cancellable between steps. Throws taskquant::Error.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/eval/token_metrics.h"
#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"

namespace taskquant::eval {

struct TaskRequest {
    std::string modelDir;
    std::string textFile, dataset, field;
    uint64_t seed = 0; // file-less data set kinds: seed of the generated held-out problems
    int64_t ctx = 512, chunks = 0;
    std::string device = "cpu", dtype = "fp32";
    // The caller's work beyond one forward pass per window, counted by the fit check before any
    // weight is read (models::LoadOptions): a backward pass (activation gradients: the
    // per-weight Fisher) and further bytes (a Fisher group).
    bool backward = false;
    bool backwardByLayer = false; // LoadOptions::workBackwardByLayer
    uint64_t workBytes = 0;
    int64_t boundaryTokens = 0; // hidden states kept at every layer boundary (LoadOptions)
    std::string workHint;       // LoadOptions::workHint
};

struct TaskSetup {
    std::unique_ptr<models::CausalLM> model;
    std::vector<std::vector<int64_t>> chunks;
    std::size_t textTokens = 0; // tokens read: all of the text only when textWhole
    bool textWhole = true;      // false: a text file read only as far as the chunks need
};

TaskSetup prepareTask(const TaskRequest& request, const JobControl& job = {});

// A JobControl reporting into [from, from + span] of `job`'s progress, sharing its cancel.
JobControl subJob(const JobControl& job, double from, double span);

} // namespace taskquant::eval
