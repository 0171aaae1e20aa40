#include "core/policy/damage_model.h"

#include <algorithm>
#include <cmath>

#include "core/models/taxonomy.h"
#include "core/util/error.h"

namespace taskquant::policy {

bool allocatesPrecision(const std::string& name) {
    const models::TensorClass c = models::classify(name);
    if (c.isQuantizableWeight())
        return true;
    return !c.isBias && (c.kind == models::Kind::Embed || c.kind == models::Kind::LmHead);
}

double predictedKl(double score, double sse) {
    if (!(std::isfinite(score) && score >= 0) || !(std::isfinite(sse) && sse >= 0))
        throw Error("damage model: score and squared error must be finite and non-negative");
    return 0.5 * score * sse;
}

bool usesWeightedErrors(const ErrorTable& table, const DamageOptions& o) {
    if (!o.useWeighted || table.rows().empty())
        return false;
    // Rows with a fisher_mean were weighted by the task text's Fisher, whatever the label says.
    bool fisher = true;
    for (const ErrorRow& r : table.rows()) {
        if (r.weightedSse.empty())
            return false;
        fisher = fisher && r.fisherMean.has_value();
    }
    return fisher || !(table.importance().empty() || table.importance() == "none");
}

std::string damageFormula(const ErrorTable& table, const DamageOptions& o) {
    if (usesWeightedErrors(table, o))
        return "1/2*score*weighted_sse";
    return table.hasSse() ? "1/2*score*sse" : "1/2*score*mse*numel";
}

std::optional<double> tensorDamage(double score, const ErrorRow& row, std::size_t column,
                                   const ErrorTable& table, const DamageOptions& o) {
    if (column >= row.error.size())
        throw Error("damage model: no column " + std::to_string(column) + " for \"" + row.name +
                    "\"");
    if (usesWeightedErrors(table, o) && column < row.weightedSse.size()) {
        const auto& v = row.weightedSse[column];
        return v ? std::optional<double>(predictedKl(score, *v)) : std::nullopt;
    }
    if (column < row.sse.size()) {
        const auto& v = row.sse[column];
        return v ? std::optional<double>(predictedKl(score, *v)) : std::nullopt;
    }
    const auto& e = row.error[column];
    if (!e)
        return std::nullopt;
    int64_t n = row.numel;
    if (n <= 0) {
        n = 1;
        for (int64_t d : row.shape)
            n *= d;
    }
    return predictedKl(score, *e * static_cast<double>(n));
}

double fitScale(const std::vector<double>& predicted, const std::vector<double>& measured) {
    std::vector<double> logs;
    for (std::size_t i = 0; i < std::min(predicted.size(), measured.size()); ++i)
        if (predicted[i] > 0 && measured[i] > 0 && std::isfinite(predicted[i]) &&
            std::isfinite(measured[i]))
            logs.push_back(std::log(measured[i] / predicted[i]));
    if (logs.empty())
        return 0;
    std::sort(logs.begin(), logs.end());
    const std::size_t n = logs.size();
    const double med = n % 2 ? logs[n / 2] : 0.5 * (logs[n / 2 - 1] + logs[n / 2]);
    return std::exp(med);
}

} // namespace taskquant::policy
