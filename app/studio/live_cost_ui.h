#pragma once
// Wires the live cost (app/studio/live_cost.h) and the GGUF type choices into a MainWindow:
// a "Live Cost" dock (shown once a model is open), a permanent status-bar line, the policy editor's
// live-cost line and type delegate shapes, the heatmap's GGUF type menu shapes and cell colouring,
// and the "Apply llama.cpp Mix" menu (Edit menu and heatmap context menu). GUI thread only.
#include <QString>

class QMenu;

namespace taskquant::studio {

class LiveCostController;
class MainWindow;

// Creates the controller (owned by the window) and everything above; `edit` receives the mix
// menu.
LiveCostController* installLiveCost(MainWindow* window, QMenu* edit);

// Fills the window's policy from llama.cpp's mix `name` for its model directory, as one undo
// step (every tensor gets an explicit choice: the type llama-quantize stores). Runs the header
// read on a job; returns its id, or 0 (with the message bar saying why) without a model.
int applyLlamaMix(MainWindow* window, const QString& name);

} // namespace taskquant::studio
