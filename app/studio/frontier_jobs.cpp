// The ATen headers come before any Qt header: Qt's `slots` macro breaks ATen's ivalue_inl.h.
#include "core/data/dataset_spec.h"
#include "core/eval/damage_validation.h"
#include "core/eval/frontier.h"
#include "core/export/apply_policy.h"
#include "core/export/policy_cost.h"
#include "core/policy/damage_model.h"
#include "core/util/error.h"

#include "app/studio/engine_jobs.h"
#include "app/studio/frontier_jobs.h"

#include <QDir>
#include <QFileInfo>
#include <cmath>
#include <limits>

namespace taskquant::studio {

namespace {

void requireTask(const TaskChoice& t) {
    if (t.modelDir.isEmpty())
        throw taskquant::Error("no model directory open (File > Open Model Directory)");
    if (!QFileInfo::exists(QDir(t.modelDir).filePath(QStringLiteral("config.json"))))
        throw taskquant::Error(t.modelDir.toStdString(), "not a model directory (no config.json)");
    if (!data::datasetKindTakesFile(t.datasetKind.toStdString()))
        return; // a demo task: generated, no file
    if (t.dataFile.isEmpty())
        throw taskquant::Error("no task text chosen");
    if (!QFileInfo(t.dataFile).isFile())
        throw taskquant::Error(t.dataFile.toStdString(), "no such file");
}

eval::TaskRequest taskRequest(const TaskChoice& t) {
    requireTask(t);
    eval::TaskRequest r;
    r.modelDir = t.modelDir.toStdString();
    if (!data::datasetKindTakesFile(t.datasetKind.toStdString()))
        r.dataset = t.datasetKind.toStdString(); // held-out split, seed 0 as the CLI's default
    else if (t.datasetKind == QLatin1String("text"))
        r.textFile = t.dataFile.toStdString();
    else
        r.dataset = (t.datasetKind + QLatin1Char(':') + t.dataFile).toStdString();
    r.field = t.field.toStdString();
    r.ctx = t.ctx;
    r.chunks = t.chunks;
    r.device = t.device.toStdString();
    return r;
}

views::FrontierPointData pointData(const std::string& label, const std::string& kind,
                                   const std::string& signal, double budget, uint64_t bytes,
                                   double bpw, const eval::QualityMetrics& m) {
    views::FrontierPointData d;
    d.label = QString::fromStdString(label);
    d.kind = QString::fromStdString(kind);
    d.signal = QString::fromStdString(signal);
    d.budgetBits = budget;
    d.bytes = bytes;
    d.bitsPerWeight = bpw;
    d.kld = m.kldMean;
    d.kldP99 = m.kldP99;
    d.ppl = m.ppl;
    d.sameTop1 = m.sameTop1;
    d.measured = true;
    return d;
}

} // namespace

QString TaskChoice::describe() const {
    const QString file = QFileInfo(dataFile).fileName();
    if (!data::datasetKindTakesFile(datasetKind.toStdString()))
        return datasetKind;
    return datasetKind == QLatin1String("text") ? file : datasetKind + QLatin1Char(':') + file;
}

namespace {

// The studio's view of a core frontier result (measured points as measured, the others with
// core's predicted KLD, marked measured = false).
FrontierData frontierData(const FrontierRequest& req, const eval::FrontierResult& r,
                          const eval::FrontierOptions& fo) {
    FrontierData d;
    d.task = req.task;
    d.predictionMap = req.predictionMap;
    d.errors = r.errors;
    d.shapes = r.shapes;
    d.parameters = r.parameters;
    d.chunks = r.chunks;
    d.tokens = r.tokens;
    d.seconds = r.totalSeconds;
    for (const auto& p : r.points) {
        if (!p.measured && !std::isfinite(p.predictedKld))
            continue; // neither measured nor predicted as a KLD: nothing to draw
        views::FrontierPointData x =
            pointData(p.label, p.kind, p.signal, p.budgetBits, p.bytes, p.bitsPerWeight, p.metrics);
        if (!p.measured) {
            x.kld = p.predictedKld;
            x.kldP99 = x.ppl = x.sameTop1 = std::numeric_limits<double>::quiet_NaN();
            x.measured = false;
        }
        d.points.push_back(x);
        d.policies.push_back(p.policy);
    }
    for (const auto& i : r.infeasible)
        d.infeasible << QString::fromStdString(i.label + ": " + i.reason);
    std::vector<double> predicted, measured;
    for (std::size_t i = 0; i < d.points.size(); ++i)
        if (d.points[i].measured) {
            predicted.push_back(policyCost(d.policies[i], d).damage);
            measured.push_back(d.points[i].kld);
        }
    d.scale = policy::fitScale(predicted, measured);
    d.title = QStringLiteral("Task KLD vs size: %1 on %2")
                  .arg(QFileInfo(req.task.modelDir).fileName(), req.task.describe());
    d.uniformBase = QStringLiteral("embedding %1, head %2")
                        .arg(QString::fromStdString(fo.base.embeddings.name()),
                             QString::fromStdString(fo.base.lmHead.name()));
    return d;
}

} // namespace

FrontierData runFrontierJob(const FrontierRequest& req, const taskquant::JobControl& control,
                            const PredictedFrontierFn& onPredicted) {
    const eval::TaskRequest task = taskRequest(req.task);
    eval::FrontierOptions fo;
    fo.bits = eval::parseBits(req.bits.toStdString());
    fo.candidates = quant::Precision::parseList(req.precisions.toStdString());
    fo.uniform = quant::Precision::parseList(req.uniform.toStdString());
    fo.errorOnly = req.errorOnly;
    fo.activationWeighting = req.activationWeighting;
    fo.measure = req.measure.toStdString();
    if (onPredicted)
        fo.onPredicted = [&](const eval::FrontierResult& r) {
            onPredicted(std::make_shared<const FrontierData>(frontierData(req, r, fo)));
        };
    std::vector<eval::FrontierMap> maps;
    for (const MapPtr& m : req.maps)
        if (m)
            maps.push_back(
                {m->source().empty()
                     ? m->provenance().method
                     : QFileInfo(QString::fromStdString(m->source())).fileName().toStdString(),
                 *m});
    const eval::FrontierResult r = eval::runFrontier(task, maps, fo, control);
    control.check();
    return frontierData(req, r, fo);
}

exporting::PolicyCost policyCost(const policy::Policy& p, const FrontierData& f) {
    exporting::ScoreOf score;
    if (f.predictionMap)
        score = [&](const std::string& name) -> std::optional<double> {
            const auto* e = f.predictionMap->find(name);
            return e ? e->score : 0; // unscored: no damage predicted
        };
    return exporting::policyCost(p, f.shapes, f.parameters, f.errors.get(), score);
}

views::FrontierPointData predictedPoint(const policy::Policy& p, const FrontierData& f) {
    const exporting::PolicyCost c = policyCost(p, f);
    views::FrontierPointData d;
    d.label = c.unpredicted ? QStringLiteral("current policy (%1 tensor(s) at a type without "
                                             "measured errors)")
                                  .arg(c.unpredicted)
                            : QStringLiteral("current policy");
    d.kind = QStringLiteral("current");
    d.signal = QStringLiteral("none");
    d.bytes = c.bytes;
    d.bitsPerWeight = c.bitsPerWeight;
    d.kld = f.scale > 0 && c.unpredicted == 0 ? f.scale * c.damage
                                              : std::numeric_limits<double>::quiet_NaN();
    d.measured = false;
    return d;
}

int matchingPoint(const policy::Policy& p, const FrontierData& f) {
    for (std::size_t i = 0; i < f.policies.size(); ++i) {
        bool same = true;
        for (std::size_t k = 0; k < f.shapes.size() && same; ++k) {
            const auto& s = f.shapes[k];
            same = exporting::fitPrecision(p.precisionFor(s.name), s.shape) ==
                   exporting::fitPrecision(f.policies[i].precisionFor(s.name), s.shape);
        }
        if (same)
            return int(i);
    }
    return -1;
}

Choices choicesForPolicy(const policy::Policy& point, const FrontierData& f,
                         const quant::Precision& editorDefault) {
    const policy::Policy base = makePolicy({}, editorDefault, nullptr);
    Choices out;
    for (const auto& s : f.shapes) {
        const quant::Precision want = point.precisionFor(s.name);
        if (!(want == base.precisionFor(s.name)))
            out.insert(QString::fromStdString(s.name), want);
    }
    return out;
}

views::FrontierPointData measurePolicyJob(const policy::Policy& p, const TaskChoice& t,
                                          const taskquant::JobControl& control) {
    eval::TaskSetup s = eval::prepareTask(taskRequest(t), eval::subJob(control, 0, 0.2));
    const auto ref =
        eval::ReferenceLogProbs::compute(*s.model, s.chunks, eval::subJob(control, 0.2, 0.4));
    exporting::PolicyApplier applier(*s.model);
    const exporting::PlanSize size =
        exporting::planSize(applier.apply(p, eval::subJob(control, 0.6, 0.05)));
    const auto m =
        eval::evaluateAgainst(*s.model, s.chunks, ref, eval::subJob(control, 0.65, 0.35));
    applier.restore();
    control.check();
    return pointData("current policy", "current", "none", 0, size.bytes, size.bitsPerWeight(), m);
}

ValidationData runValidationJob(const ValidationRequest& req,
                                const taskquant::JobControl& control) {
    if (!req.map)
        throw taskquant::Error("no map to validate (open or compute a Fisher map first)");
    const eval::TaskRequest task = taskRequest(req.task);
    eval::ValidationOptions o;
    o.precision = quant::Precision::parse(req.precision.toStdString());
    o.tensors = req.tensors.toStdString();
    eval::parseTensorSelection(o.tensors);
    o.activationWeighting = req.activationWeighting;
    const eval::ValidationResult r = eval::runValidation(task, *req.map, o, control);
    control.check();
    ValidationData d;
    d.summary.precision = QString::fromStdString(r.precision);
    d.summary.mapLabel = req.map->source().empty()
                             ? QString::fromStdString(req.map->provenance().method)
                             : QFileInfo(QString::fromStdString(req.map->source())).fileName();
    d.summary.spearman = r.spearman;
    d.summary.spearmanPlain = r.spearmanPlain;
    d.summary.scale = r.scale;
    d.summary.additivity = r.additivity;
    d.summary.activationWeighting = r.activationWeighting;
    d.summary.model = QString::fromStdString(r.toJson().value("damage_model", std::string()));
    d.summary.chunks = r.chunks;
    d.summary.tokens = r.tokens;
    d.summary.seconds = r.seconds;
    for (const auto& row : r.rows)
        d.rows.push_back({QString::fromStdString(row.name), QString::fromStdString(row.effective),
                          row.score, row.predicted, row.measured, row.measuredUncertainty,
                          row.misprediction});
    return d;
}

} // namespace taskquant::studio
