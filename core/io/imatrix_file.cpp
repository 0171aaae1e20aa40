#include "core/io/imatrix_file.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <unordered_map>

#include "core/io/atomic_file.h"
#include "core/io/gguf_reader.h"
#include "core/io/gguf_writer.h"
#include "core/util/error.h"

namespace taskquant::io {
namespace {

const char* const kDatasets = "imatrix.datasets";
const char* const kChunkCount = "imatrix.chunk_count";
const char* const kChunkSize = "imatrix.chunk_size";

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Sums of squares and counts must be finite and non-negative.
void checkValues(const std::string& path, const std::string& what, const std::vector<float>& v,
                 bool allowNegative = false) {
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!std::isfinite(v[i]))
            throw Error(path, what + " holds a non-finite value (" + std::to_string(v[i]) +
                                  ") at index " + std::to_string(i));
        if (!allowNegative && v[i] < 0)
            throw Error(path, what + " holds a negative value (" + std::to_string(v[i]) +
                                  ") at index " + std::to_string(i));
    }
}

void checkCounts(const std::string& path, const ImatrixEntry& e) {
    const std::string what = "entry '" + e.name + "'";
    checkValues(path, what + " counts", e.counts);
    for (float c : e.counts)
        if (c != std::floor(c))
            throw Error(path, what + " has a count of " + std::to_string(c) +
                                  ", not a whole number of tokens");
    bool anyData = false;
    for (float c : e.counts)
        anyData = anyData || c > 0;
    if (!anyData)
        throw Error(path, what + " has a count of 0 (no activations were collected for it)");
    if (e.matrices() == 1 && e.counts[0] <= 0)
        throw Error(path, what + " has a count of 0");
}

void sortAndCheckUnique(const std::string& path, std::vector<ImatrixEntry>& entries) {
    std::sort(entries.begin(), entries.end(),
              [](const ImatrixEntry& a, const ImatrixEntry& b) { return a.name < b.name; });
    for (std::size_t i = 1; i < entries.size(); ++i)
        if (entries[i].name == entries[i - 1].name)
            throw Error(path, "duplicate entry '" + entries[i].name + "'");
}

// ---- GGUF ----

std::vector<float> readF32(const GgufFile& f, const GgufTensorInfo& t) {
    if (t.type != GgmlType::F32)
        throw Error(f.path(),
                    "tensor '" + t.name + "' has type " + ggmlTypeName(t.type) + ", expected F32");
    std::vector<float> v(static_cast<std::size_t>(t.numel()));
    if (!v.empty())
        std::memcpy(v.data(), f.data(t), v.size() * sizeof(float));
    return v;
}

