#include "app/studio/studio_jobs.h"

#include <QDir>
#include <QFileInfo>
#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/policy/taxonomy.h"
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
        throw taskquant::Error(directory.toStdString(),
                               "not a model directory (no config.json)");
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

namespace {
std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}
} // namespace

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
        const auto c = policy::classify(e.name);
        const auto it = choices.constFind(QString::fromStdString(e.name));
        char score[64];
        std::snprintf(score, sizeof score, "%.17g", e.score);
        out.write(csvField(e.name) + "," +
                  (c.place == policy::Place::Layer ? std::to_string(c.layer) : std::string()) +
                  "," + policy::kindId(c.kind) + "," + std::to_string(e.numel) + "," + score +
                  "," + std::to_string(ranks[i]) + "," +
                  (it != choices.constEnd() ? it->name() : std::string()) + "\n");
        control.report(double(i + 1) / double(entries.size()), "writing rows", long(i + 1),
                       long(entries.size()));
    }
    control.check();
    out.commit();
}

void savePolicyJson(const Choices& choices, const quant::Precision& defaultPrecision,
                    const QString& mapSource, const QString& path) {
    nlohmann::ordered_json j;
    j["format"] = "taskquant-policy";
    j["version"] = 1;
    j["default"] = defaultPrecision.name();
    nlohmann::ordered_json overrides = nlohmann::ordered_json::object();
    for (auto it = choices.constBegin(); it != choices.constEnd(); ++it)
        overrides[it.key().toStdString()] = it->name();
    j["overrides"] = overrides;
    j["provenance"] = {{"map", mapSource.toStdString()}, {"method", "manual"}};
    io::writeFileAtomically(path.toStdString(), j.dump(2) + "\n");
}

Choices loadPolicyJson(const QString& path, quant::Precision* defaultPrecision) {
    const std::string p = path.toStdString();
    const nlohmann::json j = io::readJsonFile(p);
    if (!j.is_object() || j.value("format", std::string()) != "taskquant-policy")
        throw taskquant::Error(p, "not a TaskQuant policy (\"format\": \"taskquant-policy\" missing)");
    Choices out;
    try {
        if (defaultPrecision && j.contains("default"))
            *defaultPrecision = quant::Precision::parse(j.at("default").get<std::string>());
        if (j.contains("overrides")) {
            if (!j["overrides"].is_object())
                throw taskquant::Error(p, "\"overrides\" must be an object");
            for (const auto& [name, value] : j["overrides"].items())
                out.insert(QString::fromStdString(name),
                           quant::Precision::parse(value.get<std::string>()));
        }
    } catch (const nlohmann::json::exception& e) {
        throw taskquant::Error(p, std::string("malformed policy: ") + e.what());
    } catch (const taskquant::Error& e) {
        if (!e.file().empty())
            throw;
        throw taskquant::Error(p, e.what());
    }
    return out;
}

} // namespace taskquant::studio
