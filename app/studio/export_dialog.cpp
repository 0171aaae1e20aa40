#include "app/studio/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QVBoxLayout>
#include <filesystem>
#include <map>

#include "app/studio/dialog_parts.h"
#include "app/studio/path_field.h"
#include "core/export/gguf_story_size.h"
#include "core/io/imatrix_file.h"
#include "core/policy/recipes.h"
#include "core/util/error.h"
#include "views/gguf_type_menu.h"

namespace taskquant::studio {

QStringList ExportDialog::schemeNames(exporting::ExportFormat format) {
    QStringList names;
    for (const auto& p : views::ggufMenuTypes())
        names << QString::fromStdString(p.name());
    if (format != exporting::ExportFormat::Gguf)
        names << QStringLiteral("int8_g128") << QStringLiteral("int4_g128")
              << QStringLiteral("nf4");
    return names;
}

ExportDialog::ExportDialog(const QString& modelDir, const Choices& choices,
                           const quant::Precision& defaultPrecision, QWidget* parent)
    : QDialog(parent), modelDir_(modelDir), choices_(choices),
      initialScheme_(QString::fromStdString(defaultPrecision.name())), format_(new QComboBox(this)),
      destination_(new PathField(PathField::SaveFile, QString(), this)),
      scheme_(new QComboBox(this)), mix_(new QComboBox(this)),
      imatrix_(new PathField(PathField::OpenFile,
                             tr("Importance matrices (*.gguf *.dat);;All files (*)"), this)),
      computeImatrix_(new QCheckBox(tr("Compute it from the task data"), this)),
      modelCard_(new QCheckBox(tr("Write a model card (README.md) beside the file"), this)),
      summary_(new QLabel(this)), size_(new QLabel(this)) {
    computeImatrix_->setObjectName(QStringLiteral("computeImatrix"));
    modelCard_->setObjectName(QStringLiteral("modelCard"));
    modelCard_->setChecked(true);
    computeImatrix_->setEnabled(false);
    computeImatrix_->setToolTip(tr("Run the imatrix engine (llama-imatrix's definition) on the "
                                   "calibration data of the last Fisher run, then export with it"));
    connect(computeImatrix_, &QCheckBox::toggled, imatrix_, [this](bool on) {
        imatrix_->setEnabled(!on);
        updateSize();
    });
    setWindowTitle(tr("Export Quantized Model"));
    format_->addItem(tr("GGUF file (llama.cpp)"), int(exporting::ExportFormat::Gguf));
    format_->addItem(tr("safetensors directory (transformers)"),
                     int(exporting::ExportFormat::SafetensorsDirectory));
    format_->addItem(tr("llama.cpp tensor-type file (llama-quantize)"),
                     int(exporting::ExportFormat::TensorTypeFile));
    mix_->addItem(tr("(policy editor's choices)"), QString());
    for (const auto& n : policy::recipeNames())
        mix_->addItem(QString::fromStdString(n), QString::fromStdString(n));
    mix_->setObjectName(QStringLiteral("mix"));
    scheme_->setObjectName(QStringLiteral("scheme"));
    size_->setObjectName(QStringLiteral("size"));
    imatrix_->setToolTip(tr("Optional: quantize the block types importance-weighted, as "
                            "llama-quantize --imatrix does"));
    summary_->setWordWrap(true);
    size_->setWordWrap(true);
    int nonGguf = 0;
    for (const auto& p : choices)
        nonGguf += p.isGgufBlock() || !p.isQuantized() ? 0 : 1;
    QString text = tr("%n tensor(s) with an explicit precision from the policy editor; every "
                      "other tensor gets the default scheme.",
                      nullptr, int(choices.size()));
    if (nonGguf > 0)
        text += QLatin1Char(' ') + tr("%n of them use a TaskQuant format GGUF has no type for "
                                      "(substituted by Q8_0 / Q4_K in a GGUF file).",
                                      nullptr, nonGguf);
    summary_->setText(text);
    auto* form = new QFormLayout;
    form->addRow(tr("Model:"), modelLabel(modelDir, this));
    form->addRow(tr("Format:"), format_);
    form->addRow(tr("Destination:"), destination_);
    form->addRow(tr("Default scheme:"), scheme_);
    form->addRow(tr("llama.cpp mix:"), mix_);
    form->addRow(tr("Importance matrix:"), imatrix_);
    form->addRow(QString(), computeImatrix_);
    form->addRow(QString(), modelCard_);
    form->addRow(QString(), summary_);
    form->addRow(tr("Size:"), size_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(okCancel(this, tr("Export")));

    QSettings s;
    const int f = format_->findData(s.value(QStringLiteral("export/format"), 0).toInt());
    format_->setCurrentIndex(f < 0 ? 0 : f);
    const int m = mix_->findData(s.value(QStringLiteral("export/mix")).toString());
    mix_->setCurrentIndex(m < 0 ? 0 : m);
    updateFormat();
    connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::updateFormat);
    connect(scheme_, &QComboBox::currentIndexChanged, this, &ExportDialog::updateSize);
    connect(mix_, &QComboBox::currentIndexChanged, this, [this] {
        scheme_->setEnabled(mix_->currentData().toString().isEmpty());
        updateSize();
    });
    connect(this, &QDialog::accepted, this, [this] {
        QSettings s;
        s.setValue(QStringLiteral("export/format"), format_->currentData());
        s.setValue(QStringLiteral("export/mix"), mix_->currentData());
    });
    scheme_->setEnabled(mix_->currentData().toString().isEmpty());
    resize(600, sizeHint().height());
}

void ExportDialog::updateFormat() {
    const auto format = exporting::ExportFormat(format_->currentData().toInt());
    switch (format) {
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
    const QString keep = scheme_->count() ? scheme_->currentData().toString() : initialScheme_;
    modelCard_->setEnabled(format == exporting::ExportFormat::Gguf);
    scheme_->blockSignals(true);
    scheme_->clear();
    for (const QString& n : schemeNames(format)) {
        const auto p = quant::Precision::parse(n.toStdString());
        scheme_->addItem(p.isGgufBlock() || !p.isQuantized()
                             ? QStringLiteral("%1  (%2 bpw)")
                                   .arg(views::ggufTypeLabel(p))
                                   .arg(views::ggufTypeBits(p), 0, 'f', p.isGgufBlock() ? 2 : 0)
                             : tr("%1 (not GGUF)").arg(n),
                         n);
    }
    int i = scheme_->findData(keep);
    if (i < 0) // e.g. int4_g128 in a GGUF file: the GGUF type it would be substituted by
        i = scheme_->findData(quant::Precision::parse(keep.toStdString()).bits >= 8
                                  ? QStringLiteral("q8_0")
                                  : QStringLiteral("q4_k"));
    scheme_->setCurrentIndex(i < 0 ? 0 : i);
    scheme_->blockSignals(false);
    updateSize();
}

void ExportDialog::setSizeModel(const exporting::LiveCostModel& model) {
    sizeModel_ = model;
    updateSize();
}

QString ExportDialog::sizeText() const {
    return size_->text();
}

void ExportDialog::setTaskData(const FisherRequest& data) {
    taskData_ = data;
    taskData_->modelDir = modelDir_;
    computeImatrix_->setEnabled(true);
    computeImatrix_->setText(
        tr("Compute it from the task data (%1, %n sample(s))", nullptr, data.samples)
            .arg(data.dataFile.isEmpty() ? data.datasetKind : QFileInfo(data.dataFile).fileName()));
}

uint64_t ExportDialog::storyBytes(const policy::Policy& p, const QString& imatrixPath) const {
    // The header of the model's GGUF without a story, read once per model directory.
    static std::map<std::string, std::shared_ptr<const exporting::GgufHeaderBase>> bases;
    const std::string dir = modelDir_.toStdString();
    auto& base = bases[dir];
    if (!base)
        base = exporting::ggufHeaderBase(dir);
    const std::filesystem::path path(dir); // the base model name exportModel records
    const std::string name =
        path.filename().empty() ? path.parent_path().filename().string() : path.filename().string();
    exporting::GgufStory story = exporting::storyFor(p, name);
    if (!imatrixPath.isEmpty())
        exporting::addImatrixToStory(story, io::readImatrix(imatrixPath.toStdString()),
                                     imatrixPath.toStdString());
    return exporting::ggufStoryBytes(*base, story);
}

void ExportDialog::updateSize() {
    if (!sizeModel_) {
        size_->setText(tr("known once the model's layout is read"));
        return;
    }
    const ExportRequest r = request();
    try {
        policy::Policy p = makePolicy(r.choices, r.defaultPrecision, nullptr);
        if (!r.mix.isEmpty()) {
            const auto model = policy::recipeModelFromDirectory(modelDir_.toStdString());
            policy::RecipeOptions o;
            o.imatrix = !r.imatrixPath.isEmpty() || r.imatrixFrom.has_value();
            p = policy::applyRecipe(r.mix.toStdString(), model, o).policy;
        }
        const exporting::LiveCost cost(*sizeModel_, p);
        const auto& t = cost.totals();
        // The file also carries its story (gguf_story.h), as runExportJob writes it; with an
        // imatrix computed at export time its keys are not known yet and are not counted.
        const uint64_t fileBytes = r.format == exporting::ExportFormat::Gguf && t.fileBytes
                                       ? t.fileBytes + storyBytes(p, r.imatrixPath)
                                       : t.fileBytes;
        const double mib = double(fileBytes) / (1024.0 * 1024.0);
        if (r.format == exporting::ExportFormat::Gguf)
            size_->setText(tr("GGUF file %1 MiB (%2 bytes), %3 bits per weight")
                               .arg(mib, 0, 'f', 2)
                               .arg(fileBytes)
                               .arg(t.fileBits, 0, 'f', 3)); // llama.cpp's: tensor bytes only
        else if (t.error.empty())
            size_->setText(tr("%1 MiB of weights, %2 bits per counted weight")
                               .arg(double(t.policyBytes) / (1024.0 * 1024.0), 0, 'f', 2)
                               .arg(t.policyBits, 0, 'f', 3));
        else
            size_->setText(QString::fromStdString(t.error));
    } catch (const taskquant::Error& e) {
        size_->setText(QString::fromUtf8(e.what()));
    }
}

ExportRequest ExportDialog::request() const {
    ExportRequest r;
    r.modelDir = modelDir_;
    r.format = exporting::ExportFormat(format_->currentData().toInt());
    r.destination = destination_->path();
    r.choices = choices_;
    const QString scheme = scheme_->currentData().toString();
    r.defaultPrecision =
        quant::Precision::parse((scheme.isEmpty() ? initialScheme_ : scheme).toStdString());
    r.mix = mix_->currentData().toString();
    if (computeImatrix_->isChecked() && taskData_)
        r.imatrixFrom = taskData_;
    else
        r.imatrixPath = imatrix_->path();
    r.modelCard = r.format == exporting::ExportFormat::Gguf && modelCard_->isChecked();
    return r;
}

} // namespace taskquant::studio
