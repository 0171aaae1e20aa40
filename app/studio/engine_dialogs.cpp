#include "app/studio/engine_dialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "core/models/model_config.h"

namespace taskquant::studio {

namespace {
QDialogButtonBox* okCancel(QDialog* d, const QString& okText) {
    auto* b = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, d);
    b->button(QDialogButtonBox::Ok)->setText(okText);
    QObject::connect(b, &QDialogButtonBox::accepted, d, &QDialog::accept);
    QObject::connect(b, &QDialogButtonBox::rejected, d, &QDialog::reject);
    return b;
}

QComboBox* deviceBox(QWidget* parent) {
    auto* c = new QComboBox(parent);
    c->addItems(availableDevices());
    return c;
}

QLabel* modelLabel(const QString& dir, QWidget* parent) {
    auto* l = new QLabel(dir.isEmpty() ? QCoreApplication::translate("FisherDialog", "(no model open)") : dir, parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}
} // namespace

// ---------------------------------------------------------------------------------------------

PathField::PathField(Mode mode, const QString& filter, QWidget* parent)
    : QWidget(parent), mode_(mode), filter_(filter), edit_(new QLineEdit(this)) {
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* l = new QHBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(edit_, 1);
    l->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        QString p;
        switch (mode_) {
        case OpenFile: p = QFileDialog::getOpenFileName(this, tr("Choose File"), path(), filter_); break;
        case SaveFile: p = QFileDialog::getSaveFileName(this, tr("Choose Destination"), path(), filter_); break;
        case Directory:
            p = QFileDialog::getSaveFileName(this, tr("Choose Destination Directory"), path(), QString(),
                                             nullptr, QFileDialog::ShowDirsOnly);
            break;
        }
        if (!p.isEmpty())
            edit_->setText(p);
    });
}

QString PathField::path() const { return edit_->text().trimmed(); }
void PathField::setPath(const QString& p) { edit_->setText(p); }
void PathField::setMode(Mode mode, const QString& filter) {
    mode_ = mode;
    filter_ = filter;
}

// ---------------------------------------------------------------------------------------------

FisherDialog::FisherDialog(const QString& modelDir, QWidget* parent)
    : QDialog(parent), modelDir_(modelDir), dataset_(new QComboBox(this)),
      data_(new PathField(PathField::OpenFile,
                          tr("Data files (*.jsonl *.json *.txt *.raw);;All files (*)"), this)),
      field_(new QLineEdit(this)), samples_(new QSpinBox(this)), maxLength_(new QSpinBox(this)),
      seed_(new QSpinBox(this)), clip_(new QCheckBox(tr("Clip gradient norms at percentile"), this)),
      exactLoop_(new QCheckBox(tr("One sample per step (the study's loop; batched gives the same scores)"), this)),
      clipPercentile_(new QDoubleSpinBox(this)), device_(deviceBox(this)),
      save_(new PathField(PathField::SaveFile, tr("Sensitivity maps (*.json)"), this)) {
    setWindowTitle(tr("Run Fisher"));
    setObjectName(QStringLiteral("fisherDialog"));
    dataset_->addItem(tr("GSM8K (JSON Lines, question)"), QStringLiteral("gsm8k"));
    dataset_->addItem(tr("MATH (JSON Lines, problem)"), QStringLiteral("math"));
    dataset_->addItem(tr("WikiText (raw text)"), QStringLiteral("wikitext"));
    dataset_->addItem(tr("JSON Lines (field below)"), QStringLiteral("jsonl"));
    dataset_->addItem(tr("Plain text (one sample per paragraph)"), QStringLiteral("text"));
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
    updateFieldEnabled();
    resize(560, sizeHint().height());
}

