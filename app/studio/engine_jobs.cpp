#include "app/studio/engine_jobs.h"

#include "core/policy/recipes.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include "core/data/dataset_spec.h"
#include "core/io/imatrix_file.h"
#include "core/sensitivity/imatrix.h"

#include "core/models/devices.h"
#include "core/models/taxonomy.h"
#include "core/policy/policy_builder.h"
#include "core/sensitivity/map_runs.h"
#include "core/util/error.h"

namespace taskquant::studio {

namespace {
void requireModel(const QString& dir) {
    if (dir.isEmpty())
        throw taskquant::Error("no model directory open (File > Open Model Directory)");
    if (!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("config.json"))))
        throw taskquant::Error(dir.toStdString(), "not a model directory (no config.json)");
}

void requireFile(const QString& path, const char* what) {
    if (path.isEmpty())
        throw taskquant::Error(std::string("no ") + what + " chosen");
    const QFileInfo fi(path);
    if (!fi.exists())
        throw taskquant::Error(path.toStdString(), "no such file");
    if (!fi.isFile())
        throw taskquant::Error(path.toStdString(), "not a regular file");
}

// Writes the map to `path` (when set) after a last cancel check; returns it with that source.
MapPtr finishMap(sensitivity::SensitivityMap map, const QString& path,
                 const taskquant::JobControl& control) {
    control.check();
    if (!path.isEmpty()) {
        map.writeFile(path.toStdString());
        map = map.withSource(path.toStdString());
    }
    return std::make_shared<const sensitivity::SensitivityMap>(std::move(map));
}
} // namespace

policy::Policy makePolicy(const Choices& choices, const quant::Precision& defaultPrecision,
                          const MapPtr& map) {
    policy::Policy p;
    p.defaultPrecision = defaultPrecision;
    for (auto it = choices.constBegin(); it != choices.constEnd(); ++it)
        p.overrides[it.key().toStdString()] = *it;
    p.provenance.method = "manual";
    if (map) {
        p.provenance.map = map->source();
        p.provenance.mapMethod = map->provenance().method;
        p.provenance.mapDataset = map->provenance().dataset;
        p.provenance.modelFingerprint = map->provenance().modelFingerprint;
        try {
            p.estimate = p.estimateSize(policy::shapesOf(*map));
        } catch (const taskquant::Error&) {
            // a precision that cannot store some shape: no estimate
        }
    }
    return p;
}

sensitivity::CalibrationSpec calibrationOf(const FisherRequest& r) {
    if (data::datasetKindTakesFile(r.datasetKind.toStdString()))
        requireFile(r.dataFile, "data file");
    sensitivity::CalibrationSpec cal;
    cal.modelDir = r.modelDir.toStdString();
    cal.data.kind = r.datasetKind.toStdString();
    cal.data.path = r.dataFile.toStdString();
    cal.data.field = r.field.trimmed().toStdString();
    cal.samples = r.samples;
    cal.maxLength = r.maxLength;
    cal.seed = r.seed;
    cal.device = r.device.isEmpty() ? std::string("cpu") : r.device.toStdString();
    return cal;
}

MapPtr runFisherJob(const FisherRequest& r, const taskquant::JobControl& control) {
    requireModel(r.modelDir);
    if (data::datasetKindTakesFile(r.datasetKind.toStdString()))
        requireFile(r.dataFile, "data file");
    sensitivity::FisherRunRequest q;
    auto& cal = q.calibration;
    cal.modelDir = r.modelDir.toStdString();
    cal.data.kind = r.datasetKind.toStdString();
    cal.data.path = r.dataFile.toStdString();
    cal.data.field = r.field.trimmed().toStdString();
    cal.samples = r.samples;
    cal.maxLength = r.maxLength;
    cal.seed = r.seed;
    cal.device = r.device.isEmpty() ? std::string("cpu") : r.device.toStdString();
    q.fisher.clipPercentile = r.clipPercentile;
    q.fisher.exactLoop = r.exactLoop;
    if (r.clipPercentile && !(*r.clipPercentile > 0 && *r.clipPercentile <= 100))
        throw taskquant::Error("the clip percentile must be in (0, 100]");
    control.report(0.0, "reading the data and loading the model");
    return finishMap(sensitivity::runFisher(q, control), r.savePath, control);
}

