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

namespace taskquant::studio {

// Engine tour (taskquant-studio --engine-screenshots DIR --calibration KIND:FILE MODEL_DIR):
// opens the model, saves the Run Fisher dialog filled in (engine-01-fisher-dialog.png), runs
// Fisher on 32 samples and saves the window while the job runs (engine-02-fisher-running.png)
// and when its map is in the views (engine-03-fisher-done.png), then the Export dialog
// (engine-04-export-dialog.png), then the live-cost tour (live_cost_tour.h: engine-05 ... 09)
// the frontier tour (frontier_tour.h: engine-10 ... 13) and the task-transfer tour
// (transfer_tour.h: engine-14, 15).
// Returns 0, or 1 with a message on stderr.
int runEngineScreenshotTour(MainWindow& window, const QString& directory, const QString& modelDir,
                            const QString& calibration);

} // namespace taskquant::studio
