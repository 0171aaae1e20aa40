#pragma once
// TensorTableModel: one row per tensor of a sensitivity map (parameter, layer, kind, parameter
// count, score, rank, percentile, precision). With a PolicyModel the precision column shows
// the explicit choice and is editable (EditRole: a precision name, or "" to clear; each edit
// is one undoable step). Rows follow the map's entry order; sort and filter with
// TensorFilterProxy. The map is an immutable snapshot shared with other views. GUI thread only.
#include <QHash>
#include <QPointer>
#include <memory>
#include <vector>

#include "core/models/taxonomy.h"
#include "core/sensitivity/sensitivity_map.h"
#include "views/table_model_base.h"

namespace taskquant::views {

class PolicyModel;

class TensorTableModel : public TableModelBase {
    Q_OBJECT
  public:
    enum Column { Name, Layer, Kind, Numel, Score, Rank, Percentile, Precision, ColumnCount };

    explicit TensorTableModel(QObject* parent = nullptr);

    void setMap(std::shared_ptr<const sensitivity::SensitivityMap> map);
    const std::shared_ptr<const sensitivity::SensitivityMap>& map() const { return map_; }
    void setPolicyModel(PolicyModel* policy);

    // Row of a tensor name, -1 if absent.
    int rowOf(const QString& name) const { return rowOf_.value(name, -1); }
    QString nameAt(int row) const;

    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

  protected:
    int rows() const override;
    QStringList headers() const override;
    QVariant cell(int row, int column, int role) const override;
    QString headerToolTip(int section) const override;

  private:
    void onChoicesChanged(const QStringList& names);

    std::shared_ptr<const sensitivity::SensitivityMap> map_;
    QPointer<PolicyModel> policy_;
    models::Scheme scheme_ = models::Scheme::Unknown;
    std::vector<models::TensorClass> classes_;
    std::vector<int> ranks_;
    QStringList names_;
    QHash<QString, int> rowOf_;
};

} // namespace taskquant::views
