#include "core/eval/transfer.h"
#include "core/util/xml_escape.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "core/data/load_texts.h"
#include "core/data/sampling.h"
#include "core/data/synthetic_tasks.h"
#include "core/eval/frontier.h"
#include "core/eval/frontier_baselines.h"
#include "core/eval/gsm8k.h"
#include "core/eval/token_metrics.h"
#include "core/export/apply_policy.h"
#include "core/export/policy_cost.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/models/causal_lm.h"
#include "core/models/model_loader.h"
#include "core/policy/damage_model.h"
#include "core/policy/error_measure.h"
#include "core/policy/policy_builder.h"
#include "core/quant/sizes.h"
#include "core/sensitivity/activation_stats.h"
#include "core/sensitivity/fisher.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"
#include "core/util/shape.h"

namespace taskquant::eval {

namespace {

using Clock = std::chrono::steady_clock;

// Linear interpolation between order statistics; fraction in [0, 1].
double quantile(std::vector<double> v, double fraction) {
    std::sort(v.begin(), v.end());
    const double pos = fraction * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

std::string percentText(double fraction) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", 100.0 * fraction);
    return buf;
}

std::string intervalText(double lo, double hi) {
    return "95 % interval [" + percentText(lo) + ", " + percentText(hi) + "] %";
}

} // namespace

// ---- pure pieces ---------------------------------------------------------------------------

TransferTask parseTransferTask(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 >= text.size())
        throw Error("--task must be NAME=DATASET, e.g. math=gsm8k:test.jsonl or arith=arithmetic "
                    "(got \"" +
                    text + "\")");
    TransferTask t;
    t.name = text.substr(0, eq);
    if (t.name == "mixed" || t.name == "general")
        throw Error("--task name \"" + t.name + "\" is reserved (the mixed and general policies)");
    if (t.name.find(" @") != std::string::npos || t.name.find('"') != std::string::npos)
        throw Error("--task name \"" + t.name + "\" may not contain \" @\" or quotes");
    const std::string ds = text.substr(eq + 1);
    const auto colon = ds.find(':');
    const std::string kind = colon == std::string::npos ? ds : ds.substr(0, colon);
    const std::string path = colon == std::string::npos ? std::string() : ds.substr(colon + 1);
    t.data = data::makeDatasetSpec(kind, path);
    return t;
}

std::pair<double, double> wilsonInterval(int64_t correct, int64_t total, double z) {
    if (total <= 0)
        return {0.0, 1.0};
    const double n = static_cast<double>(total);
    const double p = static_cast<double>(correct) / n;
    const double z2 = z * z;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::pair<double, double> bootstrapMeanInterval(const std::vector<double>& values, int resamples,
                                                uint64_t seed) {
    if (values.empty())
        throw Error("bootstrap of no windows");
    if (resamples < 1)
        throw Error("bootstrap needs at least one resample");
    data::SplitMix64 rng(seed);
    std::vector<double> means;
    means.reserve(static_cast<std::size_t>(resamples));
    const std::size_t n = values.size();
    for (int r = 0; r < resamples; ++r) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i)
            s += values[rng.below(n)];
        means.push_back(s / static_cast<double>(n));
    }
    return {quantile(means, 0.025), quantile(means, 0.975)};
}

GainInterval pairedGain(const std::vector<double>& own, const std::vector<double>& other,
                        int resamples, uint64_t seed) {
    if (own.size() != other.size())
        throw Error("paired gain: " + std::to_string(own.size()) + " windows against " +
                    std::to_string(other.size()));
    if (own.empty())
        throw Error("paired gain of no windows");
    if (resamples < 1)
        throw Error("bootstrap needs at least one resample");
    auto gainOf = [](double a, double b) { return b > 0 ? 1.0 - a / b : 0.0; };
    double so = 0, sb = 0;
    for (std::size_t i = 0; i < own.size(); ++i)
        so += own[i], sb += other[i];
    if (!(sb > 0))
        throw Error("paired gain: the other policy's KLD is zero on every window");
    GainInterval g;
    g.gain = gainOf(so, sb);
    data::SplitMix64 rng(seed);
    std::vector<double> gains;
    gains.reserve(static_cast<std::size_t>(resamples));
    const std::size_t n = own.size();
    for (int r = 0; r < resamples; ++r) {
        double a = 0, b = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t k = rng.below(n);
            a += own[k];
            b += other[k];
        }
        gains.push_back(gainOf(a, b));
    }
    g.low = quantile(gains, 0.025);
    g.high = quantile(gains, 0.975);
    return g;
}

TransferVerdict decideVerdict(const std::string& task, double budgetBits,
                              const std::string& ownPolicy,
                              const std::vector<VerdictCandidate>& others) {
    TransferVerdict v;
    v.task = task;
    v.budgetBits = budgetBits;
    v.ownPolicy = ownPolicy;
    if (others.empty()) {
        v.outcome = "none";
        v.text = "no other policy of equal size to compare with";
        return v;
    }
    // the best other policy: the smallest gain of the own policy over it (ties: first listed)
    const VerdictCandidate* best = &others.front();
    const VerdictCandidate* mixed = nullptr;
    for (const auto& c : others) {
        if (c.gain < best->gain)
            best = &c;
        if (c.builtFor == "mixed" && !mixed)
            mixed = &c;
    }
    v.bestOther = best->label;
    v.gain = best->gain;
    v.gainLow = best->low;
    v.gainHigh = best->high;
    if (mixed) {
        v.mixedGain = mixed->gain;
        v.mixedGainLow = mixed->low;
        v.mixedGainHigh = mixed->high;
    }
    if (best->low > 0) {
        v.outcome = "win";
        v.text = "its own policy beats the best other policy of equal size (" + best->label +
                 ") by " + percentText(best->gain) + " % (" + intervalText(best->low, best->high) +
                 ")";
    } else if (best->high < 0) {
        v.outcome = "loss";
        v.text = "no task-specific gain here: " + best->label + " beats its own policy by " +
                 percentText(-best->gain) + " % (" + intervalText(-best->high, -best->low) + ")";
    } else {
        v.outcome = "tie";
        const std::string who = best == mixed ? std::string("the mixed policy")
                                              : "the best other policy (" + best->label + ")";
        v.text = "no task-specific gain here: " + who + " is within " +
                 percentText(std::fabs(best->gain)) + " % (gain " +
                 intervalText(best->low, best->high) + ")";
    }
    return v;
}

