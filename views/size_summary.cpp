#include "views/size_summary.h"

#include "core/policy/policy.h"
#include "core/policy/policy_builder.h"
#include "core/util/error.h"

namespace taskquant::views {

SizeSummary summariseSizes(const sensitivity::SensitivityMap& map,
                           const QMap<QString, quant::Precision>& choices,
                           const quant::Precision& fallback) {
    SizeSummary s;
    policy::Policy p;
    p.defaultPrecision = fallback;
    for (auto it = choices.constBegin(); it != choices.constEnd(); ++it) {
        const std::string name = it.key().toStdString();
        p.overrides[name] = *it;
        if (map.find(name))
            ++s.explicitChoices;
    }
    try {
        const auto e = p.estimateSize(policy::shapesOf(map));
        s.bytes = e.bytes;
        s.referenceBytes = e.referenceBytes;
        s.weights = e.weights;
        s.tensors = int(e.tensors);
        s.tensorsWithoutShape = int(e.tensorsWithoutShape);
    } catch (const taskquant::Error& e) {
        s.error = QString::fromUtf8(e.what());
    }
    return s;
}

} // namespace taskquant::views
