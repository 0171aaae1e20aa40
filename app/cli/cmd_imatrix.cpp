// taskquant imatrix MODEL_DIR --dataset KIND --data FILE [--samples N] [--ctx N] [--seed S]
//                   --out FILE.gguf|FILE.dat
// taskquant imatrix MODEL_DIR --text FILE [--ctx N] [--chunks N] --out FILE.gguf|FILE.dat
// taskquant imatrix [MODEL_DIR] --in FILE [--out FILE.gguf|FILE.dat]
// The importance matrix llama-imatrix computes (per-column sums of squared layer inputs and
// token counts), on a task's calibration samples, in llama.cpp's GGUF imatrix format (or the
// legacy .dat format when --out ends in .dat). --text windows a whole text file exactly as
// llama-imatrix -f FILE -c N windows it (BOS-first windows of N tokens), so the two agree. --in
// reads either format, prints a summary, checks it against MODEL_DIR when given, and converts it
// when --out is given.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "app/cli/calibration_options.h"
#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "app/cli/task_options.h"
#include "core/data/dataset_spec.h"
#include "core/io/imatrix_file.h"
#include "core/io/output_path.h"
#include "core/sensitivity/imatrix.h"
#include "core/util/error.h"

namespace {

struct Options {
    taskquant::cli::CalibrationOptions cal;
    std::string in, text;
    int64_t ctx = 512;
    int64_t chunks = 0;
    bool processOutput = false;
};

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void printSummary(const taskquant::io::Imatrix& m, const std::string& path) {
    using taskquant::io::ImatrixFormat;
    std::cout << path << ": "
              << (m.format == ImatrixFormat::Gguf ? "GGUF imatrix" : "legacy .dat imatrix") << ", "
              << m.entries.size() << " entries, " << m.chunkCount << " chunks";
    if (m.chunkSize)
        std::cout << " of " << m.chunkSize << " tokens";
    std::cout << "\n";
    for (const auto& d : m.datasets)
        std::cout << "  dataset: " << d << "\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-40s %8s %6s %12s %12s %12s\n", "tensor", "columns",
                  m.format == ImatrixFormat::Gguf ? "count" : "ncall", "min", "mean", "max");
    std::cout << line;
    for (const auto& e : m.entries) {
        const auto imp = m.importance(e);
        double sum = 0;
        float lo = imp.empty() ? 0 : imp[0], hi = lo;
        for (float v : imp) {
            sum += v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        const float count = *std::max_element(e.counts.begin(), e.counts.end());
        std::snprintf(line, sizeof line, "  %-40s %8lld %6.0f %12.5g %12.5g %12.5g\n",
                      e.name.c_str(), static_cast<long long>(e.columns), double(count), double(lo),
                      imp.empty() ? 0.0 : sum / imp.size(), double(hi));
        std::cout << line;
    }
}

void write(const taskquant::io::Imatrix& m, const std::string& out, int64_t ctx) {
    using namespace taskquant;
    const bool legacy = endsWith(out, ".dat");
    io::writeImatrix(out, legacy ? m.toLegacy() : m.toGguf(uint32_t(ctx)));
    std::cout << "wrote " << out << " (" << (legacy ? "legacy .dat" : "GGUF") << ", "
              << m.entries.size() << " entries)\n";
}

int run(const Options& o) {
    using namespace taskquant;
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.cal.out}}, {o.cal.modelDir, o.cal.dataPath, o.in});
    if (!o.in.empty()) {
        const io::Imatrix m = io::readImatrix(o.in);
        printSummary(m, o.in);
        if (!o.cal.modelDir.empty()) {
            io::checkImatrixMatches(m, o.in, sensitivity::imatrixTensors(o.cal.modelDir));
            std::cout << "matches the weight matrices of " << o.cal.modelDir << "\n";
        }
        if (!o.cal.out.empty())
            write(m, o.cal.out, o.ctx);
        return 0;
    }
    if (!o.text.empty() && !o.cal.dataset.empty())
        throw Error("give either --text FILE or --dataset KIND, not both");
    if (o.chunks && o.text.empty())
        throw Error("--chunks applies to --text only");
    if (!o.text.empty() && (o.cal.modelDir.empty() || o.cal.out.empty()))
        throw Error("give MODEL_DIR, --text FILE and --out");
    if (o.text.empty() && (o.cal.modelDir.empty() || o.cal.dataset.empty() ||
                           (o.cal.dataPath.empty() && data::datasetKindTakesFile(o.cal.dataset)) ||
                           o.cal.out.empty()))
        throw Error("give MODEL_DIR, --dataset, --data (not for the generated tasks) and "
                    "--out (or --in FILE to read one)");
    sensitivity::ImatrixRunRequest request;
    request.calibration = o.cal.spec();
    request.calibration.maxLength = o.ctx;
    request.options.processOutput = o.processOutput;
    request.textFile = o.text;
    request.maxChunks = o.chunks;
    const std::string what = o.text.empty() ? o.cal.dataset : o.text;
    cli::ProgressPrinter progress("imatrix");
    const io::Imatrix m = sensitivity::runImatrix(
        request, progress.control(), [&](const sensitivity::FisherRunStart& st) {
            std::cerr << "imatrix: " << st.samples << (o.text.empty() ? " samples" : " windows")
                      << " of " << what << " (" << st.tokens << " tokens, context " << o.ctx
                      << ") on " << st.device << " (" << st.dtype << ")\n";
            progress.setTokensPerUnit(double(st.tokens) / double(st.samples));
        });
    progress.finish();
    write(m, o.cal.out, o.ctx);
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "imatrix",
    "Importance matrix as llama-imatrix computes it, on task calibration text (GGUF or .dat "
    "for llama-quantize --imatrix); --in reads and summarises one",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        auto& c = o->cal;
        app.add_option("MODEL_DIR", c.modelDir, "Hugging Face model directory");
        app.add_option("--dataset", c.dataset,
                       "gsm8k, math, wikitext, jsonl, text, or a generated task: arithmetic, "
                       "algebra, stories, lookup, facts");
        app.add_option("--data", c.dataPath, "The dataset file (none for the generated tasks)");
        app.add_option("--field", c.field, "Text field (jsonl; overrides gsm8k/math defaults)");
        app.add_flag("--with-answer", c.withAnswer, "gsm8k/math: append the answer / solution");
        app.add_option("--samples", c.samples, "Calibration samples")
            ->check(CLI::Range(int64_t(1), int64_t(1) << 24))
            ->default_val(64);
        app.add_option("--seed", c.seed, "Sampling seed")->default_val(0);
        app.add_option("--ctx", o->ctx, "Tokens per sample (truncated); imatrix.chunk_size")
            ->check(CLI::Range(int64_t(2), int64_t(1) << 20))
            ->default_val(512);
        app.add_flag("--process-output", o->processOutput,
                     "Also collect output.weight (the untied lm_head), as llama-imatrix does");
        taskquant::cli::addDeviceOptions(app, c.device, c.dtype, /*dtypeFollowsDevice=*/true);
        app.add_option("--out", c.out, "Output imatrix: FILE.gguf (GGUF) or FILE.dat (legacy)");
        app.add_option("--text", o->text,
                       "Instead of --dataset: a whole text file, windowed as llama-imatrix -f "
                       "FILE -c CTX windows it (the whole file tokenized once, BOS-first "
                       "windows of CTX tokens)");
        app.add_option("--chunks", o->chunks,
                       "With --text: at most this many windows (llama-imatrix --chunks; 0 = all)")
            ->check(CLI::Range(int64_t(0), int64_t(1) << 30));
        app.add_option("--in", o->in, "Read an imatrix (GGUF or .dat) and print a summary");
        return [o] { return run(*o); };
    }};

} // namespace
