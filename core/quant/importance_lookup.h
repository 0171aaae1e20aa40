#pragma once
// Optional importance-weighted quantization (an imatrix, see sensitivity/imatrix.h): given a
// parameter name, nullptr or its importance vector (shape.back() floats, llama.cpp's
// quant_weights, see quant::encode), valid while the lookup's owner lives. An empty lookup
// means no importance. Light header.
#include <functional>
#include <string>

namespace taskquant::quant {

using ImportanceLookup = std::function<const float*(const std::string& name)>;

} // namespace taskquant::quant
