#include "core/models/model_loader.h"

#include <ATen/Context.h>
#include <cstring>
#include <optional>
#include <set>
#include <sys/stat.h>

#include "core/io/safetensors.h"
#include "core/jobs/runtime.h"
#include "core/models/architectures.h"
#include "core/models/layers.h"
#include "core/util/error.h"
#include "core/util/memory.h"
#include "core/util/shape.h"

namespace taskquant::models {

at::Device parseDevice(const std::string& name) {
    if (name == "cpu")
        return at::Device(at::kCPU);
    if (name.rfind("cuda", 0) == 0) {
        int index = 0;
        if (name.size() > 4) {
            if (name[4] != ':' || name.size() == 5 ||
                name.find_first_not_of("0123456789", 5) != std::string::npos)
                throw Error("invalid device \"" + name + "\" (expected cpu, cuda or cuda:N)");
            index = std::stoi(name.substr(5));
        }
        if (!at::hasCUDA())
            throw Error("device " + name +
                        " requested but this libtorch has no CUDA support (or "
                        "no GPU is visible); use --device cpu or build against a CUDA libtorch");
        return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    throw Error("invalid device \"" + name + "\" (expected cpu, cuda or cuda:N)");
}

at::ScalarType parseDtype(const std::string& name) {
    if (name == "fp32" || name == "float32" || name == "f32")
        return at::kFloat;
    if (name == "bf16" || name == "bfloat16")
        return at::kBFloat16;
    if (name == "fp16" || name == "float16" || name == "f16" || name == "half")
        return at::kHalf;
    throw Error("invalid dtype \"" + name + "\" (expected fp32, bf16 or fp16)");
}

std::string dtypeLabel(at::ScalarType t) {
    switch (t) {
    case at::kFloat:
        return "fp32";
    case at::kBFloat16:
        return "bf16";
    case at::kHalf:
        return "fp16";
    default:
        return c10::toString(t);
    }
}

namespace {

at::ScalarType torchType(io::DType d) {
    switch (d) {
    case io::DType::F32:
        return at::kFloat;
    case io::DType::F16:
        return at::kHalf;
    case io::DType::BF16:
        return at::kBFloat16;
    default:
        return at::ScalarType::Undefined;
    }
}

// The dtype a parameter is held in on the CPU: the file's when that is the compute dtype or a
// narrower floating type (cast one use at a time, CausalLM::computeWeight), else the compute
// dtype (an fp32 file computed in bf16 is converted once, halving its memory).
at::ScalarType heldType(at::ScalarType stored, at::ScalarType compute, at::Device device,
                        bool convert) {
    if (!device.is_cpu() || convert)
        return compute;
    if (stored == compute)
        return stored;
    if (compute == at::kFloat && (stored == at::kBFloat16 || stored == at::kHalf))
        return stored;
    return compute;
}

// Whether readTensor holds this tensor as a view of the mapping: on the CPU, held in the dtype
// the file stores (heldType), its bytes aligned for that dtype (the file offset decides: mappings
// start on a page) and not empty. The fit check counts such tensors as mapped before any is read.
bool mapsInPlace(const io::SafetensorsCheckpoint& ckpt, const io::TensorInfo& info,
                 at::Device device, at::ScalarType dtype, bool convert) {
    const at::ScalarType src = torchType(info.dtype);
    const auto elem = static_cast<uintptr_t>(c10::elementSize(src));
    return heldType(src, dtype, device, convert) == src && device.is_cpu() && info.nbytes > 0 &&
           reinterpret_cast<uintptr_t>(ckpt.data(info)) % elem == 0;
}

// One parameter: on the CPU in the dtype the file stores it in (heldType), a view of the
// copy-on-write mapping (no copy: its pages are the file's page cache, read when first used);
// otherwise copied out of the mapping (converted, or to another device), then the mapped pages
// are dropped from resident memory.
at::Tensor readTensor(const io::SafetensorsCheckpoint& ckpt, const std::string& name,
                      const io::TensorInfo& info, at::Device device, at::ScalarType dtype,
                      bool convert) {
    const at::ScalarType src = torchType(info.dtype);
    const at::ScalarType held = heldType(src, dtype, device, convert);
    const uint8_t* bytes = ckpt.data(info);
    const auto elem = static_cast<uintptr_t>(c10::elementSize(src));
    const bool aligned = reinterpret_cast<uintptr_t>(bytes) % elem == 0;
    if (mapsInPlace(ckpt, info, device, dtype, convert)) {
        std::shared_ptr<const io::MappedFile> keep = ckpt.fileOf(name)->mapping();
        return at::from_blob(
            const_cast<uint8_t*>(bytes), info.shape, [keep](void*) mutable { keep.reset(); },
            at::TensorOptions().dtype(src));
    }
    at::Tensor out;
    if (aligned) {
        auto view =
            at::from_blob(const_cast<uint8_t*>(bytes), info.shape, at::TensorOptions().dtype(src));
        out = view.to(device, held, /*non_blocking=*/false, /*copy=*/true);
    } else {
        auto raw = at::empty(info.shape, at::TensorOptions().dtype(src));
        if (info.nbytes)
            std::memcpy(raw.data_ptr(), bytes, info.nbytes);
        out = (src == held && device.is_cpu()) ? raw : raw.to(device, held);
    }
    dropPages(bytes, info.nbytes);
    return out;
}

bool ignorableExtra(const std::string& name) {
    // Buffers older conversions saved next to the weights.
    return name.find("rotary_emb.inv_freq") != std::string::npos ||
           name.find(".attention.masked_bias") != std::string::npos;
}

std::string listSome(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < 5; ++i)
        s += (i ? ", " : "") + names[i];
    if (names.size() > 5)
        s += ", ... (" + std::to_string(names.size()) + " in all)";
    return s;
}

constexpr const char* kEmbedName = "model.embed_tokens.weight";

// The checkpoint tensor a parameter is read from: itself, except that a tied model whose
// weights store only lm_head.weight (as some Hugging Face exports do) reads its embedding from
// there.
std::string sourceName(const ModelConfig& config, const io::SafetensorsCheckpoint& ckpt,
                       const std::string& name) {
    if (config.tieWordEmbeddings && name == kEmbedName && !ckpt.find(name) &&
        ckpt.find("lm_head.weight"))
        return "lm_head.weight";
    return name;
}

// The config facts the tensor table alone can contradict, worded for people: layer count,
// hidden size and vocabulary size against the embedding (or tied lm_head) and layer names.
void checkConfigAgainstTensors(const ModelConfig& config, const std::string& configPath,
                               const io::SafetensorsCheckpoint& ckpt) {
    int64_t maxLayer = -1;
    const std::string prefix = "model.layers.";
    for (const auto& name : ckpt.names()) {
        if (name.rfind(prefix, 0) != 0)
            continue;
        const auto dot = name.find('.', prefix.size());
        const std::string digits = name.substr(prefix.size(), dot - prefix.size());
        if (digits.empty() || digits.size() > 6 ||
            digits.find_first_not_of("0123456789") != std::string::npos)
            continue;
        maxLayer = std::max<int64_t>(maxLayer, std::stoll(digits));
    }
    if (maxLayer >= 0 && maxLayer + 1 != config.numLayers)
        throw Error(configPath, "num_hidden_layers is " + std::to_string(config.numLayers) +
                                    " but the weights hold layers 0.." + std::to_string(maxLayer) +
                                    " (" + std::to_string(maxLayer + 1) +
                                    " layers): config.json does not match the weights");
    const std::string embed = sourceName(config, ckpt, kEmbedName);
    const io::TensorInfo* e = ckpt.find(embed);
    if (!e && !config.tieWordEmbeddings) {
        e = ckpt.find("lm_head.weight");
        if (e) {
            if (e->shape.size() == 2 && e->shape[1] != config.hiddenSize)
                throw Error(configPath, "hidden_size is " + std::to_string(config.hiddenSize) +
                                            " but lm_head.weight is " + shapeText(e->shape) +
                                            ": config.json does not match the weights");
            return;
        }
    }
    if (!e)
        return;
    const std::string shown = embed == kEmbedName ? embed : embed + " (the tied embedding)";
    if (e->shape.size() != 2)
        throw Error(configPath, shown + " has shape " + shapeText(e->shape) +
                                    "; an embedding is [vocab_size, hidden_size]");
    if (e->shape[1] != config.hiddenSize)
        throw Error(configPath, "hidden_size is " + std::to_string(config.hiddenSize) + " but " +
                                    shown + " is " + shapeText(e->shape) +
                                    ": config.json does not match the weights");
    if (e->shape[0] != config.vocabSize)
        throw Error(configPath, "vocab_size is " + std::to_string(config.vocabSize) + " but " +
                                    shown + " is " + shapeText(e->shape) +
                                    ": config.json does not match the weights");
}

// Every tensor the model needs is there with the right shape and a supported dtype; nothing
// unexpected is there.
struct ExpectedTensor {
    std::string name;
    std::vector<int64_t> shape;
};

void checkTensorTable(const ModelConfig& config, const std::string& dir,
                      const std::vector<ExpectedTensor>& specs,
                      const io::SafetensorsCheckpoint& ckpt) {
    std::vector<std::string> missing;
    for (const auto& spec : specs)
        if (!ckpt.find(sourceName(config, ckpt, spec.name)))
            missing.push_back(spec.name);
    if (!missing.empty())
        throw Error(dir, "the weights lack tensors this " + config.modelType +
                             " config needs: " + listSome(missing));
    std::set<std::string> expected;
    for (const auto& spec : specs)
        expected.insert(spec.name);
    std::vector<std::string> unexpected;
    for (const auto& name : ckpt.names()) {
        if (expected.count(name) || ignorableExtra(name))
            continue;
        if (config.tieWordEmbeddings && name == "lm_head.weight")
            continue; // tied: unused
        unexpected.push_back(name);
    }
    if (!unexpected.empty())
        throw Error(dir, "the weights hold tensors a " + config.modelType +
                             " model with this config does not have: " + listSome(unexpected) +
                             " (does config.json match the weights?)");
    for (const auto& spec : specs) {
        const std::string src = sourceName(config, ckpt, spec.name);
        const io::TensorInfo* info = ckpt.find(src);
        const std::string file = ckpt.fileOf(src)->path();
        if (torchType(info->dtype) == at::ScalarType::Undefined)
            throw Error(file, "tensor " + src + " has dtype " + io::dtypeName(info->dtype) +
                                  "; supported: F32, F16, BF16");
        if (info->shape != spec.shape)
            throw Error(file, "tensor " + src + " has shape " + shapeText(info->shape) +
                                  ", config.json implies " + shapeText(spec.shape));
    }
}

const ModelFactory& factoryFor(const ModelConfig& config, const std::string& configPath) {
    const ModelFactory* factory = ArchitectureRegistry::instance().find(config.modelType);
    if (!factory) {
        std::string names;
        for (const auto& n : ArchitectureRegistry::instance().names())
            names += (names.empty() ? "" : ", ") + n;
        throw Error(configPath, "unsupported model_type \"" + config.modelType +
                                    "\" (supported: " + names + ")");
    }
    return *factory;
}

// Stops before any weight is read when the model cannot fit in the `available` memory this
// process may still use (an OOM kill halfway is the alternative): the weights as they will be held
// (heldType: mapped file pages or converted copies), one tensor cast to the compute dtype at a
// time, and the command's own work memory: `fixedWork` whatever the dtype (LoadOptions::workBytes:
// float tables and buffers), `dtypeWork` in the compute dtype (activations, kept states).
// `workHint`: the command's options that lower its work memory (LoadOptions::workHint).
void checkFits(const std::string& dir, uint64_t numel, uint64_t heldBytes, uint64_t scratchBytes,
               uint64_t fixedWork, uint64_t dtypeWork, uint64_t available, at::ScalarType dtype,
               const std::string& workHint) {
    const uint64_t workBytes = fixedWork + dtypeWork;
    const uint64_t need = heldBytes + scratchBytes + workBytes;
    if (need <= available)
        return;
    std::string hint;
    const uint64_t bf16Need = numel * 2 + scratchBytes / 2 + fixedWork + dtypeWork / 2;
    if (dtype == at::kFloat)
        hint = "; with --dtype bf16 it needs about " + gibText(bf16Need) +
               (bf16Need <= available ? " (that fits)" : " (that does not fit either)");
    if (workBytes > 0)
        hint += "; " +
                (workHint.empty() ? "fewer --chunks, a shorter --ctx or a smaller --batch-size"
                                  : workHint) +
                " need less work memory";
    throw Error(dir, "does not fit: its " + std::to_string(numel) + " parameters need " +
                         gibText(need) + " as " + dtypeLabel(dtype) + " but only " +
                         gibText(available) + " of memory is available (weights as held " +
                         gibText(heldBytes) + ", one tensor's scratch " + gibText(scratchBytes) +
                         ", the command's work " + gibText(workBytes) + ")" + hint);
}

} // namespace

uint64_t boundaryStateBytes(const ModelConfig& c, int64_t tokens, int64_t elementBytes) {
    if (tokens <= 0 || elementBytes <= 0 || c.numLayers < 0 || c.hiddenSize <= 0)
        return 0;
    return static_cast<uint64_t>(c.numLayers + 1) * static_cast<uint64_t>(tokens) *
           static_cast<uint64_t>(c.hiddenSize) * static_cast<uint64_t>(elementBytes);
}

uint64_t forwardWorkBytes(const ModelConfig& c, int64_t batch, int64_t tokens, bool backward,
                          int64_t activationBytes) {
    if (batch <= 0 || tokens <= 0)
        return 0;
    const double t = static_cast<double>(tokens), b = static_cast<double>(batch);
    // Without backward only one layer's activations live at a time.
    const double layers = backward ? static_cast<double>(c.numLayers) : 2.0;
    // the logits and their fp32 copies in fp32 whatever the compute dtype; the blocks'
    // activations in the compute dtype (half of fp32's for bf16/fp16)
    const double perToken =
        4.0 * 4.0 * c.vocabSize +
        static_cast<double>(std::max<int64_t>(1, activationBytes)) * layers *
            (16.0 * c.hiddenSize + 4.0 * c.intermediateSize + 3.0 * c.numHeads * t);
    return static_cast<uint64_t>(perToken * t * b);
}

void ModelLoader::checkWeights(const std::string& dir) {
    const std::string configPath = dir + "/config.json";
    const ModelConfig config = ModelConfig::fromFile(configPath);
    auto ckpt = io::SafetensorsCheckpoint::openDirectory(dir);
    checkConfigAgainstTensors(config, configPath, ckpt);
    if (!ArchitectureRegistry::instance().find(config.modelType))
        return;
    std::unique_ptr<CausalLM> model =
        factoryFor(config, configPath)(config, at::Device(at::kCPU), at::kFloat);
    std::vector<ExpectedTensor> expected;
    for (const auto& spec : model->parameterSpecs())
        expected.push_back({spec.name, spec.shape});
    checkTensorTable(config, dir, expected, ckpt);
}

std::unique_ptr<CausalLM> ModelLoader::load(const std::string& dir, const LoadOptions& options,
                                            const JobControl& job) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(dir, "not a model directory (expected a folder with config.json and "
                         "model.safetensors)");
    const std::string configPath = dir + "/config.json";
    if (::stat(configPath.c_str(), &st) != 0)
        throw Error(configPath, "missing");
    ModelConfig config = ModelConfig::fromFile(configPath);
    const ModelFactory* factory = &factoryFor(config, configPath);
    if (!isSupportedActivation(config.hiddenAct))
        throw Error(configPath, "unsupported hidden_act \"" + config.hiddenAct + "\"");
    const at::Device device = parseDevice(options.device);
    const at::ScalarType dtype = parseDtype(options.dtype);
    if (dtype == at::kHalf && device.is_cpu())
        throw Error("fp16 is supported on CUDA devices only; use fp32 or bf16 on the CPU");

