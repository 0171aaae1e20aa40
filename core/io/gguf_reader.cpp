#include "core/io/gguf_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/io/gguf_writer.h"
#include "core/util/error.h"
#include "core/util/shape.h"

namespace taskquant::io {

namespace {

// Bounds-checked little-endian reads from the mapped file.
class Cursor {
  public:
    Cursor(const uint8_t* p, uint64_t size, const std::string& path)
        : p_(p), size_(size), path_(path) {}
    uint64_t pos() const { return pos_; }
    uint64_t remaining() const { return size_ - pos_; }

    void need(uint64_t n, const std::string& what) const {
        if (n > remaining())
            throw Error(path_, "truncated: " + what + " at offset " + std::to_string(pos_) +
                                   " needs " + std::to_string(n) + " bytes but the file ends at " +
                                   std::to_string(size_));
    }
    template <class T> T scalar(const std::string& what) {
        need(sizeof(T), what);
        uint64_t v = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i)
            v |= static_cast<uint64_t>(p_[pos_ + i]) << (8 * i);
        pos_ += sizeof(T);
        if constexpr (std::is_same_v<T, float>) {
            const uint32_t b = static_cast<uint32_t>(v);
            float f;
            std::memcpy(&f, &b, 4);
            return f;
        } else if constexpr (std::is_same_v<T, double>) {
            double d;
            std::memcpy(&d, &v, 8);
            return d;
        } else {
            return static_cast<T>(v);
        }
    }
    std::string string(const std::string& what) {
        const uint64_t n = scalar<uint64_t>("length of " + what);
        if (n > remaining())
            throw Error(path_, what + " at offset " + std::to_string(pos_) + " claims " +
                                   std::to_string(n) + " bytes, past the end of the file (" +
                                   std::to_string(size_) + " bytes)");
        std::string s(reinterpret_cast<const char*>(p_ + pos_), static_cast<std::size_t>(n));
        pos_ += n;
        return s;
    }

  private:
    const uint8_t* p_;
    uint64_t size_;
    uint64_t pos_ = 0;
    const std::string& path_;
};

bool readBool(Cursor& c, const std::string& path, const std::string& what) {
    const uint8_t b = c.scalar<uint8_t>(what);
    if (b > 1)
        throw Error(path,
                    what + " is a BOOL with value " + std::to_string(b) + " (must be 0 or 1)");
    return b == 1;
}

template <class T>
GgufValue readArrayOf(Cursor& c, uint64_t n, const std::string& path, const std::string& what) {
    std::vector<T> items;
    items.reserve(static_cast<std::size_t>(n));
    for (uint64_t i = 0; i < n; ++i) {
        if constexpr (std::is_same_v<T, std::string>)
            items.push_back(c.string(what + " item"));
        else if constexpr (std::is_same_v<T, bool>)
            items.push_back(readBool(c, path, what));
        else
            items.push_back(c.scalar<T>(what));
    }
    return GgufValue(std::move(items));
}

GgufValue readValue(Cursor& c, GgufType type, const std::string& path, const std::string& key) {
    const std::string what = "value of '" + key + "'";
    switch (type) {
    case GgufType::UINT8:
        return c.scalar<uint8_t>(what);
    case GgufType::INT8:
        return c.scalar<int8_t>(what);
    case GgufType::UINT16:
        return c.scalar<uint16_t>(what);
    case GgufType::INT16:
        return c.scalar<int16_t>(what);
    case GgufType::UINT32:
        return c.scalar<uint32_t>(what);
    case GgufType::INT32:
        return c.scalar<int32_t>(what);
    case GgufType::FLOAT32:
        return c.scalar<float>(what);
    case GgufType::BOOL:
        return readBool(c, path, what);
    case GgufType::STRING:
        return c.string(what);
    case GgufType::UINT64:
        return c.scalar<uint64_t>(what);
    case GgufType::INT64:
        return c.scalar<int64_t>(what);
    case GgufType::FLOAT64:
        return c.scalar<double>(what);
    case GgufType::ARRAY:
        break;
    }
    const uint32_t elementId = c.scalar<uint32_t>("array type of '" + key + "'");
    if (!isValidGgufType(elementId))
        throw Error(path, "metadata key '" + key + "' is an array of unknown value type " +
                              std::to_string(elementId));
    const auto element = static_cast<GgufType>(elementId);
    if (element == GgufType::ARRAY)
        throw Error(path,
                    "metadata key '" + key + "' is an array of arrays, which is not supported");
    const uint64_t n = c.scalar<uint64_t>("array length of '" + key + "'");
    const uint64_t minItem = element == GgufType::STRING ? 8 : ggufScalarSize(element);
    if (n > c.remaining() / minItem)
        throw Error(path, "metadata key '" + key + "' claims an array of " + std::to_string(n) +
                              " " + ggufTypeName(element) + " items, more than the file holds");
    switch (element) {
    case GgufType::UINT8:
        return readArrayOf<uint8_t>(c, n, path, what);
    case GgufType::INT8:
        return readArrayOf<int8_t>(c, n, path, what);
    case GgufType::UINT16:
        return readArrayOf<uint16_t>(c, n, path, what);
    case GgufType::INT16:
        return readArrayOf<int16_t>(c, n, path, what);
    case GgufType::UINT32:
        return readArrayOf<uint32_t>(c, n, path, what);
    case GgufType::INT32:
        return readArrayOf<int32_t>(c, n, path, what);
    case GgufType::FLOAT32:
        return readArrayOf<float>(c, n, path, what);
    case GgufType::BOOL:
        return readArrayOf<bool>(c, n, path, what);
    case GgufType::STRING:
        return readArrayOf<std::string>(c, n, path, what);
    case GgufType::UINT64:
        return readArrayOf<uint64_t>(c, n, path, what);
    case GgufType::INT64:
        return readArrayOf<int64_t>(c, n, path, what);
    case GgufType::FLOAT64:
        return readArrayOf<double>(c, n, path, what);
    case GgufType::ARRAY:
        break;
    }
    throw Error(path, "unreachable array type");
}

} // namespace

