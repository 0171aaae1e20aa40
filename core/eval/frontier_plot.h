#pragma once
// The frontier picture as plain SVG text (no Qt, so the CLI stays headless): task KLD on a
// log axis against bits per weight, one polyline per family (plotFamily(): the uniform types;
// each optimal allocation per signal and map, e.g. "optimal fisher (arithmetic)" and "optimal
// fisher (stories)" are two lines), llama.cpp's mixes (kind "recipe") as labelled squares,
// uniform points labelled with their type. Labels never overlap one another, a point or the
// plot's edge (core/util/label_placement.h); a label moved away from its point has a leader
// line; a label with no free place is left out and counted under the plot (the point's tooltip
// still names it). The legend names the uniform family with what its embedding and head use
// (`uniformNote`, e.g. "embedding q4_k, head q6_k"), since they are not that type. KLD values
// <= 0 are drawn at the bottom of the axis. Pure function; thread-safe.
#include <string>
#include <vector>

namespace taskquant::eval {

// measured = false: kld is the damage model's prediction; drawn hollow ("predicted" in its
// tooltip), and the plot says under it that hollow marks are predicted.
struct PlotPoint {
    std::string label, kind, signal;
    double bitsPerWeight = 0, kld = 0;
    bool measured = true;
};

// "uniform" for kind "uniform"; for an allocation its label without the budget tag
// ("optimal fisher (arithmetic) @4.5" -> "optimal fisher (arithmetic)"); "" for mixes.
std::string plotFamily(const PlotPoint& point);

struct SvgLabelStats {
    int labels = 0, placed = 0, leaders = 0;
};

std::string frontierSvg(const std::vector<PlotPoint>& points, const std::string& title,
                        int width = 800, int height = 520, const std::string& uniformNote = "",
                        SvgLabelStats* stats = nullptr);

} // namespace taskquant::eval
