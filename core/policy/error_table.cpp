#include "core/policy/error_table.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/quant/precision.h"
#include "core/util/error.h"

namespace taskquant::policy {

ErrorTable::ErrorTable(std::vector<std::string> precisions, std::vector<ErrorRow> rows,
                       std::string metric, const std::string& source)
    : precisions_(std::move(precisions)), rows_(std::move(rows)), metric_(std::move(metric)) {
    if (precisions_.empty())
        throw Error(source, "no precisions");
    std::set<std::string> seen;
    for (std::string& p : precisions_) {
        try {
            p = quant::Precision::parse(p).name();
        } catch (const Error& e) {
            throw Error(source, e.what());
        }
        if (!seen.insert(p).second)
            throw Error(source, "precision " + p + " is listed twice");
    }
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const ErrorRow& r = rows_[i];
        if (r.name.empty())
            throw Error(source, "tensor " + std::to_string(i) + " has an empty name");
        if (!index_.emplace(r.name, i).second)
            throw Error(source, "duplicate tensor \"" + r.name + "\"");
        if (r.error.size() != precisions_.size())
            throw Error(source, "\"" + r.name + "\" has " + std::to_string(r.error.size()) +
                                    " errors for " + std::to_string(precisions_.size()) +
                                    " precisions");
        for (const auto& e : r.error)
            if (e && !(std::isfinite(*e) && *e >= 0))
                throw Error(source,
                            "error of \"" + r.name + "\" is not a finite non-negative number");
        auto checkOptional = [&](const std::vector<std::optional<double>>& v, const char* what) {
            if (v.empty())
                return;
            if (v.size() != precisions_.size())
                throw Error(source, "\"" + r.name + "\" has " + std::to_string(v.size()) + " " +
                                        what + " values for " + std::to_string(precisions_.size()) +
                                        " precisions");
            for (const auto& e : v)
                if (e && !(std::isfinite(*e) && *e >= 0))
                    throw Error(source, std::string(what) + " of \"" + r.name +
                                            "\" is not a finite non-negative number");
        };
        checkOptional(r.sse, "sse");
        checkOptional(r.weightedSse, "weighted_sse");
        if (!r.bytes.empty() && r.bytes.size() != precisions_.size())
            throw Error(source, "\"" + r.name + "\" has " + std::to_string(r.bytes.size()) +
                                    " byte counts for " + std::to_string(precisions_.size()) +
                                    " precisions");
        if (r.numel < 0)
            throw Error(source, "numel of \"" + r.name + "\" is negative");
        if (r.shape.size() > 8)
            throw Error(source, "shape of \"" + r.name + "\" has too many dimensions");
        for (int64_t d : r.shape)
            if (d < 0 || d > (int64_t(1) << 40))
                throw Error(source, "shape of \"" + r.name + "\" is invalid");
    }
}

