#include "core/export/gguf_export.h"
#include "core/export/gguf_story_size.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/export/checkpoint_tensor.h"
#include "core/io/gguf_writer.h"
#include "core/io/safetensors.h"
#include "core/models/gguf_names.h"
#include "core/policy/recipes.h"
#include "core/quant/codec.h"
#include "core/quant/gguf_tensor.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace taskquant::exporting {

namespace fs = std::filesystem;
using io::GgmlType;
using quant::Precision;

uint32_t llamaFileType(GgmlType t) {
    // llama_model_loader's guess from the dominant tensor type (LLAMA_FTYPE_* ids of llama.h)
    switch (t) {
    case GgmlType::F32:
        return 0;
    case GgmlType::F16:
        return 1;
    case GgmlType::Q4_0:
        return 2;
    case GgmlType::Q4_1:
        return 3;
    case GgmlType::Q8_0:
        return 7;
    case GgmlType::Q5_0:
        return 8;
    case GgmlType::Q5_1:
        return 9;
    case GgmlType::Q2_K:
        return 10;
    case GgmlType::Q3_K:
        return 12; // MOSTLY_Q3_K_M
    case GgmlType::Q4_K:
        return 15; // MOSTLY_Q4_K_M
    case GgmlType::Q5_K:
        return 17; // MOSTLY_Q5_K_M
    case GgmlType::Q6_K:
        return 18;
    case GgmlType::IQ4_NL:
        return 25;
    case GgmlType::IQ4_XS:
        return 30;
    case GgmlType::BF16:
        return 32;
    default:
        return 0;
    }
}

uint32_t ggufFileType(const policy::Policy& policy, const GgufPlan& plan) {
    if (policy.scheme.is_object() && policy.scheme.contains("llama_mix")) {
        const auto& m = policy.scheme["llama_mix"];
        if (!m.is_string())
            throw Error("policy scheme \"llama_mix\" must be a llama.cpp mix name");
        return policy::recipe(m.get<std::string>()).fileType;
    }
    std::map<GgmlType, uint64_t> bytesByType;
    for (const auto& t : plan.tensors)
        if (t.plan.shape.size() == 2)
            bytesByType[t.type] += io::ggmlTensorBytes(t.type, t.plan.shape);
    GgmlType mostly = GgmlType::F32;
    uint64_t best = 0;
    for (const auto& [t, b] : bytesByType)
        if (b > best)
            best = b, mostly = t;
    return llamaFileType(mostly);
}

