#pragma once
// `taskquant-studio [FILES...] --grab FILE.png`: once everything the command line opened has
// loaded (no job running or waiting, twice in a row after the events settled, so jobs started
// by finished jobs count too), the window is saved as a PNG and the program ends. Works on the
// offscreen platform (QT_QPA_PLATFORM=offscreen). Returns the exit status: 0 when written,
// 1 when the picture cannot be written or the jobs did not finish within timeoutMs.
// GUI thread; blocks while it processes events.
class QString;

namespace taskquant::studio {

class MainWindow;

int grabWhenLoaded(MainWindow& window, const QString& png, int timeoutMs = 300000);

} // namespace taskquant::studio
