#pragma once
// StudioContext: what the studio's helpers (EngineActions, FrontierActions, the live-cost
// wiring) are handed by the window that creates them, instead of reaching back into MainWindow
// through a pointer: the job runner, the project's maps, the policy and selection models, the
// message bar, the tab widget and heatmap they show results in, and the editor's current policy.
// The window fills it once, before creating the helpers; the pointers outlive them (children
// of the window). Plain struct, GUI thread only. It includes no helper's header, so no header
// of app/studio includes another in a loop.
#include <QString>
#include <functional>
#include <memory>
#include <vector>

#include "app/studio/studio_jobs.h"
#include "core/quant/precision.h"

class QTabWidget;
class QWidget;

namespace taskquant::exporting {
struct LiveCostModel;
} // namespace taskquant::exporting

namespace taskquant::policy {
class ErrorTable;
} // namespace taskquant::policy

namespace taskquant::views {
class HeatmapView;
class MapListModel;
class PolicyModel;
class TensorSelection;
} // namespace taskquant::views

namespace taskquant::studio {

class JobRunner;
class MessageBar;

struct StudioContext {
    QWidget* window = nullptr; // parent of the helpers' dialogs
    JobRunner* jobs = nullptr;
    views::MapListModel* maps = nullptr;
    views::PolicyModel* policy = nullptr;
    views::TensorSelection* selection = nullptr;
    MessageBar* messageBar = nullptr;
    QTabWidget* tabs = nullptr;
    views::HeatmapView* heatmap = nullptr;
    // The model directory open now ("" when none).
    std::function<QString()> modelDirectory;
    // The policy editor's explicit choices and default precision.
    std::function<Choices()> choices;
    std::function<quant::Precision()> defaultPrecision;
    // Adds maps to the project (MainWindow::addMaps); writes the current tab's plot.
    std::function<void(const std::vector<MapPtr>& maps, int focus)> addMaps;
    std::function<int(const QString& path)> exportPlot;
    // The live cost's model layout (exact GGUF sizes), or null while none is loaded.
    std::function<const exporting::LiveCostModel*()> sizeModel;
    // The live cost's damage inputs: an error table weighted by the task text's Fisher (a
    // frontier's: its predicted KLD is then in nats), and the measured KLD of the editor's
    // policy after an evaluation ("measured 0.011" beside the prediction).
    std::function<void(std::shared_ptr<const policy::ErrorTable>)> damageTable;
    std::function<void(double kld)> policyMeasured;
};

} // namespace taskquant::studio
