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

PolicyCost policyCost(const policy::Policy& policy, const std::vector<NamedShape>& shapes,
                      int64_t parameters, const policy::ErrorTable* errors, const ScoreOf& score) {
    PolicyCost c;
    for (const auto& s : shapes) {
        const quant::Precision eff = fitPrecision(policy.precisionFor(s.name), s.shape);
        c.bytes += eff.bytes(s.shape);
        if (!errors || !errors->find(s.name))
            continue; // not a quantizable weight: stored as is (no error measured)
        double sc = 1;
        if (score) {
            const std::optional<double> given = score(s.name);
            if (!given)
                continue;
            sc = *given;
        }
        if (const std::optional<double> d = tensorDamageAt(*errors, s.name, eff, sc))
            c.damage += *d;
        else if (eff.isQuantized())
            ++c.unpredicted;
    }
    c.parameters = parameters;
    c.bitsPerWeight = quant::bitsPerWeight(c.bytes, c.parameters);
    return c;
}

} // namespace taskquant::exporting
