#include "app/studio/live_cost.h"

#include <QUndoStack>

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <cmath>

#include "app/studio/engine_jobs.h"
#include "app/studio/job_runner.h"
#include "core/export/checkpoint_tensor.h"
#include "core/io/safetensors.h"
#include "core/policy/error_measure.h"
#include "core/util/error.h"
#include "views/color_scale.h"
#include "views/gguf_type_menu.h"
#include "views/policy_model.h"

namespace taskquant::studio {

namespace {

QString mib(uint64_t bytes) {
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 2);
}

QString signedMib(int64_t delta) {
    const double v = double(delta) / (1024.0 * 1024.0);
    return QStringLiteral("%1%2 MiB")
        .arg(v >= 0 ? QStringLiteral("+") : QString())
        .arg(v, 0, 'f', 3);
}

QString signedNumber(double v, char f = 'g', int prec = 3) {
    return QStringLiteral("%1%2").arg(v >= 0 ? QStringLiteral("+") : QString()).arg(v, 0, f, prec);
}

} // namespace

std::shared_ptr<const policy::ErrorTable> measureLiveCostErrors(const QString& modelDir,
                                                                const taskquant::JobControl& c) {
    const auto ckpt = io::SafetensorsCheckpoint::openDirectory(modelDir.toStdString());
    std::vector<std::vector<float>> data;
    std::vector<policy::WeightView> views;
    const auto names = ckpt.names();
    data.reserve(names.size());
    for (const auto& name : names) {
        const io::TensorInfo* info = ckpt.find(name);
        if (!info || info->shape.size() != 2)
            continue;
        data.push_back(exporting::readTensorAsFloat(ckpt, *info));
        policy::WeightView v;
        v.name = name;
        v.shape = info->shape;
        views.push_back(v);
        c.check();
    }
    for (std::size_t i = 0; i < views.size(); ++i)
        views[i].data = data[i].data();
    std::vector<quant::Precision> precisions = policy::defaultGgufCandidates();
    for (const char* n : {"int8_g128", "int4_g128"})
        precisions.push_back(quant::Precision::parse(n));
    policy::ErrorMeasureOptions o;
    o.threads = 2;
    return std::make_shared<const policy::ErrorTable>(
        policy::measureErrors(views, precisions, o, c));
}

void LiveCostController::loadErrorTable(const QString& path) {
    if (!jobs_)
        return;
    jobs_->runThenReport<std::shared_ptr<const policy::ErrorTable>>(
        QStringLiteral("live-cost-errors"), tr("Reading the error table"),
        [path](const JobControl&) {
            return std::make_shared<const policy::ErrorTable>(
                policy::ErrorTable::readFile(path.toStdString()));
        },
        [this](std::shared_ptr<const std::shared_ptr<const policy::ErrorTable>> e) {
            setErrorTable(*e);
            return JobReport{tr("Error table of %n tensor(s) loaded for the damage model.", nullptr,
                                int((*e)->rows().size()))};
        });
}

LiveCostController::LiveCostController(JobRunner* jobs, views::PolicyModel* policy, QObject* parent)
    : QObject(parent), jobs_(jobs), policy_(policy) {
    if (policy_) {
        connect(policy_, &views::PolicyModel::choicesChanged, this,
                &LiveCostController::onChoicesChanged);
        // "since the last edit" depends on the undo history, which changes after the edit
        connect(policy_->undoStack(), &QUndoStack::cleanChanged, this,
                &LiveCostController::updated);
    }
}

void LiveCostController::setModelDirectory(const QString& dir, bool measure) {
    dir_ = dir;
    if (dir.isEmpty() || !jobs_) {
        cost_.reset();
        emit updated();
        return;
    }
    jobs_->runThenReport<exporting::LiveCostModel>(
        QStringLiteral("live-cost-model"), tr("Reading the GGUF layout for live cost"),
        [d = dir.toStdString()](const JobControl&) {
            return exporting::liveCostModelOfDirectory(d);
        },
        [this, dir, measure](std::shared_ptr<const exporting::LiveCostModel> m) {
            if (dir != dir_)
                return JobReport();
            setModel(*m);
            int64_t weights = 0;
            for (const auto& t : m->tensors)
                if (t.shape.size() == 2)
                    weights += t.shape[0] * t.shape[1];
            if (weights > kMaxMeasuredWeights)
                return JobReport{tr("The model has %1 M matrix weights: errors are not measured "
                                    "automatically; Live Cost > Load Error Table… takes a "
                                    "`taskquant errors` table for the damage.")
                                     .arg(weights / 1000000)};
            if (measure && jobs_)
                jobs_->runThenReport<std::shared_ptr<const policy::ErrorTable>>(
                    QStringLiteral("live-cost-errors"),
                    tr("Measuring quantization errors for the damage model"),
                    [dir](const JobControl& c) { return measureLiveCostErrors(dir, c); },
                    [this,
                     dir](std::shared_ptr<const std::shared_ptr<const policy::ErrorTable>> e) {
                        if (dir != dir_)
                            return JobReport();
                        setErrorTable(*e);
                        return JobReport{tr("Errors measured: %n tensor(s); predicted damage "
                                            "is live.",
                                            nullptr, int((*e)->rows().size()))};
                    });
            return JobReport();
        });
}

