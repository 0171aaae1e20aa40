// `taskquant`: headless front end of the TaskQuant engine.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "core/jobs/runtime.h"
#include "core/util/error.h"

namespace taskquant::cli {
std::vector<CommandSpec>& commandTable() {
    static std::vector<CommandSpec> table;
    return table;
}
} // namespace taskquant::cli

int main(int argc, char** argv) {
    using namespace taskquant::cli;
    CLI::App app{"taskquant: task-aware sensitivity maps, mixed-precision policies and "
                 "quantized exports for causal language models",
                 "taskquant"};
    // The version line also says how OpenMP waits (the launcher sets it; core/jobs/runtime.h).
    const char* wait = std::getenv("OMP_WAIT_POLICY");
    const char* spin = std::getenv("GOMP_SPINCOUNT");
    app.set_version_flag("--version", std::string("taskquant ") + TASKQUANT_VERSION +
                                          "\nOpenMP: OMP_WAIT_POLICY=" + (wait ? wait : "unset") +
                                          (spin ? std::string(" GOMP_SPINCOUNT=") + spin : ""));
    app.require_subcommand(1);
    int threads = 0;
    app.add_option("--threads", threads,
                   "CPU threads for tensor work (default: TASKQUANT_THREADS, else chosen from the "
                   "model size and the machine's load; see README, Threads)")
        ->check(CLI::Range(1, 1024));
    auto specs = commandTable();
    std::sort(specs.begin(), specs.end(),
              [](const CommandSpec& a, const CommandSpec& b) { return a.name < b.name; });
    std::map<CLI::App*, std::pair<std::string, CommandAction>> actions;
    for (const auto& spec : specs) {
        CLI::App* sub = app.add_subcommand(spec.name, spec.description);
        actions[sub] = {spec.name, spec.setup(*sub)};
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    for (auto& [sub, named] : actions) {
        if (!sub->parsed())
            continue;
        try {
            installInterruptHandlers();
            taskquant::configureThreads(threads);
            const int rc = named.second();
            if (interruptSignal() != 0)
                std::cerr << "taskquant " << named.first
                          << ": note: an interrupt arrived after the work was done; the outputs "
                             "are complete\n";
            return rc;
        } catch (const taskquant::Cancelled&) {
            std::cerr << "taskquant " << named.first
                      << ": cancelled; outputs are as they were before this command\n";
            return 128 + (interruptSignal() ? interruptSignal() : SIGINT);
        } catch (const std::exception& e) {
            std::cerr << "taskquant " << named.first << ": " << e.what() << "\n";
            return 1;
        }
    }
    return 1;
}
