#pragma once
// What a policy costs, computed once for every caller (the CLI's frontier, the studio's
// frontier view and live cost, the demo):
//  * planSize(): the stored bytes of a plan (each tensor at its effective precision, after the
//    shape fallback) and its parameters; bitsPerWeight() is llama.cpp's definition over them
//    (core/quant/sizes.h: all tensor bytes x 8 / all parameters).
//  * tensorDamageAt(): the damage model's D(t, p) (policy/damage_model.h tensorDamage) of one
//    tensor at the precision it effectively gets; nullopt when the error table has no row for
//    the tensor, no column for the precision, or a null cell there.
//  * policyCost(): the policy over named shapes: exact bytes, bits per weight over
//    `parameters` (all of the model's; 0 gives 0), and the damage sum over tensors with an error
//    row; the score of a tensor comes from `score` (nullopt: the tensor is not counted), or 1
//    everywhere without it (the error-only family's scores). A quantized tensor with a row but
//    no measured error at its precision is counted in `unpredicted` (its damage is unknown,
//    never taken as 0); tensors without a row (norms, stored as is) are not.
//  * GgufTensorSizes: the tensor bytes of a model's GGUF file under any policy, as llama.cpp
//    counts them (ggml_nbytes of every tensor; the file is these plus its header, metadata and
//    alignment padding): the tensors exportGguf writes (planGguf: each checkpoint tensor under
//    the name the checkpoint uses - a tied embedding stored only as lm_head.weight is one
//    tensor, lm_head.weight; phi2's repeated tied output is a second copy of the embedding;
//    generated tensors such as rope_freqs are fixed bytes), each at its policy precision after
//    the shape fallback (fitPrecision), stored as GGUF stores it (ggufTensorStorage: 1-D tensors
//    and norms F32, precisions without a GGUF type substituted). ofShapes(): the same rule for
//    bare named shapes (no file: every tensor once, its own name deciding vector-likeness).
//  * buildOptimalForGguf(): the optimal allocation under exact GGUF tensor bytes, the one
//    allocator of `policy --method optimal` and `frontier` (see below).
// Pure functions; thread-safe. No ATen in this header (the studio includes it).
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/export/named_shape.h"
#include "core/jobs/progress.h"
#include "core/policy/error_table.h"
#include "core/policy/policy.h"
#include "core/policy/policy_builder.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::exporting {

struct TensorPlan; // apply_policy.h

struct PlanSize {
    uint64_t bytes = 0;
    int64_t parameters = 0;
    double bitsPerWeight() const;
};
PlanSize planSize(const std::vector<TensorPlan>& plan);

std::optional<double> tensorDamageAt(const policy::ErrorTable& errors, const std::string& name,
                                     const quant::Precision& effective, double score);

struct PolicyCost {
    uint64_t bytes = 0;
    int64_t parameters = 0;
    double bitsPerWeight = 0;
    double damage = 0;   // the damage model's sum (predictDamage: damage units)
    int unpredicted = 0; // quantized tensors whose precision has no measured error
};

using ScoreOf = std::function<std::optional<double>(const std::string& name)>;

// The damage model as ONE function (policy/damage_model.h): a policy, the shapes of its tensors,
// the measured error table and the task's statistics -> predicted KL per tensor and in total.
// Every caller that shows or compares predicted damage goes through it (policyCost, LiveCost
// per tensor through tensorDamageAt, validate's whole policies, the frontier's points, the
// studio's export dialog and the demo).
//  * level: each tensor's level (the `score` of damage_model.h): the mean of the task text's
//    per-weight Fisher (the default model, (4') of damage_model.h: with Fisher-weighted errors
//    1/2 * level * weighted_sse = 1/2 sum_i F_i delta_i^2, nats per token), a map's score, or
//    empty = 1 everywhere; nullopt for a tensor = not counted;
//  * klPerUnit: the calibration, nats of KL per token per unit of damage: 1 for the task text's
//    Fisher (already nats; `validate` measures how well: calibration ratio), the fitted
//    measured / predicted (policy::fitScale) for a map's scores.
// kld = klPerUnit * damage; `unpredicted` counts quantized tensors with a row but no measured
// error at their precision (unknown, never taken as 0). Pure; thread-safe.
struct TaskStatistics {
    ScoreOf level;
    double klPerUnit = 1;
    std::string model = "1/2*fisher_mean*weighted_sse"; // provenance text
};
struct TensorPrediction {
    std::string name;
    quant::Precision effective;
    double damage = 0; // damage units (x klPerUnit = nats)
};
struct DamagePrediction {
    std::vector<TensorPrediction> tensors; // the tensors counted, in `shapes` order
    double damage = 0;
    double kld = 0;
    int unpredicted = 0;
};
DamagePrediction predictDamage(const policy::Policy& policy, const std::vector<NamedShape>& shapes,
                               const policy::ErrorTable& errors, const TaskStatistics& task);