namespace {

bool endsWith(const std::string& s, const std::string& e) {
    return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}

// A GGUF-storable precision for a quantized policy precision GGUF has no type for (int8_g*,
// int4_g*, nf4): 8-bit -> q8_0, 4-bit -> q4_k, else q4_0, else f16 (TaskQuant's choice, not a
// llama.cpp rule; always reported).
Precision substitute(const Precision& p, const std::vector<int64_t>& shape) {
    for (const char* n : p.bits >= 8 ? std::vector<const char*>{"q8_0", "f16"}
                                     : std::vector<const char*>{"q4_k", "q4_0", "f16"}) {
        const Precision t = Precision::parse(n);
        if (t.supportsShape(shape))
            return t;
    }
    return Precision::parse("f16");
}

models::ModelConfig readConfig(const std::string& dir) {
    return models::ModelConfig::fromFile((fs::path(dir) / "config.json").string());
}

std::vector<float> ropeFreqs(const models::ModelConfig& c) {
    // convert_hf_to_gguf LlamaModel.generate_extra_tensors (llama3 rope scaling)
    const double base = c.ropeTheta;
    const int64_t dim = c.headDim;
    const auto& rs = c.ropeScaling;
    const double lowWavelen = rs.originalMaxPositions / rs.lowFreqFactor;
    const double highWavelen = rs.originalMaxPositions / rs.highFreqFactor;
    std::vector<float> out;
    for (int64_t i = 0; i < dim; i += 2) {
        const float freq = float(1.0 / std::pow(base, double(float(i) / float(dim))));
        const double wavelen = 2 * M_PI / freq;
        if (wavelen < highWavelen)
            out.push_back(1.0f);
        else if (wavelen > lowWavelen)
            out.push_back(float(rs.factor));
        else {
            const double smooth = (rs.originalMaxPositions / wavelen - rs.lowFreqFactor) /
                                  (rs.highFreqFactor - rs.lowFreqFactor);
            out.push_back(float(1 / ((1 - smooth) / rs.factor + smooth)));
        }
    }
    return out;
}

std::string preName(const std::string& family, const std::string& arch,
                    std::vector<std::string>& notes) {
    if (family == "gpt2")
        return arch == "phi2" ? "phi-2" : "gpt-2";
    if (family == "llama3")
        return "llama-bpe";
    if (family == "qwen2")
        return "qwen2";
    if (family == "smollm")
        return "smollm";
    notes.push_back("tokenizer pre-tokenizer \"" + family +
                    "\" has no llama.cpp name; written as \"default\"");
    return "default";
}

void addTokenizer(io::GgufMetadata& md, const std::string& dir, const models::ModelConfig& c,
                  const std::string& arch, std::vector<std::string>& notes) {
    auto tok = tokenize::loadTokenizer(dir);
    const int32_t n = int32_t(c.vocabSize > 0 ? c.vocabSize : tok->vocabSize());
    if (tok->vocabSize() > n)
        notes.push_back("tokenizer has " + std::to_string(tok->vocabSize()) +
                        " tokens, the model " + std::to_string(n) + "; extra tokens dropped");
    std::vector<std::string> texts(n);
    std::vector<int32_t> types(n);
    std::vector<float> scores(n);
    for (int32_t i = 0; i < n; ++i) {
        if (i < tok->vocabSize()) {
            texts[i] = tok->tokenText(i);
            types[i] = int32_t(tok->tokenType(i));
            scores[i] = tok->tokenScore(i);
        } else {
            texts[i] = "[PAD" + std::to_string(i) + "]";
            types[i] = int32_t(tokenize::TokenType::Unused);
            scores[i] = -10000.0f;
        }
    }
    if (tok->kind() == "sentencepiece") {
        md.set("tokenizer.ggml.model", "llama");
        md.set("tokenizer.ggml.pre", "default");
        md.set("tokenizer.ggml.tokens", std::move(texts));
        md.set("tokenizer.ggml.scores", std::move(scores));
        md.set("tokenizer.ggml.token_type", std::move(types));
    } else {
        md.set("tokenizer.ggml.model", "gpt2");
        md.set("tokenizer.ggml.pre", preName(tok->preTokenizer(), arch, notes));
        md.set("tokenizer.ggml.tokens", std::move(texts));
        md.set("tokenizer.ggml.token_type", std::move(types));
        std::vector<std::string> merges;
        for (const auto& m : tok->merges())
            merges.push_back(m.first + " " + m.second);
        md.set("tokenizer.ggml.merges", std::move(merges));
    }
    auto setId = [&](const char* key, int32_t id) {
        if (id >= 0 && id < n)
            md.set(key, uint32_t(id));
    };
    setId("tokenizer.ggml.bos_token_id", tok->bosId());
    setId("tokenizer.ggml.eos_token_id", tok->eosId());
    setId("tokenizer.ggml.unknown_token_id", tok->unkId());
    setId("tokenizer.ggml.padding_token_id", tok->padId());
    // Phi2Model.set_gguf_parameters forces add_bos_token = False.
    md.set("tokenizer.ggml.add_bos_token", arch == "phi2" ? false : tok->addsBos());
    md.set("tokenizer.ggml.add_eos_token", tok->addsEos());
    if (tok->kind() == "sentencepiece")
        md.set("tokenizer.ggml.add_space_prefix", tok->addSpacePrefix());
}

io::GgufMetadata buildMetadata(const std::string& dir, const models::ModelConfig& c,
                               const policy::Policy& policy, const GgufPlan& plan,
                               std::vector<std::string>& notes) {
    io::GgufMetadata md;
    const std::string& a = plan.arch;
    md.set("general.architecture", a);
    md.set("general.name", fs::path(dir).filename().string().empty()
                               ? fs::path(dir).parent_path().filename().string()
                               : fs::path(dir).filename().string());
    auto u32 = [](int64_t v) { return uint32_t(v); };
    md.set(a + ".context_length", u32(c.maxPositions));
    md.set(a + ".embedding_length", u32(c.hiddenSize));
    md.set(a + ".feed_forward_length", u32(c.intermediateSize));
    md.set(a + ".block_count", u32(c.numLayers));
    md.set(a + ".attention.head_count", u32(c.numHeads));
    md.set(a + ".attention.head_count_kv", u32(c.numKvHeads));
    if (a == "llama") {
        md.set(a + ".rope.freq_base", float(c.ropeTheta));
        md.set(a + ".attention.layer_norm_rms_epsilon", float(c.normEps));
        if (c.headDim * c.numHeads != c.hiddenSize) {
            md.set(a + ".attention.key_length", u32(c.headDim));
            md.set(a + ".attention.value_length", u32(c.headDim));
        }
        md.set(a + ".vocab_size", u32(c.vocabSize));
        md.set(a + ".rope.dimension_count", u32(c.headDim));
        if (c.ropeScaling.type == "linear") {
            md.set(a + ".rope.scaling.type", "linear");
            md.set(a + ".rope.scaling.factor", float(c.ropeScaling.factor));
        }
    } else { // phi2
        md.set(a + ".attention.layer_norm_epsilon", float(c.normEps));
        md.set(a + ".rope.dimension_count",
               u32(int64_t(c.partialRotaryFactor * c.hiddenSize) / c.numHeads));
        md.set(a + ".rope.freq_base", float(c.ropeTheta));
    }
    md.set("general.file_type", ggufFileType(policy, plan));
    md.set("general.quantization_version", uint32_t(2));
    addTokenizer(md, dir, c, a, notes);
    return md;
}

} // namespace

