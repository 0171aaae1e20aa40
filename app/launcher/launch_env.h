#pragma once
// What the launchers (`taskquant`, `taskquant-studio`) do before they exec the engine binary
// beside them (`taskquant-engine`, `taskquant-studio-engine`), which links libtorch.
//
// libgomp, the OpenMP runtime of Debian's libtorch and of libopenblas0-openmp, reads its wait
// policy from the environment once, when the library is loaded, so it has to be set before the
// engine process starts. By default its idle threads spin (about 300000 iterations) before
// they sleep; beside other busy processes the spinning threads take the cores the working
// threads need (see core/jobs/runtime.h). The launchers therefore add OMP_WAIT_POLICY=PASSIVE,
// unless the user's environment already sets OMP_WAIT_POLICY or GOMP_SPINCOUNT (a user's
// choice wins).
//
// This library needs nothing of libtorch or Qt: the launchers start in about a millisecond.
// Pure functions, thread-safe.
#include <string>
#include <utility>
#include <vector>

namespace taskquant::launch {

// The variables to add, given the current environment as "NAME=value" entries.
std::vector<std::pair<std::string, std::string>>
defaultOpenMpEnvironment(const std::vector<std::string>& environment);

// Where to find the engine binary `engineName` for a launcher at `launcherPath`, in order:
// beside the launcher (the build tree, or bin/ when installed beside it), then
// <prefix>/libexec/taskquant/ for a launcher in <prefix>/bin/.
std::vector<std::string> engineCandidates(const std::string& launcherPath,
                                          const std::string& engineName);

} // namespace taskquant::launch