Imatrix readGguf(const std::string& path) {
    const auto f = GgufFile::open(path);
    const GgufMetadata& md = f->metadata();
    Imatrix m;
    m.format = ImatrixFormat::Gguf;
    const GgufValue* type = md.find("general.type");
    if (!type)
        throw Error(path, "not an imatrix file: general.type is missing");
    const auto* typeStr = type->getIf<std::string>();
    if (!typeStr || *typeStr != "imatrix")
        throw Error(path, "not an imatrix file: general.type is " + type->toString() +
                              ", expected \"imatrix\"");
    auto u32 = [&](const char* key) {
        const GgufValue* v = md.find(key);
        if (!v)
            throw Error(path, std::string("missing imatrix metadata ") + key);
        const auto* p = v->getIf<uint32_t>();
        if (!p)
            throw Error(path,
                        std::string(key) + " has type " + v->typeString() + ", expected UINT32");
        return *p;
    };
    m.chunkCount = u32(kChunkCount);
    m.chunkSize = u32(kChunkSize);
    if (const GgufValue* d = md.find(kDatasets)) {
        const auto* arr = d->getIf<std::vector<std::string>>();
        if (!arr)
            throw Error(path, std::string(kDatasets) + " has type " + d->typeString() +
                                  ", expected ARRAY[STRING]");
        m.datasets = *arr;
    } else {
        throw Error(path, std::string("missing imatrix metadata ") + kDatasets);
    }

    struct Parts {
        const GgufTensorInfo* sum2 = nullptr;
        const GgufTensorInfo* counts = nullptr;
        const GgufTensorInfo* sum = nullptr;
    };
    std::map<std::string, Parts> parts;
    for (const GgufTensorInfo& t : f->tensors()) {
        const std::pair<const char*, const GgufTensorInfo * Parts::*> kinds[] = {
            {".in_sum2", &Parts::sum2}, {".counts", &Parts::counts}, {".in_sum", &Parts::sum}};
        for (const auto& [suffix, member] : kinds) {
            const std::string sfx = suffix;
            if (endsWith(t.name, sfx) && t.name.size() > sfx.size()) {
                parts[t.name.substr(0, t.name.size() - sfx.size())].*member = &t;
                break;
            }
        }
        // other tensors are ignored, as llama.cpp ignores them
    }
    if (parts.empty())
        throw Error(path, "no imatrix entries (no NAME.in_sum2 / NAME.counts tensors)");
    for (const auto& [name, p] : parts) {
        if (!p.sum2)
            throw Error(path, "entry '" + name + "' has counts but no in_sum2 tensor");
        if (!p.counts)
            throw Error(path, "entry '" + name + "' has in_sum2 but no counts tensor");
        const auto& s = p.sum2->shape;
        if (s.empty() || s.size() > 2 || s.back() < 1)
            throw Error(path, "tensor '" + p.sum2->name +
                                  "' must be [columns] or "
                                  "[matrices, columns]");
        const int64_t nmat = s.size() == 2 ? s[0] : 1;
        if (nmat < 1)
            throw Error(path, "tensor '" + p.sum2->name + "' has no matrices");
        if (p.counts->numel() != nmat || p.counts->shape.size() > 2 ||
            (p.counts->shape.size() == 2 && p.counts->shape[1] != 1))
            throw Error(path, "tensor '" + p.counts->name + "' must hold one count per matrix (" +
                                  std::to_string(nmat) + ")");
        if (p.sum && p.sum->shape != p.sum2->shape)
            throw Error(path, "tensor '" + p.sum->name + "' does not have the shape of '" +
                                  p.sum2->name + "'");
        ImatrixEntry e;
        e.name = name;
        e.columns = s.back();
        e.sums = readF32(*f, *p.sum2);
        e.counts = readF32(*f, *p.counts);
        if (p.sum)
            e.activations = readF32(*f, *p.sum);
        checkValues(path, "entry '" + name + "' in_sum2", e.sums);
        checkValues(path, "entry '" + name + "' in_sum", e.activations, true);
        checkCounts(path, e);
        m.entries.push_back(std::move(e));
    }
    sortAndCheckUnique(path, m.entries);
    return m;
}

void writeGgufImatrix(const std::string& path, const Imatrix& m) {
    GgufMetadata md;
    md.set("general.type", "imatrix");
    md.set(kDatasets, m.datasets);
    md.set(kChunkCount, m.chunkCount);
    md.set(kChunkSize, m.chunkSize);
    std::vector<ImatrixEntry> entries = m.entries;
    sortAndCheckUnique(path, entries);
    std::vector<GgufTensorSource> sources;
    auto add = [&](const std::string& name, const std::vector<float>& values,
                   std::vector<int64_t> shape) {
        GgufTensorSource s;
        s.name = name;
        s.type = GgmlType::F32;
        s.shape = std::move(shape);
        const std::vector<float>* vp = &values;
        s.bytes = [vp] {
            return std::string(reinterpret_cast<const char*>(vp->data()), vp->size() * 4);
        };
        sources.push_back(std::move(s));
    };
    for (const ImatrixEntry& e : entries) {
        const int64_t nmat = e.matrices();
        if (nmat < 1 || e.columns < 1 || int64_t(e.sums.size()) != nmat * e.columns ||
            (!e.activations.empty() && e.activations.size() != e.sums.size()))
            throw Error(path, "entry '" + e.name + "' has inconsistent sizes");
        // ggml stores a [1, n] tensor with one dimension (trailing ones dropped)
        std::vector<int64_t> shape =
            nmat == 1 ? std::vector<int64_t>{e.columns} : std::vector<int64_t>{nmat, e.columns};
        std::vector<int64_t> cshape =
            nmat == 1 ? std::vector<int64_t>{1} : std::vector<int64_t>{nmat, 1};
        add(e.name + ".in_sum2", e.sums, shape);
        add(e.name + ".counts", e.counts, cshape);
        if (!e.activations.empty())
            add(e.name + ".in_sum", e.activations, shape);
    }
    writeGguf(path, md, sources);
}

// ---- legacy .dat ----

