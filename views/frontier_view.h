#pragma once
// FrontierView: the size-quality frontier of the open model on a task text: mean KL divergence
// against the unquantized model (log axis) over bits per weight (all parameters), one line per
// family (uniform types, Fisher-optimal, magnitude-optimal, error-only; frontier_math.h),
// llama.cpp's mixes as labelled points, and the current policy as a live point (a star) that
// the application moves as the policy is edited; it says whether that point is measured or
// predicted. Below the plot the points as a sortable table (FrontierPointModel).
// Hovering a point shows its size, bits per weight, PPL, KLD and top-1 as a tooltip; clicking
// a frontier point (or double-clicking its row) emits pointActivated(index) - the application
// loads that policy. The buttons only emit requests (compute, evaluate the current policy,
// export the plot); the work is the application's. KLD values <= 0 are drawn on the axis
// floor. plot() is what File > Export Plot draws (the "exportWidget" property). GUI thread.
#include <QWidget>
#include <optional>
#include <vector>

#include "views/frontier_models.h"

class QCustomPlot;
class QCPGraph;
class QCPTextElement;
class QLabel;
class QPushButton;
class QTableView;

namespace taskquant::views {

class FrontierView : public QWidget {
    Q_OBJECT
  public:
    explicit FrontierView(QWidget* parent = nullptr);

    // Replaces the frontier (title e.g. "Task KLD vs size: demo-model on gsm8k"); notes go
    // under the buttons (infeasible budgets, timing), notesToolTip is their tooltip. Labels of
    // uniform types and mixes are placed where they overlap no other label or point
    // (core/util/label_placement.h; a moved label has a leader line); one with no room is left
    // out (the tooltip and the table still name every point). One line per family and map.
    void setPoints(std::vector<FrontierPointData> points, const QString& title,
                   const QString& notes = QString(), const QString& notesToolTip = QString());
    // The live point (kind "current"), or none.
    void setCurrentPoint(std::optional<FrontierPointData> current);
    // Whether the Compute / Evaluate buttons can start anything (a model is open, a frontier
    // exists).
    void setActionsEnabled(bool compute, bool evaluate);

    const std::vector<FrontierPointData>& points() const { return model_->points(); }
    const std::optional<FrontierPointData>& currentPoint() const { return current_; }
    FrontierPointModel* model() const { return model_; }
    QCustomPlot* plot() const { return plot_; }
    QTableView* table() const { return table_; }
    QString statusText() const;
    // Labels of uniform types and mixes drawn (placed without overlap) in the last rebuild.
    int placedLabels() const { return placedLabels_; }
    // Pixel position (plot() coordinates, after a replot) of point i; i == points().size() is
    // the current point. (-1, -1) when there is none.
    QPointF pointPixel(int index) const;
    // Index under a plot() pixel position (hit radius 8 px), points().size() for the current
    // point, or -1.
    int pointAt(const QPointF& pixel) const;
    // The tooltip shown for a plot() position ("" when no point is near).
    QString toolTipAt(const QPointF& pixel) const;

  signals:
    void pointActivated(int index);
    void computeRequested();
    void evaluateCurrentRequested();
    void exportRequested();

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void rebuild();
    double plotValue(double kld) const;

    FrontierPointModel* model_;
    QCustomPlot* plot_;
    QCPTextElement* title_;
    QTableView* table_;
    QLabel* status_;
    QLabel* notes_;
    QPushButton *compute_, *evaluate_, *export_;
    std::optional<FrontierPointData> current_;
    bool relayoutPending_ = false;
    int placedLabels_ = 0;
    QString titleText_;
    double floor_ = 1e-4;
};

} // namespace taskquant::views
