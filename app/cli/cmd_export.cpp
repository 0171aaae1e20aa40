// taskquant export MODEL_DIR --policy P.json --format gguf|safetensors|tensor-types --out PATH
// taskquant export MODEL_DIR --type Q4_K_M|q8_0|f16|... [--pure] --format ... --out PATH:
// without a policy file, the type or mix as llama-quantize names it (policy/recipes.h).
// taskquant export MODEL_DIR --policy-from TASKQUANT.gguf ...: the policy another TaskQuant GGUF
// carries (taskquant.policy), for another checkpoint of the same architecture.
// A GGUF records its story (core/export/gguf_story.h: --map, --eval add the task and measured
// damage); --model-card writes README.md beside it (core/export/model_card.h).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <set>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "core/export/export_run.h"
#include "core/export/gguf_export.h"
#include "core/export/gguf_story.h"
#include "core/io/gguf_reader.h"
#include "core/policy/recipes.h"
#include "core/util/error.h"

namespace {

struct Options {
    std::string dir, policy, format, out, type, imatrix;
    std::string policyFrom, map, eval, evalRow, baseModel, frontierFigure;
    bool pure = false;
    bool modelCard = false;
};

// The policy of a TaskQuant GGUF, checked against the target checkpoint: same architecture,
// and every tensor the policy names exists there.
taskquant::policy::Policy policyFromGgufFor(const std::string& gguf, const std::string& dir) {
    using namespace taskquant;
    policy::Policy p = exporting::policyFromGguf(gguf);
    const auto f = io::GgufFile::open(gguf);
    const auto* arch = f->metadata().find("general.architecture");
    const exporting::GgufPlan plan = exporting::planGguf(dir, p);
    if (arch && arch->getIf<std::string>() && *arch->getIf<std::string>() != plan.arch)
        throw Error(gguf, "is a " + *arch->getIf<std::string>() + " model; " + dir + " is " +
                              plan.arch + ": its policy does not apply");
    std::set<std::string> names;
    for (const auto& t : plan.tensors)
        names.insert(t.hfName);
    std::vector<std::string> missing;
    for (const auto& [name, prec] : p.overrides)
        if (!names.count(name))
            missing.push_back(name);
    if (!missing.empty())
        throw Error(gguf, "its policy names " + std::to_string(missing.size()) + " tensor(s) " +
                              dir + " does not have (e.g. " + missing.front() +
                              "): not the same architecture and depth");
    return p;
}

int run(const Options& o) {
    using namespace taskquant;
    if (int(!o.policy.empty()) + int(!o.type.empty()) + int(!o.policyFrom.empty()) != 1)
        throw Error("give one of --policy P.json, --policy-from FILE.gguf or --type NAME (e.g. "
                    "Q4_K_M, q8_0, f16)");
    if (o.modelCard && o.format != "gguf")
        throw Error("--model-card applies to --format gguf");
    if (o.pure && o.type.empty())
        throw Error("--pure applies to --type only");
    policy::Policy p;
    if (!o.policy.empty()) {
        p = policy::Policy::readFile(o.policy);
    } else if (!o.policyFrom.empty()) {
        p = policyFromGgufFor(o.policyFrom, o.dir);
        std::cerr << "policy: from " << o.policyFrom << " (default " << p.defaultPrecision.name()
                  << ", " << p.overrides.size() << " overrides)\n";
    } else {
        policy::RecipeOptions ro;
        ro.pure = o.pure;
        ro.imatrix = !o.imatrix.empty(); // llama-quantize chooses some types differently then
        auto r = policy::applyRecipe(o.type, policy::recipeModelFromDirectory(o.dir), ro);
        std::cerr << "type: " << r.recipe.name << (o.pure ? " (pure)" : "")
                  << ", as llama-quantize chooses it per tensor\n";
        for (const auto& n : r.notes)
            std::cerr << "note: " << n << "\n";
        p = std::move(r.policy);
    }
    const auto format = exporting::parseExportFormat(o.format);
    cli::ProgressPrinter printer("export " + o.format, "bytes");
    exporting::ExportStoryOptions story;
    story.enabled = true;
    story.baseModel = o.baseModel;
    story.mapPath = o.map;
    story.evalReport = o.eval;
    story.evalRow = o.evalRow;
    story.frontierFigure = o.frontierFigure;
    if (o.modelCard)
        story.modelCard = (std::filesystem::path(o.out).parent_path() / "README.md").string();
    const auto r =
        exporting::exportModel(o.dir, p, format, o.out, printer.control(), o.imatrix, story);
    printer.finish();
    const auto& notes = r.notes;
    const uint64_t bytes = r.bytes;
    for (const auto& n : notes)
        std::cerr << "note: " << n << "\n";
    std::cout << "wrote " << o.out;
    if (bytes)
        std::cout << " (" << bytes << " bytes)";
    std::cout << "\n";
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "export",
    "Write a model under a policy: GGUF for llama.cpp, a Hugging Face safetensors "
    "directory, or a llama-quantize tensor-type file",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->dir, "Hugging Face model directory")->required();
        app.add_option("--policy", o->policy, "Policy JSON");
        app.add_option("--type", o->type,
                       "Instead of a policy: a llama.cpp type or mix as llama-quantize takes it "
                       "(Q4_K_M, Q3_K_S, IQ4_XS, q8_0, f16, ...; case-insensitive)");
        app.add_flag("--pure", o->pure,
                     "With --type: that type for every matrix (llama-quantize --pure)");
        app.add_option("--format", o->format, "gguf, safetensors or tensor-types")
            ->required()
            ->check(CLI::IsMember({"gguf", "safetensors", "tensor-types"}));
        app.add_option("--out", o->out, "Output file (gguf, tensor-types) or directory")
            ->required();
        app.add_option("--imatrix", o->imatrix,
                       "Importance matrix (GGUF or legacy .dat) for importance-weighted "
                       "quantization, as llama-quantize --imatrix");
        app.add_option("--policy-from", o->policyFrom,
                       "Instead of a policy: the policy a TaskQuant GGUF carries, applied to this "
                       "checkpoint (same architecture)");
        app.add_option("--map", o->map,
                       "The sensitivity map the policy was made from: records the calibration "
                       "task and the map's fingerprint in the GGUF");
        app.add_option("--eval", o->eval,
                       "A taskquant eval --report JSON: records the measured KLD / PPL");
        app.add_option("--eval-row", o->evalRow,
                       "Its row for this file (default: the only non-baseline row)");
        app.add_option("--base-model", o->baseModel,
                       "Base model id for general.base_model and the model card (default: the "
                       "model directory's name)");
        app.add_flag("--model-card", o->modelCard,
                     "With --format gguf: also write README.md (Hugging Face model card) beside "
                     "the file");
        app.add_option("--frontier-figure", o->frontierFigure,
                       "A frontier plot (PNG/SVG) to show in the model card");
        return [o] { return run(*o); };
    }};

} // namespace
