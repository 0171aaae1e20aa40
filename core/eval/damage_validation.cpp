#include "core/eval/damage_validation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <tuple>

#include "core/export/apply_policy.h"
#include "core/export/policy_cost.h"
#include "core/models/taxonomy.h"
#include "core/policy/compare.h"
#include "core/policy/damage_model.h"
#include "core/policy/error_measure.h"
#include "core/policy/policy_builder.h"
#include "core/quant/codec.h"
#include "core/quant/sizes.h"
#include "core/sensitivity/activation_stats.h"
#include "core/util/error.h"
#include "core/util/shape.h"

namespace taskquant::eval {

namespace {

policy::Policy unquantized() {
    policy::Policy p;
    const auto f32 = quant::Precision::parse("f32");
    p.defaultPrecision = p.embeddings = p.lmHead = p.norms = p.biases = p.other = p.reference = f32;
    return p;
}

} // namespace

std::size_t parseTensorSelection(const std::string& s) {
    if (s == "all")
        return 0;
    if (s.rfind("top:", 0) == 0) {
        const std::string n = s.substr(4);
        if (!n.empty() && n.size() < 10 && std::all_of(n.begin(), n.end(), ::isdigit)) {
            const auto v = std::stoul(n);
            if (v >= 1)
                return v;
        }
    }
    throw Error("--tensors must be all or top:N with N >= 1 (got \"" + s + "\")");
}

namespace {

// The diagnostics (5) hold every tested error in double precision: up to 400 MB.
constexpr int64_t kMaxDiagnosticValues = 50'000'000;

double ratioOf(double a, double b) {
    return b > 0 ? a / b : std::numeric_limits<double>::quiet_NaN();
}

// Spearman over the rows `keep` selects (NaN below 2 rows).
template <class Keep>
double rhoOf(const std::vector<ValidationRow>& rows, double ValidationRow::*f, Keep keep) {
    std::vector<double> a, b;
    for (const auto& row : rows)
        if (keep(row)) {
            a.push_back(row.*f);
            b.push_back(row.measured);
        }
    return a.size() < 2 ? std::numeric_limits<double>::quiet_NaN() : policy::spearman(a, b);
}

// Calibration ratio and the share within x2 over the rows `keep` selects.
template <class Keep>
std::pair<double, double> calibrationOf(const std::vector<ValidationRow>& rows, Keep keep) {
    double sm = 0, sp = 0;
    for (const auto& row : rows)
        if (keep(row)) {
            sm += row.measured;
            sp += row.predicted;
        }
    const double c = ratioOf(sm, sp);
    std::size_t n = 0, in = 0;
    for (const auto& row : rows)
        if (keep(row) && row.measured > 0 && row.predicted > 0 && std::isfinite(c)) {
            ++n;
            in += std::fabs(std::log(row.measured / (c * row.predicted))) <= std::log(2.0) ? 1 : 0;
        }
    return {c, n ? double(in) / double(n) : std::numeric_limits<double>::quiet_NaN()};
}

} // namespace

ValidationResult validateDamage(models::CausalLM& model,
                                const std::vector<std::vector<int64_t>>& chunks,
                                const sensitivity::SensitivityMap& map, const ValidationOptions& o,
                                const JobControl& job) {
    return validateDamage(model, chunks, &map, o, job);
}

ValidationResult validateDamage(models::CausalLM& model,
                                const std::vector<std::vector<int64_t>>& chunks,
                                const sensitivity::SensitivityMap* map, const ValidationOptions& o,
                                const JobControl& job) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t topN = parseTensorSelection(o.tensors);
    if (!map && o.mapLevel)
        throw Error("validate: the map's level needs a map (--map)");
    std::vector<quant::Precision> types = o.precisions;
    if (types.empty())
        types.push_back(o.precision);
    const std::size_t K = types.size();
    ValidationResult r;
    r.precision = types.front().name();
    r.activationWeighting = o.activationWeighting;
    r.fisherWeighting = o.fisherWeighting;
    r.mapLevel = o.mapLevel;
    const std::map<std::string, std::vector<float>> energy =
        sensitivity::columnEnergy(model, chunks, subJob(job, 0, 0.01));
    const std::map<std::string, std::vector<float>> fisher = sensitivity::elementFisher(
        model, chunks, o.seed, subJob(job, 0.01, 0.03), std::max(1, o.samples));
    // The tensors: the map's (with its scores) or the model's own.
    std::vector<sensitivity::MapEntry> entries;
    if (map) {
        entries = map->entries();
    } else {
        for (const auto& p : model.parameters())
            entries.push_back({p.name, 0.0, 0, std::nullopt});
    }
    // Candidates with their predictions, K rows per tensor (one per type, in `types` order).
    std::map<std::string, at::Tensor> deltas; // name -> [K, out, in]
    std::vector<policy::ErrorRow> tableRows;  // for the whole policies: f16 + the types
    const quant::Precision f16 = quant::Precision::parse("f16");
    for (const auto& e : entries) {
        if (!policy::allocatesPrecision(e.name))
            continue;
        const int idx = model.parameterIndex(e.name);
        if (idx < 0)
            continue;
        job.check();
        const at::Tensor w = model.parameters()[static_cast<std::size_t>(idx)]
                                 .tensor.detach()
                                 .to(at::kFloat)
                                 .cpu()
                                 .contiguous();
        if (w.dim() != 2)
            continue;
        const std::vector<int64_t> shape = w.sizes().vec();
        const float* data = w.data_ptr<float>();
        const int64_t cols = shape.back();
        const float* weights = nullptr;
        if (auto it = energy.find(e.name);
            it != energy.end() && static_cast<int64_t>(it->second.size()) == cols)
            weights = it->second.data();
        const float* fw = nullptr;
        double meanF = 0;
        if (auto it = fisher.find(e.name);
            it != fisher.end() && static_cast<int64_t>(it->second.size()) == w.numel()) {
            fw = it->second.data();
            for (float v : it->second)
                meanF += v;
            meanF /= double(it->second.size());
        }
        policy::ErrorRow er;
        er.name = e.name;
        er.shape = shape;
        er.numel = w.numel();
        er.fisherMean = meanF;
        std::vector<at::Tensor> ds;
        for (std::size_t k = 0; k <= K; ++k) {
            const quant::Precision want = k == 0 ? f16 : types[k - 1];
            const quant::Precision eff = exporting::fitPrecision(want, shape);
            const std::vector<float> q = quant::fakeQuantize(eff, data, shape);
            const auto se = policy::squaredError(q.data(), data, w.numel(), cols, weights);
            double fsse = se.sse, text = 0;
            if (fw) {
                fsse = policy::elementSquaredError(q.data(), data, w.numel(), fw).weightedSse;
                text = 0.5 * meanF * fsse;
            }
            er.error.push_back(se.sse / double(std::max<int64_t>(1, w.numel())));
            er.sse.push_back(se.sse);
            er.weightedSse.push_back(fsse);
            if (k == 0)
                continue;
            ds.push_back(
                at::from_blob(const_cast<float*>(q.data()), w.sizes(), at::kFloat).sub(w).clone());
            ValidationRow row;
            row.name = e.name;
            row.requested = want.name();
            row.effective = eff.name();
            row.quantized = eff == want;
            row.score = e.score;
            row.sse = se.sse;
            row.weightedSse = se.weightedSse;
            row.fisherSse = fsse;
            row.meanFisher = meanF;
            row.predictedText = text;
            row.predictedColumns = policy::predictedKl(e.score, se.weightedSse);
            row.predictedFisher = policy::predictedKl(e.score, fsse);
            row.predictedPlain = policy::predictedKl(e.score, se.sse);
            row.predicted = !o.mapLevel             ? row.predictedText
                            : o.fisherWeighting     ? row.predictedFisher
                            : o.activationWeighting ? row.predictedColumns
                                                    : row.predictedPlain;
            r.rows.push_back(std::move(row));
        }
        deltas.emplace(e.name, at::stack(ds));
        tableRows.push_back(std::move(er));
    }
    if (r.rows.empty())
        throw Error((map && !map->source().empty() ? map->source() : std::string("map")) +
                    ": none of the map's quantizable linear weights is in the model");
    if (topN > 0 && topN < r.rows.size() / K) {
        std::vector<std::size_t> order(r.rows.size() / K);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return r.rows[a * K].predicted > r.rows[b * K].predicted;
        });
        order.resize(topN);
        std::sort(order.begin(), order.end());
        std::vector<ValidationRow> kept;
        std::vector<policy::ErrorRow> keptTable;
        for (std::size_t i : order) {
            for (std::size_t k = 0; k < K; ++k)
                kept.push_back(r.rows[i * K + k]);
            keptTable.push_back(tableRows[i]);
        }
        std::map<std::string, at::Tensor> keptDeltas;
        for (const auto& t : keptTable)
            keptDeltas.emplace(t.name, deltas.at(t.name));
        r.rows = std::move(kept);
        tableRows = std::move(keptTable);
        deltas = std::move(keptDeltas);
    }
    int64_t deltaValues = 0;
    for (const auto& [name, t] : deltas)
        deltaValues += t.numel();
    if (deltaValues > kMaxDiagnosticValues)
        deltas.clear(); // (5) would hold every error in double: skipped on large models
    if (!deltas.empty()) {
        // Diagnostics: the full per-position quadratic form (5), and squared per window.
        sensitivity::TextDamageOptions to;
        to.seed = o.seed;
        to.samples = std::max(1, o.samples);
        const auto quad =
            sensitivity::textDamage(model, chunks, deltas, to, subJob(job, 0.04, 0.01));
        to.crossPositions = true;
        const auto win =
            sensitivity::textDamage(model, chunks, deltas, to, subJob(job, 0.05, 0.01));
        for (std::size_t i = 0; i < r.rows.size(); ++i) {
            auto& row = r.rows[i];
            const std::size_t k = i % K;
            if (auto it = quad.find(row.name); it != quad.end() && k < it->second.size())
                row.predictedQuadratic = it->second[k];
            if (auto it = win.find(row.name); it != win.end() && k < it->second.size())
                row.predictedWindow = it->second[k];
            row.predictedQuadraticMap =
                row.meanFisher > 0 ? row.score * row.predictedQuadratic / row.meanFisher : 0.0;
        }
        deltas.clear();
    }

    // The whole policies: optimal allocations over f16 + the types at `policies` budgets.
    std::vector<std::string> tableTypes{f16.name()};
    for (const auto& t : types)
        tableTypes.push_back(t.name());
    bool distinct = true;
    for (std::size_t a = 0; a < tableTypes.size(); ++a)
        for (std::size_t b = a + 1; b < tableTypes.size(); ++b)
            distinct = distinct && tableTypes[a] != tableTypes[b];
    const policy::Policy none = unquantized();
    const std::vector<exporting::NamedShape> shapes = exporting::parameterShapes(model);
    int64_t parameters = 0;
    std::map<std::string, std::vector<int64_t>> shapeMap;
    for (const auto& sh : shapes) {
        parameters += checkedNumel(sh.shape);
        shapeMap[sh.name] = sh.shape;
    }
    std::vector<policy::Policy> wholePolicies;
    std::shared_ptr<policy::ErrorTable> table;
    if (o.policies > 0 && distinct) {
        table = std::make_shared<policy::ErrorTable>(tableTypes, tableRows, "mse", "validation");
        table->setImportance("per-weight Fisher of the task text");
        auto sizeAt = [&](const quant::Precision& p) {
            policy::Policy all = none;
            for (const auto& t : tableRows)
                all.overrides[t.name] = p;
            return exporting::policyCost(all, shapes, parameters, nullptr).bytes;
        };
        uint64_t lo = sizeAt(types.front()), hi = lo;
        for (const auto& t : types) {
            lo = std::min(lo, sizeAt(t));
            hi = std::max(hi, sizeAt(t));
        }
        if (K == 1)
            hi = sizeAt(f16);
        std::vector<sensitivity::MapEntry> levels;
        for (const auto& t : tableRows)
            levels.push_back({t.name, t.fisherMean.value_or(0.0), t.numel, t.shape});
        const sensitivity::SensitivityMap levelMap(levels, {});
        std::vector<quant::Precision> choices{f16};
        for (const auto& t : types)
            choices.push_back(t);
        for (int b = 0; b < o.policies; ++b) {
            const double f = K == 1 ? 0.1 * (b + 1) : (b + 1.0) / (o.policies + 1.0);
            const uint64_t budget = lo + static_cast<uint64_t>(f * double(hi - lo));
            policy::BuildOptions bo;
            bo.method = "optimal";
            bo.choices = choices;
            bo.errors = table.get();
            bo.damageModel = true;
            bo.budgetBytes = budget;
            bo.shapes = shapeMap;
            bo.base = none;
            try {
                wholePolicies.push_back(policy::buildPolicy(levelMap, bo).policy);
                PolicyCheck pc;
                pc.budgetBits = quant::bitsPerWeight(budget, parameters);
                r.policies.push_back(pc);
            } catch (const Cancelled&) {
                throw;
            } catch (const Error&) {
                // an unreachable budget: skipped
            }
        }
    }

    const double steps = 1.0 + static_cast<double>(r.rows.size() + K + wholePolicies.size());
    const double from = 0.06, span = 0.94;
    exporting::PolicyApplier applier(model);
    const ReferenceLogProbs ref =
        ReferenceLogProbs::compute(model, chunks, subJob(job, from, span / steps));
    std::vector<QualityMetrics> wholeByType(K);
    try {
        double at = 1;
        for (std::size_t i = 0; i < r.rows.size(); ++i, ++at) {
            const JobControl j = subJob(job, from + span * at / steps, span / steps);
            j.report(0, "tensor " + std::to_string(i + 1) + " of " + std::to_string(r.rows.size()) +
                            ": " + r.rows[i].name + " at " + r.rows[i].requested);
            policy::Policy p = none;
            p.overrides[r.rows[i].name] = types[i % K];
            applier.apply(p, j);
            const QualityMetrics m = evaluateAgainst(model, chunks, ref, j);
            r.rows[i].measured = m.kldMean;
            r.rows[i].measuredUncertainty = m.kldUncertainty;
            applier.restore();
        }
        for (std::size_t k = 0; k < K; ++k, ++at) {
            policy::Policy all = none;
            for (std::size_t i = k; i < r.rows.size(); i += K)
                all.overrides[r.rows[i].name] = types[k];
            const JobControl j = subJob(job, from + span * at / steps, span / steps);
            j.report(0, "all tested tensors together at " + types[k].name());
            applier.apply(all, j);
            wholeByType[k] = evaluateAgainst(model, chunks, ref, j);
            applier.restore();
        }
        for (std::size_t b = 0; b < wholePolicies.size(); ++b, ++at) {
            const JobControl j = subJob(job, from + span * at / steps, span / steps);
            j.report(0, "whole policy " + std::to_string(b + 1));
            applier.apply(wholePolicies[b], j);
            r.policies[b].joint = evaluateAgainst(model, chunks, ref, j).kldMean;
            applier.restore();
        }
    } catch (...) {
        applier.restore();
        throw;
    }

    // Per type.
    for (std::size_t k = 0; k < K; ++k) {
        PrecisionCheck pc;
        pc.precision = types[k].name();
        auto ofType = [&](const ValidationRow& row) { return row.requested == pc.precision; };
        auto quantOfType = [&](const ValidationRow& row) { return ofType(row) && row.quantized; };
        for (const auto& row : r.rows)
            if (ofType(row)) {
                ++pc.rows;
                pc.quantizedRows += row.quantized ? 1 : 0;
                pc.sumSingle += row.measured;
            }
        pc.spearman = rhoOf(r.rows, &ValidationRow::predicted, quantOfType);
        pc.spearmanAll = rhoOf(r.rows, &ValidationRow::predicted, ofType);
        std::tie(pc.calibration, pc.within2) = calibrationOf(r.rows, quantOfType);
        pc.whole = wholeByType[k].kldMean;
        pc.additivity = ratioOf(pc.whole, pc.sumSingle);
        r.perPrecision.push_back(pc);
    }
    const PrecisionCheck& first = r.perPrecision.front();
    r.sumSingle = first.sumSingle;
    r.whole = first.whole;
    r.additivity = first.additivity;
    r.wholeMetrics = wholeByType.front();
    r.chunks = r.wholeMetrics.chunks;
    r.tokens = r.wholeMetrics.tokens;
    r.spearman = first.spearmanAll;
    r.spearmanPlain = rhoOf(r.rows, &ValidationRow::predictedPlain, [&](const ValidationRow& row) {
        return row.requested == first.precision;
    });
    std::tie(r.calibration, r.within2) =
        calibrationOf(r.rows, [](const ValidationRow& row) { return row.quantized; });
    r.predictors = {{"predicted", &ValidationRow::predicted},
                    {"plain_sse", &ValidationRow::predictedPlain},
                    {"column_weighted", &ValidationRow::predictedColumns},
                    {"fisher_weighted", &ValidationRow::predictedFisher},
                    {"text_fisher_only", &ValidationRow::predictedText},
                    {"text_quadratic", &ValidationRow::predictedQuadratic},
                    {"map_level_quadratic", &ValidationRow::predictedQuadraticMap},
                    {"text_window", &ValidationRow::predictedWindow},
                    {"score_only", &ValidationRow::score},
                    {"sse_only", &ValidationRow::sse}};
    for (auto& pr : r.predictors) {
        pr.all = rhoOf(r.rows, pr.field, [](const ValidationRow&) { return true; });
        pr.quantized =
            rhoOf(r.rows, pr.field, [](const ValidationRow& row) { return row.quantized; });
    }
    for (const auto& row : r.rows)
        r.quantizedRows += row.quantized ? 1 : 0;

    // Whole policies: the damage function's totals against the joint KL.
    if (table) {
        exporting::TaskStatistics task;
        task.level = exporting::tableLevels(*table);
        for (std::size_t b = 0; b < r.policies.size(); ++b) {
            PolicyCheck& pc = r.policies[b];
            const policy::Policy& p = wholePolicies[b];
            const exporting::PolicyCost cost =
                exporting::policyCost(p, shapes, parameters, nullptr);
            pc.bytes = cost.bytes;
            pc.bitsPerWeight = cost.bitsPerWeight;
            const exporting::DamagePrediction d = exporting::predictDamage(p, shapes, *table, task);
            pc.predicted = d.kld;
            pc.predictedCalibrated = std::isfinite(r.calibration) ? r.calibration * d.kld : 0.0;
            std::map<std::string, int> mix;
            for (const auto& t : d.tensors) {
                ++mix[t.effective.name()];
                const std::string want = p.precisionFor(t.name).name();
                for (std::size_t i = 0; i < r.rows.size(); ++i)
                    if (r.rows[i].name == t.name && r.rows[i].requested == want)
                        pc.sumSingle += r.rows[i].measured;
            }
            for (const auto& [type, n] : mix)
                pc.mix += (pc.mix.empty() ? "" : ", ") + type + " x" + std::to_string(n);
            pc.additivity = ratioOf(pc.joint, pc.sumSingle);
        }
    }

    std::vector<double> pred, meas;
    for (const auto& row : r.rows) {
        pred.push_back(row.predicted);
        meas.push_back(row.measured);
    }
    r.scale = policy::fitScale(pred, meas);
    if (r.scale > 0) {
        for (auto& row : r.rows)
            if (row.predicted > 0 && row.measured > 0)
                row.misprediction = std::log(row.measured / (r.scale * row.predicted));
    }
    std::vector<std::size_t> order(r.rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::fabs(r.rows[a].misprediction) > std::fabs(r.rows[b].misprediction);
    });
    order.resize(
        std::min<std::size_t>(order.size(), static_cast<std::size_t>(std::max(0, o.worst))));
    r.worst = order;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    job.report(1.0, "validation done");
    return r;
}

