// `taskquant compare MAP_A MAP_B`: rank correlations, top-k overlap, the largest divergences
// and the "silent" tensors of two sensitivity maps of one model.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/command.h"
#include "core/io/atomic_file.h"
#include "core/io/output_path.h"
#include "core/policy/compare.h"
#include "core/util/error.h"

namespace {

using namespace taskquant;

struct Options {
    std::string a, b, json;
    std::size_t top = 10;
    bool normalise = false, linearOnly = false, silent = false;
    double fisherTop = 0.10, magnitudeBottom = 0.50;
};

bool isMagnitude(const std::string& method) {
    return method.rfind("magnitude", 0) == 0;
}

void printTensor(const policy::TensorDelta& d) {
    std::printf("  %6d %6d %+9.3f  %s\n", d.rankA, d.rankB, d.log2Ratio, d.name.c_str());
}

int run(const Options& o) {
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--json", o.json}}, {o.a, o.b});
    const auto a = sensitivity::SensitivityMap::readFile(o.a);
    const auto b = sensitivity::SensitivityMap::readFile(o.b);
    policy::CompareOptions co;
    co.normaliseToMax = o.normalise;
    co.linearOnly = o.linearOnly;
    const policy::MapComparison cmp = policy::compareMaps(a, b, co);

    std::printf("A: %s (%zu tensors%s)\n", o.a.c_str(), a.size(),
                a.provenance().method.empty() ? "" : (", " + a.provenance().method).c_str());
    std::printf("B: %s (%zu tensors%s)\n", o.b.c_str(), b.size(),
                b.provenance().method.empty() ? "" : (", " + b.provenance().method).c_str());
    std::printf("common tensors: %zu (only in A: %zu, only in B: %zu)%s\n", cmp.tensors.size(),
                cmp.onlyInA.size(), cmp.onlyInB.size(),
                o.linearOnly ? ", linear weights only" : "");
    std::printf("Spearman: %.6f\n", cmp.spearman);
    std::printf("Kendall tau-b: %.6f\n", cmp.kendall);
    for (std::size_t k : {std::size_t(5), std::size_t(10), std::size_t(20)})
        if (k <= cmp.tensors.size())
            std::printf("top-%zu overlap: %.3f\n", k, cmp.topKOverlap(k));
    std::printf("largest rank shifts (rank A, rank B, log2(B/A)%s):\n",
                o.normalise ? " of max-normalised scores" : "");
    const auto shifts = cmp.largestRankShifts(o.top);
    for (const auto& d : shifts)
        printTensor(d);

    const bool silent =
        o.silent || (a.provenance().method == "fisher" && isMagnitude(b.provenance().method));
    std::vector<policy::SilentTensor> quiet;
    if (silent) {
        quiet = policy::silentTensors(a, b, o.fisherTop, o.magnitudeBottom, o.linearOnly);
        std::printf("silent tensors (A rank in top %.0f%%, B rank in bottom %.0f%%): %zu\n",
                    o.fisherTop * 100, o.magnitudeBottom * 100, quiet.size());
        for (const auto& s : quiet)
            std::printf("  %6d %6d  %s\n", s.fisherRank, s.magnitudeRank, s.name.c_str());
    }

    if (!o.json.empty()) {
        auto num = [](double x) {
            return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr);
        };
        nlohmann::ordered_json j;
        j["a"] = o.a;
        j["b"] = o.b;
        j["common"] = cmp.tensors.size();
        j["only_in_a"] = cmp.onlyInA;
        j["only_in_b"] = cmp.onlyInB;
        j["spearman"] = num(cmp.spearman);
        j["kendall_tau_b"] = num(cmp.kendall);
        j["normalised"] = cmp.normalised;
        nlohmann::ordered_json topk = nlohmann::ordered_json::object();
        for (std::size_t k : {std::size_t(5), std::size_t(10), std::size_t(20)})
            if (k <= cmp.tensors.size())
                topk[std::to_string(k)] = cmp.topKOverlap(k);
        j["top_k_overlap"] = std::move(topk);
        nlohmann::ordered_json ts = nlohmann::ordered_json::array();
        for (const auto& d : cmp.tensors)
            ts.push_back({{"name", d.name},
                          {"a", d.a},
                          {"b", d.b},
                          {"rank_a", d.rankA},
                          {"rank_b", d.rankB},
                          {"log2_ratio", d.log2Ratio}});
        j["tensors"] = std::move(ts);
        nlohmann::ordered_json qs = nlohmann::ordered_json::array();
        for (const auto& s : quiet)
            qs.push_back({{"name", s.name}, {"rank_a", s.fisherRank}, {"rank_b", s.magnitudeRank}});
        j["silent"] = std::move(qs);
        io::writeFileAtomically(o.json, j.dump(2) + "\n");
        std::printf("wrote %s\n", o.json.c_str());
    }
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "compare", "Compare two sensitivity maps (rank correlations, divergences, silent tensors)",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MAP_A", o->a, "First map (e.g. Fisher)")->required();
        app.add_option("MAP_B", o->b, "Second map (e.g. magnitude, or another task)")->required();
        app.add_option("--top", o->top, "How many divergent tensors to list")
            ->capture_default_str();
        app.add_flag("--normalise,--normalize", o->normalise,
                     "Divide each map by its maximum before log2 ratios");
        app.add_flag("--linear-only", o->linearOnly,
                     "Only the quantizable linear weights take part");
        app.add_flag(
            "--silent", o->silent,
            "List silent tensors (high in A, low in B); automatic for fisher vs magnitude maps");
        app.add_option("--silent-top", o->fisherTop, "Silent: top fraction of A")
            ->capture_default_str();
        app.add_option("--silent-bottom", o->magnitudeBottom, "Silent: bottom fraction of B")
            ->capture_default_str();
        app.add_option("--json", o->json, "Also write the comparison as JSON");
        return [o] { return run(*o); };
    }};

} // namespace
