#pragma once
// Wires the live cost (app/studio/live_cost.h) and the GGUF type choices into the main window,
// from what a StudioContext (studio_context.h) hands it:
// a "Live Cost" dock (shown once a model is open), a permanent status-bar line, the policy editor's
// live-cost line and type delegate shapes, the heatmap's GGUF type menu shapes and cell colouring,
// and the "Apply llama.cpp Mix" menu (Edit menu and heatmap context menu). GUI thread only.
#include <QString>

#include "app/studio/studio_context.h"

class QMainWindow;
class QMenu;

namespace taskquant::views {
class PolicyEditor;
} // namespace taskquant::views

namespace taskquant::studio {

class LiveCostController;

// Creates the controller (owned by `window`) and everything above; `edit` receives the mix
// menu.
LiveCostController* installLiveCost(QMainWindow* window, const StudioContext& context,
                                    views::PolicyEditor* editor, QMenu* edit);

// Fills the context's policy from llama.cpp's mix `name` for its model directory, as one undo
// step (every tensor gets an explicit choice: the type llama-quantize stores). Runs the header
// read on a job; returns its id, or 0 (with the message bar saying why) without a model.
int applyLlamaMix(const StudioContext& context, const QString& name);

} // namespace taskquant::studio
