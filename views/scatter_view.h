#pragma once
// ScatterView: Fisher (y) against magnitude (x), log-log, one point per tensor both maps
// have, coloured by module kind, with Spearman and Kendall correlations in the title and the
// "silent" tensors labelled (core policy::silentTensors: high Fisher rank, low magnitude rank).
// Selection is shared both ways through TensorSelection: a click or a dragged rectangle
// selects points (Ctrl adds), and tensors selected elsewhere are ringed here.
// Points with a zero score (no place on a log axis) are counted but not drawn.
// Confidence: when the Fisher map carries bootstrap intervals (sensitivity_map.h
// "uncertainty"), hovering a point shows its score with the interval and, for the top-k
// tensors, P(stays in the top k); "Error bars" draws the intervals; top tensors whose rank is
// not stable (P < 0.9, the threshold `taskquant report` uses) carry an orange badge.
// GUI thread only.
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
class QCheckBox;

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
    // Error bars of the bootstrap intervals (only when the Fisher map has them).
    void setShowErrorBars(bool on);
    bool showErrorBars() const;
    int errorBarCount() const; // data points with a drawn bar
    // Top tensors badged as rank-unstable, with their probability.
    QStringList unstableTensors() const { return unstable_; }
    // The tooltip for a plot() position ("" when no point is near).
    QString toolTipAt(const QPointF& pixel) const;

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

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
    QStringList unstable_;
    QCheckBox* errorBars_;
    bool applying_ = false;
};

} // namespace taskquant::views
