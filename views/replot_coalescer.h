#pragma once
// ReplotCoalescer: many change notifications -> one replot. request() starts a single-shot
// timer (delayMs, 40 ms by default) unless one is already pending, so a burst of requests gives
// one replot, delayMs after the first (later requests do not postpone it); when the timer fires
// the plot is replotted with QCustomPlot::rpQueuedReplot. GUI thread.
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

  private:
    QPointer<QCustomPlot> plot_;
    QTimer timer_;
};

} // namespace taskquant::views
