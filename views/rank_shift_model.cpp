#include "views/rank_shift_model.h"

#include <algorithm>
#include <cmath>

#include "views/score_format.h"

namespace taskquant::views {

void RankShiftModel::setComparison(const MapComparison& c, const QString& labelA,
                                   const QString& labelB) {
    beginResetModel();
    rows_ = c.rows;
    std::stable_sort(rows_.begin(), rows_.end(), [](const auto& x, const auto& y) {
        return std::abs(x.rankA - x.rankB) > std::abs(y.rankA - y.rankB);
    });
    labelA_ = labelA;
    labelB_ = labelB;
    endResetModel();
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

QString RankShiftModel::nameAt(int row) const {
    return row >= 0 && row < rows() ? rows_[std::size_t(row)].name : QString();
}

QStringList RankShiftModel::headers() const {
    return {tr("Parameter"), tr("Rank in %1").arg(labelA_), tr("Rank in %1").arg(labelB_),
            tr("Shift"), tr("log2(%1 / %2)").arg(labelB_, labelA_)};
}

QVariant RankShiftModel::cell(int row, int column, int role) const {
    const auto& r = rows_[std::size_t(row)];
    if (role == NameRole)
        return r.name;
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (column) {
    case Name:
        return r.name;
    case RankA:
        return r.rankA;
    case RankB:
        return r.rankB;
    case Shift:
        return r.rankA - r.rankB;
    case Log2Ratio:
        if (role == SortRole)
            return std::isfinite(r.log2Ratio) ? r.log2Ratio : 0.0;
        return std::isfinite(r.log2Ratio) ? QString::number(r.log2Ratio, 'f', 2) : QString();
    }
    return {};
}

} // namespace taskquant::views
