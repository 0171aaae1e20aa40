#pragma once
// The live-cost part of the engine screenshot tour (screenshot_tour.h), on the open model once
// its map is in the views: applies llama.cpp's Q4_K_M mix, edits two cells and saves the window
// with the Live Cost dock (engine-05-live-cost.png), the policy editor with its live-cost line
// (engine-08-policy-live-cost.png), the heatmap coloured by chosen GGUF type
// (engine-06-heatmap-types.png) and by predicted damage (engine-09-heatmap-damage.png), and the
// heatmap's context menu with its GGUF Type submenu on a 96-column tensor, where the K-quants are
// disabled (engine-07-gguf-type-menu.png). Returns false with a message on stderr when a file
// cannot be written. Blocks. GUI thread.
class QString;

namespace taskquant::studio {

class MainWindow;

bool saveLiveCostShots(MainWindow& window, const QString& directory);

} // namespace taskquant::studio
