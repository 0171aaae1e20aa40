#include "core/sensitivity/sensitivity_map.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <set>

#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/models/taxonomy.h"
#include "core/util/csv.h"
#include "core/util/error.h"

namespace taskquant::sensitivity {

using ojson = nlohmann::ordered_json;

namespace {

constexpr const char* kFormat = "taskquant-map";
constexpr int kVersion = 1;

bool consistent(double score, double expected) {
    return std::fabs(score - expected) <=
           1e-6 * std::max(std::fabs(score), std::fabs(expected)) + 1e-300;
}

double scoreFromSum(double sum, int64_t count, Reduction r) {
    if (r == Reduction::Sum)
        return sum;
    return count == 0 ? 0.0 : sum / static_cast<double>(count);
}

// --- typed JSON field access: every mismatch names the file and the field ------------------
struct Reader {
    const std::string& source;

    [[noreturn]] void fail(const std::string& what) const { throw Error(source, what); }

    const ojson* field(const ojson& obj, const char* key) const {
        auto it = obj.find(key);
        return it == obj.end() || it->is_null() ? nullptr : &*it;
    }
    std::string str(const ojson& obj, const char* key, const std::string& where) const {
        const ojson* v = field(obj, key);
        if (!v)
            return {};
        if (!v->is_string())
            fail(where + "\"" + key + "\" must be a string");
        return v->get<std::string>();
    }
    int64_t count(const ojson& v, const std::string& what) const {
        if (!v.is_number_integer())
            fail(what + " must be an integer");
        if (v.is_number_unsigned() &&
            v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
            fail(what + " is too large");
        const int64_t x = v.get<int64_t>();
        if (x < 0)
            fail(what + " must not be negative (got " + std::to_string(x) + ")");
        return x;
    }
    int64_t count(const ojson& obj, const char* key, const std::string& where) const {
        const ojson* v = field(obj, key);
        return v ? count(*v, where + "\"" + key + "\"") : 0;
    }
    double number(const ojson& v, const std::string& what) const {
        if (!v.is_number())
            fail(what + " must be a number");
        const double x = v.get<double>();
        if (!std::isfinite(x))
            fail(what + " is not finite");
        return x;
    }
    double nonNegative(const ojson& v, const std::string& what) const {
        const double x = number(v, what);
        if (x < 0)
            fail(what + " must not be negative");
        return x;
    }
};

Provenance readProvenance(const Reader& rd, const ojson& p) {
    if (!p.is_object())
        rd.fail("\"provenance\" must be an object");
    const std::string w = "provenance ";
    Provenance pr;
    pr.modelFingerprint = rd.str(p, "model_fingerprint", w);
    pr.architecture = rd.str(p, "architecture", w);
    pr.method = rd.str(p, "method", w);
    pr.dataset = rd.str(p, "dataset", w);
    pr.samples = rd.count(p, "samples", w);
    pr.tokens = rd.count(p, "tokens", w);
    if (const ojson* s = rd.field(p, "settings")) {
        if (!s->is_object())
            rd.fail("provenance \"settings\" must be an object");
        pr.settings = nlohmann::json::parse(s->dump());
    }
    if (const ojson* c = rd.field(p, "clip_threshold"))
        pr.clipThreshold = rd.nonNegative(*c, "provenance \"clip_threshold\"");
    if (const ojson* c = rd.field(p, "clip_rate"))
        pr.clipRate = rd.nonNegative(*c, "provenance \"clip_rate\"");
    pr.skippedSamples = rd.count(p, "skipped_samples", w);
    pr.device = rd.str(p, "device", w);
    pr.dtype = rd.str(p, "dtype", w);
    if (const ojson* c = rd.field(p, "wall_seconds"))
        pr.wallSeconds = rd.nonNegative(*c, "provenance \"wall_seconds\"");
    pr.toolVersion = rd.str(p, "tool_version", w);
    if (const ojson* s = rd.field(p, "shard")) {
        if (!s->is_object() || !s->contains("index") || !s->contains("count"))
            rd.fail("provenance \"shard\" must be {\"index\": i, \"count\": N}");
        const int64_t i = rd.count(s->at("index"), "shard index");
        const int64_t n = rd.count(s->at("count"), "shard count");
        if (n < 1 || n > 1000000)
            rd.fail("shard count must be 1..1000000");
        pr.shardIndex = static_cast<int>(std::min<int64_t>(i, 1 << 30));
        pr.shardCount = static_cast<int>(n);
    }
    return pr;
}

ojson provenanceJson(const Provenance& p) {
    ojson j = ojson::object();
    j["model_fingerprint"] = p.modelFingerprint;
    j["architecture"] = p.architecture;
    j["method"] = p.method;
    j["dataset"] = p.dataset;
    j["samples"] = p.samples;
    j["tokens"] = p.tokens;
    j["settings"] = ojson::parse(p.settings.dump());
    j["clip_threshold"] = p.clipThreshold ? ojson(*p.clipThreshold) : ojson(nullptr);
    j["clip_rate"] = p.clipRate;
    j["skipped_samples"] = p.skippedSamples;
    j["device"] = p.device;
    j["dtype"] = p.dtype;
    j["wall_seconds"] = p.wallSeconds;
    j["tool_version"] = p.toolVersion;
    j["shard"] =
        p.shardCount > 0 ? ojson{{"index", p.shardIndex}, {"count", p.shardCount}} : ojson(nullptr);
    return j;
}

// Shortest text that reads back to the same double.
std::string formatDouble(double x) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);
    return std::string(buf, r.ptr);
}

} // namespace

