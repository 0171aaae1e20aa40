// taskquant-studio: starts the GUI. Arguments: model directories and the files the CLI writes
// (maps, policies, error tables, frontiers, validations, task transfers) to open; --grab FILE.png
// saves the window once they are loaded and quits.
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <cstdio>

#include "app/studio/language.h"
#include "app/studio/main_window.h"
#include "app/studio/screenshot_tour.h"
#include "app/studio/window_grab.h"
#include "core/jobs/runtime.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    Q_INIT_RESOURCE(studio); // resources of the static taskquant_studio_lib
    QApplication::setOrganizationName(QStringLiteral("TaskQuant"));
    QApplication::setApplicationName(QStringLiteral("TaskQuant Studio"));
    QApplication::setApplicationVersion(QStringLiteral(TASKQUANT_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/taskquant-studio.svg")));
    taskquant::studio::installTranslation(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Explore task sensitivity maps and choose per-layer precision."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("paths"),
        QApplication::translate("main", "Model directories and result files (maps, "
                                        "policies, error tables, frontiers, "
                                        "validations, task transfers)."),
        QStringLiteral("[paths...]"));
    const QCommandLineOption screenshots(
        QStringLiteral("screenshots"),
        QApplication::translate("main", "Save a PNG of every view into <dir>, then quit."),
        QStringLiteral("dir"));
    parser.addOption(screenshots);
    const QCommandLineOption engineShots(
        QStringLiteral("engine-screenshots"),
        QApplication::translate("main",
                                "Run Fisher on the model directory given and save PNGs "
                                "of the engine dialogs and the result into <dir>, then quit."),
        QStringLiteral("dir"));
    parser.addOption(engineShots);
    const QCommandLineOption calibration(
        QStringLiteral("calibration"),
        QApplication::translate("main", "Calibration data for --engine-screenshots."),
        QStringLiteral("kind:file"));
    parser.addOption(calibration);
    const QCommandLineOption grab(
        QStringLiteral("grab"),
        QApplication::translate("main", "Once the files given are loaded, save a picture of the "
                                        "window as <png>, then quit."),
        QStringLiteral("png"));
    parser.addOption(grab);
    parser.process(app);
    try {
        taskquant::configureThreads();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "taskquant-studio: %s\n", e.what());
        return 2;
    }

    taskquant::studio::MainWindow window;
    window.show();
    if (parser.isSet(engineShots))
        return taskquant::studio::runEngineScreenshotTour(window, parser.value(engineShots),
                                                          parser.positionalArguments().value(0),
                                                          parser.value(calibration));
    window.openPaths(parser.positionalArguments());
    if (parser.isSet(grab))
        return taskquant::studio::grabWhenLoaded(window, parser.value(grab));
    if (parser.isSet(screenshots))
        return taskquant::studio::runScreenshotTour(window, parser.value(screenshots));
    return app.exec();
}
