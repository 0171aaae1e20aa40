#pragma once
// forwardOnly(): progress for people, from any nested job (core/jobs/progress.h); LogPace: when
// such progress gets a line in a log.
#include <memory>
#include <mutex>
#include <string>

#include "core/jobs/progress.h"

namespace taskquant {

// Progress that only goes forward, for what a person watches (the CLI's progress line, the
// studio's Jobs dock), whatever the stages of a nested job report:
//  * the fraction is clamped to 0..1 and never falls below the highest one passed on;
//  * done / total are passed on only when they make sense (total > 0, 0 <= done <= total) and,
//    within one message (one stage), never go down; a stage that restarts its count under the
//    same message, or counts nothing ("0/0"), is passed on without counts.
// Thread-safe (a mutex guards the state); calls `fn` on the reporting thread. Null in, null out.
inline ProgressFn forwardOnly(ProgressFn fn) {
    if (!fn)
        return fn;
    struct State {
        std::mutex mutex;
        double fraction = 0.0;
        std::string message;
        long long done = 0;
    };
    auto state = std::make_shared<State>();
    return [fn = std::move(fn), state](const ProgressInfo& p) {
        ProgressInfo q = p;
        {
            std::lock_guard<std::mutex> lock(state->mutex);
            const double f = p.fraction < 0 ? 0.0 : p.fraction > 1 ? 1.0 : p.fraction;
            state->fraction = f > state->fraction ? f : state->fraction;
            q.fraction = state->fraction;
            const bool valid = p.total > 0 && p.done >= 0 && p.done <= p.total;
            const bool sameStage = p.message == state->message;
            if (!sameStage) {
                state->message = p.message;
                state->done = 0;
            }
            if (valid && p.done >= state->done) {
                state->done = p.done;
            } else {
                q.done = 0;
                q.total = 0;
            }
        }
        fn(q);
    };
}

// When progress written to a log (a file, a Slurm job's output: not a terminal, where a line is
// redrawn) gets its next line: at each tenth of the job; when the stage (the message) changes,
// at most one such line a second; and once a minute whatever happens, so that a long stage in
// less than a tenth of the job (the first Fisher pass of an 8B frontier: ten minutes in the first
// per cent) never leaves the log silent. Not thread-safe: one caller (the forwardOnly chain).
class LogPace {
  public:
    // Whether a report of `p`, `seconds` after the job began, gets a line; remembered if so.
    bool due(const ProgressInfo& p, double seconds) {
        const int tenth = static_cast<int>(p.fraction * 10);
        const double since = seconds - last_;
        const bool line = tenth != tenth_ || (p.message != stage_ && since >= stageSeconds) ||
                          since >= quietSeconds;
        if (line) {
            tenth_ = tenth;
            stage_ = p.message;
            last_ = seconds;
        }
        return line;
    }
    static constexpr double stageSeconds = 1.0, quietSeconds = 60.0;

  private:
    int tenth_ = -1;
    std::string stage_;
    double last_ = 0.0;
};

} // namespace taskquant
