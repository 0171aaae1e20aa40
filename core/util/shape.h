#pragma once
// Tensor shapes as every reader and codec checks and prints them. Pure functions, thread-safe.
#include <cstdint>
#include <string>
#include <vector>

namespace taskquant {

// "[2, 3]": the shape as error messages print it.
std::string shapeText(const std::vector<int64_t>& shape);

// Number of elements of a shape; throws taskquant::Error on negative dimensions or overflow.
int64_t checkedNumel(const std::vector<int64_t>& shape);

} // namespace taskquant
