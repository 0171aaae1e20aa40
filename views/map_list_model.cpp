#include "views/map_list_model.h"

#include <QFileInfo>

namespace taskquant::views {

int MapListModel::addMap(MapPtr map) {
    if (!map)
        return -1;
    for (std::size_t i = 0; i < maps_.size(); ++i) {
        if (!map->source().empty() && maps_[i]->source() == map->source()) {
            maps_[i] = std::move(map);
            emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
            return int(i);
        }
    }
    const int row = int(maps_.size());
    beginInsertRows({}, row, row);
    maps_.push_back(std::move(map));
    endInsertRows();
    return row;
}

void MapListModel::removeMap(int row) {
    if (row < 0 || row >= rows())
        return;
    beginRemoveRows({}, row, row);
    maps_.erase(maps_.begin() + row);
    endRemoveRows();
}

MapPtr MapListModel::mapAt(int row) const {
    return row >= 0 && row < rows() ? maps_[std::size_t(row)] : nullptr;
}

QString MapListModel::labelOf(const sensitivity::SensitivityMap& map) {
    if (map.source().empty()) {
        // Made in this session and not saved yet: say what it is ("fisher on gsm8k, unsaved").
        const auto& p = map.provenance();
        const QString method = p.method.empty() ? tr("map") : QString::fromStdString(p.method);
        if (p.dataset.empty())
            return tr("%1, unsaved").arg(method);
        return tr("%1 on %2, unsaved")
            .arg(method, QFileInfo(QString::fromStdString(p.dataset)).fileName());
    }
    return QFileInfo(QString::fromStdString(map.source())).completeBaseName();
}

QStringList MapListModel::headers() const {
    return {tr("File"), tr("Method"), tr("Dataset"), tr("Tensors"), tr("Samples")};
}

QVariant MapListModel::cell(int row, int column, int role) const {
    const auto& m = *maps_[std::size_t(row)];
    if (role == NameRole)
        return QString::fromStdString(m.source());
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(m.source());
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const auto& p = m.provenance();
    const QString unknown = m.importedFromFlat() ? tr("(flat map)") : QString();
    switch (column) {
    case File:
        return labelOf(m);
    case Method:
        return p.method.empty() ? unknown : QString::fromStdString(p.method);
    case Dataset:
        return p.dataset.empty() ? unknown : QString::fromStdString(p.dataset);
    case Tensors:
        return int(m.size());
    case Samples:
        return role == SortRole ? QVariant(qlonglong(p.samples))
                                : QVariant(p.samples > 0 ? QString::number(p.samples) : QString());
    }
    return {};
}

} // namespace taskquant::views
