#pragma once
// SizeSummary: what a set of explicit precision choices costs, for the policy editor's summary
// line. The choices become the overrides of a core policy::Policy whose default precision is
// `fallback` (embeddings, lm_head, norms, biases keep the Policy defaults, f16), and its size
// is policy::Policy::estimateSize over the map's shapes (exact encoded sizes, scales
// included). Tensors without a known shape (flat study maps) are counted apart.
// Pure; thread-safe.
#include <QMap>
#include <QString>
#include <cstdint>

#include "core/quant/precision.h"
#include "core/quant/sizes.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::views {

struct SizeSummary {
    uint64_t bytes = 0;
    uint64_t referenceBytes = 0;
    int64_t weights = 0;
    int tensors = 0;             // counted
    int tensorsWithoutShape = 0; // not counted
    int explicitChoices = 0;     // tensors of the map with an explicit precision
    QString error;               // a precision that cannot store some tensor's shape
    double averageBits() const { return quant::bitsPerCountedWeight(bytes, weights); }
};

SizeSummary summariseSizes(const sensitivity::SensitivityMap& map,
                           const QMap<QString, quant::Precision>& choices,
                           const quant::Precision& fallback);

} // namespace taskquant::views
