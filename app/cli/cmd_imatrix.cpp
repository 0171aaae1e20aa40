// taskquant imatrix MODEL_DIR --dataset KIND --data FILE [--samples N] [--ctx N] [--seed S]
//                   --out FILE.gguf|FILE.dat
// taskquant imatrix [MODEL_DIR] --in FILE [--out FILE.gguf|FILE.dat]
// The importance matrix llama-imatrix computes (per-column sums of squared layer inputs and
// token counts), on a task's calibration samples, in llama.cpp's GGUF imatrix format (or the
// legacy .dat format when --out ends in .dat). --in reads either format, prints a summary,
// checks it against MODEL_DIR when given, and converts it when --out is given.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "app/cli/calibration_options.h"
#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "core/data/dataset_spec.h"
#include "core/io/imatrix_file.h"
#include "core/io/output_path.h"
#include "core/sensitivity/imatrix.h"
#include "core/util/error.h"

namespace {

struct Options {
    taskquant::cli::CalibrationOptions cal;
    std::string in;
    int64_t ctx = 512;
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
    if (o.cal.modelDir.empty() || o.cal.dataset.empty() ||
        (o.cal.dataPath.empty() && data::datasetKindTakesFile(o.cal.dataset)) || o.cal.out.empty())
        throw Error("give MODEL_DIR, --dataset, --data (not for arithmetic, algebra, stories) and "
                    "--out (or --in FILE to read one)");
    sensitivity::ImatrixRunRequest request;
    request.calibration = o.cal.spec();
    request.calibration.maxLength = o.ctx;
    request.options.processOutput = o.processOutput;
    cli::ProgressPrinter progress("imatrix");
    const io::Imatrix m = sensitivity::runImatrix(
        request, progress.control(), [&](const sensitivity::FisherRunStart& st) {
            std::cerr << "imatrix: " << st.samples << " samples of " << o.cal.dataset << " ("
                      << st.tokens << " tokens, context " << o.ctx << ") on " << st.device << " ("
                      << st.dtype << ")\n";
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
                       "algebra, stories");
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
        app.add_option("--device", c.device, "cpu, cuda or cuda:N")->default_val("cpu");
        app.add_option("--dtype", c.dtype,
                       "fp32, bf16 or fp16 (default: bf16 on CUDA, fp32 on CPU)");
        app.add_option("--out", c.out, "Output imatrix: FILE.gguf (GGUF) or FILE.dat (legacy)");
        app.add_option("--in", o->in, "Read an imatrix (GGUF or .dat) and print a summary");
        return [o] { return run(*o); };
    }};

} // namespace
