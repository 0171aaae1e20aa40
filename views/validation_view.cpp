#include "views/validation_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "views/frontier_math.h"

namespace taskquant::views {

ValidationView::ValidationView(QWidget* parent)
    : QWidget(parent), model_(new ValidationRowModel(this)), plot_(new QCustomPlot),
      title_(nullptr), table_(new QTableView), summary_(new QLabel),
      run_(new QPushButton(tr("Validate Damage Model…"))) {
    run_->setToolTip(tr("Quantize each tensor alone and compare the measured KL with the damage "
                        "model's prediction (a job)"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* top = new QHBoxLayout;
    top->addWidget(run_);
    top->addWidget(summary_, 1);

    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString(),
                                QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plot_->plotLayout()->addElement(0, 0, title_);
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        axis->setScaleType(QCPAxis::stLogarithmic);
        QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
        axis->setTicker(ticker);
        axis->setNumberFormat(QStringLiteral("eb"));
        axis->setNumberPrecision(0);
    }
    plot_->xAxis->setLabel(tr("Predicted damage ½·score·SSE (map units)"));
    plot_->yAxis->setLabel(tr("Measured KL divergence per token, tensor alone quantized"));
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    plot_->setMouseTracking(true);
    plot_->installEventFilter(this);
    setProperty("exportWidget", QVariant::fromValue(static_cast<QWidget*>(plot_)));

    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model_);
    proxy->setSortRole(TableModelBase::SortRole);
    table_->setModel(proxy);
    table_->setSortingEnabled(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(plot_);
    split->addWidget(table_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    connect(run_, &QPushButton::clicked, this, &ValidationView::runRequested);
    setRunEnabled(false);
    setResult({}, {});
}

void ValidationView::setRunEnabled(bool on) {
    run_->setEnabled(on);
}

QString ValidationView::titleText() const {
    return title_->text();
}

void ValidationView::setResult(const ValidationSummary& s, std::vector<ValidationRowData> rows) {
    model_->setRows(std::move(rows));
    table_->resizeColumnsToContents();
    plot_->clearPlottables();
    drawn_.clear();
    const auto& r = model_->rowData();
    if (r.empty()) {
        title_->setText(
            tr("No validation yet. Analysis > Validate Damage Model… measures the damage "
               "the map predicts (it needs a model and a map)."));
        summary_->clear();
        plot_->xAxis->setRange(1e-6, 1);
        plot_->yAxis->setRange(1e-6, 1);
        plot_->replot();
        return;
    }
    QVector<double> keys, values;
    std::vector<double> xs, ys;
    for (int i = 0; i < int(r.size()); ++i)
        if (r[std::size_t(i)].predicted > 0 && r[std::size_t(i)].measured > 0) {
            drawn_.push_back(i);
            xs.push_back(r[std::size_t(i)].predicted);
            ys.push_back(r[std::size_t(i)].measured);
        }
    std::vector<int> order(drawn_.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = int(i);
    std::sort(order.begin(), order.end(),
              [&](int a, int b) { return xs[std::size_t(a)] < xs[std::size_t(b)]; });
    for (int k : order) {
        keys.push_back(xs[std::size_t(k)]);
        values.push_back(ys[std::size_t(k)]);
    }
    QCPGraph* g = plot_->addGraph();
    g->setData(keys, values, true);
    g->setLineStyle(QCPGraph::lsNone);
    const QColor c(0xd6, 0x27, 0x28);
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c.darker(130), c, 7));
    g->setName(tr("tensors alone at %1").arg(s.precision));
    const LogAxis ax = LogAxis::fit(xs), ay = LogAxis::fit(ys);
    {
        // y = x: where a prediction in KL units lies when it is right
        const double lo = std::min(ax.lo, ay.lo), hi = std::max(ax.hi, ay.hi);
        QCPGraph* diag = plot_->addGraph();
        diag->setData({lo, hi}, {lo, hi});
        diag->setPen(QPen(QColor(40, 110, 40), 1.2));
        diag->setName(tr("measured = predicted (y = x)"));
    }
    if (s.scale > 0) {
        QCPGraph* fit = plot_->addGraph();
        fit->setData({ax.lo, ax.hi}, {s.scale * ax.lo, s.scale * ax.hi});
        fit->setPen(QPen(QColor(80, 80, 80), 1.5, Qt::DashLine));
        fit->setName(tr("measured = %1 × predicted").arg(s.scale, 0, 'g', 3));
    }
    const QString rho =
        std::isfinite(s.spearman) ? QString::number(s.spearman, 'f', 3) : QStringLiteral("n/a");
    title_->setText(tr("Predicted vs measured damage at %1: Spearman \u03c1 = %2 (%n tensor(s))",
                       nullptr, int(r.size()))
                        .arg(s.precision, rho));
    summary_->setText(
        tr("Map %1; %2; unweighted \u03c1 = %3; additivity (whole / sum of single) = %4; "
           "%5 windows, %6 tokens, %7 s.")
            .arg(s.mapLabel,
                 !s.model.isEmpty()      ? s.model
                 : s.activationWeighting ? tr("errors weighted by the task's activations")
                                         : tr("plain squared errors"),
                 std::isfinite(s.spearmanPlain) ? QString::number(s.spearmanPlain, 'f', 3)
                                                : QStringLiteral("n/a"),
                 QString::number(s.additivity, 'f', 3))
            .arg(s.chunks)
            .arg(s.tokens)
            .arg(s.seconds, 0, 'f', 1));
    plot_->xAxis->setRange(ax.lo, ax.hi);
    plot_->yAxis->setRange(ay.lo, ay.hi);
    plot_->replot();
}

QPointF ValidationView::pointPixel(int row) const {
    const auto& r = model_->rowData();
    if (row < 0 || row >= int(r.size()) || !(r[std::size_t(row)].predicted > 0) ||
        !(r[std::size_t(row)].measured > 0))
        return {-1, -1};
    return {plot_->xAxis->coordToPixel(r[std::size_t(row)].predicted),
            plot_->yAxis->coordToPixel(r[std::size_t(row)].measured)};
}

QString ValidationView::toolTipAt(const QPointF& pixel) const {
    std::vector<PixelPoint> px;
    for (int row : drawn_) {
        const QPointF p = pointPixel(row);
        px.push_back({p.x(), p.y()});
    }
    const int k = hitTest(px, pixel.x(), pixel.y(), 8);
    if (k < 0)
        return {};
    const auto& d = model_->rowData()[std::size_t(drawn_[std::size_t(k)])];
    return tr("<b>%1</b> at %2<br>predicted %3<br>measured %4 ± %5<br>misprediction %6")
        .arg(d.name.toHtmlEscaped(), d.effective)
        .arg(d.predicted, 0, 'g', 4)
        .arg(d.measured, 0, 'g', 4)
        .arg(d.uncertainty, 0, 'g', 2)
        .arg(d.misprediction, 0, 'f', 3);
}

bool ValidationView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && event->type() == QEvent::MouseMove) {
        auto* e = static_cast<QMouseEvent*>(event);
        const QString tip = toolTipAt(e->position());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(e->globalPosition().toPoint(), tip, plot_);
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace taskquant::views
