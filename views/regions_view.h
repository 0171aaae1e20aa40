#pragma once
// RegionsView: the candidate tensors' scores sorted descending (log axis) with the cut of each
// threshold method drawn as a vertical line (the study's quantization-regions figure), from a
// CutProvider. Without one it shows every tensor's score and no cut. Picking a method and
// "Apply to Policy" sets its kept tensors to 16-bit and the other candidates to 4-bit in the
// PolicyModel, as one undo step. GUI thread only.
#include <QPointer>
#include <QWidget>
#include <memory>

#include "views/threshold_cut.h"

class QComboBox;
class QCustomPlot;
class QPushButton;

namespace taskquant::views {

class PolicyModel;

class RegionsView : public QWidget {
    Q_OBJECT
  public:
    explicit RegionsView(QWidget* parent = nullptr);

    void setCutProvider(CutProvider provider);
    void setMap(std::shared_ptr<const sensitivity::SensitivityMap> map);
    void setPolicyModel(PolicyModel* policy) { policy_ = policy; }

    QCustomPlot* plot() const { return plot_; }
    const std::vector<ThresholdCut>& cuts() const { return regions_.cuts; }
    // Applies cuts()[index] to the policy model.
    void applyCut(int index);

  private:
    void rebuild();

    QCustomPlot* plot_;
    QComboBox* methods_;
    QPushButton* apply_;
    CutProvider provider_;
    std::shared_ptr<const sensitivity::SensitivityMap> map_;
    ThresholdRegions regions_;
    QPointer<PolicyModel> policy_;
};

} // namespace taskquant::views