std::string reductionName(Reduction r) {
    return r == Reduction::Mean ? "mean" : "sum";
}

SensitivityMap::SensitivityMap(std::vector<MapEntry> entries, Provenance provenance,
                               std::optional<MergeState> merge, std::string source)
    : entries_(std::move(entries)), provenance_(std::move(provenance)), merge_(std::move(merge)),
      source_(std::move(source)) {
    const std::string src = source_.empty() ? std::string("sensitivity map") : source_;
    auto fail = [&](const std::string& what) { throw Error(src, what); };
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        MapEntry& e = entries_[i];
        if (e.name.empty())
            fail("entry " + std::to_string(i) + " has an empty name");
        if (!index_.emplace(e.name, i).second)
            fail("duplicate tensor name \"" + e.name + "\"");
        if (!std::isfinite(e.score))
            fail("score of \"" + e.name + "\" is not finite");
        if (e.score < 0)
            fail("score of \"" + e.name + "\" is negative");
        if (e.numel < 0)
            fail("numel of \"" + e.name + "\" is negative");
        if (e.shape) {
            int64_t n = 1;
            for (int64_t d : *e.shape) {
                if (d < 0)
                    fail("shape of \"" + e.name + "\" has a negative dimension");
                if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
                    fail("shape of \"" + e.name + "\" is too large");
                n *= d;
            }
            if (e.numel == 0)
                e.numel = n;
            if (e.numel != n)
                fail("numel of \"" + e.name + "\" (" + std::to_string(e.numel) +
                     ") does not match its shape (" + std::to_string(n) + ")");
        }
    }
    const Provenance& p = provenance_;
    if (p.samples < 0 || p.tokens < 0 || p.skippedSamples < 0)
        fail("negative sample or token count");
    if (p.skippedSamples > p.samples && p.samples > 0)
        fail("more skipped samples than samples");
    if (!(p.clipRate >= 0 && p.clipRate <= 1))
        fail("clip rate must be within 0..1");
    if (p.clipThreshold && !(std::isfinite(*p.clipThreshold) && *p.clipThreshold >= 0))
        fail("clip threshold must be a finite non-negative number");
    if (!(p.wallSeconds >= 0 && std::isfinite(p.wallSeconds)))
        fail("wall seconds must be >= 0");
    if (p.shardCount < 0 ||
        (p.shardCount > 0 && (p.shardIndex < 0 || p.shardIndex >= p.shardCount)))
        fail("shard index " + std::to_string(p.shardIndex) + " is outside 0.." +
             std::to_string(p.shardCount - 1));
    if (!p.settings.is_object())
        fail("settings must be a JSON object");
    if (merge_) {
        if (merge_->count < 0)
            fail("merge count is negative");
        if (merge_->sums.size() != entries_.size())
            fail("merge state has " + std::to_string(merge_->sums.size()) + " sums for " +
                 std::to_string(entries_.size()) + " entries");
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            const double s = merge_->sums[i];
            if (!std::isfinite(s) || s < 0)
                fail("sum of \"" + entries_[i].name + "\" is not a finite non-negative number");
            if (!consistent(entries_[i].score, scoreFromSum(s, merge_->count, merge_->reduction)))
                fail("score of \"" + entries_[i].name + "\" does not match its sum and count");
        }
    }
}

