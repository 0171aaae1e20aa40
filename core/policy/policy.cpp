#include "core/policy/policy.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/models/taxonomy.h"
#include "core/policy/recipes.h"
#include "core/quant/sizes.h"
#include "core/util/error.h"

namespace taskquant::policy {

using quant::Precision;

Precision Policy::classPrecision(const std::string& name) const {
    const models::TensorClass c = models::classify(name);
    if (c.isNorm())
        return norms;
    if (c.kind == models::Kind::Embed || c.kind == models::Kind::PosEmbed)
        return embeddings;
    if (c.kind == models::Kind::LmHead)
        return c.isBias ? biases : lmHead;
    if (c.isLinear())
        return c.isBias ? biases : defaultPrecision;
    return other;
}

Precision Policy::precisionFor(const std::string& name) const {
    auto it = overrides.find(name);
    return it != overrides.end() ? it->second : classPrecision(name);
}

SizeEstimate Policy::estimateSize(const std::vector<TensorShape>& tensors) const {
    SizeEstimate e;
    for (const TensorShape& t : tensors) {
        if (!t.shape) {
            ++e.tensorsWithoutShape;
            continue;
        }
        const Precision p = precisionFor(t.name);
        if (!p.supportsShape(*t.shape))
            throw Error("precision " + p.name() + " cannot store \"" + t.name +
                        "\" (rows must divide its block size)");
        int64_t n = 1;
        for (int64_t d : *t.shape)
            n *= d;
        const uint64_t b = p.bytes(*t.shape);
        e.bytes += b;
        e.referenceBytes += reference.bytes(*t.shape);
        e.weights += n;
        ++e.tensors;
        PrecisionTally& tally = e.byPrecision[p.name()];
        ++tally.tensors;
        tally.weights += n;
        tally.bytes += b;
    }
    if (e.weights > 0) {
        // Over the tensors the estimate counts (those with a shape), not bits per weight.
        e.averageBits = quant::bitsPerCountedWeight(e.bytes, e.weights);
        e.referenceBits = quant::bitsPerCountedWeight(e.referenceBytes, e.weights);
    }
    return e;
}

std::string calibrationHash(const std::vector<std::string>& texts) {
    uint64_t h = 0xcbf29ce484222325ull; // FNV-1a 64: offset basis, prime 0x100000001b3
    auto add = [&h](unsigned char c) {
        h ^= c;
        h *= 0x100000001b3ull;
    };
    for (const auto& t : texts) {
        for (char c : t)
            add(static_cast<unsigned char>(c));
        add(0);
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

namespace {

const std::set<std::string> kKeys = {"format", "version",    "default", "embeddings", "lm_head",
                                     "norms",  "biases",     "other",   "reference",  "overrides",
                                     "scheme", "provenance", "estimate"};

struct PolicyReader {
    const std::string& source;
    [[noreturn]] void fail(const std::string& what) const { throw Error(source, what); }
    Precision precision(const nlohmann::json& v, const std::string& what) const {
        if (!v.is_string())
            fail(what + " must be a precision name");
        try {
            return Precision::parse(v.get<std::string>());
        } catch (const Error& e) {
            std::string hint;
            if (auto mix = findRecipe(v.get<std::string>()))
                hint = "; " + mix->name +
                       " is a llama.cpp mix, not a tensor type (make its policy with "
                       "`taskquant policy --recipe " +
                       mix->name + " --model DIR`)";
            fail(what + ": " + e.what() + hint);
        }
    }
    std::string str(const nlohmann::json& o, const char* key) const {
        if (!o.contains(key) || o[key].is_null())
            return {};
        if (!o[key].is_string())
            fail(std::string("provenance \"") + key + "\" must be a string");
        return o[key].get<std::string>();
    }
    uint64_t count(const nlohmann::json& o, const char* key) const {
        if (!o.contains(key) || !o[key].is_number_integer() || o[key].get<int64_t>() < 0)
            fail(std::string("estimate \"") + key + "\" must be a non-negative integer");
        return o[key].get<uint64_t>();
    }
    double number(const nlohmann::json& o, const char* key) const {
        if (!o.contains(key) || !o[key].is_number() || !std::isfinite(o[key].get<double>()) ||
            o[key].get<double>() < 0)
            fail(std::string("estimate \"") + key + "\" must be a non-negative number");
        return o[key].get<double>();
    }
};

nlohmann::ordered_json tallyJson(const PrecisionTally& t) {
    return {{"tensors", t.tensors}, {"weights", t.weights}, {"bytes", t.bytes}};
}

} // namespace

Policy Policy::fromJson(const nlohmann::json& j, const std::string& source) {
    const PolicyReader rd{source};
    if (!j.is_object())
        rd.fail("a policy must be a JSON object");
    if (!j.contains("format") || j["format"] != "taskquant-policy")
        rd.fail("not a TaskQuant policy (\"format\" must be \"taskquant-policy\")");
    if (!j.contains("version") || !j["version"].is_number_integer())
        rd.fail("\"version\" must be an integer");
    if (j["version"].get<int64_t>() != 1)
        rd.fail("unsupported policy version " + j["version"].dump() +
                " (this build reads version 1)");
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!kKeys.count(it.key()))
            rd.fail("unknown key \"" + it.key() + "\"");
    Policy p;
    if (!j.contains("default"))
        rd.fail("\"default\" precision is missing");
    p.defaultPrecision = rd.precision(j["default"], "\"default\"");
    const std::pair<const char*, Precision*> fields[] = {
        {"embeddings", &p.embeddings}, {"lm_head", &p.lmHead}, {"norms", &p.norms},
        {"biases", &p.biases},         {"other", &p.other},    {"reference", &p.reference}};
    for (const auto& [key, dst] : fields)
        if (j.contains(key))
            *dst = rd.precision(j[key], std::string("\"") + key + "\"");
    if (j.contains("overrides")) {
        const auto& o = j["overrides"];
        if (!o.is_object())
            rd.fail("\"overrides\" must be an object {tensor: precision}");
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key().empty())
                rd.fail("an override has an empty tensor name");
            p.overrides[it.key()] = rd.precision(it.value(), "override of \"" + it.key() + "\"");
        }
    }
    if (j.contains("scheme")) {
        if (!j["scheme"].is_object())
            rd.fail("\"scheme\" must be an object");
        p.scheme = j["scheme"];
    }
    if (j.contains("provenance") && !j["provenance"].is_null()) {
        const auto& pr = j["provenance"];
        if (!pr.is_object())
            rd.fail("\"provenance\" must be an object");
        p.provenance.map = rd.str(pr, "map");
        p.provenance.mapMethod = rd.str(pr, "map_method");
        p.provenance.mapDataset = rd.str(pr, "map_dataset");
        p.provenance.modelFingerprint = rd.str(pr, "model_fingerprint");
        p.provenance.method = rd.str(pr, "method");
        p.provenance.toolVersion = rd.str(pr, "tool_version");
        if (pr.contains("params") && !pr["params"].is_null()) {
            if (!pr["params"].is_object())
                rd.fail("provenance \"params\" must be an object");
            p.provenance.params = pr["params"];
        }
        if (pr.contains("calibration") && !pr["calibration"].is_null()) {
            const auto& c = pr["calibration"];
            if (!c.is_object())
                rd.fail("provenance \"calibration\" must be an object or null");
            CalibrationText t;
            t.dataset = rd.str(c, "dataset");
            t.split = rd.str(c, "split");
            t.hash = rd.str(c, "hash");
            if (!c.contains("samples") || !c["samples"].is_number_integer() ||
                c["samples"].get<int64_t>() < 0)
                rd.fail("provenance calibration \"samples\" must be a non-negative integer");
            t.samples = c["samples"].get<int64_t>();
            p.provenance.calibration = t;
        }
    }
    if (j.contains("estimate") && !j["estimate"].is_null()) {
        const auto& e = j["estimate"];
        if (!e.is_object())
            rd.fail("\"estimate\" must be an object or null");
        SizeEstimate s;
        s.bytes = rd.count(e, "bytes");
        s.referenceBytes = rd.count(e, "reference_bytes");
        s.weights = static_cast<int64_t>(rd.count(e, "weights"));
        s.averageBits = rd.number(e, "average_bits");
        s.referenceBits = rd.number(e, "reference_bits");
        s.tensors = static_cast<int64_t>(rd.count(e, "tensors"));
        s.tensorsWithoutShape = static_cast<int64_t>(rd.count(e, "tensors_without_shape"));
        if (e.contains("by_precision")) {
            if (!e["by_precision"].is_object())
                rd.fail("estimate \"by_precision\" must be an object");
            for (auto it = e["by_precision"].begin(); it != e["by_precision"].end(); ++it) {
                if (!it.value().is_object())
                    rd.fail("estimate \"by_precision\" entries must be objects");
                PrecisionTally t;
                t.tensors = static_cast<int64_t>(rd.count(it.value(), "tensors"));
                t.weights = static_cast<int64_t>(rd.count(it.value(), "weights"));
                t.bytes = rd.count(it.value(), "bytes");
                s.byPrecision[rd.precision(it.key(), "estimate precision").name()] = t;
            }
        }
        p.estimate = s;
    }
    return p;
}

