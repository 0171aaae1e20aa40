#pragma once
// One entry point for the three exports of a model directory under a policy, as the CLI and the
// studio start them: GGUF file, Hugging Face safetensors directory, llama.cpp tensor-type file.
// Every format is atomic: a failure or cancel leaves nothing new at the destination (and any
// previous file or directory intact). Blocking; call from a worker thread; progress and cancel
// through JobControl. Light header (no ATen): the GUI includes it.
#include <cstdint>
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/policy/policy.h"

namespace taskquant::exporting {

enum class ExportFormat { Gguf, SafetensorsDirectory, TensorTypeFile };

// "gguf", "safetensors", "tensor-types" (throws taskquant::Error for anything else).
ExportFormat parseExportFormat(const std::string& id);

struct ModelExportResult {
    uint64_t bytes = 0;             // bytes written (0 for the tensor-type file)
    std::vector<std::string> notes; // fallbacks and substitutions
};

// What a GGUF export records about itself (core/export/gguf_story.h builds the full story;
// this light struct is what callers fill). Ignored by the other formats.
struct ExportStoryOptions {
    bool enabled = false;       // write general.quantized_by and the taskquant.* keys
    std::string baseModel;      // general.base_model.0.name (default: the model directory's name)
    std::string mapPath;        // the map the policy was made from (task, fingerprint), optional
    std::string evalReport;     // taskquant eval --report JSON (measured KLD / PPL), optional
    std::string evalRow;        // its row for this file (default: the only non-baseline row)
    std::string modelCard;      // write a Hugging Face model card (README.md) here, optional
    std::string frontierFigure; // a frontier figure (PNG/SVG) to show in the card, optional
};

// imatrixPath: empty, or an importance matrix file (GGUF or legacy .dat, see
// io/imatrix_file.h) checked against the model; its tensors are quantized importance-weighted
// and a GGUF gets llama-quantize's quantize.imatrix.* keys.
ModelExportResult exportModel(const std::string& modelDir, const policy::Policy& policy,
                              ExportFormat format, const std::string& destination,
                              const JobControl& job = {}, const std::string& imatrixPath = {},
                              const ExportStoryOptions& story = {});

} // namespace taskquant::exporting