// ---- signals and allocation ----------------------------------------------------------------

TaskSignals measureTaskSignals(models::CausalLM& model,
                               const std::vector<std::vector<int64_t>>& samples,
                               const policy::CalibrationText& text,
                               const std::vector<quant::Precision>& candidates, int threads,
                               uint64_t seed, const JobControl& job) {
    if (samples.empty())
        throw Error("calibration text " + text.dataset + ": no samples");
    TaskSignals s;
    s.text = text;
    // 0-40 %: Fisher map; 40-60 %: per-weight Fisher; 60-70 %: imatrix; 70-100 %: errors
    sensitivity::FisherOptions fo;
    fo.bootstrapResamples = 0;
    sensitivity::SensitivityMap map =
        sensitivity::computeFisher(model, samples, fo, subJob(job, 0, 0.4));
    auto pv = map.provenance();
    pv.dataset = text.dataset;
    s.map = map.withProvenance(pv);
    const auto fisher = sensitivity::elementFisher(model, samples, seed, subJob(job, 0.4, 0.2));
    sensitivity::ImatrixOptions io;
    int64_t longest = 0;
    for (const auto& x : samples)
        longest = std::max<int64_t>(longest, static_cast<int64_t>(x.size()));
    io.chunkSize = static_cast<uint32_t>(std::max<int64_t>(1, longest));
    io.datasets = {text.dataset};
    const io::Imatrix im = sensitivity::computeImatrix(model, samples, io, subJob(job, 0.6, 0.1));
    s.importance =
        sensitivity::modelImportance(im, "imatrix of " + text.dataset, model.directory());
    std::vector<at::Tensor> keep;
    std::vector<policy::WeightView> views;
    for (const auto& p : model.parameters()) {
        if (!policy::allocatesPrecision(p.name) || p.tensor.dim() != 2)
            continue; // block linear weights, embeddings and lm_head
        keep.push_back(p.tensor.detach().to(at::kFloat).cpu().contiguous());
        views.push_back(
            {p.name, keep.back().sizes().vec(), keep.back().data_ptr<float>(), nullptr});
        views.back().importance = s.importance.find(p.name);
        auto f = fisher.find(p.name);
        if (f != fisher.end() && static_cast<int64_t>(f->second.size()) == keep.back().numel())
            views.back().elementWeights = f->second.data();
    }
    policy::ErrorMeasureOptions eo;
    eo.threads = threads;
    eo.importanceLabel = "per-weight Fisher of " + text.dataset + " (codecs: its imatrix)";
    s.errors = policy::measureErrors(views, candidates, eo, subJob(job, 0.7, 0.3));
    return s;
}

policy::Policy allocateTaskPolicy(const sensitivity::SensitivityMap& map,
                                  const policy::ErrorTable& errors,
                                  const std::map<std::string, std::vector<int64_t>>& shapes,
                                  uint64_t budgetBytes,
                                  const std::vector<quant::Precision>& candidates,
                                  const policy::CalibrationText& text) {
    policy::BuildOptions bo;
    bo.method = "optimal";
    bo.choices = candidates;
    bo.errors = &errors;
    bo.damageModel = true;
    bo.budgetBytes = budgetBytes;
    bo.shapes = shapes;
    bo.base.norms = quant::Precision::parse("f32");
    bo.base.biases = quant::Precision::parse("f32");
    policy::Policy p = policy::buildPolicy(map, bo).policy;
    p.provenance.calibration = text;
    p.provenance.mapDataset = text.dataset;
    return p;
}

// ---- the run -------------------------------------------------------------------------------

namespace {

std::string datasetText(const data::DatasetSpec& d) {
    return d.path.empty() ? d.kind : d.kind + ":" + d.path;
}

// One task's texts, split, and its answer problems.
struct TaskData {
    std::string name, dataset, split;
    bool answers = false;
    bool gsm8kAnswers = false;
    std::vector<std::string> calibration, heldOut;
    std::vector<data::SyntheticProblem> demoProblems;
    std::vector<Gsm8kProblem> gsm8kProblems;
};

void splitTexts(const std::vector<std::string>& texts, const std::string& source,
                const TransferOptions& o, std::vector<std::size_t>& calib,
                std::vector<std::size_t>& held) {
    const std::size_t n = texts.size();
    if (n < 2)
        throw Error(source, "has " + std::to_string(n) +
                                " usable text(s); the transfer matrix needs at least 2 "
                                "(calibration and held-out)");
    const auto order = data::sampleIndices(n, n, o.seed);
    const std::size_t nc =
        std::min<std::size_t>(static_cast<std::size_t>(o.calibrationSamples), n / 2);
    const std::size_t nh =
        std::min<std::size_t>(static_cast<std::size_t>(o.heldOutSamples), n - nc);
    calib.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(nc));
    held.assign(order.begin() + static_cast<std::ptrdiff_t>(nc),
                order.begin() + static_cast<std::ptrdiff_t>(nc + nh));
}

