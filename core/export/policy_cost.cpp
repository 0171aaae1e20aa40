#include "core/export/policy_cost.h"

#include "core/export/apply_policy.h"
#include "core/policy/damage_model.h"
#include "core/quant/sizes.h"
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

} // namespace taskquant::exporting