    // Read-only for the checks: a writable mapping of a file larger than the machine's memory
    // is refused by the kernel before the fit check could say so.
    auto ckpt = io::SafetensorsCheckpoint::openDirectory(dir);
    std::unique_ptr<CausalLM> model = (*factory)(config, device, dtype);
    model->directory_ = dir;
    const auto specs = model->parameterSpecs();

    checkConfigAgainstTensors(config, configPath, ckpt);
    std::vector<ExpectedTensor> expected;
    for (const auto& spec : specs)
        expected.push_back({spec.name, spec.shape});
    checkTensorTable(config, dir, expected, ckpt);
    uint64_t totalNumel = 0, heldBytes = 0, largest = 0, mappable = 0;
    for (const auto& spec : specs) {
        const auto n = static_cast<uint64_t>(checkedNumel(spec.shape));
        const io::TensorInfo* info = ckpt.find(sourceName(config, ckpt, spec.name));
        const at::ScalarType held =
            heldType(torchType(info->dtype), dtype, device, options.convert);
        totalNumel += n;
        heldBytes += n * static_cast<uint64_t>(c10::elementSize(held));
        if (held != dtype)
            largest = std::max(largest, n);
        if (mapsInPlace(ckpt, *info, device, dtype, options.convert))
            mappable += info->nbytes;
    }
    // Pages released after use (CausalLM::setReleasePages): as asked, or automatically when the
    // mapped weights take more than half of the memory available (it counts the mapped pages).
    // (on an accelerator the host only maps the file: no fit check)
    const std::optional<uint64_t> room = device.is_cpu() ? availableMemoryBytes() : std::nullopt;
    const uint64_t available = room.value_or(0);
    const bool releases = options.releasePages >= 0
                              ? options.releasePages > 0
                              : mappable > 0 && room && mappable > available / 2;
    // Where pages are released, a backward pass that goes layer by layer holds one layer's
    // activations, not the whole graph's (LoadOptions::workBackwardByLayer).
    const bool wholeBackward = options.workBackward && !(options.workBackwardByLayer && releases);
    const int64_t elem = static_cast<int64_t>(c10::elementSize(dtype));
    const uint64_t dtypeWork =
        forwardWorkBytes(config, options.workBatch, options.workTokens, wholeBackward, elem) +
        boundaryStateBytes(config, options.workBoundaryTokens, elem);
    if (room)
        checkFits(dir, totalNumel, heldBytes, largest * c10::elementSize(dtype), options.workBytes,
                  dtypeWork, available, dtype, options.workHint);
    // Copy-on-write for the data: parameters alias the mapping, and code that edits a parameter
    // in place gets private pages while the file stays as it is.
    ckpt = io::SafetensorsCheckpoint::openDirectory(dir, /*copyOnWrite=*/true);
    checkTensorTable(config, dir, expected, ckpt); // the same file still (cheap: headers only)

