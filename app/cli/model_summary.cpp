#include "app/cli/model_summary.h"

#include <cstdio>
#include <sstream>

#include "core/io/safetensors.h"
#include "core/models/model_loader.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace taskquant::cli {

namespace {
// "model.layers.3.self_attn.q_proj.weight" -> "self_attn.q_proj"; specials keep their name.
std::string moduleKind(const std::string& name) {
    std::string s = name;
    for (const char* suffix : {".weight", ".bias"}) {
        const std::string suf = suffix;
        if (s.size() > suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0) {
            s.resize(s.size() - suf.size());
            break;
        }
    }
    const std::string layers = "model.layers.";
    if (s.rfind(layers, 0) == 0) {
        auto dot = s.find('.', layers.size());
        if (dot != std::string::npos)
            return s.substr(dot + 1);
    }
    if (s.rfind("model.", 0) == 0)
        return s.substr(6);
    return s;
}

std::string human(double v) {
    char buf[32];
    if (v >= 1e9)
        std::snprintf(buf, sizeof buf, "%.2fB", v / 1e9);
    else if (v >= 1e6)
        std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
    else if (v >= 1e3)
        std::snprintf(buf, sizeof buf, "%.1fK", v / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}
// Binary byte sizes, as everywhere else in the CLI and the studio: "3.63 GiB", "2.50 MiB",
// "512 B".
std::string humanBytes(double v) {
    char buf[32];
    constexpr double kKi = 1024.0, kMi = kKi * 1024.0, kGi = kMi * 1024.0, kTi = kGi * 1024.0;
    if (v >= kTi)
        std::snprintf(buf, sizeof buf, "%.2f TiB", v / kTi);
    else if (v >= kGi)
        std::snprintf(buf, sizeof buf, "%.2f GiB", v / kGi);
    else if (v >= kMi)
        std::snprintf(buf, sizeof buf, "%.2f MiB", v / kMi);
    else if (v >= kKi)
        std::snprintf(buf, sizeof buf, "%.1f KiB", v / kKi);
    else
        std::snprintf(buf, sizeof buf, "%.0f B", v);
    return buf;
}

std::string describeTokenizer(const std::string& dir) {
    try {
        auto tok = tokenize::loadTokenizer(dir);
        const bool json = tok->source().size() >= 5 &&
                          tok->source().compare(tok->source().size() - 5, 5, ".json") == 0;
        std::string d = tok->kind() == "bpe" ? "byte-level BPE (" + tok->preTokenizer() + ")"
                        : json               ? std::string("sentencepiece-style BPE")
                                             : std::string("sentencepiece");
        d += ", " + std::to_string(tok->vocabSize()) + " tokens";
        if (tok->bosId() >= 0)
            d += ", BOS " + std::to_string(tok->bosId());
        if (tok->eosId() >= 0)
            d += ", EOS " + std::to_string(tok->eosId());
        auto slash = tok->source().find_last_of('/');
        return d + " [" + tok->source().substr(slash == std::string::npos ? 0 : slash + 1) + "]";
    } catch (const Error& e) {
        return std::string("unusable: ") + e.what();
    }
}
} // namespace

ModelSummary summarizeModelDirectory(const std::string& dir) {
    ModelSummary s;
    s.directory = dir;
    s.config = models::ModelConfig::fromFile(dir + "/config.json");
    // A config the tensors contradict is an error, not a summary that echoes the config.
    models::ModelLoader::checkWeights(dir);
    auto ckpt = io::SafetensorsCheckpoint::openDirectory(dir);
    s.files = static_cast<int>(ckpt.files().size());
    for (const auto& name : ckpt.names()) {
        const auto* t = ckpt.find(name);
        s.parametersByKind[moduleKind(name)] += t->numel();
        s.tensorsByDtype[io::dtypeName(t->dtype)] += 1;
        s.parameters += t->numel();
        s.weightBytes += t->nbytes;
    }
    s.tokenizer = describeTokenizer(dir);
    return s;
}

nlohmann::json ModelSummary::toJson() const {
    nlohmann::json j;
    j["directory"] = directory;
    j["config"] = config.toJson();
    j["parameters"] = parameters;
    j["weight_bytes"] = weightBytes;
    j["files"] = files;
    j["parameters_by_kind"] = parametersByKind;
    j["tensors_by_dtype"] = tensorsByDtype;
    j["tokenizer"] = tokenizer;
    return j;
}

std::string ModelSummary::toText() const {
    const auto& c = config;
    std::ostringstream o;
    o << "model:          " << directory << "\n";
    o << "architecture:   " << c.modelType;
    if (!c.ropeScaling.type.empty())
        o << " (rope scaling " << c.ropeScaling.type << ")";
    o << "\n";
    o << "layers:         " << c.numLayers << "\n";
    o << "hidden size:    " << c.hiddenSize << " (intermediate " << c.intermediateSize << ")\n";
    o << "heads:          " << c.numHeads << " query, " << c.numKvHeads << " key/value"
      << (c.numKvHeads < c.numHeads ? " (grouped-query)" : "") << ", head dim " << c.headDim
      << "\n";
    if (c.partialRotaryFactor < 1.0)
        o << "rotary:         " << c.rotaryDim() << " of " << c.headDim << " dims (partial)\n";
    o << "vocabulary:     " << c.vocabSize << (c.tieWordEmbeddings ? " (tied embeddings)" : "")
      << "\n";
    o << "parameters:     " << human(double(parameters)) << " (" << parameters << ") in " << files
      << " file" << (files == 1 ? "" : "s") << ", " << humanBytes(double(weightBytes)) << "\n";
    o << "dtype:          ";
    bool first = true;
    for (const auto& [d, n] : tensorsByDtype) {
        o << (first ? "" : ", ") << d << " (" << n << " tensors)";
        first = false;
    }
    o << "\n";
    o << "tokenizer:      " << tokenizer << "\n";
    o << "parameters per module kind:\n";
    for (const auto& [kind, n] : parametersByKind) {
        char line[160];
        std::snprintf(line, sizeof line, "  %-32s %12lld  %6.2f%%\n", kind.c_str(),
                      static_cast<long long>(n), parameters ? 100.0 * n / parameters : 0.0);
        o << line;
    }
    return o.str();
}

} // namespace taskquant::cli
