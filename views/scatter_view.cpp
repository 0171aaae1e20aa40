#include "views/scatter_view.h"

#include <QCheckBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <qcustomplot.h>

#include "core/models/taxonomy.h"
#include "views/frontier_math.h"
#include "views/kind_palette.h"
#include "views/replot_coalescer.h"
#include "views/tensor_selection.h"

namespace taskquant::views {

ScatterView::ScatterView(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), title_(nullptr),
      replot_(new ReplotCoalescer(plot_)),
      errorBars_(new QCheckBox(tr("Error bars (bootstrap intervals of the Fisher scores)"))) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* options = new QHBoxLayout;
    options->setContentsMargins(6, 2, 6, 0);
    options->addWidget(errorBars_);
    options->addStretch(1);
    layout->addLayout(options);
    layout->addWidget(plot_);
    errorBars_->setToolTip(tr("Draw each tensor's bootstrap confidence interval (the map's "
                              "\"uncertainty\"; Fisher maps computed with --bootstrap have it)"));
    errorBars_->setEnabled(false);
    connect(errorBars_, &QCheckBox::toggled, this, [this] { rebuild(); });
    plot_->setMouseTracking(true);
    plot_->installEventFilter(this);
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
    plot_->xAxis->setLabel(tr("Magnitude score (squared L2 norm)"));
    plot_->yAxis->setLabel(tr("Fisher score"));
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), font().pointSize() - 1));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    plot_->setInteractions(QCP::iSelectPlottables | QCP::iMultiSelect | QCP::iRangeZoom);
    plot_->setMultiSelectModifier(Qt::ControlModifier);
    plot_->setSelectionRectMode(QCP::srmSelect);
    connect(plot_, &QCustomPlot::selectionChangedByUser, this, &ScatterView::onPlotSelection);
}

void ScatterView::setMaps(std::shared_ptr<const sensitivity::SensitivityMap> fisher,
                          std::shared_ptr<const sensitivity::SensitivityMap> magnitude) {
    fisher_ = std::move(fisher);
    magnitude_ = std::move(magnitude);
    rebuild();
}

void ScatterView::setSelectionModel(TensorSelection* selection) {
    if (selection_)
        disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (selection_)
        connect(selection_, &TensorSelection::changed, this, &ScatterView::showSharedSelection);
    showSharedSelection();
}

