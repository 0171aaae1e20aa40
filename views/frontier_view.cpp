#include "views/frontier_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "core/util/label_placement.h"
#include "views/frontier_math.h"

namespace taskquant::views {

namespace {
const QColor kFamilyColours[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
                                 QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd),
                                 QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2)};

QColor familyColour(const QString& family, int fallbackIndex) {
    if (family == QLatin1String("uniform types"))
        return QColor(0x55, 0x55, 0x55);
    if (family == QLatin1String("Fisher-optimal"))
        return kFamilyColours[1];
    if (family == QLatin1String("magnitude-optimal"))
        return kFamilyColours[0];
    if (family == QLatin1String("error-only"))
        return kFamilyColours[2];
    if (family == QLatin1String("llama.cpp mixes"))
        return QColor(0xff, 0x7f, 0x0e);
    return kFamilyColours[3 + fallbackIndex % 3];
}
constexpr double kHitRadius = 8;
} // namespace

FrontierView::FrontierView(QWidget* parent)
    : QWidget(parent), model_(new FrontierPointModel(this)), plot_(new QCustomPlot),
      title_(nullptr), table_(new QTableView), status_(new QLabel), notes_(new QLabel),
      compute_(new QPushButton(tr("Compute Frontier…"))),
      evaluate_(new QPushButton(tr("Evaluate Current Policy"))),
      export_(new QPushButton(tr("Export Plot…"))) {
    compute_->setToolTip(tr("Evaluate uniform types, llama.cpp mixes and the optimal allocations "
                            "on a task text (a job)"));
    evaluate_->setToolTip(tr("Measure the current policy on the frontier's task text instead of "
                             "predicting it"));
    export_->setToolTip(tr("Save the plot as PNG, SVG or PDF"));
    status_->setWordWrap(true);
    notes_->setWordWrap(true);
    notes_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(compute_);
    buttons->addWidget(evaluate_);
    buttons->addWidget(export_);
    buttons->addWidget(status_, 1);
    auto* top = new QVBoxLayout;
    top->addLayout(buttons);
    top->addWidget(notes_);

    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString(),
                                QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plot_->plotLayout()->addElement(0, 0, title_);
    plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setNumberFormat(QStringLiteral("eb"));
    plot_->yAxis->setNumberPrecision(0);
    plot_->xAxis->setLabel(tr("Bits per weight (all parameters)"));
    plot_->yAxis->setLabel(tr("Mean KL divergence per token (log)"));
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), font().pointSize() - 1));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot_->setMouseTracking(true);
    plot_->installEventFilter(this);
    setProperty("exportWidget", QVariant::fromValue(static_cast<QWidget*>(plot_)));

    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model_);
    proxy->setSortRole(TableModelBase::SortRole);
    table_->setModel(proxy);
    table_->setSortingEnabled(true);
    table_->sortByColumn(FrontierPointModel::Bpw, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();
    connect(table_, &QTableView::doubleClicked, this, [this, proxy](const QModelIndex& i) {
        const QModelIndex s = proxy->mapToSource(i);
        if (s.isValid())
            emit pointActivated(s.row());
    });

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(plot_);
    split->addWidget(table_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(compute_, &QPushButton::clicked, this, &FrontierView::computeRequested);
    connect(evaluate_, &QPushButton::clicked, this, &FrontierView::evaluateCurrentRequested);
    connect(export_, &QPushButton::clicked, this, &FrontierView::exportRequested);
    setActionsEnabled(false, false);
    rebuild();
}

void FrontierView::setPoints(std::vector<FrontierPointData> points, const QString& title,
                             const QString& notes, const QString& notesToolTip) {
    model_->setPoints(std::move(points));
    titleText_ = title;
    notes_->setText(notes);
    notes_->setToolTip(notesToolTip);
    notes_->setVisible(!notes.isEmpty());
    table_->resizeColumnsToContents();
    rebuild();
}

void FrontierView::setCurrentPoint(std::optional<FrontierPointData> current) {
    current_ = std::move(current);
    rebuild();
}

void FrontierView::setActionsEnabled(bool compute, bool evaluate) {
    compute_->setEnabled(compute);
    evaluate_->setEnabled(evaluate);
    export_->setEnabled(!model_->points().empty());
}

QString FrontierView::statusText() const {
    return status_->text();
}

double FrontierView::plotValue(double kld) const {
    return kld > floor_ ? kld : floor_;
}

void FrontierView::rebuild() {
    plot_->clearPlottables();
    plot_->clearItems();
    const auto& pts = model_->points();
    export_->setEnabled(!pts.empty());
    if (pts.empty()) {
        title_->setText(tr("No frontier yet: Analysis > Compute Frontier… (with a model "
                           "directory open)"));
        plot_->legend->setVisible(false);
        status_->setText(QString());
        plot_->xAxis->setRange(2, 17);
        plot_->yAxis->setRange(1e-4, 1);
        plot_->replot();
        return;
    }
    title_->setText(titleText_);
    plot_->legend->setVisible(true);
    std::vector<double> klds;
    std::vector<std::string> families;
    std::vector<double> bpw;
    for (const auto& p : pts) {
        klds.push_back(p.kld);
        families.push_back(p.family().toStdString());
        bpw.push_back(p.bitsPerWeight);
    }
    if (current_)
        klds.push_back(current_->kld);
    const LogAxis axis = LogAxis::fit(klds);
    floor_ = axis.lo;
    int other = 0;
    double xmin = 1e300, xmax = -1e300;
    std::vector<std::pair<int, QColor>> labels;
    for (const auto& line : linesOf(families, bpw)) {
        const QString family = QString::fromStdString(line.family);
        const bool isLine = isLineFamily(line.family);
        QCPGraph* g = plot_->addGraph();
        QVector<double> keys, values;
        for (int i : line.indices) {
            keys.push_back(pts[std::size_t(i)].bitsPerWeight);
            values.push_back(plotValue(pts[std::size_t(i)].kld));
            xmin = std::min(xmin, keys.back());
            xmax = std::max(xmax, keys.back());
        }
        g->setData(keys, values, true);
        const QColor c = familyColour(family, other);
        if (!isLine ||
            (family != QLatin1String("uniform types") &&
             family != QLatin1String("Fisher-optimal") &&
             family != QLatin1String("magnitude-optimal") && family != QLatin1String("error-only")))
            ++other;
        g->setPen(QPen(c, 2));
        g->setLineStyle(isLine ? QCPGraph::lsLine : QCPGraph::lsNone);
        g->setScatterStyle(
            QCPScatterStyle(isLine ? QCPScatterStyle::ssDisc : QCPScatterStyle::ssDiamond,
                            c.darker(120), c, isLine ? 7 : 9));
        g->setName(family);
        g->setSelectable(QCP::stNone);
        // Labels: uniform types and mixes by name (the optimal lines are read by their legend);
        // placed once the axes are known, where they do not overlap.
        if (family == QLatin1String("uniform types") || !isLine)
            for (int i : line.indices)
                labels.push_back({i, c.darker(140)});
    }
    if (current_) {
        QCPGraph* g = plot_->addGraph();
        g->setData({current_->bitsPerWeight}, {plotValue(current_->kld)});
        g->setLineStyle(QCPGraph::lsNone);
        const QColor c(0, 150, 170);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, QPen(c, 2.5), c, 16));
        g->setName(current_->measured             ? tr("current policy (measured)")
                   : std::isfinite(current_->kld) ? tr("current policy (predicted)")
                                                  : tr("current policy (not predicted)"));
        g->setSelectable(QCP::stNone);
        xmin = std::min(xmin, current_->bitsPerWeight);
        xmax = std::max(xmax, current_->bitsPerWeight);
        status_->setText(current_->measured ? tr("Current policy: %1 bpw, KLD %2, measured.")
                                                  .arg(current_->bitsPerWeight, 0, 'f', 3)
                                                  .arg(current_->kld, 0, 'g', 4)
                         : std::isfinite(current_->kld)
                             ? tr("Current policy: %1 bpw, KLD %2 <i>predicted</i> by the damage "
                                  "model (scaled to the measured points); Evaluate measures it.")
                                   .arg(current_->bitsPerWeight, 0, 'f', 3)
                                   .arg(current_->kld, 0, 'g', 4)
                             : tr("Current policy: %1 bpw; its KLD is <i>not predicted</i>: some "
                                  "tensors use types without measured errors (choose the "
                                  "frontier's types, or Evaluate to measure it). Drawn on the "
                                  "axis floor.")
                                   .arg(current_->bitsPerWeight, 0, 'f', 3));
    } else {
        status_->setText(tr("Hover a point for its numbers; click one to load its policy "
                            "(Edit > Undo takes it back)."));
    }
    const double pad = std::max(0.25, 0.05 * (xmax - xmin));
    plot_->xAxis->setRange(xmin - pad, xmax + 2 * pad);
    plot_->yAxis->setRange(axis.lo, axis.hi);
    plot_->replot(); // lays out the axes, so that labels can be placed in pixels
    const QFont labelFont(font().family(), font().pointSize() - 2);
    const QFontMetricsF fm(labelFont);
    // Labels placed where they overlap no other label, point or edge (core/util/
    // label_placement.h); one moved away from its point gets a leader line.
    std::vector<LabelRequest> requests;
    std::vector<std::pair<double, double>> others; // points without a label
    std::vector<bool> hasLabel(pts.size(), false);
    if (current_) { // the current point's label comes first
        const QPointF p = pointPixel(int(pts.size()));
        const QFontMetricsF cfm(font());
        requests.push_back(
            {p.x(), p.y(), cfm.horizontalAdvance(tr("current (not predicted)")) + 8, cfm.height()});
    }
    for (const auto& [i, colour] : labels) {
        const QPointF p = pointPixel(i);
        requests.push_back(
            {p.x(), p.y(), fm.horizontalAdvance(pts[std::size_t(i)].label) + 4, fm.height()});
        hasLabel[std::size_t(i)] = true;
    }
    for (std::size_t i = 0; i < pts.size(); ++i)
        if (!hasLabel[i]) {
            const QPointF p = pointPixel(int(i));
            others.emplace_back(p.x(), p.y());
        }
    const QRect area = plot_->axisRect()->rect();
    LabelPlacementOptions options;
    options.markerRadius = 5;
    const std::vector<LabelPlacement> placed = placeLabels(
        requests,
        {double(area.left()), double(area.top()), double(area.width()), double(area.height())},
        others, options);
    const auto addText = [this](const LabelPlacement& pl, const LabelRequest& r,
                                const QString& text, const QColor& colour, const QFont& f) {
        if (pl.leader) {
            auto* line = new QCPItemLine(plot_);
            line->start->setType(QCPItemPosition::ptAbsolute);
            line->end->setType(QCPItemPosition::ptAbsolute);
            line->start->setCoords(r.anchorX, r.anchorY);
            line->end->setCoords(pl.leaderX, pl.leaderY);
            line->setPen(QPen(QColor(150, 150, 150), 0.8));
            line->setSelectable(false);
        }
        auto* t = new QCPItemText(plot_);
        t->position->setType(QCPItemPosition::ptAbsolute);
        t->position->setCoords(pl.box.x, pl.box.y);
        t->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        t->setPadding(QMargins(2, 0, 2, 0));
        t->setText(text);
        t->setColor(colour);
        t->setFont(f);
        t->setSelectable(false);
        return t;
    };
    placedLabels_ = 0;
    const std::size_t first = current_ ? 1 : 0;
    if (current_ && placed[0].placed) {
        QFont f = font();
        f.setBold(true);
        QCPItemText* t = addText(placed[0], requests[0],
                                 current_->measured             ? tr("current (measured)")
                                 : std::isfinite(current_->kld) ? tr("current (predicted)")
                                                                : tr("current (not predicted)"),
                                 QColor(0, 150, 170).darker(130), f);
        t->setBrush(QColor(255, 255, 255, 210)); // readable over the lines
    }
    for (std::size_t k = 0; k < labels.size(); ++k) {
        if (!placed[first + k].placed)
            continue;
        ++placedLabels_;
        addText(placed[first + k], requests[first + k], pts[std::size_t(labels[k].first)].label,
                labels[k].second, labelFont);
    }
    plot_->replot();
}

