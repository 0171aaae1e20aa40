#include "core/eval/gguf_weights.h"

#include <cmath>
#include <set>

#include "core/export/checkpoint_tensor.h"
#include "core/io/gguf_reader.h"
#include "core/models/gguf_names.h"
#include "core/quant/gguf_tensor.h"
#include "core/util/error.h"
#include "core/util/shape.h"

namespace taskquant::eval {

namespace {

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

int64_t metadataInt(const io::GgufMetadata& md, const std::string& key, int64_t fallback) {
    if (const io::GgufValue* v = md.find(key))
        if (auto i = v->asInt())
            return *i;
    return fallback;
}

} // namespace

GgufWeightsInfo loadGgufWeights(models::CausalLM& model, const std::string& path,
                                const JobControl& job, std::vector<at::Tensor>* out) {
    const auto file = io::GgufFile::open(path);
    const auto& cfg = model.config();
    const auto arch = models::ggufArchitecture(cfg.modelType);
    if (!arch)
        throw Error(path, "the model's type \"" + cfg.modelType +
                              "\" has no GGUF architecture here (supported: llama, mistral, phi)");
    const io::GgufValue* archValue = file->metadata().find("general.architecture");
    const std::string* fileArch = archValue ? archValue->getIf<std::string>() : nullptr;
    if (!fileArch)
        throw Error(path, "no general.architecture string in the metadata");
    if (*fileArch != *arch)
        throw Error(path, "architecture \"" + *fileArch + "\" does not match the model's \"" +
                              *arch + "\" (" + model.directory() + ")");
    // Keys llama.cpp's loader requires as UINT32 (it refuses a missing key or any other
    // type); block_count and embedding_length must also be the model's.
    const auto requireU32 = [&](const std::string& key, int64_t expect) {
        const io::GgufValue* v = file->metadata().find(key);
        if (!v)
            throw Error(path, "metadata key " + key + " is missing (llama.cpp requires it)");
        const uint32_t* u = v->getIf<uint32_t>();
        if (!u)
            throw Error(path, "metadata key " + key + " has type " + v->typeString() +
                                  ", llama.cpp requires UINT32");
        if (expect >= 0 && int64_t(*u) != expect)
            throw Error(path, "metadata key " + key + " is " + std::to_string(*u) +
                                  ", the model has " + std::to_string(expect) + " (" +
                                  model.directory() + ")");
    };
    requireU32(*arch + ".context_length", -1);
    requireU32(*arch + ".embedding_length", cfg.hiddenSize);
    requireU32(*arch + ".block_count", cfg.numLayers);
    const int64_t heads =
        metadataInt(file->metadata(), *arch + ".attention.head_count", cfg.numHeads);
    const int64_t kvHeads =
        metadataInt(file->metadata(), *arch + ".attention.head_count_kv", cfg.numKvHeads);

    GgufWeightsInfo info;
    std::set<std::string> used;
    const auto& params = model.parameters();
    at::NoGradGuard noGrad;
    for (std::size_t i = 0; i < params.size(); ++i) {
        job.check();
        job.report(double(i) / params.size(), "reading " + params[i].name, i, params.size());
        const std::string& hf = params[i].name;
        const auto gname = models::ggufTensorName(*arch, hf);
        if (!gname)
            throw Error(path, "parameter \"" + hf + "\" has no " + *arch + " GGUF name");
        const io::GgufTensorInfo* t = file->find(*gname);
        if (!t)
            throw Error(path, "tensor '" + *gname + "' (for " + hf + ") is missing");
        const std::vector<int64_t> want = params[i].tensor.sizes().vec();
        if (t->shape != want)
            throw Error(path, "tensor '" + *gname + "' has shape " + shapeText(t->shape) +
                                  ", the model's " + hf + " has " + shapeText(want));
        std::vector<float> x = quant::dequantize(*file, *t); // names the file and tensor on failure
        for (float v : x)
            if (!std::isfinite(v))
                throw Error(path, "tensor '" + *gname + "' dequantizes to non-finite values");
        if (*arch == "llama") {
            const bool q =
                endsWith(hf, "self_attn.q_proj.weight") || endsWith(hf, "self_attn.q_proj.bias");
            const bool k =
                endsWith(hf, "self_attn.k_proj.weight") || endsWith(hf, "self_attn.k_proj.bias");
            if (q || k) {
                const int64_t h = q ? heads : kvHeads;
                const int64_t rows = want[0], cols = want.size() > 1 ? want[1] : 1;
                if (h <= 0 || rows % (2 * h) != 0)
                    throw Error(path, "tensor '" + *gname + "': " + std::to_string(rows) +
                                          " rows cannot be split into " + std::to_string(h) +
                                          " heads of rotary pairs");
                exporting::unpermuteQkRows(x.data(), rows, cols, h);
            }
        }
        at::Tensor src = at::from_blob(x.data(), want, at::kFloat);
        if (out)
            out->push_back(src.clone().to(model.device()));
        else
            params[i].tensor.detach().copy_(src.to(params[i].tensor.dtype()));
        used.insert(*gname);
        info.bytes += t->nbytes;
        info.types.push_back(t->type);
    }
    for (const auto& t : file->tensors()) {
        if (used.count(t.name))
            continue;
        if (t.name == "rope_freqs.weight") {
            info.notes.push_back("rope_freqs.weight ignored (computed from config.json)");
            continue;
        }
        if (t.name == "output.weight" && cfg.tieWordEmbeddings) {
            const io::GgufTensorInfo* e = file->find("token_embd.weight");
            if (e && e->shape == t.shape &&
                quant::dequantize(*file, t) == quant::dequantize(*file, *e)) {
                info.notes.push_back("output.weight equals token_embd.weight (tied head)");
                continue;
            }
            throw Error(path, "tensor 'output.weight' differs from 'token_embd.weight', but " +
                                  model.directory() +
                                  " ties its embeddings; an untied head cannot be evaluated");
        }
        // llama.cpp refuses a file whose tensor count differs from the tensors it loads.
        throw Error(path, "tensor '" + t.name + "' has no counterpart in the model (" +
                              std::to_string(file->tensors().size()) +
                              " tensors; llama.cpp refuses a wrong number of tensors)");
    }
    job.report(1.0, "GGUF weights loaded", params.size(), params.size());
    return info;
}

at::Tensor ggmlCpuActivations(io::GgmlType type, const at::Tensor& x) {
    using io::GgmlType;
    int64_t block = 0;
    bool k = false;
    switch (type) {
    case GgmlType::F16:
        return x.to(at::kHalf).to(x.scalar_type());
    case GgmlType::BF16:
        return x.to(at::kBFloat16).to(x.scalar_type());
    case GgmlType::Q4_0:
    case GgmlType::Q4_1:
    case GgmlType::Q5_0:
    case GgmlType::Q5_1:
    case GgmlType::Q8_0:
    case GgmlType::IQ4_NL:
        block = 32;
        break;
    case GgmlType::Q2_K:
    case GgmlType::Q3_K:
    case GgmlType::Q4_K:
    case GgmlType::Q5_K:
    case GgmlType::Q6_K:
    case GgmlType::IQ4_XS:
        block = 256;
        k = true;
        break;
    default:
        return x;
    }
    const int64_t n = x.size(-1);
    if (n % block != 0)
        throw Error("activations of " + std::to_string(n) + " columns do not divide the " +
                    io::ggmlTypeName(type) + " block of " + std::to_string(block));
    at::NoGradGuard noGrad;
    const at::Tensor b = x.to(at::kFloat).reshape({-1, block});
    at::Tensor out;
    if (!k) {
        const at::Tensor amax = b.abs().amax(1, true);
        const at::Tensor d = (amax / 127.0f).to(at::kHalf).to(at::kFloat);
        const at::Tensor id = at::where(amax > 0, 127.0f / amax, at::zeros_like(amax));
        out = at::round(b * id) * d;
    } else {
        const at::Tensor idx = b.abs().argmax(1, true);
        const at::Tensor m = b.gather(1, idx);
        const at::Tensor nz = m != 0;
        const at::Tensor iscale = at::where(nz, -127.0f / m, at::zeros_like(m));
        const at::Tensor q = at::round(iscale * b).clamp_max(127.0f);
        out = at::where(nz, q * (1.0f / iscale), at::zeros_like(b));
    }
    return out.view(x.sizes()).to(x.scalar_type());
}

GgufWeightSwap::~GgufWeightSwap() {
    try {
        restore();
    } catch (...) {
    }
}

GgufWeightSwap::GgufWeightSwap(models::CausalLM& model) : model_(model) {}

void GgufWeightSwap::restore() {
    model_.setLinearInputTransform({});
    model_.setWeightSource({});
    weights_.clear();
}

GgufWeightsInfo GgufWeightSwap::apply(const std::string& path, const JobControl& job,
                                      bool cpuArithmetic) {
    restore();
    try {
        GgufWeightsInfo info = loadGgufWeights(model_, path, job, &weights_);
        model_.setWeightSource([this](int index) {
            return index >= 0 && std::size_t(index) < weights_.size() ? weights_[std::size_t(index)]
                                                                      : at::Tensor();
        });
        if (cpuArithmetic) {
            const std::vector<io::GgmlType> types = info.types;
            model_.setLinearInputTransform([types](int weight, const at::Tensor& x) {
                return weight >= 0 && std::size_t(weight) < types.size()
                           ? ggmlCpuActivations(types[std::size_t(weight)], x)
                           : x;
            });
        }
        return info;
    } catch (...) {
        restore();
        throw;
    }
}

} // namespace taskquant::eval
