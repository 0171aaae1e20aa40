#include "app/studio/fisher_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include "app/studio/dialog_parts.h"
#include "app/studio/path_field.h"
#include "core/data/dataset_spec.h"

namespace taskquant::studio {

FisherDialog::FisherDialog(const QString& modelDir, QWidget* parent)
    : QDialog(parent), modelDir_(modelDir), dataset_(new QComboBox(this)),
      data_(new PathField(PathField::OpenFile,
                          tr("Data files (*.jsonl *.json *.txt *.raw);;All files (*)"), this)),
      field_(new QLineEdit(this)), samples_(new QSpinBox(this)), maxLength_(new QSpinBox(this)),
      seed_(new QSpinBox(this)),
      clip_(new QCheckBox(tr("Clip gradient norms at percentile"), this)),
      exactLoop_(new QCheckBox(
          tr("One sample per step (the study's loop; batched gives the same scores)"), this)),
      clipPercentile_(new QDoubleSpinBox(this)), device_(deviceBox(this)),
      save_(new PathField(PathField::SaveFile, tr("Sensitivity maps (*.json)"), this)) {
    setWindowTitle(tr("Run Fisher"));
    setObjectName(QStringLiteral("fisherDialog"));
    dataset_->addItem(tr("GSM8K (JSON Lines, question)"), QStringLiteral("gsm8k"));
    dataset_->addItem(tr("MATH (JSON Lines, problem)"), QStringLiteral("math"));
    dataset_->addItem(tr("WikiText (raw text)"), QStringLiteral("wikitext"));
    dataset_->addItem(tr("JSON Lines (field below)"), QStringLiteral("jsonl"));
    dataset_->addItem(tr("Plain text (one sample per paragraph)"), QStringLiteral("text"));
    for (const std::string& k : data::demoTaskKinds())
        dataset_->addItem(tr("Demo task: %1 (embedded, no file)").arg(QString::fromStdString(k)),
                          QString::fromStdString(k));
    field_->setPlaceholderText(tr("text field of each JSON line"));
    samples_->setRange(1, 1 << 20);
    samples_->setValue(64);
    maxLength_->setRange(2, 1 << 20);
    maxLength_->setValue(512);
    maxLength_->setSuffix(tr(" tokens"));
    seed_->setRange(0, 1 << 30);
    clip_->setChecked(true);
    clipPercentile_->setRange(0.1, 100.0);
    clipPercentile_->setDecimals(1);
    clipPercentile_->setValue(99.0);
    connect(clip_, &QCheckBox::toggled, clipPercentile_, &QWidget::setEnabled);
    save_->edit()->setPlaceholderText(tr("optional: keep the map in memory only"));
    connect(dataset_, &QComboBox::currentIndexChanged, this, &FisherDialog::updateFieldEnabled);

    auto* form = new QFormLayout;
    form->addRow(tr("Model:"), modelLabel(modelDir, this));
    form->addRow(tr("Dataset kind:"), dataset_);
    form->addRow(tr("Data file:"), data_);
    form->addRow(tr("JSON field:"), field_);
    form->addRow(tr("Samples:"), samples_);
    form->addRow(tr("Max length:"), maxLength_);
    form->addRow(tr("Seed:"), seed_);
    auto* clipRow = new QHBoxLayout;
    clipRow->addWidget(clip_);
    clipRow->addWidget(clipPercentile_);
    form->addRow(tr("Clipping:"), clipRow);
    form->addRow(QString(), exactLoop_);
    form->addRow(tr("Device:"), device_);
    form->addRow(tr("Save map to:"), save_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(okCancel(this, tr("Run")));
    dataset_->setCurrentIndex(dataset_->findData(QStringLiteral("gsm8k")));
    setRequest(rememberedFisherRequest(modelDir));
    connect(this, &QDialog::accepted, this, [this] { rememberFisherRequest(request()); });
    updateFieldEnabled();
    resize(560, sizeHint().height());
}

void FisherDialog::updateFieldEnabled() {
    const QString kind = dataset_->currentData().toString();
    field_->setEnabled(kind == QLatin1String("jsonl"));
    data_->setEnabled(data::datasetKindTakesFile(kind.toStdString()));
}

FisherRequest rememberedFisherRequest(const QString& modelDir) {
    QSettings s;
    FisherRequest r;
    r.modelDir = modelDir;
    s.beginGroup(QStringLiteral("dialogs/fisher"));
    r.datasetKind = s.value(QStringLiteral("kind"), QStringLiteral("gsm8k")).toString();
    r.dataFile = s.value(QStringLiteral("file")).toString();
    r.field = s.value(QStringLiteral("field")).toString();
    r.samples = s.value(QStringLiteral("samples"), r.samples).toInt();
    r.maxLength = s.value(QStringLiteral("maxLength"), r.maxLength).toInt();
    r.seed = s.value(QStringLiteral("seed"), 0).toULongLong();
    if (s.value(QStringLiteral("clip"), true).toBool())
        r.clipPercentile = s.value(QStringLiteral("clipPercentile"), 99.0).toDouble();
    else
        r.clipPercentile.reset();
    r.exactLoop = s.value(QStringLiteral("exactLoop"), false).toBool();
    r.device = s.value(QStringLiteral("device"), r.device).toString();
    s.endGroup();
    // The task chosen last in any dialog (Fisher, Frontier, Validate) wins.
    if (s.contains(QStringLiteral("dialogs/lastTask/kind"))) {
        r.datasetKind = s.value(QStringLiteral("dialogs/lastTask/kind")).toString();
        r.dataFile = s.value(QStringLiteral("dialogs/lastTask/file")).toString();
        r.field = s.value(QStringLiteral("dialogs/lastTask/field")).toString();
    }
    return r;
}

void rememberFisherRequest(const FisherRequest& r) {
    QSettings s;
    s.beginGroup(QStringLiteral("dialogs/fisher"));
    s.setValue(QStringLiteral("kind"), r.datasetKind);
    s.setValue(QStringLiteral("file"), r.dataFile);
    s.setValue(QStringLiteral("field"), r.field);
    s.setValue(QStringLiteral("samples"), r.samples);
    s.setValue(QStringLiteral("maxLength"), r.maxLength);
    s.setValue(QStringLiteral("seed"), qulonglong(r.seed));
    s.setValue(QStringLiteral("clip"), r.clipPercentile.has_value());
    if (r.clipPercentile)
        s.setValue(QStringLiteral("clipPercentile"), *r.clipPercentile);
    s.setValue(QStringLiteral("exactLoop"), r.exactLoop);
    s.setValue(QStringLiteral("device"), r.device);
    s.endGroup();
    s.setValue(QStringLiteral("dialogs/lastTask/kind"), r.datasetKind);
    s.setValue(QStringLiteral("dialogs/lastTask/file"), r.dataFile);
    s.setValue(QStringLiteral("dialogs/lastTask/field"), r.field);
}

FisherRequest FisherDialog::request() const {
    FisherRequest r;
    r.modelDir = modelDir_;
    r.datasetKind = dataset_->currentData().toString();
    r.dataFile = data_->path();
    if (field_->isEnabled())
        r.field = field_->text().trimmed();
    r.samples = samples_->value();
    r.maxLength = maxLength_->value();
    r.seed = quint64(seed_->value());
    if (clip_->isChecked())
        r.clipPercentile = clipPercentile_->value();
    else
        r.clipPercentile.reset();
    r.exactLoop = exactLoop_->isChecked();
    r.device = device_->currentText();
    r.savePath = save_->path();
    return r;
}

void FisherDialog::setRequest(const FisherRequest& r) {
    const int k = dataset_->findData(r.datasetKind);
    if (k >= 0)
        dataset_->setCurrentIndex(k);
    data_->setPath(r.dataFile);
    field_->setText(r.field);
    samples_->setValue(r.samples);
    maxLength_->setValue(r.maxLength);
    seed_->setValue(int(r.seed));
    clip_->setChecked(r.clipPercentile.has_value());
    if (r.clipPercentile)
        clipPercentile_->setValue(*r.clipPercentile);
    exactLoop_->setChecked(r.exactLoop);
    const int d = device_->findText(r.device);
    if (d >= 0)
        device_->setCurrentIndex(d);
    save_->setPath(r.savePath);
}

} // namespace taskquant::studio