void ScatterView::rebuild() {
    plot_->clearPlottables();
    plot_->clearItems();
    series_.clear();
    highlight_ = nullptr;
    rowOf_.clear();
    labelled_.clear();
    unstable_.clear();
    comparison_ = {};
    const auto* unc = fisher_ && fisher_->uncertainty() ? &*fisher_->uncertainty() : nullptr;
    errorBars_->setEnabled(unc != nullptr);
    if (!fisher_ || !magnitude_) {
        title_->setText(tr("Open a Fisher map and a magnitude map of the same model"));
        plot_->replot();
        return;
    }
    comparison_ = compareMaps(*fisher_, *magnitude_);
    std::vector<std::string> names;
    for (const auto& r : comparison_.rows)
        names.push_back(r.name.toStdString());
    const auto scheme = models::resolveScheme(fisher_->provenance().architecture, names);

    // One graph per kind, in the scheme's column order, then the special kinds.
    std::map<int, std::vector<int>> byKind;
    int hidden = 0;
    for (int i = 0; i < int(comparison_.rows.size()); ++i) {
        const auto& r = comparison_.rows[std::size_t(i)];
        rowOf_.insert(r.name, i);
        if (!(r.a > 0 && r.b > 0)) {
            ++hidden;
            continue;
        }
        byKind[int(models::classify(names[std::size_t(i)]).kind)].push_back(i);
    }
    for (auto& [kind, rows] : byKind) {
        std::stable_sort(rows.begin(), rows.end(), [this](int x, int y) {
            return comparison_.rows[std::size_t(x)].b < comparison_.rows[std::size_t(y)].b;
        });
        QVector<double> keys, values;
        for (int r : rows) {
            keys.push_back(comparison_.rows[std::size_t(r)].b);
            values.push_back(comparison_.rows[std::size_t(r)].a);
        }
        QCPGraph* g = plot_->addGraph();
        g->setData(keys, values, true);
        g->setLineStyle(QCPGraph::lsNone);
        const QColor c = kindColor(models::Kind(kind));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c.darker(130), c, 7));
        g->setName(QString::fromStdString(models::kindLabel(models::Kind(kind), scheme)));
        g->setSelectable(QCP::stMultipleDataRanges);
        g->setSelectionDecorator(nullptr); // the shared-selection overlay shows selection
        series_.push_back({g, rows});
        if (unc && errorBars_->isChecked()) {
            QVector<double> minus, plus;
            for (int r : rows) {
                const auto& row = comparison_.rows[std::size_t(r)];
                const auto k = fisher_->indexOf(row.name.toStdString());
                // A lower bound of 0 has no place on the log axis: the bar ends at the axis.
                minus.push_back(k ? std::max(0.0, row.a - unc->lower[*k]) : 0.0);
                plus.push_back(k ? std::max(0.0, unc->upper[*k] - row.a) : 0.0);
            }
            auto* bars = new QCPErrorBars(plot_->xAxis, plot_->yAxis);
            bars->removeFromLegend();
            bars->setDataPlottable(g);
            bars->setData(minus, plus);
            bars->setErrorType(QCPErrorBars::etValueError);
            bars->setPen(QPen(c.darker(110), 1));
            bars->setWhiskerWidth(5);
            bars->setSelectable(QCP::stNone);
        }
    }
    highlight_ = plot_->addGraph();
    highlight_->setLineStyle(QCPGraph::lsNone);
    highlight_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle,
                                                QPen(QColor(0, 170, 200), 2.5), Qt::NoBrush, 13));
    highlight_->setSelectable(QCP::stNone);
    highlight_->removeFromLegend();
    highlight_->setName(tr("selected"));

    // Silent tensors: labelled with short names next to their dots.
    for (const QString& name : silentTensorNames(*fisher_, *magnitude_, silentCount_)) {
        const auto& r = comparison_.rows[std::size_t(rowOf_.value(name))];
        if (!(r.a > 0 && r.b > 0))
            continue;
        auto* text = new QCPItemText(plot_);
        text->position->setType(QCPItemPosition::ptPlotCoords);
        text->position->setCoords(r.b, r.a);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        text->setPadding(QMargins(6, 0, 0, 4));
        text->setText(shortTensorLabel(r.name, scheme));
        QFont f = font();
        f.setBold(true);
        text->setFont(f);
        text->setColor(QColor(160, 20, 30));
        text->setSelectable(false);
        labelled_.push_back(r.name);
    }
    // Rank-stability badges: top tensors that leave the top k in many resamples.
    QCPGraph* rings = nullptr;
    if (unc) {
        rings = plot_->addGraph();
        rings->setLineStyle(QCPGraph::lsNone);
        rings->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle,
                                               QPen(QColor(230, 120, 0), 2), Qt::NoBrush, 14));
        rings->setSelectable(QCP::stNone);
        rings->setName(tr("rank not stable (P < 0.9 to stay in the top %1)").arg(unc->topK));
    }
    if (unc)
        for (const auto& [name, prob] : unc->topStability) {
            const QString n = QString::fromStdString(name);
            const int ri = rowOf_.value(n, -1);
            if (prob >= 0.9 || ri < 0)
                continue;
            const auto& r = comparison_.rows[std::size_t(ri)];
            unstable_.push_back(n);
            if (!(r.a > 0 && r.b > 0))
                continue;
            rings->addData(r.b, r.a);
            auto* badge = new QCPItemText(plot_);
            badge->position->setType(QCPItemPosition::ptPlotCoords);
            badge->position->setCoords(r.b, r.a);
            badge->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
            badge->setPadding(QMargins(2, 1, 2, 1));
            badge->setText(tr("unstable rank P=%1").arg(prob, 0, 'f', 2));
            badge->setColor(Qt::white);
            badge->setBrush(QColor(230, 120, 0));
            badge->setFont(QFont(font().family(), font().pointSize() - 2, QFont::Bold));
            badge->setSelectable(false);
        }
    if (rings && rings->dataCount() == 0)
        rings->removeFromLegend();
    auto fmt = [](double v) {
        return std::isfinite(v) ? QString::number(v, 'f', 3) : QStringLiteral("n/a");
    };
    QString t = tr("Fisher vs magnitude: Spearman \u03c1 = %1, Kendall \u03c4 = %2 (%n tensor(s))",
                   nullptr, int(comparison_.rows.size()))
                    .arg(fmt(comparison_.spearman), fmt(comparison_.kendall));
    if (hidden > 0)
        t += tr("; %n with a zero score not drawn", nullptr, hidden);
    title_->setText(t);
    plot_->rescaleAxes();
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) { // a margin of ~15 % on log axes
        const QCPRange r = axis->range();
        axis->setRange(r.lower / 1.4, r.upper * 1.4);
    }
    showSharedSelection();
    plot_->replot();
}

