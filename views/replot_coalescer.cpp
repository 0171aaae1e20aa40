#include "views/replot_coalescer.h"

#include <qcustomplot.h>

namespace taskquant::views {

ReplotCoalescer::ReplotCoalescer(QCustomPlot* plot, int delayMs) : QObject(plot), plot_(plot) {
    timer_.setSingleShot(true);
    timer_.setInterval(delayMs);
    connect(&timer_, &QTimer::timeout, this, [this] {
        if (plot_)
            plot_->replot(QCustomPlot::rpQueuedReplot);
    });
}

void ReplotCoalescer::request() {
    if (!timer_.isActive())
        timer_.start();
}

} // namespace taskquant::views
