#pragma once
// The Task Transfer part of the engine screenshot tour (screenshot_tour.h): on the open model
// (the embedded demo model: its tasks arithmetic and stories), computes the cross-task matrix
// with small settings (budgets 3.5 and 4.5 bpw, 16 calibration and held-out problems per task,
// 4 windows of 128 tokens, 8 answer problems), saves the tab with the matrix
// (engine-14-task-transfer.png), clicks the first row and saves the heatmap with that policy
// loaded (engine-15-transfer-policy.png). Returns 0, or 1 with a message on stderr.
// GUI thread; blocks (processing events) while the job runs.
class QString;

namespace taskquant::studio {

class MainWindow;

int runTransferScreenshotTour(MainWindow& window, const QString& directory,
                              const QString& modelDir);

} // namespace taskquant::studio
