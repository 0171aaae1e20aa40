#pragma once
// Process-wide settings the front ends apply once at start-up: how many CPU threads tensor
// operations use (Debian's libtorch starts with one intra-op thread on small machines) and how
// the C allocator treats the large, short-lived tensors of batched passes.
#include <string>

namespace taskquant {

// Chooses the thread count: `requested` when > 0, else the TASKQUANT_THREADS environment
// variable when set, else every hardware thread. Applies it to libtorch (intra-op) and returns
// it. Also keeps allocations under 256 MiB on the heap instead of fresh mmap()s: batched
// Fisher allocates and frees tens of MiB per layer, and glibc's default (mmap above 32 MiB,
// unmapped on free) made every one of them page-fault anew (measured: 9.3 s of 48 s in the
// kernel; 0.59x -> 0.69x of the loop's speed with this setting). A malformed TASKQUANT_THREADS (not a whole number from 1 to 1024) throws Error naming it.
int configureThreads(int requested = 0);

// Parses a thread count as given by a user ("4"); throws Error naming `what` otherwise.
int parseThreadCount(const std::string& text, const std::string& what);

} // namespace taskquant
