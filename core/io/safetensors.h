#pragma once
// Safetensors reading (memory-mapped, every header bound checked) and streaming writing.
// Format: 8-byte little-endian header length N, N bytes of JSON
// {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
// then the byte buffer; offsets are relative to the buffer start.
// Every malformed input throws taskquant::Error naming the file and the problem; nothing
// here crashes on hostile input. Reading objects are immutable after open() and thread-safe.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/jobs/progress.h"

namespace taskquant::io {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL, F8_E4M3, F8_E5M2 };

std::string dtypeName(DType d);                           // "F32", "BF16", ...
std::size_t dtypeSize(DType d);                           // bytes per element
std::optional<DType> parseDType(const std::string& name); // nullopt if unknown

// Headers larger than this are refused as absurd (the reference implementation's limit).
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t offset = 0; // absolute byte offset in the file
    uint64_t nbytes = 0;
    int64_t numel() const;
};

// A private memory mapping of a whole file: read-only, or with copyOnWrite readable and writable
// with writes going to private copies of the pages they touch (the file never changes). Tensors
// that alias a copy-on-write mapping may then be modified in place like any tensor.
class MappedFile {
  public:
    static std::shared_ptr<const MappedFile> open(const std::string& path,
                                                  bool copyOnWrite = false);
    ~MappedFile();
    const uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }
    const std::string& path() const { return path_; }

  private:
    MappedFile() = default;
    std::string path_;
    const uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
};

class SafetensorsFile {
  public:
    // Maps and validates the file: header length within the file (and at most 100 MB), valid
    // JSON object without duplicate names, every entry with a known dtype, a non-negative shape
    // whose size does not overflow, data_offsets [begin, end] inside the buffer with
    // end - begin == numel * dtype size, and no two non-empty tensors overlapping (gaps
    // between tensors are accepted); "__metadata__", if present, maps strings to strings.
    // The mapping assumes the file is not truncated by someone else while it is open.
    // copyOnWrite: see MappedFile.
    static std::shared_ptr<const SafetensorsFile> open(const std::string& path,
                                                       bool copyOnWrite = false);

    const std::string& path() const { return file_->path(); }
    const std::vector<TensorInfo>& tensors() const { return tensors_; } // sorted by offset
    const TensorInfo* find(const std::string& name) const;              // nullptr if absent
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    const uint8_t* data(const TensorInfo& t) const { return file_->data() + t.offset; }
    // Keeps the mapping alive, e.g. for tensors that alias it.
    std::shared_ptr<const MappedFile> mapping() const { return file_; }

  private:
    std::shared_ptr<const MappedFile> file_;
    std::vector<TensorInfo> tensors_;
    std::map<std::string, std::size_t> index_;
    std::map<std::string, std::string> metadata_;
};

// The weights of a Hugging Face model directory: model.safetensors (preferred when both exist,
// as transformers does), or the shards listed in model.safetensors.index.json
// ("weight_map": {tensor: file}). Index checks: every shard name relative and without ".."
// (it must stay inside the directory), every shard present, every mapped tensor in its shard,
// no tensor stored in two shards. Refuses pickle checkpoints (pytorch_model.bin, *.bin, *.pt,
// *.pth, *.ckpt) with an explanation of why and how to convert. Immutable; thread-safe.
class SafetensorsCheckpoint {
  public:
    static SafetensorsCheckpoint openDirectory(const std::string& dir, bool copyOnWrite = false);

    std::vector<std::string> names() const; // in file order
    const TensorInfo* find(const std::string& name) const;
    const uint8_t* data(const TensorInfo& t) const;
    std::shared_ptr<const SafetensorsFile> fileOf(const std::string& name) const;
    const std::vector<std::shared_ptr<const SafetensorsFile>>& files() const { return files_; }
    uint64_t totalBytes() const;

  private:
    std::vector<std::shared_ptr<const SafetensorsFile>> files_;
    std::map<std::string, std::size_t> owner_; // tensor name -> index into files_
};

// One tensor to write. bytes() is called exactly once, in the order given, and must return
// numel(shape) * dtypeSize(dtype) bytes; this lets exporters produce tensors one at a time.
struct TensorSource {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    std::function<std::string()> bytes;
};

// Streams the tensors into `path` atomically (temporary file + rename); cancellable between
// tensors; a failure or cancel leaves no file at `path` and any previous file intact.
void writeSafetensors(const std::string& path, const std::vector<TensorSource>& tensors,
                      const std::map<std::string, std::string>& metadata = {},
                      const JobControl& job = {});

} // namespace taskquant::io