// The damage model's levels from the error table itself: each row's mean per-weight Fisher of
// the task text ("fisher_mean", written where errors were weighted by it), nullopt for rows
// without one. Null when the table records none (then the caller needs a map's scores).
ScoreOf tableLevels(const policy::ErrorTable& errors);

PolicyCost policyCost(const policy::Policy& policy, const std::vector<NamedShape>& shapes,
                      int64_t parameters, const policy::ErrorTable* errors,
                      const ScoreOf& score = {});

struct GgufSizeTensor {
    std::string name; // as the checkpoint (or the caller) names it
    std::vector<int64_t> shape;
    std::vector<std::string> ggufNames; // its tensors in the file (usually one)
};

class GgufTensorSizes {
  public:
    // planGguf's tensors of a model directory (config.json and the safetensors headers only).
    // Throws taskquant::Error (e.g. an architecture GGUF export does not support).
    static GgufTensorSizes ofDirectory(const std::string& modelDir);
    static GgufTensorSizes ofShapes(const std::vector<NamedShape>& shapes);

    const std::vector<GgufSizeTensor>& tensors() const { return tensors_; }
    const GgufSizeTensor* find(const std::string& name) const;
    uint64_t generatedBytes() const { return generatedBytes_; }
    // "" for ofShapes
    const std::string& modelDir() const { return modelDir_; }
    // ggml_nbytes of every copy of the tensor at `requested` (after the shape fallback).
    uint64_t bytes(const GgufSizeTensor& tensor, const quant::Precision& requested) const;
    // The same for a name and shape; a name this layout does not know counts as one copy
    // under its own name (ofShapes' rule).
    uint64_t bytes(const std::string& name, const std::vector<int64_t>& shape,
                   const quant::Precision& requested) const;
    // All tensor bytes of the file under `policy` (every tensor + generated ones).
    uint64_t total(const policy::Policy& policy) const;
    // Parameter names of the loaded model -> the name the checkpoint stores the tensor under:
    // {"model.embed_tokens.weight": "lm_head.weight"} for a tie_word_embeddings model whose
    // safetensors hold only lm_head.weight (the loaded model, its maps and error tables call the
    // parameter model.embed_tokens.weight); empty otherwise.
    const std::map<std::string, std::string>& aliases() const { return aliases_; }

  private:
    std::vector<GgufSizeTensor> tensors_;
    std::map<std::string, std::size_t> index_;
    uint64_t generatedBytes_ = 0;
    std::string modelDir_;
    std::map<std::string, std::string> aliases_;
};

// The optimal allocation under an exact budget of GGUF tensor bytes: the one allocator that
// `policy --method optimal` and `frontier` call. policy::buildPolicy with method "optimal" and
// `options` (choices, errors, budget, pins, base, allocator...), where this sets:
//  * the damage model (damage_model.h) whenever the error table has squared errors;
//  * the token embedding / lm_head allocated like every linear weight (allocateEmbeddings);
//  * the tensors counted: exactly those of `sizes` (each once, under its name there: the map's,
//    the error table's and the pins' names are translated by sizes.aliases(), so a tied
//    embedding is decided and counted once under the name the file uses; map tensors the file
//    lacks are an error naming them), at their GGUF bytes (tensorBytes, generated
//    tensors as fixedBytes); the policy's norms and biases f32, as GGUF stores 1-D tensors.
// So a byte budget bounds the exported file's tensor bytes (GgufTensorSizes::total) exactly;
// params "total_bytes" is that total. Blocking; cancellable.
policy::BuildResult buildOptimalForGguf(const sensitivity::SensitivityMap& map,
                                        policy::BuildOptions options, const GgufTensorSizes& sizes,
                                        const JobControl& job = {});

} // namespace taskquant::exporting
