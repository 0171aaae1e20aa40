#pragma once
// A Hugging Face model card (README.md) for an exported GGUF, in the Hub's conventions:
// YAML front matter between "---" lines (base_model, tags: [gguf, taskquant], quantized_by,
// pipeline_tag: text-generation), then Markdown: what the file is, the calibration task and
// the budget, predicted and measured damage, the per-tensor type table (read back from the
// written GGUF itself), the frontier figure (copied beside the card when given), the task
// metrics of an evaluation report, and how to reproduce the file with the CLI (and with
// llama-quantize --tensor-type-file). Written atomically. Blocking (reads the GGUF's header).
#include <string>

#include "core/export/gguf_story.h"

namespace taskquant::exporting {

struct ModelCardInput {
    std::string modelDir;       // the checkpoint that was exported
    std::string ggufPath;       // the written GGUF
    std::string imatrixPath;    // the importance matrix used, if any
    GgufStory story;            // as written into the GGUF
    std::string evalReport;     // taskquant eval --report JSON, optional (task metrics table)
    std::string frontierFigure; // PNG / SVG of the size-quality frontier, optional
};

// The card's text. Throws taskquant::Error naming a file that cannot be read.
std::string modelCardText(const ModelCardInput& in, const std::string& figureLink = {});
// Writes the card to `path` (and copies the frontier figure beside it when one is given).
void writeModelCard(const std::string& path, const ModelCardInput& in);

// A YAML scalar for the front matter: plain when safe, else double-quoted with escapes.
std::string yamlScalar(const std::string& s);

} // namespace taskquant::exporting
