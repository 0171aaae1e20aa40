#pragma once
// TransferView: the Task Transfer tab. The cross-task matrix of `taskquant transfer`
// (core/eval/transfer.h): every policy (each task's own, mixed, general text, llama.cpp's mix)
// evaluated on every task's held-out text at one budget, as a heat table (TransferMatrixModel:
// KLD with its 95 % interval, accuracy where the task has answers, white = the task's best,
// red = its worst, the policy's own task bold); a budget chooser when the matrix has several;
// below, the verdict per task in plain words ("its own policy beats the best other policy of
// equal size by X % (interval)" or "no task-specific gain here ..."); a note (where the matrix
// came from). Clicking a row (any of its cells) emits policyActivated with the row's policy
// label (the window loads it into the editor). A button asks for a new computation
// (computeRequested). GUI thread only.
#include <QWidget>
#include <vector>

#include "views/transfer_model.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace taskquant::views {

class TransferView : public QWidget {
    Q_OBJECT
  public:
    explicit TransferView(QWidget* parent = nullptr);

    // Shows a matrix; the budget shown is the lowest. title: one line above the table; notes:
    // provenance below the verdicts.
    void setResult(std::vector<TransferCellData> cells, std::vector<TransferVerdictData> verdicts,
                   const QString& title, const QString& notes = {});
    void setActionsEnabled(bool compute);
    // Shows the matrix at this budget (a value of transferBudgets(cells)); false when absent.
    bool showBudget(double budgetBits);
    double budget() const;

    TransferMatrixModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    QString titleText() const;
    // The verdicts of the budget shown, as displayed (plain text, one per line).
    QString verdictText() const;
    // The pixel centre (table viewport coordinates) of the cell at model row / column.
    QRect cellRect(int row, int column) const;

  signals:
    void computeRequested();
    void policyActivated(const QString& policyLabel);

  private:
    void showVerdicts();

    TransferMatrixModel* model_;
    QTableView* table_;
    QLabel *title_, *verdicts_, *notes_;
    QComboBox* budget_;
    QPushButton* compute_;
    std::vector<TransferVerdictData> allVerdicts_;
    std::vector<double> budgets_;
};

} // namespace taskquant::views