TaskData loadTaskData(const std::string& name, const data::DatasetSpec& spec,
                      const TransferOptions& o) {
    data::validateDatasetSpec(spec);
    TaskData t;
    t.name = name;
    t.dataset = datasetText(spec);
    if (!data::datasetKindTakesFile(spec.kind)) {
        const auto task = data::parseSyntheticTask(spec.kind);
        for (const auto& p :
             data::generateProblems(task, data::SyntheticSplit::Train,
                                    static_cast<std::size_t>(o.calibrationSamples), o.seed))
            t.calibration.push_back(p.text());
        t.demoProblems = data::generateProblems(task, data::SyntheticSplit::Test,
                                                static_cast<std::size_t>(o.heldOutSamples), o.seed);
        for (const auto& p : t.demoProblems)
            t.heldOut.push_back(p.text());
        if (static_cast<int64_t>(t.demoProblems.size()) > o.answerProblems)
            t.demoProblems.resize(static_cast<std::size_t>(o.answerProblems));
        t.answers = o.answerProblems > 0;
        t.split = "train";
        return t;
    }
    t.split = "calibration";
    std::vector<std::size_t> calib, held;
    if (spec.kind == "gsm8k") {
        const auto all = readGsm8k(spec.path);
        std::vector<std::string> texts;
        for (const auto& p : all)
            texts.push_back(p.question + "\n" + p.answer);
        splitTexts(texts, spec.path, o, calib, held);
        for (auto i : calib)
            t.calibration.push_back(texts[i]);
        for (auto i : held) {
            t.heldOut.push_back(texts[i]);
            if (static_cast<int64_t>(t.gsm8kProblems.size()) < o.answerProblems)
                t.gsm8kProblems.push_back(all[i]);
        }
        t.answers = t.gsm8kAnswers = o.answerProblems > 0;
        return t;
    }
    data::DatasetSpec s = spec;
    if (!data::answerField(s.kind).empty())
        s.withAnswer = true;
    const auto texts = data::loadTexts(s);
    splitTexts(texts, spec.path, o, calib, held);
    for (auto i : calib)
        t.calibration.push_back(texts[i]);
    for (auto i : held)
        t.heldOut.push_back(texts[i]);
    return t;
}

std::vector<std::vector<int64_t>> calibrationTokens(const tokenize::Tokenizer& tok,
                                                    const std::vector<std::string>& texts,
                                                    int64_t maxLength) {
    std::vector<std::vector<int64_t>> out;
    for (const auto& t : texts) {
        const auto ids = tok.encode(t, true);
        std::vector<int64_t> s(ids.begin(), ids.end());
        if (maxLength > 0 && static_cast<int64_t>(s.size()) > maxLength)
            s.resize(static_cast<std::size_t>(maxLength));
        if (s.size() >= 2)
            out.push_back(std::move(s));
    }
    return out;
}

policy::CalibrationText calibrationOf(const std::string& dataset, const std::string& split,
                                      const std::vector<std::string>& texts) {
    return {dataset, split, static_cast<int64_t>(texts.size()), policy::calibrationHash(texts)};
}

// An evaluation task: its windows, the unquantized model's reference, its answer problems.
struct EvalTask {
    const TaskData* data = nullptr;
    std::vector<std::vector<int64_t>> chunks;
    std::unique_ptr<ReferenceLogProbs> reference;
    int64_t tokens = 0;
};

struct WindowScores {
    std::vector<double> windowKld;
    std::vector<float> tokenKld;
    int64_t same = 0, tokens = 0;
};

WindowScores scoreWindows(models::CausalLM& model, const EvalTask& t, const JobControl& job) {
    WindowScores w;
    at::NoGradGuard noGrad;
    for (std::size_t c = 0; c < t.chunks.size(); ++c) {
        job.check();
        job.report(double(c) / double(t.chunks.size()), "windows of " + t.data->name, c,
                   t.chunks.size());
        const auto& chunk = t.chunks[c];
        const int64_t ctx = static_cast<int64_t>(chunk.size());
        at::Tensor ids = at::tensor(chunk, at::kLong).view({1, ctx}).to(model.device());
        at::Tensor logits = model.logits(ids).squeeze(0);
        logits = logits.narrow(0, firstScored(ctx), scoredPerChunk(ctx)).to(at::kFloat);
        const at::Tensor q = at::log_softmax(logits, -1).cpu();
        const at::Tensor p = t.reference->chunk(c);
        const at::Tensor kl = (p.exp() * (p - q)).sum(-1).to(at::kDouble).contiguous();
        const auto* k = kl.data_ptr<double>();
        double sum = 0;
        for (int64_t i = 0; i < kl.numel(); ++i) {
            sum += k[i];
            w.tokenKld.push_back(static_cast<float>(k[i]));
        }
        w.windowKld.push_back(kl.numel() ? sum / double(kl.numel()) : 0.0);
        w.same += p.argmax(-1).eq(q.argmax(-1)).sum().item<int64_t>();
        w.tokens += kl.numel();
    }
    return w;
}

// Exact answers of greedy generation on the task's answer problems.
std::pair<int64_t, int64_t> answerScore(models::CausalLM& model, const tokenize::Tokenizer& tok,
                                        const TaskData& t, const TransferOptions& o,
                                        const JobControl& job) {
    if (t.gsm8kAnswers) {
        const auto r =
            evaluateGsm8k(model, tok, t.gsm8kProblems, std::max<int64_t>(o.maxNewTokens, 128), job);
        return {r.correct, r.total};
    }
    std::vector<int64_t> stop;
    if (tok.eosId() >= 0)
        stop.push_back(tok.eosId());
    int64_t correct = 0, total = 0;
    for (std::size_t i = 0; i < t.demoProblems.size(); ++i) {
        job.check();
        const auto prompt = tok.encode(t.demoProblems[i].prompt(), true);
        const auto out = model.generate(std::vector<int64_t>(prompt.begin(), prompt.end()),
                                        o.maxNewTokens, stop);
        std::vector<int32_t> ids;
        for (int64_t id : out)
            if (id >= 0 && id < tok.vocabSize())
                ids.push_back(static_cast<int32_t>(id));
        ++total;
        if (data::extractAnswer(tok.decode(ids, true)) == t.demoProblems[i].answer)
            ++correct;
        job.report(double(i + 1) / double(t.demoProblems.size()), "answers of " + t.name, i + 1,
                   t.demoProblems.size());
    }
    return {correct, total};
}

// A policy of the matrix before evaluation.
struct Candidate {
    std::string label, builtFor;
    double budgetBits = 0;
    policy::Policy policy;
    const sensitivity::ModelImportance* importance = nullptr;
};

