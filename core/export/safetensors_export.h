#pragma once
// Hugging Face safetensors directory export under a policy: model.safetensors holds every
// tensor fake-quantized at its policy precision (after exporting::fitPrecision's shape fallback,
// exactly the values the in-memory evaluation uses) and cast back to the checkpoint's original
// dtype; config.json, generation_config.json and the tokenizer files are copied; the policy is
// written beside them as taskquant_policy.json. The result loads in transformers and in this app.
//
// Streaming (one tensor at a time) and atomic for the whole directory: everything is written to
// a temporary sibling directory which is renamed onto `outDir` at the end (an existing `outDir`
// is replaced only then). A failure or cancel removes the temporary directory and leaves any
// previous `outDir` intact. Blocking; progress in bytes; cancellable between tensors.
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/policy/policy.h"
#include "core/quant/importance_lookup.h"

namespace taskquant::exporting {

struct DirectoryExportResult {
    uint64_t bytes = 0;              // total bytes written
    std::vector<std::string> notes;  // shape fallbacks
    std::vector<std::string> copied; // files copied from the model directory
};

DirectoryExportResult exportSafetensorsDirectory(const std::string& modelDir,
                                                 const policy::Policy& policy,
                                                 const std::string& outDir,
                                                 const JobControl& job = {},
                                                 const quant::ImportanceLookup& importance = {});

// Files copied next to the weights when the model directory has them.
const std::vector<std::string>& companionFiles();

} // namespace taskquant::exporting
