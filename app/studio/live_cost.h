#pragma once
// Live cost while editing: what the editor's policy costs for the open model, updated after
// every edit (core/export/live_cost.h: the exact GGUF file size and bits per weight, the
// `taskquant policy` size estimate, and the damage model's predicted KL with its change from the
// last edit).
//  * LiveCostController owns the exporting::LiveCost of the open model directory. Opening a
//    directory reads its GGUF layout on a JobRunner job ("live-cost-model"), then measures the
//    quantization errors of its matrices at f16, the GGUF block types, int8_g128 and int4_g128
//    ("live-cost-errors", cancellable; only up to kMaxMeasuredWeights matrix weights, else a
//    `taskquant errors` table can be loaded) for the damage; the scores are the heatmap map's.
//    Every PolicyModel::choicesChanged updates only the named tensors (timed: lastUpdateMs()).
//  * LiveCostPanel shows it (a dock), with the heatmap colouring choice (score, chosen type,
//    predicted damage).
// GUI thread only.
#include <QColor>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "app/studio/studio_jobs.h"
#include "core/export/live_cost.h"
#include "views/color_scale.h"

class QComboBox;
class QLabel;

namespace taskquant::views {
class PolicyModel;
}

namespace taskquant::studio {

class JobRunner;

// Errors of every matrix of a model directory at the live-cost precisions (blocking; worker).
std::shared_ptr<const policy::ErrorTable> measureLiveCostErrors(const QString& modelDir,
                                                                const taskquant::JobControl& c);

class LiveCostController : public QObject {
    Q_OBJECT
  public:
    enum class Coloring { Score, Type, Damage };

    LiveCostController(JobRunner* jobs, views::PolicyModel* policy, QObject* parent = nullptr);

    // Starts the layout (and error) jobs; "" closes the model.
    void setModelDirectory(const QString& dir, bool measureErrors = true);
    // Synchronous variant for tests and benchmarks.
    void setModel(exporting::LiveCostModel model);
    void setDefaultPrecision(const quant::Precision& p);
    void setScores(const MapPtr& map);
    void setErrorTable(std::shared_ptr<const policy::ErrorTable> errors);
    // The measured KLD of the editor's policy (an evaluation finished); the next edit clears it.
    void setMeasured(double kld);
    // The project's error table (measured for the open model or loaded); null when none.
    std::shared_ptr<const policy::ErrorTable> errorTable() const { return errors_; }
    // Reads a `taskquant errors` table on a job, then setErrorTable.
    void loadErrorTable(const QString& path);
    // Larger models get no automatic error measurement (it holds every matrix as float).
    static constexpr int64_t kMaxMeasuredWeights = 200'000'000;

    bool hasModel() const { return cost_ != nullptr; }
    const exporting::LiveCost* cost() const { return cost_.get(); }
    double lastUpdateMs() const { return lastMs_; }
    // Whether the policy has unsaved edits (its undo stack is not clean): only then do the texts
    // show the change "since the last edit" (a loaded, saved or start policy has none).
    bool hasEdits() const;
    // One line for the status bar and the policy editor ("" without a model).
    QString summaryText() const;
    // Several lines for the panel (rich text).
    QString detailHtml() const;
    std::optional<std::vector<int64_t>> shapeOf(const QString& name) const;
    // The damage part of the texts (a model with damage only).
    QString damageText(bool withChange) const;

    void setColoring(Coloring c);
    Coloring coloring() const { return coloring_; }
    // The heatmap colour of a tensor under the current colouring (nullopt: score colour).
    std::optional<QColor> cellColor(const QString& name) const;
    static QColor typeColor(const QString& ggufType);
    // The scale cellColor() uses while colouring by predicted damage (for the colour bar).
    views::ColorScale damageScale() const;

  signals:
    void updated();
    void coloringChanged();

  private:
    void onChoicesChanged(const QStringList& names);
    void rebuild();
    void finishUpdate(const QElapsedTimer& t);

    QPointer<JobRunner> jobs_;
    QPointer<views::PolicyModel> policy_;
    std::unique_ptr<exporting::LiveCost> cost_;
    quant::Precision default_ = quant::Precision::parse("int4_g128");
    std::map<std::string, double> scores_;
    std::shared_ptr<const policy::ErrorTable> errors_;
    QString dir_;
    double lastMs_ = 0;
    Coloring coloring_ = Coloring::Score;
    double damageMin_ = 0, damageMax_ = 0;
};

class LiveCostPanel : public QWidget {
    Q_OBJECT
  public:
    explicit LiveCostPanel(LiveCostController* controller, QWidget* parent = nullptr);
    QString text() const;
    QComboBox* coloringBox() const { return coloring_; }

  private:
    void refresh();
    LiveCostController* controller_;
    QLabel* label_;
    QLabel* legend_; // type -> colour, shown while cells are coloured by GGUF type
    QComboBox* coloring_;
};

} // namespace taskquant::studio
