// `taskquant report MAP [--csv DIR]`: a sensitivity map in numbers: the most sensitive
// tensors, per-kind statistics, where each threshold method of the study cuts, and CSV files
// (tensors, per layer, per kind, normalised curve) for spreadsheets and plots.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/cli/command.h"
#include "core/io/atomic_file.h"
#include "core/io/output_path.h"
#include "core/policy/compare.h"
#include "core/policy/heatmap_grid.h"
#include "core/policy/selection.h"
#include "core/util/csv.h"
#include "core/util/error.h"

namespace {

using namespace taskquant;

struct Options {
    std::string map, csv;
    std::size_t top = 10;
};

std::string num(double x) { // shortest text that reads back exactly
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);
    return std::string(buf, r.ptr);
}

std::string aggregatesCsv(const std::vector<policy::Aggregate>& rows, const char* keyName) {
    std::string out = std::string(keyName) + ",count,sum,mean,max,numel\n";
    for (const auto& r : rows)
        out += r.key + "," + std::to_string(r.count) + "," + num(r.sum) + "," + num(r.mean) + "," +
               num(r.max) + "," + std::to_string(r.numel) + "\n";
    return out;
}

void writeCsvs(const sensitivity::SensitivityMap& map, const Options& o) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(o.csv, ec);
    if (ec)
        throw Error(o.csv, "cannot create the directory: " + ec.message());
    const std::string stem = fs::path(o.map).stem().string();
    const fs::path dir(o.csv);
    const std::string tensors = (dir / (stem + "_tensors.csv")).string();
    const std::string layers = (dir / (stem + "_layers.csv")).string();
    const std::string kinds = (dir / (stem + "_kinds.csv")).string();
    const std::string curve = (dir / (stem + "_curve.csv")).string();
    map.writeCsv(tensors);
    io::writeFileAtomically(layers, aggregatesCsv(policy::aggregateByLayer(map), "layer"));
    io::writeFileAtomically(kinds, aggregatesCsv(policy::aggregateByKind(map), "kind"));
    std::string c = "rank,name,score,normalised\n";
    int rank = 0;
    for (const auto& p : policy::normalisedCurve(map))
        c += std::to_string(++rank) + "," + csv::field(p.name) + "," + num(p.score) + "," +
             num(p.normalised) + "\n";
    io::writeFileAtomically(curve, c);
    for (const auto& f : {tensors, layers, kinds, curve})
        std::printf("wrote %s\n", f.c_str());
}

int run(const Options& o) {
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--csv", o.csv, io::OutputKind::FilesInDirectory}}, {o.map});
    const auto map = sensitivity::SensitivityMap::readFile(o.map);
    const auto grid = policy::buildHeatmapGrid(
        map.names(), models::resolveScheme(map.provenance().architecture, map.names()));
    const auto& p = map.provenance();
    std::printf("map: %s\n", o.map.c_str());
    std::printf("tensors: %zu, scheme: %s, layers: %d\n", map.size(),
                models::schemeName(grid.scheme).c_str(), grid.layerCount());
    if (!p.method.empty())
        std::printf("method: %s, dataset: %s, samples: %lld, tokens: %lld\n", p.method.c_str(),
                    p.dataset.c_str(), static_cast<long long>(p.samples),
                    static_cast<long long>(p.tokens));
    const auto curve = policy::normalisedCurve(map);
    std::printf("most sensitive (score, fraction of max):\n");
    const auto& unc = map.uncertainty();
    for (std::size_t i = 0; i < std::min(o.top, curve.size()); ++i) {
        std::printf("  %3zu  %-12.6g %6.3f  %s", i + 1, curve[i].score, curve[i].normalised,
                    curve[i].name.c_str());
        if (unc)
            if (auto k = map.indexOf(curve[i].name))
                std::printf("  [%.6g, %.6g]", unc->lower[*k], unc->upper[*k]);
        std::printf("\n");
    }
    if (unc) {
        std::printf("uncertainty: %s, %d resamples of %lld samples, %.0f%% intervals above\n",
                    unc->method.c_str(), unc->resamples, static_cast<long long>(unc->samples),
                    100 * unc->level);
        double worstRel = 0;
        for (std::size_t k = 0; k < map.size(); ++k) {
            const double s = map.entries()[k].score;
            if (s > 0)
                worstRel = std::max(worstRel, (unc->upper[k] - unc->lower[k]) / (2 * s));
        }
        std::printf("widest interval: +-%.1f%% of its score\n", 100 * worstRel);
        std::printf("rank stability (P(stays in the top %d) over the resamples):\n", unc->topK);
        double minP = 1;
        for (const auto& [name, prob] : unc->topStability) {
            std::printf("  %5.3f  %s\n", prob, name.c_str());
            minP = std::min(minP, prob);
        }
        std::printf("%s\n", minP >= 0.9 ? "the top ranks are stable: these samples suffice"
                                        : "some top ranks are unstable: more samples would help");
    }
    std::printf("per kind (count, mean, max):\n");
    for (const auto& k : policy::aggregateByKind(map))
        std::printf("  %-26s %4zu %12.6g %12.6g\n", k.key.c_str(), k.count, k.mean, k.max);

    std::vector<policy::Candidate> cands;
    for (const auto& e : map.entries())
        if (models::classify(e.name).isQuantizableWeight())
            cands.push_back({e.name, e.score, 0, 0});
    if (!cands.empty()) {
        std::printf("thresholds over %zu linear weights (kept = score >= threshold):\n",
                    cands.size());
        for (auto m : {policy::SelectionMethod::Percentile, policy::SelectionMethod::Otsu,
                       policy::SelectionMethod::Elbow, policy::SelectionMethod::Gradient,
                       policy::SelectionMethod::Cumulative}) {
            policy::SelectionParams sp;
            sp.method = m;
            const auto s = policy::selectProtected(cands, sp);
            std::printf("  %-10s %12.6g  kept %zu\n", policy::selectionMethodName(m).c_str(),
                        *s.threshold, s.kept.size());
        }
    }
    if (!o.csv.empty())
        writeCsvs(map, o);
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "report", "Summarise a sensitivity map; --csv writes per-tensor/layer/kind tables",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MAP", o->map, "Sensitivity map")->required();
        app.add_option("--csv", o->csv, "Directory for <map>_{tensors,layers,kinds,curve}.csv");
        app.add_option("--top", o->top, "How many tensors to list")->capture_default_str();
        return [o] { return run(*o); };
    }};

} // namespace
