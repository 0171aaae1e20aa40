// `taskquant policy MAP --method M [params] --out POLICY.json`: a mixed-precision policy from a
// sensitivity map, with the study's selection methods or the optimal allocator.
// `taskquant policy --recipe NAME --model DIR --out POLICY.json`: llama-quantize's named mix
// (Q4_K_M, ...) for that model, tensor by tensor (policy/recipes.h).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/cli/command.h"
#include "core/export/policy_cost.h"
#include "core/io/json_file.h"
#include "core/io/output_path.h"
#include "core/io/safetensors.h"
#include "core/models/gguf_names.h"
#include "core/models/model_config.h"
#include "core/policy/damage_model.h"
#include "core/policy/error_measure.h"
#include "core/policy/policy_builder.h"
#include "core/policy/recipes.h"
#include "core/util/error.h"
#include "core/util/nearest_names.h"

namespace {

using namespace taskquant;
using quant::Precision;

struct Options {
    std::string map, out, method, high = "f16", low = "int4_g128";
    double keep = 0.20, ratio = 0.05, share = 0.95, budgetMb = -1, sizeMb = -1, avgBits = -1;
    int64_t budgetBytes = -1;
    std::vector<std::string> pins;
    bool invert = false, numelWeighted = false;
    std::string precisions, errors, errorProxy, shapes, model;
    std::string embeddings = "f16", lmHead = "f16", norms = "f16", biases = "f16", other = "f16";
    std::string reference = "f16";
    std::string recipe;
    bool recipeImatrix = false;
};

std::map<std::string, std::vector<int64_t>> readShapes(const std::string& path) {
    const nlohmann::json j = io::readJsonFile(path);
    if (!j.is_object())
        throw Error(path, "shapes must be a JSON object {tensor: [sizes]}");
    std::map<std::string, std::vector<int64_t>> out;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!it.value().is_array() || it.value().size() > 8)
            throw Error(path, "the shape of \"" + it.key() + "\" must be an array of sizes");
        std::vector<int64_t> s;
        for (const auto& d : it.value()) {
            if (!d.is_number_integer() || d.get<int64_t>() < 0 ||
                d.get<int64_t>() > (int64_t(1) << 40))
                throw Error(path,
                            "the shape of \"" + it.key() + "\" must hold non-negative integers");
            s.push_back(d.get<int64_t>());
        }
        out[it.key()] = std::move(s);
    }
    return out;
}

std::string mib(uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buf;
}

int runRecipe(const Options& o) {
    if (!o.map.empty() || !o.method.empty())
        throw Error("give either MAP --method M or --recipe NAME, not both");
    if (o.model.empty())
        throw Error("--recipe needs --model DIR (the model whose tensors the mix is chosen for)");
    const auto model = policy::recipeModelFromDirectory(o.model);
    policy::RecipeOptions ro;
    ro.imatrix = o.recipeImatrix;
    policy::RecipeResult r = policy::applyRecipe(o.recipe, model, ro);
    r.policy.writeFile(o.out);
    std::printf("recipe: %s (llama.cpp file type %u)%s\n", r.recipe.name.c_str(), r.recipe.fileType,
                ro.imatrix ? ", as chosen with an importance matrix" : "");
    std::map<std::string, int> counts;
    for (const auto& c : r.tensors)
        ++counts[c.type.name()];
    for (const auto& [p, n] : counts)
        std::printf("  %-8s %d tensors\n", p.c_str(), n);
    for (const auto& n : r.notes)
        std::fprintf(stderr, "note: %s\n", n.c_str());
    const policy::SizeEstimate& e = *r.policy.estimate;
    std::printf("estimated size: %s vs %s at %s (%.3f vs %.3f bits per counted weight)\n",
                mib(e.bytes).c_str(), mib(e.referenceBytes).c_str(),
                r.policy.reference.name().c_str(), e.averageBits, e.referenceBits);
    std::printf("wrote %s\n", o.out.c_str());
    return 0;
}