void FisherDialog::updateFieldEnabled() {
    field_->setEnabled(dataset_->currentData().toString() == QLatin1String("jsonl"));
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

// ---------------------------------------------------------------------------------------------

MagnitudeDialog::MagnitudeDialog(const QString& modelDir, QWidget* parent)
    : QDialog(parent), modelDir_(modelDir), norm_(new QComboBox(this)),
      perParameter_(new QCheckBox(tr("Divide by the parameter count"), this)),
      save_(new PathField(PathField::SaveFile, tr("Sensitivity maps (*.json)"), this)) {
    setWindowTitle(tr("Run Magnitude"));
    norm_->addItem(tr("Squared L2 norm (the study's)"), QStringLiteral("l2"));
    norm_->addItem(tr("L1 norm"), QStringLiteral("l1"));
    save_->edit()->setPlaceholderText(tr("optional: keep the map in memory only"));
    auto* form = new QFormLayout;
    form->addRow(tr("Model:"), modelLabel(modelDir, this));
    form->addRow(tr("Norm:"), norm_);
    form->addRow(QString(), perParameter_);
    form->addRow(tr("Save map to:"), save_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(okCancel(this, tr("Run")));
    resize(520, sizeHint().height());
}

MagnitudeRequest MagnitudeDialog::request() const {
    MagnitudeRequest r;
    r.modelDir = modelDir_;
    r.l1 = norm_->currentData().toString() == QLatin1String("l1");
    r.perParameter = perParameter_->isChecked();
    r.savePath = save_->path();
    return r;
}

// ---------------------------------------------------------------------------------------------

EvaluateDialog::EvaluateDialog(const QString& modelDir, const Choices& choices,
                               const quant::Precision& defaultPrecision, QWidget* parent)
    : QDialog(parent), modelDir_(modelDir), choices_(choices), defaultPrecision_(defaultPrecision),
      text_(new PathField(PathField::OpenFile, tr("Text files (*.txt *.raw);;All files (*)"), this)),
      ctx_(new QSpinBox(this)), chunks_(new QSpinBox(this)), device_(deviceBox(this)) {
    setWindowTitle(tr("Evaluate Policy"));
    // llama-perplexity's usual 512, or the model's whole context when it is shorter.
    int maxCtx = 1 << 20;
    try {
        const auto config = models::ModelConfig::fromFile(
            (QDir(modelDir).filePath(QStringLiteral("config.json"))).toStdString());
        if (config.maxPositions >= 4) maxCtx = int(std::min<int64_t>(maxCtx, config.maxPositions));
    } catch (const std::exception&) {
        // An unreadable config is reported when the job loads the model.
    }
    ctx_->setRange(4, maxCtx);
    ctx_->setValue(std::min(512, maxCtx));
    ctx_->setSuffix(tr(" tokens"));
    chunks_->setRange(0, 1 << 20);
    chunks_->setSpecialValueText(tr("all"));
    auto* form = new QFormLayout;
    form->addRow(tr("Model:"), modelLabel(modelDir, this));
    form->addRow(tr("Policy:"),
                 new QLabel(tr("%n explicit choice(s); default %1", nullptr, int(choices.size()))
                                .arg(QString::fromStdString(defaultPrecision.name())),
                            this));
    form->addRow(tr("Text file:"), text_);
    form->addRow(tr("Context length:"), ctx_);
    form->addRow(tr("Max windows:"), chunks_);
    form->addRow(tr("Device:"), device_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(okCancel(this, tr("Evaluate")));
    resize(520, sizeHint().height());
}

EvaluationRequest EvaluateDialog::request() const {
    EvaluationRequest r;
    r.modelDir = modelDir_;
    r.textFile = text_->path();
    r.ctx = ctx_->value();
    r.maxChunks = chunks_->value();
    r.device = device_->currentText();
    r.choices = choices_;
    r.defaultPrecision = defaultPrecision_;
    return r;
}

// ---------------------------------------------------------------------------------------------

QStringList ExportDialog::schemeNames() {
    return {QStringLiteral("q4_k"), QStringLiteral("q4_0"), QStringLiteral("int4_g128"),
            QStringLiteral("q8_0"), QStringLiteral("int8_g128"), QStringLiteral("f16"),
            QStringLiteral("bf16"), QStringLiteral("f32")};
}

ExportDialog::ExportDialog(const QString& modelDir, const Choices& choices,
                           const quant::Precision& defaultPrecision, QWidget* parent)
    : QDialog(parent), modelDir_(modelDir), choices_(choices), format_(new QComboBox(this)),
      destination_(new PathField(PathField::SaveFile, QString(), this)),
      scheme_(new QComboBox(this)), summary_(new QLabel(this)) {
    setWindowTitle(tr("Export Quantized Model"));
    format_->addItem(tr("GGUF file (llama.cpp)"), int(exporting::ExportFormat::Gguf));
    format_->addItem(tr("safetensors directory (transformers)"),
                     int(exporting::ExportFormat::SafetensorsDirectory));
    format_->addItem(tr("llama.cpp tensor-type file (llama-quantize)"),
                     int(exporting::ExportFormat::TensorTypeFile));
    QStringList names = schemeNames();
    const QString current = QString::fromStdString(defaultPrecision.name());
    if (!names.contains(current))
        names.prepend(current);
    scheme_->addItems(names);
    scheme_->setCurrentText(current);
    summary_->setWordWrap(true);
    summary_->setText(tr("%n tensor(s) with an explicit precision from the policy editor; every "
                         "other tensor gets the default scheme.",
                         nullptr, int(choices.size())));
    connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::updateFormat);
    auto* form = new QFormLayout;
    form->addRow(tr("Model:"), modelLabel(modelDir, this));
    form->addRow(tr("Format:"), format_);
    form->addRow(tr("Destination:"), destination_);
    form->addRow(tr("Default scheme:"), scheme_);
    form->addRow(QString(), summary_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(okCancel(this, tr("Export")));
    updateFormat();
    resize(560, sizeHint().height());
}

void ExportDialog::updateFormat() {
    switch (exporting::ExportFormat(format_->currentData().toInt())) {
    case exporting::ExportFormat::Gguf:
        destination_->setMode(PathField::SaveFile, tr("GGUF files (*.gguf)"));
        break;
    case exporting::ExportFormat::SafetensorsDirectory:
        destination_->setMode(PathField::Directory, QString());
        break;
    case exporting::ExportFormat::TensorTypeFile:
        destination_->setMode(PathField::SaveFile, tr("Text files (*.txt)"));
        break;
    }
}

ExportRequest ExportDialog::request() const {
    ExportRequest r;
    r.modelDir = modelDir_;
    r.format = exporting::ExportFormat(format_->currentData().toInt());
    r.destination = destination_->path();
    r.choices = choices_;
    r.defaultPrecision = quant::Precision::parse(scheme_->currentText().toStdString());
    return r;
}

// ---------------------------------------------------------------------------------------------

EvaluationResultDialog::EvaluationResultDialog(QWidget* parent)
    : QDialog(parent), caption_(new QLabel(this)), table_(new QTableWidget(this)) {
    setWindowTitle(tr("Policy Evaluation"));
    caption_->setWordWrap(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->setVisible(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(caption_);
    layout->addWidget(table_, 1);
    layout->addWidget(buttons);
    resize(900, 260);
}

void EvaluationResultDialog::setResult(const eval::EvaluationResult& r, const QString& textFile) {
    const QStringList headers{tr("Variant"),  tr("Size (MB)"), tr("Bits/weight"), tr("PPL"),
                              tr("KL mean"),  tr("KL p99"),    tr("KL max"),      tr("Same top-1"),
                              tr("Mean Δp"),  tr("RMS Δp")};
    table_->clear();
    table_->setColumnCount(int(headers.size()));
    table_->setHorizontalHeaderLabels(headers);
    table_->setRowCount(int(r.rows.size()));
    auto num = [](double v, int prec) { return QString::number(v, 'f', prec); };
    for (int i = 0; i < int(r.rows.size()); ++i) {
        const auto& row = r.rows[std::size_t(i)];
        const QStringList cells{
            row.baseline ? tr("baseline (unquantized)") : tr("policy"),
            num(row.bytes / 1e6, 3),
            num(row.averageBits, 2),
            QStringLiteral("%1 ± %2").arg(num(row.ppl, 4), num(row.pplUncertainty, 4)),
            num(row.kldMean, 6),
            num(row.kldP99, 6),
            num(row.kldMax, 6),
            QStringLiteral("%1 %").arg(num(100 * row.sameTop1, 2)),
            QStringLiteral("%1 %").arg(num(100 * row.meanDeltaP, 3)),
            QStringLiteral("%1 %").arg(num(100 * row.rmsDeltaP, 3))};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(i, c, item);
        }
    }
    table_->resizeColumnsToContents();
    const qint64 chunks = r.rows.empty() ? 0 : r.rows.front().chunks;
    const qint64 tokens = r.rows.empty() ? 0 : r.rows.front().tokens;
    caption_->setText(tr("%1: %2 windows, %3 scored tokens. KL divergence, same top-1 and Δp "
                         "compare the policy with the unquantized model.")
                          .arg(textFile)
                          .arg(chunks)
                          .arg(tokens));
}

} // namespace taskquant::studio
