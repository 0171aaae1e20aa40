#pragma once
// MapListModel: the sensitivity maps open in a project (file, method, dataset, tensors,
// samples), each an immutable shared snapshot. Adding a map read from the same file again
// replaces the old row. GUI thread only.
#include <memory>
#include <vector>

#include "core/sensitivity/sensitivity_map.h"
#include "views/table_model_base.h"

namespace taskquant::views {

using MapPtr = std::shared_ptr<const sensitivity::SensitivityMap>;

class MapListModel : public TableModelBase {
    Q_OBJECT
  public:
    enum Column { File, Method, Dataset, Tensors, Samples, ColumnCount };
    explicit MapListModel(QObject* parent = nullptr) : TableModelBase(parent) {}

    // Returns the row of the map.
    int addMap(MapPtr map);
    void removeMap(int row);
    MapPtr mapAt(int row) const;
    const std::vector<MapPtr>& maps() const { return maps_; }
    // A short label: the file's base name, or for a map made in this session and not saved
    // "<method> on <dataset>, unsaved".
    static QString labelOf(const sensitivity::SensitivityMap& map);

  protected:
    int rows() const override { return int(maps_.size()); }
    QStringList headers() const override;
    QVariant cell(int row, int column, int role) const override;

  private:
    std::vector<MapPtr> maps_;
};

} // namespace taskquant::views
