#include "views/size_summary.h"

namespace taskquant::views {

SizeSummary summariseSizes(const sensitivity::SensitivityMap& map,
                           const QMap<QString, quant::Precision>& choices,
                           const quant::Precision& fallback, const quant::Precision& reference) {
    SizeSummary s;
    for (const auto& e : map.entries()) {
        const auto it = choices.constFind(QString::fromStdString(e.name));
        if (it != choices.constEnd())
            ++s.explicitChoices;
        if (!e.shape) {
            ++s.tensorsWithoutShape;
            continue;
        }
        quant::Precision p = it != choices.constEnd() ? *it : fallback;
        if (!p.supportsShape(*e.shape))
            p = reference;
        s.bytes += p.bytes(*e.shape);
        s.referenceBytes += reference.bytes(*e.shape);
        s.weights += e.numel;
        ++s.tensors;
    }
    return s;
}

} // namespace taskquant::views