void checkOptions(const TransferOptions& o) {
    if (o.tasks.empty())
        throw Error("transfer: no task (--task NAME=DATASET)");
    std::set<std::string> names;
    for (const auto& t : o.tasks) {
        if (t.name.empty())
            throw Error("transfer: a task has no name");
        if (!names.insert(t.name).second)
            throw Error("transfer: task name \"" + t.name + "\" given twice");
    }
    if (o.bits.empty())
        throw Error("transfer: no budgets (--bits)");
    if (o.calibrationSamples < 1 || o.heldOutSamples < 1)
        throw Error("transfer: calibration and held-out samples must be at least 1");
    if (o.ctx < 4)
        throw Error("transfer: --ctx must be at least 4");
    if (o.windows < 0 || o.answerProblems < 0 || o.maxNewTokens < 1)
        throw Error("transfer: --windows and --answers must be >= 0, --max-new-tokens >= 1");
    if (o.bootstrapResamples < 1)
        throw Error("transfer: --resamples must be at least 1");
    if (!(o.sizeTolerance >= 0) || o.sizeTolerance > 1)
        throw Error("transfer: the size tolerance must be in [0, 1]");
}

} // namespace

TransferResult runTransfer(const TransferOptions& o, const JobControl& job) {
    const auto t0 = Clock::now();
    checkOptions(o);
    job.report(0.0, "reading the tasks' texts");
    // Data first: a bad file fails before the model loads.
    std::vector<TaskData> tasks;
    for (const auto& t : o.tasks)
        tasks.push_back(loadTaskData(t.name, t.data, o));
    std::optional<TaskData> general;
    if (o.general)
        general = loadTaskData("general", *o.general, o);
    job.check();
    auto tok = tokenize::loadTokenizer(o.modelDir);
    // Held-out windows per task (a too-short held-out text fails before the model loads).
    std::vector<EvalTask> evals(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        evals[i].data = &tasks[i];
        std::string joined;
        for (const auto& s : tasks[i].heldOut)
            joined += (joined.empty() ? "" : "\n\n") + s;
        try {
            evals[i].chunks = makeChunks(perplexityTokens(*tok, joined),
                                         perplexityChunkOptions(*tok, o.ctx, o.windows));
        } catch (const Error& e) {
            throw Error("task " + tasks[i].name + " (" + tasks[i].dataset +
                        "): held-out split: " + e.what());
        }
        evals[i].tokens = static_cast<int64_t>(evals[i].chunks.size()) * scoredPerChunk(o.ctx);
    }
    auto model = models::loadModel(o.modelDir, {o.device, o.dtype});
    job.check();

    TransferResult r;
    r.model = o.modelDir;
    r.ctx = o.ctx;
    r.budgets = o.bits;
    const auto shapes = exporting::parameterShapes(*model);
    std::map<std::string, std::vector<int64_t>> shapeMap;
    for (const auto& s : shapes) {
        shapeMap[s.name] = s.shape;
        r.parameters += checkedNumel(s.shape);
    }
    const auto candidates = o.candidates.empty() ? policy::defaultGgufCandidates() : o.candidates;

    // Signals: each task, mixed, general (0.02 - 0.45).
    std::vector<std::pair<std::string, std::vector<std::string>>> sets; // builtFor, texts
    std::vector<policy::CalibrationText> texts;
    for (const auto& t : tasks) {
        sets.push_back({t.name, t.calibration});
        texts.push_back(calibrationOf(t.dataset, t.split, t.calibration));
    }
    if (tasks.size() > 1) {
        std::vector<std::string> all;
        std::string names;
        for (const auto& t : tasks) {
            all.insert(all.end(), t.calibration.begin(), t.calibration.end());
            names += (names.empty() ? "" : " + ") + t.dataset;
        }
        sets.push_back({"mixed", all});
        texts.push_back(calibrationOf("mixed: " + names, "calibration", all));
    }
    if (general) {
        sets.push_back({"general", general->calibration});
        texts.push_back(calibrationOf(general->dataset, general->split, general->calibration));
    }
    std::vector<TaskSignals> signals;
    for (std::size_t i = 0; i < sets.size(); ++i) {
        const double span = 0.43 / static_cast<double>(sets.size());
        const JobControl j = subJob(job, 0.02 + span * static_cast<double>(i), span);
        j.report(0, "signals of " + sets[i].first);
        const auto samples = calibrationTokens(*tok, sets[i].second, o.maxLength);
        signals.push_back(
            measureTaskSignals(*model, samples, texts[i], candidates, o.threads, o.seed, j));
    }
    for (std::size_t i = 0; i < tasks.size(); ++i)
        r.tasks.push_back(
            {tasks[i].name, tasks[i].dataset, tasks[i].answers,
             static_cast<int64_t>(evals[i].chunks.size()), evals[i].tokens,
             static_cast<int64_t>(tasks[i].gsm8kAnswers ? tasks[i].gsm8kProblems.size()
                                                        : tasks[i].demoProblems.size()),
             texts[i]});

    // The policies of every budget.
    policy::Policy base;
    base.norms = quant::Precision::parse("f32");
    base.biases = quant::Precision::parse("f32");
    const auto mixes = o.recipes ? baselinePolicies(shapes, model->config(), {}, base)
                                 : std::vector<FrontierPolicy>{};
    std::vector<std::pair<uint64_t, const FrontierPolicy*>> mixSizes;
    for (const auto& m : mixes)
        mixSizes.push_back(
            {exporting::planSize(exporting::planPolicy(m.policy, shapes)).bytes, &m});
    std::vector<Candidate> cands;
    for (double b : o.bits) {
        job.check();
        const auto budget =
            static_cast<uint64_t>(std::floor(b * static_cast<double>(r.parameters) / 8.0));
        const std::string tag = " @" + bitsText(b);
        for (std::size_t i = 0; i < sets.size(); ++i) {
            try {
                cands.push_back({sets[i].first + tag, sets[i].first, b,
                                 allocateTaskPolicy(signals[i].map, signals[i].errors, shapeMap,
                                                    budget, candidates, texts[i]),
                                 &signals[i].importance});
            } catch (const Cancelled&) {
                throw;
            } catch (const Error& e) {
                throw Error("transfer: the " + sets[i].first + " policy at " + bitsText(b) +
                            " bits per weight: " + e.what());
            }
        }
        if (!mixSizes.empty()) {
            const auto nearest = std::min_element(
                mixSizes.begin(), mixSizes.end(), [budget](const auto& a, const auto& c) {
                    auto d = [budget](uint64_t x) { return x > budget ? x - budget : budget - x; };
                    return d(a.first) < d(c.first);
                });
            for (std::size_t i = 0; i < tasks.size(); ++i) {
                policy::Policy p = nearest->second->policy;
                p.provenance.calibration = texts[i];
                p.provenance.method = "recipe";
                p.provenance.params["recipe"] = nearest->second->label;
                cands.push_back({nearest->second->label + " imatrix " + tasks[i].name + tag,
                                 nearest->second->label, b, std::move(p), &signals[i].importance});
            }
        }
    }

    // References (0.45 - 0.5), then every policy on every task (0.5 - 1).
    for (std::size_t i = 0; i < evals.size(); ++i) {
        const double span = 0.05 / static_cast<double>(evals.size());
        evals[i].reference = std::make_unique<ReferenceLogProbs>(ReferenceLogProbs::compute(
            *model, evals[i].chunks, subJob(job, 0.45 + span * static_cast<double>(i), span)));
    }
    // The unquantized model's answers: what the accuracy columns are to be read against.
    for (std::size_t i = 0; i < tasks.size(); ++i)
        if (tasks[i].answers)
            r.tasks[i].referenceCorrect =
                answerScore(*model, *tok, tasks[i], o, subJob(job, 0.5, 0)).first;
    exporting::PolicyApplier applier(*model);
    // Identical plans with the same importance matrix hold identical weights: evaluated once.
    std::map<std::string, std::size_t> evaluated; // key -> index of the first cell
    try {
        for (std::size_t c = 0; c < cands.size(); ++c) {
            const Candidate& k = cands[c];
            const double span = 0.5 / static_cast<double>(cands.size());
            const JobControl j = subJob(job, 0.5 + span * static_cast<double>(c), span);
            j.report(0, k.label);
            const auto plan = exporting::planPolicy(k.policy, shapes);
            uint64_t bytes = 0;
            std::string key = k.importance ? k.importance->path : std::string();
            for (const auto& tp : plan) {
                bytes += tp.effective.bytes(tp.shape);
                key += ';' + tp.name + '=' + tp.effective.name();
            }
            r.policies.emplace_back(k.label, k.policy);
            const auto same = evaluated.find(key);
            if (same == evaluated.end()) {
                const auto* imp = k.importance;
                applier.apply(k.policy, subJob(j, 0, 0.1),
                              imp ? quant::ImportanceLookup(
                                        [imp](const std::string& n) { return imp->find(n); })
                                  : quant::ImportanceLookup());
                evaluated.emplace(key, r.cells.size());
            }
            for (std::size_t e = 0; e < evals.size(); ++e) {
                TransferCell cell;
                if (same != evaluated.end()) {
                    cell = r.cells[same->second + e];
                } else {
                    const double es = 0.9 / static_cast<double>(evals.size());
                    const JobControl je = subJob(j, 0.1 + es * static_cast<double>(e), es);
                    const WindowScores w = scoreWindows(*model, evals[e], subJob(je, 0, 0.5));
                    cell.windowKld = w.windowKld;
                    double s = 0;
                    for (double x : w.windowKld)
                        s += x;
                    cell.kldMean = s / static_cast<double>(w.windowKld.size());
                    const auto ci =
                        bootstrapMeanInterval(w.windowKld, o.bootstrapResamples, o.seed + e);
                    cell.kldLow = ci.first;
                    cell.kldHigh = ci.second;
                    cell.kldP99 = percentile(w.tokenKld, 0.99);
                    cell.top1 = w.tokens ? double(w.same) / double(w.tokens) : 0.0;
                    if (tasks[e].answers) {
                        const auto [correct, total] =
                            answerScore(*model, *tok, tasks[e], o, subJob(je, 0.5, 0.5));
                        cell.correct = correct;
                        cell.answered = total;
                        cell.accuracy = total ? double(correct) / double(total) : 0.0;
                        const auto wi = wilsonInterval(correct, total);
                        cell.accuracyLow = wi.first;
                        cell.accuracyHigh = wi.second;
                    }
                }
                cell.budgetBits = k.budgetBits;
                cell.policy = k.label;
                cell.builtFor = k.builtFor;
                cell.evalTask = tasks[e].name;
                cell.bytes = bytes;
                cell.bitsPerWeight = quant::bitsPerWeight(bytes, r.parameters);
                r.cells.push_back(std::move(cell));
            }
            if (same == evaluated.end())
                applier.restore();
        }
    } catch (...) {
        applier.restore();
        throw;
    }

    // Verdicts: the own policy against every other policy of equal size, on its own task.
    for (double b : o.bits) {
        for (std::size_t t = 0; t < tasks.size(); ++t) {
            const std::string own = tasks[t].name + " @" + bitsText(b);
            const TransferCell* mine = r.cell(b, own, tasks[t].name);
            if (!mine)
                continue;
            std::vector<VerdictCandidate> others;
            for (const auto& c : r.cells) {
                if (c.budgetBits != b || c.evalTask != tasks[t].name || c.policy == own)
                    continue;
                const double ratio =
                    static_cast<double>(c.bytes) / static_cast<double>(mine->bytes);
                if (std::fabs(ratio - 1.0) > o.sizeTolerance)
                    continue;
                const auto g =
                    pairedGain(mine->windowKld, c.windowKld, o.bootstrapResamples, o.seed + 17);
                others.push_back({c.policy, c.builtFor, g.gain, g.low, g.high});
            }
            r.verdicts.push_back(decideVerdict(tasks[t].name, b, own, others));
        }
    }
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    job.report(1.0, "transfer matrix done");
    return r;
}

