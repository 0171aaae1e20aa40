// taskquant eval MODEL_DIR --policy A.json [--policy B.json ...] --text FILE | --dataset KIND:PATH
//   [--ctx N] [--chunks N] [--gsm8k FILE --gsm8k-n N] [--report OUT.json]
// Compares policies with the unquantized model in one run (one reference forward, reused):
// perplexity, KL divergence, same-top-1 and delta-p as llama.cpp's perplexity tool reports
// them, optionally GSM8K accuracy.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "core/data/load_texts.h"
#include "core/eval/policy_comparison.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/models/model_loader.h"
#include "core/tokenize/tokenizer.h"

namespace {

struct Options {
    std::string dir, text, dataset, field, report, gsm8k, device = "cpu", dtype = "fp32";
    std::vector<std::string> policies;
    int64_t ctx = 512, chunks = 0, gsm8kN = 0, gsm8kTokens = 256;
};

std::string loadEvalText(const Options& o) {
    using namespace taskquant;
    if (!o.text.empty() && !o.dataset.empty())
        throw Error("give either --text or --dataset, not both");
    if (!o.text.empty())
        return io::readFile(o.text);
    if (o.dataset.empty())
        throw Error("no evaluation text: give --text FILE or --dataset KIND:PATH");
    const auto colon = o.dataset.find(':');
    if (colon == std::string::npos)
        throw Error("--dataset wants KIND:PATH (e.g. gsm8k:test.jsonl, wikitext:wiki.test.raw)");
    const std::string kind = o.dataset.substr(0, colon), path = o.dataset.substr(colon + 1);
    const bool answers = data::answerField(kind) != "";
    auto spec = data::makeDatasetSpec(kind, path, o.field, answers);
    std::string all;
    for (const auto& t : data::loadTexts(spec)) {
        if (!all.empty())
            all += "\n\n";
        all += t;
    }
    return all;
}

int run(const Options& o) {
    using namespace taskquant;
    const std::string text = loadEvalText(o);
    std::vector<eval::NamedPolicy> policies;
    for (const auto& p : o.policies)
        policies.push_back({p, policy::Policy::readFile(p)});
    eval::ComparisonOptions opts;
    opts.chunks.ctx = o.ctx;
    opts.chunks.maxChunks = o.chunks;
    opts.gsm8kMaxNewTokens = o.gsm8kTokens;
    if (!o.gsm8k.empty())
        opts.gsm8k = eval::readGsm8k(o.gsm8k, std::size_t(o.gsm8kN));
    auto tok = tokenize::loadTokenizer(o.dir);
    if (tok->addsBos())
        opts.chunks.bosId = tok->bosId();
    const auto tokens = tok->encode(text, false);
    auto model = models::loadModel(o.dir, {o.device, o.dtype});
    cli::ProgressPrinter printer("eval", "chunks");
    const auto rows =
        eval::comparePolicies(*model, tokens, policies, opts, tok.get(), printer.control());
    printer.finish();
    for (const auto& r : rows)
        for (const auto& n : r.notes)
            std::cerr << "note (" << r.name << "): " << n << "\n";
    std::cout << eval::formatComparisonTable(rows);
    if (!o.report.empty()) {
        nlohmann::ordered_json j;
        j["format"] = "taskquant-eval";
        j["version"] = 1;
        j["model"] = o.dir;
        j["text"] = o.text.empty() ? o.dataset : o.text;
        j["ctx"] = o.ctx;
        j["text_tokens"] = tokens.size();
        j["rows"] = eval::comparisonJson(rows);
        io::writeFileAtomically(o.report, j.dump(2) + "\n");
        std::cerr << "report written to " << o.report << "\n";
    }
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "eval", "Compare policies with the unquantized model: perplexity, KL divergence, top-1, "
            "delta p (llama.cpp style), optional GSM8K accuracy",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->dir, "Hugging Face model directory")->required();
        app.add_option("--policy", o->policies, "Policy JSON (repeat to compare several)");
        app.add_option("--text", o->text, "Plain text file to evaluate on");
        app.add_option("--dataset", o->dataset,
                       "KIND:PATH with KIND gsm8k, math (questions with answers), wikitext, "
                       "jsonl, text");
        app.add_option("--field", o->field, "jsonl: the text field");
        app.add_option("--ctx", o->ctx, "Tokens per context window")->default_val(512);
        app.add_option("--chunks", o->chunks, "At most this many windows (0 = all)")
            ->default_val(0);
        app.add_option("--gsm8k", o->gsm8k, "GSM8K JSONL: also measure answer accuracy");
        app.add_option("--gsm8k-n", o->gsm8kN, "GSM8K problems to use (0 = all)")->default_val(0);
        app.add_option("--gsm8k-tokens", o->gsm8kTokens, "Max new tokens per GSM8K answer")
            ->default_val(256);
        app.add_option("--device", o->device, "cpu, cuda or cuda:N")->default_val("cpu");
        app.add_option("--dtype", o->dtype, "fp32, bf16 or fp16")->default_val("fp32");
        app.add_option("--report", o->report, "Write a JSON report here");
        return [o] { return run(*o); };
    }};

} // namespace