bool ggufVectorLike(const std::string& ggufName, const std::vector<int64_t>& shape) {
    return shape.size() <= 1 || endsWith(ggufName, "_norm.weight") ||
           !endsWith(ggufName, ".weight");
}

GgufStorage ggufTensorStorage(const std::string& ggufName, const std::vector<int64_t>& shape,
                              const quant::Precision& effective) {
    GgufStorage st;
    if (ggufVectorLike(ggufName, shape)) {
        st.type = GgmlType::F32;
        st.stored = effective;
    } else if (auto t = quant::ggmlTypeFor(effective)) {
        st.type = *t;
        st.stored = effective;
    } else {
        st.stored = substitute(effective, shape);
        st.type = *quant::ggmlTypeFor(st.stored);
        st.substituted = true;
    }
    return st;
}

GgufFileLayout ggufFileLayout(const std::string& modelDir) {
    const policy::Policy policy; // header sizes do not depend on the tensor types
    const models::ModelConfig c = readConfig(modelDir);
    GgufFileLayout layout;
    layout.plan = planGguf(modelDir, policy);
    std::vector<std::string> notes;
    const io::GgufMetadata md = buildMetadata(modelDir, c, policy, layout.plan, notes);
    std::vector<io::GgufTensorSource> infos;
    for (const auto& g : layout.plan.tensors) {
        io::GgufTensorSource s;
        s.name = g.ggufName;
        s.type = g.type;
        s.shape = g.plan.shape;
        infos.push_back(std::move(s));
    }
    layout.headerBytes = io::ggufHeaderBytes(md, infos);
    layout.alignment = io::ggufAlignment(md, modelDir);
    return layout;
}

