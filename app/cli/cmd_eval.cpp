// taskquant eval MODEL_DIR --policy A.json [--policy B.json ...] --text FILE | --dataset KIND:PATH
//   [--gguf FILE.gguf ...] [--ctx N] [--chunks N] [--gsm8k FILE --gsm8k-n N] [--report OUT.json]
// Compares policies (and GGUF files, read back into the model) with the unquantized model in
// one run (one reference forward, reused): perplexity, KL divergence, same-top-1 and delta-p as
// llama.cpp's perplexity tool reports them, over its context windows; optionally GSM8K accuracy.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "app/cli/task_options.h"
#include "core/eval/evaluation_run.h"
#include "core/io/atomic_file.h"
#include "core/io/output_path.h"
#include "core/util/error.h"

namespace {

struct Options {
    taskquant::cli::TaskOptions task;
    std::string report, gsm8k, imatrix;
    std::vector<std::string> policies, ggufs;
    bool ggufFloat = false;
    int64_t gsm8kN = 0, gsm8kTokens = 256;
};

// MODEL_DIR given as a .gguf file: say how to evaluate it (config and tokenizer come from the
// Hugging Face directory).
void rejectGgufAsModelDir(const std::string& dir) {
    std::ifstream in(dir, std::ios::binary);
    char magic[4] = {};
    if (in && in.read(magic, 4) && std::string(magic, 4) == "GGUF")
        throw taskquant::Error(dir, "is a GGUF file; give the Hugging Face model directory it was "
                                    "made from (config and tokenizer) as MODEL_DIR and the file "
                                    "with --gguf FILE");
}

int run(const Options& o) {
    using namespace taskquant;
    rejectGgufAsModelDir(o.task.modelDir);
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--report", o.report}}, {o.task.modelDir, o.task.textFile});
    eval::EvaluationRequest request;
    request.ggufFiles = o.ggufs;
    request.ggufCpuArithmetic = !o.ggufFloat;
    request.modelDir = o.task.modelDir;
    request.textFile = o.task.textFile;
    request.dataset = o.task.dataset;
    request.seed = o.task.seed;
    request.field = o.task.field;
    for (const auto& p : o.policies)
        request.policies.emplace_back(p, policy::Policy::readFile(p));
    request.ctx = o.task.ctx;
    request.chunks = o.task.chunks;
    request.device = o.task.device;
    request.dtype = o.task.dtype;
    request.gsm8kFile = o.gsm8k;
    request.gsm8kCount = o.gsm8kN;
    request.gsm8kMaxNewTokens = o.gsm8kTokens;
    request.imatrixFile = o.imatrix;
    cli::ProgressPrinter printer("eval", "chunks");
    const auto result = eval::runEvaluation(request, printer.control());
    printer.finish();
    for (const auto& r : result.rows)
        for (const auto& n : r.notes)
            std::cerr << "note (" << r.name << "): " << n << "\n";
    std::cout << result.table;
    if (!o.report.empty()) {
        nlohmann::ordered_json j;
        j["format"] = "taskquant-eval";
        j["version"] = 1;
        j["model"] = o.task.modelDir;
        j["text"] = o.task.textFile.empty() ? o.task.dataset : o.task.textFile;
        j["ctx"] = o.task.ctx;
        // the tokens read: the whole text's only when it was read whole (--chunks 0)
        j["text_tokens"] = result.textTokens;
        j["text_tokens_counts"] = result.textWhole ? "whole text" : "prefix read for --chunks";
        j["rows"] = result.json;
        io::writeFileAtomically(o.report, j.dump(2) + "\n");
        std::cerr << "report written to " << o.report << "\n";
    }
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "eval",
    "Compare policies with the unquantized model: perplexity, KL divergence, top-1, "
    "delta p (llama.cpp style), optional GSM8K accuracy",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->task.modelDir, "Hugging Face model directory")->required();
        app.add_option("--policy", o->policies, "Policy JSON (repeat to compare several)");
        app.add_option("--gguf", o->ggufs,
                       "GGUF file of this model (ours, convert_hf_to_gguf or llama-quantize) to "
                       "evaluate as one more variant (repeat for several)");
        app.add_flag("--gguf-float", o->ggufFloat,
                     "Evaluate --gguf files in float32 on their dequantized weights, without "
                     "rounding activations as llama.cpp's CPU backend does (q8_0 / q8_K / f16)");
        taskquant::cli::TaskOptionHelp help;
        help.text = "Plain text file to evaluate on, whole and raw: the same windows and figures "
                    "as llama-perplexity -f FILE";
        help.dataset =
            "KIND:PATH with KIND gsm8k, math (questions with answers), wikitext, "
            "jsonl, text. wikitext applies the study's paragraph filter (paragraphs "
            "over 100 characters not starting with ' ='), so it is not the raw text "
            "llama-perplexity reads: use --text FILE for llama-perplexity's figures. "
            "Or a generated task without a file: arithmetic, algebra, stories, lookup, facts "
            "(held-out split, --seed)";
        help.ctx = "Tokens per context window (llama-perplexity -c)";
        help.chunks = "At most this many windows (0 = all; llama-perplexity --chunks)";
        o->task.addText(app, help);
        app.add_option("--gsm8k", o->gsm8k, "GSM8K JSONL: also measure answer accuracy");
        app.add_option("--gsm8k-n", o->gsm8kN, "GSM8K problems to use (0 = all)")->default_val(0);
        app.add_option("--gsm8k-tokens", o->gsm8kTokens, "Max new tokens per GSM8K answer")
            ->default_val(256);
        o->task.addWindows(app, 0, help);
        app.add_option("--report", o->report, "Write a JSON report here");
        app.add_option("--imatrix", o->imatrix,
                       "Importance matrix (GGUF or legacy .dat): quantize importance-weighted");
        return [o] { return run(*o); };
    }};

} // namespace
