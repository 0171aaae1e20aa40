#include "app/studio/frontier_tour.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QTabWidget>
#include <QThread>
#include <cmath>
#include <cstdio>

#include "app/studio/frontier_actions.h"
#include "app/studio/frontier_dialogs.h"
#include "app/studio/job_runner.h"
#include "app/studio/main_window.h"
#include "app/studio/tour_capture.h"
#include "views/frontier_view.h"
#include "views/heatmap_view.h"
#include "views/map_list_model.h"
#include "views/policy_model.h"
#include "views/scatter_view.h"

namespace taskquant::studio {

int runFrontierScreenshotTour(MainWindow& w, const QString& directory, const QString& modelDir,
                              const QString& calibration) {
    QString failure;
    QObject ctx;
    QObject::connect(w.jobs(), &JobRunner::jobFailed, &ctx,
                     [&](int, const QString&, const QString& m) { failure = m; });
    auto waitOk = [&](const char* what) {
        w.jobs()->waitForIdle(900000);
        if (!failure.isEmpty()) {
            std::fprintf(stderr, "%s failed: %s\n", what, qPrintable(failure));
            return false;
        }
        return true;
    };
    const MapPtr fisher = w.heatmapView()->map();
    MagnitudeRequest mr;
    mr.modelDir = modelDir;
    w.runMagnitude(mr);
    if (!waitOk("magnitude"))
        return 1;
    // The Fisher map stays the heatmap's; the magnitude map pairs with it in the scatter.
    const MapPtr magnitude = w.maps()->maps().back();

    const int colon = calibration.indexOf(QLatin1Char(':'));
    FrontierRequest r;
    r.task.modelDir = modelDir;
    r.task.datasetKind = calibration.left(colon);
    r.task.dataFile = calibration.mid(colon + 1);
    r.task.ctx = 128;
    r.task.chunks = 8;
    r.bits = QStringLiteral("7,7.25,7.5,7.75,8,8.5");
    r.maps = {fisher, magnitude};
    r.predictionMap = fisher;
    {
        FrontierDialog d(modelDir, w.maps()->maps(), {true, true}, &w);
        d.setRequest(r);
        d.show();
        if (!saveGrab(d, directory, QStringLiteral("engine-10-frontier-dialog.png")))
            return 1;
    }
    FrontierActions* fa = w.frontierActions();
    fa->computeFrontier(r);
    if (!waitOk("frontier"))
        return 1;
    // Load the Fisher-optimal point nearest 7.5 bits, then keep one more tensor at f16: the live
    // point leaves the line and is predicted.
    const auto f = fa->frontier();
    int pick = -1;
    for (int i = 0; i < int(f->points.size()); ++i)
        if (f->points[std::size_t(i)].family() == QLatin1String("Fisher-optimal") &&
            (pick < 0 || std::abs(f->points[std::size_t(i)].budgetBits - 7.5) <
                             std::abs(f->points[std::size_t(pick)].budgetBits - 7.5)))
            pick = i;
    if (pick >= 0)
        fa->loadPoint(pick);
    w.policy()->setPrecision({QStringLiteral("model.layers.1.mlp.down_proj.weight")},
                             quant::Precision::parse("f16"));
    w.tabs()->setCurrentWidget(fa->frontierView());
    if (!saveGrab(w, directory, QStringLiteral("engine-11-frontier.png")))
        return 1;

    w.scatterView()->setShowErrorBars(true);
    w.tabs()->setCurrentWidget(w.scatterView());
    if (!saveGrab(w, directory, QStringLiteral("engine-12-scatter-confidence.png")))
        return 1;

    ValidationRequest vr;
    vr.task = r.task;
    vr.map = fisher;
    vr.tensors = QStringLiteral("all");
    fa->validate(vr);
    if (!waitOk("validate"))
        return 1;
    return saveGrab(w, directory, QStringLiteral("engine-13-validation.png")) ? 0 : 1;
}

} // namespace taskquant::studio
