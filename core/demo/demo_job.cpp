#include "core/demo/demo_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "core/data/synthetic_tasks.h"
#include "core/demo/demo_evaluation.h"
#include "core/demo/rank_correlation.h"
#include "core/eval/evaluation_run.h"
#include "core/eval/frontier.h"
#include "core/eval/frontier_plot.h"
#include "core/eval/gguf_weights.h"
#include "core/eval/task_setup.h"
#include "core/eval/token_metrics.h"
#include "core/eval/transfer.h"
#include "core/export/apply_policy.h"
#include "core/export/export_run.h"
#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "core/models/causal_lm.h"
#include "core/models/model_loader.h"
#include "core/models/taxonomy.h"
#include "core/quant/sizes.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"
#include "core/util/shape.h"

namespace fs = std::filesystem;

namespace taskquant::demo {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

JobControl part(const JobControl& job, double from, double span, const std::string& what) {
    JobControl j;
    j.cancel = job.cancel;
    if (job.progress) {
        auto p = job.progress;
        j.progress = [p, from, span, what](const ProgressInfo& i) {
            const double f = i.fraction < 0 ? 0.0 : i.fraction > 1 ? 1.0 : i.fraction;
            p({from + span * f, i.message.empty() ? what : what + ": " + i.message, i.done,
               i.total});
        };
    }
    return j;
}

std::vector<std::vector<int64_t>> taskChunks(const tokenize::Tokenizer& tok,
                                             const std::string& kind, const DemoJobOptions& o) {
    const std::string text = eval::loadEvalText("", kind, "", o.seed);
    eval::ChunkOptions co;
    co.ctx = o.ctx;
    co.maxChunks = o.chunks;
    if (tok.addsBos())
        co.bosId = tok.bosId();
    return eval::makeChunks(tok.encode(text, false), co);
}

} // namespace

