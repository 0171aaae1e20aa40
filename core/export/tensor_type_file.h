#pragma once
// llama.cpp tensor-type file for `llama-quantize --tensor-type-file`: one line
// "<GGUF tensor name>=<ggml type name>" for every weight matrix of the GGUF plan (the same types
// exportGguf writes; vectors, norms and biases stay F32 and are not listed). Written atomically.
#include <string>

#include "core/export/gguf_export.h"

namespace taskquant::exporting {

std::string tensorTypeFileText(const GgufPlan& plan);
// Plans the model directory under the policy and writes the file; returns the notes.
std::vector<std::string> exportTensorTypeFile(const std::string& modelDir,
                                              const policy::Policy& policy,
                                              const std::string& outPath);

} // namespace taskquant::exporting