int run(const Options& o) {
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.out}}, {o.map, o.model, o.errors});
    if (!o.recipe.empty())
        return runRecipe(o);
    if (o.map.empty() || o.method.empty())
        throw Error("give MAP and --method M (or --recipe NAME --model DIR)");
    const auto map = sensitivity::SensitivityMap::readFile(o.map);
    policy::BuildOptions b;
    b.method = o.method;
    b.selection.keepFraction = o.keep;
    b.selection.gradientRatio = o.ratio;
    b.selection.cumulativeShare = o.share;
    b.selection.invert = o.invert;
    b.high = Precision::parse(o.high);
    b.low = Precision::parse(o.low);
    b.base.embeddings = Precision::parse(o.embeddings);
    b.base.lmHead = Precision::parse(o.lmHead);
    b.base.norms = Precision::parse(o.norms);
    b.base.biases = Precision::parse(o.biases);
    b.base.other = Precision::parse(o.other);
    b.base.reference = Precision::parse(o.reference);
    if (!o.shapes.empty())
        b.shapes = readShapes(o.shapes);
    if (!o.model.empty()) {
        // Only the safetensors headers are read: shapes, no weights.
        const auto ckpt = io::SafetensorsCheckpoint::openDirectory(o.model);
        for (const auto& name : ckpt.names())
            b.shapes.emplace(name, ckpt.find(name)->shape);
    }
    std::unique_ptr<policy::ErrorTable> errors;
    std::optional<exporting::GgufTensorSizes> sizes;
    if (o.method == "knapsack") {
        if (o.budgetMb < 0)
            throw Error("knapsack needs --budget-mb (MiB the kept tensors may add)");
        b.selection.budgetMiB = o.budgetMb;
    }
    if (o.method == "optimal") {
        b.choices = Precision::parseList(o.precisions);
        if (!o.errors.empty())
            errors = std::make_unique<policy::ErrorTable>(policy::ErrorTable::readFile(o.errors));
        b.errors = errors.get();
        // Default choices: the error table's precisions, else f16 and the GGUF types.
        if (b.choices.empty()) {
            if (errors)
                for (const auto& p : errors->precisions())
                    b.choices.push_back(Precision::parse(p));
            else
                b.choices = policy::defaultGgufCandidates();
        }
        // Measured squared errors: minimise the damage model's predicted KL (the frontier's
        // model, exporting::buildOptimalForGguf).
        if (errors && errors->hasSse())
            std::fprintf(stderr, "cost: predicted KL %s (damage model)\n",
                         policy::damageFormula(*errors).c_str());
        // Sizes are the GGUF file's tensor bytes: with --model exactly the tensors the file
        // holds (a tied embedding once, under the file's name), else the map's and --shapes'.
        if (!o.model.empty() &&
            models::ggufArchitecture(
                models::ModelConfig::fromFile(o.model + "/config.json").modelType)) {
            sizes = exporting::GgufTensorSizes::ofDirectory(o.model);
        } else {
            if (!o.model.empty())
                std::fprintf(stderr,
                             "note: %s has no GGUF layout; sizes count its checkpoint's "
                             "tensors by the GGUF rule\n",
                             o.model.c_str());
            std::vector<exporting::NamedShape> shapes;
            for (const auto& t : policy::shapesOf(map, b.shapes, errors.get()))
                if (t.shape)
                    shapes.push_back({t.name, *t.shape});
            for (const auto& [name, shape] : b.shapes)
                if (!map.find(name))
                    shapes.push_back({name, shape});
            sizes = exporting::GgufTensorSizes::ofShapes(shapes);
        }
        for (const std::string& pin : o.pins) {
            const auto eq = pin.rfind('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == pin.size())
                throw Error("--set takes TENSOR=PRECISION (got \"" + pin + "\")");
            b.pinned[pin.substr(0, eq)] = Precision::parse(pin.substr(eq + 1));
        }
        // A pin naming no tensor of the map was ignored silently.
        for (const auto& [name, precision] : b.pinned) {
            auto names = map.names();
            for (const auto& [param, file] : sizes->aliases()) // the file's name of a tensor
                if (std::find(names.begin(), names.end(), param) != names.end())
                    names.push_back(file);
            if (std::find(names.begin(), names.end(), name) == names.end())
                throw Error("--set \"" + name + "\" names no tensor of " + o.map +
                            " (nearest: " + nearestNamesText(name, names) + ")");
        }
        if (o.budgetBytes >= 0)
            b.budgetBytes = static_cast<uint64_t>(o.budgetBytes);
        if (!o.errorProxy.empty()) {
            if (o.errorProxy != "bits")
                throw Error("unknown --error-proxy '" + o.errorProxy + "' (expected bits)");
            if (errors)
                throw Error("give either --errors or --error-proxy, not both");
            b.bitsProxy = true;
            std::fprintf(stderr,
                         "note: using the proxy error 2^(-2*bits) instead of measured errors\n");
        }
        b.weightByNumel = o.numelWeighted;
        if (o.sizeMb >= 0)
            b.budgetMiB = o.sizeMb;
        if (o.avgBits >= 0)
            b.averageBits = o.avgBits;
    }
    JobControl job;
    job.progress = [](const ProgressInfo& p) {
        if (p.total > 0 && p.done == p.total)
            std::fprintf(stderr, "%s: done\n", p.message.c_str());
    };
    const policy::BuildResult r = sizes ? exporting::buildOptimalForGguf(map, b, *sizes, job)
                                        : policy::buildPolicy(map, b, job);
    r.policy.writeFile(o.out);

    std::printf("map: %s (%zu tensors, %zu quantizable linear weights)\n", o.map.c_str(),
                map.size(), r.candidates.size());
    std::printf("method: %s\n", r.policy.provenance.method.c_str());
    if (r.selection) {
        if (r.selection->threshold)
            std::printf("threshold: %.6g\n", *r.selection->threshold);
        if (o.method == "elbow" || o.method == "elb")
            std::printf("knee: %s\n", r.selection->knee ? std::to_string(*r.selection->knee).c_str()
                                                        : "none (0.2 quantile fallback)");
        std::printf("kept in %s: %zu of %zu%s\n", b.high.name().c_str(), r.selection->kept.size(),
                    r.candidates.size(), o.invert ? " (inverted: least sensitive)" : "");
    }
    if (r.allocation) {
        std::map<std::string, int> counts;
        for (const auto& name : r.candidates)
            ++counts[r.policy.precisionFor(name).name()];
        for (const auto& [p, n] : counts)
            std::printf("  %-12s %d tensors\n", p.c_str(), n);
        const nlohmann::json& params = r.policy.provenance.params;
        if (params.contains("damage_model"))
            std::printf(
                "damage model: %s%s%s\n", params["damage_model"].get<std::string>().c_str(),
                params.contains("damage_weighting")
                    ? (", weighted by " + params["damage_weighting"].get<std::string>()).c_str()
                    : "",
                params.contains("task_text")
                    ? (" (" + params["task_text"]["source"].get<std::string>() + ")").c_str()
                    : "");
        if (sizes) {
            const uint64_t fileBytes = sizes->total(r.policy);
            if (b.budgetBytes)
                std::printf("GGUF tensor bytes: %llu of the budget's %llu (%.2f %%)\n",
                            static_cast<unsigned long long>(fileBytes),
                            static_cast<unsigned long long>(*b.budgetBytes),
                            100.0 * double(fileBytes) /
                                double(std::max<uint64_t>(1, *b.budgetBytes)));
            else
                std::printf("GGUF tensor bytes: %llu\n",
                            static_cast<unsigned long long>(fileBytes));
        }
        std::printf(
            "objective: %.6g (%s)\n", r.allocation->objective,
            r.allocation->exact
                ? "optimal"
                : ("optimal within " + mib(r.allocation->slackBytes) + " of budget").c_str());
    }
    const policy::SizeEstimate& e = *r.policy.estimate;
    if (e.tensors > 0)
        std::printf("estimated size: %s vs %s at %s (%.3f vs %.3f bits per counted weight)\n",
                    mib(e.bytes).c_str(), mib(e.referenceBytes).c_str(),
                    r.policy.reference.name().c_str(), e.averageBits, e.referenceBits);
    if (e.tensorsWithoutShape > 0)
        std::printf("size estimate: %lld tensors have no known shape (give --model or --shapes)\n",
                    static_cast<long long>(e.tensorsWithoutShape));
    std::printf("wrote %s\n", o.out.c_str());
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "policy", "Make a mixed-precision policy from a sensitivity map", [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MAP", o->map, "Sensitivity map (taskquant-map JSON or flat {name: score})");
        app.add_option("--method", o->method,
                       "pct | otsu | elbow | gradient | cumulative | knapsack | blocks | optimal");
        app.add_option("--recipe", o->recipe,
                       "llama.cpp mix instead of a map: Q2_K, Q3_K_S/M/L, Q4_K_S/M, Q5_K_S/M, "
                       "Q6_K, Q4_0, IQ4_XS, ... (needs --model)");
        app.add_flag("--recipe-imatrix", o->recipeImatrix,
                     "--recipe: choose as llama-quantize does when given an importance matrix");
        app.add_option("--out", o->out, "Policy JSON to write")->required();
        app.add_option("--keep,--percentile", o->keep,
                       "pct: fraction of tensors kept; blocks: fraction of blocks kept")
            ->capture_default_str();
        app.add_option("--ratio", o->ratio, "gradient: normalised log-slope ratio")
            ->capture_default_str();
        app.add_option("--share", o->share, "cumulative: share of the total score kept")
            ->capture_default_str();
        app.add_option("--budget-mb", o->budgetMb,
                       "knapsack: MiB the kept tensors may add over --low");
        app.add_flag("--invert", o->invert, "Keep the least sensitive tensors instead (ablations)");
        app.add_option("--high", o->high, "Precision of kept tensors")->capture_default_str();
        app.add_option("--low", o->low, "Precision of the other linear weights")
            ->capture_default_str();
        app.add_option("--precisions", o->precisions,
                       "optimal: comma-separated precisions to choose from (default: the error "
                       "table's, else f16 and the GGUF types)");
        app.add_option("--errors", o->errors, "optimal: error table JSON (taskquant-errors)");
        app.add_option("--error-proxy", o->errorProxy,
                       "optimal: 'bits' = proxy error 2^(-2*bits), no table");
        app.add_option("--budget-bytes", o->budgetBytes,
                       "optimal: exact budget of the GGUF file's tensor bytes (every tensor, "
                       "norms F32 as GGUF stores them; with --model exactly the file's tensors)");
        app.add_option("--set", o->pins,
                       "optimal: TENSOR=PRECISION, a hard constraint (repeatable)");
        app.add_option("--size-mb", o->sizeMb,
                       "optimal: total size budget of the map's tensors, MiB");
        app.add_option("--avg-bits", o->avgBits,
                       "optimal: budget in average bits per allocated weight");
        app.add_flag("--numel-weighted", o->numelWeighted,
                     "optimal: weight each error by the tensor's numel");
        app.add_option("--shapes", o->shapes, "JSON {tensor: [sizes]} for maps without shapes");
        app.add_option("--model", o->model,
                       "Model directory whose safetensors headers give the shapes");
        app.add_option("--embeddings", o->embeddings, "Precision of the embeddings")
            ->capture_default_str();
        app.add_option("--lm-head", o->lmHead, "Precision of lm_head")->capture_default_str();
        app.add_option("--norms", o->norms, "Precision of norm weights")->capture_default_str();
        app.add_option("--biases", o->biases, "Precision of biases")->capture_default_str();
        app.add_option("--other", o->other, "Precision of unrecognised tensors")
            ->capture_default_str();
        app.add_option("--reference", o->reference, "Unquantized storage the size is compared with")
            ->capture_default_str();
        return [o] { return run(*o); };
    }};

} // namespace