int64_t GgufTensorInfo::numel() const {
    return checkedNumel(shape);
}

std::shared_ptr<const GgufFile> GgufFile::open(const std::string& path) {
    std::shared_ptr<GgufFile> f(new GgufFile());
    f->path_ = path;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(path, "not a regular file");
    }
    f->size_ = static_cast<uint64_t>(st.st_size);
    if (f->size_ > 0) {
        void* m =
            ::mmap(nullptr, static_cast<std::size_t>(f->size_), PROT_READ, MAP_PRIVATE, fd, 0);
        const int e = errno;
        ::close(fd);
        if (m == MAP_FAILED)
            throw Error(path, std::string("cannot map: ") + std::strerror(e));
        f->data_ = static_cast<const uint8_t*>(m);
    } else {
        ::close(fd);
    }
    f->parse();
    return f;
}

GgufFile::~GgufFile() {
    if (data_)
        ::munmap(const_cast<uint8_t*>(data_), static_cast<std::size_t>(size_));
}

void GgufFile::parse() {
    if (size_ < 24)
        throw Error(path_, "too small to be a GGUF file (" + std::to_string(size_) + " bytes)");
    if (std::memcmp(data_, "GGUF", 4) != 0)
        throw Error(path_, "not a GGUF file (no 'GGUF' magic)");
    Cursor c(data_, size_, path_);
    c.scalar<uint32_t>("magic");
    version_ = c.scalar<uint32_t>("version");
    if (version_ == 1)
        throw Error(path_, "GGUF version 1 is not supported; convert the model again with a "
                           "current llama.cpp");
    if (version_ != 2 && version_ != 3) {
        if ((version_ & 0xffff) == 0)
            throw Error(path_, "big-endian GGUF files are not supported");
        throw Error(path_, "unsupported GGUF version " + std::to_string(version_));
    }
    const uint64_t nTensors = c.scalar<uint64_t>("tensor count");
    const uint64_t nKv = c.scalar<uint64_t>("metadata count");
    // smallest possible entries: a key (8-byte length) + type + 1-byte value; a tensor info
    // (8-byte name length + n_dims + type + offset)
    if (nKv > c.remaining() / 13)
        throw Error(path_, "header claims " + std::to_string(nKv) +
                               " metadata entries, more than the file can hold");
    if (nTensors > c.remaining() / 24)
        throw Error(path_, "header claims " + std::to_string(nTensors) +
                               " tensors, more than the file can hold");

    for (uint64_t i = 0; i < nKv; ++i) {
        const std::string key = c.string("metadata key " + std::to_string(i));
        if (key.empty())
            throw Error(path_, "metadata key " + std::to_string(i) + " is empty");
        const uint32_t typeId = c.scalar<uint32_t>("value type of '" + key + "'");
        if (!isValidGgufType(typeId))
            throw Error(path_, "metadata key '" + key + "' has unknown value type " +
                                   std::to_string(typeId));
        GgufValue value = readValue(c, static_cast<GgufType>(typeId), path_, key);
        if (metadata_.contains(key))
            throw Error(path_, "duplicate metadata key '" + key + "'");
        metadata_.set(key, std::move(value));
    }
    alignment_ = ggufAlignment(metadata_, path_);

    tensors_.reserve(static_cast<std::size_t>(nTensors));
    std::vector<uint64_t> relative;
    for (uint64_t i = 0; i < nTensors; ++i) {
        GgufTensorInfo t;
        t.name = c.string("name of tensor " + std::to_string(i));
        const std::string what = "tensor '" + t.name + "'";
        if (t.name.empty() || t.name.size() > kGgufMaxNameBytes)
            throw Error(path_, "tensor " + std::to_string(i) + " has a name of " +
                                   std::to_string(t.name.size()) + " bytes (1 to " +
                                   std::to_string(kGgufMaxNameBytes) + " allowed)");
        const uint32_t nDims = c.scalar<uint32_t>("dimension count of " + what);
        if (nDims > kGgufMaxDims)
            throw Error(path_, what + " has " + std::to_string(nDims) + " dimensions (at most 4)");
        t.shape.assign(nDims, 0);
        for (uint32_t d = 0; d < nDims; ++d) {
            const uint64_t ne = c.scalar<uint64_t>("dimensions of " + what);
            if (ne > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                throw Error(path_, what + " has an invalid dimension " + std::to_string(ne));
            t.shape[nDims - 1 - d] = static_cast<int64_t>(ne);
        }
        const uint32_t typeId = c.scalar<uint32_t>("type of " + what);
        if (!ggmlTypeInfo(typeId))
            throw Error(path_, what + " has unknown ggml type " + std::to_string(typeId));
        t.type = static_cast<GgmlType>(typeId);
        const uint64_t offset = c.scalar<uint64_t>("data offset of " + what);
        if (offset % alignment_ != 0)
            throw Error(path_, what + " data offset " + std::to_string(offset) +
                                   " is not a multiple of the alignment " +
                                   std::to_string(alignment_));
        try {
            t.nbytes = ggmlTensorBytes(t.type, t.shape, what);
        } catch (const Error& e) {
            throw Error(path_, e.what());
        }
        if (index_.count(t.name))
            throw Error(path_, "duplicate tensor name '" + t.name + "'");
        index_.emplace(t.name, tensors_.size());
        relative.push_back(offset);
        tensors_.push_back(std::move(t));
    }

    dataOffset_ = (c.pos() + alignment_ - 1) / alignment_ * alignment_;
    std::vector<std::size_t> order(tensors_.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        GgufTensorInfo& t = tensors_[i];
        order[i] = i;
        // The data section starts at the first aligned offset after the table; a file that
        // ends before it is truncated even for a tensor of zero bytes.
        const uint64_t available = dataOffset_ <= size_ ? size_ - dataOffset_ : 0;
        if (dataOffset_ > size_ || relative[i] > available || t.nbytes > available - relative[i])
            throw Error(path_, "tensor '" + t.name + "' data (" + std::to_string(t.nbytes) +
                                   " bytes at data offset " + std::to_string(relative[i]) +
                                   ") lies outside the file (" + std::to_string(size_) + " bytes)");
        t.offset = dataOffset_ + relative[i];
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return tensors_[a].offset < tensors_[b].offset;
    });
    for (std::size_t k = 1; k < order.size(); ++k) {
        const GgufTensorInfo& prev = tensors_[order[k - 1]];
        const GgufTensorInfo& cur = tensors_[order[k]];
        if (prev.nbytes > 0 && cur.offset < prev.offset + prev.nbytes)
            throw Error(path_, "tensors '" + prev.name + "' and '" + cur.name + "' overlap");
    }
}

const GgufTensorInfo* GgufFile::find(const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

} // namespace taskquant::io
