#pragma once
// TableModelBase: the small shared base of the flat item models (tensor table, map list, rank
// shifts). Subclasses give a row count, header labels and cell(row, column, role); the base
// answers the QAbstractItemModel contract (no children, invalid indexes give no data) and
// provides the roles the proxies and views use. GUI thread only.
#include <QAbstractTableModel>
#include <QStringList>

namespace taskquant::views {

class TableModelBase : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Roles {
        SortRole = Qt::UserRole + 1, // a number or string that sorts the column correctly
        NameRole,                    // the tensor (or map) name of the row, QString
    };

    int rowCount(const QModelIndex& parent = {}) const final;
    int columnCount(const QModelIndex& parent = {}) const final;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const final;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  protected:
    explicit TableModelBase(QObject* parent = nullptr) : QAbstractTableModel(parent) {}
    virtual int rows() const = 0;
    virtual QStringList headers() const = 0;
    virtual QVariant cell(int row, int column, int role) const = 0;
    // Tooltip of a header section; empty by default.
    virtual QString headerToolTip(int section) const;
};

} // namespace taskquant::views
