#include "app/cli/task_options.h"

namespace taskquant::cli {

void TaskOptions::addText(CLI::App& app, const TaskOptionHelp& help) {
    app.add_option("--dataset", dataset, help.dataset);
    app.add_option("--seed", seed, "Generated tasks: seed of the held-out problems")
        ->default_val(0);
    app.add_option("--text", textFile, help.text);
    app.add_option("--field", field, "jsonl: the text field");
}

void TaskOptions::addWindows(CLI::App& app, int64_t defaultChunks, const TaskOptionHelp& help) {
    app.add_option("--ctx", ctx, help.ctx)->default_val(512);
    app.add_option("--chunks", chunks, help.chunks)->default_val(defaultChunks);
    addDeviceOptions(app, device, dtype);
}

void addDeviceOptions(CLI::App& app, std::string& device, std::string& dtype,
                      bool dtypeFollowsDevice) {
    app.add_option("--device", device, "cpu, cuda or cuda:N")->default_val("cpu");
    if (dtypeFollowsDevice)
        app.add_option("--dtype", dtype, "fp32, bf16 or fp16 (default: bf16 on CUDA, fp32 on CPU)");
    else
        app.add_option("--dtype", dtype, "fp32, bf16 or fp16")->default_val("fp32");
}

} // namespace taskquant::cli
