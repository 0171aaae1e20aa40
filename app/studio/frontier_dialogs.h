#pragma once
// The dialogs of Analysis > Compute Frontier and Analysis > Validate Damage Model. Like the
// other engine dialogs they only collect values: request() builds the job request (tests fill
// the fields with setRequest() and call it without showing the dialog). Both share a task-text
// section (TaskFields: dataset kind, file, JSON field, context, windows, device) and remember
// their last values in QSettings ("frontier/..." and "validate/...") when accepted.
// GUI thread only.
#include <QDialog>
#include <QWidget>

#include "app/studio/frontier_jobs.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace taskquant::studio {

class PathField;

class TaskFields : public QWidget {
    Q_OBJECT
  public:
    explicit TaskFields(const QString& modelDir, QWidget* parent = nullptr);
    TaskChoice task() const;
    void setTask(const TaskChoice& t);
    void save(const QString& group) const;
    void restore(const QString& group);
    // Why the task cannot run as given (no file for a kind that reads one, a missing file, no
    // JSON field), or empty; check() also shows it under the fields. The dialogs call check()
    // before they accept, so a dialog never closes on a task that then fails.
    QString problem() const;
    bool check();
    QString problemText() const;

  private:
    QString modelDir_;
    QLabel* problem_;
    QComboBox* kind_;
    PathField* file_;
    QLineEdit* field_;
    QSpinBox *ctx_, *chunks_;
    QComboBox* device_;
};

// One line per project map ("label (method)") with a check box; checked maps drive an optimal
// family each.
class FrontierDialog : public QDialog {
    Q_OBJECT
  public:
    FrontierDialog(const QString& modelDir, const std::vector<MapPtr>& maps,
                   const std::vector<bool>& checked, QWidget* parent = nullptr);
    // maps / predictionMap are not dialog fields: the caller fills them from its project.
    FrontierRequest request() const;
    void setRequest(const FrontierRequest& r);
    void accept() override;

  private:
    TaskFields* task_;
    QLineEdit *bits_, *precisions_;
    QCheckBox *errorOnly_, *activations_;
    std::vector<MapPtr> maps_;
    std::vector<QCheckBox*> mapBoxes_;
};

class ValidateDialog : public QDialog {
    Q_OBJECT
  public:
    ValidateDialog(const QString& modelDir, const QString& mapLabel, QWidget* parent = nullptr);
    ValidationRequest request() const; // map: the caller's
    void setRequest(const ValidationRequest& r);
    void accept() override;

  private:
    TaskFields* task_;
    QComboBox* precision_;
    QSpinBox* top_;
    QCheckBox* activations_;
};

} // namespace taskquant::studio
