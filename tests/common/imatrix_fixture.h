#pragma once
// Test helper: the importance vectors llama-quantize derives from a llama.cpp imatrix GGUF
// (llama-imatrix's current format: per weight tensor NAME, an f32 tensor NAME.in_sum2 with
// the per-column sums of squared activations and NAME.counts with the number of
// activations per matrix). As tools/quantize/quantize.cpp's load_imatrix does, the value of
// column j is in_sum2[j] / counts[j / cols] (a count of 0 gives 1). Minimal: no metadata,
// no legacy .dat files (the production reader does those). Throws taskquant::Error on a
// malformed file or an entry whose sizes do not fit.
#include <string>
#include <unordered_map>
#include <vector>

namespace tqtest {

std::unordered_map<std::string, std::vector<float>> loadImatrixGguf(const std::string& path);

} // namespace tqtest
