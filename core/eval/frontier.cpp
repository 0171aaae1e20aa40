#include "core/eval/frontier.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "core/eval/task_errors.h"
#include "core/export/apply_policy.h"
#include "core/export/policy_cost.h"
#include "core/models/taxonomy.h"
#include "core/policy/damage_model.h"
#include "core/policy/error_measure.h"
#include "core/policy/policy_builder.h"
#include "core/quant/sizes.h"
#include "core/sensitivity/activation_stats.h"
#include "core/sensitivity/imatrix.h"
#include "core/util/error.h"
#include "core/util/shape.h"

namespace taskquant::eval {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

} // namespace

std::string bitsText(double b) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", b);
    return buf;
}

std::vector<double> parseBits(const std::string& list) {
    std::vector<double> out;
    std::stringstream ss(list);
    for (std::string item; std::getline(ss, item, ',');) {
        if (item.empty())
            continue;
        double v = 0;
        std::size_t used = 0;
        try {
            v = std::stod(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != item.size() || !std::isfinite(v) || v <= 0 || v > 64)
            throw Error("--bits must list bits per weight in (0, 64], e.g. 3.5,4,4.5 (got \"" +
                        item + "\")");
        out.push_back(v);
    }
    if (out.empty())
        throw Error("--bits lists no budget");
    return out;
}

const FrontierPoint* FrontierResult::optimalAt(const std::string& map, double budgetBits) const {
    for (const auto& p : points)
        if (p.kind == "optimal" && p.map == map && p.budgetRecipe.empty() &&
            p.budgetBits == budgetBits)
            return &p;
    return nullptr;
}

double FrontierResult::meanEvalSeconds() const {
    if (points.empty())
        return 0;
    double s = 0;
    std::size_t n = 0;
    for (const auto& p : points)
        if (p.sameAs.empty())
            s += p.seconds, ++n;
    return n ? s / static_cast<double>(n) : 0.0;
}

namespace {

// A family of optimal allocations: the scores that drive the allocator.
struct Driver {
    std::string label, signal;
    sensitivity::SensitivityMap map;
    bool flat;
};

// One budget of every optimal family: a --bits value or a llama.cpp mix's exact size.
struct Budget {
    double bits;
    uint64_t bytes;
    std::string tag;
    std::string recipe; // "" for a --bits budget
};

// Stage 1: the measured errors of every allocated weight (block linear weights, embeddings and
// lm_head) at every candidate, weighted by the task text's activations or per-weight Fisher;
// `fisher` receives the latter for the task-Fisher driver.
policy::ErrorTable
measureFrontierErrors(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                      const std::vector<quant::Precision>& candidates, const FrontierOptions& o,
                      std::map<std::string, std::vector<float>>& fisher, const JobControl& job) {
    // The same measurement as `errors --dataset` (task_errors.h): one weighted error table.
    TaskErrorOptions te;
    te.activationWeighting = o.activationWeighting;
    te.fisherWeighting = o.fisherWeighting;
    te.threads = o.threads;
    te.importance = o.importance;
    return measureTaskErrors(model, chunks, candidates, te, &fisher, subJob(job, 0, 0.05));
}

// Stage 2: the drivers: one per map, the error-only family (flat scores), the task text's
// Fisher family.
std::vector<Driver> frontierDrivers(const std::vector<FrontierMap>& maps,
                                    const std::vector<exporting::NamedShape>& shapes,
                                    const FrontierOptions& o,
                                    const std::map<std::string, std::vector<float>>& fisher) {
    std::vector<Driver> drivers;
    for (const auto& m : maps) {
        const std::string signal =
            m.map.provenance().method.empty() ? std::string("map") : m.map.provenance().method;
        drivers.push_back({m.label, signal, m.map, false});
    }
    if (o.errorOnly && (!o.bits.empty() || o.matchRecipes)) {
        std::vector<sensitivity::MapEntry> entries;
        for (const auto& s : shapes)
            entries.push_back({s.name, 1.0, checkedNumel(s.shape), s.shape});
        drivers.push_back({"errors only", "none", sensitivity::SensitivityMap(entries, {}), true});
    }
    if (o.taskFisherFamily && !fisher.empty() && (!o.bits.empty() || o.matchRecipes)) {
        // score = mean of the text's per-weight Fisher: with the Fisher-weighted errors the
        // damage is 1/2 sum_i F_i delta_i^2, the text's Fisher alone (damage_model.h).
        std::vector<sensitivity::MapEntry> entries;
        for (const auto& s : shapes) {
            double score = 0;
            if (auto it = fisher.find(s.name); it != fisher.end() && !it->second.empty()) {
                for (float v : it->second)
                    score += v;
                score /= static_cast<double>(it->second.size());
            }
            entries.push_back({s.name, score, checkedNumel(s.shape), s.shape});
        }
        drivers.push_back(
            {"task text Fisher", "task-fisher", sensitivity::SensitivityMap(entries, {}), false});
    }
    return drivers;
}

// Stage 3: the budgets: the bits list, then (matchRecipes) every distinct size of llama.cpp's
// mixes among `policies`.
std::vector<Budget> frontierBudgets(const FrontierOptions& o, int64_t parameters, bool anyDriver,
                                    const std::vector<FrontierPolicy>& policies,
                                    const std::vector<exporting::NamedShape>& shapes) {
    std::vector<Budget> budgets;
    for (double b : o.bits)
        budgets.push_back(
            {b, static_cast<uint64_t>(std::floor(b * static_cast<double>(parameters) / 8.0)),
             "@" + bitsText(b), ""});
    if (o.matchRecipes && anyDriver) {
        std::map<uint64_t, std::string> sizes;
        for (const auto& f : policies) {
            if (f.kind != "recipe")
                continue;
            // the first mix of that size names it
            sizes.emplace(exporting::planSize(exporting::planPolicy(f.policy, shapes)).bytes,
                          f.label);
        }
        for (const auto& [bytes, name] : sizes)
            budgets.push_back({quant::bitsPerWeight(bytes, parameters), bytes, "=" + name, name});
    }
    return budgets;
}

// Stage 4: the optimal policy of every driver at every budget, appended to `policies`; a budget
// the allocator cannot meet is recorded as infeasible.
void buildOptimalPolicies(const std::vector<Driver>& drivers, const std::vector<Budget>& budgets,
                          const std::vector<quant::Precision>& candidates,
                          const policy::ErrorTable& errors,
                          const std::map<std::string, std::vector<int64_t>>& shapeMap,
                          const policy::Policy& base, std::size_t mapCount,
                          std::vector<FrontierPolicy>& policies,
                          std::vector<FrontierInfeasible>& infeasible, const JobControl& job) {
    std::vector<exporting::NamedShape> named;
    for (const auto& [name, shape] : shapeMap)
        named.push_back({name, shape});
    const exporting::GgufTensorSizes sizes = exporting::GgufTensorSizes::ofShapes(named);
    for (const auto& d : drivers) {
        for (const Budget& bud : budgets) {
            const double b = bud.bits;
            job.check();
            policy::BuildOptions bo;
            bo.method = "optimal";
            bo.choices = candidates;
            bo.errors = &errors;
            bo.damageModel = true;
            bo.flatScores = d.flat;
            bo.budgetBytes = bud.bytes;
            bo.shapes = shapeMap;
            bo.base = base;
            const std::string label = "optimal " + d.signal +
                                      (d.flat || mapCount < 2 ? "" : " (" + d.label + ")") + " " +
                                      bud.tag;
            try {
                // the allocator of `policy --method optimal` (policy_cost.h)
                policy::BuildResult br = exporting::buildOptimalForGguf(d.map, bo, sizes);
                policies.push_back(
                    {label, "optimal", d.signal, b, std::move(br.policy), d.label, bud.recipe});
            } catch (const Cancelled&) {
                throw;
            } catch (const Error& e) {
                infeasible.push_back({label, d.signal, b, e.what()});
            }
        }
    }
}

// Stage 5: every policy evaluated against the unquantized model's reference on the chunks;
// policies with identical effective plans share one evaluation. Fills r.points and the counts.
void evaluateFrontierPolicies(models::CausalLM& model,
                              const std::vector<std::vector<int64_t>>& chunks,
                              const std::vector<FrontierPolicy>& policies,
                              const std::vector<exporting::NamedShape>& shapes, FrontierResult& r,
                              const JobControl& job,
                              const quant::ImportanceLookup& importance = {}) {
    const double steps = 1.0 + static_cast<double>(policies.size());
    const double from = 0.05, span = 0.95;
    exporting::PolicyApplier applier(model);
    const auto tr = Clock::now();
    const ReferenceLogProbs ref =
        ReferenceLogProbs::compute(model, chunks, subJob(job, from, span / steps));
    r.referenceSeconds = since(tr);
    // Policies whose effective plans are identical (e.g. k-quant mixes that fall back to the
    // same types on narrow rows) hold the same weights: evaluated once, the metrics shared.
    std::map<std::string, std::size_t> evaluated; // plan key -> index into r.points
    try {
        for (std::size_t i = 0; i < policies.size(); ++i) {
            const auto ti = Clock::now();
            const JobControl j = subJob(job, from + span * (1.0 + i) / steps, span / steps);
            j.report(0, policies[i].label);
            FrontierPoint p;
            p.label = policies[i].label;
            p.kind = policies[i].kind;
            p.signal = policies[i].signal;
            p.budgetBits = policies[i].budgetBits;
            p.map = policies[i].map;
            p.budgetRecipe = policies[i].budgetRecipe;
            const auto planned = exporting::planPolicy(policies[i].policy, shapes);
            std::string key;
            for (const auto& tp : planned) {
                p.bytes += tp.effective.bytes(tp.shape);
                p.fallbacks += tp.note.empty() ? 0 : 1;
                key += tp.name + '=' + tp.effective.name() + ';';
            }
            p.bitsPerWeight = quant::bitsPerWeight(p.bytes, r.parameters);
            if (auto same = evaluated.find(key); same != evaluated.end()) {
                p.metrics = r.points[same->second].metrics;
                p.sameAs = r.points[same->second].label;
            } else {
                // applying, then evaluating: one after the other in this policy's range
                applier.apply(policies[i].policy, subJob(j, 0, 0.5), importance);
                p.metrics = evaluateAgainst(model, chunks, ref, subJob(j, 0.5, 0.5));
                applier.restore();
                evaluated.emplace(key, r.points.size());
                ++r.evaluations;
            }
            p.seconds = since(ti);
            p.policy = policies[i].policy;
            r.points.push_back(std::move(p));
        }
    } catch (...) {
        applier.restore();
        throw;
    }
    if (!r.points.empty()) {
        r.chunks = r.points.front().metrics.chunks;
        r.tokens = r.points.front().metrics.tokens;
    }
}

} // namespace

// The stages, in order: measure errors -> drivers -> budgets -> build -> evaluate.
FrontierResult computeFrontier(models::CausalLM& model,
                               const std::vector<std::vector<int64_t>>& chunks,
                               const std::vector<FrontierMap>& maps, const FrontierOptions& o,
                               const JobControl& job) {
    const auto t0 = Clock::now();
    if (o.bits.empty() && !o.matchRecipes && !maps.empty())
        throw Error("frontier: no budgets (--bits)");
    FrontierResult r;
    const std::vector<exporting::NamedShape> shapes = exporting::parameterShapes(model);
    std::map<std::string, std::vector<int64_t>> shapeMap;
    for (const auto& s : shapes) {
        shapeMap[s.name] = s.shape;
        r.parameters += checkedNumel(s.shape);
    }
    const std::vector<quant::Precision> candidates =
        o.candidates.empty() ? policy::defaultGgufCandidates() : o.candidates;
    std::vector<quant::Precision> uniform = o.uniform;
    if (uniform.empty())
        for (const auto& p : candidates)
            if (p.isQuantized())
                uniform.push_back(p);

    const auto te = Clock::now();
    std::map<std::string, std::vector<float>> fisher;
    const policy::ErrorTable errors =
        measureFrontierErrors(model, chunks, candidates, o, fisher, job);
    r.errorsSeconds = since(te);
    r.shapes = shapes;
    r.errors = std::make_shared<const policy::ErrorTable>(errors);
    r.errorWeighting = errors.importance();

    // The policies. 1-D tensors (norms, biases) are stored f32 as the GGUF exporter and
    // llama-quantize store them, so every family's bytes are GGUF bytes.
    policy::Policy base = o.base;
    base.norms = quant::Precision::parse("f32");
    base.biases = quant::Precision::parse("f32");
    std::vector<FrontierPolicy> policies = baselinePolicies(shapes, model.config(), uniform, base);
    const std::vector<Driver> drivers = frontierDrivers(maps, shapes, o, fisher);
    const std::vector<Budget> budgets =
        frontierBudgets(o, r.parameters, !drivers.empty(), policies, shapes);
    buildOptimalPolicies(drivers, budgets, candidates, errors, shapeMap, base, maps.size(),
                         policies, r.infeasible, job);
    evaluateFrontierPolicies(model, chunks, policies, shapes, r, job, o.importance);
    // The one damage function's prediction beside each measurement.
    exporting::TaskStatistics task;
    task.level = exporting::tableLevels(errors);
    if (task.level)
        for (auto& p : r.points)
            p.predictedKld = exporting::predictDamage(p.policy, shapes, errors, task).kld;
    r.totalSeconds = since(t0);
    job.report(1.0, "frontier done");
    return r;
}

FrontierResult runFrontier(const TaskRequest& task, const std::vector<FrontierMap>& maps,
                           const FrontierOptions& options, const JobControl& job) {
    if (!options.imatrixFile.empty() && options.imatrixFromTask)
        throw Error("frontier: give --imatrix FILE or --imatrix-from-task, not both");
    TaskSetup s = prepareTask(task, job);
    FrontierOptions o = options;
    sensitivity::ModelImportance imp;
    if (!options.imatrixFile.empty()) {
        imp = sensitivity::loadModelImportance(options.imatrixFile, task.modelDir);
    } else if (options.imatrixFromTask) {
        sensitivity::ImatrixOptions io;
        io.chunkSize = static_cast<uint32_t>(task.ctx);
        io.datasets = {task.textFile.empty() ? task.dataset : task.textFile};
        imp = sensitivity::modelImportance(
            sensitivity::computeImatrix(*s.model, s.chunks, io, subJob(job, 0, 0)),
            "imatrix of the task text " + io.datasets.front(), task.modelDir);
    }
    if (!imp.path.empty())
        o.importance = [&imp](const std::string& name) { return imp.find(name); };
    FrontierResult r = computeFrontier(*s.model, s.chunks, maps, o, job);
    r.imatrix = imp.path;
    return r;
}

nlohmann::ordered_json FrontierResult::toJson() const {
    using oj = nlohmann::ordered_json;
    oj j;
    j["format"] = "taskquant-frontier";
    j["version"] = 1;
    j["parameters"] = parameters;
    j["chunks"] = chunks;
    j["tokens"] = tokens;
    j["error_weighting"] = errorWeighting;
    j["imatrix"] = imatrix;
    oj ps = oj::array();
    for (const auto& p : points) {
        oj x;
        x["label"] = p.label;
        x["kind"] = p.kind;
        x["signal"] = p.signal;
        if (p.budgetBits > 0)
            x["budget_bits"] = p.budgetBits;
        x["bits_per_weight"] = p.bitsPerWeight;
        x["bytes"] = p.bytes;
        x["kld_mean"] = p.metrics.kldMean;
        if (p.predictedKld)
            x["predicted_kld"] = *p.predictedKld;
        x["kld_p99"] = p.metrics.kldP99;
        x["ppl"] = p.metrics.ppl;
        x["same_top1"] = p.metrics.sameTop1;
        x["mean_delta_p"] = p.metrics.meanDeltaP;
        x["rms_delta_p"] = p.metrics.rmsDeltaP;
        x["fallbacks"] = p.fallbacks;
        if (!p.sameAs.empty())
            x["same_plan_as"] = p.sameAs;
        x["seconds"] = p.seconds;
        ps.push_back(std::move(x));
    }
    j["points"] = std::move(ps);
    oj inf = oj::array();
    for (const auto& i : infeasible)
        inf.push_back({{"label", i.label},
                       {"signal", i.signal},
                       {"budget_bits", i.budgetBits},
                       {"reason", i.reason}});
    j["infeasible"] = std::move(inf);
    const double unit = referenceSeconds + meanEvalSeconds();
    j["timing"] = {{"reference_seconds", referenceSeconds},
                   {"errors_seconds", errorsSeconds},
                   {"mean_eval_seconds", meanEvalSeconds()},
                   {"total_seconds", totalSeconds},
                   {"evaluations", evaluations},
                   {"eval_equivalents", unit > 0 ? totalSeconds / unit : 0.0}};
    return j;
}

std::string FrontierResult::table() const {
    std::ostringstream o;
    char buf[512];
    std::size_t w = 8;
    for (const auto& p : points)
        w = std::max(w, p.label.size());
    std::snprintf(buf, sizeof buf, "%-*s %-8s %-10s %10s %6s %11s %10s %9s %9s\n", int(w), "policy",
                  "kind", "signal", "bytes", "bpw", "KLD mean", "KLD p99", "PPL", "same top1");
    o << buf;
    for (const auto& p : points) {
        std::snprintf(buf, sizeof buf, "%-*s %-8s %-10s %10llu %6.3f %11.6f %10.6f %9.4f %8.3f%%\n",
                      int(w), p.label.c_str(), p.kind.c_str(), p.signal.c_str(),
                      (unsigned long long)p.bytes, p.bitsPerWeight, p.metrics.kldMean,
                      p.metrics.kldP99, p.metrics.ppl, 100 * p.metrics.sameTop1);
        o << buf;
    }
    for (const auto& i : infeasible)
        o << "infeasible: " << i.label << ": " << i.reason << "\n";
    const double unit = referenceSeconds + meanEvalSeconds();
    std::snprintf(
        buf, sizeof buf,
        "(%lld chunks, %lld scored tokens; %.2f s in all = %.2f x one eval of one policy)\n",
        (long long)chunks, (long long)tokens, totalSeconds, unit > 0 ? totalSeconds / unit : 0.0);
    o << buf;
    return o.str();
}

} // namespace taskquant::eval
