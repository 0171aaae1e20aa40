#pragma once
// TensorFilterProxy: sorts a TensorTableModel numerically (TableModelBase::SortRole) and
// filters rows by a case-insensitive substring of the parameter name, by module kind label,
// and optionally to rows with an explicit precision. GUI thread only.
#include <QSortFilterProxyModel>

namespace taskquant::views {

class TensorFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    explicit TensorFilterProxy(QObject* parent = nullptr);

    void setNameFilter(const QString& text);
    void setKindFilter(const QString& kindLabel); // "" = every kind
    void setOnlyExplicit(bool on);

  protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

  private:
    QString name_, kind_;
    bool onlyExplicit_ = false;
};

} // namespace taskquant::views
