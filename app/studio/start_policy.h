#pragma once
// The start policy: when a model directory opens and the editor holds no policy (no choices,
// nothing to undo), the editor starts from llama.cpp's Q4_K_M mix for that model, tensor by
// tensor as llama-quantize chooses it (core/policy/recipes.h, the mix `taskquant policy
// --recipe Q4_K_M` writes), with the default precision q4_k, labelled "llama.cpp Q4_K_M (start
// policy)". It is not an edit: the undo history stays empty and clean, so the live cost shows no
// change "since the last edit" until one is made. Chosen on a JobRunner job; a policy loaded or
// an edit made meanwhile wins. GUI thread only.
namespace taskquant::studio {

class MainWindow;

// Returns the job id, or 0 when the editor already holds a policy or no model is open.
int applyStartPolicy(MainWindow* window);

} // namespace taskquant::studio
