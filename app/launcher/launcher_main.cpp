// The launcher: sets the OpenMP environment (launch_env.h), then replaces itself with the
// engine binary TASKQUANT_ENGINE_NAME found beside it, passing every argument unchanged. Exit
// status, signals, standard streams and the process id are the engine's.
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#include "app/launcher/launch_env.h"

extern char** environ;

int main(int argc, char** argv) {
    (void)argc;
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e)
        env.emplace_back(*e);
    for (const auto& [name, value] : taskquant::launch::defaultOpenMpEnvironment(env))
        setenv(name.c_str(), value.c_str(), 0);

    char self[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    const std::string launcher = n > 0 ? std::string(self, static_cast<std::size_t>(n)) : argv[0];
    std::string tried;
    for (const auto& path : taskquant::launch::engineCandidates(launcher, TASKQUANT_ENGINE_NAME)) {
        if (access(path.c_str(), X_OK) != 0) {
            tried += "\n  " + path;
            continue;
        }
        execv(path.c_str(), argv);
        std::fprintf(stderr, "%s: cannot start %s: %s\n", TASKQUANT_LAUNCHER_NAME, path.c_str(),
                     std::strerror(errno));
        return 127;
    }
    std::fprintf(stderr, "%s: the engine binary %s is missing; looked in:%s\n",
                 TASKQUANT_LAUNCHER_NAME, TASKQUANT_ENGINE_NAME, tried.c_str());
    return 127;
}
