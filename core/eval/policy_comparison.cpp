#include "core/eval/policy_comparison.h"

#include <cstdio>
#include <sstream>

#include "core/eval/gguf_weights.h"
#include "core/export/apply_policy.h"
#include "core/quant/sizes.h"

namespace taskquant::eval {

std::vector<ComparisonRow>
comparePolicies(models::CausalLM& model, const std::vector<int32_t>& tokens,
                const std::vector<NamedPolicy>& policies, const ComparisonOptions& options,
                const tokenize::Tokenizer* tokenizer, const JobControl& job) {
    const auto chunks = makeChunks(tokens, options.chunks);
    const double steps = 1.0 + policies.size() + options.ggufFiles.size();
    const bool withGsm = !options.gsm8k.empty() && tokenizer;
    exporting::PolicyApplier applier(model);
    const ReferenceLogProbs ref =
        ReferenceLogProbs::compute(model, chunks, subRange(job, 0, 1 / steps));
    int64_t params = 0;
    uint64_t refBytes = 0;
    for (const auto& p : model.parameters()) {
        params += p.tensor.numel();
        // the unquantized model in its compute dtype (however the file stores it)
        refBytes += uint64_t(p.tensor.numel()) * c10::elementSize(model.dtype());
    }
    std::vector<ComparisonRow> rows;
    ComparisonRow base;
    base.name = "baseline";
    base.baseline = true;
    base.metrics = referenceMetrics(chunks, ref);
    base.bytes = refBytes;
    base.averageBits = quant::bitsPerWeight(refBytes, params);
    if (withGsm)
        base.gsm8k = evaluateGsm8k(model, *tokenizer, options.gsm8k, options.gsm8kMaxNewTokens,
                                   subRange(job, 0, 1 / steps));
    rows.push_back(std::move(base));
    for (std::size_t i = 0; i < policies.size(); ++i) {
        const JobControl j = subRange(job, (1.0 + i) / steps, 1 / steps);
        ComparisonRow row;
        row.name = policies[i].name;
        try {
            const auto plan = applier.apply(policies[i].policy, j, options.importance);
            for (const auto& tp : plan) {
                row.bytes += tp.effective.bytes(tp.shape);
                if (!tp.note.empty())
                    row.notes.push_back(tp.note);
            }
            row.averageBits = quant::bitsPerWeight(row.bytes, params);
            row.metrics = evaluateAgainst(model, chunks, ref, j);
            if (withGsm)
                row.gsm8k =
                    evaluateGsm8k(model, *tokenizer, options.gsm8k, options.gsm8kMaxNewTokens, j);
        } catch (...) {
            applier.restore();
            throw;
        }
        applier.restore();
        rows.push_back(std::move(row));
    }
    if (!options.ggufFiles.empty()) {
        GgufWeightSwap swap(model);
        for (std::size_t i = 0; i < options.ggufFiles.size(); ++i) {
            const JobControl j = subRange(job, (1.0 + policies.size() + i) / steps, 1 / steps);
            ComparisonRow row;
            row.name = options.ggufFiles[i];
            try {
                const GgufWeightsInfo info =
                    swap.apply(options.ggufFiles[i], j, options.ggufCpuArithmetic);
                row.bytes = info.bytes;
                row.notes = info.notes;
                row.averageBits = quant::bitsPerWeight(row.bytes, params);
                row.metrics = evaluateAgainst(model, chunks, ref, j);
                if (withGsm)
                    row.gsm8k = evaluateGsm8k(model, *tokenizer, options.gsm8k,
                                              options.gsm8kMaxNewTokens, j);
            } catch (...) {
                swap.restore();
                throw;
            }
            swap.restore();
            rows.push_back(std::move(row));
        }
    }
    job.report(1.0, "comparison done");
    return rows;
}

std::string formatComparisonTable(const std::vector<ComparisonRow>& rows) {
    std::ostringstream o;
    char buf[512];
    std::size_t w = 8;
    for (const auto& r : rows)
        w = std::max(w, r.name.size());
    std::snprintf(buf, sizeof buf, "%-*s %9s %6s %18s %11s %10s %10s %9s %9s %9s", int(w),
                  "variant", "size MiB", "bits", "PPL", "KLD mean", "KLD p99", "KLD max",
                  "same top1", "mean dp", "rms dp");
    o << buf;
    const bool gsm = !rows.empty() && rows.front().gsm8k.has_value();
    if (gsm)
        o << "  GSM8K";
    o << "\n";
    for (const auto& r : rows) {
        const auto& m = r.metrics;
        std::snprintf(buf, sizeof buf,
                      "%-*s %9.3f %6.2f %9.4f ± %6.4f %11.6f %10.6f %10.6f %8.3f%% %8.3f%% %8.3f%%",
                      int(w), r.name.c_str(), r.bytes / 1048576.0, r.averageBits, m.ppl,
                      m.pplUncertainty, m.kldMean, m.kldP99, m.kldMax, 100 * m.sameTop1,
                      100 * m.meanDeltaP, 100 * m.rmsDeltaP);
        o << buf;
        if (r.gsm8k) {
            std::snprintf(buf, sizeof buf, "  %.1f%% (%lld/%lld)", 100 * r.gsm8k->accuracy(),
                          (long long)r.gsm8k->correct, (long long)r.gsm8k->total);
            o << buf;
        }
        o << "\n";
    }
    if (!rows.empty())
        o << "(" << rows.front().metrics.chunks << " chunks, " << rows.front().metrics.tokens
          << " scored tokens)\n";
    return o.str();
}

nlohmann::ordered_json comparisonJson(const std::vector<ComparisonRow>& rows) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
        nlohmann::ordered_json j;
        j["name"] = r.name;
        j["baseline"] = r.baseline;
        j["bytes"] = r.bytes;
        j["average_bits"] = r.averageBits;
        j["metrics"] = r.metrics.toJson();
        j["fallbacks"] = r.notes;
        if (r.gsm8k)
            j["gsm8k"] = r.gsm8k->toJson(true);
        a.push_back(std::move(j));
    }
    return a;
}

} // namespace taskquant::eval
