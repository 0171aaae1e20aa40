#include "core/quant/precision.h"

#include <cctype>
#include <regex>

#include "core/quant/sizes.h"
#include "core/util/error.h"

namespace taskquant::quant {

namespace {
int64_t numelOf(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}
int64_t rowLength(const std::vector<int64_t>& shape) {
    return shape.empty() ? 1 : shape.back();
}
uint64_t ceilDiv(uint64_t a, uint64_t b) {
    return (a + b - 1) / b;
}

// ggml's block formats: name, format, bits per stored code, weights and bytes per block
// (ggml-common.h's block_* structs).
struct BlockFormat {
    const char* name;
    Format format;
    int bits;
    int64_t weights;
    int64_t bytes;
};
const BlockFormat kBlockFormats[] = {
    {"q4_0", Format::Q4_0, 4, 32, 18},     {"q4_1", Format::Q4_1, 4, 32, 20},
    {"q5_0", Format::Q5_0, 5, 32, 22},     {"q5_1", Format::Q5_1, 5, 32, 24},
    {"q8_0", Format::Q8_0, 8, 32, 34},     {"q2_k", Format::Q2_K, 2, 256, 84},
    {"q3_k", Format::Q3_K, 3, 256, 110},   {"q4_k", Format::Q4_K, 4, 256, 144},
    {"q5_k", Format::Q5_K, 5, 256, 176},   {"q6_k", Format::Q6_K, 6, 256, 210},
    {"iq4_nl", Format::IQ4_NL, 4, 32, 18}, {"iq4_xs", Format::IQ4_XS, 4, 256, 136},
};
const BlockFormat* blockFormat(Format f) {
    for (const auto& b : kBlockFormats)
        if (b.format == f)
            return &b;
    return nullptr;
}
} // namespace

const std::vector<std::string>& Precision::ggufBlockNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& b : kBlockFormats)
            v.emplace_back(b.name);
        return v;
    }();
    return names;
}

GgufBlock Precision::ggufBlock() const {
    const BlockFormat* b = blockFormat(format);
    return b ? GgufBlock{b->weights, b->bytes} : GgufBlock{};
}

std::vector<Precision> Precision::parseList(const std::string& list) {
    std::vector<Precision> out;
    std::size_t begin = 0;
    while (begin <= list.size()) {
        std::size_t end = list.find(',', begin);
        if (end == std::string::npos)
            end = list.size();
        std::size_t a = begin, b = end;
        while (a < b && std::isspace(static_cast<unsigned char>(list[a])))
            ++a;
        while (b > a && std::isspace(static_cast<unsigned char>(list[b - 1])))
            --b;
        if (b > a)
            out.push_back(parse(list.substr(a, b - a)));
        begin = end + 1;
    }
    return out;
}

Precision Precision::parse(const std::string& name) {
    if (name == "f32")
        return {Format::F32, 32, 0};
    if (name == "f16")
        return {Format::F16, 16, 0};
    if (name == "bf16")
        return {Format::BF16, 16, 0};
    if (name == "nf4")
        return {Format::NF4, 4, 64};
    for (const auto& b : kBlockFormats)
        if (name == b.name)
            return {b.format, b.bits, static_cast<int>(b.weights)};
    static const std::regex re("int(8|4)_(g([0-9]+)|pc)(_asym)?");
    std::smatch m;
    if (std::regex_match(name, m, re)) {
        Precision p;
        p.bits = std::stoi(m[1]);
        p.format = m[4].matched ? Format::IntAsym : Format::IntSym;
        if (m[3].matched) {
            if (m[3].str().size() > 6)
                throw Error("unknown precision '" + name + "': group too large");
            p.groupSize = std::stoi(m[3]);
            if (p.groupSize <= 0 || p.groupSize > 65536)
                throw Error("unknown precision '" + name + "': group size must be 1..65536");
        }
        return p;
    }
    throw Error("unknown precision '" + name +
                "' (expected f32, f16, bf16, int8_g128, int4_g64, int4_pc, int4_g128_asym, nf4, "
                "or a GGUF type: q2_k, q3_k, q4_k, q5_k, q6_k, q4_0, q4_1, q5_0, q5_1, q8_0, "
                "iq4_nl, iq4_xs)");
}

std::string Precision::name() const {
    switch (format) {
    case Format::F32:
        return "f32";
    case Format::F16:
        return "f16";
    case Format::BF16:
        return "bf16";
    case Format::NF4:
        return "nf4";
    case Format::IntSym:
    case Format::IntAsym:
        return "int" + std::to_string(bits) + "_" +
               (groupSize == 0 ? std::string("pc") : "g" + std::to_string(groupSize)) +
               (format == Format::IntAsym ? "_asym" : "");
    default:
        break;
    }
    if (const BlockFormat* b = blockFormat(format))
        return b->name;
    return "?";
}

bool Precision::supportsShape(const std::vector<int64_t>& shape) const {
    const GgufBlock b = ggufBlock();
    return b.weights == 0 || rowLength(shape) % b.weights == 0;
}

uint64_t Precision::bytes(const std::vector<int64_t>& shape) const {
    const uint64_t n = static_cast<uint64_t>(numelOf(shape));
    const uint64_t row = static_cast<uint64_t>(rowLength(shape));
    const uint64_t rows = row == 0 ? 0 : n / row;
    switch (format) {
    case Format::F32:
        return n * 4;
    case Format::F16:
    case Format::BF16:
        return n * 2;
    case Format::NF4:
        return ceilDiv(n, 2) + 4 * ceilDiv(n, 64);
    case Format::IntSym:
    case Format::IntAsym: {
        const uint64_t g = groupSize == 0 ? row : static_cast<uint64_t>(groupSize);
        if (g == 0)
            return 0;
        const uint64_t full = row / g, rest = row % g;
        const uint64_t perScale = format == Format::IntAsym ? 4 : 2;
        uint64_t perRow = full * (ceilDiv(g * bits, 8) + perScale);
        if (rest)
            perRow += ceilDiv(rest * bits, 8) + perScale;
        return rows * perRow;
    }
    default:
        break;
    }
    const GgufBlock b = ggufBlock();
    return b.weights ? ceilDiv(n, static_cast<uint64_t>(b.weights)) * static_cast<uint64_t>(b.bytes)
                     : 0;
}

double Precision::bitsPerWeight(const std::vector<int64_t>& shape) const {
    return quant::bitsPerWeight(bytes(shape), numelOf(shape));
}

} // namespace taskquant::quant
