#include "core/eval/frontier.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
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
#include "core/util/memory.h"
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
        if (p.sameAs.empty() && p.measured)
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

// Progress over the frontier's phases: each phase has an estimated cost (core-seconds); the
// fraction passed on is (cost of the phases done + the running phase's share) / all costs, so
// the time left is a fair estimate from the start. Counts and messages pass through.
class Phases {
  public:
    Phases(const JobControl& job, double total) : job_(job), total_(std::max(total, 1e-9)) {}
    // A JobControl for the next phase of `cost`; call done() when it ends.
    JobControl next(double cost) {
        const double from = done_ / total_, width = cost / total_;
        pending_ = cost;
        return subRange(job_, std::min(from, 1.0), std::min(width, 1.0 - std::min(from, 1.0)));
    }
    void done() { done_ += pending_, pending_ = 0; }
    double fraction() const { return std::min(1.0, done_ / total_); }
    const JobControl& job() const { return job_; }

  private:
    JobControl job_;
    double total_, done_ = 0, pending_ = 0;
};

// Estimated core-seconds: one forward pass of P parameters over T tokens (2 P T flops at
// ~60 GFLOP/s per core), a backward pass without weight gradients twice that, one
// (weight, precision) error pair ~40 ns per weight.
double forwardCost(int64_t parameters, int64_t tokens) {
    return 2.0 * double(parameters) * double(tokens) / 60e9;
}

struct FrontierErrors {
    policy::ErrorTable table;
    std::map<std::string, double> fisherMean; // the text's mean per-weight Fisher per tensor
};

// Stage 1: the measured errors of every allocated weight (block linear weights, embeddings and
// lm_head) at every candidate, weighted by the task text's activations or per-weight Fisher,
// streamed: the same measurement as `errors --dataset` (task_errors.h measureTaskErrors).
FrontierErrors measureFrontierErrors(models::CausalLM& model,
                                     const std::vector<std::vector<int64_t>>& chunks,
                                     const std::vector<quant::Precision>& candidates,
                                     const FrontierOptions& o, double cost, Phases& phases) {
    TaskErrorOptions te;
    te.activationWeighting = o.activationWeighting;
    te.fisherWeighting = o.fisherWeighting;
    te.threads = o.threads;
    te.importance = o.importance;
    te.streamBytes = o.streamBytes;
    FrontierErrors out;
    out.table =
        measureTaskErrors(model, chunks, candidates, te, &out.fisherMean, phases.next(cost));
    phases.done();
    return out;
}

