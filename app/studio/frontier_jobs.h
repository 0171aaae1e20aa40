#pragma once
// The frontier and damage-validation work of the studio (Analysis > Compute Frontier,
// Validate Damage Model), as plain requests and functions that run on a JobRunner worker, plus
// the small GUI-thread computations the frontier view needs while the policy is edited. They
// call the CLI's core entry points (core/eval/frontier.h, damage_validation.h; see
// app/cli/cmd_frontier.cpp, cmd_validate.cpp). This header includes no ATen.
//  * runFrontierJob(): every frontier point with its policy (measured, or predicted by core's
//    damage model: predicted_kld), the parameter shapes and the measured error table, and the
//    fitted scale measured KLD / predicted damage over the points (core's policy::fitScale;
//    predicted = core's exporting::policyCost damage: the sum over tensors of 1/2 * score *
//    (weighted) SSE at the precision each tensor gets, with the scores of the prediction map, or 1
//    everywhere without one - the error-only family's scores).
//  * predictedPoint(): the current policy's exact size and bits per weight (shape fallbacks
//    applied as eval and export apply them) and its KLD predicted as scale * damage; marked
//    measured = false. Tensors whose precision has no measured error count as unpredicted.
//    With unpredicted tensors the KLD is NaN ("not predicted"), never a made-up 0.
//  * matchingPoint(): the frontier point whose policy gives every tensor the same effective
//    precision as `policy` (its measurement is then the current policy's), or -1.
//  * choicesForPolicy(): the explicit choices that make the editor (choices over its default
//    precision, engine_jobs.h makePolicy) give every tensor the precision a frontier point's
//    policy gives it; the default precision stays, so loading is one undoable replaceAll().
//  * measurePolicyJob(): the current policy evaluated on the frontier's task text (a fresh
//    reference pass), measured = true.
//  * runValidationJob(): `validate` of a map on a task text.
// Throws taskquant::Error with a user-facing message; cancellable through the JobControl.
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "app/studio/studio_jobs.h"
#include "core/export/named_shape.h"
#include "core/export/policy_cost.h"
#include "core/policy/error_table.h"
#include "core/policy/policy.h"
#include "views/frontier_models.h"
#include "views/validation_view.h"

namespace taskquant::studio {

struct TaskChoice {
    QString modelDir;
    QString datasetKind = QStringLiteral("gsm8k"); // gsm8k, math, wikitext, jsonl, text
    QString dataFile;
    QString field; // jsonl
    int ctx = 128;
    int chunks = 8; // 0 = all windows
    QString device = QStringLiteral("cpu");
    QString describe() const; // "gsm8k:test.jsonl"
};

struct FrontierRequest {
    TaskChoice task;
    QString bits = QStringLiteral("5,6,8,10");
    QString precisions; // optimal's choices, comma separated; empty = f16 + the GGUF types
    QString uniform;    // uniform types; empty = the quantized choices
    bool errorOnly = true;
    bool activationWeighting = true;
    std::vector<MapPtr> maps; // each drives an optimal family
    MapPtr predictionMap;     // scores of the live prediction (may be null: all scores 1)
    // The points evaluated (frontier.h FrontierOptions::measure): "all", "default", "none" or
    // labels; the others are shown as predicted by the damage model.
    QString measure = QStringLiteral("all");
};

struct FrontierData {
    TaskChoice task;
    std::vector<views::FrontierPointData> points;
    std::vector<policy::Policy> policies;      // one per point
    std::vector<exporting::NamedShape> shapes; // every parameter
    std::shared_ptr<const policy::ErrorTable> errors;
    MapPtr predictionMap;
    double scale = 0; // measured KLD / predicted damage over the points; 0 = none
    int64_t parameters = 0, chunks = 0, tokens = 0;
    double seconds = 0;
    QStringList infeasible; // "label: reason"
    QString title;
    // What the uniform family keeps at fixed types, as the CLI's SVG legend names it
    // ("embedding q8_0, head q6_k"; "" = unknown, an older file).
    QString uniformBase;
    QString source; // opened from a file: the file and what it names ("" = computed here)
};

// onPredicted (optional; called on the worker thread) receives the predicted frontier (every
// point sized and predicted, none measured) before any evaluation, so the view can show it at
// once; the result then holds the measured frontier.
using PredictedFrontierFn = std::function<void(std::shared_ptr<const FrontierData>)>;
FrontierData runFrontierJob(const FrontierRequest& request, const taskquant::JobControl& control,
                            const PredictedFrontierFn& onPredicted = {});

// The engine's cost of a policy (core/export/policy_cost.h) over the frontier's shapes, errors
// and prediction map (its scores; unscored tensors 0; without a map 1 everywhere).
exporting::PolicyCost policyCost(const policy::Policy& policy, const FrontierData& frontier);
views::FrontierPointData predictedPoint(const policy::Policy& policy, const FrontierData& frontier);
int matchingPoint(const policy::Policy& policy, const FrontierData& frontier);
Choices choicesForPolicy(const policy::Policy& point, const FrontierData& frontier,
                         const quant::Precision& editorDefault);
views::FrontierPointData measurePolicyJob(const policy::Policy& policy, const TaskChoice& task,
                                          const taskquant::JobControl& control);

struct ValidationRequest {
    TaskChoice task;
    MapPtr map;
    QString precision = QStringLiteral("q4_0");
    QString tensors = QStringLiteral("top:16"); // "all" | "top:N"
    bool activationWeighting = true;
};

struct ValidationData {
    views::ValidationSummary summary;
    std::vector<views::ValidationRowData> rows;
};

ValidationData runValidationJob(const ValidationRequest& request,
                                const taskquant::JobControl& control);

} // namespace taskquant::studio
