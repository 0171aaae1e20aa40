#pragma once
// ReplotCoalescer: many change notifications -> one replot. request() (re)arms a single-shot
// 40 ms timer; when it fires the plot is replotted with QCustomPlot::rpQueuedReplot. GUI thread.
#include <QObject>
#include <QPointer>
#include <QTimer>

class QCustomPlot;

namespace taskquant::views {

class ReplotCoalescer : public QObject {
    Q_OBJECT
  public:
    explicit ReplotCoalescer(QCustomPlot* plot, int delayMs = 40);
    void request();
    bool pending() const { return timer_.isActive(); }

  private:
    QPointer<QCustomPlot> plot_;
    QTimer timer_;
};

} // namespace taskquant::views
