#include "app/studio/close_guard.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QUndoStack>
#include <exception>

#include "app/studio/main_window.h"
#include "app/studio/message_bar.h"
#include "app/studio/studio_jobs.h"
#include "views/heatmap_view.h"
#include "views/policy_model.h"

namespace taskquant::studio {

bool confirmPolicyEditsHandled(MainWindow* w, const QString& action) {
    QUndoStack* undo = w->policy()->undoStack();
    if (undo->isClean())
        return true;
    QMessageBox box(QMessageBox::Warning, action,
                    MainWindow::tr("The policy has unsaved edits. Save them first?"),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, w);
    box.setObjectName(QStringLiteral("unsavedPolicyQuestion"));
    box.setInformativeText(MainWindow::tr("%n explicit precision choice(s); default %1.", nullptr,
                                          int(w->currentChoices().size()))
                               .arg(QString::fromStdString(w->defaultPrecision().name())));
    box.setDefaultButton(QMessageBox::Save);
    const int answer = box.exec();
    if (answer == QMessageBox::Discard)
        return true;
    if (answer != QMessageBox::Save)
        return false;
    QString path = QFileDialog::getSaveFileName(w, MainWindow::tr("Save Policy"), QString(),
                                                MainWindow::tr("Policies (*.json)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    try {
        savePolicyJson(w->currentChoices(), w->defaultPrecision(), w->heatmapView()->map(), path);
    } catch (const std::exception& e) {
        w->messageBar()->showError(MainWindow::tr("Save Policy"), QString::fromUtf8(e.what()));
        return false;
    }
    undo->setClean();
    return true;
}

} // namespace taskquant::studio
