#include "app/studio/frontier_dialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include "app/studio/dialog_parts.h"
#include "app/studio/path_field.h"
#include "core/data/dataset_spec.h"
#include "core/quant/precision.h"
#include "views/map_list_model.h"

namespace taskquant::studio {

TaskFields::TaskFields(const QString& modelDir, QWidget* parent)
    : QWidget(parent), modelDir_(modelDir), kind_(new QComboBox(this)),
      file_(new PathField(PathField::OpenFile,
                          tr("Data files (*.jsonl *.json *.txt *.raw);;All files (*)"), this)),
      field_(new QLineEdit(this)), ctx_(new QSpinBox(this)), chunks_(new QSpinBox(this)),
      device_(deviceBox(this)), problem_(new QLabel(this)) {
    problem_->setObjectName(QStringLiteral("taskProblem"));
    problem_->setStyleSheet(QStringLiteral("color: #b00020"));
    problem_->setWordWrap(true);
    problem_->hide();
    kind_->addItem(tr("GSM8K (JSON Lines)"), QStringLiteral("gsm8k"));
    kind_->addItem(tr("MATH (JSON Lines)"), QStringLiteral("math"));
    kind_->addItem(tr("WikiText (raw text)"), QStringLiteral("wikitext"));
    kind_->addItem(tr("JSON Lines (field below)"), QStringLiteral("jsonl"));
    kind_->addItem(tr("Plain text file"), QStringLiteral("text"));
    // The embedded demo tasks: generated held-out problems, no file.
    for (const std::string& k : data::demoTaskKinds())
        kind_->addItem(tr("Demo task: %1 (no file)").arg(QString::fromStdString(k)),
                       QString::fromStdString(k));
    field_->setPlaceholderText(tr("text field of each JSON line"));
    ctx_->setRange(4, 1 << 16);
    ctx_->setValue(128);
    ctx_->setSuffix(tr(" tokens"));
    chunks_->setRange(0, 1 << 20);
    chunks_->setValue(8);
    chunks_->setSpecialValueText(tr("all"));
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Model:"), modelLabel(modelDir, this));
    form->addRow(tr("Task text kind:"), kind_);
    form->addRow(tr("Task text file:"), file_);
    form->addRow(tr("JSON field:"), field_);
    form->addRow(tr("Context length:"), ctx_);
    form->addRow(tr("Max windows:"), chunks_);
    form->addRow(tr("Device:"), device_);
    form->addRow(problem_);
    auto update = [this] {
        problem_->hide();
        const QString kind = kind_->currentData().toString();
        field_->setEnabled(kind == QLatin1String("jsonl"));
        file_->setEnabled(data::datasetKindTakesFile(kind.toStdString()));
    };
    connect(kind_, &QComboBox::currentIndexChanged, this, update);
    update();
}

QString TaskFields::problem() const {
    const TaskChoice t = task();
    if (!data::datasetKindTakesFile(t.datasetKind.toStdString()))
        return {};
    if (t.dataFile.isEmpty())
        return tr("Choose a task text file, or a demo task (no file).");
    if (!QFileInfo(t.dataFile).isFile())
        return tr("%1: no such file.").arg(t.dataFile);
    if (t.datasetKind == QLatin1String("jsonl") && t.field.isEmpty())
        return tr("Give the JSON field that holds the text of each line.");
    return {};
}

bool TaskFields::check() {
    const QString p = problem();
    problem_->setText(p);
    problem_->setVisible(!p.isEmpty());
    return p.isEmpty();
}

QString TaskFields::problemText() const {
    return problem_->isVisible() ? problem_->text() : QString();
}

TaskChoice TaskFields::task() const {
    TaskChoice t;
    t.modelDir = modelDir_;
    t.datasetKind = kind_->currentData().toString();
    t.dataFile = file_->path();
    t.field = field_->text();
    t.ctx = ctx_->value();
    t.chunks = chunks_->value();
    t.device = device_->currentText();
    return t;
}

void TaskFields::setTask(const TaskChoice& t) {
    const int k = kind_->findData(t.datasetKind);
    if (k >= 0)
        kind_->setCurrentIndex(k);
    file_->setPath(t.dataFile);
    field_->setText(t.field);
    ctx_->setValue(t.ctx);
    chunks_->setValue(t.chunks);
    const int d = device_->findText(t.device);
    if (d >= 0)
        device_->setCurrentIndex(d);
}

void TaskFields::save(const QString& group) const {
    QSettings s;
    s.beginGroup(group);
    const TaskChoice t = task();
    s.setValue(QStringLiteral("kind"), t.datasetKind);
    s.setValue(QStringLiteral("file"), t.dataFile);
    s.setValue(QStringLiteral("field"), t.field);
    s.setValue(QStringLiteral("ctx"), t.ctx);
    s.setValue(QStringLiteral("chunks"), t.chunks);
    s.setValue(QStringLiteral("device"), t.device);
    s.endGroup();
    // The task chosen last, whichever dialog chose it (Fisher, Frontier, Validate).
    s.setValue(QStringLiteral("dialogs/lastTask/kind"), t.datasetKind);
    s.setValue(QStringLiteral("dialogs/lastTask/file"), t.dataFile);
    s.setValue(QStringLiteral("dialogs/lastTask/field"), t.field);
}

void TaskFields::restore(const QString& group) {
    QSettings s;
    TaskChoice t = task();
    s.beginGroup(group);
    const bool own = s.contains(QStringLiteral("kind"));
    if (own) {
        t.datasetKind = s.value(QStringLiteral("kind")).toString();
        t.dataFile = s.value(QStringLiteral("file")).toString();
        t.field = s.value(QStringLiteral("field")).toString();
        t.ctx = s.value(QStringLiteral("ctx"), t.ctx).toInt();
        t.chunks = s.value(QStringLiteral("chunks"), t.chunks).toInt();
        t.device = s.value(QStringLiteral("device"), t.device).toString();
    }
    s.endGroup();
    // The task chosen last in any dialog wins over this dialog's own last one.
    const bool last = s.contains(QStringLiteral("dialogs/lastTask/kind"));
    if (last) {
        t.datasetKind = s.value(QStringLiteral("dialogs/lastTask/kind")).toString();
        t.dataFile = s.value(QStringLiteral("dialogs/lastTask/file")).toString();
        t.field = s.value(QStringLiteral("dialogs/lastTask/field")).toString();
    }
    if (own || last)
        setTask(t);
}

FrontierDialog::FrontierDialog(const QString& modelDir, const std::vector<MapPtr>& maps,
                               const std::vector<bool>& checked, QWidget* parent)
    : QDialog(parent), task_(new TaskFields(modelDir, this)), bits_(new QLineEdit(this)),
      precisions_(new QLineEdit(this)),
      errorOnly_(new QCheckBox(tr("Error-only family (the allocation without a map)"), this)),
      activations_(new QCheckBox(tr("Weight errors by the task's activations"), this)),
      maps_(maps) {
    setWindowTitle(tr("Compute Frontier"));
    setObjectName(QStringLiteral("frontierDialog"));
    bits_->setText(QStringLiteral("5,6,8,10"));
    bits_->setToolTip(tr("Budgets of the optimal allocations in bits per weight over all "
                         "parameters, comma separated"));
    precisions_->setPlaceholderText(tr("default: f16 and every GGUF type"));
    precisions_->setToolTip(tr("Choices of the optimal allocations, e.g. f16,q8_0,q4_0"));
    errorOnly_->setChecked(true);
    activations_->setChecked(true);
    auto* mapsBox = new QGroupBox(tr("Maps driving an optimal family"), this);
    auto* mapsLayout = new QVBoxLayout(mapsBox);
    for (std::size_t i = 0; i < maps.size(); ++i) {
        auto* b = new QCheckBox(views::MapListModel::labelOf(*maps[i]), mapsBox);
        b->setChecked(i < checked.size() && checked[i]);
        mapsLayout->addWidget(b);
        mapBoxes_.push_back(b);
    }
    if (maps.empty())
        mapsLayout->addWidget(new QLabel(tr("(no map open: uniform types, llama.cpp mixes and "
                                            "error-only only)"),
                                         mapsBox));
    auto* form = new QFormLayout;
    form->addRow(tr("Budgets (bits/weight):"), bits_);
    form->addRow(tr("Choices:"), precisions_);
    form->addRow(QString(), errorOnly_);
    form->addRow(QString(), activations_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(task_);
    layout->addLayout(form);
    layout->addWidget(mapsBox);
    layout->addWidget(okCancel(this, tr("Compute")));
    task_->restore(QStringLiteral("frontier"));
    QSettings s;
    bits_->setText(s.value(QStringLiteral("frontier/bits"), bits_->text()).toString());
    precisions_->setText(s.value(QStringLiteral("frontier/precisions")).toString());
    resize(580, sizeHint().height());
}

FrontierRequest FrontierDialog::request() const {
    FrontierRequest r;
    r.task = task_->task();
    r.bits = bits_->text();
    r.precisions = precisions_->text();
    r.errorOnly = errorOnly_->isChecked();
    r.activationWeighting = activations_->isChecked();
    for (std::size_t i = 0; i < maps_.size(); ++i)
        if (mapBoxes_[i]->isChecked())
            r.maps.push_back(maps_[i]);
    return r;
}

void FrontierDialog::setRequest(const FrontierRequest& r) {
    task_->setTask(r.task);
    bits_->setText(r.bits);
    precisions_->setText(r.precisions);
    errorOnly_->setChecked(r.errorOnly);
    activations_->setChecked(r.activationWeighting);
}

void FrontierDialog::accept() {
    if (!task_->check())
        return;
    task_->save(QStringLiteral("frontier"));
    QSettings s;
    s.setValue(QStringLiteral("frontier/bits"), bits_->text());
    s.setValue(QStringLiteral("frontier/precisions"), precisions_->text());
    QDialog::accept();
}

ValidateDialog::ValidateDialog(const QString& modelDir, const QString& mapLabel, QWidget* parent)
    : QDialog(parent), task_(new TaskFields(modelDir, this)), precision_(new QComboBox(this)),
      top_(new QSpinBox(this)),
      activations_(new QCheckBox(tr("Weight errors by the task's activations"), this)) {
    setWindowTitle(tr("Validate Damage Model"));
    setObjectName(QStringLiteral("validateDialog"));
    for (const std::string& n : quant::Precision::ggufBlockNames())
        precision_->addItem(QString::fromStdString(n));
    precision_->setCurrentText(QStringLiteral("q4_0"));
    precision_->setToolTip(tr("Each tested tensor alone is stored at this type"));
    top_->setRange(0, 1 << 20);
    top_->setValue(16);
    top_->setSpecialValueText(tr("all"));
    top_->setToolTip(tr("Test the N tensors with the largest predicted damage (one evaluation "
                        "each), or all"));
    activations_->setChecked(true);
    auto* form = new QFormLayout;
    form->addRow(tr("Map:"), new QLabel(mapLabel.isEmpty() ? tr("(none)") : mapLabel, this));
    form->addRow(tr("Precision:"), precision_);
    form->addRow(tr("Tensors (largest damage):"), top_);
    form->addRow(QString(), activations_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(task_);
    layout->addLayout(form);
    layout->addWidget(okCancel(this, tr("Validate")));
    task_->restore(QStringLiteral("validate"));
    QSettings s;
    precision_->setCurrentText(
        s.value(QStringLiteral("validate/precision"), QStringLiteral("q4_0")).toString());
    top_->setValue(s.value(QStringLiteral("validate/top"), 16).toInt());
    resize(560, sizeHint().height());
}

ValidationRequest ValidateDialog::request() const {
    ValidationRequest r;
    r.task = task_->task();
    r.precision = precision_->currentText();
    r.tensors =
        top_->value() == 0 ? QStringLiteral("all") : QStringLiteral("top:%1").arg(top_->value());
    r.activationWeighting = activations_->isChecked();
    return r;
}

void ValidateDialog::setRequest(const ValidationRequest& r) {
    task_->setTask(r.task);
    precision_->setCurrentText(r.precision);
    top_->setValue(r.tensors.startsWith(QLatin1String("top:")) ? r.tensors.mid(4).toInt() : 0);
    activations_->setChecked(r.activationWeighting);
}

void ValidateDialog::accept() {
    if (!task_->check())
        return;
    task_->save(QStringLiteral("validate"));
    QSettings s;
    s.setValue(QStringLiteral("validate/precision"), precision_->currentText());
    s.setValue(QStringLiteral("validate/top"), top_->value());
    QDialog::accept();
}

} // namespace taskquant::studio
