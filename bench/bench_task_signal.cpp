// Research probe for issue 26 item 4 (not a test): does a task's own signal give the best
// equal-size policy on its own task, on a demo-style model with the synthetic tasks?
//
//   bench_task_signal MODEL_DIR [--bits 3.5,4.5] [--chunks 16] [--ctx 256] [--map-samples 128]
//                     [--oracle q2_k] [--answers 0] [--tasks arithmetic,stories]
//
// Prints, for two or more tasks:
//  1. the Fisher maps' mass shares and Spearman rank correlation (over all tensors and over the
//     block matrices), and the same for the per-tensor mean of each task text's per-weight
//     (true, model-sampled) Fisher;
//  2. an oracle: the KLD on each task of quantizing ONE tensor to `--oracle` (everything else
//     unquantized), per tensor, and the oracle rankings' Spearman between the tasks - whether
//     the tasks load different parts of the network at all;
//  3. for every budget: each task's frontier on its own calibration text (different problems
//     from the evaluation text) gives the optimal policy of each signal (its Fisher map, the
//     task text's Fisher, errors only), and every policy is evaluated on every task's held-out
//     text per window: KLD mean with a bootstrap 95 % interval over windows (and exact answers
//     of greedy generation when --answers > 0).
// Everything on the CPU in fp32; deterministic for fixed seeds.
//
// Any generated task works with --tasks, including the two meant to load different parts of the
// network (lookup: in-context retrieval; facts: memorised recall), e.g. on a model retrained
// with them (README, "cross-task"):
//   taskquant train-demo --out m1 --steps 600 --train-arithmetic 12000 --train-stories 8000 \
//       --train-lookup 10000 --train-facts 10000
//   bench_task_signal m1 --tasks lookup,facts,arithmetic,stories --no-frontier --ctx 128
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/data/synthetic_tasks.h"
#include "core/demo/demo_evaluation.h"
#include "core/demo/rank_correlation.h"
#include "core/eval/evaluation_run.h"
#include "core/eval/frontier.h"
#include "core/eval/token_metrics.h"
#include "core/export/apply_policy.h"
#include "core/models/causal_lm.h"
#include "core/models/model_loader.h"
#include "core/models/taxonomy.h"
#include "core/policy/damage_model.h"
#include "core/sensitivity/activation_stats.h"
#include "core/sensitivity/fisher.h"
#include "core/tokenize/tokenizer.h"

using namespace taskquant;

namespace {

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t b = 0;
    while (b <= s.size()) {
        auto e = s.find(',', b);
        if (e == std::string::npos)
            e = s.size();
        if (e > b)
            out.push_back(s.substr(b, e - b));
        b = e + 1;
    }
    return out;
}

std::string shortName(const std::string& n) {
    std::string s = n;
    if (s.rfind("model.layers.", 0) == 0) {
        s = s.substr(13);
        const auto dot = s.find('.');
        const auto last = s.rfind('.', s.size() - 8);
        if (dot != std::string::npos && last != std::string::npos)
            s = s.substr(0, dot) + s.substr(last);
    }
    if (s.size() > 7 && s.compare(s.size() - 7, 7, ".weight") == 0)
        s.resize(s.size() - 7);
    return s;
}

struct Windows {
    std::vector<std::vector<int64_t>> chunks;
    std::vector<eval::ReferenceLogProbs> refs; // one per window
};

Windows windowsOf(models::CausalLM& model, const tokenize::Tokenizer& tok, const std::string& kind,
                  uint64_t seed, int64_t ctx, int64_t chunks) {
    Windows w;
    const std::string text = eval::loadEvalText("", kind, "", seed);
    eval::ChunkOptions co;
    co.ctx = ctx;
    co.maxChunks = chunks;
    if (tok.addsBos())
        co.bosId = tok.bosId();
    w.chunks = eval::makeChunks(tok.encode(text, false), co);
    for (const auto& c : w.chunks)
        w.refs.push_back(eval::ReferenceLogProbs::compute(model, {c}));
    return w;
}

struct Kld {
    double mean = 0, lo = 0, hi = 0;
    std::vector<double> perWindow;
};

