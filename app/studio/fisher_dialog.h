#pragma once
// FisherDialog: Analysis > Run Fisher, one of the engine dialogs. The dataset kinds include the
// embedded demo tasks (data::demoTaskKinds(); the data file is disabled for kinds that take
// none). A new dialog starts from the last accepted choices (QSettings "dialogs/fisher/...",
// all but the save path). GUI thread only.
#include <QDialog>

#include "app/studio/engine_jobs.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace taskquant::studio {

class PathField;

// The last accepted Fisher choices (defaults when none), and storing them.
FisherRequest rememberedFisherRequest(const QString& modelDir);
void rememberFisherRequest(const FisherRequest& r);

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