ValidationResult runValidation(const TaskRequest& task, const sensitivity::SensitivityMap* map,
                               const ValidationOptions& options, const JobControl& job) {
    parseTensorSelection(options.tensors); // fail before loading anything
    TaskSetup s = prepareTask(task, job);
    return validateDamage(*s.model, s.chunks, map, options, job);
}

ValidationResult runValidation(const TaskRequest& task, const sensitivity::SensitivityMap& map,
                               const ValidationOptions& options, const JobControl& job) {
    return runValidation(task, &map, options, job);
}

nlohmann::ordered_json ValidationResult::toJson() const {
    using oj = nlohmann::ordered_json;
    auto num = [](double v) { return std::isfinite(v) ? oj(v) : oj(nullptr); };
    oj j;
    j["format"] = "taskquant-validation";
    j["version"] = 2;
    j["precision"] = precision;
    j["damage_model"] =
        !mapLevel ? "1/2*sum F*delta^2 (per-weight Fisher of the task text, nats per token)"
        : fisherWeighting
            ? "1/2*score*fisher_weighted_sse (map level, per-weight Fisher of the task text)"
        : activationWeighting ? "1/2*score*weighted_sse (activations of the task text)"
                              : "1/2*score*sse";
    j["spearman"] = num(spearman);
    j["spearman_plain_sse"] = num(spearmanPlain);
    {
        oj sp = oj::object();
        for (const auto& pr : predictors)
            sp[pr.name] = {{"all", num(pr.all)}, {"quantized", num(pr.quantized)}};
        j["spearman_by_predictor"] = std::move(sp);
        j["quantized_tensors"] = quantizedRows;
    }
    j["scale"] = num(scale);
    j["calibration"] = {{"ratio", num(calibration)}, {"within_2x", num(within2)}};
    j["chunks"] = chunks;
    j["tokens"] = tokens;
    j["additivity"] = {{"sum_single_kld", sumSingle},
                       {"whole_kld", whole},
                       {"ratio", num(additivity)},
                       {"whole_metrics", wholeMetrics.toJson()}};
    oj pp = oj::array();
    for (const auto& p : perPrecision)
        pp.push_back({{"precision", p.precision},
                      {"tensors", p.rows},
                      {"quantized_tensors", p.quantizedRows},
                      {"spearman_quantized", num(p.spearman)},
                      {"spearman_all", num(p.spearmanAll)},
                      {"calibration_ratio", num(p.calibration)},
                      {"within_2x", num(p.within2)},
                      {"sum_single_kld", p.sumSingle},
                      {"whole_kld", p.whole},
                      {"additivity", num(p.additivity)}});
    j["per_precision"] = std::move(pp);
    oj pol = oj::array();
    for (const auto& p : policies)
        pol.push_back({{"budget_bits", p.budgetBits},
                       {"bytes", p.bytes},
                       {"bits_per_weight", p.bitsPerWeight},
                       {"mix", p.mix},
                       {"predicted_kld", p.predicted},
                       {"predicted_kld_calibrated", p.predictedCalibrated},
                       {"sum_single_kld", p.sumSingle},
                       {"joint_kld", p.joint},
                       {"additivity", num(p.additivity)}});
    j["policies"] = std::move(pol);
    oj w = oj::array();
    for (std::size_t i : worst)
        w.push_back({{"name", rows[i].name},
                     {"requested", rows[i].requested},
                     {"predicted", rows[i].predicted},
                     {"measured", rows[i].measured},
                     {"misprediction", rows[i].misprediction}});
    j["worst"] = std::move(w);
    oj ts = oj::array();
    for (const auto& r : rows)
        ts.push_back({{"name", r.name},
                      {"requested", r.requested},
                      {"precision", r.effective},
                      {"score", r.score},
                      {"sse", r.sse},
                      {"weighted_sse", r.weightedSse},
                      {"fisher_mean", r.meanFisher},
                      {"predicted_kld", r.predicted},
                      {"predicted_kld_plain_sse", r.predictedPlain},
                      {"predicted_kld_column_weighted", r.predictedColumns},
                      {"predicted_kld_fisher_weighted", r.predictedFisher},
                      {"predicted_kld_text_fisher_only", r.predictedText},
                      {"predicted_kld_text_quadratic", r.predictedQuadratic},
                      {"predicted_kld_map_level_quadratic", r.predictedQuadraticMap},
                      {"predicted_kld_text_window", r.predictedWindow},
                      {"quantized", r.quantized},
                      {"measured_kld", r.measured},
                      {"measured_kld_uncertainty", r.measuredUncertainty},
                      {"misprediction", r.misprediction}});
    j["tensors"] = std::move(ts);
    j["seconds"] = seconds;
    return j;
}