// ---- result --------------------------------------------------------------------------------

const TransferCell* TransferResult::cell(double budgetBits, const std::string& policy,
                                         const std::string& evalTask) const {
    for (const auto& c : cells)
        if (c.budgetBits == budgetBits && c.policy == policy && c.evalTask == evalTask)
            return &c;
    return nullptr;
}

const policy::Policy* TransferResult::policyOf(const std::string& label) const {
    for (const auto& [l, p] : policies)
        if (l == label)
            return &p;
    return nullptr;
}

namespace {

nlohmann::ordered_json optionalNumber(const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json calibrationJson(const policy::CalibrationText& c) {
    return {{"dataset", c.dataset}, {"split", c.split}, {"samples", c.samples}, {"hash", c.hash}};
}

struct Reader {
    const std::string& source;
    [[noreturn]] void fail(const std::string& what) const { throw Error(source, what); }
    const nlohmann::json& at(const nlohmann::json& o, const char* key,
                             const std::string& where) const {
        if (!o.is_object() || !o.contains(key))
            fail(where + ": \"" + key + "\" is missing");
        return o[key];
    }
    std::string str(const nlohmann::json& o, const char* key, const std::string& where) const {
        const auto& v = at(o, key, where);
        if (!v.is_string())
            fail(where + ": \"" + key + "\" must be a string");
        return v.get<std::string>();
    }
    double num(const nlohmann::json& o, const char* key, const std::string& where) const {
        const auto& v = at(o, key, where);
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            fail(where + ": \"" + key + "\" must be a finite number");
        return v.get<double>();
    }
    int64_t count(const nlohmann::json& o, const char* key, const std::string& where) const {
        const auto& v = at(o, key, where);
        if (!v.is_number_integer() || v.get<int64_t>() < 0)
            fail(where + ": \"" + key + "\" must be a non-negative integer");
        return v.get<int64_t>();
    }
    std::pair<double, double> pair(const nlohmann::json& o, const char* key,
                                   const std::string& where) const {
        const auto& v = at(o, key, where);
        if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
            fail(where + ": \"" + key + "\" must be [low, high]");
        return {v[0].get<double>(), v[1].get<double>()};
    }
    std::optional<double> optNum(const nlohmann::json& o, const char* key,
                                 const std::string& where) const {
        const auto& v = at(o, key, where);
        if (v.is_null())
            return std::nullopt;
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            fail(where + ": \"" + key + "\" must be a number or null");
        return v.get<double>();
    }
    policy::CalibrationText calibration(const nlohmann::json& c, const std::string& where) const {
        return {str(c, "dataset", where), str(c, "split", where), count(c, "samples", where),
                str(c, "hash", where)};
    }
};

} // namespace

nlohmann::ordered_json TransferResult::toJson() const {
    using oj = nlohmann::ordered_json;
    oj j;
    j["format"] = "taskquant-transfer";
    j["version"] = 1;
    j["model"] = model;
    j["parameters"] = parameters;
    j["ctx"] = ctx;
    oj names = oj::array(), details = oj::array();
    for (const auto& t : tasks) {
        names.push_back(t.name);
        details.push_back(
            {{"name", t.name},
             {"dataset", t.dataset},
             {"answers", t.answers},
             {"windows", t.windows},
             {"tokens", t.tokens},
             {"answer_problems", t.answerProblems},
             {"reference_correct", t.referenceCorrect ? nlohmann::ordered_json(*t.referenceCorrect)
                                                      : nlohmann::ordered_json(nullptr)},
             {"calibration", calibrationJson(t.calibration)}});
    }
    j["tasks"] = std::move(names);
    j["task_details"] = std::move(details);
    j["budgets"] = budgets;
    oj cs = oj::array();
    for (const auto& c : cells) {
        oj x;
        x["budget_bits"] = c.budgetBits;
        x["policy"] = c.policy;
        x["built_for"] = c.builtFor;
        x["eval_task"] = c.evalTask;
        x["bytes"] = c.bytes;
        x["bits_per_weight"] = c.bitsPerWeight;
        x["kld_mean"] = c.kldMean;
        x["kld_ci95"] = {c.kldLow, c.kldHigh};
        x["kld_p99"] = c.kldP99;
        x["top1"] = c.top1;
        x["accuracy"] = optionalNumber(c.accuracy);
        x["accuracy_ci95"] = c.accuracy ? oj::array({*c.accuracyLow, *c.accuracyHigh}) : oj();
        x["correct"] = c.accuracy ? oj(c.correct) : oj();
        x["answered"] = c.accuracy ? oj(c.answered) : oj();
        cs.push_back(std::move(x));
    }
    j["cells"] = std::move(cs);
    oj vs = oj::array();
    for (const auto& v : verdicts) {
        oj x;
        x["task"] = v.task;
        x["budget_bits"] = v.budgetBits;
        x["outcome"] = v.outcome;
        x["text"] = v.text;
        x["own_policy"] = v.ownPolicy;
        x["best_other"] = v.bestOther;
        x["gain"] = v.gain;
        x["gain_ci95"] = {v.gainLow, v.gainHigh};
        x["mixed_gain"] = optionalNumber(v.mixedGain);
        x["mixed_gain_ci95"] = v.mixedGain ? oj::array({*v.mixedGainLow, *v.mixedGainHigh}) : oj();
        vs.push_back(std::move(x));
    }
    j["verdicts"] = std::move(vs);
    oj ps = oj::object();
    for (const auto& [label, p] : policies)
        ps[label] = p.toJson();
    j["policies"] = std::move(ps);
    j["seconds"] = seconds;
    return j;
}

TransferResult TransferResult::fromJson(const nlohmann::json& j, const std::string& source) {
    const Reader rd{source};
    if (!j.is_object())
        rd.fail("a transfer matrix must be a JSON object");
    if (!j.contains("format") || j["format"] != "taskquant-transfer")
        rd.fail("not a transfer matrix (\"format\" must be \"taskquant-transfer\")");
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != 1)
        rd.fail("unsupported transfer matrix version (this build reads version 1)");
    TransferResult r;
    r.model = j.contains("model") && j["model"].is_string() ? j["model"].get<std::string>() : "";
    r.parameters = rd.count(j, "parameters", "matrix");
    r.ctx = rd.count(j, "ctx", "matrix");
    const auto& names = rd.at(j, "tasks", "matrix");
    if (!names.is_array() || names.empty())
        rd.fail("\"tasks\" must be a non-empty array of names");
    std::set<std::string> taskNames;
    for (const auto& n : names) {
        if (!n.is_string() || n.get<std::string>().empty())
            rd.fail("\"tasks\" must hold non-empty names");
        if (!taskNames.insert(n.get<std::string>()).second)
            rd.fail("task \"" + n.get<std::string>() + "\" listed twice");
        TransferTaskInfo t;
        t.name = n.get<std::string>();
        r.tasks.push_back(t);
    }
    if (j.contains("task_details")) {
        const auto& d = j["task_details"];
        if (!d.is_array() || d.size() != r.tasks.size())
            rd.fail("\"task_details\" must hold one object per task");
        for (std::size_t i = 0; i < d.size(); ++i) {
            const std::string w = "task_details[" + std::to_string(i) + "]";
            if (rd.str(d[i], "name", w) != r.tasks[i].name)
                rd.fail(w + ": name differs from \"tasks\"");
            r.tasks[i].dataset = rd.str(d[i], "dataset", w);
            const auto& a = rd.at(d[i], "answers", w);
            if (!a.is_boolean())
                rd.fail(w + ": \"answers\" must be true or false");
            r.tasks[i].answers = a.get<bool>();
            r.tasks[i].windows = rd.count(d[i], "windows", w);
            r.tasks[i].tokens = rd.count(d[i], "tokens", w);
            r.tasks[i].answerProblems = rd.count(d[i], "answer_problems", w);
            if (d[i].contains("reference_correct") && !d[i]["reference_correct"].is_null())
                r.tasks[i].referenceCorrect = rd.count(d[i], "reference_correct", w);
            r.tasks[i].calibration = rd.calibration(rd.at(d[i], "calibration", w), w);
        }
    }
    const auto& budgets = rd.at(j, "budgets", "matrix");
    if (!budgets.is_array() || budgets.empty())
        rd.fail("\"budgets\" must be a non-empty array of bits per weight");
    for (const auto& b : budgets) {
        if (!b.is_number() || !(b.get<double>() > 0))
            rd.fail("\"budgets\" must hold positive numbers");
        r.budgets.push_back(b.get<double>());
    }
    const auto& ps = rd.at(j, "policies", "matrix");
    if (!ps.is_object())
        rd.fail("\"policies\" must be an object {label: policy}");
    for (auto it = ps.begin(); it != ps.end(); ++it)
        r.policies.emplace_back(
            it.key(),
            policy::Policy::fromJson(it.value(), source + ": policy \"" + it.key() + "\""));
    const auto& cs = rd.at(j, "cells", "matrix");
    if (!cs.is_array())
        rd.fail("\"cells\" must be an array");
    for (std::size_t i = 0; i < cs.size(); ++i) {
        const std::string w = "cells[" + std::to_string(i) + "]";
        const auto& x = cs[i];
        TransferCell c;
        c.budgetBits = rd.num(x, "budget_bits", w);
        c.policy = rd.str(x, "policy", w);
        c.builtFor = rd.str(x, "built_for", w);
        c.evalTask = rd.str(x, "eval_task", w);
        if (!taskNames.count(c.evalTask))
            rd.fail(w + ": eval_task \"" + c.evalTask + "\" is not one of \"tasks\"");
        if (!r.policyOf(c.policy))
            rd.fail(w + ": policy \"" + c.policy + "\" is not in \"policies\"");
        c.bytes = static_cast<uint64_t>(rd.count(x, "bytes", w));
        c.bitsPerWeight = x.contains("bits_per_weight") ? rd.num(x, "bits_per_weight", w) : 0.0;
        c.kldMean = rd.num(x, "kld_mean", w);
        std::tie(c.kldLow, c.kldHigh) = rd.pair(x, "kld_ci95", w);
        c.kldP99 = rd.num(x, "kld_p99", w);
        c.top1 = rd.num(x, "top1", w);
        c.accuracy = rd.optNum(x, "accuracy", w);
        if (c.accuracy) {
            const auto ci = rd.pair(x, "accuracy_ci95", w);
            c.accuracyLow = ci.first;
            c.accuracyHigh = ci.second;
            if (x.contains("correct") && !x["correct"].is_null())
                c.correct = rd.count(x, "correct", w);
            if (x.contains("answered") && !x["answered"].is_null())
                c.answered = rd.count(x, "answered", w);
        }
        r.cells.push_back(std::move(c));
    }
    const auto& vs = rd.at(j, "verdicts", "matrix");
    if (!vs.is_array())
        rd.fail("\"verdicts\" must be an array");
    for (std::size_t i = 0; i < vs.size(); ++i) {
        const std::string w = "verdicts[" + std::to_string(i) + "]";
        const auto& x = vs[i];
        TransferVerdict v;
        v.task = rd.str(x, "task", w);
        v.budgetBits = rd.num(x, "budget_bits", w);
        v.outcome = x.contains("outcome") ? rd.str(x, "outcome", w) : std::string();
        v.text = rd.str(x, "text", w);
        v.ownPolicy = rd.str(x, "own_policy", w);
        v.bestOther = rd.str(x, "best_other", w);
        v.gain = rd.num(x, "gain", w);
        std::tie(v.gainLow, v.gainHigh) = rd.pair(x, "gain_ci95", w);
        if (x.contains("mixed_gain")) {
            v.mixedGain = rd.optNum(x, "mixed_gain", w);
            if (v.mixedGain) {
                const auto ci = rd.pair(x, "mixed_gain_ci95", w);
                v.mixedGainLow = ci.first;
                v.mixedGainHigh = ci.second;
            }
        }
        r.verdicts.push_back(std::move(v));
    }
    if (j.contains("seconds") && j["seconds"].is_number())
        r.seconds = j["seconds"].get<double>();
    return r;
}

