#pragma once
// The frontier picture as plain SVG text (no Qt, so the CLI stays headless): task KLD on a
// log axis against bits per weight, one polyline per family (uniform types; optimal per
// signal), llama.cpp's mixes (kind "recipe") as labelled points, uniform points labelled with
// their type. KLD values <= 0 are drawn at the bottom of the axis. Pure function; thread-safe.
#include <string>
#include <vector>

namespace taskquant::eval {

struct PlotPoint {
    std::string label, kind, signal;
    double bitsPerWeight = 0, kld = 0;
};

std::string frontierSvg(const std::vector<PlotPoint>& points, const std::string& title,
                        int width = 800, int height = 520);

} // namespace taskquant::eval
