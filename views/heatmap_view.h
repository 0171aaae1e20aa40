#pragma once
// HeatmapView: a titled HeatmapCanvas with its ColorBar and a small tool row (normalise to
// maximum, zoom in/out, fit). Either a sensitivity map (log scale, precision editing) or a
// ready HeatmapData (e.g. the diverging log2-ratio map of the task diff view). GUI thread only.
#include <QWidget>
#include <memory>

#include "core/sensitivity/sensitivity_map.h"
#include "views/heatmap_data.h"

class QCheckBox;
class QLabel;

namespace taskquant::views {

class ColorBar;
class HeatmapCanvas;
class PolicyModel;
class TensorSelection;

class HeatmapView : public QWidget {
    Q_OBJECT
  public:
    explicit HeatmapView(QWidget* parent = nullptr);

    void setMap(std::shared_ptr<const sensitivity::SensitivityMap> map);
    void setHeatmapData(const HeatmapData& data); // hides the normalise switch for diverging data
    void setSelectionModel(TensorSelection* selection);
    void setPolicyModel(PolicyModel* policy);
    void setNormaliseToMax(bool on);
    bool normaliseToMax() const;

    HeatmapCanvas* canvas() const { return canvas_; }
    const std::shared_ptr<const sensitivity::SensitivityMap>& map() const { return map_; }

  private:
    void showData(const HeatmapData& data);

    std::shared_ptr<const sensitivity::SensitivityMap> map_;
    HeatmapCanvas* canvas_;
    ColorBar* bar_;
    QLabel* title_;
    QCheckBox* normalise_;
};

} // namespace taskquant::views