std::optional<std::size_t> SensitivityMap::indexOf(const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end())
        return std::nullopt;
    return it->second;
}

const MapEntry* SensitivityMap::find(const std::string& name) const {
    auto i = indexOf(name);
    return i ? &entries_[*i] : nullptr;
}

std::vector<std::string> SensitivityMap::names() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const auto& e : entries_)
        out.push_back(e.name);
    return out;
}

std::vector<double> SensitivityMap::scores() const {
    std::vector<double> out;
    out.reserve(entries_.size());
    for (const auto& e : entries_)
        out.push_back(e.score);
    return out;
}

std::vector<int> SensitivityMap::ranks() const {
    std::vector<std::size_t> order(entries_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return entries_[a].score > entries_[b].score;
    });
    std::vector<int> rank(entries_.size());
    for (std::size_t r = 0; r < order.size(); ++r)
        rank[order[r]] = static_cast<int>(r) + 1;
    return rank;
}

SensitivityMap SensitivityMap::withProvenance(Provenance p) const {
    SensitivityMap m(entries_, std::move(p), merge_, source_);
    m.flat_ = flat_;
    m.uncertainty_ = uncertainty_;
    return m;
}

SensitivityMap SensitivityMap::withUncertainty(ScoreUncertainty u) const {
    const std::string where = source_.empty() ? std::string("map") : source_;
    if (u.lower.size() != entries_.size() || u.upper.size() != entries_.size())
        throw Error(where, "uncertainty: \"lower\" and \"upper\" need one value per entry");
    for (std::size_t i = 0; i < entries_.size(); ++i)
        if (!(std::isfinite(u.lower[i]) && std::isfinite(u.upper[i]) && u.lower[i] >= 0 &&
              u.lower[i] <= u.upper[i]))
            throw Error(where, "uncertainty of \"" + entries_[i].name +
                                   "\": the interval must be finite, >= 0 and ordered");
    if (u.resamples < 0 || u.samples < 0 || u.topK < 0 || !(u.level > 0 && u.level < 1))
        throw Error(where, "uncertainty: invalid resamples, samples, top_k or level");
    for (const auto& [name, p] : u.topStability) {
        if (!index_.count(name))
            throw Error(where, "uncertainty: top_stability names unknown tensor \"" + name + "\"");
        if (!(p >= 0 && p <= 1))
            throw Error(where, "uncertainty: a probability must be within [0, 1]");
    }
    SensitivityMap m = *this;
    m.uncertainty_ = std::move(u);
    return m;
}

SensitivityMap SensitivityMap::withSource(std::string source) const {
    SensitivityMap m = *this;
    m.source_ = std::move(source);
    return m;
}

