#include "core/demo/demo_studio.h"

#include <filesystem>

namespace taskquant::demo {

std::vector<std::string> studioArguments(const std::string& modelDir, const std::string& outDir) {
    namespace fs = std::filesystem;
    std::vector<std::string> args{fs::absolute(modelDir).string()};
    for (const char* f : {"arithmetic.fisher.json", "stories.fisher.json", "magnitude.json",
                          "frontier.json", "policy-stories.json", "policy-arithmetic.json"})
        args.push_back(fs::absolute(fs::path(outDir) / f).string());
    // The cross-task matrix, where the job computed one (the Task Transfer tab).
    std::error_code ec;
    if (const auto t = fs::path(outDir) / "transfer.json"; fs::is_regular_file(t, ec))
        args.push_back(fs::absolute(t).string());
    return args;
}

} // namespace taskquant::demo
