// SafetensorsFile: header parsing and validation of a memory-mapped safetensors file.
// Every check names the file and, where one is involved, the tensor.
#include "core/io/safetensors.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "core/util/error.h"
#include "core/util/shape.h"

namespace taskquant::io {

namespace {

struct DTypeRow {
    DType dtype;
    const char* name;
    std::size_t size;
};
constexpr DTypeRow kDTypes[] = {
    {DType::F64, "F64", 8},   {DType::F32, "F32", 4},         {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8},         {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},   {DType::I8, "I8", 1},           {DType::U8, "U8", 1},
    {DType::BOOL, "BOOL", 1}, {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
};

std::string supportedList() {
    std::string s;
    for (const auto& r : kDTypes)
        s += (s.empty() ? "" : ", ") + std::string(r.name);
    return s;
}

std::string quoted(const std::string& name) {
    return "tensor '" + name + "'";
}

// Multiplies the dimensions; returns false on a negative dimension or on overflow of int64.
bool checkedNumel(const std::vector<int64_t>& shape, int64_t& out) {
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0)
            return false;
        if (__builtin_mul_overflow(n, d, &n))
            return false;
    }
    out = n;
    return true;
}

std::vector<int64_t> parseShape(const std::string& path, const std::string& name,
                                const nlohmann::json& j) {
    if (!j.is_array())
        throw Error(path, quoted(name) + ": \"shape\" is not an array");
    std::vector<int64_t> shape;
    shape.reserve(j.size());
    for (const auto& d : j) {
        if (!d.is_number_integer())
            throw Error(path, quoted(name) + ": \"shape\" has a non-integer dimension " + d.dump());
        if (!d.is_number_unsigned())
            throw Error(path, quoted(name) + ": \"shape\" has a negative dimension " + d.dump());
        uint64_t v = d.get<uint64_t>();
        if (v > uint64_t(std::numeric_limits<int64_t>::max()))
            throw Error(path, quoted(name) + ": \"shape\" dimension " + d.dump() + " is too large");
        shape.push_back(static_cast<int64_t>(v));
    }
    return shape;
}

} // namespace

std::string dtypeName(DType d) {
    for (const auto& r : kDTypes)
        if (r.dtype == d)
            return r.name;
    return "?";
}

std::size_t dtypeSize(DType d) {
    for (const auto& r : kDTypes)
        if (r.dtype == d)
            return r.size;
    return 0;
}

std::optional<DType> parseDType(const std::string& name) {
    for (const auto& r : kDTypes)
        if (name == r.name)
            return r.dtype;
    return std::nullopt;
}

int64_t TensorInfo::numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

