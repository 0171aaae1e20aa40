#include "core/quant/precision.h"

#include <regex>

#include "core/util/error.h"

namespace taskquant::quant {

namespace {
int64_t numelOf(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}
int64_t rowLength(const std::vector<int64_t>& shape) { return shape.empty() ? 1 : shape.back(); }
uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
} // namespace

Precision Precision::parse(const std::string& name) {
    if (name == "f32") return {Format::F32, 32, 0};
    if (name == "f16") return {Format::F16, 16, 0};
    if (name == "bf16") return {Format::BF16, 16, 0};
    if (name == "nf4") return {Format::NF4, 4, 64};
    if (name == "q8_0") return {Format::Q8_0, 8, 32};
    if (name == "q4_0") return {Format::Q4_0, 4, 32};
    if (name == "q4_k") return {Format::Q4_K, 4, 256};
    static const std::regex re("int(8|4)_(g([0-9]+)|pc)(_asym)?");
    std::smatch m;
    if (std::regex_match(name, m, re)) {
        Precision p;
        p.bits = std::stoi(m[1]);
        p.format = m[4].matched ? Format::IntAsym : Format::IntSym;
        if (m[3].matched) {
            if (m[3].str().size() > 6) throw Error("unknown precision '" + name + "': group too large");
            p.groupSize = std::stoi(m[3]);
            if (p.groupSize <= 0 || p.groupSize > 65536)
                throw Error("unknown precision '" + name + "': group size must be 1..65536");
        }
        return p;
    }
    throw Error("unknown precision '" + name +
                "' (expected f32, f16, bf16, int8_g128, int4_g64, int4_pc, int4_g128_asym, nf4, "
                "q8_0, q4_0 or q4_k)");
}

std::string Precision::name() const {
    switch (format) {
    case Format::F32: return "f32";
    case Format::F16: return "f16";
    case Format::BF16: return "bf16";
    case Format::NF4: return "nf4";
    case Format::Q8_0: return "q8_0";
    case Format::Q4_0: return "q4_0";
    case Format::Q4_K: return "q4_k";
    case Format::IntSym:
    case Format::IntAsym:
        return "int" + std::to_string(bits) + "_" +
               (groupSize == 0 ? std::string("pc") : "g" + std::to_string(groupSize)) +
               (format == Format::IntAsym ? "_asym" : "");
    }
    return "?";
}

bool Precision::supportsShape(const std::vector<int64_t>& shape) const {
    switch (format) {
    case Format::Q8_0:
    case Format::Q4_0: return rowLength(shape) % 32 == 0;
    case Format::Q4_K: return rowLength(shape) % 256 == 0;
    default: return true;
    }
}

uint64_t Precision::bytes(const std::vector<int64_t>& shape) const {
    const uint64_t n = static_cast<uint64_t>(numelOf(shape));
    const uint64_t row = static_cast<uint64_t>(rowLength(shape));
    const uint64_t rows = row == 0 ? 0 : n / row;
    switch (format) {
    case Format::F32: return n * 4;
    case Format::F16:
    case Format::BF16: return n * 2;
    case Format::NF4: return ceilDiv(n, 2) + 4 * ceilDiv(n, 64);
    case Format::Q8_0: return ceilDiv(n, 32) * 34;
    case Format::Q4_0: return ceilDiv(n, 32) * 18;
    case Format::Q4_K: return ceilDiv(n, 256) * 144;
    case Format::IntSym:
    case Format::IntAsym: {
        const uint64_t g = groupSize == 0 ? row : static_cast<uint64_t>(groupSize);
        if (g == 0) return 0;
        const uint64_t full = row / g, rest = row % g;
        const uint64_t perScale = format == Format::IntAsym ? 4 : 2;
        uint64_t perRow = full * (ceilDiv(g * bits, 8) + perScale);
        if (rest) perRow += ceilDiv(rest * bits, 8) + perScale;
        return rows * perRow;
    }
    }
    return 0;
}

double Precision::bitsPerWeight(const std::vector<int64_t>& shape) const {
    const int64_t n = numelOf(shape);
    return n == 0 ? 0.0 : static_cast<double>(bytes(shape)) * 8.0 / static_cast<double>(n);
}

} // namespace taskquant::quant