namespace {

// What every stage of the demo job shares: the options, the job, the result it fills and the
// output directory's files.
struct DemoRun {
    const DemoJobOptions& o;
    const JobControl& job;
    DemoJobResult& r;
    std::string file(const std::string& name) const { return (fs::path(o.outDir) / name).string(); }
};

// Stage 1: the three maps (two task Fisher maps, magnitude), written, and how they agree.
DemoMaps mapsStage(DemoRun& run, Clock::time_point t0) {
    const DemoJobOptions& o = run.o;
    DemoJobResult& r = run.r;
    DemoMapsOptions mo;
    mo.samples = o.mapSamples;
    mo.seed = o.seed;
    DemoMaps maps = computeDemoMaps(o.modelDir, mo, part(run.job, 0.0, 0.15, "maps"));
    const std::vector<std::pair<std::string, const sensitivity::SensitivityMap*>> mapFiles{
        {"arithmetic.fisher", &maps.arithmetic},
        {"stories.fisher", &maps.stories},
        {"magnitude", &maps.magnitude}};
    for (const auto& [name, map] : mapFiles) {
        map->writeFile(run.file(name + ".json"));
        map->writeCsv(run.file(name + ".csv"));
        r.files.emplace_back("map " + name, run.file(name + ".json"));
    }
    const auto tasks = spearman(maps.arithmetic, maps.stories);
    r.spearmanTasks = tasks.rho;
    r.sharedTensors = tasks.shared;
    {
        std::vector<double> a, b;
        for (const auto& e : maps.arithmetic.entries()) {
            const auto* f = maps.stories.find(e.name);
            if (!f || !models::classify(e.name).isQuantizableWeight())
                continue;
            a.push_back(e.score);
            b.push_back(f->score);
        }
        r.spearmanTasksMatrices = spearman(a, b);
        r.sharedMatrices = a.size();
    }
    r.spearmanAMagnitude = spearman(maps.arithmetic, maps.magnitude).rho;
    r.spearmanBMagnitude = spearman(maps.stories, maps.magnitude).rho;
    r.mapsSeconds = since(t0);
    return maps;
}

// Stage 2: the frontier on task A (the budget of the table among its budgets), written, and
// the optimal task-A points' wins over the baselines of at most their size.
// tf: when the stage began (loading the model and the texts counts as the frontier's time).
eval::FrontierResult frontierStage(DemoRun& run, const DemoMaps& maps, models::CausalLM& model,
                                   const std::vector<std::vector<int64_t>>& chunksA,
                                   Clock::time_point tf) {
    const DemoJobOptions& o = run.o;
    DemoJobResult& r = run.r;
    eval::FrontierOptions fo;
    fo.bits = o.bits;
    if (std::find(fo.bits.begin(), fo.bits.end(), o.budgetBits) == fo.bits.end())
        fo.bits.push_back(o.budgetBits);
    std::sort(fo.bits.begin(), fo.bits.end());
    // The optimal families decide the embedding and the head themselves (frontier.h, Scope);
    // the uniform family keeps this base for them: llama.cpp's Q4_K_M choices (Q4_K, Q6_K)
    // instead of the default f16, as every mix quantizes them.
    fo.base.embeddings = quant::Precision::parse("q4_k");
    fo.base.lmHead = quant::Precision::parse("q6_k");
    const std::vector<eval::FrontierMap> frontierMaps{
        {"arithmetic", maps.arithmetic}, {"stories", maps.stories}, {"magnitude", maps.magnitude}};
    eval::FrontierResult fr = eval::computeFrontier(model, chunksA, frontierMaps, fo,
                                                    part(run.job, 0.15, 0.6, "frontier"));
    r.frontierPoints = static_cast<int64_t>(fr.points.size());
    {
        auto j = fr.toJson();
        j["model"] = o.modelDir;
        j["maps"] = {run.file("arithmetic.fisher.json"), run.file("stories.fisher.json"),
                     run.file("magnitude.json")};
        j["text"] = "arithmetic (held-out, seed " + std::to_string(o.seed) + ")";
        j["ctx"] = o.ctx;
        io::writeFileAtomically(run.file("frontier.json"), j.dump(2) + "\n");
        std::vector<eval::PlotPoint> pts;
        for (const auto& p : fr.points)
            pts.push_back({p.label, p.kind, p.signal, p.bitsPerWeight, p.metrics.kldMean});
        io::writeFileAtomically(run.file("frontier.svg"),
                                eval::frontierSvg(pts, "Task KLD vs size: demo model on arithmetic",
                                                  800, 520,
                                                  "embedding " + fo.base.embeddings.name() +
                                                      ", head " + fo.base.lmHead.name()));
        r.files.emplace_back("frontier", run.file("frontier.json"));
        r.files.emplace_back("frontier plot", run.file("frontier.svg"));
    }
    for (double b : fo.bits) {
        const auto* a = fr.optimalAt("arithmetic", b);
        if (!a)
            continue;
        double best = std::numeric_limits<double>::infinity();
        for (const auto& p : fr.points)
            if ((p.kind == "uniform" || p.kind == "recipe") && p.bytes <= a->bytes)
                best = std::min(best, p.metrics.kldMean);
        if (!std::isfinite(best))
            continue;
        (a->metrics.kldMean < best ? r.winsOverBaselines : r.lossesToBaselines) += 1;
    }
    r.frontierSeconds = since(tf);
    return fr;
}

// Stage 3: the policies of the table, found by their fields: each task's optimal point at the
// budget and the llama.cpp mix nearest to task A's size; the two task policies written.
struct TablePolicies {
    const eval::FrontierPoint *a = nullptr, *b = nullptr, *mix = nullptr;
};
TablePolicies policiesStage(DemoRun& run, const eval::FrontierResult& fr) {
    TablePolicies t;
    t.a = fr.optimalAt("arithmetic", run.o.budgetBits);
    t.b = fr.optimalAt("stories", run.o.budgetBits);
    if (!t.a || !t.b)
        throw Error("demo: no optimal allocation fits " + eval::bitsText(run.o.budgetBits) +
                    " bits per weight on this model");
    for (const auto& p : fr.points)
        if (p.kind == "recipe" &&
            (!t.mix || std::llabs(int64_t(p.bytes) - int64_t(t.a->bytes)) <
                           std::llabs(int64_t(t.mix->bytes) - int64_t(t.a->bytes))))
            t.mix = &p;
    t.a->policy.writeFile(run.file("policy-arithmetic.json"));
    t.b->policy.writeFile(run.file("policy-stories.json"));
    run.r.files.emplace_back("task-A policy", run.file("policy-arithmetic.json"));
    run.r.files.emplace_back("task-B policy", run.file("policy-stories.json"));
    return t;
}

// Measures the model as it is now on both tasks (against the unquantized references), with
// exact answers when asked.
struct TaskMeasure {
    DemoRun& run;
    models::CausalLM& model;
    const tokenize::Tokenizer& tok;
    const std::vector<std::vector<int64_t>>& chunksA;
    const std::vector<std::vector<int64_t>>& chunksB;
    eval::ReferenceLogProbs refA, refB;
    std::vector<data::SyntheticProblem> answersA, answersB;

