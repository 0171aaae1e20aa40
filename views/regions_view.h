#pragma once
// RegionsView: the map's scores sorted descending (log axis) with the cut of each threshold
// method drawn as a vertical line (the study's quantization-regions figure). Picking a method
// and "Apply to Policy" sets the kept tensors to 16-bit and the other block linear weights to
// 4-bit in the PolicyModel, as one undo step. GUI thread only.
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
    const std::vector<ThresholdCut>& cuts() const { return cuts_; }
    // Applies cuts()[index] to the policy model.
    void applyCut(int index);

  private:
    void rebuild();

    QCustomPlot* plot_;
    QComboBox* methods_;
    QPushButton* apply_;
    CutProvider provider_;
    std::shared_ptr<const sensitivity::SensitivityMap> map_;
    std::vector<ThresholdCut> cuts_;
    QPointer<PolicyModel> policy_;
};

} // namespace taskquant::views
