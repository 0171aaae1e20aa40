#include "views/transfer_math.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace taskquant::views {

namespace {

bool sameBudget(double a, double b) {
    return std::fabs(a - b) <= 1e-9;
}

QString kldNumber(double v) {
    return QString::number(v, 'g', 3);
}

QString percent(double v) {
    return QString::number(100.0 * v, 'f', 0);
}

} // namespace

std::vector<double> transferBudgets(const std::vector<TransferCellData>& cells) {
    std::vector<double> out;
    for (const auto& c : cells)
        if (std::none_of(out.begin(), out.end(),
                         [&](double b) { return sameBudget(b, c.budgetBits); }))
            out.push_back(c.budgetBits);
    std::sort(out.begin(), out.end());
    return out;
}

int TransferGrid::cellAt(int row, int column) const {
    if (row < 0 || column < 0 || row >= rows() || column >= columns())
        return -1;
    return cells[std::size_t(row) * std::size_t(columns()) + std::size_t(column)];
}

double TransferGrid::heat(int row, int column) const {
    if (row < 0 || column < 0 || row >= rows() || column >= columns())
        return std::numeric_limits<double>::quiet_NaN();
    return heats[std::size_t(row) * std::size_t(columns()) + std::size_t(column)];
}

TransferGrid buildTransferGrid(const std::vector<TransferCellData>& cells, double budgetBits) {
    TransferGrid g;
    g.budgetBits = budgetBits;
    QStringList order, orderFor;
    std::vector<quint64> orderBytes;
    for (const auto& c : cells) {
        if (!sameBudget(c.budgetBits, budgetBits))
            continue;
        if (!g.tasks.contains(c.evalTask))
            g.tasks << c.evalTask;
        if (!order.contains(c.policy)) {
            order << c.policy;
            orderFor << c.builtFor;
            orderBytes.push_back(c.bytes);
        }
    }
    // The policies built for an evaluated task first, in the columns' order; then the others.
    std::vector<int> rowOf;
    for (const QString& t : g.tasks)
        for (int i = 0; i < order.size(); ++i)
            if (orderFor[i] == t)
                rowOf.push_back(i);
    for (int i = 0; i < order.size(); ++i)
        if (!g.tasks.contains(orderFor[i]))
            rowOf.push_back(i);
    for (int i : rowOf) {
        g.policies << order[i];
        g.builtFor << orderFor[i];
        g.bytes.push_back(orderBytes[std::size_t(i)]);
    }
    const std::size_t R = std::size_t(g.rows()), C = std::size_t(g.columns());
    g.cells.assign(R * C, -1);
    g.heats.assign(R * C, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t k = 0; k < cells.size(); ++k) {
        const auto& c = cells[k];
        if (!sameBudget(c.budgetBits, budgetBits))
            continue;
        const auto r = std::size_t(g.policies.indexOf(c.policy));
        const auto col = std::size_t(g.tasks.indexOf(c.evalTask));
        g.cells[r * C + col] = int(k);
    }
    for (std::size_t col = 0; col < C; ++col) {
        double best = std::numeric_limits<double>::infinity(), worst = 0;
        for (std::size_t r = 0; r < R; ++r) {
            const int k = g.cells[r * C + col];
            if (k < 0)
                continue;
            const double v = cells[std::size_t(k)].kld;
            if (!(v > 0) || !std::isfinite(v))
                continue;
            best = std::min(best, v);
            worst = std::max(worst, v);
        }
        for (std::size_t r = 0; r < R; ++r) {
            const int k = g.cells[r * C + col];
            if (k < 0)
                continue;
            const double v = cells[std::size_t(k)].kld;
            if (!(v > 0) || !std::isfinite(v))
                continue;
            g.heats[r * C + col] = worst > best ? std::log(v / best) / std::log(worst / best) : 0.0;
        }
    }
    return g;
}

bool isOwnCell(const TransferCellData& c) {
    return !c.builtFor.isEmpty() && c.builtFor == c.evalTask;
}

QString cellText(const TransferCellData& c) {
    QString s = QStringLiteral("%1 [%2, %3]")
                    .arg(kldNumber(c.kld), kldNumber(c.kldLow), kldNumber(c.kldHigh));
    if (std::isfinite(c.accuracy))
        s += QStringLiteral("\n%1 % [%2, %3]")
                 .arg(percent(c.accuracy), percent(c.accuracyLow), percent(c.accuracyHigh));
    return s;
}

} // namespace taskquant::views
