#include "app/studio/window_menus.h"

#include <QAction>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QUrl>

#include "app/studio/main_window.h"

namespace taskquant::studio {

namespace {

// The README beside the program: the build tree (build/app/studio -> source root) or an
// installation (<prefix>/libexec/taskquant -> <prefix>/share/doc/taskquant).
QString readmePath() {
    const QDir exe(QCoreApplication::applicationDirPath());
    for (const QString& rel :
         {QStringLiteral("../../../README.md"), QStringLiteral("../../README.md"),
          QStringLiteral("../../share/doc/taskquant/README.md"), QStringLiteral("README.md")}) {
        const QFileInfo f(exe.filePath(rel));
        if (f.isFile())
            return f.canonicalFilePath();
    }
    return {};
}

} // namespace

void addDockToggles(MainWindow* w, QMenu* view) {
    view->addSeparator();
    int n = 0;
    for (QDockWidget* d : w->findChildren<QDockWidget*>()) {
        QAction* a = d->toggleViewAction();
        if (n < 9)
            a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | (Qt::Key_1 + n)));
        ++n;
        view->addAction(a);
    }
}

void addHelpActions(MainWindow* w, QMenu* help) {
    help->addAction(MainWindow::tr("&Workflow"), QKeySequence::HelpContents, w, [w] {
        const QString readme = readmePath();
        QMessageBox box(QMessageBox::Information, MainWindow::tr("Workflow"),
                        MainWindow::tr("<b>From a model to a task-aware GGUF</b>"), QMessageBox::Ok,
                        w);
        box.setObjectName(QStringLiteral("workflowHelp"));
        box.setTextFormat(Qt::RichText);
        box.setInformativeText(
            MainWindow::tr(
                "<ol>"
                "<li>File &gt; Open Model Directory (Ctrl+Shift+O): the editor starts from "
                "llama.cpp's Q4_K_M for the model; the Live Cost dock shows size and damage.</li>"
                "<li>Analysis &gt; Run Fisher… on your task's data (or File &gt; Open… the maps "
                "<code>taskquant fisher</code> wrote), and Run Magnitude… for comparison.</li>"
                "<li>Read the maps: Heatmap, Fisher vs Magnitude, Task Diff, Regions.</li>"
                "<li>Analysis &gt; Compute Frontier… (Ctrl+Shift+F): uniform types, llama.cpp "
                "mixes and optimal allocations on the task; click a point to load its policy.</li>"
                "<li>Edit the policy (heatmap: drag or arrows + Space; Policy tab), watch its "
                "cost, Evaluate Policy… and Validate Damage Model…</li>"
                "<li>File &gt; Save Policy (Ctrl+S) and Export Quantized Model… (Ctrl+Shift+E): "
                "GGUF for llama.cpp.</li>"
                "</ol>"
                "<p>The same on the command line: <code>taskquant demo</code> runs all of it on "
                "the embedded demo model and opens the result here.</p>") +
            (readme.isEmpty()
                 ? MainWindow::tr("<p>The README describes every step.</p>")
                 : MainWindow::tr("<p>Every step in detail: <a href=\"%1\">%2</a></p>")
                       .arg(QUrl::fromLocalFile(readme).toString(), readme.toHtmlEscaped())));
        box.setTextInteractionFlags(Qt::TextBrowserInteraction);
        box.exec();
    });
    QAction* open = help->addAction(MainWindow::tr("Open &README"), w, [] {
        const QString readme = readmePath();
        if (!readme.isEmpty())
            QDesktopServices::openUrl(QUrl::fromLocalFile(readme));
    });
    open->setEnabled(!readmePath().isEmpty());
    help->addSeparator();
}

} // namespace taskquant::studio
