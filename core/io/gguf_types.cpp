#include "core/io/gguf_types.h"

#include <limits>

#include "core/util/error.h"
#include "core/util/shape.h"

namespace taskquant::io {

namespace {
// Block geometry from ggml's type_traits (ggml.c) and block structs (ggml-common.h).
const GgmlTypeInfo kTypes[] = {
    {GgmlType::F32, "f32", 1, 4},
    {GgmlType::F16, "f16", 1, 2},
    {GgmlType::Q4_0, "q4_0", 32, 18},
    {GgmlType::Q4_1, "q4_1", 32, 20},
    {GgmlType::Q5_0, "q5_0", 32, 22},
    {GgmlType::Q5_1, "q5_1", 32, 24},
    {GgmlType::Q8_0, "q8_0", 32, 34},
    {GgmlType::Q8_1, "q8_1", 32, 36},
    {GgmlType::Q2_K, "q2_K", 256, 84},
    {GgmlType::Q3_K, "q3_K", 256, 110},
    {GgmlType::Q4_K, "q4_K", 256, 144},
    {GgmlType::Q5_K, "q5_K", 256, 176},
    {GgmlType::Q6_K, "q6_K", 256, 210},
    {GgmlType::Q8_K, "q8_K", 256, 292},
    {GgmlType::IQ2_XXS, "iq2_xxs", 256, 66},
    {GgmlType::IQ2_XS, "iq2_xs", 256, 74},
    {GgmlType::IQ3_XXS, "iq3_xxs", 256, 98},
    {GgmlType::IQ1_S, "iq1_s", 256, 50},
    {GgmlType::IQ4_NL, "iq4_nl", 32, 18},
    {GgmlType::IQ3_S, "iq3_s", 256, 110},
    {GgmlType::IQ2_S, "iq2_s", 256, 82},
    {GgmlType::IQ4_XS, "iq4_xs", 256, 136},
    {GgmlType::I8, "i8", 1, 1},
    {GgmlType::I16, "i16", 1, 2},
    {GgmlType::I32, "i32", 1, 4},
    {GgmlType::I64, "i64", 1, 8},
    {GgmlType::F64, "f64", 1, 8},
    {GgmlType::IQ1_M, "iq1_m", 256, 56},
    {GgmlType::BF16, "bf16", 1, 2},
    {GgmlType::TQ1_0, "tq1_0", 256, 54},
    {GgmlType::TQ2_0, "tq2_0", 256, 66},
    {GgmlType::MXFP4, "mxfp4", 32, 17},
};
} // namespace

const GgmlTypeInfo* ggmlTypeInfo(uint32_t id) {
    for (const auto& t : kTypes)
        if (static_cast<uint32_t>(t.type) == id)
            return &t;
    return nullptr;
}

const GgmlTypeInfo& ggmlTypeInfo(GgmlType type) {
    const GgmlTypeInfo* info = ggmlTypeInfo(static_cast<uint32_t>(type));
    if (!info)
        throw Error("unknown ggml type " + std::to_string(static_cast<uint32_t>(type)));
    return *info;
}

std::string ggmlTypeName(GgmlType type) {
    const GgmlTypeInfo* info = ggmlTypeInfo(static_cast<uint32_t>(type));
    return info ? info->name : "type " + std::to_string(static_cast<uint32_t>(type));
}

uint64_t ggmlTensorBytes(GgmlType type, const std::vector<int64_t>& shape,
                         const std::string& what) {
    const GgmlTypeInfo& info = ggmlTypeInfo(type);
    int64_t numel;
    try {
        numel = checkedNumel(shape);
    } catch (const Error& e) {
        throw Error(what + ": " + e.what());
    }
    const int64_t row = shape.empty() ? 1 : shape.back();
    if (row % info.blockSize != 0)
        throw Error(what + ": row length " + std::to_string(row) + " is not a multiple of " +
                    std::to_string(info.blockSize) + ", the block size of " + info.name);
    const uint64_t blocks = static_cast<uint64_t>(numel / info.blockSize);
    if (blocks > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(info.typeSize))
        throw Error(what + ": tensor too large");
    return blocks * static_cast<uint64_t>(info.typeSize);
}

} // namespace taskquant::io
