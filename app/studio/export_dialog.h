#pragma once
// ExportDialog: File > Export Quantized Model, one of the engine dialogs. GUI thread only.
#include <QDialog>

#include "app/studio/engine_jobs.h"

class QComboBox;
class QLabel;

namespace taskquant::studio {

class PathField;

class ExportDialog : public QDialog {
    Q_OBJECT
  public:
    ExportDialog(const QString& modelDir, const Choices& choices,
                 const quant::Precision& defaultPrecision, QWidget* parent = nullptr);
    ExportRequest request() const;
    // Precisions offered as the default scheme (canonical names).
    static QStringList schemeNames();

  private:
    void updateFormat();
    QString modelDir_;
    Choices choices_;
    QComboBox* format_;
    PathField* destination_;
    QComboBox* scheme_;
    QLabel* summary_;
};

} // namespace taskquant::studio
