#include "core/models/devices.h"

#include <ATen/Context.h>

namespace taskquant::models {

std::vector<std::string> availableDevices() {
    std::vector<std::string> out{"cpu"};
    try {
        if (at::hasCUDA()) {
            const std::size_t n = at::getNumGPUs();
            if (n > 0)
                out.push_back("cuda");
            for (std::size_t i = 1; i < n; ++i)
                out.push_back("cuda:" + std::to_string(i));
        }
    } catch (...) {
        // no usable CUDA runtime: CPU only
    }
    return out;
}

} // namespace taskquant::models
