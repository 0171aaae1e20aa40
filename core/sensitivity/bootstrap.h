#pragma once
// How many calibration samples are enough: bootstrap confidence intervals of every score of a
// sample-mean map (Fisher with reduction mean), and the stability of its top ranks.
//
// Input: the per-sample contributions c[s][t] the score is the mean of (Fisher: the clipped
// min(||g_st||^2, thr^2) / numel_t of sample s and tensor t; fisher.h). Each of B resamples
// draws n samples with replacement (n = the number of samples) and recomputes every mean; the
// interval of a score is the percentile interval [q((1-level)/2), q((1+level)/2)] of its B
// resampled means (linear interpolation, fisher.h percentile). Rank stability: for each of the
// map's top-k tensors (by the full-sample score; ties keep entry order) the fraction of
// resamples in which it is again among the top k. The generator is a fixed 64-bit splitmix
// seeded with `seed`, so results are reproducible on every platform.
// With one sample or none there is no spread: the intervals collapse to the score.
// Cost O(B * n * tensors); progress per resample; cancellable (taskquant::Cancelled).
// Pure function; thread-safe.
#include <cstdint>
#include <string>
#include <vector>

#include "core/jobs/progress.h"

namespace taskquant::sensitivity {

struct BootstrapOptions {
    int resamples = 200;
    double level = 0.95;
    int topK = 10;
    uint64_t seed = 0x5eed;
};

struct RankStability {
    std::size_t tensor = 0; // index into the tensors
    double probability = 0; // P(stays in the top k)
};

struct BootstrapResult {
    int resamples = 0;
    double level = 0.95;
    int topK = 0;
    uint64_t seed = 0;
    int64_t samples = 0;
    std::vector<double> lower, upper; // per tensor
    std::vector<RankStability> top;   // the full-sample top k, in rank order
};

// contributions: [sample][tensor], every row the same length. Throws taskquant::Error on
// ragged rows, non-finite values, resamples < 1, level outside (0, 1) or topK < 1.
BootstrapResult bootstrapMeans(const std::vector<std::vector<double>>& contributions,
                               const BootstrapOptions& options = {}, const JobControl& job = {});

} // namespace taskquant::sensitivity