TransferResult TransferResult::readFile(const std::string& path) {
    return fromJson(io::readJsonFile(path), path);
}

namespace {

// Policy labels of a budget, in first-seen order.
std::vector<const TransferCell*> rowsOf(const std::vector<TransferCell>& cells, double b) {
    std::vector<const TransferCell*> rows;
    std::set<std::string> seen;
    for (const auto& c : cells)
        if (c.budgetBits == b && seen.insert(c.policy).second)
            rows.push_back(&c);
    return rows;
}

} // namespace

std::string TransferResult::table() const {
    std::ostringstream o;
    char buf[512];
    for (double b : budgets) {
        const auto rows = rowsOf(cells, b);
        std::size_t w = 6;
        for (const auto* r : rows)
            w = std::max(w, r->policy.size());
        o << "budget " << bitsText(b) << " bits per weight: KLD mean [95 % interval], exact "
          << "answers where the task has them\n";
        std::snprintf(buf, sizeof buf, "%-*s %9s", int(w), "policy", "bytes");
        o << buf;
        for (const auto& t : tasks) {
            std::snprintf(buf, sizeof buf, " | %-36s", ("on " + t.name).c_str());
            o << buf;
        }
        o << "\n";
        for (const auto* r : rows) {
            std::snprintf(buf, sizeof buf, "%-*s %9llu", int(w), r->policy.c_str(),
                          static_cast<unsigned long long>(r->bytes));
            o << buf;
            for (const auto& t : tasks) {
                const TransferCell* c = cell(b, r->policy, t.name);
                std::string s;
                if (c) {
                    std::snprintf(buf, sizeof buf, "%.5f [%.5f, %.5f]", c->kldMean, c->kldLow,
                                  c->kldHigh);
                    s = buf;
                    if (c->accuracy) {
                        std::snprintf(buf, sizeof buf, " %lld/%lld", (long long)c->correct,
                                      (long long)c->answered);
                        s += buf;
                    }
                }
                std::snprintf(buf, sizeof buf, " | %-36s", s.c_str());
                o << buf;
            }
            o << "\n";
        }
        std::string ref;
        for (const auto& t : tasks)
            if (t.referenceCorrect)
                ref += (ref.empty() ? "" : ", ") + t.name + " " +
                       std::to_string(*t.referenceCorrect) + "/" + std::to_string(t.answerProblems);
        if (!ref.empty())
            o << "  (unquantized model's exact answers: " << ref << ")\n";
        for (const auto& v : verdicts)
            if (v.budgetBits == b)
                o << "  " << v.task << ": " << v.text << "\n";
        o << "\n";
    }
    return o.str();
}

