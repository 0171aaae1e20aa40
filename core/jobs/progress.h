#pragma once
// Progress reporting and cooperative cancellation for every long engine algorithm.
// Thread-safety: CancelToken may be cancelled from any thread; ProgressFn is called on the
// worker thread that runs the algorithm (the GUI's job runner marshals it to the GUI thread).
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "core/util/error.h"

namespace taskquant {

struct ProgressInfo {
    double fraction = 0.0; // 0..1 of the whole job
    std::string message;   // what is being done now, for a status line
    long long done = 0;    // units done (samples, tensors, bytes), 0 if unknown
    long long total = 0;   // units in all, 0 if unknown
};

using ProgressFn = std::function<void(const ProgressInfo&)>;

class CancelToken {
  public:
    void cancel() { flag_.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return flag_.load(std::memory_order_relaxed); }
    void throwIfCancelled() const {
        if (cancelled())
            throw Cancelled();
    }

  private:
    std::atomic<bool> flag_{false};
};

// Called by every JobControl::check(), i.e. between units of work of every engine loop.
// configureThreads() (core/jobs/runtime.h) installs the thread policy's re-check here; null
// (nothing) in programs that never call it. A plain function pointer, so this header and its
// users need nothing of the runtime (the torch-free fuzz build links without it).
inline std::atomic<void (*)()> checkpointHook{nullptr};

// Convenience for algorithms: both optional.
struct JobControl {
    ProgressFn progress;
    const CancelToken* cancel = nullptr;

    void report(double fraction, const std::string& message, long long done = 0,
                long long total = 0) const {
        if (progress)
            progress(ProgressInfo{fraction, message, done, total});
    }
    bool cancelled() const { return cancel && cancel->cancelled(); }
    void check() const {
        if (cancel)
            cancel->throwIfCancelled();
        if (auto hook = checkpointHook.load(std::memory_order_relaxed))
            hook();
    }
};

// The JobControl for one stage of a job: the stage's fractions 0..1 map to
// from .. from + width of `outer`'s; done, total and the message pass through unchanged, or the
// message is replaced by `message` when that is not empty. Same cancel token. No progress
// function when `outer` has none.
inline JobControl subRange(const JobControl& outer, double from, double width,
                           std::string message = {}) {
    JobControl c;
    c.cancel = outer.cancel;
    if (outer.progress) {
        c.progress = [fn = outer.progress, from, width,
                      message = std::move(message)](const ProgressInfo& p) {
            ProgressInfo q = p;
            q.fraction = from + width * p.fraction;
            if (!message.empty())
                q.message = message;
            fn(q);
        };
    }
    return c;
}

} // namespace taskquant
