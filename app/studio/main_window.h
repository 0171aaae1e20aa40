#pragma once
// MainWindow: menus, docks and wiring; no analysis of its own. The views (views/) show the
// maps of the project; every file and engine operation runs through the JobRunner; the
// shared TensorSelection and PolicyModel connect the views. GUI thread only.
#include <QMainWindow>
#include <memory>

#include "app/studio/engine_jobs.h"
#include "app/studio/map_roles.h"
#include "app/studio/recent_files.h"
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

class EvaluationResultDialog;
class JobRunner;
class JobsPanel;
class ProjectPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Directories open as model directories, files as maps (.json) or policies.
    void openPaths(const QStringList& paths);
    void openMaps(const QStringList& files);
    void openModelDirectory(const QString& dir);
    // Starts the CSV export job of the heatmap's map; returns the job id (0 if no map).
    int exportCsv(const QString& path);
    bool exportPlot(const QString& path, QString* error);
    // Starts the optimal allocation job for the heatmap's map; returns the job id (0 if none).
    int optimise(double averageBits);
    bool savePolicy(const QString& path, QString* error);

    // Engine jobs (each returns the job id; results arrive on the GUI thread). The menu actions
    // show a dialog that builds the request; tests call these with a request directly.
    // The model directory opened last ("" when none); the engine actions need it.
    QString modelDirectory() const { return modelDir_; }
    int runFisher(const FisherRequest& request);
    int runMagnitude(const MagnitudeRequest& request);
    int evaluatePolicy(const EvaluationRequest& request);
    int exportModel(const ExportRequest& request);
    // Writes the heatmap's map atomically; returns the job id (0 if no map).
    int saveMap(const QString& path);
    // The policy editor's explicit choices and default precision as requests carry them.
    Choices currentChoices() const;
    quant::Precision defaultPrecision() const { return defaultPrecision_; }
    EvaluationPtr lastEvaluation() const { return lastEvaluation_; }
    EvaluationResultDialog* evaluationDialog() const { return evaluationDialog_; }
    QList<QAction*> engineActions() const { return engineActions_; }

    JobRunner* jobs() const { return jobs_; }
    views::MapListModel* maps() const { return maps_; }
    views::PolicyModel* policy() const { return policy_; }
    views::TensorSelection* selection() const { return selection_; }
    views::HeatmapView* heatmapView() const { return heatmap_; }
    views::ScatterView* scatterView() const { return scatter_; }
    views::TaskDiffView* diffView() const { return diff_; }
    views::RegionsView* regionsView() const { return regions_; }
    views::PolicyEditor* policyEditor() const { return editor_; }
    QTabWidget* tabs() const { return tabs_; }

  protected:
    void dragEnterEvent(QDragEnterEvent*) override;
    void dropEvent(QDropEvent*) override;
    void closeEvent(QCloseEvent*) override;

  private:
    void createMenus();
    void createEngineActions(QMenu* file, QMenu* analysis);
    // Adds maps to the project; `focus` (an index into `maps`, or -1) becomes the heatmap's
    // map (Fisher) or the scatter's magnitude map.
    void addMaps(const std::vector<MapPtr>& maps, int focus = -1);
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
    QMenu* recentMenu_ = nullptr;
    QString modelDir_;
    QList<QAction*> engineActions_;
    QAction* saveMapAction_ = nullptr;
    FisherRequest lastFisher_;
    QString lastEvalText_;
    EvaluationPtr lastEvaluation_;
    EvaluationResultDialog* evaluationDialog_ = nullptr;
    RecentFiles recent_;
};

} // namespace taskquant::studio
