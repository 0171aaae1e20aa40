#include "app/studio/screenshot_tour.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QTabWidget>
#include <QThread>
#include <cstdio>

#include "app/studio/engine_dialogs.h"
#include "app/studio/frontier_tour.h"
#include "app/studio/job_runner.h"
#include "app/studio/live_cost.h"
#include "app/studio/live_cost_tour.h"
#include "app/studio/main_window.h"
#include "app/studio/tour_capture.h"
#include "app/studio/transfer_tour.h"
#include "views/heatmap_view.h"
#include "views/map_list_model.h"
#include "views/policy_model.h"
#include "views/precision_choice.h"

namespace taskquant::studio {

int runScreenshotTour(MainWindow& w, const QString& directory) {
    if (!QDir().mkpath(directory)) {
        std::fprintf(stderr, "%s: cannot create the directory\n", qPrintable(directory));
        return 1;
    }
    w.jobs()->waitForIdle(60000);
    settleEvents();
    auto save = [&](const QString& name) { return saveGrab(w, directory, name); };
    static const char* const names[] = {"heatmap", "scatter", "task-diff", "regions", "policy"};
    for (int i = 0; i < w.tabs()->count() && i < 5; ++i) {
        w.tabs()->setCurrentIndex(i);
        if (!save(QStringLiteral("%1-%2.png")
                      .arg(i + 1, 2, 10, QLatin1Char('0'))
                      .arg(QLatin1String(names[i]))))
            return 1;
    }
    // The heatmap again with markers: keep layer 29, layer 0 v_proj and lm_head at 16-bit,
    // quantize layers 10-12 to 4-bit.
    w.tabs()->setCurrentIndex(0);
    views::PolicyModel* p = w.policy();
    QStringList keep{QStringLiteral("lm_head.weight"),
                     QStringLiteral("model.layers.0.self_attn.v_proj.weight")};
    QStringList quantize;
    for (const char* k : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                          "self_attn.dense", "mlp.fc1", "mlp.fc2"}) {
        keep << QStringLiteral("model.layers.29.%1.weight").arg(QLatin1String(k));
        for (int l = 10; l <= 12; ++l)
            quantize << QStringLiteral("model.layers.%1.%2.weight").arg(l).arg(QLatin1String(k));
    }
    p->setPrecision(keep, views::precisionOf(views::PrecisionChoice::Keep16));
    p->setPrecision(quantize, views::precisionOf(views::PrecisionChoice::Int4));
    return save(QStringLiteral("06-heatmap-policy.png")) ? 0 : 1;
}

int runEngineScreenshotTour(MainWindow& w, const QString& directory, const QString& modelDir,
                            const QString& calibration) {
    if (!QDir().mkpath(directory)) {
        std::fprintf(stderr, "%s: cannot create the directory\n", qPrintable(directory));
        return 1;
    }
    const int colon = calibration.indexOf(QLatin1Char(':'));
    if (modelDir.isEmpty() || colon <= 0) {
        std::fprintf(stderr,
                     "--engine-screenshots needs a model directory and --calibration KIND:FILE\n");
        return 1;
    }
    w.openModelDirectory(modelDir);
    w.jobs()->waitForIdle(60000);
    if (w.modelDirectory().isEmpty()) {
        std::fprintf(stderr, "%s: could not open the model directory\n", qPrintable(modelDir));
        return 1;
    }
    FisherRequest r;
    r.modelDir = modelDir;
    r.datasetKind = calibration.left(colon);
    r.dataFile = calibration.mid(colon + 1);
    r.samples = 32;
    r.maxLength = 128;
    r.exactLoop = true;
    FisherDialog dialog(modelDir, &w);
    dialog.setRequest(r);
    dialog.show();
    if (!saveGrab(dialog, directory, QStringLiteral("engine-01-fisher-dialog.png")))
        return 1;
    dialog.accept();

    bool shotRunning = false, ok = true;
    QObject ctx;
    QObject::connect(w.jobs(), &JobRunner::jobProgress, &ctx, [&](int, double fraction) {
        if (!shotRunning && fraction > 0.3) {
            shotRunning = true;
            ok = saveGrab(w, directory, QStringLiteral("engine-02-fisher-running.png"));
        }
    });
    QString failure;
    QObject::connect(w.jobs(), &JobRunner::jobFailed, &ctx,
                     [&](int, const QString&, const QString& m) { failure = m; });
    w.runFisher(r);
    w.jobs()->waitForIdle(600000);
    if (!failure.isEmpty()) {
        std::fprintf(stderr, "fisher failed: %s\n", qPrintable(failure));
        return 1;
    }
    w.tabs()->setCurrentIndex(0);
    if (!ok || !saveGrab(w, directory, QStringLiteral("engine-03-fisher-done.png")))
        return 1;
    if (!saveLiveCostShots(w, directory))
        return 1;
    ExportDialog exportDialog(modelDir, w.currentChoices(), w.defaultPrecision(), &w);
    if (w.liveCost()->cost())
        exportDialog.setSizeModel(w.liveCost()->cost()->model());
    exportDialog.setTaskData(r);
    exportDialog.show();
    if (!saveGrab(exportDialog, directory, QStringLiteral("engine-04-export-dialog.png")))
        return 1;
    exportDialog.close();
    if (const int rc = runFrontierScreenshotTour(w, directory, modelDir, calibration))
        return rc;
    return runTransferScreenshotTour(w, directory, modelDir);
}

} // namespace taskquant::studio