std::shared_ptr<const SafetensorsFile> SafetensorsFile::open(const std::string& path,
                                                             bool copyOnWrite) {
    auto file = MappedFile::open(path, copyOnWrite);
    const uint64_t size = file->size();
    if (size < 8)
        throw Error(path, "not a safetensors file: " + std::to_string(size) +
                              " bytes, shorter than the 8-byte header length");
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i)
        headerLen = (headerLen << 8) | file->data()[i];
    if (headerLen > kMaxHeaderBytes)
        throw Error(path, "not a safetensors file: header length " + std::to_string(headerLen) +
                              " exceeds the 100 MB limit");
    if (headerLen > size - 8)
        throw Error(path, "truncated safetensors file: header length " + std::to_string(headerLen) +
                              " but only " + std::to_string(size - 8) + " bytes follow it");
    const uint64_t bufferStart = 8 + headerLen;
    const uint64_t bufferSize = size - bufferStart;
    const char* hdr = reinterpret_cast<const char*>(file->data() + 8);

    // Parse, rejecting duplicate top-level keys (a JSON object would silently keep the last).
    std::set<std::string> seen;
    std::string duplicate;
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(
            hdr, hdr + headerLen,
            [&](int depth, nlohmann::json::parse_event_t ev, nlohmann::json& parsed) {
                if (depth == 1 && ev == nlohmann::json::parse_event_t::key && duplicate.empty() &&
                    !seen.insert(parsed.get<std::string>()).second)
                    duplicate = parsed.get<std::string>();
                return true;
            });
    } catch (const nlohmann::json::exception& e) {
        std::string what = e.what();
        auto pos = what.find("] ");
        throw Error(path, "safetensors header is not valid JSON: " +
                              (pos == std::string::npos ? what : what.substr(pos + 2)));
    }
    if (!header.is_object())
        throw Error(path, "safetensors header is not a JSON object");
    if (!duplicate.empty())
        throw Error(path, "safetensors header lists '" + duplicate + "' more than once");

    auto out = std::shared_ptr<SafetensorsFile>(new SafetensorsFile());
    out->file_ = file;
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const auto& v = it.value();
        if (name == "__metadata__") {
            if (!v.is_object())
                throw Error(path, "\"__metadata__\" is not an object of strings");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string())
                    throw Error(path, "\"__metadata__\" entry '" + m.key() +
                                          "' is not a string but " + m.value().type_name());
                out->metadata_[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        if (!v.is_object())
            throw Error(path, quoted(name) + ": entry is not a JSON object");
        for (const char* key : {"dtype", "shape", "data_offsets"})
            if (!v.contains(key))
                throw Error(path, quoted(name) + ": missing \"" + std::string(key) + "\"");
        TensorInfo t;
        t.name = name;
        const auto& dt = v["dtype"];
        if (!dt.is_string())
            throw Error(path, quoted(name) + ": \"dtype\" is not a string");
        auto parsed = parseDType(dt.get<std::string>());
        if (!parsed)
            throw Error(path, quoted(name) + ": unknown dtype '" + dt.get<std::string>() +
                                  "' (supported: " + supportedList() + ")");
        t.dtype = *parsed;
        t.shape = parseShape(path, name, v["shape"]);
        int64_t numel = 0;
        uint64_t expected = 0;
        if (!checkedNumel(t.shape, numel) ||
            __builtin_mul_overflow(uint64_t(numel), uint64_t(dtypeSize(t.dtype)), &expected))
            throw Error(path, quoted(name) + ": shape is too large (element count overflows)");
        const auto& off = v["data_offsets"];
        if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() ||
            !off[1].is_number_unsigned())
            throw Error(path, quoted(name) +
                                  ": \"data_offsets\" must be [begin, end] with "
                                  "non-negative integers, got " +
                                  off.dump());
        uint64_t begin = off[0].get<uint64_t>(), end = off[1].get<uint64_t>();
        if (begin > end)
            throw Error(path, quoted(name) + ": data_offsets begin " + std::to_string(begin) +
                                  " is after end " + std::to_string(end));
        if (end > bufferSize)
            throw Error(path, quoted(name) + ": data_offsets end " + std::to_string(end) +
                                  " is beyond the data buffer (" + std::to_string(bufferSize) +
                                  " bytes): truncated file?");
        if (end - begin != expected)
            throw Error(path, quoted(name) + ": data_offsets span " + std::to_string(end - begin) +
                                  " bytes but shape " + nlohmann::json(t.shape).dump() + " in " +
                                  dtypeName(t.dtype) + " needs " + std::to_string(expected));
        t.offset = bufferStart + begin;
        t.nbytes = expected;
        out->tensors_.push_back(std::move(t));
    }

    auto& ts = out->tensors_;
    std::sort(ts.begin(), ts.end(), [](const TensorInfo& a, const TensorInfo& b) {
        return a.offset != b.offset ? a.offset < b.offset : a.nbytes < b.nbytes;
    });
    // Holes are allowed; overlapping non-empty spans are not.
    const TensorInfo* reach = nullptr; // the tensor whose span ends furthest so far
    for (const auto& t : ts) {
        if (t.nbytes == 0)
            continue;
        if (reach && t.offset < reach->offset + reach->nbytes)
            throw Error(path, quoted(t.name) + " overlaps " + quoted(reach->name) +
                                  " in the data buffer");
        reach = &t; // sorted by offset and not overlapping: t now ends furthest
    }
    for (std::size_t i = 0; i < ts.size(); ++i)
        out->index_[ts[i].name] = i;
    return out;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

} // namespace taskquant::io