    TaskMeasure(DemoRun& r, models::CausalLM& m, const tokenize::Tokenizer& t,
                const std::vector<std::vector<int64_t>>& a,
                const std::vector<std::vector<int64_t>>& b)
        : run(r), model(m), tok(t), chunksA(a), chunksB(b),
          refA(eval::ReferenceLogProbs::compute(m, a)),
          refB(eval::ReferenceLogProbs::compute(m, b)) {
        const DemoJobOptions& o = run.o;
        if (o.answerSamples > 0) {
            answersA =
                data::generateProblems(data::SyntheticTask::Arithmetic, data::SyntheticSplit::Test,
                                       std::size_t(o.answerSamples), o.seed + 1);
            answersB =
                data::generateProblems(data::SyntheticTask::Stories, data::SyntheticSplit::Test,
                                       std::size_t(o.answerSamples), o.seed + 1);
        }
    }

    void operator()(DemoRow& row, bool reference) const {
        run.job.check();
        const auto qa = reference ? eval::referenceMetrics(chunksA, refA)
                                  : eval::evaluateAgainst(model, chunksA, refA);
        const auto qb = reference ? eval::referenceMetrics(chunksB, refB)
                                  : eval::evaluateAgainst(model, chunksB, refB);
        row.taskA = {qa.kldMean, qa.sameTop1, qa.ppl};
        row.taskB = {qb.kldMean, qb.sameTop1, qb.ppl};
        if (run.o.answerSamples > 0) {
            const auto aa = answerAccuracy(model, tok, answersA, 64, {nullptr, run.job.cancel});
            const auto ab = answerAccuracy(model, tok, answersB, 48, {nullptr, run.job.cancel});
            row.taskA.correct = aa.correct;
            row.taskA.total = aa.total;
            row.taskB.correct = ab.correct;
            row.taskB.total = ab.total;
        }
    }
};

// Stage 4: the table's rows: the unquantized reference, the mix, the task-B and task-A policies.
void evaluationStage(DemoRun& run, const TablePolicies& t, const TaskMeasure& measure) {
    DemoJobResult& r = run.r;
    {
        DemoRow ref;
        ref.label = "unquantized (F16 file)";
        ref.role = "reference";
        for (const auto& s : exporting::parameterShapes(measure.model))
            ref.bytes += uint64_t(checkedNumel(s.shape)) * 2;
        ref.bitsPerWeight = 16;
        measure(ref, true);
        r.rows.push_back(ref);
    }
    exporting::PolicyApplier applier(measure.model);
    std::vector<std::pair<const eval::FrontierPoint*, std::string>> chosen;
    if (t.mix)
        chosen.emplace_back(t.mix, "llama.cpp mix");
    chosen.emplace_back(t.b, "task-B policy");
    chosen.emplace_back(t.a, "task-A policy");
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const auto& [p, role] = chosen[i];
        run.job.report(0.75 + 0.15 * double(i) / double(chosen.size()), "evaluating " + p->label);
        DemoRow row;
        row.label = p->label + (p->kind == "recipe" ? " (llama.cpp)" : "");
        row.role = role;
        row.bytes = p->bytes;
        row.bitsPerWeight = p->bitsPerWeight;
        row.predictedKldA = p->predictedKld;
        try {
            applier.apply(p->policy);
            measure(row, false);
        } catch (...) {
            applier.restore();
            throw;
        }
        applier.restore();
        r.rows.push_back(row);
    }
}

