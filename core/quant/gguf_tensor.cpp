#include "core/quant/gguf_tensor.h"

#include "core/quant/codec.h"
#include "core/util/error.h"

namespace taskquant::quant {

namespace {

std::string lowercase(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string decodableNames() {
    std::string s = "f32, f16, bf16";
    for (const auto& n : Precision::ggufBlockNames())
        s += ", " + n;
    return s;
}

} // namespace

std::optional<io::GgmlType> ggmlTypeFor(const Precision& p) {
    if (p.format == Format::F32)
        return io::GgmlType::F32;
    if (p.format == Format::F16)
        return io::GgmlType::F16;
    if (p.format == Format::BF16)
        return io::GgmlType::BF16;
    if (!p.isGgufBlock())
        return std::nullopt;
    const std::string name = p.name();
    for (uint32_t id = 0; id < 64; ++id)
        if (const io::GgmlTypeInfo* info = io::ggmlTypeInfo(id))
            if (lowercase(info->name) == name)
                return info->type;
    return std::nullopt;
}

std::optional<Precision> precisionFor(io::GgmlType type) {
    const io::GgmlTypeInfo* info = io::ggmlTypeInfo(static_cast<uint32_t>(type));
    if (!info)
        return std::nullopt;
    const std::string name = lowercase(info->name);
    if (name == "f32" || name == "f16" || name == "bf16")
        return Precision::parse(name);
    for (const auto& n : Precision::ggufBlockNames())
        if (n == name)
            return Precision::parse(name);
    return std::nullopt;
}

void dequantize(const io::GgufFile& file, const io::GgufTensorInfo& t, float* out) {
    const auto precision = precisionFor(t.type);
    if (!precision)
        throw Error(file.path(),
                    "tensor '" + t.name + "' has type " + io::ggmlTypeName(t.type) +
                        ", which cannot be dequantised here (supported: " + decodableNames() + ")");
    try {
        decode(*precision, file.data(t), static_cast<std::size_t>(t.nbytes), t.shape, out);
    } catch (const Error& e) {
        throw Error(file.path(), "tensor '" + t.name + "': " + e.what());
    }
}

std::vector<float> dequantize(const io::GgufFile& file, const io::GgufTensorInfo& t) {
    std::vector<float> out(static_cast<std::size_t>(t.numel()));
    dequantize(file, t, out.data());
    return out;
}

} // namespace taskquant::quant
