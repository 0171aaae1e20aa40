#include "core/demo/demo_studio.h"

#include <filesystem>

namespace taskquant::demo {

std::vector<std::string> studioArguments(const std::string& modelDir, const std::string& outDir) {
    namespace fs = std::filesystem;
    std::vector<std::string> args{fs::absolute(modelDir).string()};
    for (const char* f : {"arithmetic.fisher.json", "stories.fisher.json", "magnitude.json",
                          "frontier.json", "policy-stories.json", "policy-arithmetic.json"})
        args.push_back(fs::absolute(fs::path(outDir) / f).string());
    return args;
}

} // namespace taskquant::demo
