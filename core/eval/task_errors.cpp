#include "core/eval/task_errors.h"

#include <ATen/ATen.h>

#include "core/eval/task_setup.h"
#include "core/policy/damage_model.h"
#include "core/policy/error_measure.h"
#include "core/sensitivity/activation_stats.h"

namespace taskquant::eval {

policy::ErrorTable
measureTaskErrors(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                  const std::vector<quant::Precision>& candidates, const TaskErrorOptions& o,
                  std::map<std::string, std::vector<float>>* fisherOut, const JobControl& job) {
    std::map<std::string, std::vector<float>> energy, fisher;
    // The stages follow each other: activations 0-20 %, Fisher 20-40 %, errors 40-100 %.
    if (o.activationWeighting) // also with the Fisher: the column weights of tensors it misses
        energy = sensitivity::columnEnergy(model, chunks, subJob(job, 0, 0.2));
    if (o.fisherWeighting)
        fisher = sensitivity::elementFisher(model, chunks, o.fisherSeed, subJob(job, 0.2, 0.2));
    std::vector<at::Tensor> keep;
    std::vector<policy::WeightView> views;
    for (const auto& p : model.parameters()) {
        if (!policy::allocatesPrecision(p.name) || p.tensor.dim() != 2)
            continue; // block linear weights, embeddings and lm_head
        keep.push_back(p.tensor.detach().to(at::kFloat).cpu().contiguous());
        views.push_back({p.name, keep.back().sizes().vec(), keep.back().data_ptr<float>(),
                         o.importance ? o.importance(p.name) : nullptr});
        auto it = energy.find(p.name);
        if (it != energy.end() && static_cast<int64_t>(it->second.size()) == keep.back().size(-1))
            views.back().columnWeights = it->second.data();
        auto f = fisher.find(p.name);
        if (f != fisher.end() && static_cast<int64_t>(f->second.size()) == keep.back().numel())
            views.back().elementWeights = f->second.data();
    }
    policy::ErrorMeasureOptions eo;
    eo.threads = o.threads;
    if (o.activationWeighting)
        eo.importanceLabel = "activations of the task text";
    if (o.fisherWeighting)
        eo.importanceLabel = "per-weight Fisher of the task text";
    policy::ErrorTable t = policy::measureErrors(views, candidates, eo, subJob(job, 0.4, 0.6));
    if (fisherOut)
        *fisherOut = std::move(fisher);
    return t;
}

} // namespace taskquant::eval
