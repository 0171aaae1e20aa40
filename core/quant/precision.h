#pragma once
// A storage precision for one weight tensor, shared by policies (size budgets), codecs and
// exporters. Canonical names (parse() accepts them, name() produces them):
//   f32, f16, bf16                 unquantized
//   int8_g128, int4_g64, int4_g32  group-wise symmetric integers; groups run along each row
//   int4_g128_asym, int8_pc_asym   asymmetric (scale + minimum); "pc" = one group per row
//   nf4                            bitsandbytes NF4: blockwise absmax, block 64, fp32 absmax
//   llama.cpp's (ggml's) block formats, by their lowercase GGUF type names:
//     q4_0 q4_1 q5_0 q5_1 q8_0 iq4_nl   blocks of 32 weights
//     q2_k q3_k q4_k q5_k q6_k iq4_xs   super-blocks of 256 weights
//   (rows must be a multiple of the block; see ggufBlock()).
// Byte layouts (what bytes() counts):
//   int{b}: per group ceil(n*b/8) packed bytes + fp16 scale (+ fp16 minimum if asymmetric);
//           a row's last group may be partial.
//   nf4:    ceil(numel/2) bytes + 4 bytes per block of 64 (over the flattened tensor).
//   ggml blocks: ggufBlock().bytes per ggufBlock().weights, e.g. q8_0 34 per 32, q4_0 18 per
//           32, q4_k 144 per 256, q6_k 210 per 256 (ggml-common.h's block structs).
// Value type, thread-safe.
#include <cstdint>
#include <string>
#include <vector>

namespace taskquant::quant {

enum class Format {
    F32,
    F16,
    BF16,
    IntSym,
    IntAsym,
    NF4,
    // ggml block formats
    Q8_0,
    Q4_0,
    Q4_K,
    Q4_1,
    Q5_0,
    Q5_1,
    Q2_K,
    Q3_K,
    Q5_K,
    Q6_K,
    IQ4_NL,
    IQ4_XS
};

// Geometry of a ggml block format: weights per block and bytes per block.
struct GgufBlock {
    int64_t weights = 0;
    int64_t bytes = 0;
};

struct Precision {
    Format format = Format::F16;
    int bits = 16;     // bits per stored weight value (excluding scales)
    int groupSize = 0; // IntSym/IntAsym: weights per group, 0 = whole row (per channel)

    static Precision parse(const std::string& name); // throws taskquant::Error on unknown names
    // A comma-separated list ("q4_k, q6_k,f16"): each item parse()d, blanks around an item
    // ignored, empty items skipped, order kept; "" gives an empty list. Throws as parse() on
    // the first unknown name. The one parser of every --precisions / --uniform list.
    static std::vector<Precision> parseList(const std::string& list);
    // The lowercase names of ggml's block formats parse() accepts, in llama.cpp's type order.
    static const std::vector<std::string>& ggufBlockNames();
    std::string name() const;
    bool isQuantized() const {
        return format != Format::F32 && format != Format::F16 && format != Format::BF16;
    }
    // Whether this is one of ggml's block formats (q4_0 ... iq4_xs).
    bool isGgufBlock() const { return ggufBlock().weights > 0; }
    // Block geometry of a ggml block format; {0, 0} for the others.
    GgufBlock ggufBlock() const;
    // Whether a tensor of this shape can be stored in this precision (GGUF blocks need rows
    // divisible by their block size).
    bool supportsShape(const std::vector<int64_t>& shape) const;
    // Exact encoded size of a tensor of this shape, scales included.
    uint64_t bytes(const std::vector<int64_t>& shape) const;
    // bytes * 8 / numel (quant::bitsPerWeight of this one tensor, core/quant/sizes.h).
    double bitsPerWeight(const std::vector<int64_t>& shape) const;

    bool operator==(const Precision& o) const {
        return format == o.format && bits == o.bits && groupSize == o.groupSize;
    }
    bool operator!=(const Precision& o) const { return !(*this == o); }
};

} // namespace taskquant::quant
