#pragma once
// A fingerprint of a model directory's weights: FNV-1a 64 over the config, every tensor's name,
// dtype and shape, and up to 4 KiB sampled from the start, middle and end of each tensor's data.
// Cheap for multi-GB models (reads headers and a few pages), changes when weights are replaced.
#include <string>

namespace taskquant::models {

std::string modelFingerprint(const std::string& modelDir); // 16 hex digits

} // namespace taskquant::models
