#include "app/studio/evaluate_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include "app/studio/dialog_parts.h"
#include "app/studio/path_field.h"
#include "core/models/model_config.h"

namespace taskquant::studio {

EvaluateDialog::EvaluateDialog(const QString& modelDir, const Choices& choices,
                               const quant::Precision& defaultPrecision, QWidget* parent)
    : QDialog(parent), modelDir_(modelDir), choices_(choices), defaultPrecision_(defaultPrecision),
      text_(
          new PathField(PathField::OpenFile, tr("Text files (*.txt *.raw);;All files (*)"), this)),
      ctx_(new QSpinBox(this)), chunks_(new QSpinBox(this)), device_(deviceBox(this)) {
    setWindowTitle(tr("Evaluate Policy"));
    // llama-perplexity's usual 512, or the model's whole context when it is shorter.
    int maxCtx = 1 << 20;
    try {
        const auto config = models::ModelConfig::fromFile(
            (QDir(modelDir).filePath(QStringLiteral("config.json"))).toStdString());
        if (config.maxPositions >= 4)
            maxCtx = int(std::min<int64_t>(maxCtx, config.maxPositions));
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

} // namespace taskquant::studio
