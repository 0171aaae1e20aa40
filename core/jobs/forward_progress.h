#pragma once
// forwardOnly(): progress for people, from any nested job (core/jobs/progress.h).
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

} // namespace taskquant
