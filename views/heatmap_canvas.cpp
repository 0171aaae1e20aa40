#include "views/heatmap_canvas.h"

#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "views/gguf_type_menu.h"
#include "views/policy_model.h"
#include "views/score_format.h"
#include "views/tensor_selection.h"

namespace taskquant::views {
namespace {
constexpr double kMinCell = 4, kMaxCell = 400;
constexpr int kTopLabelled = 5; // the most sensitive tensors carry their rank ("#1".."#5")
const QColor kSelectionColor(0, 229, 255);
QColor backgroundFor(const ColorScale& s) {
    return s.kind() == ColorScale::Kind::Log ? QColor(40, 40, 46) : QColor(150, 150, 150);
}
} // namespace

HeatmapCanvas::HeatmapCanvas(QWidget* parent)
    : QAbstractScrollArea(parent), zoomIn_(new QAction(tr("Zoom &In"), this)),
      zoomOut_(new QAction(tr("Zoom &Out"), this)),
      fitAction_(new QAction(tr("&Fit to Window"), this)) {
    QList<QKeySequence> in = QKeySequence::keyBindings(QKeySequence::ZoomIn);
    if (!in.contains(QKeySequence(Qt::CTRL | Qt::Key_Equal)))
        in << QKeySequence(Qt::CTRL | Qt::Key_Equal);
    zoomIn_->setShortcuts(in);
    zoomOut_->setShortcuts(QKeySequence::ZoomOut);
    fitAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(zoomIn_, &QAction::triggered, this, [this] { zoomBy(1.25); });
    connect(zoomOut_, &QAction::triggered, this, [this] { zoomBy(0.8); });
    connect(fitAction_, &QAction::triggered, this, &HeatmapCanvas::fitToWindow);
    addActions({zoomIn_, zoomOut_, fitAction_});
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setMinimumSize(200, 150);
}

void HeatmapCanvas::setData(const HeatmapData& data) {
    const bool sameShape = data.tensors->grid.rows.size() == data_.tensors->grid.rows.size() &&
                           data.tensors->grid.columns.size() == data_.tensors->grid.columns.size();
    data_ = data;
    if (!sameShape)
        fit_ = true;
    relayout();
}

void HeatmapCanvas::setSelectionModel(TensorSelection* selection) {
    if (selection_)
        disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (selection_)
        connect(selection_, &TensorSelection::changed, viewport(), qOverload<>(&QWidget::update));
    viewport()->update();
}

void HeatmapCanvas::setPolicyModel(PolicyModel* policy) {
    if (policy_)
        disconnect(policy_, nullptr, this, nullptr);
    policy_ = policy;
    if (policy_)
        connect(policy_, &PolicyModel::choicesChanged, viewport(), qOverload<>(&QWidget::update));
    viewport()->update();
}

GridGeometry HeatmapCanvas::geometry() const {
    const auto& g = data_.tensors->grid;
    const QPointF origin(header_.width() - horizontalScrollBar()->value(),
                         header_.height() - verticalScrollBar()->value());
    return GridGeometry(int(g.rows.size()), int(g.columns.size()), cell_, origin);
}

QRectF HeatmapCanvas::cellRect(int row, int column) const {
    return geometry().cellRect(row, column);
}

int HeatmapCanvas::columnOfKindLabel(const QString& label) const {
    const auto& labels = data_.tensors->grid.columnLabels;
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (QString::fromStdString(labels[i]) == label)
            return int(i);
    return -1;
}

void HeatmapCanvas::relayout() {
    const QFontMetrics fm(font());
    const auto& g = data_.tensors->grid;
    int rowLabel = fm.horizontalAdvance(QStringLiteral("Layer 00"));
    for (const auto& r : g.rows)
        rowLabel = std::max(rowLabel, fm.horizontalAdvance(views::rowLabel(r)));
    int colLabel = 0;
    for (const auto& c : g.columnLabels)
        colLabel = std::max(colLabel, fm.horizontalAdvance(QString::fromStdString(c)));
    if (fit_)
        computeFitCells();
    verticalColumnLabels_ = cell_.width() < colLabel + 6;
    header_ = QSizeF(rowLabel + 12, verticalColumnLabels_ ? colLabel + 10 : fm.height() + 10);
    if (fit_)
        computeFitCells(); // the header height may have changed
    updateScrollBars();
    viewport()->update();
}

void HeatmapCanvas::computeFitCells() {
    const auto& g = data_.tensors->grid;
    const int rows = std::max<int>(1, int(g.rows.size()));
    const int cols = std::max<int>(1, int(g.columns.size()));
    const QSize vp = viewport()->size();
    cell_ = QSizeF(std::clamp((vp.width() - header_.width() - 2) / cols, kMinCell, kMaxCell),
                   std::clamp((vp.height() - header_.height() - 2) / rows, kMinCell, kMaxCell));
}

void HeatmapCanvas::updateScrollBars() {
    const GridGeometry g = geometry();
    const QSizeF content = g.contentSize();
    const QSize vp = viewport()->size();
    horizontalScrollBar()->setRange(
        0, std::max(0, int(std::ceil(content.width() + header_.width() - vp.width()))));
    verticalScrollBar()->setRange(
        0, std::max(0, int(std::ceil(content.height() + header_.height() - vp.height()))));
    horizontalScrollBar()->setPageStep(vp.width());
    verticalScrollBar()->setPageStep(vp.height());
    horizontalScrollBar()->setSingleStep(std::max(1, int(cell_.width())));
    verticalScrollBar()->setSingleStep(std::max(1, int(cell_.height())));
}

void HeatmapCanvas::resizeEvent(QResizeEvent* e) {
    QAbstractScrollArea::resizeEvent(e);
    relayout();
}

void HeatmapCanvas::scrollContentsBy(int, int) {
    viewport()->update();
}

void HeatmapCanvas::zoomBy(double factor) {
    const QPointF centre(header_.width() + (viewport()->width() - header_.width()) / 2.0,
                         header_.height() + (viewport()->height() - header_.height()) / 2.0);
    const GridGeometry z = geometry().zoomedAbout(factor, centre, kMinCell, kMaxCell);
    fit_ = false;
    cell_ = z.cellSize();
    relayout();
    horizontalScrollBar()->setValue(int(std::lround(header_.width() - z.origin().x())));
    verticalScrollBar()->setValue(int(std::lround(header_.height() - z.origin().y())));
    emit zoomChanged();
}

void HeatmapCanvas::fitToWindow() {
    fit_ = true;
    relayout();
    emit zoomChanged();
}

// ---- selection -------------------------------------------------------------------------

std::set<std::size_t> HeatmapCanvas::selectedTensors() const {
    std::set<std::size_t> out;
    if (!selection_)
        return out;
    const auto& names = data_.tensors->names;
    for (int i = 0; i < names.size(); ++i)
        if (selection_->contains(names.at(i)))
            out.insert(std::size_t(i));
    return out;
}

bool HeatmapCanvas::isCellSelected(int row, int column) const {
    const auto* c = data_.tensors->grid.cellAt(row, column);
    if (!c || !selection_)
        return false;
    for (std::size_t t : c->tensors)
        if (selection_->contains(data_.tensors->names.at(int(t))))
            return true;
    return false;
}

void HeatmapCanvas::setSelectedTensors(const std::set<std::size_t>& tensors) {
    if (!selection_)
        return;
    // Names of other maps' tensors that this heatmap does not show stay selected only when
    // extending or toggling; a plain click replaces everything.
    QSet<QString> names;
    if (dragMode_ != SelectionMode::Replace)
        for (const QString& n : selection_->names())
            if (data_.indexOf(n) < 0)
                names.insert(n);
    for (std::size_t t : tensors)
        names.insert(data_.tensors->names.at(int(t)));
    selection_->setNames(names);
}

void HeatmapCanvas::selectAll() {
    std::set<std::size_t> all;
    for (int i = 0; i < data_.size(); ++i)
        all.insert(std::size_t(i));
    dragMode_ = SelectionMode::Replace;
    setSelectedTensors(all);
}

CellRange HeatmapCanvas::headerRange(QPointF pos) const {
    const GridGeometry g = geometry();
    if (g.rows() == 0 || g.columns() == 0)
        return {};
    if (pos.x() < header_.width() && pos.y() >= header_.height()) {
        const CellPos c = g.cellAt(QPointF(g.origin().x(), pos.y()));
        return c.valid() ? CellRange{c.row, 0, c.row, g.columns() - 1} : CellRange{};
    }
    if (pos.y() < header_.height() && pos.x() >= header_.width()) {
        const CellPos c = g.cellAt(QPointF(pos.x(), g.origin().y()));
        return c.valid() ? CellRange{0, c.column, g.rows() - 1, c.column} : CellRange{};
    }
    return {};
}

void HeatmapCanvas::updateDragSelection(QPointF pos) {
    current_ = geometry().clampedCellAt(pos);
    const CellRange range = CellRange::between(anchor_, current_);
    setSelectedTensors(
        combineSelection(selectionAtPress_, tensorsInRange(data_.tensors->grid, range), dragMode_));
    viewport()->update();
}

void HeatmapCanvas::mousePressEvent(QMouseEvent* e) {
    setFocus(Qt::MouseFocusReason);
    if (e->button() == Qt::MiddleButton) {
        panning_ = true;
        panLast_ = e->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        return;
    }
    if (e->button() != Qt::LeftButton)
        return;
    const QPointF pos = e->position();
    const Qt::KeyboardModifiers mods = e->modifiers();
    dragMode_ = (mods & Qt::ControlModifier) ? SelectionMode::Toggle
                : (mods & Qt::ShiftModifier) ? SelectionMode::Extend
                                             : SelectionMode::Replace;
    selectionAtPress_ = selectedTensors();
    const CellRange header = headerRange(pos);
    if (!header.isEmpty()) {
        setSelectedTensors(combineSelection(
            selectionAtPress_, tensorsInRange(data_.tensors->grid, header), dragMode_));
        return;
    }
    const CellPos cell = geometry().cellAt(pos);
    if (!cell.valid()) {
        if (dragMode_ == SelectionMode::Replace && selection_)
            setSelectedTensors({});
        return;
    }
    if (dragMode_ != SelectionMode::Extend || !anchor_.valid())
        anchor_ = cell;
    dragging_ = true;
    updateDragSelection(pos);
}

void HeatmapCanvas::mouseMoveEvent(QMouseEvent* e) {
    if (panning_) {
        const QPoint d = e->position().toPoint() - panLast_;
        panLast_ = e->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        return;
    }
    if (dragging_) {
        const CellPos c = geometry().clampedCellAt(e->position());
        if (c != current_)
            updateDragSelection(e->position());
    }
}

void HeatmapCanvas::mouseReleaseEvent(QMouseEvent* e) {
    if (e->button() == Qt::MiddleButton && panning_) {
        panning_ = false;
        viewport()->unsetCursor();
        return;
    }
    if (e->button() == Qt::LeftButton && dragging_) {
        updateDragSelection(e->position());
        dragging_ = false;
        viewport()->update();
    }
}

void HeatmapCanvas::wheelEvent(QWheelEvent* e) {
    if (e->modifiers() & Qt::ControlModifier) {
        const double steps = e->angleDelta().y() / 120.0;
        if (steps == 0)
            return;
        const GridGeometry z =
            geometry().zoomedAbout(std::pow(1.25, steps), e->position(), kMinCell, kMaxCell);
        fit_ = false;
        cell_ = z.cellSize();
        relayout();
        horizontalScrollBar()->setValue(int(std::lround(header_.width() - z.origin().x())));
        verticalScrollBar()->setValue(int(std::lround(header_.height() - z.origin().y())));
        emit zoomChanged();
        e->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(e);
}

void HeatmapCanvas::keyPressEvent(QKeyEvent* e) {
    // Keyboard selection: arrows move the current cell (and select it), Shift+arrows extend the
    // rectangle from the anchor, Space toggles the current cell in the selection.
    const GridGeometry g = geometry();
    const bool arrow = e->key() == Qt::Key_Left || e->key() == Qt::Key_Right ||
                       e->key() == Qt::Key_Up || e->key() == Qt::Key_Down;
    const Qt::KeyboardModifiers mods = e->modifiers() & ~Qt::KeypadModifier;
    if (data_.tensors && g.rows() > 0 && g.columns() > 0 && arrow &&
        (mods == Qt::NoModifier || mods == Qt::ShiftModifier)) {
        CellPos c = current_.valid() ? current_ : CellPos{0, 0};
        if (current_.valid()) {
            c.row += e->key() == Qt::Key_Down ? 1 : e->key() == Qt::Key_Up ? -1 : 0;
            c.column += e->key() == Qt::Key_Right ? 1 : e->key() == Qt::Key_Left ? -1 : 0;
            c.row = std::clamp(c.row, 0, g.rows() - 1);
            c.column = std::clamp(c.column, 0, g.columns() - 1);
        }
        current_ = c;
        if (mods == Qt::NoModifier || !anchor_.valid())
            anchor_ = c;
        setSelectedTensors(tensorsInRange(data_.tensors->grid, CellRange::between(anchor_, c)));
        viewport()->update();
        e->accept();
        return;
    }
    if (data_.tensors && e->key() == Qt::Key_Space && mods == Qt::NoModifier) {
        if (!current_.valid() && g.rows() > 0 && g.columns() > 0)
            current_ = anchor_ = CellPos{0, 0};
        if (current_.valid()) {
            setSelectedTensors(combineSelection(
                selectedTensors(),
                tensorsInRange(data_.tensors->grid, CellRange::between(current_, current_)),
                SelectionMode::Toggle));
            anchor_ = current_;
            viewport()->update();
        }
        e->accept();
        return;
    }
    if (editable_ && e->modifiers() == Qt::NoModifier) {
        for (PrecisionChoice c : allPrecisionChoices()) {
            if (precisionChoiceShortcut(c) == QKeySequence(e->key()) ||
                (c == PrecisionChoice::Clear && e->key() == Qt::Key_Backspace)) {
                applyPrecision(c);
                e->accept();
                return;
            }
        }
    }
    if (e->matches(QKeySequence::SelectAll)) {
        selectAll();
    } else if (e->key() == Qt::Key_Escape) {
        if (selection_)
            selection_->clear();
    } else {
        QAbstractScrollArea::keyPressEvent(e);
        return;
    }
    e->accept();
}

void HeatmapCanvas::applyPrecision(PrecisionChoice choice) {
    if (!policy_ || !editable_)
        return;
    QStringList names;
    for (std::size_t t : selectedTensors())
        names.push_back(data_.tensors->names.at(int(t)));
    if (!names.isEmpty())
        policy_->setPrecision(names, precisionOf(choice));
}

void HeatmapCanvas::applyPrecisionValue(const quant::Precision& p) {
    if (!policy_ || !editable_)
        return;
    QStringList names;
    for (std::size_t t : selectedTensors())
        names.push_back(data_.tensors->names.at(int(t)));
    if (!names.isEmpty())
        policy_->setPrecision(names, p);
}

void HeatmapCanvas::setColorProvider(ColorProvider provider) {
    colorOf_ = std::move(provider);
    viewport()->update();
}

void HeatmapCanvas::contextMenuEvent(QContextMenuEvent* e) {
    const QPointF pos = e->pos(); // forwarded from the viewport: viewport coordinates
    const CellPos cell = geometry().cellAt(pos);
    if (cell.valid() && !isCellSelected(cell.row, cell.column)) {
        anchor_ = current_ = cell;
        dragMode_ = SelectionMode::Replace;
        setSelectedTensors(tensorsInRange(data_.tensors->grid, CellRange::between(cell, cell)));
    }
    QMenu menu(this);
    populateContextMenu(menu);
    menu.exec(e->globalPos());
}

void HeatmapCanvas::populateContextMenu(QMenu& menu) {
    const bool any = selection_ && !selectedTensors().empty();
    if (editable_ && policy_) {
        for (PrecisionChoice c : allPrecisionChoices()) {
            QAction* a =
                menu.addAction(precisionChoiceLabel(c), this, [this, c] { applyPrecision(c); });
            a->setShortcut(precisionChoiceShortcut(c));
            a->setEnabled(any);
        }
        QMenu* types = menu.addMenu(tr("GGUF Type"));
        types->setObjectName(QStringLiteral("ggufTypeMenu"));
        std::vector<ShapedTensor> shaped;
        for (std::size_t t : selectedTensors()) {
            const QString name = data_.tensors->names.at(int(t));
            shaped.push_back({name, shapeOf_ ? shapeOf_(name) : std::nullopt});
        }
        addGgufTypeActions(types, shaped,
                           [this](const quant::Precision& p) { applyPrecisionValue(p); });
        types->setEnabled(any);
        for (QAction* a : extraActions_)
            menu.addAction(a);
        menu.addSeparator();
    }
    menu.addAction(tr("Select All"), this, &HeatmapCanvas::selectAll)
        ->setShortcut(QKeySequence::SelectAll);
    menu.addAction(tr("Clear Selection"), this,
                   [this] {
                       if (selection_)
                           selection_->clear();
                   })
        ->setEnabled(any);
    menu.addSeparator();
    menu.addActions({zoomIn_, zoomOut_, fitAction_});
}

// ---- tooltip ---------------------------------------------------------------------------

QString HeatmapCanvas::toolTipAt(QPointF pos) const {
    const CellPos cell = geometry().cellAt(pos);
    if (!cell.valid())
        return {};
    const auto* c = data_.tensors->grid.cellAt(cell.row, cell.column);
    if (!c || c->tensors.empty())
        return {};
    const auto& t = *data_.tensors;
    const int i = int(c->tensors.front());
    const int n = data_.size();
    QString html = QStringLiteral("<b>%1</b><table>").arg(t.names.at(i).toHtmlEscaped());
    auto row = [&html](const QString& k, const QString& v) {
        html += QStringLiteral("<tr><td>%1</td><td>&nbsp;%2</td></tr>").arg(k, v);
    };
    const double v = t.values[std::size_t(i)];
    if (data_.scale.kind() == ColorScale::Kind::Diverging) {
        row(data_.valueLabel.toHtmlEscaped(),
            std::isfinite(v) ? QString::number(v, 'f', 2) : tr("n/a (a score is 0)"));
    } else if (data_.scale.normalisedToMax()) {
        row(tr("Score / max"), formatScore(data_.scale.displayValue(v)));
    }
    row(tr("Score"), formatScore(t.scores[std::size_t(i)]));
    const int rank = t.ranks[std::size_t(i)];
    row(tr("Rank"), tr("%1 of %2").arg(rank).arg(n));
    row(tr("Percentile"), QString::number(percentileOfRank(rank, n), 'f', 1));
    const int64_t numel = t.numels[std::size_t(i)];
    row(tr("Parameters"), numel > 0 ? formatCount(numel) : tr("unknown"));
    if (policy_) {
        const auto p = policy_->precision(t.names.at(i));
        row(tr("Precision"), p ? QString::fromStdString(p->name()) : tr("policy default"));
    }
    html += QStringLiteral("</table>");
    if (c->tensors.size() > 1)
        html +=
            tr("<i>and %n more tensor(s) in this cell</i>", nullptr, int(c->tensors.size() - 1));
    return html;
}

bool HeatmapCanvas::viewportEvent(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        const QString tip = toolTipAt(he->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(he->globalPos(), tip, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(e);
}

// ---- painting --------------------------------------------------------------------------

void HeatmapCanvas::paintCell(QPainter& p, const GridGeometry& g, const policy::GridCell& cell) {
    const QRectF r = g.cellRect(cell.row, cell.column, cell.columnSpan);
    if (!r.intersects(QRectF(viewport()->rect())))
        return;
    const auto& t = *data_.tensors;
    const int i = int(cell.tensors.front());
    QColor fill = data_.scale.color(t.values[std::size_t(i)]);
    if (colorOf_)
        if (const auto c = colorOf_(t.names.at(i)))
            fill = *c;
    const double gap = (g.cellSize().width() > 8 && g.cellSize().height() > 8) ? 1.0 : 0.0;
    const QRectF inner = r.adjusted(gap, gap, -gap, -gap);
    p.fillRect(inner, fill);

    // One text per cell, so nothing overprints: the chosen type (as llama.cpp names it) and
    // the rank of a top tensor ("Q4_K #1"), elided to the cell.
    QStringList parts;
    const int rank = t.ranks[std::size_t(i)];
    const bool top = data_.scale.kind() == ColorScale::Kind::Log && rank >= 1 &&
                     rank <= kTopLabelled && inner.height() >= 10 && inner.width() >= 24;
    if (top) { // top tensors: a white frame, so they are found at a glance
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(Qt::white, 1.5));
        p.drawRect(inner.adjusted(0.75, 0.75, -0.75, -0.75));
    }
    if (policy_) {
        std::optional<quant::Precision> pr;
        for (std::size_t k : cell.tensors)
            if ((pr = policy_->precision(t.names.at(int(k)))))
                break;
        if (pr) {
            // Marked: a white corner triangle and the type.
            const double s = std::min(inner.width(), inner.height()) * 0.45;
            QPolygonF tri;
            tri << inner.topLeft() << inner.topLeft() + QPointF(s, 0)
                << inner.topLeft() + QPointF(0, s);
            p.setPen(Qt::NoPen);
            p.setBrush(Qt::white);
            p.drawPolygon(tri);
            parts << precisionBadge(*pr);
        }
    }
    if (top)
        parts << QStringLiteral("#%1").arg(rank);
    if (!parts.isEmpty() && inner.height() >= 10) {
        QFont f = p.font();
        f.setBold(true);
        f.setPixelSize(int(std::clamp(inner.height() * 0.5, 7.0, 12.0)));
        p.setFont(f);
        p.setPen(contrastingTextColor(fill));
        const QRectF area = inner.adjusted(3, 0, -3, 0);
        const QString text =
            QFontMetricsF(f).elidedText(parts.join(QLatin1Char(' ')), Qt::ElideRight, area.width());
        p.drawText(area, Qt::AlignCenter, text);
        p.setFont(font());
    }
    if (isCellSelected(cell.row, cell.column)) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(kSelectionColor, 2.5));
        p.drawRect(r.adjusted(1.25, 1.25, -1.25, -1.25));
    }
}

void HeatmapCanvas::paintHeaders(QPainter& p, const GridGeometry& g) {
    const auto& grid = data_.tensors->grid;
    const QPalette pal = palette();
    // Row labels
    p.fillRect(QRectF(0, 0, header_.width(), viewport()->height()), pal.window());
    p.setPen(pal.color(QPalette::WindowText));
    const bool everyRow = g.cellSize().height() >= p.fontMetrics().height() - 2;
    const int step =
        everyRow ? 1 : int(std::ceil((p.fontMetrics().height() - 2) / g.cellSize().height()));
    for (int r = 0; r < int(grid.rows.size()); ++r) {
        const QRectF cell = g.cellRect(r, 0);
        if (cell.bottom() < header_.height() || cell.top() > viewport()->height())
            continue;
        const bool special = grid.rows[std::size_t(r)].spanning;
        if (!special && grid.rows[std::size_t(r)].layer % step != 0)
            continue;
        const QRectF label(4, cell.top(), header_.width() - 8, cell.height());
        QFont f = font();
        f.setBold(special);
        p.setFont(f);
        p.drawText(label, Qt::AlignRight | Qt::AlignVCenter | Qt::TextDontClip,
                   rowLabel(grid.rows[std::size_t(r)]));
    }
    p.setFont(font());
    // Column labels
    p.fillRect(QRectF(0, 0, viewport()->width(), header_.height()), pal.window());
    for (int c = 0; c < int(grid.columns.size()); ++c) {
        const QRectF cell = g.cellRect(0, c);
        const QString text = QString::fromStdString(grid.columnLabels[std::size_t(c)]);
        if (!verticalColumnLabels_) {
            p.drawText(QRectF(cell.left(), 0, cell.width(), header_.height() - 4),
                       Qt::AlignHCenter | Qt::AlignBottom, text);
        } else {
            p.save();
            p.translate(cell.center().x() + p.fontMetrics().ascent() / 2.0, header_.height() - 4);
            p.rotate(-90);
            p.drawText(QPointF(0, 0), text);
            p.restore();
        }
    }
}

void HeatmapCanvas::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), backgroundFor(data_.scale));
    if (data_.isEmpty()) {
        p.setPen(Qt::lightGray);
        p.drawText(viewport()->rect(), Qt::AlignCenter,
                   tr("Open a sensitivity map (File > Open Map) or drop one here."));
        return;
    }
    const GridGeometry g = geometry();
    p.save();
    p.setClipRect(
        QRectF(header_.width(), header_.height(), viewport()->width(), viewport()->height()));
    for (const auto& cell : data_.tensors->grid.cells)
        paintCell(p, g, cell);
    if (dragging_ && anchor_.valid() && current_.valid()) {
        const CellRange r = CellRange::between(anchor_, current_);
        const QRectF band = g.cellRect(r.top, r.left).united(g.cellRect(r.bottom, r.right));
        p.setBrush(QColor(0, 229, 255, 40));
        p.setPen(QPen(kSelectionColor, 1, Qt::DashLine));
        p.drawRect(band);
    }
    if (hasFocus() && current_.valid() && current_.row < g.rows() &&
        current_.column < g.columns()) { // the keyboard's current cell
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(palette().color(QPalette::Highlight), 1.5, Qt::DotLine));
        p.drawRect(g.cellRect(current_.row, current_.column).adjusted(2.5, 2.5, -2.5, -2.5));
    }
    p.restore();
    paintHeaders(p, g);
}

} // namespace taskquant::views
