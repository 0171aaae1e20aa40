#pragma once
// What `taskquant demo` opens TaskQuant Studio with: the model directory, the three maps, the
// frontier and both policies, the task-A policy last (so it is the editor's current policy; the
// task-B policy is one Edit > Undo away), and the cross-task matrix (transfer.json) where the
// job wrote one. Absolute paths, in the order the studio opens them.
#include <string>
#include <vector>

namespace taskquant::demo {

std::vector<std::string> studioArguments(const std::string& modelDir, const std::string& outDir);

} // namespace taskquant::demo