void LiveCostController::setModel(exporting::LiveCostModel model) {
    QElapsedTimer t;
    t.start();
    cost_ = std::make_unique<exporting::LiveCost>(
        std::move(model), makePolicy(policy_ ? policy_->choices() : Choices{}, default_, nullptr));
    cost_->setDamageInputs(scores_, errors_);
    finishUpdate(t);
}

void LiveCostController::setDefaultPrecision(const quant::Precision& p) {
    default_ = p;
    rebuild();
}

void LiveCostController::setScores(const MapPtr& map) {
    scores_.clear();
    if (map)
        for (const auto& e : map->entries())
            scores_[e.name] = e.score;
    if (cost_) {
        QElapsedTimer t;
        t.start();
        cost_->setDamageInputs(scores_, errors_);
        finishUpdate(t);
    }
}

void LiveCostController::setErrorTable(std::shared_ptr<const policy::ErrorTable> errors) {
    errors_ = std::move(errors);
    if (cost_) {
        QElapsedTimer t;
        t.start();
        cost_->setDamageInputs(scores_, errors_);
        finishUpdate(t);
    }
}

void LiveCostController::setMeasured(double kld) {
    if (cost_) {
        cost_->setMeasured(kld);
        emit updated();
    }
}

// "predicted KLD ≈ 0.012" (KL units) or "predicted damage 1.08e-05" (a map's relative units),
// with the change since the last edit, and "measured 0.011" after an evaluation.
QString LiveCostController::damageText(bool withChange) const {
    const auto& t = cost_->totals();
    const auto& p = cost_->previous();
    QString s;
    if (t.calibrated)
        s = withChange ? tr("predicted KLD ≈ %1 (%2)")
                             .arg(t.kld, 0, 'g', 3)
                             .arg(signedNumber(t.kld - p.kld))
                       : tr("predicted KLD ≈ %1").arg(t.kld, 0, 'g', 3);
    else
        s = withChange ? tr("predicted damage %1 (%2, relative units)")
                             .arg(t.damage, 0, 'g', 4)
                             .arg(signedNumber(t.damage - p.damage))
                       : tr("predicted damage %1 (relative units)").arg(t.damage, 0, 'g', 4);
    if (t.measuredKld)
        s += tr(", measured %1").arg(*t.measuredKld, 0, 'g', 3);
    return s;
}

void LiveCostController::rebuild() {
    if (!cost_)
        return;
    QElapsedTimer t;
    t.start();
    cost_->setPolicy(makePolicy(policy_ ? policy_->choices() : Choices{}, default_, nullptr));
    finishUpdate(t);
}

void LiveCostController::onChoicesChanged(const QStringList& names) {
    if (!cost_ || !policy_)
        return;
    QElapsedTimer t;
    t.start();
    std::vector<exporting::LiveCost::Edit> edits;
    edits.reserve(std::size_t(names.size()));
    for (const QString& n : names)
        edits.emplace_back(n.toStdString(), policy_->precision(n));
    cost_->setOverrides(edits);
    finishUpdate(t);
}

void LiveCostController::finishUpdate(const QElapsedTimer& t) {
    lastMs_ = double(t.nsecsElapsed()) / 1e6;
    damageMin_ = damageMax_ = 0;
    if (cost_ && cost_->totals().hasDamage) {
        for (const auto& tensor : cost_->model().tensors)
            if (const auto* s = cost_->tensor(tensor.name); s && s->damage && *s->damage > 0) {
                damageMin_ = damageMin_ > 0 ? std::min(damageMin_, *s->damage) : *s->damage;
                damageMax_ = std::max(damageMax_, *s->damage);
            }
    }
    emit updated();
}

bool LiveCostController::hasEdits() const {
    return policy_ && !policy_->undoStack()->isClean();
}

