#pragma once
// Task-aware Fisher information, as the TaskQuant study computes it, exactly and fast.
//
// Definition (the study's): every calibration sample on its own; loss = mean next-token
// cross-entropy of that sample; for every weight tensor W, add ||dloss/dW||^2 / numel(W) to its
// score; reduction mean (divide by processed samples) or sum. Adaptive clipping: the threshold is
// the clipPercentile of all tensors' gradient norms over the first clipSamples samples; a tensor
// gradient whose norm exceeds it is scaled down to it, so its contribution becomes
// min(||g||^2, threshold^2) / numel. Phase-1 samples are clipped like all others. Non-finite
// losses or gradients are skipped and counted.
//
// Because each contribution depends only on per-sample gradient norms, both modes compute the
// matrix of per-sample squared norms and apply clipping afterwards:
//  - exactLoop: one forward/backward per sample (the study's loop);
//  - batched (default): padded batches, one forward and one backward to the layer outputs only
//    (no weight gradients are formed), per-sample norms from layer inputs A and output gradients
//    G: linear ||G^T A||^2 = sum_{t,s} (a_t.a_s)(g_t.g_s) (ghost norm) or the direct product,
//    whichever is cheaper; embeddings from rows sharing a token id; norm weights from
//    sum_t g_t * xhat_t; tied embeddings add the cross term of their two uses.
// Blocking, single-threaded use of the model; progress and cancel through JobControl.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::models {
class CausalLM;
}

namespace taskquant::sensitivity {

struct FisherOptions {
    Reduction reduction = Reduction::Mean;
    int64_t clipSamples = 32;
    std::optional<double> clipPercentile = 99.0; // nullopt: no clipping
    bool exactLoop = false;
    int64_t batchSize = 0; // 0: automatic (fits a memory budget)
    int shardIndex = 0;    // this process computes samples of shard shardIndex of shardCount
    int shardCount = 1;
    // Bootstrap intervals and top-k rank stability of the scores (bootstrap.h), stored in the
    // map's "uncertainty" (reduction mean only; over this shard's processed samples).
    // 0 resamples = none.
    int bootstrapResamples = 200;
};

// Per-sample squared gradient norms of the scored tensors (the ".weight" parameters).
struct SampleNorms {
    std::vector<int> tensors;            // parameter indices scored, in model order
    std::vector<std::vector<double>> sq; // [sample][tensor]; empty row = skipped
    std::vector<int64_t> tokens;         // tokens per sample
};

// Computes squared norms for the samples whose indices are listed (indices into `samples`).
SampleNorms sampleGradientNorms(models::CausalLM& model,
                                const std::vector<std::vector<int64_t>>& samples,
                                const std::vector<std::size_t>& which, bool exactLoop,
                                int64_t batchSize, const JobControl& job);

// The shard's sample indices: a contiguous, deterministic slice of [0, n).
std::vector<std::size_t> shardSlice(std::size_t n, int shardIndex, int shardCount);

// Percentile with linear interpolation between order statistics (numpy's default).
double percentile(std::vector<double> values, double p);

// Folds per-sample squared norms into per-tensor sums with the study's clipping.
// sq: per sample in dataset order (empty = skipped or not computed); the threshold is the
// percentile of sqrt(sq) over samples [0, nClip); `mine` lists the samples to accumulate.
struct FisherFold {
    std::vector<double> sums; // sum over processed samples of min(sq, thr^2) / numel
    int64_t processed = 0, skipped = 0, clipped = 0;
    std::optional<double> threshold;
};
FisherFold foldFisher(const std::vector<std::vector<double>>& sq, const std::vector<int64_t>& numel,
                      const std::vector<std::size_t>& mine, std::size_t nClip,
                      std::optional<double> clipPercentile);

// The full computation: token ids per sample (BOS included, already truncated to the maximum
// length), in dataset order. The map's provenance has method, counts, clipping, device, dtype,
// settings and wall time; the caller adds dataset and model fingerprint.
SensitivityMap computeFisher(models::CausalLM& model,
                             const std::vector<std::vector<int64_t>>& samples,
                             const FisherOptions& options, const JobControl& job = {});

// Automatic batch size for the model and sequence length on its device: what fits memory, and
// on a CPU also about 768 tokens per batch (wider batches run slower there).
int64_t automaticBatchSize(const models::CausalLM& model, int64_t maxTokens);

} // namespace taskquant::sensitivity