SensitivityMap SensitivityMap::fromJson(const ojson& j, const std::string& source) {
    const Reader rd{source};
    if (!j.is_object())
        rd.fail("a sensitivity map must be a JSON object");
    if (!j.contains("format")) {
        // Flat study format: {name: score}.
        std::vector<MapEntry> entries;
        entries.reserve(j.size());
        for (auto it = j.begin(); it != j.end(); ++it) {
            MapEntry e;
            e.name = it.key();
            e.score = rd.nonNegative(it.value(), "score of \"" + it.key() + "\"");
            entries.push_back(std::move(e));
        }
        if (entries.empty())
            rd.fail("the map has no entries");
        SensitivityMap m(std::move(entries), Provenance{}, std::nullopt, source);
        m.flat_ = true;
        return m;
    }
    if (!j["format"].is_string() || j["format"].get<std::string>() != kFormat)
        rd.fail("not a TaskQuant map (\"format\" must be \"" + std::string(kFormat) + "\")");
    if (!j.contains("version") || !j["version"].is_number_integer())
        rd.fail("\"version\" must be an integer");
    if (j["version"].get<int64_t>() != kVersion)
        rd.fail("unsupported map version " + j["version"].dump() + " (this build reads version " +
                std::to_string(kVersion) + ")");
    Provenance prov;
    if (const ojson* p = rd.field(j, "provenance"))
        prov = readProvenance(rd, *p);
    std::optional<MergeState> merge;
    if (const ojson* mj = rd.field(j, "merge")) {
        if (!mj->is_object())
            rd.fail("\"merge\" must be an object or null");
        MergeState ms;
        const std::string red = rd.str(*mj, "reduction", "merge ");
        if (red == "mean")
            ms.reduction = Reduction::Mean;
        else if (red == "sum")
            ms.reduction = Reduction::Sum;
        else
            rd.fail("merge \"reduction\" must be \"mean\" or \"sum\"");
        if (!mj->contains("count"))
            rd.fail("merge \"count\" is missing");
        ms.count = rd.count(mj->at("count"), "merge \"count\"");
        merge = std::move(ms);
    }
    const ojson* ej = rd.field(j, "entries");
    if (!ej || !ej->is_array())
        rd.fail("\"entries\" must be an array");
    std::vector<MapEntry> entries;
    entries.reserve(ej->size());
    for (std::size_t i = 0; i < ej->size(); ++i) {
        const ojson& e = (*ej)[i];
        const std::string where = "entry " + std::to_string(i);
        if (!e.is_object())
            rd.fail(where + " must be an object");
        MapEntry me;
        if (!e.contains("name") || !e["name"].is_string())
            rd.fail(where + ": \"name\" must be a string");
        me.name = e["name"].get<std::string>();
        const std::string w = "\"" + me.name + "\"";
        if (!e.contains("score"))
            rd.fail(w + " has no score");
        me.score = rd.nonNegative(e["score"], "score of " + w);
        me.numel = rd.count(e, "numel", w + " ");
        if (const ojson* s = rd.field(e, "shape")) {
            if (!s->is_array() || s->size() > 8)
                rd.fail("shape of " + w + " must be an array of at most 8 sizes");
            std::vector<int64_t> shape;
            for (const auto& d : *s)
                shape.push_back(rd.count(d, "shape of " + w));
            me.shape = std::move(shape);
        }
        if (merge) {
            if (!e.contains("sum"))
                rd.fail(w + " has no \"sum\" although the map has merge state");
            merge->sums.push_back(rd.nonNegative(e["sum"], "sum of " + w));
        }
        entries.push_back(std::move(me));
    }
    SensitivityMap m(std::move(entries), std::move(prov), std::move(merge), source);
    if (const ojson* uj = rd.field(j, "uncertainty")) {
        if (!uj->is_object())
            rd.fail("\"uncertainty\" must be an object or null");
        ScoreUncertainty u;
        auto num = [&](const char* key) -> double {
            if (!uj->contains(key) || !(*uj)[key].is_number())
                rd.fail(std::string("uncertainty \"") + key + "\" must be a number");
            return (*uj)[key].get<double>();
        };
        auto arr = [&](const char* key) {
            std::vector<double> v;
            if (!uj->contains(key) || !(*uj)[key].is_array())
                rd.fail(std::string("uncertainty \"") + key + "\" must be an array");
            for (const auto& x : (*uj)[key]) {
                if (!x.is_number())
                    rd.fail(std::string("uncertainty \"") + key + "\" must hold numbers");
                v.push_back(x.get<double>());
            }
            return v;
        };
        if (uj->contains("method") && (*uj)["method"].is_string())
            u.method = (*uj)["method"].get<std::string>();
        const double resamples = num("resamples"), samples = num("samples"), topK = num("top_k");
        if (!(resamples >= 0 && resamples <= 1e9 && samples >= 0 && samples <= 1e15 && topK >= 0 &&
              topK <= 1e9))
            rd.fail("uncertainty: resamples, samples and top_k must be non-negative counts");
        u.resamples = static_cast<int>(resamples);
        u.samples = static_cast<int64_t>(samples);
        u.topK = static_cast<int>(topK);
        u.level = num("level");
        if (uj->contains("seed") && (*uj)["seed"].is_number_unsigned())
            u.seed = (*uj)["seed"].get<uint64_t>();
        u.lower = arr("lower");
        u.upper = arr("upper");
        if (uj->contains("top_stability")) {
            const ojson& ts = (*uj)["top_stability"];
            if (!ts.is_array())
                rd.fail("uncertainty \"top_stability\" must be an array");
            for (const auto& t : ts) {
                if (!t.is_object() || !t.contains("name") || !t["name"].is_string() ||
                    !t.contains("probability") || !t["probability"].is_number())
                    rd.fail("uncertainty \"top_stability\" holds {\"name\", \"probability\"}");
                u.topStability.emplace_back(t["name"].get<std::string>(),
                                            t["probability"].get<double>());
            }
        }
        m = m.withUncertainty(std::move(u));
    }
    return m;
}

