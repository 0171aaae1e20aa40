#pragma once
// Process-wide settings the front ends apply once at start-up, and the thread policy that
// engine loops follow while they run.
//
// Thread policy (the default, when neither --threads nor TASKQUANT_THREADS gives a count):
//   threads = min(work cap, free cores), at least 1, where
//   - work cap: 1 for models under kSmallModelParams parameters (their matrices are too small
//     for a second thread to pay for its synchronisation; measured in bench/bench_threads.sh),
//     else every hardware thread;
//   - free cores: hardware threads minus the runnable threads of OTHER processes, read from
//     /proc/stat's procs_running less this process's own running threads (/proc/self/task).
//   It is applied when a model is loaded (setWorkSize) and re-checked at most every
//   kRecheckSeconds by threadCheckpoint(), which every JobControl::check() calls (through
//   core/jobs/progress.h's checkpointHook, installed by configureThreads) between samples,
//   windows or tensors, so a compile that starts during a long Fisher run takes threads away, and
//   gives them back when it ends.
// An explicit count (--threads, TASKQUANT_THREADS) is used as given and never changed.
//
// OpenMP waiting: libtorch and OpenBLAS (libopenblas0-openmp) share libgomp's pool. By default
// its idle threads spin for about 300000 iterations before sleeping; when the pool has more
// threads than free cores, the spinning threads steal the cores the working ones need (a
// 32-sample stories260K Fisher took 36x as long beside two busy processes). libgomp reads its
// wait policy only from the environment, once, when it is loaded, so the launchers
// (app/launcher) set OMP_WAIT_POLICY=PASSIVE before they start the engine, unless the user set
// OMP_WAIT_POLICY or GOMP_SPINCOUNT themselves (app/launcher/launch_env.h).
//
// Thread-safety: the policy state is process-wide and guarded by a mutex; at::set_num_threads
// sets the calling thread's OpenMP team size, so threadCheckpoint() applies the current
// choice on whichever thread runs the engine (the studio's worker threads included).
#include <cstdint>
#include <string>

namespace taskquant {

constexpr int64_t kSmallModelParams = 2'000'000;
constexpr double kRecheckSeconds = 2.0;

// Chooses the initial thread count: `requested` when > 0, else TASKQUANT_THREADS when set,
// else the default policy above (without a model yet: every free core). Applies it to
// libtorch (intra-op), records whether it was explicit, and returns it. Also keeps
// allocations under 256 MiB on the heap instead of fresh mmap()s: batched Fisher allocates
// and frees tens of MiB per layer, and glibc's default (mmap above 32 MiB, unmapped on free)
// made every one of them page-fault anew (measured: 9.3 s of 48 s in the kernel; 0.59x ->
// 0.69x of the loop's speed with this setting). A malformed TASKQUANT_THREADS (not a whole
// number from 1 to 1024) throws Error naming it.
int configureThreads(int requested = 0);

// Parses a thread count as given by a user ("4"); throws Error naming `what` otherwise.
int parseThreadCount(const std::string& text, const std::string& what);

// The documented rule as a pure function (tested): explicit > 0 wins; otherwise
// min(workCap(params), max(1, hardware - otherRunnable)), params < 0 meaning "no model yet".
int chooseThreads(int explicitCount, int hardware, int64_t params, int otherRunnable);

// Runnable threads of other processes now: /proc/stat procs_running minus this process's
// threads in state R. 0 where /proc cannot be read.
int otherRunnableThreads();

// Tells the policy how large the model is (parameters); re-applies the choice. Called by the
// model loader.
void setWorkSize(int64_t params);

// Re-checks the load at most every kRecheckSeconds and applies the choice to the calling
// thread. Cheap; engine loops call it between units of work. Returns the thread count in use.
int threadCheckpoint();

} // namespace taskquant
