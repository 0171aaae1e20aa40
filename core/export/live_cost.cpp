#include "core/export/live_cost.h"

#include <cmath>

#include <set>

#include "core/export/apply_policy.h"
#include "core/export/gguf_export.h"
#include "core/export/policy_cost.h"
#include "core/io/gguf_types.h"
#include "core/quant/sizes.h"
#include "core/util/error.h"

namespace taskquant::exporting {

namespace {

uint64_t padTo(uint64_t n, uint64_t a) {
    return (n + a - 1) / a * a;
}

int64_t numelOf(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

} // namespace

LiveCostModel liveCostModelOfDirectory(const std::string& modelDir) {
    const GgufFileLayout layout = ggufFileLayout(modelDir);
    LiveCostModel m;
    m.alignment = layout.alignment;
    m.fixedFileBytes = layout.headerBytes;
    m.hasFile = true;
    std::map<std::string, std::size_t> index;
    for (const auto& g : layout.plan.tensors) {
        if (g.hfName.empty()) { // generated (rope_freqs): its type never changes
            const uint64_t b = io::ggmlTensorBytes(g.type, g.plan.shape, g.ggufName);
            m.fixedFileBytes += padTo(b, m.alignment);
            m.fixedFileTensorBytes += b;
            m.fixedFileWeights += numelOf(g.plan.shape);
            continue;
        }
        auto [it, inserted] = index.emplace(g.hfName, m.tensors.size());
        if (inserted)
            m.tensors.push_back({g.hfName, g.plan.shape, {}});
        m.tensors[it->second].file.push_back(
            {g.ggufName, g.plan.shape, ggufVectorLike(g.ggufName, g.plan.shape)});
    }
    return m;
}

LiveCost::LiveCost(LiveCostModel model, policy::Policy policy)
    : model_(std::move(model)), policy_(std::move(policy)) {
    for (std::size_t i = 0; i < model_.tensors.size(); ++i)
        index_.emplace(model_.tensors[i].name, i);
    setPolicy(policy_);
    previous_ = totals_;
}

void LiveCost::setDamageInputs(std::map<std::string, double> scores,
                               std::shared_ptr<const policy::ErrorTable> errors) {
    scores_ = std::move(scores);
    errors_ = std::move(errors);
    tableLevels_ = false;
    if (errors_)
        for (const auto& r : errors_->rows())
            if (r.fisherMean) {
                // the table carries the task text's Fisher levels: they replace the map's
                tableLevels_ = true;
                scores_[r.name] = *r.fisherMean;
            }
    setPolicy(policy_);
}

void LiveCost::setCalibration(double klPerUnit) {
    klPerUnit_ = std::isfinite(klPerUnit) && klPerUnit > 0 ? klPerUnit : 0;
    finish();
}

void LiveCost::setMeasured(double kld) {
    totals_.measuredKld = kld;
}

void LiveCost::setPolicy(const policy::Policy& policy) {
    previous_ = totals_;
    policy_ = policy;
    state_.assign(model_.tensors.size(), {});
    unfit_.assign(model_.tensors.size(), 0);
    unfitCount_ = 0;
    LiveCostTotals t;
    t.fileBytes = model_.fixedFileBytes;
    t.fileTensorBytes = model_.fixedFileTensorBytes;
    t.fileWeights = model_.fixedFileWeights;
    totals_ = t;
    for (std::size_t i = 0; i < model_.tensors.size(); ++i) {
        recompute(i);
        add(i, +1);
    }
    finish();
}

void LiveCost::setOverrides(const std::vector<std::string>& names,
                            const std::optional<quant::Precision>& precision) {
    std::vector<Edit> edits;
    edits.reserve(names.size());
    for (const std::string& n : names)
        edits.emplace_back(n, precision);
    setOverrides(edits);
}

void LiveCost::setOverrides(const std::vector<Edit>& edits) {
    previous_ = totals_;
    std::set<std::size_t> touched;
    for (const auto& [n, precision] : edits) {
        if (precision)
            policy_.overrides[n] = *precision;
        else
            policy_.overrides.erase(n);
        if (auto it = index_.find(n); it != index_.end())
            touched.insert(it->second);
    }
    for (std::size_t i : touched) {
        add(i, -1);
        recompute(i);
        add(i, +1);
    }
    finish();
}

const LiveCostTensorState* LiveCost::tensor(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &state_[it->second];
}

void LiveCost::recompute(std::size_t i) {
    const LiveCostTensor& t = model_.tensors[i];
    LiveCostTensorState s;
    s.requested = policy_.precisionFor(t.name);
    s.effective = exporting::fitPrecision(s.requested, t.shape);
    s.fits = s.requested.supportsShape(t.shape);
    s.policyBytes = s.fits ? s.requested.bytes(t.shape) : 0;
    for (const LiveCostFileTensor& f : t.file) {
        const GgufStorage st = ggufTensorStorage(f.ggufName, f.shape, s.effective);
        const uint64_t b = io::ggmlTensorBytes(st.type, f.shape, f.ggufName);
        s.fileTensorBytes += b;
        s.fileBytes += padTo(b, model_.alignment);
        if (!f.fixedF32)
            s.storedType = io::ggmlTypeName(st.type);
    }
    if (errors_) {
        auto sc = scores_.find(t.name);
        if (sc != scores_.end())
            s.damage = tensorDamageAt(*errors_, t.name, s.effective, sc->second);
    }
    state_[i] = std::move(s);
}

void LiveCost::add(std::size_t i, int sign) {
    const LiveCostTensor& t = model_.tensors[i];
    const LiveCostTensorState& s = state_[i];
    const int64_t n = numelOf(t.shape);
    auto acc = [sign](uint64_t& a, uint64_t v) { a = sign > 0 ? a + v : a - v; };
    const bool fits = s.fits;
    if (fits) {
        acc(totals_.policyBytes, s.policyBytes);
        acc(totals_.referenceBytes, policy_.reference.bytes(t.shape));
        totals_.weights += sign * n;
    }
    const int wasUnfit = unfit_[i];
    unfit_[i] = sign > 0 ? (fits ? 0 : 1) : 0;
    unfitCount_ += (sign > 0 ? unfit_[i] : -wasUnfit);
    acc(totals_.fileBytes, s.fileBytes);
    acc(totals_.fileTensorBytes, s.fileTensorBytes);
    totals_.fileWeights += sign * n * int64_t(t.file.size());
}

void LiveCost::finish() {
    LiveCostTotals& t = totals_;
    // The estimate counts only the tensors its precisions can store; the file counts them all.
    t.policyBits = quant::bitsPerCountedWeight(t.policyBytes, t.weights);
    t.fileBits = quant::bitsPerWeight(t.fileTensorBytes, t.fileWeights);
    t.error.clear();
    if (unfitCount_ > 0) {
        for (std::size_t i = 0; i < state_.size(); ++i)
            if (unfit_[i]) {
                t.error = "precision " + state_[i].requested.name() + " cannot store \"" +
                          model_.tensors[i].name + "\" (rows must divide its block size)";
                break;
            }
    }
    t.damage = 0;
    t.damageTensors = 0;
    t.damageMissing = 0;
    t.hasDamage = errors_ != nullptr && !scores_.empty();
    t.measuredKld.reset();
    if (t.hasDamage) {
        for (std::size_t i = 0; i < state_.size(); ++i) {
            if (state_[i].damage) {
                t.damage += *state_[i].damage;
                ++t.damageTensors;
            } else if (scores_.count(model_.tensors[i].name) &&
                       (state_[i].effective.isQuantized() ||
                        errors_->find(model_.tensors[i].name))) {
                ++t.damageMissing;
            }
        }
    }
    const double perUnit = tableLevels_ ? 1.0 : klPerUnit_;
    t.calibrated = t.hasDamage && perUnit > 0;
    t.kld = t.calibrated ? perUnit * t.damage : 0.0;
}

} // namespace taskquant::exporting