QString LiveCostController::summaryText() const {
    if (!cost_)
        return {};
    const auto& t = cost_->totals();
    const auto& p = cost_->previous();
    const bool edited = hasEdits();
    QString s;
    if (cost_->model().hasFile) {
        s = edited ? tr("GGUF %1 (%2 bpw, %3)")
                         .arg(mib(t.fileBytes))
                         .arg(t.fileBits, 0, 'f', 3)
                         .arg(signedMib(int64_t(t.fileBytes) - int64_t(p.fileBytes)))
                   : tr("GGUF %1 (%2 bpw)").arg(mib(t.fileBytes)).arg(t.fileBits, 0, 'f', 3);
    }
    if (t.hasDamage)
        s += QStringLiteral(" · ") + damageText(edited);
    return s;
}

QString LiveCostController::detailHtml() const {
    if (!cost_)
        return tr("Open a model directory to see the size and predicted damage of the policy "
                  "while you edit it.");
    const auto& t = cost_->totals();
    const auto& p = cost_->previous();
    const bool edited = hasEdits();
    QString h = QStringLiteral("<table>");
    auto row = [&h](const QString& k, const QString& v) {
        h += QStringLiteral("<tr><td><b>%1</b></td><td>&nbsp;%2</td></tr>").arg(k, v);
    };
    if (cost_->model().hasFile) {
        row(tr("GGUF file"), tr("%1 (%2 bytes)").arg(mib(t.fileBytes)).arg(t.fileBytes));
        if (edited) {
            row(tr("Bits per weight"), tr("%1 (%2)")
                                           .arg(t.fileBits, 0, 'f', 3)
                                           .arg(signedNumber(t.fileBits - p.fileBits, 'f', 3)));
            row(tr("Last edit"), signedMib(int64_t(t.fileBytes) - int64_t(p.fileBytes)));
        } else {
            row(tr("Bits per weight"), QString::number(t.fileBits, 'f', 3));
        }
    }
    if (t.error.empty())
        row(tr("Policy estimate"),
            tr("%1 of %2 at %3 (%4 bits per counted weight)")
                .arg(mib(t.policyBytes), mib(t.referenceBytes),
                     QString::fromStdString(cost_->policy().reference.name()))
                .arg(t.policyBits, 0, 'f', 3));
    else
        row(tr("Policy estimate"), QString::fromStdString(t.error).toHtmlEscaped());
    if (t.hasDamage) {
        row(tr("Predicted damage"), damageText(edited));
        QString n = tr("%n tensor(s) counted", nullptr, t.damageTensors);
        if (t.damageMissing > 0)
            n += tr("; %n without a measured error at their type", nullptr, t.damageMissing);
        row(QString(), n);
    } else {
        row(tr("Predicted damage"), errors_ ? tr("open a sensitivity map for the scores")
                                            : tr("waiting for the measured errors (Jobs)"));
    }
    row(tr("Update"), tr("%1 ms").arg(lastMs_, 0, 'f', 3));
    h += QStringLiteral("</table>");
    return h;
}

std::optional<std::vector<int64_t>> LiveCostController::shapeOf(const QString& name) const {
    if (!cost_)
        return std::nullopt;
    const std::string n = name.toStdString();
    for (const auto& t : cost_->model().tensors)
        if (t.name == n)
            return t.shape;
    return std::nullopt;
}

void LiveCostController::setColoring(Coloring c) {
    if (coloring_ == c)
        return;
    coloring_ = c;
    emit coloringChanged();
}

QColor LiveCostController::typeColor(const QString& type) {
    // A qualitative palette in bits order: warm = few bits, cool = many.
    static const QList<QPair<QString, QColor>> colors = {
        {QStringLiteral("q2_k"), QColor(215, 48, 39)},
        {QStringLiteral("q3_k"), QColor(244, 109, 67)},
        {QStringLiteral("iq4_xs"), QColor(253, 174, 97)},
        {QStringLiteral("iq4_nl"), QColor(254, 224, 144)},
        {QStringLiteral("q4_0"), QColor(255, 255, 191)},
        {QStringLiteral("q4_k"), QColor(224, 243, 248)},
        {QStringLiteral("q4_1"), QColor(199, 233, 192)},
        {QStringLiteral("q5_0"), QColor(171, 217, 233)},
        {QStringLiteral("q5_k"), QColor(116, 173, 209)},
        {QStringLiteral("q5_1"), QColor(102, 194, 164)},
        {QStringLiteral("q6_k"), QColor(69, 117, 180)},
        {QStringLiteral("q8_0"), QColor(49, 54, 149)},
        {QStringLiteral("f16"), QColor(90, 90, 90)},
        {QStringLiteral("bf16"), QColor(120, 120, 120)},
        {QStringLiteral("f32"), QColor(30, 30, 30)}};
    for (const auto& [n, c] : colors)
        if (n == type)
            return c;
    return QColor(128, 0, 128);
}