std::string ValidationResult::table() const {
    std::ostringstream o;
    char buf[512];
    std::size_t w = 6;
    for (const auto& r : rows)
        w = std::max(w, r.name.size());
    std::snprintf(buf, sizeof buf, "%-*s %-7s %-7s %12s %12s %12s %8s\n", int(w), "tensor",
                  "tested", "type", "SSE", "predicted", "measured", "log err");
    o << buf;
    for (const auto& r : rows) {
        std::snprintf(buf, sizeof buf, "%-*s %-7s %-7s %12.5g %12.5g %12.5g %8.3f\n", int(w),
                      r.name.c_str(), r.requested.c_str(), r.effective.c_str(), r.sse, r.predicted,
                      r.measured, r.misprediction);
        o << buf;
    }
    std::snprintf(buf, sizeof buf, "damage model: %s (%lld chunks, %lld tokens)\n",
                  mapLevel ? "the map's score x the weighted SSE"
                           : "1/2 sum F delta^2, the task text's per-weight Fisher (nats/token)",
                  (long long)chunks, (long long)tokens);
    o << buf;
    o << "per type: spearman over the really quantized tensors (all), calibration ratio sum "
         "measured / sum predicted, share within x2, additivity (all at once / sum of singles)\n";
    for (const auto& p : perPrecision) {
        std::snprintf(buf, sizeof buf,
                      "  %-7s spearman %.4f over %zu (%.4f over %zu)  calibration %.3f  within "
                      "x2 %.0f%%  additivity %.3f\n",
                      p.precision.c_str(), p.spearman, p.quantizedRows, p.spearmanAll, p.rows,
                      p.calibration, 100 * p.within2, p.additivity);
        o << buf;
    }
    std::snprintf(buf, sizeof buf,
                  "all types: calibration ratio %.3f, within x2 %.0f%% of %zu quantized; scale "
                  "(median) measured/predicted = %.4g\n",
                  calibration, 100 * within2, quantizedRows, scale);
    o << buf;
    std::snprintf(buf, sizeof buf, "spearman by predictor (all %zu / the %zu really quantized):\n",
                  rows.size(), quantizedRows);
    o << buf;
    for (const auto& pr : predictors) {
        std::snprintf(buf, sizeof buf, "  %-20s %8.4f %8.4f\n", pr.name.c_str(), pr.all,
                      pr.quantized);
        o << buf;
    }
    o << "worst mispredictions (log measured / (scale * predicted)):\n";
    for (std::size_t i : worst) {
        std::snprintf(buf, sizeof buf, "  %+7.3f  %s at %s\n", rows[i].misprediction,
                      rows[i].name.c_str(), rows[i].requested.c_str());
        o << buf;
    }
    if (!policies.empty())
        o << "whole policies (optimal allocation with the damage model): predicted KLD (raw, "
             "calibrated) vs measured joint KLD; sum of singles and additivity\n";
    for (const auto& p : policies) {
        std::snprintf(buf, sizeof buf,
                      "  %6.3f bpw  predicted KLD ~ %.4g (calibrated %.4g)  measured %.4g  "
                      "ratio %.3f  sum singles %.4g  additivity %.3f  [%s]\n",
                      p.bitsPerWeight, p.predicted, p.predictedCalibrated, p.joint,
                      p.joint > 0 ? p.predictedCalibrated / p.joint : 0.0, p.sumSingle,
                      p.additivity, p.mix.c_str());
        o << buf;
    }
    return o.str();
}

} // namespace taskquant::eval
