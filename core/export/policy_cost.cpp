#include "core/export/policy_cost.h"

#include <filesystem>

#include "core/export/apply_policy.h"
#include "core/export/gguf_export.h"
#include "core/io/gguf_types.h"
#include "core/io/safetensors.h"
#include "core/models/model_config.h"
#include "core/policy/damage_model.h"
#include "core/quant/sizes.h"
#include "core/util/error.h"
#include "core/util/nearest_names.h"
#include "core/util/shape.h"

namespace taskquant::exporting {

double PlanSize::bitsPerWeight() const {
    return quant::bitsPerWeight(bytes, parameters);
}

PlanSize planSize(const std::vector<TensorPlan>& plan) {
    PlanSize s;
    for (const auto& tp : plan) {
        s.bytes += tp.effective.bytes(tp.shape);
        s.parameters += checkedNumel(tp.shape);
    }
    return s;
}

std::optional<double> tensorDamageAt(const policy::ErrorTable& errors, const std::string& name,
                                     const quant::Precision& effective, double score) {
    const policy::ErrorRow* row = errors.find(name);
    if (!row)
        return std::nullopt;
    const int col = errors.column(effective.name());
    if (col < 0)
        return std::nullopt;
    return policy::tensorDamage(score, *row, std::size_t(col), errors);
}

DamagePrediction predictDamage(const policy::Policy& policy, const std::vector<NamedShape>& shapes,
                               const policy::ErrorTable& errors, const TaskStatistics& task) {
    DamagePrediction out;
    for (const auto& s : shapes) {
        if (!errors.find(s.name))
            continue; // not a quantizable weight: stored as is (no error measured)
        double level = 1;
        if (task.level) {
            const std::optional<double> given = task.level(s.name);
            if (!given)
                continue;
            level = *given;
        }
        const quant::Precision eff = fitPrecision(policy.precisionFor(s.name), s.shape);
        if (const std::optional<double> d = tensorDamageAt(errors, s.name, eff, level)) {
            out.tensors.push_back({s.name, eff, *d});
            out.damage += *d;
        } else if (eff.isQuantized()) {
            ++out.unpredicted;
        }
    }
    out.kld = task.klPerUnit * out.damage;
    return out;
}

ScoreOf tableLevels(const policy::ErrorTable& errors) {
    bool any = false;
    for (const auto& r : errors.rows())
        any = any || r.fisherMean.has_value();
    if (!any)
        return {};
    return [&errors](const std::string& name) -> std::optional<double> {
        const policy::ErrorRow* r = errors.find(name);
        return r ? r->fisherMean : std::nullopt;
    };
}

PolicyCost policyCost(const policy::Policy& policy, const std::vector<NamedShape>& shapes,
                      int64_t parameters, const policy::ErrorTable* errors, const ScoreOf& score) {
    PolicyCost c;
    for (const auto& s : shapes)
        c.bytes += fitPrecision(policy.precisionFor(s.name), s.shape).bytes(s.shape);
    if (errors) {
        TaskStatistics task;
        task.level = score;
        const DamagePrediction d = predictDamage(policy, shapes, *errors, task);
        c.damage = d.damage;
        c.unpredicted = d.unpredicted;
    }
    c.parameters = parameters;
    c.bitsPerWeight = quant::bitsPerWeight(c.bytes, c.parameters);
    return c;
}

GgufTensorSizes GgufTensorSizes::ofDirectory(const std::string& modelDir) {
    GgufTensorSizes s;
    s.modelDir_ = modelDir;
    // The file's tensors do not depend on the policy (only their types do).
    const GgufPlan plan = planGguf(modelDir, policy::Policy());
    for (const auto& g : plan.tensors) {
        if (g.hfName.empty()) { // generated (rope_freqs): its type never changes
            s.generatedBytes_ += io::ggmlTensorBytes(g.type, g.plan.shape, g.ggufName);
            continue;
        }
        auto [it, inserted] = s.index_.emplace(g.hfName, s.tensors_.size());
        if (inserted)
            s.tensors_.push_back({g.hfName, g.plan.shape, {}});
        s.tensors_[it->second].ggufNames.push_back(g.ggufName);
    }
    const models::ModelConfig c =
        models::ModelConfig::fromFile((std::filesystem::path(modelDir) / "config.json").string());
    if (c.tieWordEmbeddings && !s.find("model.embed_tokens.weight") && s.find("lm_head.weight"))
        s.aliases_["model.embed_tokens.weight"] = "lm_head.weight";
    return s;
}

GgufTensorSizes GgufTensorSizes::ofShapes(const std::vector<NamedShape>& shapes) {
    GgufTensorSizes s;
    for (const auto& t : shapes)
        if (s.index_.emplace(t.name, s.tensors_.size()).second)
            s.tensors_.push_back({t.name, t.shape, {t.name}});
    return s;
}

const GgufSizeTensor* GgufTensorSizes::find(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

uint64_t GgufTensorSizes::bytes(const GgufSizeTensor& t, const quant::Precision& requested) const {
    const quant::Precision effective = fitPrecision(requested, t.shape);
    uint64_t b = 0;
    for (const std::string& g : t.ggufNames)
        b += io::ggmlTensorBytes(ggufTensorStorage(g, t.shape, effective).type, t.shape, g);
    return b;
}

uint64_t GgufTensorSizes::bytes(const std::string& name, const std::vector<int64_t>& shape,
                                const quant::Precision& requested) const {
    if (const GgufSizeTensor* t = find(name); t && t->shape == shape)
        return bytes(*t, requested);
    return bytes(GgufSizeTensor{name, shape, {name}}, requested);
}

uint64_t GgufTensorSizes::total(const policy::Policy& policy) const {
    uint64_t b = generatedBytes_;
    for (const auto& t : tensors_)
        b += bytes(t, policy.precisionFor(t.name));
    return b;
}

policy::BuildResult buildOptimalForGguf(const sensitivity::SensitivityMap& map,
                                        policy::BuildOptions o, const GgufTensorSizes& sizes,
                                        const JobControl& job) {
    const std::string where =
        sizes.modelDir().empty() ? std::string("the model") : sizes.modelDir();
    // Names as the file has them: the tied embedding once, under the file's name.
    const auto& aliases = sizes.aliases();
    auto fileName = [&](const std::string& n) {
        auto it = aliases.find(n);
        return it == aliases.end() ? n : it->second;
    };
    std::vector<std::string> fileNames;
    for (const auto& t : sizes.tensors())
        fileNames.push_back(t.name);
    std::vector<sensitivity::MapEntry> entries;
    for (const auto& e : map.entries()) {
        sensitivity::MapEntry x = e;
        x.name = fileName(e.name);
        const GgufSizeTensor* t = sizes.find(x.name);
        if (!t && sizes.modelDir().empty()) { // bare shapes: the builder counts what it can
            entries.push_back(std::move(x));
            continue;
        }
        if (!t)
            throw Error(map.source().empty() ? std::string("map") : map.source(),
                        "tensor "
                        " + e.name + "
                        " is not in " +
                            where + " (nearest: " + nearestNamesText(e.name, fileNames) + ")");
        if (x.shape && *x.shape != t->shape)
            throw Error(map.source().empty() ? std::string("map") : map.source(), "the shape of "
                                                                                  " + e.name + "
                                                                                  " differs from " +
                                                                                      where + "'s");
        entries.push_back(std::move(x));
    }
    const sensitivity::SensitivityMap renamed(std::move(entries), map.provenance(),
                                              map.mergeState(), map.source());
    std::optional<policy::ErrorTable> errors;
    if (o.errors && !aliases.empty()) {
        errors = o.errors->renamed(aliases);
        o.errors = &*errors;
    }
    std::map<std::string, quant::Precision> pinned;
    for (const auto& [name, p] : o.pinned)
        pinned[fileName(name)] = p;
    o.pinned = std::move(pinned);

    o.method = "optimal";
    if (o.errors && !o.bitsProxy && o.errors->hasSse())
        o.damageModel = true;
    o.allocateEmbeddings = true;
    o.base.norms = quant::Precision::parse("f32");
    o.base.biases = quant::Precision::parse("f32");
    o.shapes.clear();
    for (const auto& t : sizes.tensors())
        o.shapes[t.name] = t.shape;
    o.tensorBytes = [&sizes](const std::string& name, const std::vector<int64_t>& shape,
                             const quant::Precision& p) { return sizes.bytes(name, shape, p); };
    o.fixedBytes = sizes.generatedBytes();
    o.sizeRule = "GGUF tensor bytes (ggml_nbytes of every tensor the file stores" +
                 std::string(sizes.modelDir().empty() ? ")" : ", " + sizes.modelDir() + ")");
    policy::BuildResult r = policy::buildPolicy(renamed, o, job);
    const uint64_t total = sizes.total(r.policy);
    r.policy.provenance.params["gguf_tensor_bytes"] = total;
    if (o.budgetBytes && total > *o.budgetBytes)
        throw Error("internal: the allocation's GGUF tensor bytes (" + std::to_string(total) +
                    ") exceed the budget (" + std::to_string(*o.budgetBytes) + ")");
    return r;
}

} // namespace taskquant::exporting