Kld kldOf(models::CausalLM& model, const Windows& w) {
    Kld k;
    for (std::size_t i = 0; i < w.chunks.size(); ++i)
        k.perWindow.push_back(eval::evaluateAgainst(model, {w.chunks[i]}, w.refs[i]).kldMean);
    const std::size_t n = k.perWindow.size();
    for (double v : k.perWindow)
        k.mean += v / double(n);
    std::mt19937_64 rng(12345);
    std::vector<double> means;
    for (int b = 0; b < 2000; ++b) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i)
            s += k.perWindow[rng() % n];
        means.push_back(s / double(n));
    }
    std::sort(means.begin(), means.end());
    k.lo = means[std::size_t(0.025 * means.size())];
    k.hi = means[std::size_t(0.975 * means.size()) - 1];
    return k;
}

void printMass(const char* title, const std::map<std::string, double>& scores) {
    double total = 0;
    std::vector<std::pair<double, std::string>> v;
    for (const auto& [n, s] : scores) {
        total += s;
        v.push_back({s, shortName(n)});
    }
    std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.first > b.first; });
    std::printf("  %-28s", title);
    for (std::size_t i = 0; i < v.size() && i < 6; ++i)
        std::printf(" %s %.0f%%", v[i].second.c_str(), 100 * v[i].first / total);
    std::printf("\n");
}

double spearmanOf(const std::map<std::string, double>& a, const std::map<std::string, double>& b,
                  bool matricesOnly) {
    std::vector<double> x, y;
    for (const auto& [n, s] : a) {
        const auto it = b.find(n);
        if (it == b.end())
            continue;
        if (matricesOnly && !models::classify(n).isQuantizableWeight())
            continue;
        x.push_back(s);
        y.push_back(it->second);
    }
    return demo::spearman(x, y);
}

std::map<std::string, double> scoresOf(const sensitivity::SensitivityMap& m) {
    std::map<std::string, double> out;
    for (const auto& e : m.entries())
        out[e.name] = e.score;
    return out;
}

// Per-problem texts with the positions that predict the worked solution (the answer part):
// KLD of the model as it is now against the reference, over those positions only ("answer")
// or over the question's positions only ("question").
struct AnswerProbe {
    demo::PaddedBatch batch;
    at::Tensor answerMask, questionMask; // [B, T-1]: position t predicts token t+1
    at::Tensor refLogProbs;              // [B, T-1, V]
};

AnswerProbe answerProbe(models::CausalLM& model, const tokenize::Tokenizer& tok,
                        const std::string& task, std::size_t count) {
    const auto problems = data::generateProblems(data::parseSyntheticTask(task),
                                                 data::SyntheticSplit::Test, count, 0);
    std::vector<std::vector<int64_t>> samples;
    std::vector<int64_t> starts;
    for (const auto& p : problems) {
        samples.push_back(demo::encodeSample(tok, p.text(), 256));
        starts.push_back(int64_t(tok.encode(p.prompt(), true).size()));
    }
    std::vector<const std::vector<int64_t>*> ptrs;
    for (const auto& s : samples)
        ptrs.push_back(&s);
    AnswerProbe a;
    a.batch = demo::padBatch(ptrs, at::kCPU);
    const int64_t B = a.batch.ids.size(0), T = a.batch.ids.size(1);
    a.answerMask = torch::zeros({B, T - 1});
    a.questionMask = torch::zeros({B, T - 1});
    for (int64_t b = 0; b < B; ++b) {
        const int64_t n = int64_t(samples[std::size_t(b)].size());
        for (int64_t t = 0; t + 1 < n; ++t)
            (t + 1 >= starts[std::size_t(b)] ? a.answerMask : a.questionMask)[b][t] = 1.0;
    }
    torch::NoGradGuard ng;
    a.refLogProbs = torch::log_softmax(
        model.logits(a.batch.ids, a.batch.mask).to(torch::kFloat32).slice(1, 0, T - 1), -1);
    return a;
}

