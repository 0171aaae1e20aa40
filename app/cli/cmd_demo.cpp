// taskquant demo [--out DIR]: the README's main job on the embedded demo model. Computes the
// Fisher maps of both synthetic tasks and the magnitude map, writes them, prints the most
// sensitive tensors per task and the rank correlation between the tasks, and opens TaskQuant
// Studio on the result when a display is present and the GUI is installed next to this binary.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/cli/command.h"
#include "app/cli/map_output.h"
#include "app/cli/progress_printer.h"
#include "core/demo/demo_maps.h"
#include "core/demo/demo_model_location.h"
#include "core/demo/rank_correlation.h"
#include "core/util/error.h"

extern char** environ;

namespace fs = std::filesystem;

namespace {

struct Options {
    std::string out = "out/demo", model;
    int64_t samples = 64;
    uint64_t seed = 0;
    bool noGui = false;
};

// The taskquant-studio launcher: beside this engine binary, in the build tree (app/studio/), or
// installed (this binary in <prefix>/libexec/taskquant/, the launcher in <prefix>/bin/).
std::string findStudio() {
    std::error_code ec;
    const auto dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
    if (ec)
        return "";
    for (const auto& p : {dir / "taskquant-studio", dir.parent_path() / "studio/taskquant-studio",
                          dir.parent_path().parent_path() / "bin/taskquant-studio"})
        if (fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0)
            return p.string();
    return "";
}

bool displayPresent() {
    for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY"})
        if (const char* s = std::getenv(v); s && *s)
            return true;
    return false;
}

// Starts the GUI detached (it outlives this command); true when it started.
bool startStudio(const std::string& exe, const std::vector<std::string>& args) {
    std::vector<std::string> all{exe};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, exe.c_str(), nullptr, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    return rc == 0;
}

int run(const Options& o) {
    using namespace taskquant;
    const std::string model = o.model.empty() ? demo::findDemoModel() : o.model;
    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (!fs::is_directory(o.out))
        throw Error(o.out, "cannot create the output directory");
    std::cerr << "demo: model " << model << ", " << o.samples
              << " held-out samples per task (synthetic arithmetic and algebra)\n";

    cli::ProgressPrinter progress("demo");
    demo::DemoMapsOptions mo;
    mo.samples = o.samples;
    mo.seed = o.seed;
    const auto maps = demo::computeDemoMaps(model, mo, progress.control());
    progress.finish();

    const std::string arith = o.out + "/arithmetic.fisher.json",
                      alg = o.out + "/algebra.fisher.json", mag = o.out + "/magnitude.json";
    std::printf("\n== task: arithmetic ==\n");
    cli::writeMapOutputs(maps.arithmetic, arith, o.out + "/arithmetic.fisher.csv");
    std::printf("\n== task: algebra ==\n");
    cli::writeMapOutputs(maps.algebra, alg, o.out + "/algebra.fisher.csv");
    std::printf("\n== magnitude ==\n");
    cli::writeMapOutputs(maps.magnitude, mag, o.out + "/magnitude.csv");

    const auto tasks = demo::spearman(maps.arithmetic, maps.algebra);
    const auto am = demo::spearman(maps.arithmetic, maps.magnitude);
    const auto gm = demo::spearman(maps.algebra, maps.magnitude);
    std::printf("\nSpearman rank correlation over %zu tensors:\n", tasks.shared);
    std::printf("  arithmetic vs algebra    %+.3f\n", tasks.rho);
    std::printf("  arithmetic vs magnitude  %+.3f\n", am.rho);
    std::printf("  algebra vs magnitude     %+.3f\n", gm.rho);

    const std::string studio = o.noGui ? "" : findStudio();
    if (!studio.empty() && displayPresent() &&
        startStudio(studio, {fs::absolute(model).string(), fs::absolute(arith).string(),
                             fs::absolute(alg).string(), fs::absolute(mag).string()})) {
        std::printf("\nopened TaskQuant Studio on the maps (%s)\n", studio.c_str());
    } else {
        std::printf("\nmaps are in %s; open them with:\n  taskquant-studio %s %s %s %s\n",
                    o.out.c_str(), model.c_str(), arith.c_str(), alg.c_str(), mag.c_str());
    }
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "demo", "Sensitivity maps of the embedded demo model for its two tasks, and how they differ",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("--out", o->out, "Output directory for the maps")->capture_default_str();
        app.add_option("--model", o->model, "Model directory (default: the embedded demo model)");
        app.add_option("--samples", o->samples, "Held-out samples per task")
            ->check(CLI::Range(int64_t(2), int64_t(100000)))
            ->capture_default_str();
        app.add_option("--seed", o->seed, "Seed of the generated held-out problems")
            ->capture_default_str();
        app.add_flag("--no-gui", o->noGui, "Do not open TaskQuant Studio");
        return [o] { return run(*o); };
    }};

} // namespace
