#pragma once
// The bridge between GGUF's ggml types (core/io/gguf_types.h) and the project's precisions and
// codecs: which ggml type stores a precision, and a GGUF tensor's values as floats.
// F32, F16, BF16 and the block formats of Precision::ggufBlockNames() correspond to the ggml
// type of the same lowercase name (q4_K <-> q4_k). Pure functions, thread-safe.
#include <optional>
#include <vector>

#include "core/io/gguf_reader.h"
#include "core/io/gguf_types.h"
#include "core/quant/precision.h"

namespace taskquant::quant {

// nullopt for precisions GGUF cannot store (int4_g128, nf4, ...).
std::optional<io::GgmlType> ggmlTypeFor(const Precision& precision);
// nullopt for ggml types without a codec here (the IQ1/2/3 families, TQ, MXFP4, integers).
std::optional<Precision> precisionFor(io::GgmlType type);

// The tensor as numel() row-major floats. Throws taskquant::Error naming the file and the
// tensor for types without a codec here or bytes the codec rejects.
std::vector<float> dequantize(const io::GgufFile& file, const io::GgufTensorInfo& tensor);
void dequantize(const io::GgufFile& file, const io::GgufTensorInfo& tensor, float* out);

} // namespace taskquant::quant
