#include "views/color_scale.h"

#include <algorithm>
#include <cmath>

namespace taskquant::views {

ColorScale ColorScale::log(const std::vector<double>& values, bool normaliseToMax) {
    double lo = 0, hi = 0;
    bool any = false;
    for (double v : values) {
        if (!(std::isfinite(v) && v > 0))
            continue;
        lo = any ? std::min(lo, v) : v;
        hi = any ? std::max(hi, v) : v;
        any = true;
    }
    if (!any)
        return logRange(1, 10, normaliseToMax);
    return logRange(lo, hi, normaliseToMax);
}

ColorScale ColorScale::logRange(double minValue, double maxValue, bool normaliseToMax) {
    ColorScale s;
    s.kind_ = Kind::Log;
    s.normalise_ = normaliseToMax;
    if (!(std::isfinite(minValue) && minValue > 0))
        minValue = 1;
    if (!(std::isfinite(maxValue) && maxValue > 0))
        maxValue = minValue * 10;
    if (maxValue < minValue)
        std::swap(minValue, maxValue);
    if (maxValue == minValue) { // one value: a decade around it, the value at the top
        minValue = maxValue / 10;
    }
    s.min_ = minValue;
    s.max_ = maxValue;
    return s;
}

ColorScale ColorScale::diverging(const std::vector<double>& values) {
    double limit = 0;
    for (double v : values)
        if (std::isfinite(v))
            limit = std::max(limit, std::abs(v));
    return divergingLimit(limit);
}

ColorScale ColorScale::divergingLimit(double limit) {
    ColorScale s;
    s.kind_ = Kind::Diverging;
    if (!(std::isfinite(limit) && limit > 0))
        limit = 1;
    s.min_ = -limit;
    s.max_ = limit;
    return s;
}

std::optional<double> ColorScale::position(double value) const {
    if (!std::isfinite(value))
        return std::nullopt;
    double t;
    if (kind_ == Kind::Log) {
        if (value <= 0)
            return std::nullopt;
        t = (std::log10(value) - std::log10(min_)) / (std::log10(max_) - std::log10(min_));
    } else {
        t = (value - min_) / (max_ - min_);
    }
    return std::clamp(t, 0.0, 1.0);
}

double ColorScale::valueAt(double t) const {
    t = std::clamp(t, 0.0, 1.0);
    if (kind_ == Kind::Log)
        return std::pow(10.0, std::log10(min_) + t * (std::log10(max_) - std::log10(min_)));
    return min_ + t * (max_ - min_);
}

QColor ColorScale::colorAt(double t) const {
    return sampleColorMap(kind_ == Kind::Log ? ColorMapKind::Sequential : ColorMapKind::Diverging,
                          t);
}

QColor ColorScale::color(double value) const {
    const auto t = position(value);
    return t ? colorAt(*t) : noDataColor();
}

QColor ColorScale::noDataColor() {
    return QColor(128, 128, 128);
}

double ColorScale::displayValue(double value) const {
    return (kind_ == Kind::Log && normalise_) ? value / max_ : value;
}

std::vector<double> ColorScale::ticks() const {
    std::vector<double> t;
    if (kind_ == Kind::Diverging) {
        return {min_, min_ / 2, 0.0, max_ / 2, max_};
    }
    t.push_back(min_);
    const int first = int(std::ceil(std::log10(min_) - 1e-9));
    const int last = int(std::floor(std::log10(max_) + 1e-9));
    for (int e = first; e <= last; ++e) {
        const double v = std::pow(10.0, e);
        // Skip decades that would sit on top of an end tick (within 1 % of the log span).
        const double span = std::log10(max_) - std::log10(min_);
        if (std::abs(e - std::log10(min_)) < 0.01 * span ||
            std::abs(e - std::log10(max_)) < 0.01 * span)
            continue;
        t.push_back(v);
    }
    t.push_back(max_);
    return t;
}

} // namespace taskquant::views
