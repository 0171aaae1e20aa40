#pragma once
// ggml tensor types as GGUF files store them: ids, names and block geometry. Every id ggml
// defines is known, so that GGUF files produced by llama.cpp (e.g. with IQ2 tensors) can still
// be listed; which of them the project can encode or decode is core/quant/gguf_tensor.h's
// business (io knows file layouts, not codecs). Pure functions, thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskquant::io {

enum class GgmlType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
};

struct GgmlTypeInfo {
    GgmlType type;
    const char* name;  // ggml's name: "f32", "q4_K", ...
    int64_t blockSize; // weights per block (1 for plain types)
    int64_t typeSize;  // bytes per block
};

// nullptr for ids ggml does not define (or this build does not know).
const GgmlTypeInfo* ggmlTypeInfo(uint32_t id);
const GgmlTypeInfo& ggmlTypeInfo(GgmlType type);
std::string ggmlTypeName(GgmlType type);

// Bytes of a tensor of this row-major shape: rows (last dimension) must divide the block
// size. Throws taskquant::Error (naming `what`, e.g. the tensor) on bad shapes or overflow.
uint64_t ggmlTensorBytes(GgmlType type, const std::vector<int64_t>& shape,
                         const std::string& what = "tensor");

} // namespace taskquant::io
