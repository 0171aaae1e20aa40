#include "core/demo/demo_model_location.h"

#include <cstdlib>
#include <filesystem>

#include "core/util/error.h"

#ifndef TASKQUANT_DEMO_MODEL_SOURCE_PATH
#define TASKQUANT_DEMO_MODEL_SOURCE_PATH ""
#endif
#ifndef TASKQUANT_DEMO_MODEL_INSTALL_PATH
#define TASKQUANT_DEMO_MODEL_INSTALL_PATH ""
#endif

namespace fs = std::filesystem;

namespace taskquant::demo {

std::vector<std::string> demoModelCandidates() {
    std::vector<std::string> out;
    if (const char* env = std::getenv("TASKQUANT_DEMO_MODEL"); env && *env)
        out.emplace_back(env);
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        out.push_back((exe.parent_path().parent_path() / "share/taskquant/demo-model").string());
    for (const char* p : {TASKQUANT_DEMO_MODEL_INSTALL_PATH, TASKQUANT_DEMO_MODEL_SOURCE_PATH})
        if (*p)
            out.emplace_back(p);
    return out;
}

std::string findDemoModel() {
    const auto candidates = demoModelCandidates();
    std::string looked;
    for (const auto& c : candidates) {
        std::error_code ec;
        if (fs::is_regular_file(fs::path(c) / "config.json", ec))
            return c;
        looked += (looked.empty() ? "" : ", ") + c;
    }
    throw Error("the demo model was not found (looked in: " + looked +
                "); set TASKQUANT_DEMO_MODEL or run `taskquant train-demo --out DIR`");
}

} // namespace taskquant::demo