// Stage 5: the task-A policy exported as GGUF, read back into the model and measured.
void exportStage(DemoRun& run, const eval::FrontierPoint& a, const TaskMeasure& measure) {
    DemoJobResult& r = run.r;
    run.job.report(0.9, "exporting the task-A policy as GGUF");
    const std::string gguf = run.file("demo-arithmetic.gguf");
    // The GGUF carries its story (policy, task map, provenance) and a model card beside it, as
    // `taskquant export --map ... --model-card` writes them.
    exporting::ExportStoryOptions story;
    story.enabled = true;
    story.mapPath = run.file("arithmetic.fisher.json");
    story.modelCard = run.file("README.md");
    story.frontierFigure = run.file("frontier.svg");
    exporting::exportModel(run.o.modelDir, a.policy, exporting::ExportFormat::Gguf, gguf,
                           {nullptr, run.job.cancel}, {}, story);
    r.files.emplace_back("GGUF (task-A policy)", gguf);
    r.files.emplace_back("model card", run.file("README.md"));
    const auto g = io::GgufFile::open(gguf);
    r.ggufTensors = g->tensors().size();
    r.ggufBytes = fs::file_size(gguf);
    eval::GgufWeightSwap swap(measure.model);
    const auto info = swap.apply(gguf, {nullptr, run.job.cancel}, /*llamaCppCpuArithmetic=*/false);
    DemoRow row;
    row.label = "demo-arithmetic.gguf, read back";
    row.role = "GGUF file";
    row.bytes = info.bytes;
    row.bitsPerWeight = quant::bitsPerWeight(info.bytes, measure.model.parameterCount());
    measure(row, false);
    swap.restore();
    r.rows.push_back(row);
}

// Stage 6: the cross-task matrix of the two demo tasks (eval/transfer.h), written as JSON and
// SVG.
void transferStage(DemoRun& run, const JobControl& job) {
    const DemoJobOptions& o = run.o;
    eval::TransferOptions to;
    to.modelDir = o.modelDir;
    to.tasks = {eval::parseTransferTask("arithmetic=arithmetic"),
                eval::parseTransferTask("stories=stories")};
    to.bits = o.transferBits;
    to.calibrationSamples = o.mapSamples;
    to.ctx = 128;
    to.windows = o.transferWindows;
    to.answerProblems = o.transferAnswers;
    to.seed = o.seed;
    eval::TransferResult t = eval::runTransfer(to, job);
    io::writeFileAtomically(run.file("transfer.json"), t.toJson().dump(2) + "\n");
    io::writeFileAtomically(run.file("transfer.svg"), t.svg());
    run.r.files.emplace_back("task transfer", run.file("transfer.json"));
    run.r.files.emplace_back("task transfer plot", run.file("transfer.svg"));
    run.r.transfer = std::move(t);
}

} // namespace

// The stages, in order: maps -> frontier (measure errors, drivers, budgets, build, evaluate) ->
// the table's policies -> their evaluation on both tasks -> GGUF export, read back -> the
// cross-task matrix.
DemoJobResult runDemoJob(const DemoJobOptions& o, const JobControl& outer) {
    const auto t0 = Clock::now();
    if (o.outDir.empty())
        throw Error("demo: no output directory");
    if (!(o.budgetBits > 0))
        throw Error("demo: the budget must be positive");
    std::error_code ec;
    fs::create_directories(o.outDir, ec);
    if (!fs::is_directory(o.outDir))
        throw Error(o.outDir, "cannot create the output directory");
    DemoJobResult r;
    const double early = o.transferBits.empty() ? 1.0 : 0.6; // stages 1-5; 6 the rest
    const JobControl job = eval::subJob(outer, 0.0, early);
    DemoRun run{o, job, r};

    const DemoMaps maps = mapsStage(run, t0);

    const auto tf = Clock::now();
    const auto tok = tokenize::loadTokenizer(o.modelDir);
    const auto chunksA = taskChunks(*tok, "arithmetic", o);
    const auto chunksB = taskChunks(*tok, "stories", o);
    auto model = models::loadModel(o.modelDir);
    const eval::FrontierResult fr = frontierStage(run, maps, *model, chunksA, tf);

    const TablePolicies table = policiesStage(run, fr);

    const auto te = Clock::now();
    job.check();
    const TaskMeasure measure(run, *model, *tok, chunksA, chunksB);
    evaluationStage(run, table, measure);
    r.evalSeconds = since(te);

    const auto tx = Clock::now();
    exportStage(run, *table.a, measure);
    r.exportSeconds = since(tx);
    if (!o.transferBits.empty()) {
        const auto tt = Clock::now();
        transferStage(run, part(outer, early, 1.0 - early, "task transfer"));
        r.transferSeconds = since(tt);
    }
    r.totalSeconds = since(t0);
    io::writeFileAtomically(run.file("summary.json"), r.toJson().dump(2) + "\n");
    r.files.emplace_back("summary", run.file("summary.json"));
    outer.report(1.0, "demo done");
    return r;
}

