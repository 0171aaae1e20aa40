#include "core/eval/frontier_plot.h"
#include "core/util/xml_escape.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "core/util/label_placement.h"

namespace taskquant::eval {

namespace {

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                          "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

// Width of a label in pixels at the given font size (sans-serif; a generous average).
double textWidth(const std::string& s, double fontSize) {
    return 0.62 * fontSize * static_cast<double>(s.size()) + 2;
}

} // namespace

std::string plotFamily(const PlotPoint& p) {
    if (p.kind == "recipe")
        return "";
    if (p.kind == "uniform")
        return "uniform";
    std::string f = p.label;
    for (const char* tag : {" @", " ="}) {
        const auto at = f.rfind(tag);
        if (at != std::string::npos && at > 0) {
            f.resize(at);
            break;
        }
    }
    return f.empty() ? p.kind + " " + p.signal : f;
}

std::string frontierSvg(const std::vector<PlotPoint>& points, const std::string& title, int W,
                        int H, const std::string& uniformNote, SvgLabelStats* stats) {
    const double left = 80, right = 250, top = 40, bottom = 60;
    const double pw = W - left - right, ph = H - top - bottom;
    double xmin = 1e300, xmax = -1e300, ymin = 1e300, ymax = -1e300;
    for (const auto& p : points) {
        xmin = std::min(xmin, p.bitsPerWeight);
        xmax = std::max(xmax, p.bitsPerWeight);
        if (p.kld > 0) {
            ymin = std::min(ymin, p.kld);
            ymax = std::max(ymax, p.kld);
        }
    }
    if (points.empty()) {
        xmin = 0;
        xmax = 16;
    }
    if (xmax - xmin < 1e-9) {
        xmin -= 0.5;
        xmax += 0.5;
    }
    if (ymax < ymin) {
        ymin = 1e-4;
        ymax = 1;
    }
    double ly0 = std::floor(std::log10(ymin)), ly1 = std::ceil(std::log10(ymax));
    if (ly1 <= ly0)
        ly1 = ly0 + 1;
    const double xpad = 0.05 * (xmax - xmin);
    xmin -= xpad;
    xmax += xpad;
    auto X = [&](double b) { return left + (b - xmin) / (xmax - xmin) * pw; };
    auto Y = [&](double k) {
        const double l = k > 0 ? std::log10(k) : ly0;
        return top + (ly1 - std::max(ly0, l)) / (ly1 - ly0) * ph;
    };
    std::ostringstream o;
    o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
      << "\" viewBox=\"0 0 " << W << " " << H << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << left << "\" y=\"24\" font-size=\"15\">" << xmlEscape(title) << "</text>\n";
    // Axes and grid.
    o << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
      << "\" fill=\"none\" stroke=\"#444\"/>\n";
    for (double l = ly0; l <= ly1 + 1e-9; l += 1) {
        const double y = Y(std::pow(10.0, l));
        o << "<line x1=\"" << left << "\" y1=\"" << y << "\" x2=\"" << left + pw << "\" y2=\"" << y
          << "\" stroke=\"#ddd\"/>\n"
          << "<text x=\"" << left - 6 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">1e"
          << static_cast<int>(l) << "</text>\n";
    }
    const double step = (xmax - xmin) > 8 ? 2 : (xmax - xmin) > 3 ? 1 : 0.5;
    for (double b = std::ceil(xmin / step) * step; b <= xmax + 1e-9; b += step) {
        const double x = X(b);
        o << "<line x1=\"" << x << "\" y1=\"" << top << "\" x2=\"" << x << "\" y2=\"" << top + ph
          << "\" stroke=\"#eee\"/>\n"
          << "<text x=\"" << x << "\" y=\"" << top + ph + 18 << "\" text-anchor=\"middle\">"
          << fmt("%g", b) << "</text>\n";
    }
    o << "<text x=\"" << left + pw / 2 << "\" y=\"" << H - 18
      << "\" text-anchor=\"middle\">bits per weight</text>\n"
      << "<text x=\"18\" y=\"" << top + ph / 2 << "\" transform=\"rotate(-90 18 " << top + ph / 2
      << ")\" text-anchor=\"middle\">task KLD (mean, log scale)</text>\n";
    // Families: one line each.
    std::map<std::string, std::vector<const PlotPoint*>> families;
    std::vector<const PlotPoint*> recipes;
    for (const auto& p : points) {
        if (p.kind == "recipe")
            recipes.push_back(&p);
        else
            families[plotFamily(p)].push_back(&p);
    }
    // Labels: uniform types, then the mixes, placed so that none overlaps another or a point.
    const double fontSize = 10;
    std::vector<LabelRequest> requests;
    std::vector<const PlotPoint*> labelled;
    std::vector<std::string> colours;
    int c = 0;
    double legendY = top + 10;
    std::map<std::string, std::string> colourOf;
    for (auto& [name, ps] : families) {
        colourOf[name] = kColours[c++ % 8];
        std::sort(ps.begin(), ps.end(), [](const PlotPoint* a, const PlotPoint* b) {
            return a->bitsPerWeight < b->bitsPerWeight;
        });
    }
    if (auto it = families.find("uniform"); it != families.end())
        for (const PlotPoint* p : it->second) {
            requests.push_back(
                {X(p->bitsPerWeight), Y(p->kld), textWidth(p->label, fontSize), fontSize + 2});
            labelled.push_back(p);
            colours.push_back(colourOf["uniform"]);
        }
    for (const PlotPoint* p : recipes) {
        requests.push_back(
            {X(p->bitsPerWeight), Y(p->kld), textWidth(p->label, fontSize), fontSize + 2});
        labelled.push_back(p);
        colours.push_back("#333");
    }
    std::vector<std::pair<double, double>> unlabelled;
    for (const auto& [name, ps] : families)
        if (name != "uniform")
            for (const PlotPoint* p : ps)
                unlabelled.emplace_back(X(p->bitsPerWeight), Y(p->kld));
    LabelPlacementOptions lo;
    lo.markerRadius = 4.5;
    const auto placed = placeLabels(requests, {left + 1, top + 1, pw - 2, ph - 2}, unlabelled, lo);
    SvgLabelStats st;
    st.labels = static_cast<int>(placed.size());

    for (auto& [name, ps] : families) {
        const std::string& colour = colourOf[name];
        o << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2\" points=\"";
        for (const PlotPoint* p : ps)
            o << X(p->bitsPerWeight) << "," << Y(p->kld) << " ";
        o << "\"/>\n";
        for (const PlotPoint* p : ps)
            o << "<circle cx=\"" << X(p->bitsPerWeight) << "\" cy=\"" << Y(p->kld)
              << "\" r=\"3.5\" fill=\"" << (p->measured ? colour : std::string("#fff"))
              << "\" stroke=\"" << colour << "\"><title>" << xmlEscape(p->label) << ": "
              << fmt("%.4g", p->kld) << (p->measured ? "" : " predicted") << " at "
              << fmt("%.3f", p->bitsPerWeight) << " bpw</title></circle>\n";
        std::string legend = name;
        if (name == "uniform")
            legend = uniformNote.empty() ? "uniform types (block weights)"
                                         : "uniform types (" + uniformNote + ")";
        o << "<line x1=\"" << left + pw + 12 << "\" y1=\"" << legendY << "\" x2=\""
          << left + pw + 32 << "\" y2=\"" << legendY << "\" stroke=\"" << colour
          << "\" stroke-width=\"2\"/>\n"
          << "<text x=\"" << left + pw + 38 << "\" y=\"" << legendY + 4 << "\">"
          << xmlEscape(legend) << "</text>\n";
        legendY += 18;
    }
    for (const PlotPoint* p : recipes) {
        const double x = X(p->bitsPerWeight), y = Y(p->kld);
        o << "<rect x=\"" << x - 4 << "\" y=\"" << y - 4 << "\" width=\"8\" height=\"8\" fill=\""
          << (p->measured ? "#333" : "#fff") << "\" stroke=\"#333\"><title>" << xmlEscape(p->label)
          << ": " << fmt("%.4g", p->kld) << (p->measured ? "" : " predicted") << " at "
          << fmt("%.3f", p->bitsPerWeight) << " bpw</title></rect>\n";
    }
    for (std::size_t i = 0; i < placed.size(); ++i) {
        const LabelPlacement& pl = placed[i];
        if (!pl.placed)
            continue;
        ++st.placed;
        if (pl.leader) {
            ++st.leaders;
            o << "<line x1=\"" << requests[i].anchorX << "\" y1=\"" << requests[i].anchorY
              << "\" x2=\"" << pl.leaderX << "\" y2=\"" << pl.leaderY
              << "\" stroke=\"#999\" stroke-width=\"0.8\"/>\n";
        }
        o << "<text class=\"label\" x=\"" << pl.box.x + 1 << "\" y=\"" << pl.box.y + pl.box.h - 3
          << "\" fill=\"" << colours[i] << "\" font-size=\"" << fontSize << "\">"
          << xmlEscape(labelled[i]->label) << "</text>\n";
    }
    if (!recipes.empty())
        o << "<rect x=\"" << left + pw + 18 << "\" y=\"" << legendY - 4
          << "\" width=\"8\" height=\"8\" fill=\"#333\"/><text x=\"" << left + pw + 38 << "\" y=\""
          << legendY + 4 << "\">llama.cpp mixes</text>\n";
    if (std::any_of(points.begin(), points.end(), [](const PlotPoint& p) { return !p.measured; }))
        o << "<text x=\"" << left + pw << "\" y=\"" << H - 4
          << "\" font-size=\"10\" fill=\"#666\" text-anchor=\"end\">hollow: predicted by the "
             "damage model; filled: measured</text>\n";
    if (st.placed < st.labels)
        o << "<text x=\"" << left << "\" y=\"" << H - 4 << "\" font-size=\"10\" fill=\"#666\">"
          << (st.labels - st.placed)
          << " label(s) without room: hover the points for their names</text>\n";
    if (stats)
        *stats = st;
    o << "</svg>\n";
    return o.str();
}

} // namespace taskquant::eval
