#include "core/eval/damage_validation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include "core/export/apply_policy.h"
#include "core/models/taxonomy.h"
#include "core/policy/compare.h"
#include "core/policy/damage_model.h"
#include "core/policy/error_measure.h"
#include "core/quant/codec.h"
#include "core/sensitivity/activation_stats.h"
#include "core/util/error.h"

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

ValidationResult validateDamage(models::CausalLM& model,
                                const std::vector<std::vector<int64_t>>& chunks,
                                const sensitivity::SensitivityMap& map, const ValidationOptions& o,
                                const JobControl& job) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t topN = parseTensorSelection(o.tensors);
    ValidationResult r;
    r.precision = o.precision.name();
    r.activationWeighting = o.activationWeighting;
    r.fisherWeighting = o.fisherWeighting;
    // Both refinements are always measured, so the JSON compares every predictor.
    const std::map<std::string, std::vector<float>> energy =
        sensitivity::columnEnergy(model, chunks, subJob(job, 0, 0.01));
    const std::map<std::string, std::vector<float>> fisher =
        sensitivity::elementFisher(model, chunks, o.seed, subJob(job, 0.01, 0.03));
    // Candidates with their predictions.
    for (const auto& e : map.entries()) {
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
        const std::vector<int64_t> shape = w.sizes().vec();
        const quant::Precision eff = exporting::fitPrecision(o.precision, shape);
        const float* data = w.data_ptr<float>();
        const std::vector<float> q = quant::fakeQuantize(eff, data, shape);
        const int64_t cols = shape.empty() ? 1 : shape.back();
        const float* weights = nullptr;
        if (auto it = energy.find(e.name);
            it != energy.end() && static_cast<int64_t>(it->second.size()) == cols)
            weights = it->second.data();
        const auto se = policy::squaredError(q.data(), data, w.numel(), cols, weights);
        ValidationRow row;
        row.name = e.name;
        row.effective = eff.name();
        row.quantized = eff == o.precision;
        row.score = e.score;
        row.sse = se.sse;
        row.weightedSse = se.weightedSse;
        row.fisherSse = se.sse;
        if (auto it = fisher.find(e.name);
            it != fisher.end() && static_cast<int64_t>(it->second.size()) == w.numel()) {
            const auto fe =
                policy::elementSquaredError(q.data(), data, w.numel(), it->second.data());
            row.fisherSse = fe.weightedSse;
            double d = 0;
            for (int64_t i = 0; i < w.numel(); ++i) {
                const double x = double(q[static_cast<std::size_t>(i)]) - double(data[i]);
                d += double(it->second[static_cast<std::size_t>(i)]) * x * x;
            }
            row.predictedText = 0.5 * d;
        }
        row.predictedColumns = policy::predictedKl(e.score, se.weightedSse);
        row.predictedFisher = policy::predictedKl(e.score, row.fisherSse);
        row.predictedPlain = policy::predictedKl(e.score, se.sse);
        row.predicted = o.fisherWeighting       ? row.predictedFisher
                        : o.activationWeighting ? row.predictedColumns
                                                : row.predictedPlain;
        r.rows.push_back(std::move(row));
    }
    if (r.rows.empty())
        throw Error((map.source().empty() ? std::string("map") : map.source()) +
                    ": none of the map's quantizable linear weights is in the model");
    if (topN > 0 && topN < r.rows.size()) {
        std::vector<std::size_t> order(r.rows.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return r.rows[a].predicted > r.rows[b].predicted;
        });
        order.resize(topN);
        std::sort(order.begin(), order.end());
        std::vector<ValidationRow> kept;
        for (std::size_t i : order)
            kept.push_back(r.rows[i]);
        r.rows = std::move(kept);
    }

    const double steps = 2.0 + static_cast<double>(r.rows.size());
    exporting::PolicyApplier applier(model);
    const ReferenceLogProbs ref =
        ReferenceLogProbs::compute(model, chunks, subJob(job, 0, 1 / steps));
    const policy::Policy none = unquantized();
    try {
        for (std::size_t i = 0; i < r.rows.size(); ++i) {
            const JobControl j = subJob(job, (1.0 + i) / steps, 1 / steps);
            j.report(0, "tensor " + std::to_string(i + 1) + " of " + std::to_string(r.rows.size()) +
                            ": " + r.rows[i].name);
            policy::Policy p = none;
            p.overrides[r.rows[i].name] = o.precision;
            applier.apply(p, j);
            const QualityMetrics m = evaluateAgainst(model, chunks, ref, j);
            r.rows[i].measured = m.kldMean;
            r.rows[i].measuredUncertainty = m.kldUncertainty;
            r.sumSingle += m.kldMean;
            applier.restore();
        }
        policy::Policy all = none;
        for (const auto& row : r.rows)
            all.overrides[row.name] = o.precision;
        const JobControl j = subJob(job, (steps - 1) / steps, 1 / steps);
        j.report(0, "all tested tensors together");
        applier.apply(all, j);
        r.wholeMetrics = evaluateAgainst(model, chunks, ref, j);
        applier.restore();
    } catch (...) {
        applier.restore();
        throw;
    }
    r.whole = r.wholeMetrics.kldMean;
    r.additivity =
        r.sumSingle > 0 ? r.whole / r.sumSingle : std::numeric_limits<double>::quiet_NaN();
    r.chunks = r.wholeMetrics.chunks;
    r.tokens = r.wholeMetrics.tokens;

    std::vector<double> pred, plain, meas;
    for (const auto& row : r.rows) {
        pred.push_back(row.predicted);
        plain.push_back(row.predictedPlain);
        meas.push_back(row.measured);
    }
    r.spearman = policy::spearman(pred, meas);
    r.spearmanPlain = policy::spearman(plain, meas);
    auto rho = [&](double ValidationRow::*f, bool quantizedOnly) {
        std::vector<double> a, b;
        for (const auto& row : r.rows)
            if (!quantizedOnly || row.quantized) {
                a.push_back(row.*f);
                b.push_back(row.measured);
            }
        return a.size() < 2 ? std::numeric_limits<double>::quiet_NaN() : policy::spearman(a, b);
    };
    r.predictors = {{"predicted", &ValidationRow::predicted},
                    {"plain_sse", &ValidationRow::predictedPlain},
                    {"column_weighted", &ValidationRow::predictedColumns},
                    {"fisher_weighted", &ValidationRow::predictedFisher},
                    {"text_fisher_only", &ValidationRow::predictedText},
                    {"score_only", &ValidationRow::score},
                    {"sse_only", &ValidationRow::sse}};
    for (auto& pr : r.predictors) {
        pr.all = rho(pr.field, false);
        pr.quantized = rho(pr.field, true);
    }
    for (const auto& row : r.rows)
        r.quantizedRows += row.quantized ? 1 : 0;
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

