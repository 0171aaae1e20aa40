#pragma once
// Perturbation sensitivity: for each linear layer, the mean squared error between its output with
// the weight fake-quantized to INT4 (symmetric, per output channel, scale = absmax / 7) and its
// full-precision output, over the real tokens of the calibration samples. Blocking.
// Skipped and counted in provenance.skippedSamples, never folded into scores: empty and
// one-token samples, and samples whose logits or layer errors are not finite (NaN / Inf
// weights, activations overflowing in fp16).
#include <cstdint>
#include <vector>

#include "core/jobs/progress.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::models {
class CausalLM;
}

namespace taskquant::sensitivity {

// INT4 symmetric per-output-channel fake quantization (absmax / 7), in the weight's dtype.
at::Tensor fakeQuantInt4PerChannel(const at::Tensor& w);

SensitivityMap computePerturbation(models::CausalLM& model,
                                   const std::vector<std::vector<int64_t>>& samples,
                                   int64_t batchSize = 8, const JobControl& job = {});

} // namespace taskquant::sensitivity
