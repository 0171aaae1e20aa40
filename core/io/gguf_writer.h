#pragma once
// Streaming GGUF (version 3, little-endian) writer.
// File layout, as the GGUF specification and ggml's gguf.cpp define it:
//   "GGUF", u32 version = 3, u64 tensor count, u64 metadata count,
//   metadata: { string key, u32 value type, value } with strings as u64 length + bytes,
//             arrays as u32 element type + u64 count + elements,
//   tensor infos: { string name, u32 n_dims, u64 ne[n_dims], u32 ggml type, u64 offset },
//   zero padding to the alignment, then each tensor's bytes, each padded with zeros to the
//   alignment (offsets are relative to the start of the data section).
// The alignment is general.alignment (UINT32, a power of two) when the metadata has it, else
// 32. ne[] is the row-major shape reversed (ne[0] = row length), as ggml orders dimensions.
// Tensors are produced one at a time through their bytes() callback, so peak memory stays
// near the largest tensor; the output is written atomically (temporary file + rename).
// Errors (invalid metadata, a tensor name of 64 bytes or more as ggml refuses, more than 4
// dimensions, rows not divisible by the type's block size, a callback returning the wrong
// number of bytes, an unwritable path, a full disk) throw taskquant::Error; a failure or a
// cancel (taskquant::Cancelled, checked between tensors) leaves no file at `path` and any
// previous file there intact. Blocking; progress is reported per tensor in bytes.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/io/gguf_types.h"
#include "core/io/gguf_value.h"
#include "core/jobs/progress.h"

namespace taskquant::io {

constexpr uint32_t kGgufVersion = 3;
constexpr uint32_t kGgufDefaultAlignment = 32;
constexpr std::size_t kGgufMaxNameBytes = 63; // ggml: GGML_MAX_NAME (64) including the NUL
constexpr std::size_t kGgufMaxDims = 4;       // ggml: GGML_MAX_DIMS

// One tensor to write. bytes() is called exactly once, in the order given, and must return
// exactly ggmlTensorBytes(type, shape) bytes in ggml's layout for `type` (see quant::encode).
struct GgufTensorSource {
    std::string name;
    GgmlType type = GgmlType::F32;
    std::vector<int64_t> shape; // row-major (PyTorch order)
    std::function<std::string()> bytes;
};

void writeGguf(const std::string& path, const GgufMetadata& metadata,
               const std::vector<GgufTensorSource>& tensors, const JobControl& job = {});

// Bytes writeGguf writes before the first tensor's data (header, metadata, tensor infos and the
// padding to the alignment); the tensors' bytes callbacks are not called and may be empty. The
// whole file is this plus every tensor's ggmlTensorBytes padded to the alignment. Same errors
// as writeGguf.
uint64_t ggufHeaderBytes(const GgufMetadata& metadata,
                         const std::vector<GgufTensorSource>& tensors);

// The alignment a metadata table asks for (general.alignment or 32); throws taskquant::Error
// if general.alignment is not a UINT32 power of two.
uint32_t ggufAlignment(const GgufMetadata& metadata, const std::string& file = "GGUF");

} // namespace taskquant::io
