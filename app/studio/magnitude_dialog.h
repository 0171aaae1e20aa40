#pragma once
// MagnitudeDialog: Analysis > Run Magnitude, one of the engine dialogs. GUI thread only.
#include <QDialog>

#include "app/studio/engine_jobs.h"

class QCheckBox;
class QComboBox;

namespace taskquant::studio {

class PathField;

class MagnitudeDialog : public QDialog {
    Q_OBJECT
  public:
    MagnitudeDialog(const QString& modelDir, QWidget* parent = nullptr);
    MagnitudeRequest request() const;

  private:
    QString modelDir_;
    QComboBox* norm_;
    QCheckBox* perParameter_;
    PathField* save_;
};

} // namespace taskquant::studio
