#include "core/quant/sizes.h"

namespace taskquant::quant {

double bitsPerWeight(uint64_t allTensorBytes, int64_t allParameters) {
    return allParameters > 0
               ? 8.0 * static_cast<double>(allTensorBytes) / static_cast<double>(allParameters)
               : 0.0;
}

double bitsPerCountedWeight(uint64_t bytes, int64_t countedWeights) {
    return countedWeights > 0
               ? 8.0 * static_cast<double>(bytes) / static_cast<double>(countedWeights)
               : 0.0;
}

} // namespace taskquant::quant
