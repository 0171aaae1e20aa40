#include "views/task_diff_view.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>
#include <qcustomplot.h>

#include "views/heatmap_canvas.h"
#include "views/heatmap_data.h"
#include "views/heatmap_view.h"
#include "views/map_list_model.h"
#include "views/rank_shift_model.h"
#include "views/tensor_selection.h"

namespace taskquant::views {

TaskDiffView::TaskDiffView(QWidget* parent)
    : QWidget(parent), heatmap_(new HeatmapView(this)), curves_(new QCustomPlot(this)),
      table_(new QTableView(this)), shifts_(new RankShiftModel(this)) {
    table_->setModel(shifts_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSortingEnabled(false);
    table_->verticalHeader()->setVisible(false);
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(curves_);
    bottom->addWidget(table_);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(heatmap_);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    curves_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    curves_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    curves_->yAxis->setNumberFormat(QStringLiteral("eb"));
    curves_->yAxis->setNumberPrecision(0);
    curves_->xAxis->setLabel(tr("Tensor rank"));
    curves_->yAxis->setLabel(tr("Score / max"));
    curves_->legend->setVisible(true);
    curves_->setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);

    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!selection_)
            return;
        QSet<QString> names;
        for (const QModelIndex& i : table_->selectionModel()->selectedRows())
            names.insert(shifts_->nameAt(i.row()));
        if (!names.isEmpty())
            selection_->setNames(names);
    });
}

void TaskDiffView::setSelectionModel(TensorSelection* selection) {
    selection_ = selection;
    heatmap_->setSelectionModel(selection);
}

void TaskDiffView::setMaps(std::shared_ptr<const sensitivity::SensitivityMap> a,
                           std::shared_ptr<const sensitivity::SensitivityMap> b) {
    a_ = std::move(a);
    b_ = std::move(b);
    if (!a_ || !b_) {
        comparison_ = {};
        heatmap_->setHeatmapData({});
        shifts_->setComparison({}, QStringLiteral("A"), QStringLiteral("B"));
        curves_->clearGraphs();
        curves_->replot();
        return;
    }
    const QString la = MapListModel::labelOf(*a_), lb = MapListModel::labelOf(*b_);
    // Each map as a share of its maximum: the heatmap shows where the tasks differ in
    // relative sensitivity, not that one task's Fisher scores are larger overall.
    comparison_ = compareMaps(*a_, *b_, true);
    heatmap_->setHeatmapData(HeatmapData::fromComparison(comparison_, la, lb));
    shifts_->setComparison(comparison_, la, lb);
    table_->resizeColumnsToContents();
    rebuildCurves(la, lb);
}

void TaskDiffView::rebuildCurves(const QString& la, const QString& lb) {
    curves_->clearGraphs();
    auto add = [this](const sensitivity::SensitivityMap& m, const QString& label, QColor c) {
        std::vector<double> s = m.scores();
        std::sort(s.begin(), s.end(), std::greater<>());
        const double max = s.empty() ? 0 : s.front();
        QVector<double> x, y;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (max > 0 && s[i] > 0) {
                x.push_back(double(i + 1));
                y.push_back(s[i] / max);
            }
        }
        QCPGraph* g = curves_->addGraph();
        g->setData(x, y, true);
        g->setPen(QPen(c, 2));
        g->setName(label);
    };
    add(*a_, la, QColor(31, 119, 180));
    add(*b_, lb, QColor(214, 39, 40));
    curves_->rescaleAxes();
    const QCPRange y = curves_->yAxis->range();
    curves_->yAxis->setRange(y.lower / 1.5, 1.5);
    curves_->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace taskquant::views