struct GgufHeaderBase {
    io::GgufMetadata metadata;
    std::vector<io::GgufTensorSource> tensors;
    uint64_t headerBytes = 0;
};

std::shared_ptr<const GgufHeaderBase> ggufHeaderBase(const std::string& modelDir) {
    const models::ModelConfig c = readConfig(modelDir);
    const policy::Policy policy;
    auto base = std::make_shared<GgufHeaderBase>();
    const GgufPlan plan = planGguf(modelDir, policy);
    std::vector<std::string> notes;
    base->metadata = buildMetadata(modelDir, c, policy, plan, notes);
    for (const auto& g : plan.tensors) {
        io::GgufTensorSource s;
        s.name = g.ggufName;
        s.type = g.type;
        s.shape = g.plan.shape;
        base->tensors.push_back(std::move(s));
    }
    base->headerBytes = io::ggufHeaderBytes(base->metadata, base->tensors);
    return base;
}

uint64_t ggufStoryBytes(const GgufHeaderBase& base, const GgufStory& story) {
    io::GgufMetadata md = base.metadata;
    writeStory(md, story);
    return io::ggufHeaderBytes(md, base.tensors) - base.headerBytes;
}

GgufPlan planGguf(const std::string& modelDir, const policy::Policy& policy) {
    const models::ModelConfig c = readConfig(modelDir);
    GgufPlan plan;
    auto arch = models::ggufArchitecture(c.modelType);
    if (!arch)
        throw Error(modelDir, "GGUF export supports model_type llama, mistral and phi, not \"" +
                                  c.modelType + "\"");
    plan.arch = *arch;
    const auto ckpt = io::SafetensorsCheckpoint::openDirectory(modelDir);
    std::vector<exporting::NamedShape> shapes;
    for (const auto& name : ckpt.names()) {
        if (endsWith(name, "rotary_emb.inv_freq"))
            continue;
        shapes.push_back({name, ckpt.find(name)->shape});
    }
    const auto tensorPlans = exporting::planPolicy(policy, shapes);
    bool hasOutput = false;
    for (const auto& tp : tensorPlans) {
        GgufTensorPlan g;
        g.hfName = tp.name;
        auto gname = models::ggufTensorName(plan.arch, tp.name);
        if (!gname)
            throw Error(modelDir, "tensor \"" + tp.name + "\" has no " + plan.arch +
                                      " GGUF name (unsupported checkpoint layout)");
        g.ggufName = *gname;
        g.plan = tp;
        if (!tp.note.empty())
            plan.notes.push_back(tp.note);
        hasOutput = hasOutput || g.ggufName == "output.weight";
        const GgufStorage st = ggufTensorStorage(g.ggufName, tp.shape, tp.effective);
        g.type = st.type;
        g.stored = st.stored;
        if (st.substituted)
            plan.notes.push_back(tp.name + ": GGUF has no " + tp.effective.name() +
                                 " type; substituted " + io::ggmlTypeName(g.type) +
                                 " (the file differs from the policy here)");
        else if (tp.note.empty() && policy.overrides.count(tp.name) &&
                 quant::ggmlTypeFor(tp.requested) != std::optional<GgmlType>(g.type))
            plan.notes.push_back(tp.name + ": asked for " + tp.requested.name() +
                                 ", the file stores it as " + io::ggmlTypeName(g.type) +
                                 " (GGUF keeps vectors and norms so)");
        if (plan.arch == "llama" && (endsWith(tp.name, "self_attn.q_proj.weight") ||
                                     endsWith(tp.name, "self_attn.q_proj.bias"))) {
            g.permuteHeads = true;
            g.heads = c.numHeads;
        }
        if (plan.arch == "llama" && (endsWith(tp.name, "self_attn.k_proj.weight") ||
                                     endsWith(tp.name, "self_attn.k_proj.bias"))) {
            g.permuteHeads = true;
            g.heads = c.numKvHeads;
        }
        plan.tensors.push_back(std::move(g));
    }
    if (c.tieWordEmbeddings && hasOutput &&
        std::none_of(plan.tensors.begin(), plan.tensors.end(),
                     [](const GgufTensorPlan& g) { return g.ggufName == "token_embd.weight"; })) {
        // A tied model whose weights store only lm_head.weight: that tensor is the embedding
        // (llama.cpp reads token_embd.weight and falls back to it for the output).
        for (auto& g : plan.tensors)
            if (g.ggufName == "output.weight")
                g.ggufName = "token_embd.weight";
        hasOutput = false;
    }
    if (plan.arch == "phi2" && !hasOutput) {
        // llama.cpp's phi2 needs output.weight: a tied model repeats the embedding.
        for (const auto& g : std::vector<GgufTensorPlan>(plan.tensors))
            if (g.ggufName == "token_embd.weight") {
                GgufTensorPlan o = g;
                o.ggufName = "output.weight";
                plan.tensors.push_back(o);
            }
    }
    if (plan.arch == "llama" && c.ropeScaling.type == "llama3") {
        GgufTensorPlan r;
        r.ggufName = "rope_freqs.weight";
        r.plan.name = "rope_freqs";
        r.plan.shape = {c.headDim / 2};
        r.plan.requested = r.plan.effective = Precision::parse("f32");
        r.stored = r.plan.effective;
        r.type = GgmlType::F32;
        plan.tensors.push_back(r);
    }
    return plan;
}

