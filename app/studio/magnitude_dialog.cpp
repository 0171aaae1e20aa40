#include "app/studio/magnitude_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include "app/studio/dialog_parts.h"
#include "app/studio/path_field.h"

namespace taskquant::studio {

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

} // namespace taskquant::studio
