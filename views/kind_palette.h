#pragma once
// Categorical colours for module kinds (Tableau 10 order by kind) and short tensor labels
// ("L29 k_proj", "lm_head") for plot annotations. Pure functions; thread-safe.
#include <QColor>
#include <QString>

#include "core/models/taxonomy.h"

namespace taskquant::views {

QColor kindColor(models::Kind kind);
QString shortTensorLabel(const QString& name, models::Scheme scheme);

} // namespace taskquant::views
