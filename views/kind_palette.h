#pragma once
// Categorical colours for module kinds (Tableau 10 order by kind) and short tensor labels
// ("L29 k_proj", "lm_head") for plot annotations. Pure functions; thread-safe.
#include <QColor>
#include <QString>

#include "core/policy/taxonomy.h"

namespace taskquant::views {

QColor kindColor(policy::Kind kind);
QString shortTensorLabel(const QString& name, policy::Scheme scheme);

} // namespace taskquant::views
