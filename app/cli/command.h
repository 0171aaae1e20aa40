#pragma once
// The command table of the `taskquant` CLI. Each command lives in its own cmd_<name>.cpp and
// registers itself with a static CommandRegistration:
//
//   static int run(const Options& o);
//   static taskquant::cli::CommandRegistration reg{"info", "Describe a model", [](CLI::App& app) {
//       auto opts = std::make_shared<Options>();
//       app.add_option("MODEL_DIR", opts->dir)->required();
//       return [opts] { return run(*opts); };
//   }};
//
// The setup function declares the command's options on its CLI11 subcommand and returns the
// action to run when that subcommand is chosen. Actions return the process exit code;
// taskquant::Error thrown from them is printed as one line "taskquant <cmd>: <message>".
#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace taskquant::cli {

using CommandAction = std::function<int()>;
using CommandSetup = std::function<CommandAction(CLI::App&)>;

struct CommandSpec {
    std::string name;
    std::string description;
    CommandSetup setup;
};

std::vector<CommandSpec>& commandTable();

struct CommandRegistration {
    CommandRegistration(std::string name, std::string description, CommandSetup setup) {
        commandTable().push_back({std::move(name), std::move(description), std::move(setup)});
    }
};

} // namespace taskquant::cli