// Answer-token KLD with a bootstrap 95 % interval over problems (token-weighted).
Kld answerKldCi(models::CausalLM& model, const AnswerProbe& a) {
    torch::NoGradGuard ng;
    const int64_t T = a.batch.ids.size(1);
    const auto lq = torch::log_softmax(
        model.logits(a.batch.ids, a.batch.mask).to(torch::kFloat32).slice(1, 0, T - 1), -1);
    const auto kl = (a.refLogProbs.exp() * (a.refLogProbs - lq)).sum(-1);
    const auto sums = (kl * a.answerMask).sum(1).to(torch::kFloat64).contiguous();
    const auto counts = a.answerMask.sum(1).to(torch::kFloat64).contiguous();
    const std::size_t n = std::size_t(sums.size(0));
    const double* sp = sums.data_ptr<double>();
    const double* cp = counts.data_ptr<double>();
    Kld k;
    double S = 0, C = 0;
    for (std::size_t i = 0; i < n; ++i) {
        S += sp[i];
        C += cp[i];
    }
    k.mean = S / C;
    std::mt19937_64 rng(12345);
    std::vector<double> means;
    for (int b = 0; b < 2000; ++b) {
        double s = 0, c = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t j = rng() % n;
            s += sp[j];
            c += cp[j];
        }
        means.push_back(s / c);
    }
    std::sort(means.begin(), means.end());
    k.lo = means[std::size_t(0.025 * means.size())];
    k.hi = means[std::size_t(0.975 * means.size()) - 1];
    return k;
}

