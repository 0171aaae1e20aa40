#pragma once
// EvaluateDialog: Analysis > Evaluate Policy, one of the engine dialogs. GUI thread only.
#include <QDialog>

#include "app/studio/engine_jobs.h"

class QComboBox;
class QSpinBox;

namespace taskquant::studio {

class PathField;

class EvaluateDialog : public QDialog {
    Q_OBJECT
  public:
    EvaluateDialog(const QString& modelDir, const Choices& choices,
                   const quant::Precision& defaultPrecision, QWidget* parent = nullptr);
    EvaluationRequest request() const;

  private:
    QString modelDir_;
    Choices choices_;
    quant::Precision defaultPrecision_;
    PathField* text_;
    QSpinBox *ctx_, *chunks_;
    QComboBox* device_;
};

} // namespace taskquant::studio
