#pragma once
// GGUF reading (versions 2 and 3, little-endian): header, metadata, tensor table and tensor
// bytes of a memory-mapped file (dequantisation to float: quant::dequantize in
// core/quant/gguf_tensor.h). See gguf_writer.h for the layout.
// Every count, length, type and offset is checked against the file before use: a malformed
// or hostile file (bad magic or version, counts larger than the file could hold, strings or
// arrays running past its end, unknown value or tensor types, nested arrays, duplicate keys or
// tensor names, more than 4 dimensions, rows not divisible by the block size, misaligned or
// out-of-file or overlapping tensor data) throws taskquant::Error naming the file and the
// problem; parsing is linear in the file size, so nothing hangs. GgufFile objects are
// immutable after open() and thread-safe.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/io/gguf_types.h"
#include "core/io/gguf_value.h"

namespace taskquant::io {

struct GgufTensorInfo {
    std::string name;
    GgmlType type = GgmlType::F32;
    std::vector<int64_t> shape; // row-major: ggml's ne[] reversed
    uint64_t offset = 0;        // absolute byte offset of the data in the file
    uint64_t nbytes = 0;
    int64_t numel() const;
};

class GgufFile {
  public:
    static std::shared_ptr<const GgufFile> open(const std::string& path);
    ~GgufFile();
    GgufFile(const GgufFile&) = delete;
    GgufFile& operator=(const GgufFile&) = delete;

    const std::string& path() const { return path_; }
    uint32_t version() const { return version_; }
    uint32_t alignment() const { return alignment_; }
    uint64_t dataOffset() const { return dataOffset_; } // start of the tensor data section
    uint64_t fileSize() const { return size_; }
    const GgufMetadata& metadata() const { return metadata_; }
    const std::vector<GgufTensorInfo>& tensors() const { return tensors_; } // table order
    const GgufTensorInfo* find(const std::string& name) const;              // nullptr if absent
    const uint8_t* data(const GgufTensorInfo& t) const { return data_ + t.offset; }

  private:
    GgufFile() = default;
    void parse();

    std::string path_;
    const uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
    uint32_t version_ = 0;
    uint32_t alignment_ = 32;
    uint64_t dataOffset_ = 0;
    GgufMetadata metadata_;
    std::vector<GgufTensorInfo> tensors_;
    std::unordered_map<std::string, std::size_t> index_;
};

} // namespace taskquant::io
