#include "app/studio/studio_jobs.h"

#include "app/studio/engine_jobs.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/export/gguf_story.h"
#include "core/export/policy_cost.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/models/taxonomy.h"
#include "core/policy/error_measure.h"
#include "core/policy/policy.h"
#include "core/policy/policy_builder.h"
#include "core/util/csv.h"
#include "core/util/error.h"
#include "core/util/shape.h"

namespace taskquant::studio {

std::vector<MapPtr> readMaps(const QStringList& paths, const taskquant::JobControl& control) {
    std::vector<MapPtr> out;
    for (int i = 0; i < paths.size(); ++i) {
        control.check();
        control.report(double(i) / paths.size(),
                       "reading " + QFileInfo(paths[i]).fileName().toStdString(), i, paths.size());
        out.push_back(std::make_shared<const sensitivity::SensitivityMap>(
            sensitivity::SensitivityMap::readFile(paths[i].toStdString())));
    }
    control.report(1.0, "done", paths.size(), paths.size());
    return out;
}

ModelInfo readModelInfo(const QString& directory, const taskquant::JobControl& control) {
    ModelInfo info;
    info.directory = directory;
    const QString config = QDir(directory).filePath(QStringLiteral("config.json"));
    if (!QFileInfo::exists(config))
        throw taskquant::Error(directory.toStdString(), "not a model directory (no config.json)");
    control.report(0.2, "reading config.json");
    const nlohmann::json j = io::readJsonFile(config.toStdString(), 4u << 20);
    if (!j.is_object())
        throw taskquant::Error(config.toStdString(), "expected a JSON object");
    if (j.contains("model_type") && j["model_type"].is_string())
        info.architecture = QString::fromStdString(j["model_type"].get<std::string>());
    for (const char* key : {"num_hidden_layers", "n_layer"})
        if (j.contains(key) && j[key].is_number_integer())
            info.layers = j[key].get<int>();
    const QDir dir(directory);
    info.weightFiles = dir.entryList({QStringLiteral("*.safetensors")}, QDir::Files, QDir::Name);
    control.report(1.0, "done");
    return info;
}

void exportTensorCsv(const MapPtr& map, const Choices& choices, const QString& path,
                     const taskquant::JobControl& control) {
    if (!map)
        throw taskquant::Error(path.toStdString(), "no map to export");
    io::AtomicFile out(path.toStdString()); // removed unless committed
    out.write("name,layer,kind,numel,score,rank,precision\n");
    const auto ranks = map->ranks();
    const auto& entries = map->entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        control.check();
        const auto& e = entries[i];
        const auto c = models::classify(e.name);
        const auto it = choices.constFind(QString::fromStdString(e.name));
        char score[64];
        std::snprintf(score, sizeof score, "%.17g", e.score);
        out.write(csv::field(e.name) + "," +
                  (c.place == models::Place::Layer ? std::to_string(c.layer) : std::string()) +
                  "," + models::kindId(c.kind) + "," + std::to_string(e.numel) + "," + score + "," +
                  std::to_string(ranks[i]) + "," +
                  (it != choices.constEnd() ? it->name() : std::string()) + "\n");
        control.report(double(i + 1) / double(entries.size()), "writing rows", long(i + 1),
                       long(entries.size()));
    }
    control.check();
    out.commit();
}

void savePolicyJson(const Choices& choices, const quant::Precision& defaultPrecision,
                    const MapPtr& map, const QString& path) {
    makePolicy(choices, defaultPrecision, map).writeFile(path.toStdString());
}

uint64_t optimiseBudgetBytes(double budget, BudgetUnit unit, int64_t parameters) {
    if (!(budget > 0) || !std::isfinite(budget))
        throw taskquant::Error(
            QCoreApplication::translate("Optimise", "The budget must be a positive number.")
                .toStdString());
    const double bytes = unit == BudgetUnit::MiB
                             ? std::floor(budget * 1048576.0)
                             : std::floor(budget * static_cast<double>(parameters) / 8.0);
    if (bytes >= 1.8e19)
        throw taskquant::Error(
            QCoreApplication::translate("Optimise", "The budget is too large.").toStdString());
    return static_cast<uint64_t>(bytes);
}

