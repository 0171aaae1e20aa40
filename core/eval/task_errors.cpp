#include "core/eval/task_errors.h"

#include <ATen/ATen.h>
#include <algorithm>
#include <memory>
#include <optional>

#include "core/eval/task_setup.h"
#include "core/policy/damage_model.h"
#include "core/policy/error_measure.h"
#include "core/sensitivity/activation_stats.h"
#include "core/sensitivity/square_sums.h"
#include "core/util/memory.h"

namespace taskquant::eval {

namespace {

// The weights the table has rows for: block linear weights, embeddings and lm_head (2-D).
std::vector<std::string> allocatedWeights(const models::CausalLM& model,
                                          std::vector<int64_t>* numels = nullptr) {
    std::vector<std::string> names;
    for (const auto& p : model.parameters()) {
        if (!policy::allocatesPrecision(p.name) || p.tensor.dim() != 2)
            continue;
        names.push_back(p.name);
        if (numels)
            numels->push_back(p.tensor.numel());
    }
    return names;
}

double forwardCost(int64_t parameters, int64_t tokens) {
    return 2.0 * double(parameters) * double(tokens) / 60e9;
}

} // namespace

uint64_t taskErrorsStreamBytes(const models::CausalLM& model, const TaskErrorOptions& o) {
    if (o.streamBytes)
        return o.streamBytes;
    // Automatic: sized so that the model + one group + the stage's own buffers (activations, the
    // kept layer states, runtime: about 1 GiB on the 1B shape) stay within the memory target
    // 1.3 x the weights + 2 GB (README, "Frontier memory and time at scale"): an eighth of the
    // weights' bytes + 256 MiB (at most the weights' bytes), at most a quarter of what the memory
    // available now leaves beside the weights (MemAvailable counts the mapped file's pages), at
    // least 64 MiB. On the 1B shape in bf16 (1.95 GB) that is 0.48 GiB (2 layers), on the 8B
    // shape on 24 GB about 1.6 GB (a layer; the 2.1 GB embedding and lm_head are groups of their
    // own). The grouping never changes the values and hardly the time: a group recomputes only
    // the layers of its own weights (sensitivity::elementFisherStreamed).
    const uint64_t mib = uint64_t(1) << 20;
    uint64_t weights = 0;
    for (const auto& p : model.parameters())
        weights += static_cast<uint64_t>(p.tensor.numel()) * p.tensor.element_size();
    uint64_t bytes = std::min(weights, weights / 8 + 256 * mib);
    if (const auto available = availableMemoryBytes())
        bytes = std::min(bytes, *available > weights ? (*available - weights) / 4 : 0);
    return std::max(bytes, 64 * mib);
}

TaskErrorsCost taskErrorsCost(const models::CausalLM& model, int64_t tokens, std::size_t candidates,
                              const TaskErrorOptions& o) {
    std::vector<int64_t> numels;
    allocatedWeights(model, &numels);
    int64_t allocated = 0;
    for (int64_t n : numels)
        allocated += n;
    const double fwd = forwardCost(model.parameterCount(), tokens);
    TaskErrorsCost c;
    // (with the Fisher, its first pass gathers the activations too)
    c.activations = o.activationWeighting && !o.fisherWeighting ? fwd : 0.0;
    c.fisherPasses = o.fisherWeighting
                         ? sensitivity::fisherGroups(numels, taskErrorsStreamBytes(model, o)).size()
                         : 0;
    // a forward pass + a backward pass per draw, then the groups' recomputed layers (about one
    // more forward and backward pass in all) and the products (a third per draw)
    const double draws = double(std::max(1, o.fisherSamples));
    c.fisher = c.fisherPasses ? fwd * (2.0 + 3.0 * draws) : 0.0;
    c.errors = 40e-9 * double(allocated) * double(candidates);
    return c;
}

policy::ErrorTable
measureTaskErrors(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                  const std::vector<quant::Precision>& candidates, const TaskErrorOptions& o,
                  std::map<std::string, double>* fisherMean, const JobControl& job) {
    std::vector<int64_t> numels;
    const std::vector<std::string> names = allocatedWeights(model, &numels);
    std::map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < names.size(); ++i)
        position[names[i]] = i;
    int64_t tokens = 0;
    for (const auto& c : chunks)
        tokens += static_cast<int64_t>(c.size());
    // the group size resolved once (the automatic one reads the available memory)
    TaskErrorOptions resolved = o;
    resolved.streamBytes = taskErrorsStreamBytes(model, o);
    const TaskErrorsCost cost = taskErrorsCost(model, tokens, candidates.size(), resolved);
    const double all = std::max(cost.total(), 1e-12);

