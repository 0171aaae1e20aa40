#pragma once
// LiveCost: what a policy costs for one open model, kept up to date edit by edit (the studio's
// live cost while dragging or choosing a precision). Three numbers, each the same quantity the
// CLI and the exporters compute, with no approximation:
//   * policy estimate: policy::Policy::estimateSize over every checkpoint tensor (what
//     `taskquant policy --recipe/--model` prints and writes as "estimate"): sum of
//     Precision::bytes(shape) of the requested precision; a precision that cannot store a
//     shape makes it invalid (error names the tensor), as estimateSize throws;
//   * GGUF file: the exact size exportGguf writes, headerBytes + sum over the file's tensors of
//     pad(ggmlTensorBytes(type, shape), alignment), type = ggufTensorStorage of the precision
//     after the shape fallback (exporting::fitPrecision); bits per weight = 8 * sum of the tensors'
//     unpadded bytes / their weights (as llama.cpp's loader prints "BPW");
//   * predicted damage: the damage model's sum (policy_cost.h predictDamage, per tensor its
//     tensorDamageAt) over tensors with a level and an error-table row; the level is the
//     table's own "fisher_mean" where the table records one (errors weighted by the task
//     text's per-weight Fisher: the damage is then in nats per token), else the map's score;
//     scored tensors whose effective precision has no column are counted in damageMissing,
//     except unquantized ones (f32/f16/bf16) the table has no row for (1-D norms: taken as
//     undamaged, not counted). predicted KLD = klPerUnit x damage: calibrated when the levels
//     are the text's Fisher (klPerUnit 1) or a scale was fitted against measurements
//     (setCalibration: the frontier's policy::fitScale); measuredKld is the last evaluation of
//     this very policy (setMeasured), cleared by any edit.
// Incremental: an edit recomputes only the tensors it names (O(edited) plus O(1) totals for
// the sizes; the damage total is re-added over the tensors, O(n) additions in a fixed order so
// the result does not depend on the edit history). Qt-free; not thread-safe (one owner).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/policy/error_table.h"
#include "core/policy/policy.h"
#include "core/quant/precision.h"

namespace taskquant::exporting {

struct LiveCostFileTensor {
    std::string ggufName;
    std::vector<int64_t> shape;
    bool fixedF32 = false; // 1-D / norm: stored F32 whatever the precision
};

struct LiveCostTensor {
    std::string name; // Hugging Face name
    std::vector<int64_t> shape;
    std::vector<LiveCostFileTensor> file; // its GGUF tensors (0 or more copies)
};

struct LiveCostModel {
    std::vector<LiveCostTensor> tensors;
    // GGUF bytes that no tensor type changes: the header plus generated tensors (rope_freqs),
    // padded. 0 with hasFile = false when the model has no GGUF layout.
    uint64_t fixedFileBytes = 0;
    int64_t fixedFileWeights = 0;
    uint64_t fixedFileTensorBytes = 0; // unpadded bytes of the generated tensors
    uint32_t alignment = 32;
    bool hasFile = false;
};

// The layout of a model directory (exporting::ggufFileLayout). Blocking; throws taskquant::Error.
LiveCostModel liveCostModelOfDirectory(const std::string& modelDir);

struct LiveCostTotals {
    // policy estimate (Policy::estimateSize)
    uint64_t policyBytes = 0;
    uint64_t referenceBytes = 0;
    int64_t weights = 0;
    double policyBits = 0;
    std::string error; // non-empty: some precision cannot store a tensor (estimate invalid)
    // GGUF file
    uint64_t fileBytes = 0;
    uint64_t fileTensorBytes = 0;
    int64_t fileWeights = 0;
    double fileBits = 0;
    // damage model
    double damage = 0;
    double kld = 0;                    // klPerUnit x damage: predicted KLD (nats per token)
    bool calibrated = false;           // kld is in KL units (text Fisher levels or a fitted scale)
    std::optional<double> measuredKld; // the last evaluation of exactly this policy
    int damageTensors = 0;             // tensors counted
    int damageMissing = 0; // scored tensors whose precision the error table does not have
    bool hasDamage = false;
};

struct LiveCostTensorState {
    quant::Precision requested;
    quant::Precision effective; // after the shape fallback
    std::string storedType;     // GGUF type name of the matrix ("" when not in the file)
    uint64_t policyBytes = 0;
    uint64_t fileBytes = 0;       // padded, all copies
    uint64_t fileTensorBytes = 0; // unpadded, all copies
    bool fits = true;             // requested can store the shape
    std::optional<double> damage;
};

class LiveCost {
  public:
    LiveCost(LiveCostModel model, policy::Policy policy);

    // Scores per tensor name (a sensitivity map) and the measured error table; either may be
    // empty/null (then no damage). Recomputes every tensor.
    void setDamageInputs(std::map<std::string, double> scores,
                         std::shared_ptr<const policy::ErrorTable> errors);
    // Nats of KL per unit of damage for map-scored damage (0 = none known: uncalibrated).
    // Text-Fisher levels need none (1).
    void setCalibration(double klPerUnit);
    // The measured KLD of the current policy (an evaluation just finished); any later policy
    // change clears it.
    void setMeasured(double kld);
    // Replaces the whole policy (recomputes every tensor).
    void setPolicy(const policy::Policy& policy);
    // One edit: sets (or with nullopt clears) the overrides of `names`; recomputes only them.
    // Unknown names are recorded in the policy and otherwise ignored.
    void setOverrides(const std::vector<std::string>& names,
                      const std::optional<quant::Precision>& precision);
    // One edit with a precision per name (nullopt clears that override).
    using Edit = std::pair<std::string, std::optional<quant::Precision>>;
    void setOverrides(const std::vector<Edit>& edits);

    const policy::Policy& policy() const { return policy_; }
    const LiveCostModel& model() const { return model_; }
    const LiveCostTotals& totals() const { return totals_; }
    // The totals before the last setOverrides / setPolicy (equal to totals() at construction).
    const LiveCostTotals& previous() const { return previous_; }
    const LiveCostTensorState* tensor(const std::string& name) const;

  private:
    void recompute(std::size_t i);
    void add(std::size_t i, int sign);
    void finish();

    LiveCostModel model_;
    policy::Policy policy_;
    std::map<std::string, double> scores_;
    bool tableLevels_ = false; // levels from the table's fisher_mean (nats)
    double klPerUnit_ = 0;
    std::shared_ptr<const policy::ErrorTable> errors_;
    std::unordered_map<std::string, std::size_t> index_;
    std::vector<LiveCostTensorState> state_;
    std::vector<int> unfit_; // per tensor: 1 if it does not fit
    int unfitCount_ = 0;
    LiveCostTotals totals_, previous_;
};

} // namespace taskquant::exporting