// Stage 2: the drivers: one per map, the error-only family (flat scores), the task text's
// Fisher family.
std::vector<Driver> frontierDrivers(const std::vector<FrontierMap>& maps,
                                    const std::vector<exporting::NamedShape>& shapes,
                                    const FrontierOptions& o,
                                    const std::map<std::string, double>& fisherMean) {
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
    if (o.taskFisherFamily && !fisherMean.empty() && (!o.bits.empty() || o.matchRecipes)) {
        // score = mean of the text's per-weight Fisher: with the Fisher-weighted errors the
        // damage is 1/2 sum_i F_i delta_i^2, the text's Fisher alone (damage_model.h).
        std::vector<sensitivity::MapEntry> entries;
        for (const auto& s : shapes) {
            double score = 0;
            if (auto it = fisherMean.find(s.name); it != fisherMean.end())
                score = it->second;
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

// An optimal point's label: its signal, its map where several, its budget.
std::string optimalLabel(const Driver& d, const Budget& bud, std::size_t mapCount) {
    return "optimal " + d.signal + (d.flat || mapCount < 2 ? "" : " (" + d.label + ")") + " " +
           bud.tag;
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
            const std::string label = optimalLabel(d, bud, mapCount);
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

// Stage 5: every policy sized and predicted (no forward pass): the points, with plan keys so
// that identical effective plans share one evaluation.
void predictFrontierPoints(const std::vector<FrontierPolicy>& policies,
                           const std::vector<exporting::NamedShape>& shapes,
                           const exporting::ScoreOf& score, FrontierResult& r,
                           const JobControl& job) {
    std::map<std::string, std::size_t> first; // plan key -> index into r.points
    for (std::size_t i = 0; i < policies.size(); ++i) {
        job.check();
        job.report(double(i) / double(policies.size()), "predicted frontier", i, policies.size());
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
        const exporting::PolicyCost c =
            exporting::policyCost(policies[i].policy, shapes, r.parameters, r.errors.get(), score);
        if (c.unpredicted == 0)
            p.predictedDamage = c.damage;
        if (auto same = first.find(key); same != first.end())
            p.sameAs = r.points[same->second].label;
        else
            first.emplace(key, r.points.size());
        p.policy = policies[i].policy;
        r.points.push_back(std::move(p));
    }
    r.updatePrediction();
}

// The labels a --measure spec names (empty for all, none and default), trimmed.
std::vector<std::string> measureSpecLabels(const std::string& spec) {
    std::vector<std::string> labels;
    if (spec == "all" || spec == "none" || spec == "default")
        return labels;
    std::stringstream ss(spec);
    for (std::string item; std::getline(ss, item, ',');) {
        const auto b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
        if (b != std::string::npos)
            labels.push_back(item.substr(b, e - b + 1));
    }
    return labels;
}

// The error for a --measure label that names no point, listing the labels there are.
Error unknownMeasureLabel(const std::string& item, const std::vector<std::string>& labels) {
    std::string known;
    for (const auto& label : labels)
        known += (known.empty() ? "" : ", ") + label;
    return Error("--measure: no point is labelled \"" + item +
                 "\" (use all, none, default or labels among: " + known + ")");
}

// Before any work: every label of the --measure spec must be one the run plans (a baseline, or
// an optimal family at a budget), so that a mistyped label stops at once, not after the error
// tables. (A planned optimal point whose budget proves infeasible is caught by selectMeasured.)
void checkMeasureSpec(const std::string& spec, const std::vector<FrontierPolicy>& baselines,
                      const std::vector<FrontierMap>& maps,
                      const std::vector<exporting::NamedShape>& shapes, const FrontierOptions& o,
                      int64_t parameters) {
    const std::vector<std::string> wanted = measureSpecLabels(spec);
    if (wanted.empty())
        return;
    std::vector<std::string> planned;
    for (const auto& f : baselines)
        planned.push_back(f.label);
    // the drivers' labels do not depend on the text's Fisher values, only on whether there are any
    const std::map<std::string, double> someFisher = {{"", 0.0}};
    const std::vector<Driver> drivers = frontierDrivers(
        maps, shapes, o, o.fisherWeighting ? someFisher : std::map<std::string, double>{});
    for (const auto& d : drivers)
        for (const Budget& bud : frontierBudgets(o, parameters, true, baselines, shapes))
            planned.push_back(optimalLabel(d, bud, maps.size()));
    for (const auto& item : wanted)
        if (std::find(planned.begin(), planned.end(), item) == planned.end())
            throw unknownMeasureLabel(item, planned);
}

// The points `spec` selects (indices, point order); see FrontierOptions::measure.
std::vector<std::size_t> selectMeasured(const FrontierResult& r, const std::string& spec,
                                        const std::string& firstFamily) {
    std::vector<char> chosen(r.points.size(), 0);
    if (spec == "all") {
        std::fill(chosen.begin(), chosen.end(), 1);
    } else if (spec == "default") {
        for (std::size_t i = 0; i < r.points.size(); ++i) {
            const FrontierPoint& p = r.points[i];
            if (p.kind != "optimal" || p.map != firstFamily)
                continue;
            chosen[i] = 1;
            std::size_t nearest = r.points.size();
            for (std::size_t k = 0; k < r.points.size(); ++k)
                if (r.points[k].kind == "recipe" &&
                    (nearest == r.points.size() ||
                     std::fabs(r.points[k].bitsPerWeight - p.bitsPerWeight) <
                         std::fabs(r.points[nearest].bitsPerWeight - p.bitsPerWeight)))
                    nearest = k;
            if (nearest < r.points.size())
                chosen[nearest] = 1;
        }
    } else if (spec != "none") {
        for (const std::string& item : measureSpecLabels(spec)) {
            bool found = false;
            for (std::size_t i = 0; i < r.points.size(); ++i)
                if (r.points[i].label == item)
                    chosen[i] = 1, found = true;
            if (!found) {
                std::vector<std::string> labels;
                for (const auto& p : r.points)
                    labels.push_back(p.label);
                throw unknownMeasureLabel(item, labels);
            }
        }
    }
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < chosen.size(); ++i)
        if (chosen[i])
            out.push_back(i);
    return out;
}

// The one call that evaluates a policy: the model with the policy applied, against the
// reference, then the model as it was. Streamed (exporting::PolicyApplier): the policy's tensors
// are held encoded (about its GGUF size) and decoded one at a time during each forward pass; the
// model's weights are never copied.
class PolicyEvaluator {
  public:
    PolicyEvaluator(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                    quant::ImportanceLookup importance)
        : model_(model), chunks_(chunks), importance_(std::move(importance)) {}
    QualityMetrics evaluate(const policy::Policy& policy, const ReferenceLogProbs& ref,
                            const JobControl& job) {
        if (!applier_)
            applier_ = std::make_unique<exporting::PolicyApplier>(model_);
        // applying, then evaluating: one after the other in this policy's range
        try {
            applier_->apply(policy, subJob(job, 0, 0.3), importance_);
            QualityMetrics m = evaluateAgainst(model_, chunks_, ref, subJob(job, 0.3, 0.7));
            applier_->restore();
            trimHeap(); // the encoded tensors and the decoded temporaries
            return m;
        } catch (...) {
            applier_->restore();
            throw;
        }
    }

  private:
    models::CausalLM& model_;
    const std::vector<std::vector<int64_t>>& chunks_;
    quant::ImportanceLookup importance_;
    std::unique_ptr<exporting::PolicyApplier> applier_;
};

// Stage 6: the selected points' plans, this shard's slice of them, evaluated against the
// unquantized model's reference (computed only when there is something to evaluate); every point
// whose plan was evaluated gets its metrics.
void measureFrontierPoints(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                           const std::vector<std::size_t>& selected, const FrontierOptions& o,
                           FrontierResult& r, const JobControl& rest, double evalCost) {
    auto repOf = [&](std::size_t i) {
        if (r.points[i].sameAs.empty())
            return i;
        for (std::size_t k = 0; k < i; ++k)
            if (r.points[k].label == r.points[i].sameAs)
                return k;
        return i;
    };
    std::vector<std::size_t> reps;
    for (std::size_t i : selected) {
        const std::size_t rep = repOf(i);
        if (std::find(reps.begin(), reps.end(), rep) == reps.end())
            reps.push_back(rep);
    }
    std::sort(reps.begin(), reps.end());
    std::vector<std::size_t> mine;
    for (std::size_t k = 0; k < reps.size(); ++k) {
        r.plannedLabels.push_back(r.points[reps[k]].label);
        if (static_cast<int>(k % static_cast<std::size_t>(o.shardCount)) == o.shardIndex) {
            mine.push_back(reps[k]);
            r.shardLabels.push_back(r.points[reps[k]].label);
        }
    }
    if (mine.empty())
        return;
    Phases phases(rest, evalCost * double(mine.size() + 1));
    const auto tr = Clock::now();
    const ReferenceLogProbs ref = ReferenceLogProbs::compute(
        model, chunks, subRange(phases.next(evalCost), 0, 1, "reference"));
    phases.done();
    r.referenceSeconds = since(tr);
    PolicyEvaluator evaluator(model, chunks, o.importance);
    for (std::size_t n = 0; n < mine.size(); ++n) {
        FrontierPoint& p = r.points[mine[n]];
        const auto ti = Clock::now();
        const std::string what = "evaluation " + std::to_string(n + 1) + "/" +
                                 std::to_string(mine.size()) + ": " + p.label;
        const JobControl j = subRange(phases.next(evalCost), 0, 1, what);
        j.report(0, what);
        p.metrics = evaluator.evaluate(p.policy, ref, j);
        phases.done();
        p.measured = true;
        p.seconds = since(ti);
        ++r.evaluations;
        for (auto& q : r.points) // the same plan: the same metrics
            if (q.sameAs == p.label) {
                q.metrics = p.metrics;
                q.measured = true;
            }
    }
}

} // namespace

void FrontierResult::updatePrediction() {
    std::vector<double> predicted, measured;
    for (const auto& p : points)
        if (p.measured) {
            predicted.push_back(p.predictedDamage);
            measured.push_back(p.metrics.kldMean);
        }
    scale = policy::fitScale(predicted, measured);
    for (auto& p : points)
        p.predictedKld = !std::isfinite(p.predictedDamage) ? p.predictedDamage
                         : predictionInNats                ? p.predictedDamage
                         : scale > 0                       ? scale * p.predictedDamage
                                     : std::numeric_limits<double>::quiet_NaN();
}

// The stages, in order: measure errors -> drivers -> budgets -> build -> predict -> evaluate.
FrontierResult computeFrontier(models::CausalLM& model,
                               const std::vector<std::vector<int64_t>>& chunks,
                               const std::vector<FrontierMap>& maps, const FrontierOptions& options,
                               const JobControl& job) {
    const auto t0 = Clock::now();
    FrontierOptions o = options;
    if (o.bits.empty() && !o.matchRecipes && !maps.empty())
        throw Error("frontier: no budgets (--bits)");
    if (o.shardCount < 1 || o.shardIndex < 0 || o.shardIndex >= o.shardCount)
        throw Error("frontier: shard " + std::to_string(o.shardIndex) + "/" +
                    std::to_string(o.shardCount) + " is not one of 0..N-1 of N");
    FrontierResult r;
    r.shardIndex = o.shardIndex;
    r.shardCount = o.shardCount;
    const std::vector<exporting::NamedShape> shapes = exporting::parameterShapes(model);
    std::map<std::string, std::vector<int64_t>> shapeMap;
    for (const auto& s : shapes) {
        shapeMap[s.name] = s.shape;
        r.parameters += checkedNumel(s.shape);
    }
    r.chunks = static_cast<int64_t>(chunks.size());
    int64_t tokens = 0;
    for (const auto& c : chunks) {
        r.tokens += scoredPerChunk(static_cast<int64_t>(c.size()));
        tokens += static_cast<int64_t>(c.size());
    }
    const std::vector<quant::Precision> candidates =
        o.candidates.empty() ? policy::defaultGgufCandidates() : o.candidates;
    std::vector<quant::Precision> uniform = o.uniform;
    if (uniform.empty())
        for (const auto& p : candidates)
            if (p.isQuantized())
                uniform.push_back(p);

    // Phase costs for the time left (core-seconds, rough): statistics and Fisher passes, the
    // error pairs, the evaluations the measure spec may ask for (counted when known).
    const double fwd = forwardCost(r.parameters, tokens);
    const double evalCost = fwd + 40e-9 * double(r.parameters);
    TaskErrorOptions costed;
    costed.activationWeighting = o.activationWeighting;
    costed.fisherWeighting = o.fisherWeighting;
    costed.streamBytes = o.streamBytes;
    // (the error types grow by the baselines' effective types below; a rough estimate)
    const double errorsCost = taskErrorsCost(model, tokens, candidates.size(), costed).total();
    // The evaluations are not known before the policies exist: reserve room for a few; the
    // fraction is re-based once they are known (forwardOnly keeps it from going back).
    const double predictCost = 1e-3 * errorsCost;
    auto phases = std::make_unique<Phases>(job, errorsCost + predictCost + 4 * evalCost);

    // The policies. 1-D tensors (norms, biases) are stored f32 as the GGUF exporter and
    // llama-quantize store them, so every family's bytes are GGUF bytes.
    policy::Policy base = o.base;
    base.norms = quant::Precision::parse("f32");
    base.biases = quant::Precision::parse("f32");
    std::vector<FrontierPolicy> policies = baselinePolicies(shapes, model.config(), uniform, base);
    checkMeasureSpec(o.measure, policies, maps, shapes, o, r.parameters);
    // Errors at the candidates and at every type the baselines effectively give an allocated
    // weight (the mixes' q6_k, fallbacks...), so every point is predicted; the allocations
    // still choose among the candidates only.
    // (Only types with a codec in this build: the others stay unpredicted, never an error.)
    const std::vector<quant::Precision> coded = policy::defaultGgufCandidates();
    std::vector<quant::Precision> measuredTypes = candidates;
    for (const auto& f : policies)
        for (const auto& tp : exporting::planPolicy(f.policy, shapes))
            if (policy::allocatesPrecision(tp.name) && tp.shape.size() == 2 &&
                std::find(coded.begin(), coded.end(), tp.effective) != coded.end() &&
                std::find(measuredTypes.begin(), measuredTypes.end(), tp.effective) ==
                    measuredTypes.end())
                measuredTypes.push_back(tp.effective);

    const auto te = Clock::now();
    FrontierErrors measured =
        measureFrontierErrors(model, chunks, measuredTypes, o, errorsCost, *phases);
    r.errorsSeconds = since(te);
    r.shapes = shapes;
    r.errors = std::make_shared<const policy::ErrorTable>(std::move(measured.table));
    r.errorWeighting = r.errors->importance();

    const std::vector<Driver> drivers = frontierDrivers(maps, shapes, o, measured.fisherMean);
    const std::vector<Budget> budgets =
        frontierBudgets(o, r.parameters, !drivers.empty(), policies, shapes);
    const JobControl build = phases->next(predictCost);
    buildOptimalPolicies(drivers, budgets, candidates, *r.errors, shapeMap, base, maps.size(),
                         policies, r.infeasible, build);

    // The prediction's scores: the text's Fisher (a KLD in nats), else the first map's, else 1.
    exporting::ScoreOf score;
    if (exporting::ScoreOf levels = exporting::tableLevels(*r.errors);
        o.fisherWeighting && levels) {
        // the one damage function's levels (policy_cost.h predictDamage): nats per token
        r.predictionScores = "task text Fisher";
        r.predictionInNats = true;
        score = levels;
    } else if (!maps.empty()) {
        r.predictionScores = "map " + maps.front().label;
        score = [&](const std::string& name) -> std::optional<double> {
            const auto* e = maps.front().map.find(name);
            return e ? e->score : 0.0;
        };
    } else {
        r.predictionScores = "flat";
    }
    predictFrontierPoints(policies, shapes, score, r, build);
    phases->done();
    if (o.onPredicted) {
        r.totalSeconds = since(t0);
        o.onPredicted(r);
    }

    const std::string firstFamily = !maps.empty()     ? maps.front().label
                                    : drivers.empty() ? ""
                                                      : drivers.front().label;
    const std::vector<std::size_t> selected = selectMeasured(r, o.measure, firstFamily);
    const double at = phases->fraction();
    measureFrontierPoints(model, chunks, selected, o, r, subRange(job, at, 1.0 - at), evalCost);
    r.updatePrediction();
    r.totalSeconds = since(t0);
    job.report(1.0, "frontier done");
    return r;
}

FrontierResult runFrontier(const TaskRequest& task, const std::vector<FrontierMap>& maps,
                           const FrontierOptions& options, const JobControl& job) {
    if (!options.imatrixFile.empty() && options.imatrixFromTask)
        throw Error("frontier: give --imatrix FILE or --imatrix-from-task, not both");
    TaskRequest request = task;
    if (options.fisherWeighting) {
        // the per-weight Fisher: a backward pass per window, one group of values (given, or
        // at least the automatic group's floor, task_errors.h taskErrorsStreamBytes) and the
        // layer boundaries' states of every window with one gradient per label draw; where
        // the weights' pages are released its first backward pass goes layer by layer
        request.backward = true;
        request.backwardByLayer = true;
        request.workHint = "fewer --chunks, a shorter --ctx or a smaller --stream-mb (per-weight "
                           "Fisher values at once)";
        request.workBytes = options.streamBytes ? options.streamBytes : uint64_t(64) << 20;
        if (task.chunks > 0)
            request.boundaryTokens = task.ctx * task.chunks * 2; // one label draw
    }
    TaskSetup s = prepareTask(request, job);
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

namespace {

// A double as JSON: null for NaN / infinity (JSON has no such numbers).
nlohmann::ordered_json num(double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
}

// The keys of a point that a measurement (or the refitted scale) sets; everything else must
// agree between shards.
const char* const kMeasurementKeys[] = {"predicted_kld", "measured",    "kld_mean",
                                        "kld_p99",       "ppl",         "same_top1",
                                        "mean_delta_p",  "rms_delta_p", "seconds"};

} // namespace

nlohmann::ordered_json FrontierResult::toJson() const {
    using oj = nlohmann::ordered_json;
    oj j;
    j["format"] = "taskquant-frontier";
    j["version"] = 2;
    j["parameters"] = parameters;
    j["chunks"] = chunks;
    j["tokens"] = tokens;
    j["error_weighting"] = errorWeighting;
    j["imatrix"] = imatrix;
    j["prediction"] = {
        {"scores", predictionScores}, {"in_nats", predictionInNats}, {"scale", num(scale)}};
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
        x["fallbacks"] = p.fallbacks;
        x["predicted_damage"] = num(p.predictedDamage);
        if (std::isfinite(p.predictedKld))
            x["predicted_kld"] = p.predictedKld;
        x["measured"] = p.measured;
        if (p.measured) {
            x["kld_mean"] = p.metrics.kldMean;
            x["kld_p99"] = p.metrics.kldP99;
            x["ppl"] = p.metrics.ppl;
            x["same_top1"] = p.metrics.sameTop1;
            x["mean_delta_p"] = p.metrics.meanDeltaP;
            x["rms_delta_p"] = p.metrics.rmsDeltaP;
        }
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
    if (shardCount > 1)
        j["shard"] = {{"index", shardIndex},
                      {"count", shardCount},
                      {"planned", plannedLabels},
                      {"mine", shardLabels}};
    const double unit = referenceSeconds + meanEvalSeconds();
    j["timing"] = {{"reference_seconds", referenceSeconds},
                   {"errors_seconds", errorsSeconds},
                   {"mean_eval_seconds", meanEvalSeconds()},
                   {"total_seconds", totalSeconds},
                   {"evaluations", evaluations},
                   {"eval_equivalents", unit > 0 ? totalSeconds / unit : 0.0}};
    return j;
}

FrontierResult FrontierResult::fromJson(const nlohmann::ordered_json& j, const std::string& src) {
    auto fail = [&](const std::string& what) -> Error { return Error(src, what); };
    if (!j.is_object() || j.value("format", std::string()) != "taskquant-frontier")
        throw fail("not a TaskQuant frontier (\"format\" must be \"taskquant-frontier\")");
    if (j.value("version", 0) != 2)
        throw fail("frontier version " + j.value("version", nlohmann::ordered_json()).dump() +
                   " (this build reads version 2; recompute it)");
    auto number = [&](const nlohmann::ordered_json& o, const char* key) -> double {
        if (!o.contains(key))
            throw fail(std::string("no \"") + key + "\"");
        if (o[key].is_null())
            return std::numeric_limits<double>::quiet_NaN();
        if (!o[key].is_number())
            throw fail(std::string("\"") + key + "\" is not a number");
        return o[key].get<double>();
    };
    auto text = [&](const nlohmann::ordered_json& o, const char* key) -> std::string {
        if (!o.contains(key) || !o[key].is_string())
            throw fail(std::string("\"") + key + "\" is missing or not a string");
        return o[key].get<std::string>();
    };
    auto whole = [&](const nlohmann::ordered_json& o, const char* key) -> int64_t {
        const double v = number(o, key);
        if (!(v >= 0 && v <= 9.0e15) || v != std::floor(v))
            throw fail(std::string("\"") + key + "\" is not a count");
        return static_cast<int64_t>(v);
    };
    FrontierResult r;
    r.parameters = whole(j, "parameters");
    r.chunks = whole(j, "chunks");
    r.tokens = whole(j, "tokens");
    r.errorWeighting = text(j, "error_weighting");
    if (!j.contains("prediction") || !j["prediction"].is_object())
        throw fail("no \"prediction\" object");
    const auto& pr = j["prediction"];
    r.predictionScores = text(pr, "scores");
    if (!pr.contains("in_nats") || !pr["in_nats"].is_boolean())
        throw fail("\"prediction\".\"in_nats\" is not true or false");
    r.predictionInNats = pr["in_nats"].get<bool>();
    r.scale = number(pr, "scale");
    if (!j.contains("points") || !j["points"].is_array())
        throw fail("no \"points\" array");
    for (const auto& x : j["points"]) {
        if (!x.is_object())
            throw fail("a point is not an object");
        FrontierPoint p;
        p.label = text(x, "label");
        p.kind = text(x, "kind");
        p.signal = text(x, "signal");
        if (x.contains("budget_bits"))
            p.budgetBits = number(x, "budget_bits");
        p.bitsPerWeight = number(x, "bits_per_weight");
        p.bytes = static_cast<uint64_t>(whole(x, "bytes"));
        p.fallbacks = static_cast<std::size_t>(whole(x, "fallbacks"));
        p.predictedDamage = number(x, "predicted_damage");
        if (x.contains("predicted_kld"))
            p.predictedKld = number(x, "predicted_kld");
        if (!x.contains("measured") || !x["measured"].is_boolean())
            throw fail("point \"" + p.label + "\": \"measured\" is not true or false");
        p.measured = x["measured"].get<bool>();
        if (p.measured) {
            p.metrics.kldMean = number(x, "kld_mean");
            p.metrics.kldP99 = number(x, "kld_p99");
            p.metrics.ppl = number(x, "ppl");
            p.metrics.sameTop1 = number(x, "same_top1");
            p.metrics.meanDeltaP = number(x, "mean_delta_p");
            p.metrics.rmsDeltaP = number(x, "rms_delta_p");
            p.metrics.chunks = r.chunks;
            p.metrics.tokens = r.tokens;
        }
        if (x.contains("same_plan_as"))
            p.sameAs = text(x, "same_plan_as");
        p.seconds = number(x, "seconds");
        r.points.push_back(std::move(p));
    }
    if (j.contains("infeasible") && j["infeasible"].is_array())
        for (const auto& i : j["infeasible"]) {
            if (!i.is_object())
                throw fail("an infeasible entry is not an object");
            r.infeasible.push_back(
                {text(i, "label"), text(i, "signal"), number(i, "budget_bits"), text(i, "reason")});
        }
    if (j.contains("shard")) {
        const auto& sh = j["shard"];
        if (!sh.is_object())
            throw fail("\"shard\" is not an object");
        r.shardIndex = static_cast<int>(whole(sh, "index"));
        r.shardCount = static_cast<int>(whole(sh, "count"));
        if (r.shardCount < 1 || r.shardIndex >= r.shardCount)
            throw fail("\"shard\" index must be below its count");
        for (const char* key : {"planned", "mine"}) {
            if (!sh.contains(key) || !sh[key].is_array())
                throw fail(std::string("\"shard\".\"") + key + "\" is not an array");
            for (const auto& l : sh[key]) {
                if (!l.is_string())
                    throw fail(std::string("\"shard\".\"") + key + "\" lists a non-string");
                (std::string(key) == "planned" ? r.plannedLabels : r.shardLabels)
                    .push_back(l.get<std::string>());
            }
        }
    }
    if (j.contains("timing") && j["timing"].is_object()) {
        const auto& t = j["timing"];
        r.referenceSeconds = number(t, "reference_seconds");
        r.errorsSeconds = number(t, "errors_seconds");
        r.totalSeconds = number(t, "total_seconds");
        r.evaluations = static_cast<std::size_t>(whole(t, "evaluations"));
    }
    return r;
}

nlohmann::ordered_json mergeFrontierShards(const std::vector<nlohmann::ordered_json>& shards,
                                           const std::vector<std::string>& names) {
    if (shards.empty())
        throw Error("no frontier shards given");
    std::vector<FrontierResult> rs;
    for (std::size_t i = 0; i < shards.size(); ++i) {
        rs.push_back(FrontierResult::fromJson(shards[i], names[i]));
        if (!shards[i].contains("shard"))
            throw Error(names[i], "not a frontier shard (no \"shard\": written without "
                                  "--shard or a shard variable)");
    }
    const int count = rs.front().shardCount;
    std::vector<int> owner(static_cast<std::size_t>(count), -1);
    for (std::size_t i = 0; i < rs.size(); ++i) {
        if (rs[i].shardCount != count)
            throw Error(names[i], "shard of " + std::to_string(rs[i].shardCount) + ", but " +
                                      names[0] + " is a shard of " + std::to_string(count));
        int& o = owner[static_cast<std::size_t>(rs[i].shardIndex)];
        if (o >= 0)
            throw Error(names[i], "shard " + std::to_string(rs[i].shardIndex) +
                                      " given twice (also " + names[std::size_t(o)] + ")");
        o = static_cast<int>(i);
    }
    std::string missing;
    for (int k = 0; k < count; ++k)
        if (owner[std::size_t(k)] < 0)
            missing += (missing.empty() ? "" : ", ") + std::to_string(k);
    if (!missing.empty())
        throw Error("incomplete frontier: shard(s) " + missing + " of " + std::to_string(count) +
                    " missing");
    // Everything but the measurements must agree: the same run.
    const auto& j0 = shards.front();
    for (std::size_t i = 1; i < shards.size(); ++i) {
        const auto& ji = shards[i];
        for (auto it = j0.begin(); it != j0.end(); ++it) {
            const std::string& key = it.key();
            if (key == "points" || key == "timing" || key == "shard" || key == "prediction")
                continue;
            if (!ji.contains(key) || ji[key] != it.value())
                throw Error(names[i], "not from the same frontier run as " + names[0] + ": \"" +
                                          key + "\" differs");
        }
        for (auto it = ji.begin(); it != ji.end(); ++it)
            if (!j0.contains(it.key()))
                throw Error(names[i], "not from the same frontier run as " + names[0] +
                                          ": it has \"" + it.key() + "\"");
        if (rs[i].plannedLabels != rs[0].plannedLabels)
            throw Error(names[i], "not from the same frontier run as " + names[0] +
                                      ": other policies planned for measurement");
        if (ji["points"].size() != j0["points"].size())
            throw Error(names[i], "not from the same frontier run as " + names[0] +
                                      ": another number of points");
        for (std::size_t k = 0; k < j0["points"].size(); ++k) {
            auto a = j0["points"][k], b = ji["points"][k];
            for (const char* m : kMeasurementKeys)
                a.erase(m), b.erase(m);
            if (a != b)
                throw Error(names[i], "not from the same frontier run as " + names[0] + ": point " +
                                          std::to_string(k + 1) + " (" +
                                          a.value("label", std::string()) + ") differs");
        }
    }
    FrontierResult m = rs.front();
    m.evaluations = 0;
    for (auto& p : m.points)
        p.measured = false, p.metrics = QualityMetrics{}, p.seconds = 0;
    std::vector<std::string> got;
    for (const auto& r : rs) {
        m.referenceSeconds = std::max(m.referenceSeconds, r.referenceSeconds);
        m.errorsSeconds = std::max(m.errorsSeconds, r.errorsSeconds);
        m.totalSeconds = std::max(m.totalSeconds, r.totalSeconds);
        m.evaluations += r.evaluations;
        got.insert(got.end(), r.shardLabels.begin(), r.shardLabels.end());
        for (std::size_t k = 0; k < r.points.size(); ++k) {
            const FrontierPoint& p = r.points[k];
            if (!p.measured)
                continue;
            FrontierPoint& q = m.points[k];
            if (q.measured)
                throw Error("point \"" + p.label + "\" measured in two shards");
            q.measured = true;
            q.metrics = p.metrics;
            q.seconds = p.seconds;
        }
    }
    std::sort(got.begin(), got.end());
    std::vector<std::string> planned = m.plannedLabels;
    std::sort(planned.begin(), planned.end());
    if (got != planned)
        throw Error("the shards measured other policies than they planned (" +
                    std::to_string(got.size()) + " of " + std::to_string(planned.size()) + ")");
    m.shardIndex = 0;
    m.shardCount = 1;
    m.updatePrediction();
    nlohmann::ordered_json out = j0;
    out.erase("shard");
    const nlohmann::ordered_json fresh = m.toJson();
    for (auto it = fresh.begin(); it != fresh.end(); ++it)
        out[it.key()] = it.value();
    return out;
}

std::string FrontierResult::table() const {
    std::ostringstream o;
    char buf[512];
    std::size_t w = 8;
    for (const auto& p : points)
        w = std::max(w, p.label.size());
    std::snprintf(buf, sizeof buf, "%-*s %-8s %-10s %10s %6s %11s %11s %10s %9s %9s\n", int(w),
                  "policy", "kind", "signal", "bytes", "bpw", "pred. KLD", "KLD mean", "KLD p99",
                  "PPL", "same top1");
    o << buf;
    for (const auto& p : points) {
        char pred[32] = "-";
        if (std::isfinite(p.predictedKld))
            std::snprintf(pred, sizeof pred, "%.6f", p.predictedKld);
        if (p.measured)
            std::snprintf(buf, sizeof buf,
                          "%-*s %-8s %-10s %10llu %6.3f %11s %11.6f %10.6f %9.4f %8.3f%%\n", int(w),
                          p.label.c_str(), p.kind.c_str(), p.signal.c_str(),
                          (unsigned long long)p.bytes, p.bitsPerWeight, pred, p.metrics.kldMean,
                          p.metrics.kldP99, p.metrics.ppl, 100 * p.metrics.sameTop1);
        else
            std::snprintf(buf, sizeof buf, "%-*s %-8s %-10s %10llu %6.3f %11s %11s %10s %9s %9s\n",
                          int(w), p.label.c_str(), p.kind.c_str(), p.signal.c_str(),
                          (unsigned long long)p.bytes, p.bitsPerWeight, pred, "-", "-", "-", "-");
        o << buf;
    }
    for (const auto& i : infeasible)
        o << "infeasible: " << i.label << ": " << i.reason << "\n";
    const double unit = referenceSeconds + meanEvalSeconds();
    std::snprintf(
        buf, sizeof buf,
        "(%lld chunks, %lld scored tokens; %zu evaluation(s); predicted with %s scores%s; "
        "%.2f s in all = %.2f x one eval of one policy)\n",
        (long long)chunks, (long long)tokens, evaluations, predictionScores.c_str(),
        scale > 0 ? (", fitted scale " + bitsText(scale)).c_str() : "", totalSeconds,
        unit > 0 ? totalSeconds / unit : 0.0);
    o << buf;
    return o.str();
}

} // namespace taskquant::eval