    // Activations first (their own range), then the Fisher passes and the error pairs, which
    // interleave: one fraction over both, each with its own counts.
    // The activations (also with the Fisher: the column weights of tensors it misses): their own
    // forward passes, or gathered by the Fisher's first pass and read when the first weight's
    // rows are measured (after that pass).
    std::map<std::string, std::vector<float>> energy;
    sensitivity::SquareSums squares;
    bool energyPending = false;
    if (o.activationWeighting && !o.fisherWeighting)
        energy = sensitivity::columnEnergy(model, chunks, subJob(job, 0, cost.activations / all));
    else if (o.activationWeighting)
        energyPending = true;
    const JobControl stage = subJob(job, cost.activations / all, (cost.fisher + cost.errors) / all);
    struct Shared {
        double fisherFraction = 0;
        long long pairs = 0;
    };
    auto shared = std::make_shared<Shared>();
    const long long pairsTotal = static_cast<long long>(names.size() * candidates.size());
    const double fisherCost = cost.fisher, errorsCost = cost.errors;
    const double both = std::max(fisherCost + errorsCost, 1e-12);
    auto fraction = [=] {
        return (shared->fisherFraction * fisherCost +
                errorsCost * double(shared->pairs) / double(std::max(1LL, pairsTotal))) /
               both;
    };
    JobControl fisherJob;
    fisherJob.cancel = stage.cancel;
    if (stage.progress)
        fisherJob.progress = [=](const ProgressInfo& p) {
            shared->fisherFraction = p.fraction;
            ProgressInfo q = p;
            q.fraction = fraction();
            stage.progress(q);
        };

    policy::ErrorMeasureOptions eo;
    eo.threads = o.threads;
    if (o.activationWeighting)
        eo.importanceLabel = "activations of the task text";
    if (o.fisherWeighting)
        eo.importanceLabel = "per-weight Fisher of the task text";
    std::vector<std::optional<policy::ErrorRow>> rows(names.size());
    std::vector<std::string> precisionNames;
    // One weight's rows: the model's own storage when it is fp32 on the CPU, otherwise its rows
    // converted to fp32 block by block as they are measured (no whole fp32 copy: Llama 3's
    // embedding is 1.6 GB in fp32).
    auto measureOne = [&](const std::string& name, const float* fisher, int64_t fisherNumel) {
        if (energyPending) {
            energy = sensitivity::columnEnergy(model, squares);
            squares.sums.clear();
            energyPending = false;
        }
        const int index = model.parameterIndex(name);
        const at::Tensor w = model.parameters()[static_cast<std::size_t>(index)].tensor.detach();
        policy::WeightView v{name, w.sizes().vec(), nullptr,
                             o.importance ? o.importance(name) : nullptr};
        if (w.scalar_type() == at::kFloat && w.device().is_cpu() && w.is_contiguous())
            v.data = w.data_ptr<float>();
        else
            v.readRows = [w](int64_t first, int64_t count, float* out) { // (2-D weights)
                at::from_blob(out, {count, w.size(1)}, at::TensorOptions().dtype(at::kFloat))
                    .copy_(w.narrow(0, first, count));
            };
        auto it = energy.find(name);
        if (it != energy.end() && static_cast<int64_t>(it->second.size()) == w.size(-1))
            v.columnWeights = it->second.data();
        if (fisher && fisherNumel == w.numel())
            v.elementWeights = fisher;
        const long long before = shared->pairs;
        JobControl pairJob;
        pairJob.cancel = stage.cancel;
        if (stage.progress)
            pairJob.progress = [&, before](const ProgressInfo& p) {
                shared->pairs = before + std::max(0LL, p.done);
                stage.progress(ProgressInfo{fraction(), "error tables", shared->pairs, pairsTotal});
            };
        policy::ErrorTable t = policy::measureErrors({v}, candidates, eo, pairJob);
        shared->pairs = before + static_cast<long long>(candidates.size());
        precisionNames = t.precisions();
        rows[position.at(name)] = t.rows().front();
        model.releasePages(index); // measured: its pages may go until the next forward pass
        trimHeap(); // its fp32 copy, its Fisher and the pass's temporaries were freed
    };
    // The Fisher's groups in the table's order, the embedding and lm_head last: by then the
    // measured layers' pages are released (CausalLM::releasePages), and those two (the largest
    // tensors, each a group of its own on a large vocabulary) find the room.
    std::vector<std::string> fisherOrder = names;
    std::stable_partition(fisherOrder.begin(), fisherOrder.end(), [](const std::string& n) {
        return n != "model.embed_tokens.weight" && n != "lm_head.weight";
    });
    if (o.fisherWeighting)
        sensitivity::elementFisherStreamed(
            model, chunks, o.fisherSeed, fisherOrder, resolved.streamBytes,
            [&](const std::string& name, const float* values, int64_t numel) {
                if (fisherMean) {
                    double sum = 0;
                    for (int64_t i = 0; i < numel; ++i)
                        sum += values[i];
                    (*fisherMean)[name] = numel ? sum / double(numel) : 0.0;
                }
                measureOne(name, values, numel);
            },
            fisherJob, o.fisherSamples, energyPending ? &squares : nullptr);
    for (std::size_t i = 0; i < names.size(); ++i) // weights the Fisher did not observe
        if (!rows[i]) {
            stage.check();
            measureOne(names[i], nullptr, 0);
        }
    trimHeap(); // the Fisher's kept layer states
    std::vector<policy::ErrorRow> ordered;
    for (auto& r : rows)
        ordered.push_back(std::move(*r));
    if (precisionNames.empty())
        for (const auto& c : candidates)
            precisionNames.push_back(c.name());
    policy::ErrorTable t(precisionNames, std::move(ordered), "mse", "task errors");
    t.setImportance(eo.importanceLabel);
    return t;
}

} // namespace taskquant::eval
