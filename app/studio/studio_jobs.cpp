#include "app/studio/studio_jobs.h"

#include "app/studio/engine_jobs.h"

#include <QDir>
#include <QFileInfo>
#include <nlohmann/json.hpp>

#include "core/export/gguf_story.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/models/taxonomy.h"
#include "core/policy/policy.h"
#include "core/policy/policy_builder.h"
#include "core/util/csv.h"
#include "core/util/error.h"

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

Choices optimiseChoices(const MapPtr& map, double averageBits,
                        const taskquant::JobControl& control) {
    if (!map)
        throw taskquant::Error("optimise: no map open");
    policy::BuildOptions o;
    o.method = "optimal";
    o.choices = {quant::Precision::parse("f16"), quant::Precision::parse("int8_g128"),
                 quant::Precision::parse("int4_g128")};
    o.bitsProxy = true;
    o.averageBits = averageBits;
    const policy::BuildResult r = policy::buildPolicy(*map, o, control);
    Choices out;
    for (const auto& name : r.candidates)
        out.insert(QString::fromStdString(name), r.policy.precisionFor(name));
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
