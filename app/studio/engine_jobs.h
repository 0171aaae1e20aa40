#pragma once
// The engine work the studio starts from the Analysis and File menus, each a request (plain
// values, filled by a dialog or by a test) and a function of a JobControl that runs on a
// JobRunner worker thread. They call the same core entry points as the CLI
// (core/sensitivity/map_runs.h, core/eval/evaluation_run.h, core/export/export_run.h) and
// include no ATen. Outputs are written atomically and only after a last cancel check, so a
// cancelled job leaves nothing at its destination.
#include <QString>
#include <memory>
#include <optional>

#include "app/studio/studio_jobs.h"
#include "core/eval/evaluation_run.h"
#include "core/export/export_run.h"

namespace taskquant::studio {

struct FisherRequest {
    QString modelDir;
    QString datasetKind = QStringLiteral("text"); // gsm8k, math, wikitext, jsonl, text
    QString dataFile;
    QString field; // jsonl: the text field
    int samples = 64;
    int maxLength = 512;
    quint64 seed = 0;
    std::optional<double> clipPercentile = 99.0; // nullopt: no clipping
    bool exactLoop = false; // one forward/backward per sample (the study's loop)
    QString device = QStringLiteral("cpu");
    QString savePath; // non-empty: the map is also written here (atomically)
};

struct MagnitudeRequest {
    QString modelDir;
    bool l1 = false; // default: squared L2 (the study's)
    bool perParameter = false;
    QString savePath;
};

struct EvaluationRequest {
    QString modelDir;
    QString textFile;
    int ctx = 128;
    int maxChunks = 0; // 0 = all windows
    QString device = QStringLiteral("cpu");
    Choices choices; // the policy editor's explicit choices
    quant::Precision defaultPrecision = quant::Precision::parse("int4_g128");
};

struct ExportRequest {
    QString modelDir;
    exporting::ExportFormat format = exporting::ExportFormat::Gguf;
    QString destination;
    Choices choices;
    quant::Precision defaultPrecision = quant::Precision::parse("int4_g128");
    QString mix;         // non-empty: llama.cpp's named mix (recipes.h) instead of the choices
    QString imatrixPath; // optional importance matrix (GGUF or .dat)
    // Set: compute the importance matrix first (core imatrix engine, llama-imatrix's
    // definition) from this calibration data (the task data of the last Fisher run); it
    // replaces imatrixPath.
    std::optional<FisherRequest> imatrixFrom;
    // GGUF: also write a Hugging Face model card (README.md) beside the file.
    bool modelCard = false;
};

using EvaluationPtr = std::shared_ptr<const eval::EvaluationResult>;

// The policy the editor shows: explicit choices over a default precision, provenance from the
// map when there is one.
policy::Policy makePolicy(const Choices& choices, const quant::Precision& defaultPrecision,
                          const MapPtr& map);

// Fisher map of the request (writes savePath when set). Throws taskquant::Error.
MapPtr runFisherJob(const FisherRequest& request, const taskquant::JobControl& control);
MapPtr runMagnitudeJob(const MagnitudeRequest& request, const taskquant::JobControl& control);
// Baseline row and one row "policy" for the editor's policy.
eval::EvaluationResult runEvaluationJob(const EvaluationRequest& request,
                                        const taskquant::JobControl& control);
exporting::ModelExportResult runExportJob(const ExportRequest& request,
                                          const taskquant::JobControl& control);
// Writes a map atomically (after a cancel check).
void saveMapFile(const MapPtr& map, const QString& path, const taskquant::JobControl& control);

// Devices offered in the dialogs ("cpu", then "cuda"... when available).
QStringList availableDevices();

} // namespace taskquant::studio
