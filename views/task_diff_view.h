#pragma once
// TaskDiffView: two maps of one model (e.g. GSM8K vs MATH Fisher). Top: the log2(B / A)
// heatmap on a diverging scale, each map normalised to its maximum first. Bottom left: both maps'
// scores sorted descending and normalised to their maximum, on a log axis (the study's figure).
// Bottom right: the tensors with the largest rank shifts; clicking rows selects those tensors in
// the shared selection. GUI thread only.
#include <QWidget>
#include <memory>

#include "core/sensitivity/sensitivity_map.h"
#include "views/map_comparison.h"

class QCustomPlot;
class QTableView;

namespace taskquant::views {

class HeatmapView;
class RankShiftModel;
class TensorSelection;

class TaskDiffView : public QWidget {
    Q_OBJECT
  public:
    explicit TaskDiffView(QWidget* parent = nullptr);

    void setMaps(std::shared_ptr<const sensitivity::SensitivityMap> a,
                 std::shared_ptr<const sensitivity::SensitivityMap> b);
    void setSelectionModel(TensorSelection* selection);

    HeatmapView* heatmap() const { return heatmap_; }
    const MapComparison& comparison() const { return comparison_; }

  private:
    void rebuildCurves(const QString& labelA, const QString& labelB);

    HeatmapView* heatmap_;
    QCustomPlot* curves_;
    QTableView* table_;
    RankShiftModel* shifts_;
    TensorSelection* selection_ = nullptr;
    std::shared_ptr<const sensitivity::SensitivityMap> a_, b_;
    MapComparison comparison_;
};

} // namespace taskquant::views
