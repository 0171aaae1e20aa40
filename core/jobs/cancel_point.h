#pragma once
// The process's own cancel token, for long work that is handed no JobControl (a tokenizer
// encoding a long text, a parser): the CLI points it at its interrupt token (SIGINT / SIGTERM);
// null (nothing to check) elsewhere. cancellationPoint() throws Cancelled once it was triggered.
#include <atomic>

#include "core/jobs/progress.h"

namespace taskquant {

inline std::atomic<const CancelToken*> processCancel{nullptr};
inline void cancellationPoint() {
    if (const CancelToken* t = processCancel.load(std::memory_order_relaxed))
        t->throwIfCancelled();
}

} // namespace taskquant
