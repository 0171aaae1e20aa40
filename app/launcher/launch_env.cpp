#include "app/launcher/launch_env.h"

namespace taskquant::launch {

namespace {
bool sets(const std::vector<std::string>& environment, const std::string& name) {
    const std::string prefix = name + "=";
    for (const auto& entry : environment)
        if (entry.compare(0, prefix.size(), prefix) == 0)
            return true;
    return false;
}
} // namespace

std::vector<std::pair<std::string, std::string>>
defaultOpenMpEnvironment(const std::vector<std::string>& environment) {
    if (sets(environment, "OMP_WAIT_POLICY") || sets(environment, "GOMP_SPINCOUNT"))
        return {};
    return {{"OMP_WAIT_POLICY", "PASSIVE"}};
}

std::vector<std::string> engineCandidates(const std::string& launcherPath,
                                          const std::string& engineName) {
    const auto slash = launcherPath.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : launcherPath.substr(0, slash);
    std::vector<std::string> out{dir + "/" + engineName};
    out.push_back(dir + "/../libexec/taskquant/" + engineName);
    return out;
}

} // namespace taskquant::launch
