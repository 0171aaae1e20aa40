// taskquant demo [--out DIR] [--no-gui]: the README's main job on the embedded demo model
// (core/demo/demo_job.h): task maps, the frontier on task A, the task-A policy compared on both
// tasks with llama.cpp's nearest mix and the task-B policy, exported as GGUF and read back, and
// the cross-task matrix with its verdicts (core/eval/transfer.h); the tables, the files written,
// and TaskQuant Studio opened on the result (model, maps, frontier, both policies, the task-A
// policy current: demo_studio.h) when a display is present and the GUI is installed next to this
// binary. taskquant demo --write-data DIR: the demo tasks' held-out problems as JSONL and plain
// text.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "core/demo/demo_data.h"
#include "core/demo/demo_job.h"
#include "core/demo/demo_model_location.h"
#include "core/demo/demo_studio.h"
#include "core/eval/frontier.h"
#include "core/util/error.h"

extern char** environ;

namespace fs = std::filesystem;

namespace {

struct Options {
    std::string out = "out/demo", model, writeData, frontierBits = "4,4.5,5,6",
                transferBits = "3.5,4.5";
    int64_t samples = 64, ctx = 256, chunks = 8, answers = 0, dataCount = 256;
    int64_t transferWindows = 16, transferAnswers = 32;
    bool noTransfer = false;
    uint64_t seed = 0;
    double bits = 4.5;
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

// Starts the GUI detached (it outlives this command, in its own session, with stdin, stdout and
// stderr on /dev/null so a pipe reading this command's output still ends with it); true when
// it started.
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
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, exe.c_str(), &files, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attr);
    return rc == 0;
}

// "model.layers.0.mlp.down_proj.weight" -> "0.down_proj"
std::string shortName(const std::string& n) {
    std::string s = n;
    if (s.rfind("model.layers.", 0) == 0) {
        s = s.substr(13);
        const auto dot = s.find('.');
        const auto last = s.rfind('.', s.size() - 8);
        if (dot != std::string::npos && last != std::string::npos)
            s = s.substr(0, dot) + s.substr(last);
    }
    if (s.size() > 7 && s.compare(s.size() - 7, 7, ".weight") == 0)
        s.resize(s.size() - 7);
    return s;
}

void printTop(const char* title, const taskquant::sensitivity::SensitivityMap& map, int top = 5) {
    std::vector<std::pair<double, std::string>> v;
    double total = 0;
    for (const auto& e : map.entries()) {
        v.push_back({e.score, shortName(e.name)});
        total += e.score;
    }
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::printf("  %-12s", title);
    for (int i = 0; i < top && i < int(v.size()); ++i)
        std::printf("%s%s %.0f%%", i ? ", " : " ", v[i].second.c_str(),
                    total > 0 ? 100 * v[i].first / total : 0.0);
    std::printf("\n");
}

