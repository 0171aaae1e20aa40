#pragma once
// A parameter's name and shape: what a policy is planned over (apply_policy.h planPolicy) and
// costed over (policy_cost.h). Plain value type, no ATen, so Qt code can hold it.
#include <cstdint>
#include <string>
#include <vector>

namespace taskquant::exporting {

struct NamedShape {
    std::string name;
    std::vector<int64_t> shape;
};

} // namespace taskquant::exporting
