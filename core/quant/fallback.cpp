#include "core/quant/fallback.h"

namespace taskquant::quant {

Precision llamaFallback(const Precision& requested, int64_t rowLength, std::string* note) {
    if (note)
        note->clear();
    const GgufBlock block = requested.ggufBlock();
    if (block.weights == 0 || rowLength % block.weights == 0)
        return requested;
    const char* next = nullptr;
    switch (requested.format) {
    case Format::Q2_K:
    case Format::Q3_K:
    case Format::IQ4_XS:
        next = "iq4_nl";
        break;
    case Format::Q4_K:
        next = "q5_0";
        break;
    case Format::Q5_K:
        next = "q5_1";
        break;
    case Format::Q6_K:
        next = "q8_0";
        break;
    default:
        break;
    }
    const std::string row = std::to_string(rowLength);
    const std::string need = requested.name() + " needs rows divisible by " +
                             std::to_string(block.weights) + "; row length " + row;
    if (!next) {
        // llama-quantize stops here ("Unsupported tensor size encountered").
        if (note)
            *note = need + " falls back to f16 (llama-quantize has no fallback for " +
                    requested.name() + " and refuses this tensor)";
        return Precision::parse("f16");
    }
    const Precision fb = Precision::parse(next);
    if (rowLength % fb.ggufBlock().weights == 0) {
        if (note)
            *note = need + " falls back to " + fb.name() + " (as llama-quantize)";
        return fb;
    }
    if (note)
        *note = need + " falls back to f16 (as llama-quantize: not even " + fb.name() +
                "'s 32-block fits)";
    return Precision::parse("f16");
}

} // namespace taskquant::quant