std::string DemoJobResult::table() const {
    std::string out;
    char line[256];
    const bool answers = !rows.empty() && rows.front().taskA.correct >= 0;
    std::snprintf(line, sizeof line, "%-40s %8s %6s | %-22s | %-22s\n", "", "size", "",
                  answers ? "task A: arithmetic" : "task A: arithmetic",
                  answers ? "task B: stories" : "task B: stories");
    out += line;
    std::snprintf(line, sizeof line, "%-40s %8s %6s | %9s %6s %5s | %9s %6s %5s\n", "policy", "KB",
                  "bpw", "KLD", "top-1", answers ? "exact" : "", "KLD", "top-1",
                  answers ? "exact" : "");
    out += line;
    const auto exact = [](const DemoTaskFigures& f) {
        char b[48];
        if (f.correct < 0)
            return std::string();
        std::snprintf(b, sizeof b, "%lld/%lld", (long long)f.correct, (long long)f.total);
        return std::string(b);
    };
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line,
                      "%-40s %8.1f %6.2f | %9.5f %5.1f%% %5s | %9.5f %5.1f%% %5s\n",
                      r.label.c_str(), double(r.bytes) / 1024.0, r.bitsPerWeight, r.taskA.kld,
                      100 * r.taskA.sameTop1, exact(r.taskA).c_str(), r.taskB.kld,
                      100 * r.taskB.sameTop1, exact(r.taskB).c_str());
        out += line;
    }
    return out;
}

nlohmann::ordered_json DemoJobResult::toJson() const {
    using oj = nlohmann::ordered_json;
    oj j = {{"format", "taskquant-demo-summary"}, {"version", 1}};
    j["spearman"] = {{"tensors", sharedTensors},
                     {"arithmetic_vs_stories", spearmanTasks},
                     {"block_matrices", sharedMatrices},
                     {"arithmetic_vs_stories_block_matrices", spearmanTasksMatrices},
                     {"arithmetic_vs_magnitude", spearmanAMagnitude},
                     {"stories_vs_magnitude", spearmanBMagnitude}};
    j["frontier"] = {{"points", frontierPoints},
                     {"task_a_wins_over_baselines", winsOverBaselines},
                     {"task_a_losses_to_baselines", lossesToBaselines}};
    oj rs = oj::array();
    for (const auto& r : rows) {
        const auto fig = [](const DemoTaskFigures& f) {
            oj t = {{"kld_mean", f.kld}, {"same_top1", f.sameTop1}, {"ppl", f.ppl}};
            if (f.correct >= 0)
                t["exact_answers"] = {{"correct", f.correct}, {"total", f.total}};
            return t;
        };
        oj a = fig(r.taskA);
        if (r.predictedKldA)
            a["predicted_kld"] = *r.predictedKldA;
        rs.push_back({{"label", r.label},
                      {"role", r.role},
                      {"bytes", r.bytes},
                      {"bits_per_weight", r.bitsPerWeight},
                      {"task_a", a},
                      {"task_b", fig(r.taskB)}});
    }
    j["rows"] = rs;
    j["gguf"] = {{"tensors", ggufTensors}, {"file_bytes", ggufBytes}};
    if (transfer) {
        oj vs = oj::array();
        for (const auto& v : transfer->verdicts)
            vs.push_back({{"task", v.task},
                          {"budget_bits", v.budgetBits},
                          {"outcome", v.outcome},
                          {"text", v.text},
                          {"gain", v.gain},
                          {"gain_ci95", {v.gainLow, v.gainHigh}}});
        j["transfer"] = {{"budgets", transfer->budgets}, {"verdicts", vs}};
    }
    oj fs = oj::object();
    for (const auto& [what, path] : files)
        fs[what] = path;
    j["files"] = fs;
    j["seconds"] = {{"maps", mapsSeconds},         {"frontier", frontierSeconds},
                    {"evaluation", evalSeconds},   {"export", exportSeconds},
                    {"transfer", transferSeconds}, {"total", totalSeconds}};
    return j;
}

} // namespace taskquant::demo