std::optional<QColor> LiveCostController::cellColor(const QString& name) const {
    if (!cost_ || coloring_ == Coloring::Score)
        return std::nullopt;
    const auto* s = cost_->tensor(name.toStdString());
    if (!s)
        return std::nullopt;
    if (coloring_ == Coloring::Type)
        return typeColor(
            QString::fromStdString(s->storedType.empty() ? s->effective.name() : s->storedType)
                .toLower());
    if (!s->damage)
        return views::ColorScale::noDataColor();
    if (*s->damage <= 0 || damageMax_ <= 0)
        return views::ColorScale::logRange(1, 10).colorAt(0);
    return damageScale().color(*s->damage);
}

views::ColorScale LiveCostController::damageScale() const {
    if (damageMax_ <= 0)
        return views::ColorScale::logRange(1, 10);
    return views::ColorScale::logRange(damageMin_, std::max(damageMax_, damageMin_ * 10));
}

LiveCostPanel::LiveCostPanel(LiveCostController* controller, QWidget* parent)
    : QWidget(parent), controller_(controller), label_(new QLabel(this)),
      coloring_(new QComboBox(this)), legend_(new QLabel(this)) {
    legend_->setObjectName(QStringLiteral("typeLegend"));
    legend_->setTextFormat(Qt::RichText);
    legend_->setWordWrap(true);
    {
        QStringList types{QStringLiteral("f32"), QStringLiteral("f16"), QStringLiteral("bf16")};
        for (const std::string& n : quant::Precision::ggufBlockNames())
            types << QString::fromStdString(n);
        QString h = tr("<b>Cell colour by GGUF type</b><br>");
        for (const QString& t : types)
            h +=
                QStringLiteral("<span style=\"background-color:%1\">&nbsp;&nbsp;&nbsp;&nbsp;</span>"
                               "&nbsp;%2&nbsp;&nbsp; ")
                    .arg(LiveCostController::typeColor(t).name(), t);
        legend_->setText(h);
    }
    legend_->hide();
    label_->setObjectName(QStringLiteral("liveCostText"));
    label_->setTextFormat(Qt::RichText);
    label_->setWordWrap(true);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    coloring_->setObjectName(QStringLiteral("heatmapColoring"));
    coloring_->addItem(tr("Score"), int(LiveCostController::Coloring::Score));
    coloring_->addItem(tr("Chosen GGUF type"), int(LiveCostController::Coloring::Type));
    coloring_->addItem(tr("Predicted damage"), int(LiveCostController::Coloring::Damage));
    coloring_->setToolTip(tr("What the heatmap's cells are coloured by"));
    auto* form = new QFormLayout;
    form->addRow(tr("Colour cells by:"), coloring_);
    auto* load = new QPushButton(tr("Load Error Table…"), this);
    load->setObjectName(QStringLiteral("loadErrorTable"));
    load->setToolTip(tr("A `taskquant errors` table (JSON) for the predicted damage, instead of "
                        "the errors measured when the model opens"));
    connect(load, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Load Error Table"), QString(),
                                                       tr("Error tables (*.json)"));
        if (!f.isEmpty())
            controller_->loadErrorTable(f);
    });
    form->addRow(QString(), load);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(label_);
    layout->addLayout(form);
    layout->addWidget(legend_);
    layout->addStretch(1);
    connect(coloring_, &QComboBox::currentIndexChanged, this, [this] {
        controller_->setColoring(LiveCostController::Coloring(coloring_->currentData().toInt()));
    });
    connect(controller_, &LiveCostController::updated, this, &LiveCostPanel::refresh);
    connect(controller_, &LiveCostController::coloringChanged, this, [this] {
        const int i = coloring_->findData(int(controller_->coloring()));
        if (i >= 0 && i != coloring_->currentIndex())
            coloring_->setCurrentIndex(i);
        refresh();
    });
    refresh();
}

QString LiveCostPanel::text() const {
    return label_->text();
}

void LiveCostPanel::refresh() {
    label_->setText(controller_->detailHtml());
    legend_->setVisible(controller_->coloring() == LiveCostController::Coloring::Type);
}

} // namespace taskquant::studio
