#pragma once
// The compute devices this build and machine offer, for device pickers: "cpu" always, then
// "cuda" (and "cuda:N" for each further GPU) when libtorch has CUDA and a GPU is present.
// Light header (no ATen). Thread-safe.
#include <string>
#include <vector>

namespace taskquant::models {

std::vector<std::string> availableDevices();

} // namespace taskquant::models
