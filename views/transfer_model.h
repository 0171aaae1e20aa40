#pragma once
// TransferMatrixModel: the cross-task matrix of one budget as a flat table (TableModelBase):
// columns policy, built for, size (KB), then one column per evaluated task whose cell shows the
// KLD with its 95 % interval and, where the task has answers, the exact-answer accuracy with its
// interval (transfer_math.h cellText). Qt::BackgroundRole of a task cell is the heat colour (white
// for the task's best policy, red for its worst, transfer_math.h heat); the policy's own task
// (the diagonal) is bold. CellRole gives the index of the cell in the cells handed over (-1 in
// the first three columns and where the matrix has no cell); SortRole numbers for the numeric
// columns. GUI thread only.
#include <vector>

#include "views/table_model_base.h"
#include "views/transfer_math.h"

namespace taskquant::views {

class TransferMatrixModel : public TableModelBase {
    Q_OBJECT
  public:
    enum Column { Policy, BuiltFor, SizeKB, FirstTask };
    enum { CellRole = NameRole + 1, HeatRole };
    explicit TransferMatrixModel(QObject* parent = nullptr) : TableModelBase(parent) {}

    // All cells (every budget) and the budget shown; resets the model.
    void setCells(std::vector<TransferCellData> cells, double budgetBits);
    void setBudget(double budgetBits);
    const std::vector<TransferCellData>& cells() const { return cells_; }
    const TransferGrid& grid() const { return grid_; }
    // The policy label of a row ("" out of range).
    QString policyAt(int row) const;

  protected:
    int rows() const override { return grid_.rows(); }
    QStringList headers() const override;
    QVariant cell(int row, int column, int role) const override;
    QString headerToolTip(int section) const override;

  private:
    std::vector<TransferCellData> cells_;
    TransferGrid grid_;
};

} // namespace taskquant::views
