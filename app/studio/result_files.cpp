#include "app/studio/result_files.h"

#include <QFileInfo>
#include <QTabWidget>
#include <QUndoStack>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "app/studio/frontier_actions.h"
#include "app/studio/job_runner.h"
#include "app/studio/live_cost.h"
#include "app/studio/main_window.h"
#include "app/studio/message_bar.h"
#include "app/studio/transfer_actions.h"
#include "core/data/dataset_spec.h"
#include "core/io/json_file.h"
#include "core/util/error.h"
#include "views/frontier_view.h"
#include "views/policy_model.h"
#include "views/transfer_view.h"
#include "views/validation_view.h"

namespace taskquant::studio {

namespace {

using json = nlohmann::json;

std::string str(const QString& s) {
    return s.toStdString();
}
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// Typed field access that names the file and the field on any mismatch.
struct Reader {
    std::string path;
    [[noreturn]] void fail(const std::string& what) const { throw Error(path, what); }
    double number(const json& o, const char* key, bool required = true) const {
        const auto it = o.find(key);
        if (it == o.end() || it->is_null()) {
            if (required)
                fail(std::string("missing number \"") + key + "\"");
            return std::nan("");
        }
        if (!it->is_number())
            fail(std::string("\"") + key + "\" is not a number");
        return it->get<double>();
    }
    std::string text(const json& o, const char* key, bool required = true) const {
        const auto it = o.find(key);
        if (it == o.end() || it->is_null()) {
            if (required)
                fail(std::string("missing text \"") + key + "\"");
            return {};
        }
        if (!it->is_string())
            fail(std::string("\"") + key + "\" is not a string");
        return it->get<std::string>();
    }
    const json& array(const json& o, const char* key) const {
        const auto it = o.find(key);
        if (it == o.end() || !it->is_array())
            fail(std::string("missing array \"") + key + "\"");
        return *it;
    }
};

json readObject(const QString& path) {
    json j = io::readJsonFile(str(path));
    if (!j.is_object())
        throw Error(str(path), "not a JSON object");
    return j;
}

bool flatMap(const json& j) {
    if (j.empty())
        return false;
    for (const auto& [k, v] : j.items())
        if (!v.is_number())
            return false;
    return true;
}

// The task of a frontier file: "arithmetic (held-out, seed 0)" -> the file-less kind; a path ->
// a text file.
TaskChoice taskOf(const json& j, const Reader& r) {
    TaskChoice t;
    t.modelDir = qs(r.text(j, "model", false));
    const QString text = qs(r.text(j, "text", false)).trimmed();
    const QString first = text.section(QLatin1Char(' '), 0, 0).section(QLatin1Char(':'), 0, 0);
    if (!first.isEmpty() && !data::datasetKindTakesFile(first.toStdString())) {
        t.datasetKind = first;
    } else {
        t.datasetKind = QStringLiteral("text");
        t.dataFile = text;
    }
    const double ctx = r.number(j, "ctx", false);
    if (std::isfinite(ctx) && ctx > 0)
        t.ctx = int(ctx);
    const double chunks = r.number(j, "chunks", false);
    if (std::isfinite(chunks) && chunks >= 0)
        t.chunks = int(chunks);
    return t;
}

QString fileNames(const json& list) {
    QStringList names;
    if (list.is_array())
        for (const auto& m : list)
            if (m.is_string())
                names << QFileInfo(qs(m.get<std::string>())).fileName();
    return names.join(QStringLiteral(", "));
}

} // namespace

ResultKind resultKindOf(const QString& path) {
    const json j = readObject(path);
    const auto it = j.find("format");
    if (it == j.end()) {
        if (flatMap(j))
            return ResultKind::Map; // the study's {name: score}
        throw Error(str(path), "not a TaskQuant file (no \"format\")");
    }
    const std::string f = it->is_string() ? it->get<std::string>() : std::string();
    if (f == "taskquant-map")
        return ResultKind::Map;
    if (f == "taskquant-policy")
        return ResultKind::Policy;
    if (f == "taskquant-errors")
        return ResultKind::ErrorTable;
    if (f == "taskquant-frontier")
        return ResultKind::Frontier;
    if (f == "taskquant-validation")
        return ResultKind::Validation;
    if (f == "taskquant-transfer")
        return ResultKind::Transfer;
    throw Error(str(path), "\"format\" " + (f.empty() ? std::string("(not a string)") : f) +
                               " is not a file the studio opens (maps, policies, error tables, "
                               "frontiers, validations, task transfers)");
}

QString resultKindName(ResultKind k) {
    switch (k) {
    case ResultKind::Map:
        return MainWindow::tr("map");
    case ResultKind::Policy:
        return MainWindow::tr("policy");
    case ResultKind::ErrorTable:
        return MainWindow::tr("error table");
    case ResultKind::Frontier:
        return MainWindow::tr("frontier");
    case ResultKind::Validation:
        return MainWindow::tr("damage validation");
    case ResultKind::Transfer:
        return MainWindow::tr("task transfer");
    }
    return {};
}

FrontierData readFrontierFile(const QString& path) {
    const json j = readObject(path);
    const Reader r{str(path)};
    if (r.text(j, "format") != "taskquant-frontier")
        r.fail("not a TaskQuant frontier (\"format\" must be \"taskquant-frontier\")");
    FrontierData d;
    d.task = taskOf(j, r);
    d.parameters = int64_t(r.number(j, "parameters"));
    d.chunks = int64_t(r.number(j, "chunks", false) >= 0 ? r.number(j, "chunks") : 0);
    d.tokens = int64_t(r.number(j, "tokens", false) >= 0 ? r.number(j, "tokens") : 0);
    for (const json& p : r.array(j, "points")) {
        if (!p.is_object())
            r.fail("a point is not an object");
        views::FrontierPointData x;
        x.label = qs(r.text(p, "label"));
        x.kind = qs(r.text(p, "kind"));
        x.signal = qs(r.text(p, "signal", false));
        const double budget = r.number(p, "budget_bits", false);
        x.budgetBits = std::isfinite(budget) ? budget : 0;
        x.bitsPerWeight = r.number(p, "bits_per_weight");
        const double bytes = r.number(p, "bytes");
        if (!(bytes >= 0))
            r.fail("a point's \"bytes\" is negative");
        x.bytes = quint64(bytes);
        // Version 2: a point not evaluated ("measured": false) carries the damage model's
        // predicted_kld (or none: not drawn); version 1 points are all measured.
        x.measured =
            !(p.contains("measured") && p["measured"].is_boolean() && !p["measured"].get<bool>());
        if (!x.measured) {
            x.kld = r.number(p, "predicted_kld", false);
            if (!std::isfinite(x.kld))
                continue;
            x.kldP99 = x.ppl = x.sameTop1 = std::numeric_limits<double>::quiet_NaN();
            d.points.push_back(x);
            continue;
        }
        x.kld = r.number(p, "kld_mean");
        x.kldP99 = r.number(p, "kld_p99", false);
        x.ppl = r.number(p, "ppl", false);
        x.sameTop1 = r.number(p, "same_top1", false);
        d.points.push_back(x);
    }
    if (j.contains("infeasible") && j["infeasible"].is_array())
        for (const json& i : j["infeasible"])
            if (i.is_object())
                d.infeasible << qs(r.text(i, "label", false) + ": " + r.text(i, "reason", false));
    if (j.contains("timing") && j["timing"].is_object())
        d.seconds = r.number(j["timing"], "total_seconds", false);
    if (!std::isfinite(d.seconds))
        d.seconds = 0;
    const QString model = QFileInfo(d.task.modelDir).fileName();
    d.title = model.isEmpty()
                  ? MainWindow::tr("Task KLD vs size: %1").arg(QFileInfo(path).fileName())
                  : MainWindow::tr("Task KLD vs size: %1 on %2").arg(model, d.task.describe());
    QString from = MainWindow::tr("Opened from %1").arg(path);
    if (!d.task.modelDir.isEmpty())
        from += MainWindow::tr("; model %1").arg(d.task.modelDir);
    if (const QString maps = fileNames(j.value("maps", json())); !maps.isEmpty())
        from += MainWindow::tr("; maps %1").arg(maps);
    if (j.contains("text") && j["text"].is_string())
        from += MainWindow::tr("; text %1").arg(qs(j["text"].get<std::string>()));
    from += MainWindow::tr(". Points cannot be loaded into the editor (the file has no "
                           "policies); compute the frontier for that.");
    d.source = from;
    if (j.contains("uniform_embedding") && j["uniform_embedding"].is_string() &&
        j.contains("uniform_head") && j["uniform_head"].is_string())
        d.uniformBase = QStringLiteral("embedding %1, head %2")
                            .arg(qs(j["uniform_embedding"].get<std::string>()),
                                 qs(j["uniform_head"].get<std::string>()));
    return d;
}

ValidationData readValidationFile(const QString& path) {
    const json j = readObject(path);
    const Reader r{str(path)};
    if (r.text(j, "format") != "taskquant-validation")
        r.fail("not a TaskQuant damage validation (\"format\" must be \"taskquant-validation\")");
    ValidationData d;
    d.summary.precision = qs(r.text(j, "precision"));
    const QString map = QFileInfo(qs(r.text(j, "map", false))).fileName();
    d.summary.mapLabel =
        MainWindow::tr("%1 (opened from %2)")
            .arg(map.isEmpty() ? MainWindow::tr("map") : map, QFileInfo(path).fileName());
    d.summary.spearman = r.number(j, "spearman", false);
    d.summary.spearmanPlain = r.number(j, "spearman_plain_sse", false);
    d.summary.scale = r.number(j, "scale", false);
    if (j.contains("additivity") && j["additivity"].is_object())
        d.summary.additivity = r.number(j["additivity"], "ratio", false);
    d.summary.model = qs(j.value("damage_model", std::string()));
    d.summary.activationWeighting =
        j.value("damage_model", std::string()).find("weighted") != std::string::npos;
    d.summary.chunks = qint64(r.number(j, "chunks", false) >= 0 ? r.number(j, "chunks") : 0);
    d.summary.tokens = qint64(r.number(j, "tokens", false) >= 0 ? r.number(j, "tokens") : 0);
    d.summary.seconds = r.number(j, "seconds", false);
    if (!std::isfinite(d.summary.seconds))
        d.summary.seconds = 0;
    for (const json& t : r.array(j, "tensors")) {
        if (!t.is_object())
            r.fail("a tensor row is not an object");
        views::ValidationRowData row;
        row.name = qs(r.text(t, "name"));
        row.effective = qs(r.text(t, "precision", false));
        row.score = r.number(t, "score", false);
        row.predicted = r.number(t, "predicted_kld", false);
        row.measured = r.number(t, "measured_kld", false);
        row.uncertainty = r.number(t, "measured_kld_uncertainty", false);
        row.misprediction = r.number(t, "misprediction", false);
        d.rows.push_back(row);
    }
    return d;
}

int openResultFiles(MainWindow* w, const QStringList& files) {
    struct Sorted {
        QStringList maps, policies, errors, frontiers, validations, transfers;
        QStringList failures; // "file: problem"
    };
    // Kinds are read on a job (a map file can be large); each kind then opens on its own jobs.
    return w->jobs()->run<Sorted>(
        QStringLiteral("open-results"),
        MainWindow::tr("Reading %n file(s)", nullptr, int(files.size())),
        [files](const JobControl& c) {
            Sorted s;
            for (const QString& f : files) {
                c.check();
                try {
                    switch (resultKindOf(f)) {
                    case ResultKind::Map:
                        s.maps << f;
                        break;
                    case ResultKind::Policy:
                        s.policies << f;
                        break;
                    case ResultKind::ErrorTable:
                        s.errors << f;
                        break;
                    case ResultKind::Frontier:
                        s.frontiers << f;
                        break;
                    case ResultKind::Validation:
                        s.validations << f;
                        break;
                    case ResultKind::Transfer:
                        s.transfers << f;
                        break;
                    }
                } catch (const Error& e) {
                    s.failures << QString::fromUtf8(e.what());
                }
            }
            return s;
        },
        [w](std::shared_ptr<const Sorted> s) {
            w->rememberRecent(s->maps + s->errors + s->frontiers + s->validations + s->transfers +
                              s->policies);
            if (!s->maps.isEmpty())
                w->openMaps(s->maps);
            for (const QString& f : s->errors)
                w->liveCost()->loadErrorTable(f);
            for (const QString& f : s->frontiers)
                w->jobs()->runThenReport<FrontierData>(
                    QStringLiteral("open-frontier"),
                    MainWindow::tr("Reading %1").arg(QFileInfo(f).fileName()),
                    [f](const JobControl&) { return readFrontierFile(f); },
                    [w, f](std::shared_ptr<const FrontierData> d) {
                        w->frontierActions()->setFrontier(d);
                        w->tabs()->setCurrentWidget(w->frontierActions()->frontierView());
                        return JobReport{MainWindow::tr("Opened frontier %1 (%n point(s)).",
                                                        nullptr, int(d->points.size()))
                                             .arg(f)};
                    });
            for (const QString& f : s->validations)
                w->jobs()->runThenReport<ValidationData>(
                    QStringLiteral("open-validation"),
                    MainWindow::tr("Reading %1").arg(QFileInfo(f).fileName()),
                    [f](const JobControl&) { return readValidationFile(f); },
                    [w, f](std::shared_ptr<const ValidationData> d) {
                        auto* v = w->frontierActions()->validationView();
                        v->setResult(d->summary, d->rows);
                        return JobReport{MainWindow::tr("Opened damage validation %1 (%n "
                                                        "tensor(s)).",
                                                        nullptr, int(d->rows.size()))
                                             .arg(f)};
                    });
            for (const QString& f : s->transfers)
                w->jobs()->runThenReport<TransferData>(
                    QStringLiteral("open-transfer"),
                    MainWindow::tr("Reading %1").arg(QFileInfo(f).fileName()),
                    [f](const JobControl&) { return readTransferFile(f); },
                    [w, f](std::shared_ptr<const TransferData> d) {
                        w->transferActions()->setTransfer(d);
                        w->tabs()->setCurrentWidget(w->transferActions()->view());
                        return JobReport{MainWindow::tr("Opened task transfer %1 (%n cell(s)).",
                                                        nullptr, int(d->cells.size()))
                                             .arg(f)};
                    });
            if (!s->policies.isEmpty())
                w->loadPolicies(s->policies);
            if (!s->failures.isEmpty())
                w->reportError(MainWindow::tr("Open"), s->failures.join(QLatin1Char('\n')));
        });
}

} // namespace taskquant::studio