policy::Policy ggufEquivalentPolicy(const policy::Policy& policy, const GgufPlan& plan) {
    policy::Policy p = policy;
    for (const auto& t : plan.tensors)
        if (!t.hfName.empty())
            p.overrides[t.hfName] = t.stored;
    return p;
}

ExportResult exportGguf(const std::string& modelDir, const policy::Policy& policy,
                        const std::string& outPath, const JobControl& job,
                        const quant::ImportanceLookup& importance, const GgufStory* story) {
    const models::ModelConfig c = readConfig(modelDir);
    GgufPlan plan = planGguf(modelDir, policy);
    ExportResult result;
    result.notes = plan.notes;
    io::GgufMetadata md = buildMetadata(modelDir, c, policy, plan, result.notes);
    if (story)
        writeStory(md, *story);
    auto ckpt = std::make_shared<io::SafetensorsCheckpoint>(
        io::SafetensorsCheckpoint::openDirectory(modelDir));
    std::vector<io::GgufTensorSource> sources;
    for (const auto& g : plan.tensors) {
        io::GgufTensorSource s;
        s.name = g.ggufName;
        s.type = g.type;
        s.shape = g.plan.shape;
        s.bytes = [ckpt, g, c, importance]() -> std::string {
            std::vector<float> x;
            if (g.hfName.empty())
                x = ropeFreqs(c);
            else
                x = readTensorAsFloat(*ckpt, *ckpt->find(g.hfName));
            if (g.permuteHeads) {
                const int64_t rows = g.plan.shape[0];
                const int64_t cols = g.plan.shape.size() > 1 ? g.plan.shape[1] : 1;
                permuteQkRows(x.data(), rows, cols, g.heads);
            }
            // importance is per input column: the q/k row permutation leaves it unchanged
            const float* w = importance && !g.hfName.empty() ? importance(g.hfName) : nullptr;
            try {
                if (g.type == GgmlType::F32) {
                    // values as the evaluation sees them, stored exactly
                    const std::vector<float> v = exporting::applyPlan(g.plan, x.data(), w);
                    return std::string(reinterpret_cast<const char*>(v.data()), v.size() * 4);
                }
                return quant::encode(g.stored, x.data(), g.plan.shape, 0, w);
            } catch (const Error& e) {
                throw Error(g.hfName + ": " + e.what());
            }
        };
        sources.push_back(std::move(s));
    }
    io::writeGguf(outPath, md, sources, job);
    result.bytes = fs::file_size(outPath);
    return result;
}

} // namespace taskquant::exporting