MapPtr runMagnitudeJob(const MagnitudeRequest& r, const taskquant::JobControl& control) {
    requireModel(r.modelDir);
    sensitivity::MagnitudeRunRequest q;
    q.modelDir = r.modelDir.toStdString();
    q.norm = r.l1 ? sensitivity::MagnitudeNorm::L1 : sensitivity::MagnitudeNorm::L2Squared;
    q.perParameter = r.perParameter;
    control.report(0.0, "loading the model");
    return finishMap(sensitivity::runMagnitude(q, control), r.savePath, control);
}

eval::EvaluationResult runEvaluationJob(const EvaluationRequest& r,
                                        const taskquant::JobControl& control) {
    requireModel(r.modelDir);
    requireFile(r.textFile, "text file");
    eval::EvaluationRequest q;
    q.modelDir = r.modelDir.toStdString();
    q.textFile = r.textFile.toStdString();
    q.ctx = r.ctx;
    q.chunks = r.maxChunks;
    q.device = r.device.isEmpty() ? std::string("cpu") : r.device.toStdString();
    q.policies.emplace_back("policy", makePolicy(r.choices, r.defaultPrecision, nullptr));
    return eval::runEvaluation(q, control);
}

exporting::ModelExportResult runExportJob(const ExportRequest& r,
                                          const taskquant::JobControl& control) {
    requireModel(r.modelDir);
    if (r.destination.isEmpty())
        throw taskquant::Error("no export destination chosen");
    const QFileInfo dest(r.destination);
    if (!dest.absoluteDir().exists())
        throw taskquant::Error(r.destination.toStdString(),
                               "the folder it would go in does not exist");
    if (r.format != exporting::ExportFormat::SafetensorsDirectory && dest.isDir())
        throw taskquant::Error(r.destination.toStdString(), "is a directory, not a file name");
    if (r.format == exporting::ExportFormat::SafetensorsDirectory && dest.exists() && !dest.isDir())
        throw taskquant::Error(r.destination.toStdString(), "is a file, not a directory");
    policy::Policy p = makePolicy(r.choices, r.defaultPrecision, nullptr);
    if (!r.mix.isEmpty()) {
        policy::RecipeOptions o;
        o.imatrix = !r.imatrixPath.isEmpty() || r.imatrixFrom.has_value();
        p = policy::applyRecipe(r.mix.toStdString(),
                                policy::recipeModelFromDirectory(r.modelDir.toStdString()), o)
                .policy;
    }
    QString imatrix = r.imatrixPath;
    QTemporaryDir scratch;
    if (r.imatrixFrom) {
        sensitivity::ImatrixRunRequest q;
        q.calibration = calibrationOf(*r.imatrixFrom);
        q.calibration.modelDir = r.modelDir.toStdString();
        control.report(0.0, "computing the importance matrix from the task data");
        const io::Imatrix m = sensitivity::runImatrix(q, control);
        control.check();
        imatrix = scratch.filePath(QStringLiteral("task.imatrix.gguf"));
        io::writeImatrix(imatrix.toStdString(), m);
    }
    exporting::ExportStoryOptions story; // the GGUF records how it was made
    story.enabled = true;
    if (r.modelCard && r.format == exporting::ExportFormat::Gguf)
        story.modelCard = QFileInfo(r.destination)
                              .absoluteDir()
                              .filePath(QStringLiteral("README.md"))
                              .toStdString();
    return exporting::exportModel(r.modelDir.toStdString(), p, r.format,
                                  r.destination.toStdString(), control, imatrix.toStdString(),
                                  story);
}

void saveMapFile(const MapPtr& map, const QString& path, const taskquant::JobControl& control) {
    if (!map)
        throw taskquant::Error(path.toStdString(), "no map to save");
    control.check();
    map->writeFile(path.toStdString());
}

QStringList availableDevices() {
    QStringList out;
    for (const auto& d : models::availableDevices())
        out << QString::fromStdString(d);
    return out;
}

} // namespace taskquant::studio
