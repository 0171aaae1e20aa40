#pragma once
// Screenshot tour (taskquant-studio --screenshots DIR): waits until the window's jobs are
// done, then shows every view tab in turn and saves the window as DIR/NN-<view>.png, plus the
// heatmap with a few explicit precisions to show the markers. Returns 0, or 1 with a message
// on stderr when a file cannot be written. Blocks (processing events). GUI thread.
class QString;

namespace taskquant::studio {

class MainWindow;

int runScreenshotTour(MainWindow& window, const QString& directory);

} // namespace taskquant::studio