namespace {

QString budgetText(double value, BudgetUnit unit) {
    return unit == BudgetUnit::MiB
               ? QCoreApplication::translate("Optimise", "%1 MiB").arg(value, 0, 'g', 6)
               : QCoreApplication::translate("Optimise", "%1 bits per weight")
                     .arg(value, 0, 'g', 6);
}

} // namespace

OptimiseResult optimiseChoices(const OptimiseRequest& q, const taskquant::JobControl& control) {
    if (!q.map)
        throw taskquant::Error(
            QCoreApplication::translate("Optimise", "Optimise: no map open.").toStdString());
    control.report(0.0, "reading the model's tensor layout");
    // The tensors the GGUF file holds: the CLI's --model DIR, else its rule for bare shapes.
    std::optional<exporting::GgufTensorSizes> sizes;
    if (!q.modelDir.isEmpty()) {
        sizes = exporting::GgufTensorSizes::ofDirectory(q.modelDir.toStdString());
    } else {
        std::vector<exporting::NamedShape> shapes;
        for (const auto& t : policy::shapesOf(*q.map, {}, q.errors.get()))
            if (t.shape)
                shapes.push_back({t.name, *t.shape});
        sizes = exporting::GgufTensorSizes::ofShapes(shapes);
    }
    OptimiseResult out;
    for (const auto& t : sizes->tensors())
        out.parameters += checkedNumel(t.shape);
    out.budgetBytes = optimiseBudgetBytes(q.budget, q.unit, out.parameters);

    // cmd_policy.cpp's options for `--method optimal`: the default base (f16 classes), the
    // table's precisions as choices, else f16 and the GGUF types under the bits proxy.
    policy::BuildOptions b;
    b.method = "optimal";
    b.base.embeddings = b.base.lmHead = b.base.norms = b.base.biases = b.base.other =
        b.base.reference = quant::Precision::parse("f16");
    b.errors = q.errors.get();
    if (q.errors)
        for (const auto& p : q.errors->precisions())
            b.choices.push_back(quant::Precision::parse(p));
    else
        b.choices = policy::defaultGgufCandidates();
    b.bitsProxy = !q.errors;
    b.budgetBytes = out.budgetBytes;
    out.proxy = b.bitsProxy;
    out.damageModel = q.errors && q.errors->hasSse();

    policy::BuildResult r;
    try {
        r = exporting::buildOptimalForGguf(*q.map, b, *sizes, control);
    } catch (const policy::UnreachableBudget& e) {
        const double least = double(e.smallestBytes());
        const double leastInUnit = q.unit == BudgetUnit::MiB
                                       ? least / 1048576.0
                                       : 8.0 * least / double(std::max<int64_t>(1, out.parameters));
        // Rounded up, so the number shown is itself reachable.
        const double shown = std::ceil(leastInUnit * 1e4) / 1e4;
        throw taskquant::Error(
            QCoreApplication::translate("Optimise",
                                        "The budget of %1 (%2 GGUF tensor bytes) is below the "
                                        "smallest size these precisions reach: %3 (%4 bytes).")
                .arg(budgetText(q.budget, q.unit))
                .arg(out.budgetBytes)
                .arg(budgetText(shown, q.unit))
                .arg(e.smallestBytes())
                .toStdString());
    }
    out.tensorBytes = sizes->total(r.policy);
    // Every tensor under the file's name (what export and the CLI's policy use); a tied
    // embedding the file stores as lm_head.weight also under the map's name, for the editor.
    for (const auto& t : sizes->tensors())
        out.choices.insert(QString::fromStdString(t.name), r.policy.precisionFor(t.name));
    for (const auto& [param, file] : sizes->aliases())
        out.choices.insert(QString::fromStdString(param), r.policy.precisionFor(file));
    out.policy = std::move(r.policy);
    control.report(1.0, "done");
    return out;
}

Choices loadPolicyJson(const QString& path, quant::Precision* defaultPrecision) {
    // A TaskQuant GGUF carries its policy (taskquant.policy); anything else is policy JSON.
    const policy::Policy p = path.endsWith(QStringLiteral(".gguf"), Qt::CaseInsensitive)
                                 ? exporting::policyFromGguf(path.toStdString())
                                 : policy::Policy::readFile(path.toStdString());
    if (defaultPrecision)
        *defaultPrecision = p.defaultPrecision;
    Choices out;
    for (const auto& [name, precision] : p.overrides)
        out.insert(QString::fromStdString(name), precision);
    return out;
}

} // namespace taskquant::studio
