#pragma once
// ProgressThrottle: decides which progress reports of a job reach the GUI: the first one, a
// change of at least `minStep` (default 0.1 %) in fraction, a new message, and completion.
// TimeLeft: seconds left from the fraction done and the elapsed time (linear extrapolation),
// unknown (< 0) until 0.5 % is done and half a second has passed. Plain values; one
// throttle per job, used on its worker thread.
#include <string>

namespace taskquant::studio {

class ProgressThrottle {
  public:
    explicit ProgressThrottle(double minStep = 0.001) : minStep_(minStep) {}
    bool accept(double fraction, const std::string& message);

  private:
    double minStep_;
    bool first_ = true;
    double last_ = 0;
    std::string lastMessage_;
};

// < 0 when unknown.
double estimateSecondsLeft(double fraction, double elapsedSeconds);

} // namespace taskquant::studio
