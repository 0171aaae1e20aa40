// The ATen headers come before any Qt header: Qt's `slots` macro breaks ATen's ivalue_inl.h.
#include "core/eval/frontier.h"
#include "core/eval/transfer.h"
#include "core/util/error.h"

#include "app/studio/engine_jobs.h"
#include "app/studio/transfer_jobs.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <cmath>
#include <limits>

namespace taskquant::studio {

namespace {

// The Task Transfer tab's translation context.
QString tr(const char* text) {
    return QCoreApplication::translate("taskquant::studio::TransferActions", text);
}

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

double orNan(const std::optional<double>& v) {
    return v ? *v : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

const policy::Policy* TransferData::policyOf(const QString& label) const {
    for (const auto& [l, p] : policies)
        if (l == label)
            return &p;
    return nullptr;
}

TransferData transferData(const eval::TransferResult& r, const QString& source) {
    TransferData d;
    d.modelDir = qs(r.model);
    for (const auto& c : r.cells) {
        views::TransferCellData x;
        x.budgetBits = c.budgetBits;
        x.policy = qs(c.policy);
        x.builtFor = qs(c.builtFor);
        x.evalTask = qs(c.evalTask);
        x.bytes = c.bytes;
        x.kld = c.kldMean;
        x.kldLow = c.kldLow;
        x.kldHigh = c.kldHigh;
        x.kldP99 = c.kldP99;
        x.top1 = c.top1;
        x.accuracy = orNan(c.accuracy);
        x.accuracyLow = orNan(c.accuracyLow);
        x.accuracyHigh = orNan(c.accuracyHigh);
        d.cells.push_back(x);
    }
    for (const auto& v : r.verdicts) {
        views::TransferVerdictData x;
        x.task = qs(v.task);
        x.budgetBits = v.budgetBits;
        x.text = qs(v.text);
        x.ownPolicy = qs(v.ownPolicy);
        x.bestOther = qs(v.bestOther);
        x.gain = v.gain;
        x.gainLow = v.gainLow;
        x.gainHigh = v.gainHigh;
        d.verdicts.push_back(x);
    }
    for (const auto& [label, p] : r.policies)
        d.policies.emplace_back(qs(label), p);
    QStringList tasks;
    for (const auto& t : r.tasks)
        tasks << qs(t.name);
    const QString model = QFileInfo(d.modelDir).fileName();
    d.title = tr("Task transfer: %1 on %2")
                  .arg(model.isEmpty() ? tr("model") : model, tasks.join(QStringLiteral(", ")));
    QStringList notes;
    QStringList windows;
    for (const auto& t : r.tasks)
        windows << tr("%1: %2 windows, %3 tokens%4")
                       .arg(qs(t.name))
                       .arg(t.windows)
                       .arg(t.tokens)
                       .arg(t.answers ? tr(", %1 answer problems").arg(t.answerProblems)
                                      : QString());
    notes << tr("Held-out text per task: %1; windows of %2 tokens; %3 parameters; %4 s.")
                 .arg(windows.join(QStringLiteral("; ")))
                 .arg(r.ctx)
                 .arg(r.parameters)
                 .arg(r.seconds, 0, 'f', 1);
    if (!source.isEmpty())
        notes << tr("Opened from %1; model %2.").arg(source, d.modelDir);
    d.notes = notes.join(QLatin1Char('\n'));
    return d;
}

TransferData runTransferJob(const TransferRequest& req, const taskquant::JobControl& control) {
    if (req.modelDir.isEmpty())
        throw taskquant::Error("no model directory open (File > Open Model Directory)");
    if (!QFileInfo::exists(QDir(req.modelDir).filePath(QStringLiteral("config.json"))))
        throw taskquant::Error(req.modelDir.toStdString(),
                               "not a model directory (no config.json)");
    eval::TransferOptions o;
    o.modelDir = req.modelDir.toStdString();
    for (const QString& t : req.tasks)
        if (!t.trimmed().isEmpty())
            o.tasks.push_back(eval::parseTransferTask(t.trimmed().toStdString()));
    if (o.tasks.empty())
        throw taskquant::Error("no task to compare (NAME=KIND or NAME=KIND:PATH)");
    if (!req.general.trimmed().isEmpty())
        o.general = eval::parseTransferTask("general=" + req.general.trimmed().toStdString()).data;
    o.bits = eval::parseBits(req.bits.toStdString());
    o.calibrationSamples = req.calibrationSamples;
    o.heldOutSamples = req.heldOutSamples;
    o.ctx = req.ctx;
    o.windows = req.windows;
    o.answerProblems = req.answerProblems;
    o.recipes = req.recipes;
    o.device = req.device.toStdString();
    const eval::TransferResult r = eval::runTransfer(o, control);
    control.check();
    return transferData(r, QString());
}

TransferData readTransferFile(const QString& path) {
    return transferData(eval::TransferResult::readFile(path.toStdString()), path);
}

Choices choicesForTransferPolicy(const policy::Policy& p, const QStringList& names,
                                 const quant::Precision& editorDefault) {
    const policy::Policy base = makePolicy({}, editorDefault, nullptr);
    QStringList all = names;
    for (const auto& [name, precision] : p.overrides)
        if (!all.contains(qs(name)))
            all << qs(name);
    Choices out;
    for (const QString& n : all) {
        const std::string name = n.toStdString();
        const quant::Precision want = p.precisionFor(name);
        if (!(want == base.precisionFor(name)))
            out.insert(n, want);
    }
    return out;
}

} // namespace taskquant::studio
