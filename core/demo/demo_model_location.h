#pragma once
// Where the committed demo model (resources/demo-model, trained by `taskquant train-demo`) is
// found at run time. Candidates, in order:
//   $TASKQUANT_DEMO_MODEL,
//   <dir of /proc/self/exe>/../share/taskquant/demo-model   (a relocated installation),
//   the install path (CMAKE_INSTALL_PREFIX/share/taskquant/demo-model),
//   the source tree's resources/demo-model (for the build tree).
// The first that holds a config.json wins. Thread-safe; reads the file system only.
#include <string>
#include <vector>

namespace taskquant::demo {

std::vector<std::string> demoModelCandidates();

// The demo model directory; throws Error listing every place looked at when none exists.
std::string findDemoModel();

} // namespace taskquant::demo
