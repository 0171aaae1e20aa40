#include "app/studio/window_grab.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QPixmap>
#include <QString>
#include <algorithm>
#include <cstdio>

#include "app/studio/job_runner.h"
#include "app/studio/main_window.h"
#include "app/studio/tour_capture.h"

namespace taskquant::studio {

int grabWhenLoaded(MainWindow& w, const QString& png, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    int quiet = 0;
    while (quiet < 2) {
        if (deadline.hasExpired()) {
            std::fprintf(stderr, "taskquant-studio: --grab: the jobs did not finish in %d s\n",
                         timeoutMs / 1000);
            return 1;
        }
        settleEvents();
        quiet = w.jobs()->runningCount() == 0 ? quiet + 1 : 0;
        if (quiet == 0)
            w.jobs()->waitForIdle(int(std::min<qint64>(deadline.remainingTime(), 1000)));
    }
    const QPixmap p = w.grab();
    if (!p.save(png, "PNG")) {
        std::fprintf(stderr, "taskquant-studio: %s: cannot write the picture\n", qPrintable(png));
        return 1;
    }
    std::printf("%s\n", qPrintable(QFileInfo(png).absoluteFilePath()));
    return 0;
}

} // namespace taskquant::studio