SensitivityMap SensitivityMap::readFile(const std::string& path, std::size_t maxBytes) {
    const std::string text = io::readFile(path, maxBytes);
    std::set<std::string> topKeys;
    std::string duplicate;
    ojson j;
    try {
        j = ojson::parse(text, [&](int depth, ojson::parse_event_t ev, ojson& v) {
            if (ev == ojson::parse_event_t::key && depth == 1 && v.is_string() &&
                !topKeys.insert(v.get<std::string>()).second && duplicate.empty())
                duplicate = v.get<std::string>();
            return true;
        });
    } catch (const nlohmann::json::exception&) {
        io::parseJson(text, path); // throws the error with line and column
        throw Error(path, "invalid JSON");
    }
    if (!duplicate.empty())
        throw Error(path, "duplicate key \"" + duplicate + "\"");
    return fromJson(j, path);
}

ojson SensitivityMap::toJson() const {
    ojson j = ojson::object();
    j["format"] = kFormat;
    j["version"] = kVersion;
    j["provenance"] = provenanceJson(provenance_);
    j["merge"] =
        merge_ ? ojson{{"reduction", reductionName(merge_->reduction)}, {"count", merge_->count}}
               : ojson(nullptr);
    ojson arr = ojson::array();
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const MapEntry& e = entries_[i];
        ojson o = ojson::object();
        o["name"] = e.name;
        o["score"] = e.score;
        o["numel"] = e.numel;
        if (e.shape)
            o["shape"] = *e.shape;
        if (merge_)
            o["sum"] = merge_->sums[i];
        arr.push_back(std::move(o));
    }
    j["entries"] = std::move(arr);
    if (uncertainty_) {
        const ScoreUncertainty& u = *uncertainty_;
        ojson uj = ojson::object();
        uj["method"] = u.method;
        uj["resamples"] = u.resamples;
        uj["level"] = u.level;
        uj["samples"] = u.samples;
        uj["seed"] = u.seed;
        uj["top_k"] = u.topK;
        uj["lower"] = u.lower;
        uj["upper"] = u.upper;
        ojson ts = ojson::array();
        for (const auto& [name, p] : u.topStability)
            ts.push_back(ojson{{"name", name}, {"probability", p}});
        uj["top_stability"] = std::move(ts);
        j["uncertainty"] = std::move(uj);
    }
    return j;
}

void SensitivityMap::writeFile(const std::string& path) const {
    io::writeFileAtomically(path, toJson().dump(2) + "\n");
}

std::string SensitivityMap::toCsv() const {
    std::string out = "name,layer,kind,numel,score,rank\n";
    const std::vector<int> rank = ranks();
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const MapEntry& e = entries_[i];
        const models::TensorClass c = models::classify(e.name);
        out += csv::field(e.name) + "," +
               (c.place == models::Place::Layer ? std::to_string(c.layer) : "") + "," +
               models::kindId(c.kind) + "," + std::to_string(e.numel) + "," +
               formatDouble(e.score) + "," + std::to_string(rank[i]) + "\n";
    }
    return out;
}