std::string TransferResult::svg() const {
    const int labelW = 260, cellW = 190, rowH = 34, headH = 46, gap = 26;
    const int verdictH = 16;
    int height = 20;
    for (double b : budgets) {
        height += headH + rowH * static_cast<int>(rowsOf(cells, b).size()) + gap;
        for (const auto& v : verdicts)
            height += v.budgetBits == b ? verdictH : 0;
    }
    const int width = std::max(900, labelW + cellW * static_cast<int>(tasks.size()) + 20);
    std::ostringstream o;
    char buf[256];
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    int y = 20;
    for (double b : budgets) {
        const auto rows = rowsOf(cells, b);
        o << "<text x=\"10\" y=\"" << y + 14 << "\" font-weight=\"bold\">"
          << xmlEscape("budget " + bitsText(b) +
                       " bits per weight: KLD on each task's held-out text (colour: x the "
                       "column's best)")
          << "</text>\n";
        for (std::size_t t = 0; t < tasks.size(); ++t)
            o << "<text x=\"" << labelW + cellW * static_cast<int>(t) + 6 << "\" y=\"" << y + 36
              << "\" font-weight=\"bold\">" << xmlEscape("on " + tasks[t].name) << "</text>\n";
        y += headH;
        for (const auto* r : rows) {
            o << "<text x=\"10\" y=\"" << y + 21 << "\">" << xmlEscape(r->policy) << "</text>\n";
            for (std::size_t t = 0; t < tasks.size(); ++t) {
                const TransferCell* c = cell(b, r->policy, tasks[t].name);
                if (!c)
                    continue;
                double best = c->kldMean;
                for (const auto* q : rows)
                    if (const TransferCell* d = cell(b, q->policy, tasks[t].name))
                        best = std::min(best, d->kldMean);
                // 1x the best: green; 3x and more: red (log scale)
                const double ratio = best > 0 ? c->kldMean / best : 1.0;
                const double f = std::min(1.0, std::log(std::max(1.0, ratio)) / std::log(3.0));
                const int red = static_cast<int>(120 + 135 * f),
                          green = static_cast<int>(220 - 120 * f);
                const int x = labelW + cellW * static_cast<int>(t);
                std::snprintf(buf, sizeof buf, "#%02x%02x%02x", red, green, 120);
                // a task's own policy on its own task: outlined
                o << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << cellW - 4
                  << "\" height=\"" << rowH - 4 << "\" fill=\"" << buf << "\""
                  << (c->builtFor == tasks[t].name ? " stroke=\"black\" stroke-width=\"2\"" : "")
                  << "/>\n";
                std::snprintf(buf, sizeof buf, "%.4f [%.4f, %.4f]", c->kldMean, c->kldLow,
                              c->kldHigh);
                o << "<text x=\"" << x + 4 << "\" y=\"" << y + 13 << "\">" << buf << "</text>\n";
                if (c->accuracy) {
                    std::snprintf(buf, sizeof buf, "answers %lld/%lld [%.0f, %.0f] %%",
                                  (long long)c->correct, (long long)c->answered,
                                  100 * *c->accuracyLow, 100 * *c->accuracyHigh);
                    o << "<text x=\"" << x + 4 << "\" y=\"" << y + 26 << "\">" << buf
                      << "</text>\n";
                }
            }
            y += rowH;
        }
        for (const auto& v : verdicts)
            if (v.budgetBits == b) {
                o << "<text x=\"10\" y=\"" << y + 12 << "\" font-size=\"11\">"
                  << xmlEscape(v.task + ": " + v.text) << "</text>\n";
                y += verdictH;
            }
        y += gap;
    }
    o << "</svg>\n";
    return o.str();
}

} // namespace taskquant::eval