    int64_t done = 0;
    for (const auto& spec : specs) {
        job.check();
        const io::TensorInfo* info = ckpt.find(sourceName(config, ckpt, spec.name));
        model->index_[spec.name] = static_cast<int>(model->params_.size());
        at::Tensor t = readTensor(ckpt, sourceName(config, ckpt, spec.name), *info, device, dtype,
                                  options.convert);
        const bool mapped = t.defined() && mapsInPlace(ckpt, *info, device, dtype, options.convert);
        model->params_.push_back({spec.name, std::move(t), mapped});
        ++done;
        job.report(double(done) / double(specs.size()), "loading " + spec.name, done,
                   static_cast<long long>(specs.size()));
    }
    model->embedIndex_ = model->indexOf("model.embed_tokens.weight");
    if (config.tieWordEmbeddings) {
        model->lmHeadIndex_ = model->embedIndex_;
        model->lmHeadBiasIndex_ = -1;
    } else {
        model->lmHeadIndex_ = model->indexOf("lm_head.weight");
        model->lmHeadBiasIndex_ = model->indexOf("lm_head.bias");
    }
    model->bindParameters();
    model->setReleasePages(releases);
    // The thread policy sizes the CPU pool to the model (core/jobs/runtime.h).
    int64_t numel = 0;
    for (const auto& p : model->params_)
        numel += p.tensor.numel();
    setWorkSize(numel);
    return model;
}

} // namespace taskquant::models
