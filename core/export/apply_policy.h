#pragma once
// Applying a Policy to a loaded model for evaluation, streamed: the model's weights are never
// copied nor changed. apply() encodes every tensor the policy quantizes once, at its effective
// precision (the bytes a file stored at those precisions would hold: about the policy's file
// size in memory), and installs a CausalLM::WeightSource that decodes one tensor at a time into
// a scratch buffer when a forward pass uses it (decode(encode(w)) = quant::fakeQuantize), so a
// forward pass sees exactly the weights such a file would hold and no second whole model ever
// exists. restore() removes the source; several policies can be evaluated in one run.
//
// Shape fallback (fitPrecision): a precision that cannot store a tensor's rows (the GGUF block
// formats need rows divisible by 32 or 256) falls back as llama-quantize falls back
// (quant::llamaFallback, core/quant/fallback.h: q2_k/q3_k/iq4_xs -> iq4_nl, q4_k -> q5_0,
// q5_k -> q5_1, q6_k -> q8_0, then f16; the 32-blocks -> f16). The exporters use the same rule,
// so files and evaluation agree; every fallback is reported in TensorPlan::note.
//
// Weights are fake-quantized in fp32 (a bf16/f16 stored tensor is read as fp32 one tensor at a
// time) and then cast to the model's compute dtype (exact for fp32; for bf16/fp16 the cast may
// round the dequantized values again).
// Not thread-safe: one applier per model, used from the thread that owns the model. Blocking;
// apply() reports progress per tensor and can be cancelled (taskquant::Cancelled), in which
// case the model is restored to its original weights before the exception propagates. The
// destructor restores too.
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
    // `model` must outlive the applier; nothing is copied.
    explicit PolicyApplier(models::CausalLM& model);
    ~PolicyApplier();
    PolicyApplier(const PolicyApplier&) = delete;
    PolicyApplier& operator=(const PolicyApplier&) = delete;

    // Restores the originals, then encodes every parameter the policy quantizes and installs
    // the decoding weight source. Returns the plan that was applied. A tied model's embedding
    // parameter (model.embed_tokens.weight) without an override of its own takes an override of
    // lm_head.weight, the name its checkpoint stores it under when it holds only lm_head.weight.
    // Throws taskquant::Error for a tensor no precision can hold. With `importance`, each tensor
    // it knows is quantized
    // importance-weighted.
    std::vector<TensorPlan> apply(const policy::Policy& policy, const JobControl& job = {},
                                  const quant::ImportanceLookup& importance = {});
    // Back to the model's own weights (removes the source; frees the encoded tensors).
    void restore();
    bool applied() const { return applied_; }
    // Bytes of the encoded tensors held while applied.
    uint64_t encodedBytes() const;
    // The values one parameter has under the applied policy (fp32, on the CPU): decoded when
    // the policy quantizes it, else the parameter itself converted. For tests and checks.
    at::Tensor effectiveWeight(int index) const;

  private:
    struct Encoded {
        quant::Precision precision;
        std::vector<int64_t> shape;
        // the encoded rows, in blocks of blockRows rows (the model's CausalLM::rowBlock for a
        // large weight, else one block); empty: the parameter itself
        std::vector<std::string> blocks;
        int64_t blockRows = 0;
    };
    at::Tensor decoded(int index) const; // undefined for an unquantized parameter
    at::Tensor decodedRows(int index, int64_t first, int64_t count) const; // likewise
    models::CausalLM& model_;
    std::vector<Encoded> encoded_;
    bool applied_ = false;
};

} // namespace taskquant::exporting
