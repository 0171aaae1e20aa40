#pragma once
// ColorScale: value -> position in [0, 1] -> colour, for heatmaps and their colour bars.
//  * Log: log10 between the smallest and the largest positive value. With normaliseToMax the
//    displayed values (colour bar ticks, tooltips) are value / max, so the largest is 1;
//    positions are the same either way (the scale is invariant under scaling).
//    Values <= 0 or non-finite have no position (std::nullopt: drawn as "no data").
//  * Diverging: linear in a symmetric range [-limit, limit] around 0 (for log2 ratios).
// Values outside the range clamp to 0 or 1. Plain value type; thread-safe.
#include <QColor>
#include <optional>
#include <vector>

#include "views/color_map.h"

namespace taskquant::views {

class ColorScale {
  public:
    enum class Kind { Log, Diverging };

    ColorScale() = default;
    // Range from the data: Log uses the extreme positive values, Diverging the largest |value|.
    // With no usable value the range is [1, 10] (Log) or [-1, 1] (Diverging).
    static ColorScale log(const std::vector<double>& values, bool normaliseToMax = false);
    static ColorScale logRange(double minValue, double maxValue, bool normaliseToMax = false);
    static ColorScale diverging(const std::vector<double>& values);
    static ColorScale divergingLimit(double limit);

    Kind kind() const { return kind_; }
    double minValue() const { return min_; } // raw values
    double maxValue() const { return max_; }
    bool normalisedToMax() const { return normalise_; }

    std::optional<double> position(double value) const;
    // Inverse of position() for t in [0, 1] (raw value).
    double valueAt(double t) const;
    QColor color(double value) const; // noDataColor() when position() has none
    QColor colorAt(double t) const;
    static QColor noDataColor();
    // What the user reads: value / max when normalised, else value.
    double displayValue(double value) const;
    // Colour-bar ticks as raw values, ascending: Log gives each power of ten in range plus
    // both ends; Diverging gives -limit, 0, limit and the halves.
    std::vector<double> ticks() const;

  private:
    Kind kind_ = Kind::Log;
    double min_ = 1, max_ = 10;
    bool normalise_ = false;
};

} // namespace taskquant::views
