#pragma once
// Measured quantization errors of a model's weights: for every tensor and every candidate
// precision, the error the exporter's bytes really have. x^ = quant::fakeQuantize(p, x), i.e.
// decode(encode(x)) with the same codec the GGUF / safetensors exporters write, so
//   sse          = sum_i (x^_i - x_i)^2                       (accumulated in double)
//   weighted_sse = sum_{r,c} w_c (x^_rc - x_rc)^2 / mean_c(w_c)
// where w is an optional per-column importance vector (an imatrix entry: the mean squared
// activation of each input column), or separate column weights that only weight the error
// (WeightView::columnWeights). The importance vector is also handed to the codec, so the
// block formats that llama.cpp quantizes importance-weighted produce llama.cpp's weighted bytes
// (codec.h). mse = sse / numel fills the table's "error" column (backward compatible).
//
// A precision that cannot store a tensor's shape (GGUF blocks need rows divisible by their block
// size) gets null everywhere: the allocator then never picks it for that tensor. A codec that
// does not exist in this build ("no codec") is an error naming the precision.
//
// Threading: the (tensor, precision) pairs are spread over `threads` worker std::threads (0 =
// std::thread::hardware_concurrency()); each codec call runs single-threaded inside its worker.
// The result does not depend on the thread count. Blocking; progress per finished pair; a cancel
// (checked between pairs) throws taskquant::Cancelled once running pairs finish. Reentrant.
// Torch-free: callers hand in float views of the weights.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/policy/error_table.h"
#include "core/quant/precision.h"

namespace taskquant::policy {

struct WeightView {
    std::string name;
    std::vector<int64_t> shape;
    const float* data = nullptr;       // numel floats, row-major; must outlive the call
    const float* importance = nullptr; // nullptr, or shape.back() non-negative floats
    // Weights of weighted_sse only (not given to the codec), e.g. activation statistics of
    // the task text (core/sensitivity/activation_stats.h); nullptr = `importance`.
    const float* columnWeights = nullptr;
    // Per-weight weights of weighted_sse (numel floats, row-major), e.g. the task text's
    // per-weight Fisher (sensitivity/activation_stats.h elementFisher): weighted_sse = sum_i f_i
    // delta_i^2 / mean_i(f_i). Take precedence over columnWeights / importance for weighted_sse
    // only. Their mean is recorded as the row's fisher_mean (the damage model's level).
    const float* elementWeights = nullptr;
    // Instead of `data` (when it is null): fills `out` with `count` rows from `first` on, as fp32
    // (count x shape.back() floats). The rows are read block by block as they are measured, so no
    // whole fp32 copy of a bf16 / f16 weight exists (called from the worker threads concurrently).
    std::function<void(int64_t first, int64_t count, float* out)> readRows;
};

struct ErrorMeasureOptions {
    int threads = 0;
    std::string importanceLabel = "none"; // stored as the table's "importance"
};

// Sum of squared differences, and the importance-weighted sum normalised by the mean weight
// (weights w per column of rows of length cols; w == nullptr: weighted = plain). Exposed for
// tests. A zero mean weight (all weights 0) counts every column equally.
struct SquaredError {
    double sse = 0;
    double weightedSse = 0;
};
SquaredError squaredError(const float* a, const float* b, int64_t numel, int64_t cols,
                          const float* importance);

// sum_i f_i (a_i - b_i)^2 / mean_i(f_i) in `weightedSse` (f: numel per-element weights), and
// the plain sum; a zero mean weight counts every element equally. `meanF` >= 0: the mean to
// divide by (a whole tensor's, for a block of its rows); negative: the mean of these f.
// Exposed for tests.
SquaredError elementSquaredError(const float* a, const float* b, int64_t numel, const float* f,
                                 double meanF = -1);

ErrorTable measureErrors(const std::vector<WeightView>& weights,
                         const std::vector<quant::Precision>& precisions,
                         const ErrorMeasureOptions& options = {}, const JobControl& job = {});

// The precisions `errors` and `policy --method optimal` use by default: f16, then every ggml
// block type (Precision::ggufBlockNames()) whose codec exists in this build.
std::vector<quant::Precision> defaultGgufCandidates();

} // namespace taskquant::policy
