#pragma once
// HeatmapCanvas: the painted layer-by-module grid with row and column headers, scrolling,
// zoom (Ctrl+wheel, Ctrl++ or Ctrl+=, Ctrl+-, Ctrl+0 fits) and pan (wheel, scroll bars,
// middle-button drag). Selection: click selects a cell's tensors, drag selects the rectangle of
// cells, Shift extends from the anchor cell, Ctrl toggles; clicking a row or column header selects
// the whole row or column. The selection lives in a shared TensorSelection (by tensor name). Keys 1
// / 8 / 4 / Delete and the context menu set the selected tensors' precision in the PolicyModel (one
// undo step each); cells with an explicit precision carry a badge. Hover shows a tooltip (name,
// value, score, rank, percentile, parameter count, precision). All geometry maths is in
// GridGeometry / grid_selection.h. The zoom keys are the canvas's own three QActions (window
// shortcuts), which the context menu shows and the main window's View menu reuses. GUI thread
// only.
#include <QAbstractScrollArea>
#include <QAction>
#include <QPointer>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include "views/grid_geometry.h"
#include "views/grid_selection.h"
#include "views/heatmap_data.h"
#include "views/precision_choice.h"

class QMenu;

namespace taskquant::views {

class PolicyModel;
class TensorSelection;

class HeatmapCanvas : public QAbstractScrollArea {
    Q_OBJECT
  public:
    explicit HeatmapCanvas(QWidget* parent = nullptr);

    void setData(const HeatmapData& data); // keeps zoom/scroll when the grid shape is the same
    const HeatmapData& data() const { return data_; }
    void setSelectionModel(TensorSelection* selection);
    void setPolicyModel(PolicyModel* policy);
    // Whether keys and the context menu may set precisions (off for diff heatmaps).
    void setPrecisionEditable(bool on) { editable_ = on; }
    // Tensor shapes for the context menu's GGUF types (which types a tensor's rows allow):
    // nullopt = unknown (does not restrict). Default: none known.
    using ShapeProvider = std::function<std::optional<std::vector<int64_t>>(const QString&)>;
    void setShapeProvider(ShapeProvider provider) { shapeOf_ = std::move(provider); }
    // Cell colouring beside the score scale (colour by chosen type, by predicted damage): a
    // colour per tensor name, or nullopt to use the score colour. An empty function = scores.
    using ColorProvider = std::function<std::optional<QColor>(const QString&)>;
    void setColorProvider(ColorProvider provider);
    // Extra actions appended to the context menu (e.g. "Apply llama.cpp mix").
    void setExtraMenuActions(const QList<QAction*>& actions) { extraActions_ = actions; }

    // Geometry in viewport coordinates (for tests and overlays).
    GridGeometry geometry() const;
    QRectF cellRect(int row, int column) const;
    int rowOfLayer(int layer) const { return data_.tensors->grid.rowOfLayer(layer); }
    int columnOfKindLabel(const QString& label) const;
    QString toolTipAt(QPointF viewportPos) const;
    // The context menu's entries for the current selection (precisions, the "GGUF Type"
    // submenu, the extra actions, selection and zoom).
    void populateContextMenu(QMenu& menu);
    // Tensors (indices into data().tensors) currently selected in this map.
    std::set<std::size_t> selectedTensors() const;
    bool isCellSelected(int row, int column) const;

    // Zoom In (x1.25), Zoom Out (x0.8) and Fit to Window, with their shortcuts.
    QAction* zoomInAction() const { return zoomIn_; }
    QAction* zoomOutAction() const { return zoomOut_; }
    QAction* fitAction() const { return fitAction_; }

  public slots:
    void applyPrecision(taskquant::views::PrecisionChoice choice);
    // Sets `p` on the selected tensors (one undo step).
    void applyPrecisionValue(const taskquant::quant::Precision& p);
    void zoomBy(double factor);
    void fitToWindow();
    void selectAll();

  signals:
    void zoomChanged();

  protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void wheelEvent(QWheelEvent*) override;
    void keyPressEvent(QKeyEvent*) override;
    void contextMenuEvent(QContextMenuEvent*) override;
    bool viewportEvent(QEvent*) override;
    void scrollContentsBy(int dx, int dy) override;

  private:
    void relayout();
    void updateScrollBars();
    void computeFitCells();
    CellRange headerRange(QPointF pos) const; // a whole row / column, or empty
    void updateDragSelection(QPointF pos);
    void setSelectedTensors(const std::set<std::size_t>& tensors);
    void paintHeaders(QPainter& p, const GridGeometry& g);
    void paintCell(QPainter& p, const GridGeometry& g, const policy::GridCell& cell);

    HeatmapData data_;
    QPointer<TensorSelection> selection_;
    QPointer<PolicyModel> policy_;
    bool editable_ = true;
    bool fit_ = true;
    QSizeF cell_{24, 16};
    QSizeF header_{60, 40};
    bool verticalColumnLabels_ = false;
    QAction* zoomIn_;
    QAction* zoomOut_;
    QAction* fitAction_;
    ShapeProvider shapeOf_;
    ColorProvider colorOf_;
    QList<QAction*> extraActions_;

    // Drag state
    bool dragging_ = false;
    bool panning_ = false;
    QPoint panLast_;
    CellPos anchor_;
    CellPos current_;
    SelectionMode dragMode_ = SelectionMode::Replace;
    std::set<std::size_t> selectionAtPress_;
};

} // namespace taskquant::views