int run(const Options& o) {
    using namespace taskquant;
    const auto t0 = std::chrono::steady_clock::now();
    if (!o.writeData.empty()) {
        const auto written = demo::writeDemoData(o.writeData, o.seed, std::size_t(o.dataCount));
        for (const auto& f : written)
            std::printf("wrote %s\n", f.c_str());
        return 0;
    }
    const std::string model = o.model.empty() ? demo::findDemoModel() : o.model;
    std::cerr << "demo: model " << model << "; task A arithmetic, task B stories (held-out, seed "
              << o.seed << "); policy at " << o.bits << " bits per weight\n";
    demo::DemoJobOptions jo;
    jo.modelDir = model;
    jo.outDir = o.out;
    jo.mapSamples = o.samples;
    jo.seed = o.seed;
    jo.budgetBits = o.bits;
    jo.bits = eval::parseBits(o.frontierBits);
    jo.ctx = o.ctx;
    jo.chunks = o.chunks;
    jo.answerSamples = o.answers;
    jo.transferBits = o.noTransfer ? std::vector<double>{} : eval::parseBits(o.transferBits);
    jo.transferWindows = o.transferWindows;
    jo.transferAnswers = o.transferAnswers;
    cli::ProgressPrinter progress("demo");
    const auto r = demo::runDemoJob(jo, progress.control());
    progress.finish();

    std::printf("\nSpearman rank correlation of the maps over %zu tensors: arithmetic vs stories "
                "%+.3f (over the %zu block matrices %+.3f), arithmetic vs magnitude %+.3f, "
                "stories vs magnitude %+.3f\n",
                r.sharedTensors, r.spearmanTasks, r.sharedMatrices, r.spearmanTasksMatrices,
                r.spearmanAMagnitude, r.spearmanBMagnitude);
    std::printf("most sensitive tensors (share of the map's total):\n");
    printTop("arithmetic",
             sensitivity::SensitivityMap::readFile(o.out + "/arithmetic.fisher.json"));
    printTop("stories", sensitivity::SensitivityMap::readFile(o.out + "/stories.fisher.json"));
    std::printf("frontier on arithmetic: %lld policies; the task-A allocation beats every uniform "
                "type and llama.cpp mix of its size or smaller at %lld of %lld budgets\n\n",
                (long long)r.frontierPoints, (long long)r.winsOverBaselines,
                (long long)(r.winsOverBaselines + r.lossesToBaselines));
    std::printf("%s", r.table().c_str());
    std::printf("(KLD: mean per token against the unquantized model, lower is better; top-1: same "
                "most likely token; GGUF: %zu tensors, %.1f KB)\n\n",
                r.ggufTensors, double(r.ggufBytes) / 1024.0);
    if (r.transfer) {
        // The cross-task matrix: does each task's own policy keep that task better than every
        // other policy of the same size? The verdicts say what the numbers say.
        std::printf("task transfer: every policy on every task's held-out text (KLD mean [95 %% "
                    "interval], exact answers [Wilson 95 %% interval]); policies built from each "
                    "task's calibration split\n");
        std::printf("%s\n", r.transfer->table().c_str());
    }
    for (const auto& [what, path] : r.files)
        std::printf("  %-22s %s\n", what.c_str(), path.c_str());
    // The studio opens the model, the maps, the frontier and both policies, task-A current.
    const std::vector<std::string> studioArgs = demo::studioArguments(model, o.out);
    const std::string studio = o.noGui ? "" : findStudio();
    if (!studio.empty() && displayPresent() && startStudio(studio, studioArgs)) {
        std::printf("\nopened TaskQuant Studio on the model, maps, frontier and policies (%s)\n",
                    studio.c_str());
    } else if (!o.noGui) {
        std::printf("\nopen the result with:\n  taskquant-studio");
        for (const auto& a : studioArgs)
            std::printf(" %s", a.c_str());
        std::printf("\n");
    }
    std::printf(
        "demo: %.1f s (maps %.1f, frontier %.1f, evaluation %.1f, export %.1f, transfer %.1f)\n",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), r.mapsSeconds,
        r.frontierSeconds, r.evalSeconds, r.exportSeconds, r.transferSeconds);
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "demo",
    "The main job on the embedded demo model: task maps, frontier, a task-aware policy "
    "compared on both tasks, exported as GGUF",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("--out", o->out, "Output directory")->capture_default_str();
        app.add_option("--model", o->model, "Model directory (default: the embedded demo model)");
        app.add_option("--samples", o->samples, "Held-out samples per task")
            ->check(CLI::Range(int64_t(2), int64_t(100000)))
            ->capture_default_str();
        app.add_option("--seed", o->seed, "Seed of the generated held-out problems")
            ->capture_default_str();
        app.add_option("--bits", o->bits, "Budget of the task-A policy, bits per weight")
            ->check(CLI::Range(1.0, 32.0))
            ->capture_default_str();
        app.add_option("--frontier-bits", o->frontierBits, "Budgets of the frontier")
            ->capture_default_str();
        app.add_option("--ctx", o->ctx, "Tokens per evaluation window")
            ->check(CLI::Range(int64_t(8), int64_t(1) << 20))
            ->capture_default_str();
        app.add_option("--chunks", o->chunks, "Evaluation windows per task")
            ->check(CLI::Range(int64_t(1), int64_t(1) << 20))
            ->capture_default_str();
        app.add_option(
               "--answers", o->answers,
               "Also count exact answers of greedy generation on this many problems per task")
            ->check(CLI::Range(int64_t(0), int64_t(100000)))
            ->capture_default_str();
        app.add_option("--write-data", o->writeData,
                       "Only write the demo tasks' held-out problems (JSONL and plain text) into "
                       "this directory");
        app.add_option("--count", o->dataCount, "--write-data: problems per task")
            ->check(CLI::Range(int64_t(1), int64_t(100000)))
            ->capture_default_str();
        app.add_option("--transfer-bits", o->transferBits,
                       "Budgets of the cross-task matrix (a low one where greedy answers change, "
                       "and 4.5)")
            ->capture_default_str();
        app.add_option("--transfer-windows", o->transferWindows,
                       "Cross-task matrix: held-out windows of 128 tokens per task")
            ->check(CLI::Range(int64_t(1), int64_t(1) << 20))
            ->capture_default_str();
        app.add_option("--transfer-answers", o->transferAnswers,
                       "Cross-task matrix: greedy-answer problems per task (0 = none)")
            ->check(CLI::Range(int64_t(0), int64_t(100000)))
            ->capture_default_str();
        app.add_flag("--no-transfer", o->noTransfer, "Skip the cross-task matrix");
        app.add_flag("--no-gui", o->noGui, "Do not open TaskQuant Studio");
        return [o] { return run(*o); };
    }};

} // namespace
