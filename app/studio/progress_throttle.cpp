#include "app/studio/progress_throttle.h"

#include <cmath>

namespace taskquant::studio {

bool ProgressThrottle::accept(double fraction, const std::string& message) {
    if (!std::isfinite(fraction))
        return false;
    const bool pass = first_ || message != lastMessage_ || std::abs(fraction - last_) >= minStep_ ||
                      (fraction >= 1.0 && last_ < 1.0);
    if (pass) {
        first_ = false;
        last_ = fraction;
        lastMessage_ = message;
    }
    return pass;
}

double estimateSecondsLeft(double fraction, double elapsedSeconds) {
    if (!(fraction >= 0.005) || !(elapsedSeconds >= 0.5) || !std::isfinite(elapsedSeconds))
        return -1;
    if (fraction >= 1)
        return 0;
    return elapsedSeconds * (1 - fraction) / fraction;
}

} // namespace taskquant::studio
