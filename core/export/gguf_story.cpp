#include "core/export/gguf_story.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "core/sensitivity/sensitivity_map.h"
#include "core/util/error.h"

namespace taskquant::exporting {
namespace {

constexpr std::size_t kLlamaKvStringBytes = 127; // llama_model_kv_override::val_str[128]

std::string clip(const std::string& s) {
    return s.size() > kLlamaKvStringBytes ? s.substr(0, kLlamaKvStringBytes) : s;
}

std::optional<double> number(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

// Typed readers: absent -> nullopt; present with another type -> one clear error.
const io::GgufValue* keyOf(const io::GgufMetadata& md, const std::string& key) {
    return md.find(key);
}

[[noreturn]] void wrongType(const std::string& file, const std::string& key, const io::GgufValue& v,
                            const char* wanted) {
    throw Error(file, key + " is " + v.typeString() + ", expected " + wanted);
}

std::string str(const io::GgufMetadata& md, const std::string& file, const std::string& key) {
    const io::GgufValue* v = keyOf(md, key);
    if (!v)
        return {};
    if (const auto* s = v->getIf<std::string>())
        return *s;
    wrongType(file, key, *v, "STRING");
}

template <class T>
std::optional<T> scalar(const io::GgufMetadata& md, const std::string& file, const std::string& key,
                        const char* wanted) {
    const io::GgufValue* v = keyOf(md, key);
    if (!v)
        return std::nullopt;
    if (const auto* p = v->getIf<T>())
        return *p;
    wrongType(file, key, *v, wanted);
}

std::string fmt(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.6g", v);
    return b;
}

} // namespace

std::string fnv1a64Hex(const std::string& bytes) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char b[17];
    std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
    return b;
}

GgufStory storyFor(const policy::Policy& p, const std::string& baseModel) {
    GgufStory s;
    s.toolVersion = TASKQUANT_VERSION;
    s.llamaCppCommit = kLlamaCppCommit;
    s.baseModel = baseModel;
    s.policy = p;
    s.policy->estimate.reset();
    const auto& pv = p.provenance;
    s.policyMethod = pv.method;
    if (s.policyMethod.empty() && p.scheme.is_object() && p.scheme.contains("llama_mix"))
        s.policyMethod = "llama_mix";
    s.taskDataset = pv.mapDataset;
    s.mapFile = pv.map;
    s.mapMethod = pv.mapMethod;
    s.mapModelFingerprint = pv.modelFingerprint;
    const nlohmann::json& params = pv.params;
    if (params.is_object()) {
        s.budgetBitsPerWeight = number(params, "average_bits");
        if (auto b = number(params, "budget_bytes"); b && *b > 0)
            s.budgetBytes = uint64_t(*b);
        if (params.contains("damage_model"))
            s.predictedKld = number(params, "objective");
    }
    return s;
}

void addMapToStory(GgufStory& s, const sensitivity::SensitivityMap& map,
                   const std::string& mapBytes) {
    const auto& pv = map.provenance();
    s.taskDataset = pv.dataset;
    s.taskSamples = pv.samples;
    s.taskTokens = pv.tokens;
    nlohmann::ordered_json task;
    task["method"] = pv.method;
    task["dataset"] = pv.dataset;
    task["samples"] = pv.samples;
    task["tokens"] = pv.tokens;
    task["settings"] = pv.settings;
    s.taskHash = fnv1a64Hex(task.dump());
    if (!map.source().empty())
        s.mapFile = map.source();
    s.mapMethod = pv.method;
    s.mapModelFingerprint = pv.modelFingerprint;
    if (!mapBytes.empty())
        s.mapFingerprint = fnv1a64Hex(mapBytes);
}

void addEvaluationToStory(GgufStory& s, const nlohmann::json& report, const std::string& path,
                          const std::string& row) {
    auto rows = report.find("rows");
    if (!report.is_object() || rows == report.end() || !rows->is_array())
        throw Error(path, "not an evaluation report (no \"rows\" array; taskquant eval --report)");
    const nlohmann::json* chosen = nullptr;
    int candidates = 0;
    for (const auto& r : *rows) {
        if (!r.is_object())
            continue;
        const std::string name = r.value("name", std::string());
        if (!row.empty()) {
            if (name == row)
                chosen = &r;
            continue;
        }
        if (r.value("baseline", false))
            continue;
        ++candidates;
        chosen = &r;
    }
    if (!chosen)
        throw Error(path, row.empty() ? "no evaluated (non-baseline) row"
                                      : "no row named \"" + row + "\"");
    if (row.empty() && candidates > 1)
        throw Error(path, "has " + std::to_string(candidates) +
                              " evaluated rows; name the one this file is");
    auto m = chosen->find("metrics");
    if (m == chosen->end() || !m->is_object())
        throw Error(path, "the row has no metrics");
    s.measuredKld = number(*m, "kld_mean");
    s.measuredPpl = number(*m, "ppl");
    if (!s.measuredKld && !s.measuredPpl)
        throw Error(path, "the row has neither kld_mean nor ppl");
    s.measuredText = report.value("text", std::string());
}

void addImatrixToStory(GgufStory& s, const io::Imatrix& m, const std::string& path) {
    s.imatrixFile = path;
    s.imatrixDataset = m.datasets.empty() ? std::string() : m.datasets.front();
    s.imatrixEntries = uint32_t(m.entries.size());
    s.imatrixChunks = m.chunkCount > 0 ? std::optional<uint32_t>(m.chunkCount) : std::nullopt;
}

void writeStory(io::GgufMetadata& md, const GgufStory& s) {
    // llama-quantize's keys, with its types and its 127-byte string limit.
    if (!s.imatrixFile.empty()) {
        md.set("quantize.imatrix.file", clip(s.imatrixFile));
        if (!s.imatrixDataset.empty())
            md.set("quantize.imatrix.dataset", clip(s.imatrixDataset));
        if (s.imatrixEntries)
            md.set("quantize.imatrix.entries_count", *s.imatrixEntries);
        if (s.imatrixChunks && *s.imatrixChunks > 0)
            md.set("quantize.imatrix.chunks_count", *s.imatrixChunks);
    }
    if (!s.quantizedBy.empty())
        md.set("general.quantized_by", s.quantizedBy);
    if (!s.baseModel.empty()) {
        md.set("general.base_model.count", uint32_t(1));
        md.set("general.base_model.0.name", s.baseModel);
    }
    auto putStr = [&](const char* key, const std::string& v) {
        if (!v.empty())
            md.set(key, v);
    };
    putStr("taskquant.version", s.toolVersion);
    putStr("taskquant.llama_cpp.commit", s.llamaCppCommit);
    if (s.policy) {
        policy::Policy p = *s.policy;
        p.estimate.reset();
        const std::string json = p.toJson().dump();
        if (json.size() > kMaxStoryPolicyBytes)
            throw Error("the policy is " + std::to_string(json.size()) +
                        " bytes as JSON, over the " + std::to_string(kMaxStoryPolicyBytes) +
                        " bytes taskquant.policy may hold");
        md.set("taskquant.policy", json);
    }
    putStr("taskquant.policy.method", s.policyMethod);
    putStr("taskquant.task.dataset", s.taskDataset);
    if (s.taskSamples)
        md.set("taskquant.task.samples", uint32_t(std::max<int64_t>(0, *s.taskSamples)));
    if (s.taskTokens)
        md.set("taskquant.task.tokens", uint64_t(std::max<int64_t>(0, *s.taskTokens)));
    putStr("taskquant.task.hash", s.taskHash);
    putStr("taskquant.map.file", s.mapFile);
    putStr("taskquant.map.method", s.mapMethod);
    putStr("taskquant.map.fingerprint", s.mapFingerprint);
    putStr("taskquant.map.model_fingerprint", s.mapModelFingerprint);
    if (s.budgetBitsPerWeight)
        md.set("taskquant.budget.bits_per_weight", float(*s.budgetBitsPerWeight));
    if (s.budgetBytes)
        md.set("taskquant.budget.bytes", *s.budgetBytes);
    if (s.predictedKld)
        md.set("taskquant.predicted.kld", float(*s.predictedKld));
    if (s.measuredKld)
        md.set("taskquant.measured.kld", float(*s.measuredKld));
    if (s.measuredPpl)
        md.set("taskquant.measured.ppl", float(*s.measuredPpl));
    putStr("taskquant.measured.text", s.measuredText);
}

GgufStory readStory(const io::GgufMetadata& md, const std::string& file) {
    GgufStory s;
    s.quantizedBy = str(md, file, "general.quantized_by");
    if (auto n = scalar<uint32_t>(md, file, "general.base_model.count", "UINT32"); n && *n > 0)
        s.baseModel = str(md, file, "general.base_model.0.name");
    s.toolVersion = str(md, file, "taskquant.version");
    s.llamaCppCommit = str(md, file, "taskquant.llama_cpp.commit");
    if (const io::GgufValue* v = md.find("taskquant.policy")) {
        const auto* text = v->getIf<std::string>();
        if (!text)
            wrongType(file, "taskquant.policy", *v, "STRING");
        if (text->size() > kMaxStoryPolicyBytes)
            throw Error(file, "taskquant.policy is " + std::to_string(text->size()) +
                                  " bytes, over the " + std::to_string(kMaxStoryPolicyBytes) +
                                  " bytes a policy may take");
        nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
        if (j.is_discarded())
            throw Error(file, "taskquant.policy is not valid JSON");
        try {
            s.policy = policy::Policy::fromJson(j, file + ": taskquant.policy");
        } catch (const Error&) {
            throw; // already names the file and the key
        } catch (const std::exception& e) {
            throw Error(file, std::string("taskquant.policy is not a valid policy: ") + e.what());
        }
    }
    s.policyMethod = str(md, file, "taskquant.policy.method");
    s.taskDataset = str(md, file, "taskquant.task.dataset");
    if (auto v = scalar<uint32_t>(md, file, "taskquant.task.samples", "UINT32"))
        s.taskSamples = int64_t(*v);
    if (auto v = scalar<uint64_t>(md, file, "taskquant.task.tokens", "UINT64"))
        s.taskTokens = int64_t(*v);
    s.taskHash = str(md, file, "taskquant.task.hash");
    s.mapFile = str(md, file, "taskquant.map.file");
    s.mapMethod = str(md, file, "taskquant.map.method");
    s.mapFingerprint = str(md, file, "taskquant.map.fingerprint");
    s.mapModelFingerprint = str(md, file, "taskquant.map.model_fingerprint");
    if (auto v = scalar<float>(md, file, "taskquant.budget.bits_per_weight", "FLOAT32"))
        s.budgetBitsPerWeight = *v;
    s.budgetBytes = scalar<uint64_t>(md, file, "taskquant.budget.bytes", "UINT64");
    if (auto v = scalar<float>(md, file, "taskquant.predicted.kld", "FLOAT32"))
        s.predictedKld = *v;
    if (auto v = scalar<float>(md, file, "taskquant.measured.kld", "FLOAT32"))
        s.measuredKld = *v;
    if (auto v = scalar<float>(md, file, "taskquant.measured.ppl", "FLOAT32"))
        s.measuredPpl = *v;
    s.measuredText = str(md, file, "taskquant.measured.text");
    s.imatrixFile = str(md, file, "quantize.imatrix.file");
    s.imatrixDataset = str(md, file, "quantize.imatrix.dataset");
    s.imatrixEntries = scalar<uint32_t>(md, file, "quantize.imatrix.entries_count", "UINT32");
    s.imatrixChunks = scalar<uint32_t>(md, file, "quantize.imatrix.chunks_count", "UINT32");
    return s;
}

GgufStory readStory(const io::GgufFile& f) {
    return readStory(f.metadata(), f.path());
}

policy::Policy policyFromGguf(const std::string& path) {
    const auto f = io::GgufFile::open(path);
    GgufStory s = readStory(*f);
    if (!s.policy)
        throw Error(path, "has no taskquant.policy (not exported by TaskQuant)");
    return *s.policy;
}

std::string storyText(const GgufStory& s) {
    std::ostringstream o;
    auto line = [&](const std::string& k, const std::string& v) {
        if (!v.empty())
            o << "  " << k << std::string(k.size() < 22 ? 22 - k.size() : 1, ' ') << v << "\n";
    };
    if (s.isTaskQuant()) {
        line("made by", s.quantizedBy + (s.toolVersion.empty() ? "" : " " + s.toolVersion));
        line("llama.cpp rules", s.llamaCppCommit);
        line("base model", s.baseModel);
        if (s.policy) {
            std::string d = "default " + s.policy->defaultPrecision.name() + ", " +
                            std::to_string(s.policy->overrides.size()) + " overrides";
            line("policy", (s.policyMethod.empty() ? "" : s.policyMethod + ": ") + d);
        }
        std::string task = s.taskDataset;
        if (s.taskSamples)
            task += ", " + std::to_string(*s.taskSamples) + " samples";
        if (s.taskTokens)
            task += ", " + std::to_string(*s.taskTokens) + " tokens";
        if (!s.taskHash.empty())
            task += " (hash " + s.taskHash + ")";
        line("calibration task", task);
        std::string map = s.mapFile;
        if (!s.mapMethod.empty())
            map += (map.empty() ? "" : ", ") + s.mapMethod;
        if (!s.mapFingerprint.empty())
            map += ", fingerprint " + s.mapFingerprint;
        if (!s.mapModelFingerprint.empty())
            map += ", weights " + s.mapModelFingerprint;
        line("map", map);
        std::string budget;
        if (s.budgetBitsPerWeight)
            budget = fmt(*s.budgetBitsPerWeight) + " bits/weight";
        if (s.budgetBytes)
            budget += (budget.empty() ? "" : ", ") + std::to_string(*s.budgetBytes) + " bytes";
        line("budget", budget);
        if (s.predictedKld)
            line("predicted KLD", fmt(*s.predictedKld));
        std::string measured;
        if (s.measuredKld)
            measured = "KLD " + fmt(*s.measuredKld);
        if (s.measuredPpl)
            measured += (measured.empty() ? "" : ", ") + std::string("PPL ") + fmt(*s.measuredPpl);
        if (!s.measuredText.empty() && !measured.empty())
            measured += " on " + s.measuredText;
        line("measured", measured);
    }
    if (!s.imatrixFile.empty()) {
        std::string im = s.imatrixFile;
        if (!s.imatrixDataset.empty())
            im += " (dataset " + s.imatrixDataset + ")";
        if (s.imatrixEntries)
            im += ", " + std::to_string(*s.imatrixEntries) + " entries";
        if (s.imatrixChunks)
            im += ", " + std::to_string(*s.imatrixChunks) + " chunks";
        line("importance matrix", im);
    }
    return o.str();
}

} // namespace taskquant::exporting
