#pragma once
// MainWindow: menus, docks and wiring; no analysis of its own. The views (views/) show the
// maps of the project; the shared TensorSelection and PolicyModel connect them. Every file
// operation (open maps or a model directory, load / save a policy, save a map, export CSV or a
// plot) and every engine operation (EngineActions: Fisher, magnitude, evaluation, quantized
// export) runs through the JobRunner; only drawing a plot for export happens on the GUI thread.
// Failures show in the inline MessageBar above the views, never in a modal dialog. GUI thread
// only.
#include <QMainWindow>
#include <memory>

#include "app/studio/engine_jobs.h"
#include "app/studio/map_roles.h"
#include "app/studio/recent_files.h"
#include "app/studio/studio_context.h"
#include "app/studio/studio_jobs.h"
#include "core/quant/precision.h"

class QAction;
class QMenu;
class QTabWidget;

namespace taskquant::views {
class HeatmapView;
class MapListModel;
class PolicyEditor;
class PolicyModel;
class RegionsView;
class ScatterView;
class TaskDiffView;
class TensorSelection;
} // namespace taskquant::views

namespace taskquant::studio {

class EngineActions;
class EvaluationResultDialog;
class FrontierActions;
class TransferActions;
class JobRunner;
class JobsPanel;
class LiveCostController;
class MessageBar;
class ProjectPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Directories open as model directories; files by their kind (result_files.h: maps,
    // policies, error tables, frontiers, validations).
    void openPaths(const QStringList& paths);
    void openMaps(const QStringList& files);
    void openModelDirectory(const QString& dir);
    // Adds maps to the project; `focus` (an index into `maps`, or -1) becomes the heatmap's
    // map (Fisher) or the scatter's magnitude map.
    void addMaps(const std::vector<MapPtr>& maps, int focus = -1);

    // File jobs: each returns the job id, or 0 (with the message bar saying why) when there is
    // nothing to write. Results arrive on the GUI thread.
    // The CSV export of the heatmap's map.
    int exportCsv(const QString& path);
    // The current tab's plot (drawn now, written by the job); the suffix picks the format.
    int exportPlot(const QString& path);
    // The optimal allocation for the heatmap's map.
    int optimise(double budget, bool unitMiB = false);
    // The policy editor's choices and default precision; marks the undo stack clean when done
    // (unless it changed meanwhile).
    int savePolicy(const QString& path);
    // Replaces the editor's choices (one undo step) and the default precision with a file's.
    int loadPolicy(const QString& path);
    // Loads several policy files in this order (one job; each file one undo step); the last
    // one is current.
    int loadPolicies(const QStringList& paths);
    // Shows an error in the message bar; a job started afterwards that succeeds clears it.
    void reportError(const QString& title, const QString& message);
    // Adds paths to File > Open Recent.
    void rememberRecent(const QStringList& paths);
    // Writes the heatmap's map atomically.
    int saveMap(const QString& path);

    // Engine jobs (EngineActions; each returns the job id). The menu actions show a dialog that
    // builds the request; tests call these with a request directly.
    // The model directory opened last ("" when none); the engine actions need it.
    QString modelDirectory() const { return modelDir_; }
    int runFisher(const FisherRequest& request);
    int runMagnitude(const MagnitudeRequest& request);
    int evaluatePolicy(const EvaluationRequest& request);
    int exportModel(const ExportRequest& request);
    // The policy editor's explicit choices and default precision as requests carry them.
    Choices currentChoices() const;
    quant::Precision defaultPrecision() const { return defaultPrecision_; }
    // The default precision everywhere it shows (editor, live cost, status); undo steps and the
    // start policy call it. Not an undo step itself.
    void applyDefaultPrecision(const quant::Precision& p);
    // A policy read from `path` becomes the editor's (one undo step with the default
    // precision; the undo stack is then clean).
    void applyLoadedPolicy(const Choices& choices, const quant::Precision& defaultPrecision,
                           const QString& path);
    // Where the editor's policy came from ("llama.cpp's Q4_K_M for this model", a file), shown
    // with the policy status; "(edited)" is added while it has unsaved edits.
    void setPolicyOrigin(const QString& origin);
    QString policyOrigin() const { return policyOrigin_; }
    EvaluationPtr lastEvaluation() const;
    EvaluationResultDialog* evaluationDialog() const;
    QList<QAction*> engineActions() const;
    EngineActions* engine() const { return engine_; }
    FrontierActions* frontierActions() const { return frontier_; } // Frontier, Validation tabs
    TransferActions* transferActions() const { return transfer_; } // Task Transfer tab
    MessageBar* messageBar() const { return messageBar_; }
    LiveCostController* liveCost() const { return liveCost_; }

    JobRunner* jobs() const { return jobs_; }
    views::MapListModel* maps() const { return maps_; }
    views::PolicyModel* policy() const { return policy_; }
    views::TensorSelection* selection() const { return selection_; }
    views::HeatmapView* heatmapView() const { return heatmap_; }
    views::ScatterView* scatterView() const { return scatter_; }
    views::TaskDiffView* diffView() const { return diff_; }
    views::PolicyEditor* policyEditor() const { return editor_; }
    QTabWidget* tabs() const { return tabs_; }
    // What the window hands its helpers (EngineActions, FrontierActions, the live cost): they
    // get this context, never the window.
    StudioContext studioContext();

  protected:
    void dragEnterEvent(QDragEnterEvent*) override;
    void dropEvent(QDropEvent*) override;
    void closeEvent(QCloseEvent*) override;

  private:
    void createMenus();
    void setModelDirectory(const QString& dir);
    void rebuildRecentMenu();
    void applyRoles(const MapRoles& roles);
    void updatePolicyStatus();
    void showError(const QString& title, const QString& message);
    QString askSavePath(const QString& title, const QString& filter, const QString& suffix);

    JobRunner* jobs_;
    views::MapListModel* maps_;
    views::PolicyModel* policy_;
    views::TensorSelection* selection_;
    quant::Precision defaultPrecision_ = quant::Precision::parse("int4_g128");
    QTabWidget* tabs_;
    views::HeatmapView* heatmap_;
    views::ScatterView* scatter_;
    views::TaskDiffView* diff_;
    views::RegionsView* regions_;
    views::PolicyEditor* editor_;
    ProjectPanel* project_;
    JobsPanel* jobsPanel_;
    MessageBar* messageBar_;
    EngineActions* engine_;
    FrontierActions* frontier_ = nullptr;
    TransferActions* transfer_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    LiveCostController* liveCost_ = nullptr;
    QString modelDir_;
    RecentFiles recent_;
    QString policyOrigin_;
    int failedJob_ = 0;      // jobs up to this id do not clear the error banner
    int lastStartedJob_ = 0; // the id of the job started last
};

// Tests and tours: live_cost_ui.h applyLlamaMix with the window's context.
int applyLlamaMix(MainWindow* window, const QString& name);

} // namespace taskquant::studio
