#include "app/studio/transfer_tour.h"

#include <QTabWidget>
#include <cstdio>

#include "app/studio/job_runner.h"
#include "app/studio/main_window.h"
#include "app/studio/tour_capture.h"
#include "app/studio/transfer_actions.h"
#include "views/transfer_view.h"

namespace taskquant::studio {

int runTransferScreenshotTour(MainWindow& w, const QString& directory, const QString& modelDir) {
    QString failure;
    QObject ctx;
    QObject::connect(w.jobs(), &JobRunner::jobFailed, &ctx,
                     [&](int, const QString&, const QString& m) { failure = m; });
    TransferRequest r;
    r.modelDir = modelDir;
    r.calibrationSamples = 16;
    r.heldOutSamples = 16;
    r.windows = 4;
    r.answerProblems = 8;
    w.transferActions()->computeTransfer(r);
    w.jobs()->waitForIdle(900000);
    if (!failure.isEmpty()) {
        std::fprintf(stderr, "task transfer failed: %s\n", qPrintable(failure));
        return 1;
    }
    views::TransferView* view = w.transferActions()->view();
    w.tabs()->setCurrentWidget(view);
    if (!saveGrab(w, directory, QStringLiteral("engine-14-task-transfer.png")))
        return 1;
    if (view->model()->rowCount() == 0) {
        std::fprintf(stderr, "task transfer: an empty matrix\n");
        return 1;
    }
    w.transferActions()->loadPolicy(view->model()->policyAt(0));
    w.tabs()->setCurrentIndex(0);
    return saveGrab(w, directory, QStringLiteral("engine-15-transfer-policy.png")) ? 0 : 1;
}

} // namespace taskquant::studio
