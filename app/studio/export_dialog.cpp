#include "app/studio/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include "app/studio/dialog_parts.h"
#include "app/studio/path_field.h"

namespace taskquant::studio {

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

} // namespace taskquant::studio