Policy Policy::readFile(const std::string& path) {
    return fromJson(io::readJsonFile(path), path);
}

nlohmann::ordered_json Policy::toJson() const {
    nlohmann::ordered_json j;
    j["format"] = "taskquant-policy";
    j["version"] = 1;
    j["default"] = defaultPrecision.name();
    j["embeddings"] = embeddings.name();
    j["lm_head"] = lmHead.name();
    j["norms"] = norms.name();
    j["biases"] = biases.name();
    j["other"] = other.name();
    j["reference"] = reference.name();
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    for (const auto& [name, prec] : overrides)
        o[name] = prec.name();
    j["overrides"] = std::move(o);
    j["scheme"] = nlohmann::ordered_json::parse(scheme.dump());
    j["provenance"] = {{"map", provenance.map},
                       {"map_method", provenance.mapMethod},
                       {"map_dataset", provenance.mapDataset},
                       {"model_fingerprint", provenance.modelFingerprint},
                       {"method", provenance.method},
                       {"params", nlohmann::ordered_json::parse(provenance.params.dump())},
                       {"tool_version", provenance.toolVersion},
                       {"calibration", nullptr}};
    if (const auto& c = provenance.calibration)
        j["provenance"]["calibration"] = {{"dataset", c->dataset},
                                          {"split", c->split},
                                          {"samples", c->samples},
                                          {"hash", c->hash}};
    if (estimate) {
        const SizeEstimate& e = *estimate;
        nlohmann::ordered_json by = nlohmann::ordered_json::object();
        for (const auto& [name, t] : e.byPrecision)
            by[name] = tallyJson(t);
        j["estimate"] = {{"bytes", e.bytes},
                         {"reference_bytes", e.referenceBytes},
                         {"weights", e.weights},
                         {"average_bits", e.averageBits},
                         {"reference_bits", e.referenceBits},
                         {"tensors", e.tensors},
                         {"tensors_without_shape", e.tensorsWithoutShape},
                         {"by_precision", std::move(by)}};
    } else {
        j["estimate"] = nullptr;
    }
    return j;
}

void Policy::writeFile(const std::string& path) const {
    io::writeFileAtomically(path, toJson().dump(2) + "\n");
}

} // namespace taskquant::policy
