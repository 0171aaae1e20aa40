#include "views/regions_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>
#include <algorithm>
#include <numeric>
#include <qcustomplot.h>

#include "views/map_list_model.h"
#include "views/policy_model.h"
#include "views/precision_choice.h"

namespace taskquant::views {

RegionsView::RegionsView(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), methods_(new QComboBox(this)),
      apply_(new QPushButton(tr("Apply to Policy"), this)) {
    auto* tools = new QHBoxLayout;
    tools->addWidget(new QLabel(tr("Threshold method:"), this));
    tools->addWidget(methods_, 1);
    tools->addWidget(apply_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(tools);
    layout->addWidget(plot_, 1);
    plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    plot_->yAxis->setNumberFormat(QStringLiteral("eb"));
    plot_->yAxis->setNumberPrecision(0);
    plot_->xAxis->setLabel(tr("Tensor rank (most sensitive first)"));
    plot_->yAxis->setLabel(tr("Score"));
    plot_->legend->setVisible(true);
    plot_->setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
    apply_->setToolTip(tr("Keep the tensors left of the cut at 16-bit, quantize the other "
                          "block weights to 4-bit (one undo step)"));
    connect(apply_, &QPushButton::clicked, this, [this] { applyCut(methods_->currentIndex()); });
}

void RegionsView::setCutProvider(CutProvider provider) {
    provider_ = std::move(provider);
    rebuild();
}

void RegionsView::setMap(std::shared_ptr<const sensitivity::SensitivityMap> map) {
    map_ = std::move(map);
    rebuild();
}

void RegionsView::rebuild() {
    plot_->clearGraphs();
    plot_->clearItems();
    methods_->clear();
    regions_ = {};
    if (!map_) {
        apply_->setEnabled(false);
        plot_->replot();
        return;
    }
    if (provider_) {
        regions_ = provider_(*map_);
    } else { // every tensor, no cuts
        std::vector<std::pair<double, QString>> all;
        for (const auto& e : map_->entries())
            all.emplace_back(e.score, QString::fromStdString(e.name));
        std::stable_sort(all.begin(), all.end(),
                         [](const auto& x, const auto& y) { return x.first > y.first; });
        for (const auto& [score, name] : all) {
            regions_.names << name;
            regions_.scores.push_back(score);
        }
    }
    const auto& s = regions_.scores;
    QVector<double> x, y;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] > 0) {
            x.push_back(double(i + 1));
            y.push_back(s[i]);
        }
    QCPGraph* curve = plot_->addGraph();
    curve->setData(x, y, true);
    curve->setPen(QPen(QColor(40, 40, 40), 2));
    curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
    curve->setName(MapListModel::labelOf(*map_));
    plot_->rescaleAxes();
    const QCPRange yr = plot_->yAxis->range();
    plot_->yAxis->setRange(yr.lower / 1.5, yr.upper * 1.5);
    plot_->xAxis->setRange(0, double(s.size()) + 1);

    static const QColor colours[] = {
        QColor(214, 39, 40),   QColor(44, 160, 44), QColor(31, 119, 180), QColor(255, 127, 14),
        QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194)};
    for (std::size_t i = 0; i < regions_.cuts.size(); ++i) {
        const auto& c = regions_.cuts[i];
        // A vertical line between the last kept and the first quantized tensor, drawn as a
        // graph so that it has a legend entry.
        QCPGraph* g = plot_->addGraph();
        const double at = c.kept.size() + 0.5;
        g->setData(QVector<double>{at, at},
                   QVector<double>{plot_->yAxis->range().lower, plot_->yAxis->range().upper}, true);
        g->setPen(QPen(colours[i % 7], 2, Qt::DashLine));
        g->setName(c.label);
        methods_->addItem(c.label);
    }
    apply_->setEnabled(!regions_.cuts.empty() && policy_);
    if (regions_.cuts.empty())
        methods_->addItem(regions_.error.isEmpty() ? tr("(no threshold methods available)")
                                                   : regions_.error);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void RegionsView::applyCut(int index) {
    if (!map_ || !policy_ || index < 0 || index >= int(regions_.cuts.size()))
        return;
    const ThresholdCut& cut = regions_.cuts[std::size_t(index)];
    const QSet<QString> kept(cut.kept.begin(), cut.kept.end());
    PolicyModel::Choices next = policy_->choices();
    const auto keep16 = *precisionOf(PrecisionChoice::Keep16);
    const auto int4 = *precisionOf(PrecisionChoice::Int4);
    for (const QString& name : regions_.names)
        next.insert(name, kept.contains(name) ? keep16 : int4);
    policy_->replaceAll(next, tr("Apply %1").arg(cut.label));
}

} // namespace taskquant::views