std::pair<double, double> answerKld(models::CausalLM& model, const AnswerProbe& a) {
    torch::NoGradGuard ng;
    const int64_t T = a.batch.ids.size(1);
    const auto lq = torch::log_softmax(
        model.logits(a.batch.ids, a.batch.mask).to(torch::kFloat32).slice(1, 0, T - 1), -1);
    const auto kl = (a.refLogProbs.exp() * (a.refLogProbs - lq)).sum(-1); // [B, T-1]
    return {(kl * a.answerMask).sum().item<double>() / a.answerMask.sum().item<double>(),
            (kl * a.questionMask).sum().item<double>() / a.questionMask.sum().item<double>()};
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s MODEL_DIR [options]\n", argv[0]);
        return 2;
    }
    const std::string modelDir = argv[1];
    std::vector<double> bits{3.5, 4.5};
    int64_t chunks = 16, ctx = 256, mapSamples = 128, answers = 0;
    std::string oracle = "q2_k";
    std::vector<std::string> tasks{"arithmetic", "stories"};
    bool noFrontier = false, answerPolicies = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        const auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--bits")
            bits = eval::parseBits(next());
        else if (a == "--chunks")
            chunks = std::atoll(next().c_str());
        else if (a == "--ctx")
            ctx = std::atoll(next().c_str());
        else if (a == "--map-samples")
            mapSamples = std::atoll(next().c_str());
        else if (a == "--oracle")
            oracle = next();
        else if (a == "--answers")
            answers = std::atoll(next().c_str());
        else if (a == "--tasks")
            tasks = split(next());
        else if (a == "--no-frontier")
            noFrontier = true;
        else if (a == "--answer-policies")
            answerPolicies = true;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto tok = tokenize::loadTokenizer(modelDir);
    auto model = models::loadModel(modelDir);
    const uint64_t calibSeed = 1, evalSeed = 0;

    // Calibration (seed 1) and evaluation (seed 0) windows per task.
    std::map<std::string, Windows> calib, evalw;
    std::map<std::string, sensitivity::SensitivityMap> maps;
    std::map<std::string, std::map<std::string, double>> mapScores, textFisher;
    for (const auto& t : tasks) {
        calib[t] = windowsOf(*model, *tok, t, calibSeed, ctx, chunks);
        evalw[t] = windowsOf(*model, *tok, t, evalSeed, ctx, chunks);
        // The Fisher map as the demo makes it (per-sample empirical Fisher, calibration split).
        const auto problems = data::generateProblems(data::parseSyntheticTask(t),
                                                     data::SyntheticSplit::Test, mapSamples, 1);
        std::vector<std::vector<int64_t>> samples;
        for (const auto& p : problems)
            samples.push_back(demo::encodeSample(*tok, p.text(), 256));
        sensitivity::FisherOptions fo;
        fo.clipSamples = std::min<int64_t>(32, mapSamples);
        maps.emplace(t, sensitivity::computeFisher(*model, samples, fo));
        mapScores[t] = scoresOf(maps.at(t));
        const auto ef = sensitivity::elementFisher(*model, calib[t].chunks, 0);
        for (const auto& [n, v] : ef) {
            double s = 0;
            for (float x : v)
                s += x;
            textFisher[t][n] = v.empty() ? 0 : s / double(v.size());
        }
    }
    std::printf("== signals (calibration seed %llu, %lld map samples, %lld windows of %lld)\n",
                (unsigned long long)calibSeed, (long long)mapSamples, (long long)chunks,
                (long long)ctx);
    for (const auto& t : tasks) {
        printMass(("Fisher map " + t).c_str(), mapScores[t]);
        printMass(("text Fisher " + t).c_str(), textFisher[t]);
    }
    for (std::size_t i = 0; i < tasks.size(); ++i)
        for (std::size_t j = i + 1; j < tasks.size(); ++j) {
            const auto &a = tasks[i], &b = tasks[j];
            std::printf("  Spearman %s vs %s: Fisher maps %+.3f (matrices %+.3f); text Fisher "
                        "%+.3f (matrices %+.3f)\n",
                        a.c_str(), b.c_str(), spearmanOf(mapScores[a], mapScores[b], false),
                        spearmanOf(mapScores[a], mapScores[b], true),
                        spearmanOf(textFisher[a], textFisher[b], false),
                        spearmanOf(textFisher[a], textFisher[b], true));
        }

    // Oracle: one tensor at a time quantized to `oracle`.
    std::printf("\n== oracle: KLD (x1e3) of one tensor at %s, everything else unquantized "
                "(evaluation windows)\n",
                oracle.c_str());
    std::map<std::string, std::map<std::string, double>> oracleKld;
    exporting::PolicyApplier applier(*model);
    {
        std::vector<std::string> names;
        for (const auto& [n, s] : mapScores[tasks[0]])
            if (policy::allocatesPrecision(n))
                names.push_back(n);
        std::printf("  %-22s", "tensor");
        for (const auto& t : tasks)
            std::printf(" %12s", t.c_str());
        std::printf("   map share A/B\n");
        for (const auto& n : names) {
            policy::Policy p;
            p.defaultPrecision = quant::Precision::parse("f16");
            p.overrides[n] = quant::Precision::parse(oracle);
            applier.apply(p);
            std::printf("  %-22s", shortName(n).c_str());
            for (const auto& t : tasks) {
                const double k = kldOf(*model, evalw[t]).mean;
                oracleKld[t][n] = k;
                std::printf(" %12.4f", 1e3 * k);
            }
            applier.restore();
            std::printf("\n");
        }
        for (std::size_t i = 0; i < tasks.size(); ++i)
            for (std::size_t j = i + 1; j < tasks.size(); ++j) {
                const auto &a = tasks[i], &b = tasks[j];
                std::printf("  oracle Spearman %s vs %s %+.3f; oracle vs Fisher map: %s %+.3f, %s "
                            "%+.3f; oracle vs text Fisher: %s %+.3f, %s %+.3f\n",
                            a.c_str(), b.c_str(), spearmanOf(oracleKld[a], oracleKld[b], false),
                            a.c_str(), spearmanOf(oracleKld[a], mapScores[a], true), b.c_str(),
                            spearmanOf(oracleKld[b], mapScores[b], true), a.c_str(),
                            spearmanOf(oracleKld[a], textFisher[a], true), b.c_str(),
                            spearmanOf(oracleKld[b], textFisher[b], true));
            }
        for (const auto& t : tasks)
            printMass(("oracle " + t).c_str(), oracleKld[t]);
    }
    {
        std::printf(
            "\n== oracle on the answer part: KLD (x1e3) over the worked-solution tokens only "
            "| over the question tokens only (64 held-out problems per task)\n");
        std::map<std::string, AnswerProbe> probes;
        for (const auto& t : tasks)
            probes.emplace(t, answerProbe(*model, *tok, t, 64));
        std::map<std::string, std::map<std::string, double>> ans, que;
        std::map<std::string, double> sseAt;
        for (const auto& [n, s0] : oracleKld[tasks[0]]) {
            const int idx = model->parameterIndex(n);
            const at::Tensor orig = model->parameters()[std::size_t(idx)].tensor.detach().clone();
            policy::Policy p;
            p.defaultPrecision = quant::Precision::parse("f16");
            p.overrides[n] = quant::Precision::parse(oracle);
            applier.apply(p);
            sseAt[n] = (model->parameters()[std::size_t(idx)].tensor.detach().to(torch::kFloat64) -
                        orig.to(torch::kFloat64))
                           .pow(2)
                           .sum()
                           .item<double>();
            std::printf("  %-22s", shortName(n).c_str());
            for (const auto& t : tasks) {
                const auto [a, q] = answerKld(*model, probes.at(t));
                ans[t][n] = a;
                que[t][n] = q;
                std::printf(" %9.4f | %9.4f  ", 1e3 * a, 1e3 * q);
            }
            applier.restore();
            std::printf("\n");
        }
        for (std::size_t i = 0; i < tasks.size(); ++i)
            for (std::size_t j = i + 1; j < tasks.size(); ++j) {
                const auto &a = tasks[i], &b = tasks[j];
                std::printf("  answer-token oracle Spearman %s vs %s %+.3f (matrices %+.3f); "
                            "question-token %+.3f (matrices %+.3f)\n",
                            a.c_str(), b.c_str(), spearmanOf(ans[a], ans[b], false),
                            spearmanOf(ans[a], ans[b], true), spearmanOf(que[a], que[b], false),
                            spearmanOf(que[a], que[b], true));
            }
        for (const auto& t : tasks) {
            printMass(("answer oracle " + t).c_str(), ans[t]);
            printMass(("question oracle " + t).c_str(), que[t]);
        }
        if (answerPolicies) {
            // Maps from the answer-token oracle: score = 2 KLD / SSE at the oracle precision, so
            // that the damage model's 1/2 score SSE is the measured answer-token KLD there.
            std::map<std::string, sensitivity::SensitivityMap> oracleMaps;
            for (const auto& t : tasks) {
                std::vector<sensitivity::MapEntry> es;
                for (const auto& e : maps.at(t).entries()) {
                    auto x = e;
                    const auto it = ans[t].find(e.name);
                    x.score = it != ans[t].end() && sseAt[e.name] > 0
                                  ? 2 * it->second / sseAt[e.name]
                                  : 0.0;
                    es.push_back(x);
                }
                oracleMaps.emplace(t, sensitivity::SensitivityMap(es, {}));
            }
            struct B {
                std::string label;
                double budget;
                uint64_t bytes;
                policy::Policy policy;
            };
            std::vector<B> built;
            for (const auto& t : tasks) {
                eval::FrontierOptions fo;
                fo.bits = bits;
                fo.errorOnly = t == tasks[0];
                fo.base.embeddings = quant::Precision::parse("q4_k");
                fo.base.lmHead = quant::Precision::parse("q6_k");
                std::vector<eval::FrontierMap> fm{{"answer-oracle:" + t, oracleMaps.at(t)},
                                                  {"fisher:" + t, maps.at(t)}};
                const auto fr = eval::computeFrontier(*model, calib[t].chunks, fm, fo);
                for (double b : bits) {
                    if (const auto* p = fr.optimalAt("answer-oracle:" + t, b))
                        built.push_back({t + " answer-oracle map", b, p->bytes, p->policy});
                    if (const auto* p = fr.optimalAt("fisher:" + t, b))
                        built.push_back({t + " Fisher map", b, p->bytes, p->policy});
                    if (t == tasks[0])
                        if (const auto* p = fr.optimalAt("errors only", b))
                            built.push_back({"errors only", b, p->bytes, p->policy});
                }
            }
            for (double b : bits) {
                std::printf("\n== %.2f bpw: KLD x1e3 on the answer tokens | on the held-out "
                            "windows, mean [95%% bootstrap]\n",
                            b);
                for (const auto& p : built) {
                    if (p.budget != b)
                        continue;
                    applier.apply(p.policy);
                    std::printf("  %-30s %7.1f KB", p.label.c_str(), double(p.bytes) / 1024);
                    for (const auto& t : tasks) {
                        const auto a = answerKldCi(*model, probes.at(t));
                        const auto k = kldOf(*model, evalw[t]);
                        std::printf(" | %s %6.3f [%6.3f,%6.3f] | %6.2f [%6.2f,%6.2f]", t.c_str(),
                                    1e3 * a.mean, 1e3 * a.lo, 1e3 * a.hi, 1e3 * k.mean, 1e3 * k.lo,
                                    1e3 * k.hi);
                    }
                    applier.restore();
                    std::printf("\n");
                }
            }
        }
    }
    if (noFrontier)
        return 0;

    // Policies: each task's frontier on its own calibration text.
    struct Built {
        std::string label, builtFor;
        double budget;
        uint64_t bytes;
        policy::Policy policy;
    };
    std::vector<Built> built;
    for (const auto& t : tasks) {
        eval::FrontierOptions fo;
        fo.bits = bits;
        fo.taskFisherFamily = true;
        fo.base.embeddings = quant::Precision::parse("q4_k");
        fo.base.lmHead = quant::Precision::parse("q6_k");
        std::vector<eval::FrontierMap> fm;
        for (const auto& u : tasks)
            fm.push_back({"map:" + u, maps.at(u)});
        const auto fr = eval::computeFrontier(*model, calib[t].chunks, fm, fo);
        for (double b : bits) {
            for (const auto& [m, lab] : std::vector<std::pair<std::string, std::string>>{
                     {"map:" + t, t + " Fisher map"},
                     {"task text Fisher", t + " text Fisher"},
                     {"errors only", "errors only (" + t + " text)"}}) {
                if (const auto* p = fr.optimalAt(m, b))
                    built.push_back({lab, t, b, p->bytes, p->policy});
            }
            for (const auto& u : tasks)
                if (u != t)
                    if (const auto* p = fr.optimalAt("map:" + u, b))
                        built.push_back(
                            {u + " Fisher map on " + t + " text", t, b, p->bytes, p->policy});
            if (t == tasks[0]) {
                const eval::FrontierPoint* mix = nullptr;
                const uint64_t target = uint64_t(b * double(fr.parameters) / 8);
                for (const auto& p : fr.points)
                    if (p.kind == "recipe" &&
                        (!mix || std::llabs(int64_t(p.bytes) - int64_t(target)) <
                                     std::llabs(int64_t(mix->bytes) - int64_t(target))))
                        mix = &p;
                if (mix)
                    built.push_back(
                        {mix->label + " (llama.cpp)", "mix", b, mix->bytes, mix->policy});
            }
        }
    }
    std::map<std::string, std::vector<data::SyntheticProblem>> answerSets;
    if (answers > 0)
        for (const auto& t : tasks)
            answerSets[t] = data::generateProblems(data::parseSyntheticTask(t),
                                                   data::SyntheticSplit::Test, answers, 2);
    for (double b : bits) {
        std::printf("\n== budget %.2f bpw: KLD x1e3 on each task's held-out windows, mean "
                    "[95%% bootstrap]%s\n",
                    b, answers > 0 ? ", exact answers" : "");
        std::printf("  %-44s %8s", "policy", "KB");
        for (const auto& t : tasks)
            std::printf(" | %-30s", t.c_str());
        std::printf("\n");
        for (const auto& p : built) {
            if (p.budget != b)
                continue;
            applier.apply(p.policy);
            std::printf("  %-44s %8.1f", p.label.c_str(), double(p.bytes) / 1024);
            for (const auto& t : tasks) {
                const auto k = kldOf(*model, evalw[t]);
                char acc[32] = "";
                if (answers > 0) {
                    const auto a = demo::answerAccuracy(*model, *tok, answerSets[t],
                                                        t == "arithmetic" ? 64 : 48);
                    std::snprintf(acc, sizeof acc, " %lld/%lld", (long long)a.correct,
                                  (long long)a.total);
                }
                std::printf(" | %7.3f [%6.3f,%6.3f]%s", 1e3 * k.mean, 1e3 * k.lo, 1e3 * k.hi, acc);
            }
            applier.restore();
            std::printf("\n");
            std::fflush(stdout);
        }
    }
    std::printf("\n%.0f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return 0;
}