class Cursor {
  public:
    Cursor(const std::string& path, const std::string& data) : path_(path), d_(data) {}
    std::size_t left() const { return d_.size() - pos_; }
    std::size_t pos() const { return pos_; }
    int32_t i32(const std::string& what) {
        need(4, what);
        int32_t v;
        std::memcpy(&v, d_.data() + pos_, 4);
        pos_ += 4;
        return v;
    }
    std::string bytes(std::size_t n, const std::string& what) {
        need(n, what);
        std::string s = d_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    void need(std::size_t n, const std::string& what) const {
        if (left() < n)
            throw Error(path_, "truncated: " + what + " at offset " + std::to_string(pos_) +
                                   " needs " + std::to_string(n) + " bytes, " +
                                   std::to_string(left()) + " left");
    }

  private:
    const std::string& path_;
    const std::string& d_;
    std::size_t pos_ = 0;
};

Imatrix readLegacy(const std::string& path) {
    const std::string data = readFile(path);
    Cursor c(path, data);
    Imatrix m;
    m.format = ImatrixFormat::Legacy;
    const int32_t n = c.i32("entry count");
    if (n < 1)
        throw Error(path, "not an imatrix file: entry count " + std::to_string(n) +
                              " (a legacy imatrix starts with a positive entry count)");
    // each entry takes at least 16 bytes: name length, a name byte, ncall, nval, one value
    if (uint64_t(n) * 17 > c.left())
        throw Error(path, "truncated or not an imatrix file: " + std::to_string(n) +
                              " entries cannot fit in " + std::to_string(data.size()) + " bytes");
    for (int32_t i = 0; i < n; ++i) {
        const std::string where = "entry " + std::to_string(i + 1);
        const int32_t len = c.i32(where + " name length");
        if (len < 1 || std::size_t(len) > c.left())
            throw Error(path, where + ": bad name length " + std::to_string(len) + " at offset " +
                                  std::to_string(c.pos() - 4));
        ImatrixEntry e;
        e.name = c.bytes(std::size_t(len), where + " name");
        if (e.name.find('\0') != std::string::npos)
            throw Error(path, where + ": name contains a NUL byte");
        const int32_t ncall = c.i32(where + " ncall");
        const int32_t nval = c.i32(where + " value count");
        if (ncall < 1)
            throw Error(path, "entry '" + e.name + "' has ncall " + std::to_string(ncall) +
                                  " (a count of 0: no activations were collected)");
        if (nval < 1)
            throw Error(path, "entry '" + e.name + "' has " + std::to_string(nval) + " values");
        c.need(std::size_t(nval) * 4, "entry '" + e.name + "' values");
        e.sums.resize(std::size_t(nval));
        std::memcpy(e.sums.data(), c.bytes(std::size_t(nval) * 4, "values").data(),
                    std::size_t(nval) * 4);
        e.counts = {float(ncall)};
        e.columns = nval;
        checkValues(path, "entry '" + e.name + "' values", e.sums);
        m.entries.push_back(std::move(e));
    }
    // optional trailer: chunk count, then the dataset name
    if (c.left() > 0) {
        const int32_t chunks = c.i32("chunk count");
        if (chunks < 0)
            throw Error(path, "negative chunk count " + std::to_string(chunks));
        m.chunkCount = uint32_t(chunks);
        if (c.left() > 0) {
            const int32_t len = c.i32("dataset name length");
            if (len < 0 || std::size_t(len) > c.left())
                throw Error(path, "truncated: dataset name of " + std::to_string(len) +
                                      " bytes with " + std::to_string(c.left()) + " left");
            const std::string ds = c.bytes(std::size_t(len), "dataset name");
            if (!ds.empty())
                m.datasets.push_back(ds);
            if (c.left() > 0)
                throw Error(path, std::to_string(c.left()) + " unexpected bytes at the end");
        }
    }
    sortAndCheckUnique(path, m.entries);
    return m;
}

void putI32(std::string& s, int32_t v) {
    char b[4];
    std::memcpy(b, &v, 4);
    s.append(b, 4);
}

void writeLegacy(const std::string& path, const Imatrix& m) {
    std::vector<ImatrixEntry> entries = m.entries;
    sortAndCheckUnique(path, entries);
    std::string out;
    putI32(out, int32_t(entries.size()));
    for (const ImatrixEntry& e : entries) {
        if (e.counts.size() != 1 || e.sums.empty())
            throw Error(path, "entry '" + e.name + "' is not in the legacy layout");
        putI32(out, int32_t(e.name.size()));
        out += e.name;
        putI32(out, int32_t(e.counts[0]));
        putI32(out, int32_t(e.sums.size()));
        out.append(reinterpret_cast<const char*>(e.sums.data()), e.sums.size() * 4);
    }
    putI32(out, int32_t(m.chunkCount));
    const std::string ds = m.datasets.empty() ? std::string() : m.datasets.back();
    putI32(out, int32_t(ds.size()));
    out += ds;
    writeFileAtomically(path, out);
}

} // namespace

const ImatrixEntry* Imatrix::find(const std::string& name) const {
    auto it =
        std::lower_bound(entries.begin(), entries.end(), name,
                         [](const ImatrixEntry& e, const std::string& n) { return e.name < n; });
    if (it != entries.end() && it->name == name)
        return &*it;
    for (const auto& e : entries) // entries built by hand may be unsorted
        if (e.name == name)
            return &e;
    return nullptr;
}

