#pragma once
// The frontier part of the engine screenshot tour (screenshot_tour.h), run after its Fisher
// job on the demo model: a magnitude map, the Compute Frontier dialog
// (engine-10-frontier-dialog.png), the frontier of both maps with an optimal point loaded and
// one tensor edited so the live point is predicted (engine-11-frontier.png), the
// Fisher-vs-magnitude scatter with bootstrap error bars and rank badges
// (engine-12-scatter-confidence.png) and the damage validation of the Fisher map
// (engine-13-validation.png). Returns 0, or 1 with a message on stderr. GUI thread.
class QString;

namespace taskquant::studio {

class MainWindow;

int runFrontierScreenshotTour(MainWindow& window, const QString& directory, const QString& modelDir,
                              const QString& calibration);

} // namespace taskquant::studio