void SensitivityMap::writeCsv(const std::string& path) const {
    io::writeFileAtomically(path, toCsv());
}

SensitivityMap mergeMaps(const std::vector<SensitivityMap>& shards) {
    if (shards.empty())
        throw Error("merge: no maps given");
    const SensitivityMap& first = shards.front();
    auto name = [](const SensitivityMap& m) {
        return m.source().empty() ? std::string("map") : m.source();
    };
    const Provenance& p0 = first.provenance();
    std::vector<bool> seen;
    for (const SensitivityMap& m : shards) {
        const Provenance& p = m.provenance();
        auto mismatch = [&](const std::string& what) {
            throw Error(name(m), "cannot merge with " + name(first) + ": " + what + " differs");
        };
        if (!m.mergeState())
            throw Error(name(m), "cannot merge: the map has no merge state (only shard maps of a "
                                 "sample-based method carry the sums an exact merge needs)");
        if (p.shardCount <= 0)
            throw Error(name(m), "cannot merge: the map is not a shard (no shard i/N)");
        if (p.shardCount != p0.shardCount)
            mismatch("shard count");
        if (seen.empty())
            seen.assign(static_cast<std::size_t>(p0.shardCount), false);
        if (seen[static_cast<std::size_t>(p.shardIndex)])
            throw Error(name(m), "shard " + std::to_string(p.shardIndex) + "/" +
                                     std::to_string(p.shardCount) + " is given twice");
        seen[static_cast<std::size_t>(p.shardIndex)] = true;
        if (p.modelFingerprint != p0.modelFingerprint)
            mismatch("model fingerprint");
        if (p.method != p0.method)
            mismatch("method");
        if (p.dataset != p0.dataset)
            mismatch("dataset");
        if (p.settings != p0.settings)
            mismatch("settings");
        if (p.clipThreshold != p0.clipThreshold)
            mismatch("clip threshold");
        if (m.mergeState()->reduction != first.mergeState()->reduction)
            mismatch("reduction");
        if (m.size() != first.size())
            mismatch("the set of tensors");
        for (const MapEntry& e : m.entries())
            if (!first.find(e.name))
                mismatch("the set of tensors (\"" + e.name + "\")");
    }
    for (std::size_t i = 0; i < seen.size(); ++i)
        if (!seen[i])
            throw Error("merge: shard " + std::to_string(i) + "/" + std::to_string(seen.size()) +
                        " is missing");

    MergeState merged;
    merged.reduction = first.mergeState()->reduction;
    merged.sums.assign(first.size(), 0.0);
    Provenance prov = p0;
    prov.samples = prov.tokens = prov.skippedSamples = 0;
    prov.wallSeconds = 0;
    prov.shardIndex = prov.shardCount = 0;
    double clipWeighted = 0;
    for (const SensitivityMap& m : shards) {
        const MergeState& ms = *m.mergeState();
        for (std::size_t i = 0; i < m.size(); ++i)
            merged.sums[*first.indexOf(m.entries()[i].name)] += ms.sums[i];
        merged.count += ms.count;
        const Provenance& p = m.provenance();
        prov.samples += p.samples;
        prov.tokens += p.tokens;
        prov.skippedSamples += p.skippedSamples;
        prov.wallSeconds += p.wallSeconds;
        clipWeighted += p.clipRate * static_cast<double>(ms.count);
    }
    prov.clipRate = merged.count > 0 ? clipWeighted / static_cast<double>(merged.count) : 0.0;
    std::vector<MapEntry> entries = first.entries();
    for (std::size_t i = 0; i < entries.size(); ++i)
        entries[i].score = scoreFromSum(merged.sums[i], merged.count, merged.reduction);
    return SensitivityMap(std::move(entries), std::move(prov), std::move(merged));
}

} // namespace taskquant::sensitivity
