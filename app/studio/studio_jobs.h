#pragma once
// The work the studio runs through JobRunner today, each a plain function of a JobControl so
// it runs on a worker thread (no Qt widgets, no shared mutable state; inputs are copied or
// immutable snapshots):
//  * reading map files (either format) into shared immutable maps;
//  * reading a model directory's config.json (architecture, layers, weight files);
//  * exporting the tensor table with chosen precisions as CSV (atomic, cancellable);
//  * saving the explicit precision choices as a policy JSON file (atomic).
// Engine jobs (Fisher, magnitude, quantized export) plug in the same way once core has them.
#include <QMap>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

#include "core/jobs/progress.h"
#include "core/quant/precision.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::studio {

using MapPtr = std::shared_ptr<const sensitivity::SensitivityMap>;
using Choices = QMap<QString, quant::Precision>;

struct ModelInfo {
    QString directory;
    QString architecture; // config model_type
    int layers = 0;       // num_hidden_layers (or n_layer)
    QStringList weightFiles;
};

std::vector<MapPtr> readMaps(const QStringList& paths, const taskquant::JobControl& control);
ModelInfo readModelInfo(const QString& directory, const taskquant::JobControl& control);
// name,layer,kind,numel,score,rank,precision (precision empty = policy default).
void exportTensorCsv(const MapPtr& map, const Choices& choices, const QString& path,
                     const taskquant::JobControl& control);
// {"format": "taskquant-policy", "version": 1, "default", "overrides": {name: precision},
//  "provenance": {"map", "method": "manual"}}, the subset of core/policy/policy.h's format
// that manual choices determine.
void savePolicyJson(const Choices& choices, const quant::Precision& defaultPrecision,
                    const QString& mapSource, const QString& path);
// Reads the "overrides" (and "default") of such a file.
Choices loadPolicyJson(const QString& path, quant::Precision* defaultPrecision);

} // namespace taskquant::studio
