#include "core/policy/policy_builder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/models/taxonomy.h"
#include "core/policy/damage_model.h"
#include "core/util/error.h"

namespace taskquant::policy {

using quant::Precision;

std::vector<TensorShape> shapesOf(const sensitivity::SensitivityMap& map,
                                  const std::map<std::string, std::vector<int64_t>>& extra,
                                  const ErrorTable* errors) {
    std::vector<TensorShape> out;
    out.reserve(map.size());
    for (const auto& e : map.entries()) {
        TensorShape t{e.name, e.shape};
        if (!t.shape) {
            auto it = extra.find(e.name);
            if (it != extra.end())
                t.shape = it->second;
        }
        if (!t.shape && errors) {
            if (const ErrorRow* r = errors->find(e.name))
                t.shape = r->shape;
        }
        out.push_back(std::move(t));
    }
    return out;
}

namespace {

const std::vector<int64_t>& requireShape(const TensorShape& t, const char* why) {
    if (!t.shape)
        throw Error("the shape of \"" + t.name + "\" is unknown; " + why +
                    " needs it (a map with shapes, --model DIR or --shapes FILE)");
    return *t.shape;
}

int64_t numelOf(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

void optimal(const sensitivity::SensitivityMap& map, const BuildOptions& o,
             const std::vector<TensorShape>& shapes, const std::vector<std::size_t>& cand,
             BuildResult& r, const JobControl& job) {
    // Stored bytes of a tensor at a precision: the target file's rule when given.
    auto bytesOf = [&](const std::string& name, const std::vector<int64_t>& shape,
                       const Precision& p) -> uint64_t {
        return o.tensorBytes ? o.tensorBytes(name, shape, p) : p.bytes(shape);
    };
    if (o.choices.empty())
        throw Error("optimal: no precisions to choose from");
    if (!o.errors && !o.bitsProxy)
        throw Error("optimal: an error table is needed (--errors ERRORS.json), or the bits proxy "
                    "(--error-proxy bits)");
    if (int(o.budgetMiB.has_value()) + int(o.averageBits.has_value()) +
            int(o.budgetBytes.has_value()) !=
        1)
        throw Error("optimal: give exactly one budget, in bytes, in MiB or in average bits per "
                    "weight");
    if (o.damageModel && !o.errors)
        throw Error("optimal: the damage model needs an error table (--errors ERRORS.json)");
    std::vector<int> column(o.choices.size(), -1);
    if (o.errors && !o.bitsProxy)
        for (std::size_t j = 0; j < o.choices.size(); ++j) {
            column[j] = o.errors->column(o.choices[j].name());
            if (column[j] < 0)
                throw Error("optimal: the error table has no column for " + o.choices[j].name());
        }
    std::vector<AllocationItem> items;
    int64_t candidateWeights = 0;
    for (std::size_t k : cand) {
        const auto& e = map.entries()[k];
        const std::vector<int64_t>& shape = requireShape(shapes[k], "the optimal allocation");
        const int64_t n = numelOf(shape);
        candidateWeights += n;
        const ErrorRow* row = nullptr;
        if (column[0] >= 0) {
            row = o.errors->find(e.name);
            if (!row)
                throw Error("optimal: the error table has no row for \"" + e.name + "\"");
        }
        AllocationItem it;
        it.name = e.name;
        const double score = o.flatScores ? 1.0 : e.score;
        if (auto pin = o.pinned.find(e.name); pin != o.pinned.end()) {
            // A hard constraint: one option. Its cost only enters the reported objective.
            const Precision& p = pin->second;
            if (!p.supportsShape(shape))
                throw Error("optimal: the pinned precision " + p.name() + " of \"" + e.name +
                            "\" cannot store its shape");
            double cost = 0;
            const int col = o.errors ? o.errors->column(p.name()) : -1;
            if (row && col >= 0 && o.damageModel) {
                if (auto d = tensorDamage(score, *row, static_cast<std::size_t>(col), *o.errors))
                    cost = *d;
            }
            it.bytes.push_back(bytesOf(e.name, shape, p));
            it.cost.push_back(cost);
            items.push_back(std::move(it));
            continue;
        }
        for (std::size_t j = 0; j < o.choices.size(); ++j) {
            const Precision& p = o.choices[j];
            // A choice that cannot store the shape is never picked (cost infinite below).
            it.bytes.push_back(p.supportsShape(shape) ? bytesOf(e.name, shape, p) : 0);
            double err = std::numeric_limits<double>::infinity();
            if (p.supportsShape(shape) && o.damageModel) {
                if (auto d =
                        tensorDamage(score, *row, static_cast<std::size_t>(column[j]), *o.errors))
                    it.cost.push_back(*d);
                else
                    it.cost.push_back(err);
                continue;
            }
            if (p.supportsShape(shape)) {
                if (row) {
                    const auto& v = row->error[static_cast<std::size_t>(column[j])];
                    if (v)
                        err = *v;
                } else {
                    err = p.isQuantized() ? std::ldexp(1.0, -2 * p.bits) : 0.0;
                }
            }
            const double weight = score * (o.weightByNumel ? static_cast<double>(n) : 1.0);
            // 0 * inf would be NaN: a zero-score tensor still may not use a forbidden option.
            it.cost.push_back(std::isinf(err) ? err : weight * err);
        }
        items.push_back(std::move(it));
    }
    // Precision of a tensor the allocation does not decide.
    auto fixedPrecision = [&](const std::string& name) {
        auto pin = o.pinned.find(name);
        return pin != o.pinned.end() ? pin->second : r.policy.classPrecision(name);
    };
    std::vector<bool> isCand(map.size(), false);
    for (std::size_t k : cand)
        isCand[k] = true;
    // The smallest the allocated tensors can be: each at its cheapest allowed option.
    uint64_t smallest = 0;
    for (const auto& it : items) {
        uint64_t m = std::numeric_limits<uint64_t>::max();
        for (std::size_t j = 0; j < it.bytes.size(); ++j)
            if (std::isfinite(it.cost[j]))
                m = std::min(m, it.bytes[j]);
        if (m != std::numeric_limits<uint64_t>::max())
            smallest += m;
    }
    // Below the smallest possible size: one error in the user's own terms, naming the number
    // given and the smallest reachable one in the same units (the allocator's own message would
    // name the budget left after the fixed tensors, a number nobody gave).
    auto unreachable = [&](const std::string& given, const std::string& least,
                           uint64_t leastBytes) {
        throw UnreachableBudget(
            "optimal: the budget (" + given +
                ") is below the smallest possible size these choices allow: " + least,
            leastBytes);
    };
    uint64_t budget = 0;
    if (o.budgetBytes) {
        uint64_t fixed = o.fixedBytes;
        for (std::size_t k = 0; k < map.size(); ++k)
            if (!isCand[k])
                fixed += bytesOf(shapes[k].name, requireShape(shapes[k], "a byte budget"),
                                 fixedPrecision(shapes[k].name));
        for (const auto& [name, shape] : o.shapes)
            if (!map.find(name))
                fixed += bytesOf(name, shape, fixedPrecision(name));
        if (*o.budgetBytes < fixed + smallest)
            unreachable("--budget-bytes " + std::to_string(*o.budgetBytes),
                        std::to_string(fixed + smallest) + " bytes", fixed + smallest);
        budget = *o.budgetBytes - fixed;
    } else if (o.averageBits) {
        if (!(*o.averageBits > 0) || !std::isfinite(*o.averageBits))
            throw Error("optimal: average bits must be > 0");
        budget = static_cast<uint64_t>(
            std::floor(*o.averageBits * static_cast<double>(candidateWeights) / 8.0));
        if (budget < smallest) {
            char bits[64];
            std::snprintf(bits, sizeof bits, "%.6g",
                          8.0 * double(smallest) / double(std::max<int64_t>(1, candidateWeights)));
            char given[64];
            std::snprintf(given, sizeof given, "%.6g", *o.averageBits);
            unreachable(std::string("--avg-bits ") + given,
                        std::string(bits) + " bits per weight (" + std::to_string(smallest) +
                            " bytes)",
                        smallest);
        }
    } else {
        if (!(*o.budgetMiB > 0) || !std::isfinite(*o.budgetMiB))
            throw Error("optimal: the budget must be > 0 MiB");
        const double total = std::floor(*o.budgetMiB * 1024.0 * 1024.0);
        uint64_t fixed = o.fixedBytes;
        for (std::size_t k = 0; k < map.size(); ++k)
            if (!isCand[k])
                fixed += bytesOf(shapes[k].name, requireShape(shapes[k], "--budget-mb"),
                                 fixedPrecision(shapes[k].name));
        if (total < static_cast<double>(fixed + smallest)) {
            char mib[64], given[64];
            std::snprintf(mib, sizeof mib, "%.6f", double(fixed + smallest) / 1048576.0);
            std::snprintf(given, sizeof given, "%.6g", *o.budgetMiB);
            unreachable(std::string("--size-mb ") + given,
                        std::string(mib) + " MiB (" + std::to_string(fixed + smallest) + " bytes)",
                        fixed + smallest);
        }
        budget = static_cast<uint64_t>(total) - fixed;
    }
    Allocation a = allocateOptimal(items, budget, o.allocator, job);
    // The most chosen precision becomes the default; the rest are overrides.
    std::vector<int> votes(o.choices.size(), 0);
    // Only block linear weights follow the default; embeddings / lm_head always get overrides.
    std::vector<bool> linear(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
        linear[i] = models::classify(items[i].name).isQuantizableWeight();
    for (std::size_t i = 0; i < items.size(); ++i)
        if (o.pinned.count(items[i].name) == 0 && linear[i])
            ++votes[static_cast<std::size_t>(a.choice[i])];
    const std::size_t top =
        static_cast<std::size_t>(std::max_element(votes.begin(), votes.end()) - votes.begin());
    r.policy.defaultPrecision = o.choices[top];
    for (std::size_t i = 0; i < items.size(); ++i)
        if (o.pinned.count(items[i].name) == 0 &&
            (!linear[i] || static_cast<std::size_t>(a.choice[i]) != top))
            r.policy.overrides[items[i].name] = o.choices[static_cast<std::size_t>(a.choice[i])];
    for (const auto& [name, p] : o.pinned)
        r.policy.overrides[name] = p;
    nlohmann::json& params = r.policy.provenance.params;
    std::vector<std::string> names;
    for (const auto& p : o.choices)
        names.push_back(p.name());
    params["precisions"] = names;
    params["errors"] =
        o.bitsProxy ? std::string("proxy:2^(-2*bits)") : (o.errors ? o.errors->metric() : "");
    params["weight_by_numel"] = o.weightByNumel;
    if (o.damageModel) {
        // Which damage formula and which task text (damage_model.h): the weighted errors are
        // (3) with column energies, (4) with the task text's per-weight Fisher.
        params["damage_model"] = damageFormula(*o.errors);
        if (usesWeightedErrors(*o.errors))
            params["damage_weighting"] = o.errors->importance();
        const ErrorTaskText& t = o.errors->taskText();
        if (!t.empty())
            params["task_text"] = {{"source", t.source}, {"ctx", t.ctx},
                                   {"chunks", t.chunks}, {"tokens", t.tokens},
                                   {"seed", t.seed},     {"tokens_fnv1a64", t.tokensFnv1a64}};
    }
    if (o.flatScores)
        params["scores"] = "flat";
    if (!o.pinned.empty()) {
        nlohmann::json pins = nlohmann::json::object();
        for (const auto& [name, p] : o.pinned)
            pins[name] = p.name();
        params["pinned"] = pins;
    }
    if (o.budgetBytes)
        params["budget_total_bytes"] = *o.budgetBytes;
    if (o.budgetMiB)
        params["budget_mib"] = *o.budgetMiB;
    if (o.averageBits)
        params["average_bits"] = *o.averageBits;
    params["budget_bytes"] = budget;
    params["allocated_bytes"] = a.bytes;
    if (o.budgetBytes)
        params["total_bytes"] = *o.budgetBytes - budget + a.bytes; // fixed + allocated
    if (!o.sizeRule.empty())
        params["size_rule"] = o.sizeRule;
    params["objective"] = a.objective;
    params["exact"] = a.exact;
    params["slack_bytes"] = a.slackBytes;
    r.allocation = std::move(a);
}

} // namespace

BuildResult buildPolicy(const sensitivity::SensitivityMap& map, const BuildOptions& o,
                        const JobControl& job) {
    BuildResult r;
    r.policy = o.base;
    r.policy.overrides.clear();
    r.policy.estimate.reset();
    const std::vector<TensorShape> shapes = shapesOf(map, o.shapes, o.errors);
    std::vector<std::size_t> cand;
    for (std::size_t k = 0; k < map.size(); ++k)
        if (models::classify(map.entries()[k].name).isQuantizableWeight())
            cand.push_back(k);
    if (cand.empty())
        throw Error(map.source().empty() ? std::string("map") : map.source(),
                    "no quantizable linear weights among the map's tensors");
    for (std::size_t k : cand)
        r.candidates.push_back(map.entries()[k].name);

    PolicyProvenance& pv = r.policy.provenance;
    pv.map = map.source();
    pv.mapMethod = map.provenance().method;
    pv.mapDataset = map.provenance().dataset;
    pv.modelFingerprint = map.provenance().modelFingerprint;
    pv.method = o.method;
    pv.params = nlohmann::json::object();
    pv.toolVersion = TASKQUANT_VERSION;

    if (o.method == "optimal") {
        if (o.allocateEmbeddings && o.errors && !o.bitsProxy) {
            // Embeddings / lm_head with a measured error row join the allocation.
            for (std::size_t k = 0; k < map.size(); ++k) {
                const std::string& name = map.entries()[k].name;
                const models::TensorClass c = models::classify(name);
                if (c.isQuantizableWeight() || !allocatesPrecision(name) || !o.errors->find(name))
                    continue;
                if (shapes[k].shape && shapes[k].shape->size() == 2)
                    cand.push_back(k);
            }
            std::sort(cand.begin(), cand.end());
        }
        optimal(map, o, shapes, cand, r, job);
    } else {
        SelectionParams sp = o.selection;
        sp.method = parseSelectionMethod(o.method);
        std::vector<Candidate> cs;
        for (std::size_t k : cand) {
            Candidate c{map.entries()[k].name, map.entries()[k].score, 0, 0};
            if (sp.method == SelectionMethod::Knapsack) {
                const auto& shape = requireShape(shapes[k], "knapsack");
                c.bytesKept = o.high.bytes(shape);
                c.bytesQuantized = o.low.bytes(shape);
            }
            cs.push_back(std::move(c));
        }
        Selection sel = selectProtected(cs, sp);
        r.policy.defaultPrecision = o.low;
        for (const auto& name : sel.kept)
            r.policy.overrides[name] = o.high;
        nlohmann::json& params = pv.params;
        pv.method = selectionMethodName(sp.method);
        params["high"] = o.high.name();
        params["low"] = o.low.name();
        params["invert"] = sp.invert;
        params["candidates"] = cand.size();
        params["kept"] = sel.kept.size();
        switch (sp.method) {
        case SelectionMethod::Percentile:
            params["keep_fraction"] = sp.keepFraction;
            break;
        case SelectionMethod::Gradient:
            params["ratio"] = sp.gradientRatio;
            break;
        case SelectionMethod::Cumulative:
            params["share"] = sp.cumulativeShare;
            break;
        case SelectionMethod::Knapsack:
            params["budget_mib"] = sp.budgetMiB;
            params["extra_bytes"] = sel.extraBytes;
            break;
        case SelectionMethod::Blocks:
            params["keep_fraction"] = sp.keepFraction;
            params["kept_blocks"] = sel.keptBlocks;
            break;
        case SelectionMethod::Elbow:
            params["knee"] = sel.knee ? nlohmann::json(*sel.knee) : nlohmann::json(nullptr);
            break;
        default:
            break;
        }
        if (sel.threshold)
            params["threshold"] = *sel.threshold;
        r.selection = std::move(sel);
    }
    r.policy.estimate = r.policy.estimateSize(shapes);
    return r;
}

} // namespace taskquant::policy