std::vector<float> Imatrix::importance(const ImatrixEntry& e) const {
    std::vector<float> v(e.sums.size());
    if (format == ImatrixFormat::Legacy) {
        const float ncall = e.counts.empty() ? 0.0f : e.counts[0];
        for (std::size_t i = 0; i < v.size(); ++i)
            v[i] = ncall > 0 ? e.sums[i] / ncall : e.sums[i];
        return v;
    }
    const int64_t nmat = e.matrices();
    const std::size_t cols = nmat > 0 ? e.sums.size() / std::size_t(nmat) : 0;
    for (int64_t j = 0; j < nmat; ++j) {
        const float count = e.counts[std::size_t(j)];
        for (std::size_t i = 0; i < cols; ++i) {
            const std::size_t k = std::size_t(j) * cols + i;
            v[k] = count > 0.0f ? e.sums[k] / count : 1.0f;
        }
    }
    return v;
}

Imatrix Imatrix::toLegacy() const {
    if (format == ImatrixFormat::Legacy)
        return *this;
    if (chunkSize == 0)
        throw Error("imatrix: chunk size 0, cannot convert to the legacy format");
    Imatrix out = *this;
    out.format = ImatrixFormat::Legacy;
    for (ImatrixEntry& e : out.entries) {
        if (e.counts.empty())
            continue;
        const float maxCount = *std::max_element(e.counts.begin(), e.counts.end());
        const int64_t cnt = std::llround(maxCount);
        const int32_t ncall = int32_t((cnt + int64_t(chunkSize) - 1) / int64_t(chunkSize));
        const std::size_t per = e.sums.size() / e.counts.size();
        for (std::size_t i = 0; i < e.sums.size(); ++i) {
            float count = e.counts[i / per];
            float value = e.sums[i];
            if (count == 0.0f)
                value = count = 1.0f; // as llama-imatrix stores partial data
            e.sums[i] = (value / count) * static_cast<float>(ncall);
        }
        e.counts = {float(ncall)};
        e.columns = int64_t(e.sums.size()); // legacy entries are flat
        e.activations.clear();
    }
    return out;
}

Imatrix Imatrix::toGguf(uint32_t legacyChunkSize) const {
    if (format == ImatrixFormat::Gguf)
        return *this;
    Imatrix out = *this;
    out.format = ImatrixFormat::Gguf;
    out.chunkSize = legacyChunkSize;
    int64_t maxCount = 0;
    for (ImatrixEntry& e : out.entries) {
        for (float& v : e.sums)
            v = v * float(int32_t(legacyChunkSize));
        const int64_t count =
            int64_t(std::llround(e.counts.empty() ? 0.0f : e.counts[0])) * int64_t(legacyChunkSize);
        e.counts = {float(count)};
        maxCount = std::max(maxCount, count);
    }
    out.chunkCount = legacyChunkSize ? uint32_t(maxCount / legacyChunkSize) : 0;
    return out;
}

Imatrix readImatrix(const std::string& path) {
    std::string head;
    {
        std::FILE* f = std::fopen(path.c_str(), "rb");
        if (!f)
            throw Error(path, "cannot open the imatrix file");
        char b[4];
        const std::size_t n = std::fread(b, 1, 4, f);
        std::fclose(f);
        head.assign(b, n);
    }
    if (head == "GGUF")
        return readGguf(path);
    return readLegacy(path);
}

void writeImatrix(const std::string& path, const Imatrix& m) {
    if (m.format == ImatrixFormat::Legacy)
        writeLegacy(path, m);
    else
        writeGgufImatrix(path, m);
}

void checkImatrixMatches(const Imatrix& m, const std::string& path,
                         const std::vector<std::pair<std::string, int64_t>>& tensors) {
    std::unordered_map<std::string, int64_t> cols;
    for (const auto& [name, c] : tensors)
        cols[name] = c;
    for (const ImatrixEntry& e : m.entries) {
        auto it = cols.find(e.name);
        if (it == cols.end())
            throw Error(path, "entry '" + e.name + "' names no weight matrix of the model");
        const int64_t have = int64_t(e.sums.size());
        if (e.matrices() != 1 && m.format == ImatrixFormat::Gguf)
            throw Error(path, "entry '" + e.name + "' holds " + std::to_string(e.matrices()) +
                                  " matrices (experts); the model's tensor is one matrix");
        if (have != it->second)
            throw Error(path, "entry '" + e.name + "' has " + std::to_string(have) +
                                  " columns, the model's tensor has " + std::to_string(it->second));
    }
}

} // namespace taskquant::io
