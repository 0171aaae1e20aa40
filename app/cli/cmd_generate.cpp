// taskquant generate MODEL_DIR --prompt TEXT --max-new-tokens N: greedy decoding.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/task_options.h"
#include "core/models/model_loader.h"
#include "core/tokenize/tokenizer.h"

namespace {

struct Options {
    std::string dir, prompt, device = "cpu", dtype = "fp32";
    int64_t maxNewTokens = 64;
    bool printIds = false, noSpecial = false;
};

int run(const Options& o) {
    using namespace taskquant;
    auto tok = tokenize::loadTokenizer(o.dir);
    auto model = models::loadModel(o.dir, {o.device, o.dtype});
    std::vector<int32_t> prompt32 = tok->encode(o.prompt, !o.noSpecial);
    if (prompt32.empty()) {
        if (tok->bosId() < 0)
            throw Error(o.dir, "empty prompt and the tokenizer has no BOS token to start from");
        prompt32.push_back(tok->bosId());
    }
    std::vector<int64_t> prompt(prompt32.begin(), prompt32.end());
    std::vector<int64_t> stops;
    if (tok->eosId() >= 0)
        stops.push_back(tok->eosId());
    for (auto id : model->config().eosTokenIds)
        if (std::find(stops.begin(), stops.end(), id) == stops.end())
            stops.push_back(id);
    auto out = model->generate(prompt, o.maxNewTokens, stops);
    if (o.printIds) {
        for (std::size_t i = 0; i < out.size(); ++i)
            std::cout << (i ? " " : "") << out[i];
        std::cout << "\n";
        return 0;
    }
    std::vector<int32_t> all(prompt.begin(), prompt.end());
    all.insert(all.end(), out.begin(), out.end());
    std::cout << tok->decode(all, /*skipSpecial=*/true) << "\n";
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "generate", "Greedy text generation with a model (KV cache)", [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->dir, "Hugging Face model directory")->required();
        app.add_option("--prompt", o->prompt, "Prompt text (default: start from BOS)");
        app.add_option("--max-new-tokens", o->maxNewTokens, "Tokens to generate")
            ->check(CLI::Range(int64_t(1), int64_t(1) << 20))
            ->default_val(64);
        taskquant::cli::addDeviceOptions(app, o->device, o->dtype);
        app.add_flag("--print-ids", o->printIds, "Print the generated token ids, not text");
        app.add_flag("--no-special", o->noSpecial, "Do not add BOS/EOS to the prompt");
        return [o] { return run(*o); };
    }};

} // namespace