void ScatterView::onPlotSelection() {
    if (!selection_ || applying_)
        return;
    QSet<QString> names;
    if (QGuiApplication::keyboardModifiers() & Qt::ControlModifier)
        names = selection_->names();
    for (const Series& s : series_) {
        for (const QCPDataRange& range : s.graph->selection().dataRanges())
            for (int k = range.begin(); k < range.end(); ++k)
                if (k >= 0 && k < int(s.rows.size()))
                    names.insert(comparison_.rows[std::size_t(s.rows[std::size_t(k)])].name);
    }
    selection_->setNames(names); // comes back through showSharedSelection()
}

void ScatterView::showSharedSelection() {
    if (!highlight_)
        return;
    QVector<double> keys, values;
    std::vector<std::pair<double, double>> pts;
    if (selection_) {
        for (const QString& n : selection_->names()) {
            const int r = rowOf_.value(n, -1);
            if (r < 0)
                continue;
            const auto& row = comparison_.rows[std::size_t(r)];
            if (row.a > 0 && row.b > 0)
                pts.emplace_back(row.b, row.a);
        }
    }
    std::sort(pts.begin(), pts.end());
    for (const auto& [k, v] : pts) {
        keys.push_back(k);
        values.push_back(v);
    }
    highlight_->setData(keys, values, true);
    // QCustomPlot's own selection is only the gesture; the shared selection is the truth.
    applying_ = true;
    for (const Series& s : series_)
        s.graph->setSelection(QCPDataSelection());
    applying_ = false;
    replot_->request();
}

QPointF ScatterView::pointPixel(const QString& name) const {
    const int r = rowOf_.value(name, -1);
    if (r < 0)
        return {-1, -1};
    const auto& row = comparison_.rows[std::size_t(r)];
    return {plot_->xAxis->coordToPixel(row.b), plot_->yAxis->coordToPixel(row.a)};
}

QStringList ScatterView::highlightedTensors() const {
    QStringList out;
    if (!highlight_)
        return out;
    for (auto it = highlight_->data()->constBegin(); it != highlight_->data()->constEnd(); ++it)
        for (int r = 0; r < int(comparison_.rows.size()); ++r) {
            const auto& row = comparison_.rows[std::size_t(r)];
            if (row.b == it->key && row.a == it->value)
                out.push_back(row.name);
        }
    out.removeDuplicates();
    return out;
}

void ScatterView::setShowErrorBars(bool on) {
    errorBars_->setChecked(on);
}

bool ScatterView::showErrorBars() const {
    return errorBars_->isChecked();
}

int ScatterView::errorBarCount() const {
    int n = 0;
    for (int i = 0; i < plot_->plottableCount(); ++i)
        if (auto* b = qobject_cast<QCPErrorBars*>(plot_->plottable(i)))
            n += b->dataCount();
    return n;
}

QString ScatterView::toolTipAt(const QPointF& pixel) const {
    std::vector<PixelPoint> px;
    std::vector<int> rows;
    for (int r = 0; r < int(comparison_.rows.size()); ++r) {
        const auto& row = comparison_.rows[std::size_t(r)];
        if (!(row.a > 0 && row.b > 0))
            continue;
        const QPointF p = pointPixel(row.name);
        px.push_back({p.x(), p.y()});
        rows.push_back(r);
    }
    const int k = hitTest(px, pixel.x(), pixel.y(), 7);
    if (k < 0)
        return {};
    const auto& row = comparison_.rows[std::size_t(rows[std::size_t(k)])];
    QString tip = tr("<b>%1</b><br>Fisher %2 (rank %3)<br>magnitude %4 (rank %5)")
                      .arg(row.name.toHtmlEscaped())
                      .arg(row.a, 0, 'g', 4)
                      .arg(row.rankA)
                      .arg(row.b, 0, 'g', 4)
                      .arg(row.rankB);
    if (fisher_ && fisher_->uncertainty()) {
        const auto& u = *fisher_->uncertainty();
        if (const auto i = fisher_->indexOf(row.name.toStdString()))
            tip += tr("<br>%1 % interval [%2, %3] (%4 bootstrap resamples of %5 samples)")
                       .arg(100 * u.level, 0, 'f', 0)
                       .arg(u.lower[*i], 0, 'g', 4)
                       .arg(u.upper[*i], 0, 'g', 4)
                       .arg(u.resamples)
                       .arg(u.samples);
        for (const auto& [name, prob] : u.topStability)
            if (QString::fromStdString(name) == row.name)
                tip += (prob < 0.9 ? tr("<br><b>rank not stable</b>: P(stays in the top %1) = %2")
                                   : tr("<br>P(stays in the top %1) = %2"))
                           .arg(u.topK)
                           .arg(prob, 0, 'f', 2);
    }
    return tip;
}

bool ScatterView::eventFilter(QObject* watched, QEvent* event) {
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
