#pragma once
// How many CPU threads the engine's tensor operations use. Debian's libtorch starts with one
// intra-op thread on small machines, so the front ends call configureThreads() once at start-up.
#include <string>

namespace taskquant {

// Chooses the thread count: `requested` when > 0, else the TASKQUANT_THREADS environment
// variable when set, else every hardware thread. Applies it to libtorch (intra-op) and returns
// it. A malformed TASKQUANT_THREADS (not a whole number from 1 to 1024) throws Error naming it.
int configureThreads(int requested = 0);

// Parses a thread count as given by a user ("4"); throws Error naming `what` otherwise.
int parseThreadCount(const std::string& text, const std::string& what);

} // namespace taskquant
