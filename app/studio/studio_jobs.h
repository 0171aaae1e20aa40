#pragma once
// The studio's file and policy work, run through JobRunner on a worker thread: plain functions
// (no Qt widgets, no shared mutable state; inputs are copied or immutable snapshots), the
// cancellable ones taking a JobControl:
//  * reading map files (either format) into shared immutable maps;
//  * reading a model directory's config.json (architecture, layers, weight files);
//  * exporting the tensor table with chosen precisions as CSV (atomic, cancellable);
//  * saving and loading the explicit precision choices as core policy JSON (saving atomic);
//  * the optimal allocation of precisions under a bit budget (cancellable).
// The engine jobs (Fisher, magnitude, evaluation, quantized export) are in engine_jobs.h.
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
// The explicit choices as a core policy::Policy (overrides; default precision; provenance
// from the map; size estimate when the map has shapes), written atomically in its JSON.
void savePolicyJson(const Choices& choices, const quant::Precision& defaultPrecision,
                    const MapPtr& map, const QString& path);
// Optimal allocation (core policy::buildPolicy "optimal": exact multiple-choice knapsack) of
// f16 / int8_g128 / int4_g128 to the map's block linear weights under an average-bits budget,
// weighting the 2^-2b error proxy by score until measured errors exist. Needs every
// candidate's shape (throws taskquant::Error naming what is missing otherwise). Returns an
// explicit choice per candidate. Cancellable.
Choices optimiseChoices(const MapPtr& map, double averageBits,
                        const taskquant::JobControl& control);
// A policy file's overrides (and default precision): policy JSON, or the policy a TaskQuant
// GGUF carries (taskquant.policy). Throws taskquant::Error.
Choices loadPolicyJson(const QString& path, quant::Precision* defaultPrecision);

} // namespace taskquant::studio