ValidationResult runValidation(const TaskRequest& task, const sensitivity::SensitivityMap& map,
                               const ValidationOptions& options, const JobControl& job) {
    parseTensorSelection(options.tensors); // fail before loading anything
    TaskSetup s = prepareTask(task, job);
    return validateDamage(*s.model, s.chunks, map, options, job);
}

nlohmann::ordered_json ValidationResult::toJson() const {
    using oj = nlohmann::ordered_json;
    auto num = [](double v) { return std::isfinite(v) ? oj(v) : oj(nullptr); };
    oj j;
    j["format"] = "taskquant-validation";
    j["version"] = 1;
    j["precision"] = precision;
    j["damage_model"] =
        fisherWeighting       ? "1/2*score*fisher_weighted_sse (per-weight Fisher of the task text)"
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
    j["chunks"] = chunks;
    j["tokens"] = tokens;
    j["additivity"] = {{"sum_single_kld", sumSingle},
                       {"whole_kld", whole},
                       {"ratio", num(additivity)},
                       {"whole_metrics", wholeMetrics.toJson()}};
    oj w = oj::array();
    for (std::size_t i : worst)
        w.push_back({{"name", rows[i].name},
                     {"predicted", rows[i].predicted},
                     {"measured", rows[i].measured},
                     {"misprediction", rows[i].misprediction}});
    j["worst"] = std::move(w);
    oj ts = oj::array();
    for (const auto& r : rows)
        ts.push_back({{"name", r.name},
                      {"precision", r.effective},
                      {"score", r.score},
                      {"sse", r.sse},
                      {"weighted_sse", r.weightedSse},
                      {"predicted_kld", r.predicted},
                      {"predicted_kld_plain_sse", r.predictedPlain},
                      {"predicted_kld_column_weighted", r.predictedColumns},
                      {"predicted_kld_fisher_weighted", r.predictedFisher},
                      {"predicted_kld_text_fisher_only", r.predictedText},
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
    std::snprintf(buf, sizeof buf, "%-*s %-7s %12s %12s %12s %8s\n", int(w), "tensor", "type",
                  "SSE", "predicted", "measured", "log err");
    o << buf;
    for (const auto& r : rows) {
        std::snprintf(buf, sizeof buf, "%-*s %-7s %12.5g %12.5g %12.5g %8.3f\n", int(w),
                      r.name.c_str(), r.effective.c_str(), r.sse, r.predicted, r.measured,
                      r.misprediction);
        o << buf;
    }
    std::snprintf(buf, sizeof buf,
                  "spearman(predicted, measured) = %.4f over %zu tensors at %s (%lld chunks, %lld "
                  "tokens)%s\nspearman with the plain SSE (no column weights) = %.4f\n"
                  "scale measured/predicted = %.4g\n",
                  spearman, rows.size(), precision.c_str(), (long long)chunks, (long long)tokens,
                  fisherWeighting       ? "; SSE weighted by the task text's per-weight Fisher"
                  : activationWeighting ? "; SSE weighted by the task's activations"
                                        : "",
                  spearmanPlain, scale);
    o << buf;
    std::snprintf(buf, sizeof buf, "spearman by predictor (all %zu / the %zu really at %s):\n",
                  rows.size(), quantizedRows, precision.c_str());
    o << buf;
    for (const auto& pr : predictors) {
        std::snprintf(buf, sizeof buf, "  %-18s %8.4f %8.4f\n", pr.name.c_str(), pr.all,
                      pr.quantized);
        o << buf;
    }
    o << "worst mispredictions (log measured / (scale * predicted)):\n";
    for (std::size_t i : worst) {
        std::snprintf(buf, sizeof buf, "  %+7.3f  %s\n", rows[i].misprediction,
                      rows[i].name.c_str());
        o << buf;
    }
    std::snprintf(buf, sizeof buf,
                  "additivity: sum of single-tensor KLD %.6g, all together %.6g (ratio %.3f)\n",
                  sumSingle, whole, additivity);
    o << buf;
    return o.str();
}

} // namespace taskquant::eval
