#pragma once
// TransferActions: the Task Transfer tab of the main window (views/transfer_view.h) and the
// Analysis action Compute Task Transfer with its dialog; the job it starts on the window's
// JobRunner (transfer_jobs.h: progress in the Jobs panel, Cancel leaves nothing behind).
//  * A finished computation, or an opened transfer JSON (File > Open, result_files.h), fills
//    the tab: the matrix as a heat table with intervals, the verdicts.
//  * Clicking a row of the matrix replaces the editor's choices with that policy's as one
//    undoable step (Edit > Undo restores the previous choices), as loading a frontier point.
// The action is enabled only while a model directory is open. What it needs of the window comes
// in a StudioContext (studio_context.h). GUI thread only.
#include <QList>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>

#include "app/studio/studio_context.h"
#include "app/studio/transfer_jobs.h"

class QAction;
class QMenu;

namespace taskquant::views {
class TransferView;
}

namespace taskquant::studio {

class TransferActions : public QObject {
    Q_OBJECT
  public:
    // Adds the Task Transfer tab to context.tabs.
    TransferActions(StudioContext context, QObject* parent);

    void addAnalysisActions(QMenu* analysis);
    void setModelDirectory(const QString& dir);
    QList<QAction*> actions() const { return actions_; }

    // The job (returns its id); the action asks with a dialog first. request.modelDir unset:
    // the open model.
    int computeTransfer(TransferRequest request);
    // Shows a matrix (a finished job, an opened file, a test).
    void setTransfer(std::shared_ptr<const TransferData> data);
    // Loads the policy labelled `label` into the editor (one undo step); false when the matrix
    // has no such policy.
    bool loadPolicy(const QString& label);

    std::shared_ptr<const TransferData> transfer() const { return data_; }
    views::TransferView* view() const { return view_; }

  private:
    void askTransfer();
    void updateEnabled();

    StudioContext ctx_;
    views::TransferView* view_;
    QAction* compute_;
    QList<QAction*> actions_;
    QString modelDir_;
    std::shared_ptr<const TransferData> data_;
    std::optional<TransferRequest> last_;
};

} // namespace taskquant::studio
