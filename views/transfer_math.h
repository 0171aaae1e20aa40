#pragma once
// The plain maths of the Task Transfer tab (views/transfer_view.h): the cross-task matrix of
// `taskquant transfer` (core/eval/transfer.h; JSON "taskquant-transfer") as rows and columns
// for one budget, and the heat of each cell.
//  * TransferCellData / TransferVerdictData: one "cells" / "verdicts" row of the file, as Qt
//    values (NaN = not measured, e.g. accuracy on a task without answers).
//  * transferBudgets(): the distinct budgets of the cells, ascending.
//  * buildTransferGrid(): for one budget, one row per policy (in the order the cells name them,
//    except that the policies built for an evaluated task come first, in the columns' order) and
//    one column per evaluated task (in order of first appearance). cellAt(row, column) is the
//    index into the cells, -1 where the matrix has no such cell. heat(row, column) in [0, 1]:
//    within its column, log(kld / best) / log(worst / best), 0 for the best policy of that task,
//    1 for the worst; 0 when the column's KLDs are all equal; NaN without a cell or with a
//    KLD <= 0 or not finite. The colour is then a function of the heat only, so it is comparable
//    within a task, not across tasks (whose KLD levels differ).
//  * isOwnCell(): the policy was built for the evaluated task (the diagonal of the matrix).
//  * cellText(): "0.0123 [0.0110, 0.0136]" and, where the task has answers, a second line
//    "45 % [35, 55]" (accuracy with its interval, percent).
// Pure functions; thread-safe.
#include <QString>
#include <QStringList>
#include <vector>

namespace taskquant::views {

struct TransferCellData {
    double budgetBits = 0;
    QString policy;   // the policy's label (the key of the file's "policies")
    QString builtFor; // a task name, "mixed", "general" or a llama.cpp mix's name
    QString evalTask;
    quint64 bytes = 0;                                             // GGUF tensor bytes
    double kld = 0, kldLow = 0, kldHigh = 0, kldP99 = 0, top1 = 0; // top1: fraction 0..1
    double accuracy = 0, accuracyLow = 0, accuracyHigh = 0;        // fractions; NaN = no answers
};

struct TransferVerdictData {
    QString task;
    double budgetBits = 0;
    QString text;                               // the verdict in plain words
    QString ownPolicy, bestOther;               // policy labels
    double gain = 0, gainLow = 0, gainHigh = 0; // fractions (0.15 = 15 %); NaN = none
};

std::vector<double> transferBudgets(const std::vector<TransferCellData>& cells);

struct TransferGrid {
    double budgetBits = 0;
    QStringList policies, builtFor; // per row
    std::vector<quint64> bytes;     // per row (the first cell's)
    QStringList tasks;              // per column
    std::vector<int> cells;         // row-major rows x columns, -1 = none
    std::vector<double> heats;      // row-major, NaN = none
    int rows() const { return int(policies.size()); }
    int columns() const { return int(tasks.size()); }
    int cellAt(int row, int column) const;
    double heat(int row, int column) const;
};

// Budgets compare equal within 1e-9 bits.
TransferGrid buildTransferGrid(const std::vector<TransferCellData>& cells, double budgetBits);

bool isOwnCell(const TransferCellData& cell);

QString cellText(const TransferCellData& cell);

} // namespace taskquant::views
