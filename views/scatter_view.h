#pragma once
// ScatterView: Fisher (y) against magnitude (x), log-log, one point per tensor both maps
// have, coloured by module kind, with Spearman and Kendall correlations in the title and the
// "silent" tensors labelled (core policy::silentTensors: high Fisher rank, low magnitude rank).
// Selection is shared both ways through TensorSelection: a click or a dragged rectangle
// selects points (Ctrl adds), and tensors selected elsewhere are ringed here.
// Points with a zero score (no place on a log axis) are counted but not drawn. GUI thread only.
#include <QHash>
#include <QPointer>
#include <QWidget>
#include <memory>
#include <vector>

#include "core/sensitivity/sensitivity_map.h"
#include "views/map_comparison.h"

class QCustomPlot;
class QCPGraph;
class QCPTextElement;

namespace taskquant::views {

class ReplotCoalescer;
class TensorSelection;

class ScatterView : public QWidget {
    Q_OBJECT
  public:
    explicit ScatterView(QWidget* parent = nullptr);

    void setMaps(std::shared_ptr<const sensitivity::SensitivityMap> fisher,
                 std::shared_ptr<const sensitivity::SensitivityMap> magnitude);
    void setSelectionModel(TensorSelection* selection);

    QCustomPlot* plot() const { return plot_; }
    const MapComparison& comparison() const { return comparison_; }
    // Pixel position of a tensor's point in plot() coordinates (after a replot), or (-1,-1).
    QPointF pointPixel(const QString& name) const;
    QStringList labelledTensors() const { return labelled_; }
    // Tensors ringed as selected right now.
    QStringList highlightedTensors() const;

  private:
    void rebuild();
    void onPlotSelection();
    void showSharedSelection();

    QCustomPlot* plot_;
    QCPTextElement* title_;
    ReplotCoalescer* replot_;
    QPointer<TensorSelection> selection_;
    std::shared_ptr<const sensitivity::SensitivityMap> fisher_, magnitude_;
    MapComparison comparison_;
    int silentCount_ = 5;
    struct Series {
        QCPGraph* graph = nullptr;
        std::vector<int> rows; // comparison row of each data point, in key order
    };
    std::vector<Series> series_;
    QCPGraph* highlight_ = nullptr;
    QHash<QString, int> rowOf_;
    QStringList labelled_;
    bool applying_ = false;
};

} // namespace taskquant::views
