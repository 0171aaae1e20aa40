#pragma once
// SizeSummary: what a set of precision choices costs, for the policy editor's summary line.
// Every tensor with a known shape is counted at its explicit precision, or at `fallback`
// (the policy default) without one; the reference is the same tensors at `reference`
// (unquantized, f16). Sizes are exact encoded sizes (quant::Precision::bytes, scales
// included). Tensors without a shape (flat study maps) are counted apart. Pure; thread-safe.
#include <QMap>
#include <QString>
#include <cstdint>

#include "core/quant/precision.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::views {

struct SizeSummary {
    uint64_t bytes = 0;
    uint64_t referenceBytes = 0;
    int64_t weights = 0;
    int tensors = 0;             // counted
    int tensorsWithoutShape = 0; // not counted
    int explicitChoices = 0;     // tensors of the map with an explicit precision
    double averageBits() const { return weights > 0 ? 8.0 * double(bytes) / double(weights) : 0; }
};

// A precision that cannot store a tensor's shape counts that tensor at the reference.
SizeSummary summariseSizes(const sensitivity::SensitivityMap& map,
                           const QMap<QString, quant::Precision>& choices,
                           const quant::Precision& fallback, const quant::Precision& reference);

} // namespace taskquant::views
