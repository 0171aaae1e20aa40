#pragma once
// FisherDialog: Analysis > Run Fisher, one of the engine dialogs. GUI thread only.
#include <QDialog>

#include "app/studio/engine_jobs.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace taskquant::studio {

class PathField;

class FisherDialog : public QDialog {
    Q_OBJECT
  public:
    FisherDialog(const QString& modelDir, QWidget* parent = nullptr);
    FisherRequest request() const;
    void setRequest(const FisherRequest& r);

    QComboBox* datasetBox() const { return dataset_; }
    PathField* dataField() const { return data_; }
    QSpinBox* samplesBox() const { return samples_; }

  private:
    void updateFieldEnabled();
    QString modelDir_;
    QComboBox* dataset_;
    PathField* data_;
    QLineEdit* field_;
    QSpinBox *samples_, *maxLength_, *seed_;
    QCheckBox *clip_, *exactLoop_;
    QDoubleSpinBox* clipPercentile_;
    QComboBox* device_;
    PathField* save_;
};

} // namespace taskquant::studio
