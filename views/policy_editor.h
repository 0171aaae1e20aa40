#pragma once
// PolicyEditor: the sortable, filterable tensor table of a map with each tensor's precision
// (editable; Undo/Redo buttons on the PolicyModel's stack), a summary of the model size and
// average bits against the unquantized size, a budget (bits per weight over all parameters, as
// llama.cpp counts them, or MiB of GGUF tensor data) whose "Optimise" button asks the application
// to run the optimal allocator (optimiseRequested), and
// selection shared with the other views.
// Saving and loading policy files is the application's job (File menu). GUI thread only.
#include <QPointer>
#include <QWidget>
#include <memory>

#include "core/quant/precision.h"
#include "core/sensitivity/sensitivity_map.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QMenu;
class QHBoxLayout;
class QTableView;

namespace taskquant::views {

class PolicyModel;
class PrecisionDelegate;
class TensorFilterProxy;
class TensorSelection;
class TensorTableModel;

class PolicyEditor : public QWidget {
    Q_OBJECT
  public:
    explicit PolicyEditor(QWidget* parent = nullptr);

    void setMap(std::shared_ptr<const sensitivity::SensitivityMap> map);
    void setPolicyModel(PolicyModel* policy);
    void setSelectionModel(TensorSelection* selection);
    // The precision of tensors without an explicit choice (for the size summary).
    void setDefaultPrecision(const quant::Precision& p);

    // The live cost of the policy for the open model (studio), shown under the summary.
    void setLiveCostText(const QString& text);
    // A tool-row button that opens `menu` (e.g. the studio's "Apply llama.cpp Mix").
    void addToolMenu(const QString& text, QMenu* menu);
    QString liveCostText() const;
    PrecisionDelegate* precisionDelegate() const { return delegate_; }

    TensorFilterProxy* proxy() const { return proxy_; }
    QTableView* table() const { return table_; }
    QString summaryText() const;

  signals:
    // unitMiB: the budget is MiB of GGUF tensor data; else bits per weight over all parameters.
    void optimiseRequested(double budget, bool unitMiB);

  private:
    void updateSummary();
    void pushSelectionToShared();
    void pullSelectionFromShared();

    TensorTableModel* model_;
    TensorFilterProxy* proxy_;
    QTableView* table_;
    QLineEdit* filter_;
    QComboBox* kind_;
    QCheckBox* onlyExplicit_;
    QLabel* summary_;
    QLabel* liveCost_;
    QHBoxLayout* tools_ = nullptr;
    PrecisionDelegate* delegate_;
    QDoubleSpinBox* budget_;
    QComboBox* budgetUnit_;
    QPointer<PolicyModel> policy_;
    QPointer<TensorSelection> selection_;
    quant::Precision default_ = quant::Precision::parse("int4_g128");
    bool syncing_ = false;
};

} // namespace taskquant::views
