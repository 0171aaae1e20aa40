#pragma once
// What the screenshot tours (screenshot_tour.h, live_cost_tour.h, frontier_tour.h) share:
// letting queued work and repaints settle, and saving a picture as DIR/NAME (PNG), printing
// its path on stdout or a message on stderr. GUI thread; blocks while it processes events.
class QPixmap;
class QString;
class QWidget;

namespace taskquant::studio {

// Processes events for about 0.2 s so layouts, queued replots and repaints are done.
void settleEvents();
// Saves p as directory/name; false (with a message on stderr) when it cannot be written.
bool savePixmap(const QPixmap& p, const QString& directory, const QString& name);
// settleEvents(), then saves the widget as it is drawn.
bool saveGrab(QWidget& w, const QString& directory, const QString& name);

} // namespace taskquant::studio
