#pragma once
// Options shared by the commands that evaluate on a task text (frontier, validate, eval), beside
// CalibrationOptions (the sample-based map commands): one declaration of each option, so every
// command spells, documents and defaults them alike.
//  * addText(): --dataset KIND:PATH (or a generated task), --seed, --text FILE, --field;
//  * addWindows(): --ctx, --chunks (the command's default), --device, --dtype (fp32);
//  * addDeviceOptions(): --device and --dtype alone (generate, imatrix, the map commands).
// TaskOptions is the core request (eval::TaskRequest) it fills, so a command passes it as is.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "core/eval/task_setup.h"

namespace taskquant::cli {

struct TaskOptionHelp {
    std::string dataset =
        "KIND:PATH with KIND gsm8k, math, wikitext, jsonl, text; or a generated "
        "task without a file: arithmetic, algebra, stories, lookup, facts (held-out split, "
        "--seed)";
    std::string text = "Plain text file to evaluate on";
    std::string ctx = "Tokens per context window";
    std::string chunks = "At most this many windows (0 = all)";
};

struct TaskOptions : eval::TaskRequest {
    // The bound object must outlive the parse (commands keep it in a shared_ptr).
    void addText(CLI::App& app, const TaskOptionHelp& help = {});
    void addWindows(CLI::App& app, int64_t defaultChunks, const TaskOptionHelp& help = {});
};

// dtypeFollowsDevice: no default value (empty: bf16 on CUDA, fp32 on the CPU, decided by the
// command); otherwise fp32.
void addDeviceOptions(CLI::App& app, std::string& device, std::string& dtype,
                      bool dtypeFollowsDevice = false);

} // namespace taskquant::cli
