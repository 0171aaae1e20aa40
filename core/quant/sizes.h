#pragma once
// Sizes as ratios, each named by its denominator (the one place these divisions are written):
//  * bitsPerWeight(): llama.cpp's "bits per weight" (BPW, as its loader prints it): 8 x the
//    bytes of ALL tensors / ALL parameters of the model (or of the one tensor asked about).
//    Every "bits per weight" the CLI, the studio and the frontier print is this.
//  * bitsPerCountedWeight(): 8 x bytes / weights over a subset the caller chose (a policy
//    estimate over the tensors a precision can store, a block format's own rate): not bits per
//    weight, so it has another name and its callers say which weights they counted.
// Both give 0 for a count <= 0 (nothing to divide by), never NaN. Pure; thread-safe.
#include <cstdint>

namespace taskquant::quant {

double bitsPerWeight(uint64_t allTensorBytes, int64_t allParameters);
double bitsPerCountedWeight(uint64_t bytes, int64_t countedWeights);

} // namespace taskquant::quant
