#include "core/io/gguf_writer.h"

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "core/io/atomic_file.h"
#include "core/util/error.h"

namespace taskquant::io {

namespace {

// Little-endian serialisation into a growing buffer.
class ByteSink {
  public:
    void u8(uint8_t v) { buf_.push_back(static_cast<char>(v)); }
    void u16(uint16_t v) { le(v, 2); }
    void u32(uint32_t v) { le(v, 4); }
    void u64(uint64_t v) { le(v, 8); }
    void f32(float v) {
        uint32_t b;
        std::memcpy(&b, &v, 4);
        u32(b);
    }
    void f64(double v) {
        uint64_t b;
        std::memcpy(&b, &v, 8);
        u64(b);
    }
    void str(const std::string& s) {
        u64(s.size());
        buf_ += s;
    }
    void pad(uint64_t alignment) {
        while (buf_.size() % alignment)
            buf_.push_back('\0');
    }
    const std::string& bytes() const { return buf_; }

  private:
    void le(uint64_t v, int n) {
        for (int i = 0; i < n; ++i)
            buf_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
    std::string buf_;
};

template <class T> void writeScalar(ByteSink& s, const T& v) {
    if constexpr (std::is_same_v<T, std::string>)
        s.str(v);
    else if constexpr (std::is_same_v<T, bool>)
        s.u8(v ? 1 : 0);
    else if constexpr (std::is_same_v<T, float>)
        s.f32(v);
    else if constexpr (std::is_same_v<T, double>)
        s.f64(v);
    else if constexpr (sizeof(T) == 1)
        s.u8(static_cast<uint8_t>(v));
    else if constexpr (sizeof(T) == 2)
        s.u16(static_cast<uint16_t>(v));
    else if constexpr (sizeof(T) == 4)
        s.u32(static_cast<uint32_t>(v));
    else
        s.u64(static_cast<uint64_t>(v));
}

void writeValue(ByteSink& s, const GgufValue& value) {
    s.u32(static_cast<uint32_t>(value.type()));
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string> || !std::is_class_v<T>) {
                writeScalar(s, v);
            } else {
                s.u32(static_cast<uint32_t>(value.elementType()));
                s.u64(v.size());
                for (const auto& item : v)
                    writeScalar(s, static_cast<typename T::value_type>(item));
            }
        },
        value.storage());
}

uint64_t padTo(uint64_t n, uint64_t alignment) {
    return (n + alignment - 1) / alignment * alignment;
}

} // namespace

uint32_t ggufAlignment(const GgufMetadata& metadata, const std::string& file) {
    const GgufValue* v = metadata.find("general.alignment");
    if (!v)
        return kGgufDefaultAlignment;
    const uint32_t* a = v->getIf<uint32_t>();
    if (!a)
        throw Error(file, "general.alignment has type " + v->typeString() + ", expected UINT32");
    if (*a == 0 || (*a & (*a - 1)) != 0)
        throw Error(file, "general.alignment " + std::to_string(*a) + " is not a power of two");
    return *a;
}

namespace {

// The header (magic, counts, metadata, tensor infos, padding) and each tensor's data size.
struct Header {
    ByteSink bytes;
    std::vector<uint64_t> sizes;
    uint64_t dataBytes = 0; // the data section: every tensor padded to the alignment
};

Header buildHeader(const std::string& path, const GgufMetadata& metadata,
                   const std::vector<GgufTensorSource>& tensors, uint32_t alignment,
                   bool needSources) {
    Header h;
    ByteSink& header = h.bytes;
    header.u8('G');
    header.u8('G');
    header.u8('U');
    header.u8('F');
    header.u32(kGgufVersion);
    header.u64(tensors.size());
    header.u64(metadata.size());
    for (const auto& [key, value] : metadata.entries()) {
        if (key.empty())
            throw Error(path, "metadata key is empty");
        header.str(key);
        writeValue(header, value);
    }
    std::unordered_set<std::string> names;
    uint64_t offset = 0;
    for (const auto& t : tensors) {
        if (t.name.empty() || t.name.size() > kGgufMaxNameBytes)
            throw Error(path, "tensor name '" + t.name + "' must have 1 to " +
                                  std::to_string(kGgufMaxNameBytes) + " bytes (ggml's limit)");
        if (!names.insert(t.name).second)
            throw Error(path, "duplicate tensor name '" + t.name + "'");
        if (t.shape.size() > kGgufMaxDims)
            throw Error(path, "tensor '" + t.name + "' has " + std::to_string(t.shape.size()) +
                                  " dimensions; GGUF/ggml allow at most 4");
        if (needSources && !t.bytes)
            throw Error(path, "tensor '" + t.name + "' has no data source");
        const uint64_t size = ggmlTensorBytes(t.type, t.shape, path + ": tensor '" + t.name + "'");
        header.str(t.name);
        header.u32(static_cast<uint32_t>(t.shape.size()));
        for (auto it = t.shape.rbegin(); it != t.shape.rend(); ++it)
            header.u64(static_cast<uint64_t>(*it));
        header.u32(static_cast<uint32_t>(t.type));
        header.u64(offset);
        h.sizes.push_back(size);
        offset += padTo(size, alignment);
    }
    header.pad(alignment);
    h.dataBytes = offset;
    return h;
}

} // namespace

uint64_t ggufHeaderBytes(const GgufMetadata& metadata,
                         const std::vector<GgufTensorSource>& tensors) {
    const uint32_t alignment = ggufAlignment(metadata);
    return buildHeader("GGUF", metadata, tensors, alignment, false).bytes.bytes().size();
}

void writeGguf(const std::string& path, const GgufMetadata& metadata,
               const std::vector<GgufTensorSource>& tensors, const JobControl& job) {
    const uint32_t alignment = ggufAlignment(metadata, path);
    Header built = buildHeader(path, metadata, tensors, alignment, true);
    const ByteSink& header = built.bytes;
    const std::vector<uint64_t>& sizes = built.sizes;
    const uint64_t offset = built.dataBytes;

    const uint64_t total = offset;
    job.check();
    AtomicFile out(path);
    out.write(header.bytes());
    const std::string zeros(alignment, '\0');
    uint64_t done = 0;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const auto& t = tensors[i];
        job.report(total ? static_cast<double>(done) / static_cast<double>(total) : 0.0,
                   "writing " + t.name, static_cast<long long>(done),
                   static_cast<long long>(total));
        job.check();
        const std::string data = t.bytes();
        if (data.size() != sizes[i])
            throw Error(path, "tensor '" + t.name + "' (" + ggmlTypeName(t.type) + ") produced " +
                                  std::to_string(data.size()) + " bytes, expected " +
                                  std::to_string(sizes[i]));
        out.write(data);
        out.write(zeros.data(), static_cast<std::size_t>(padTo(sizes[i], alignment) - sizes[i]));
        done += padTo(sizes[i], alignment);
    }
    job.check();
    out.commit();
    job.report(1.0, "written " + path, static_cast<long long>(total),
               static_cast<long long>(total));
}

} // namespace taskquant::io
