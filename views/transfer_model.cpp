#include "views/transfer_model.h"

#include <QBrush>
#include <QFont>
#include <cmath>

#include "views/color_map.h"

namespace taskquant::views {

void TransferMatrixModel::setCells(std::vector<TransferCellData> cells, double budgetBits) {
    beginResetModel();
    cells_ = std::move(cells);
    grid_ = buildTransferGrid(cells_, budgetBits);
    endResetModel();
}

void TransferMatrixModel::setBudget(double budgetBits) {
    beginResetModel();
    grid_ = buildTransferGrid(cells_, budgetBits);
    endResetModel();
}

QString TransferMatrixModel::policyAt(int row) const {
    return row >= 0 && row < grid_.rows() ? grid_.policies.at(row) : QString();
}

QStringList TransferMatrixModel::headers() const {
    QStringList h{tr("Policy"), tr("Built for"), tr("Size (KB)")};
    for (const QString& t : grid_.tasks)
        h << tr("on %1").arg(t);
    return h;
}

QString TransferMatrixModel::headerToolTip(int section) const {
    if (section >= FirstTask)
        return tr("Mean KL divergence per token against the unquantized model on the held-out "
                  "text of this task, with its bootstrap 95 % interval over windows (lower is "
                  "better); below it, where the task has answers, the exact-answer accuracy of "
                  "greedy generation with its Wilson 95 % interval. White: the task's best "
                  "policy; red: its worst. Click a row to load its policy.");
    if (section == BuiltFor)
        return tr("The task whose calibration text the policy was built from, \"mixed\" (all "
                  "tasks' text), \"general\" (general text) or a llama.cpp mix");
    return {};
}

QVariant TransferMatrixModel::cell(int row, int column, int role) const {
    const int task = column - FirstTask;
    const int k = task >= 0 ? grid_.cellAt(row, task) : -1;
    if (role == CellRole)
        return k;
    if (role == NameRole)
        return grid_.policies.at(row);
    if (column == Policy) {
        if (role == Qt::DisplayRole || role == SortRole)
            return grid_.policies.at(row);
        return {};
    }
    if (column == BuiltFor) {
        if (role == Qt::DisplayRole || role == SortRole)
            return grid_.builtFor.at(row);
        return {};
    }
    if (column == SizeKB) {
        const double kb = double(grid_.bytes[std::size_t(row)]) / 1024.0;
        if (role == Qt::DisplayRole)
            return QString::number(kb, 'f', 1);
        if (role == SortRole)
            return kb;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (k < 0) {
        if (role == Qt::DisplayRole)
            return tr("—");
        return {};
    }
    const TransferCellData& c = cells_[std::size_t(k)];
    const double heat = grid_.heat(row, task);
    switch (role) {
    case Qt::DisplayRole:
        return cellText(c);
    case SortRole:
        return c.kld;
    case HeatRole:
        return heat;
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    case Qt::BackgroundRole:
        if (!std::isfinite(heat))
            return {};
        return QBrush(sampleColorMap(ColorMapKind::Diverging, 0.5 + 0.5 * heat));
    case Qt::ForegroundRole:
        if (!std::isfinite(heat))
            return {};
        return QBrush(
            contrastingTextColor(sampleColorMap(ColorMapKind::Diverging, 0.5 + 0.5 * heat)));
    case Qt::FontRole:
        if (isOwnCell(c)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = tr("%1 on %2 at %3 bpw\nKLD %4 (95 % interval %5 to %6), p99 %7\nsame "
                         "top-1 token %8 %")
                          .arg(c.policy, c.evalTask)
                          .arg(c.budgetBits, 0, 'g', 4)
                          .arg(c.kld, 0, 'g', 4)
                          .arg(c.kldLow, 0, 'g', 4)
                          .arg(c.kldHigh, 0, 'g', 4)
                          .arg(c.kldP99, 0, 'g', 4)
                          .arg(100.0 * c.top1, 0, 'f', 1);
        if (std::isfinite(c.accuracy))
            tip += tr("\nexact answers %1 % (95 % interval %2 to %3 %)")
                       .arg(100.0 * c.accuracy, 0, 'f', 1)
                       .arg(100.0 * c.accuracyLow, 0, 'f', 1)
                       .arg(100.0 * c.accuracyHigh, 0, 'f', 1);
        if (isOwnCell(c))
            tip += tr("\n(the policy built for this task)");
        return tip;
    }
    default:
        return {};
    }
}

} // namespace taskquant::views
