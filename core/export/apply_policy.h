#pragma once
// Applying a Policy to a loaded model in memory: every parameter is replaced by
// decode(encode(w)) at the precision the policy gives it (quant::fakeQuantize), so a forward pass
// sees exactly the weights a file stored at those precisions would hold. The original tensors
// are kept (one copy of every parameter, on the model's device and dtype), so restore() brings
// the model back without reloading and several policies can be evaluated in one run.
//
// Shape fallback (fitPrecision): a precision that cannot store a tensor's rows (the GGUF block
// formats need rows divisible by 32 or 256) falls back as llama-quantize falls back
// (quant::llamaFallback, core/quant/fallback.h: q2_k/q3_k/iq4_xs -> iq4_nl, q4_k -> q5_0,
// q5_k -> q5_1, q6_k -> q8_0, then f16; the 32-blocks -> f16). The exporters use the same rule,
// so files and evaluation agree; every fallback is reported in TensorPlan::note.
//
// Weights are fake-quantized in fp32 and then cast to the model dtype (exact for fp32 models;
// for bf16/fp16 models the cast may round the dequantized values again).
// Not thread-safe: one applier per model, used from the thread that owns the model. Blocking;
// apply() reports progress per tensor and can be cancelled (taskquant::Cancelled), in which
// case the model is restored to its original weights before the exception propagates.
#include <string>
#include <vector>

#include "core/export/named_shape.h"
#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"
#include "core/policy/policy.h"
#include "core/quant/importance_lookup.h"
#include "core/quant/precision.h"

namespace taskquant::exporting {

struct TensorPlan {
    std::string name;
    std::vector<int64_t> shape;
    quant::Precision requested; // what the policy asks for
    quant::Precision effective; // what the tensor gets (requested, or a fallback that fits)
    std::string note;           // why effective != requested; empty otherwise
};

// The requested precision when it can store the shape, else the fallback described above.
// *note (if given) receives a one-line explanation when a fallback happened.
quant::Precision fitPrecision(const quant::Precision& requested, const std::vector<int64_t>& shape,
                              std::string* note = nullptr);

// The plan of every tensor under a policy, in the given order.
// Throws Error when an override of `policy` names none of `tensorNames` (it used to be
// ignored silently), naming the model and the nearest real names.
void checkOverridesExist(const policy::Policy& policy, const std::vector<std::string>& tensorNames,
                         const std::string& modelName);
std::vector<TensorPlan> planPolicy(const policy::Policy& policy,
                                   const std::vector<NamedShape>& tensors);
std::vector<NamedShape> parameterShapes(const models::CausalLM& model);

// The float32 values the plan gives one tensor (decode(encode(x)) at the effective precision;
// f32 returns the input unchanged). importance: see quant::encode.
std::vector<float> applyPlan(const TensorPlan& plan, const float* data,
                             const float* importance = nullptr);

class PolicyApplier {
  public:
    // Snapshots the current parameters of `model` (which must outlive the applier).
    explicit PolicyApplier(models::CausalLM& model);
    PolicyApplier(const PolicyApplier&) = delete;
    PolicyApplier& operator=(const PolicyApplier&) = delete;

    // Restores the originals, then quantizes every parameter as the policy says. Returns the
    // plan that was applied. A tied model's embedding parameter (model.embed_tokens.weight)
    // without an override of its own takes an override of lm_head.weight, the name its
    // checkpoint stores it under when it holds only lm_head.weight. Throws taskquant::Error for a
    // tensor no precision can hold. With `importance`, each tensor it knows is quantized
    // importance-weighted.
    std::vector<TensorPlan> apply(const policy::Policy& policy, const JobControl& job = {},
                                  const quant::ImportanceLookup& importance = {});
    // Puts the original weights back (cheap: tensor copies).
    void restore();
    bool applied() const { return applied_; }

  private:
    models::CausalLM& model_;
    std::vector<at::Tensor> originals_;
    bool applied_ = false;
};

} // namespace taskquant::exporting
