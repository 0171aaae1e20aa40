#include "views/tensor_filter_proxy.h"

#include "views/tensor_table_model.h"

namespace taskquant::views {

TensorFilterProxy::TensorFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(TableModelBase::SortRole);
    setDynamicSortFilter(true);
}

void TensorFilterProxy::setNameFilter(const QString& text) {
    if (text == name_)
        return;
    name_ = text;
    invalidateFilter();
}

void TensorFilterProxy::setKindFilter(const QString& kindLabel) {
    if (kindLabel == kind_)
        return;
    kind_ = kindLabel;
    invalidateFilter();
}

void TensorFilterProxy::setOnlyExplicit(bool on) {
    if (on == onlyExplicit_)
        return;
    onlyExplicit_ = on;
    invalidateFilter();
}

bool TensorFilterProxy::filterAcceptsRow(int row, const QModelIndex& parent) const {
    const QAbstractItemModel* m = sourceModel();
    if (!m)
        return false;
    if (!name_.isEmpty() && !m->index(row, TensorTableModel::Name, parent)
                                 .data()
                                 .toString()
                                 .contains(name_, Qt::CaseInsensitive))
        return false;
    if (!kind_.isEmpty() &&
        m->index(row, TensorTableModel::Kind, parent).data().toString() != kind_)
        return false;
    if (onlyExplicit_ &&
        m->index(row, TensorTableModel::Precision, parent).data(Qt::EditRole).toString().isEmpty())
        return false;
    return true;
}

} // namespace taskquant::views
