#pragma once
// Writing a map from a CLI command: the JSON (atomic), optionally CSV, and a short summary of the
// most sensitive tensors on stdout.
#include <string>

#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::cli {

void writeMapOutputs(const sensitivity::SensitivityMap& map, const std::string& jsonPath,
                     const std::string& csvPath, int top = 5);

} // namespace taskquant::cli