QPointF FrontierView::pointPixel(int index) const {
    const auto& pts = model_->points();
    const FrontierPointData* p = nullptr;
    if (index >= 0 && index < int(pts.size()))
        p = &pts[std::size_t(index)];
    else if (index == int(pts.size()) && current_)
        p = &*current_;
    if (!p)
        return {-1, -1};
    return {plot_->xAxis->coordToPixel(p->bitsPerWeight),
            plot_->yAxis->coordToPixel(plotValue(p->kld))};
}

int FrontierView::pointAt(const QPointF& pixel) const {
    std::vector<PixelPoint> px;
    const int n = int(model_->points().size());
    for (int i = 0; i < n + (current_ ? 1 : 0); ++i) {
        const QPointF p = pointPixel(i);
        px.push_back({p.x(), p.y()});
    }
    return hitTest(px, pixel.x(), pixel.y(), kHitRadius);
}

QString FrontierView::toolTipAt(const QPointF& pixel) const {
    const int i = pointAt(pixel);
    if (i < 0)
        return {};
    const auto& pts = model_->points();
    const QString tip = i < int(pts.size()) ? pts[std::size_t(i)].toolTip() : current_->toolTip();
    return i < int(pts.size()) ? tip + tr("<br>Click to load this policy into the editor.") : tip;
}

bool FrontierView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && event->type() == QEvent::Resize && !relayoutPending_) {
        relayoutPending_ = true; // labels are placed in pixels: place them again
        QTimer::singleShot(0, this, [this] {
            relayoutPending_ = false;
            rebuild();
        });
    }
    if (watched == plot_) {
        if (event->type() == QEvent::MouseMove) {
            auto* e = static_cast<QMouseEvent*>(event);
            const QString tip = toolTipAt(e->position());
            if (tip.isEmpty())
                QToolTip::hideText();
            else
                QToolTip::showText(e->globalPosition().toPoint(), tip, plot_);
        } else if (event->type() == QEvent::MouseButtonRelease) {
            auto* e = static_cast<QMouseEvent*>(event);
            const int i = pointAt(e->position());
            if (e->button() == Qt::LeftButton && i >= 0 && i < int(model_->points().size()))
                emit pointActivated(i);
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace taskquant::views
