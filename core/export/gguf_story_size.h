#pragma once
// What a story (gguf_story.h) adds to the size of a model directory's GGUF file: its keys
// lengthen the header, which is then padded to the alignment. The studio adds this to its size
// preview (exporting::LiveCost counts the file without a story) so the preview stays exact.
// Blocking (ggufHeaderBase reads config.json, the safetensors headers and the tokenizer);
// the base is immutable and thread-safe to share.
#include <cstdint>
#include <memory>
#include <string>

#include "core/export/gguf_story.h"

namespace taskquant::exporting {

struct GgufHeaderBase; // the metadata and tensor table exportGguf writes before any story

std::shared_ptr<const GgufHeaderBase> ggufHeaderBase(const std::string& modelDir);
// Bytes the story adds to the file (0 for an empty story).
uint64_t ggufStoryBytes(const GgufHeaderBase& base, const GgufStory& story);

} // namespace taskquant::exporting
