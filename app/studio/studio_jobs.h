#pragma once
// The studio's file and policy work, run through JobRunner on a worker thread: plain functions
// (no Qt widgets, no shared mutable state; inputs are copied or immutable snapshots), the
// cancellable ones taking a JobControl:
//  * reading map files (either format) into shared immutable maps;
//  * reading a model directory's config.json (architecture, layers, weight files);
//  * exporting the tensor table with chosen precisions as CSV (atomic, cancellable);
//  * saving and loading the explicit precision choices as core policy JSON (saving atomic);
//  * the optimal allocation under an exact GGUF byte budget (core's one allocator; cancellable).
// The engine jobs (Fisher, magnitude, evaluation, quantized export) are in engine_jobs.h.
#include <QMap>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

#include "core/jobs/progress.h"
#include "core/policy/error_table.h"
#include "core/policy/policy.h"
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
// The unit of the budget a user types for the optimal allocation; both become an exact budget
// of GGUF tensor bytes (optimiseBudgetBytes).
enum class BudgetUnit {
    BitsPerWeight, // llama.cpp's: all tensor bytes x 8 / all parameters (the frontier's budgets)
    MiB,           // 2^20 bytes of GGUF tensor data (the CLI's --size-mb)
};
struct OptimiseRequest {
    MapPtr map;
    // The project's error table (measured or loaded); null: the proxy error 2^(-2*bits).
    std::shared_ptr<const policy::ErrorTable> errors;
    // The open model directory: its GGUF file's tensors (GgufTensorSizes::ofDirectory). "": the
    // map's own shapes by the same GGUF rule (ofShapes), as the CLI does without --model.
    QString modelDir;
    double budget = 0;
    BudgetUnit unit = BudgetUnit::BitsPerWeight;
};
struct OptimiseResult {
    // An explicit choice for every tensor of the file under the file's name; a tied embedding
    // stored only as lm_head.weight also under the map's name (model.embed_tokens.weight).
    Choices choices;
    policy::Policy policy;    // exporting::buildOptimalForGguf's policy (the file's names)
    uint64_t budgetBytes = 0; // the user's budget in GGUF tensor bytes
    uint64_t tensorBytes = 0; // the policy's GGUF tensor bytes (<= budgetBytes)
    int64_t parameters = 0;   // all parameters of the file (bits per weight divide by these)
    bool proxy = false;       // no error table: the proxy error 2^(-2*bits) weighted by score
    bool damageModel = false; // the damage model's predicted KL (the table has squared errors)
};
// The budget in GGUF tensor bytes: bits per weight x parameters / 8, or MiB x 2^20, rounded down
// (the frontier's and the CLI's --size-mb rules).
uint64_t optimiseBudgetBytes(double budget, BudgetUnit unit, int64_t parameters);
// The optimal allocation of the studio: exporting::buildOptimalForGguf, the allocator of
// `policy --method optimal` and `frontier`, with the CLI's inputs (`policy MAP --method optimal
// [--errors E] --budget-bytes B [--model DIR]`: the table's precisions as choices, else
// policy::defaultGgufCandidates with the bits proxy), so the same map, table and budget give the
// CLI's policy. An unreachable budget throws taskquant::Error naming the user's number and the
// smallest reachable size, both in the user's unit and in bytes. Blocking; cancellable.
OptimiseResult optimiseChoices(const OptimiseRequest& request,
                               const taskquant::JobControl& control);
// A policy file's overrides (and default precision): policy JSON, or the policy a TaskQuant
// GGUF carries (taskquant.policy). Throws taskquant::Error.
Choices loadPolicyJson(const QString& path, quant::Precision* defaultPrecision);

} // namespace taskquant::studio