std::string ErrorTaskText::hashTokens(const std::vector<std::vector<int64_t>>& chunks) {
    uint64_t h = 14695981039346656037ull;
    for (const auto& c : chunks)
        for (int64_t id : c) {
            const uint64_t v = static_cast<uint64_t>(id);
            for (int b = 0; b < 8; ++b) {
                h ^= (v >> (8 * b)) & 0xff;
                h *= 1099511628211ull;
            }
        }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

ErrorTable ErrorTable::renamed(const std::map<std::string, std::string>& names) const {
    std::vector<ErrorRow> rows = rows_;
    for (ErrorRow& r : rows)
        if (auto it = names.find(r.name); it != names.end())
            r.name = it->second;
    ErrorTable t(precisions_, std::move(rows), metric_, "error table");
    t.importance_ = importance_;
    t.taskText_ = taskText_;
    return t;
}

bool ErrorTable::hasSse() const {
    if (rows_.empty())
        return false;
    for (const ErrorRow& r : rows_)
        if (r.sse.empty())
            return false;
    return true;
}

const ErrorRow* ErrorTable::find(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &rows_[it->second];
}

int ErrorTable::column(const std::string& precision) const {
    std::string canonical;
    try {
        canonical = quant::Precision::parse(precision).name();
    } catch (const Error&) {
        return -1;
    }
    for (std::size_t j = 0; j < precisions_.size(); ++j)
        if (precisions_[j] == canonical)
            return static_cast<int>(j);
    return -1;
}

ErrorTable ErrorTable::readFile(const std::string& path) {
    const nlohmann::json j = io::readJsonFile(path);
    auto fail = [&](const std::string& what) -> void { throw Error(path, what); };
    if (!j.is_object() || j.value("format", nlohmann::json()) != "taskquant-errors")
        fail("not a TaskQuant error table (\"format\" must be \"taskquant-errors\")");
    if (!j.contains("version") || !j["version"].is_number_integer() ||
        j["version"].get<int64_t>() != 1)
        fail("unsupported error table version (this build reads version 1)");
    std::string metric = "mse";
    if (j.contains("metric")) {
        if (!j["metric"].is_string())
            fail("\"metric\" must be a string");
        metric = j["metric"].get<std::string>();
    }
    std::string importance;
    if (j.contains("importance")) {
        if (!j["importance"].is_string())
            fail("\"importance\" must be a string");
        importance = j["importance"].get<std::string>();
    }
    ErrorTaskText task;
    if (j.contains("task_text")) {
        const auto& t = j["task_text"];
        if (!t.is_object() || !t.contains("source") || !t["source"].is_string() ||
            t["source"].get<std::string>().empty())
            fail("\"task_text\" must be an object with a non-empty \"source\"");
        task.source = t["source"].get<std::string>();
        auto count = [&](const char* key, int64_t& out) {
            if (!t.contains(key))
                return;
            if (!t[key].is_number_integer() || t[key].get<int64_t>() < 0)
                fail(std::string("\"task_text\" ") + key + " must be a non-negative integer");
            out = t[key].get<int64_t>();
        };
        count("ctx", task.ctx);
        count("chunks", task.chunks);
        count("tokens", task.tokens);
        if (t.contains("seed")) {
            if (!t["seed"].is_number_unsigned() &&
                !(t["seed"].is_number_integer() && t["seed"].get<int64_t>() >= 0))
                fail("\"task_text\" seed must be a non-negative integer");
            task.seed = t["seed"].get<uint64_t>();
        }
        if (t.contains("tokens_fnv1a64")) {
            if (!t["tokens_fnv1a64"].is_string())
                fail("\"task_text\" tokens_fnv1a64 must be a string");
            task.tokensFnv1a64 = t["tokens_fnv1a64"].get<std::string>();
        }
    }
    if (!j.contains("precisions") || !j["precisions"].is_array())
        fail("\"precisions\" must be an array");
    std::vector<std::string> precisions;
    for (const auto& p : j["precisions"]) {
        if (!p.is_string())
            fail("\"precisions\" must hold precision names");
        precisions.push_back(p.get<std::string>());
    }
    if (!j.contains("tensors") || !j["tensors"].is_array())
        fail("\"tensors\" must be an array");
    std::vector<ErrorRow> rows;
    for (const auto& t : j["tensors"]) {
        if (!t.is_object() || !t.contains("name") || !t["name"].is_string())
            fail("every tensor needs a \"name\" string");
        ErrorRow r;
        r.name = t["name"].get<std::string>();
        const std::string w = "\"" + r.name + "\"";
        if (!t.contains("shape") || !t["shape"].is_array())
            fail(w + " needs a \"shape\" array");
        for (const auto& d : t["shape"]) {
            if (!d.is_number_integer())
                fail("shape of " + w + " must hold integers");
            r.shape.push_back(d.get<int64_t>());
        }
        if (!t.contains("error") || !t["error"].is_array())
            fail(w + " needs an \"error\" array");
        for (const auto& e : t["error"]) {
            if (e.is_null())
                r.error.emplace_back();
            else if (e.is_number())
                r.error.emplace_back(e.get<double>());
            else
                fail("errors of " + w + " must be numbers or null");
        }
        auto optionalArray = [&](const char* key, std::vector<std::optional<double>>& out) {
            if (!t.contains(key))
                return;
            if (!t[key].is_array())
                fail(std::string("\"") + key + "\" of " + w + " must be an array");
            for (const auto& e : t[key]) {
                if (e.is_null())
                    out.emplace_back();
                else if (e.is_number())
                    out.emplace_back(e.get<double>());
                else
                    fail(std::string("\"") + key + "\" of " + w + " must hold numbers or null");
            }
        };
        optionalArray("sse", r.sse);
        optionalArray("weighted_sse", r.weightedSse);
        if (t.contains("bytes")) {
            if (!t["bytes"].is_array())
                fail("\"bytes\" of " + w + " must be an array");
            for (const auto& e : t["bytes"]) {
                if (e.is_null())
                    r.bytes.emplace_back();
                else if (e.is_number_unsigned() || (e.is_number_integer() && e.get<int64_t>() >= 0))
                    r.bytes.emplace_back(e.get<uint64_t>());
                else
                    fail("\"bytes\" of " + w + " must hold non-negative integers or null");
            }
        }
        if (t.contains("numel")) {
            if (!t["numel"].is_number_integer() || t["numel"].get<int64_t>() < 0)
                fail("\"numel\" of " + w + " must be a non-negative integer");
            r.numel = t["numel"].get<int64_t>();
        }
        if (t.contains("fisher_mean")) {
            const auto& f = t["fisher_mean"];
            if (!f.is_number() || !std::isfinite(f.get<double>()) || f.get<double>() < 0)
                fail("\"fisher_mean\" of " + w + " must be a finite non-negative number");
            r.fisherMean = f.get<double>();
        }
        rows.push_back(std::move(r));
    }
    ErrorTable table(std::move(precisions), std::move(rows), metric, path);
    table.importance_ = importance;
    table.taskText_ = std::move(task);
    return table;
}

std::string ErrorTable::toJsonText() const {
    nlohmann::ordered_json j;
    j["format"] = "taskquant-errors";
    j["version"] = 1;
    j["metric"] = metric_;
    if (!importance_.empty())
        j["importance"] = importance_;
    if (!taskText_.empty())
        j["task_text"] = {
            {"source", taskText_.source}, {"ctx", taskText_.ctx},
            {"chunks", taskText_.chunks}, {"tokens", taskText_.tokens},
            {"seed", taskText_.seed},     {"tokens_fnv1a64", taskText_.tokensFnv1a64}};
    j["precisions"] = precisions_;
    nlohmann::ordered_json ts = nlohmann::ordered_json::array();
    for (const ErrorRow& r : rows_) {
        nlohmann::ordered_json t;
        t["name"] = r.name;
        t["shape"] = r.shape;
        nlohmann::ordered_json e = nlohmann::ordered_json::array();
        for (const auto& v : r.error)
            e.push_back(v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr));
        t["error"] = std::move(e);
        if (r.numel > 0)
            t["numel"] = r.numel;
        if (r.fisherMean)
            t["fisher_mean"] = *r.fisherMean;
        auto put = [&](const char* key, const auto& v) {
            if (v.empty())
                return;
            nlohmann::ordered_json a = nlohmann::ordered_json::array();
            for (const auto& x : v)
                a.push_back(x ? nlohmann::ordered_json(*x) : nlohmann::ordered_json(nullptr));
            t[key] = std::move(a);
        };
        put("sse", r.sse);
        put("weighted_sse", r.weightedSse);
        put("bytes", r.bytes);
        ts.push_back(std::move(t));
    }
    j["tensors"] = std::move(ts);
    return j.dump(2) + "\n";
}

void ErrorTable::writeFile(const std::string& path) const {
    io::writeFileAtomically(path, toJsonText());
}

} // namespace taskquant::policy
