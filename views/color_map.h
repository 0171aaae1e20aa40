#pragma once
// Perceptual colour maps sampled at a position t in [0, 1] (clamped): a sequential dark-to-bright
// map (inferno) for sensitivity scores, so that the few large scores glow against a dark field,
// and a diverging blue-white-red map (RdBu, reversed) for signed quantities such as log2 ratios.
// Pure functions; thread-safe.
#include <QColor>

namespace taskquant::views {

enum class ColorMapKind { Sequential, Diverging };

QColor sampleColorMap(ColorMapKind kind, double t);
// Black or white, whichever reads better on `background` (for labels drawn on cells).
QColor contrastingTextColor(const QColor& background);

} // namespace taskquant::views
