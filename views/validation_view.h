#pragma once
// ValidationView: "Predicted vs measured damage" from `validate` (core/eval/damage_validation.h)
// as a log-log scatter: the damage model's prediction 1/2 * score * (weighted) SSE of each
// tensor alone at the tested precision (x) against the KL divergence measured with that tensor
// alone quantized (y), the fitted line measured = scale * predicted, Spearman's rho in the
// title; below, the rows as a sortable table (ValidationRowModel). Hovering a point names the
// tensor with both numbers. Rows with a value <= 0 are counted but not drawn. plot() is what
// File > Export Plot draws. GUI thread only.
#include <QWidget>
#include <vector>

#include "views/frontier_models.h"

class QCustomPlot;
class QCPTextElement;
class QLabel;
class QPushButton;
class QTableView;

namespace taskquant::views {

struct ValidationSummary {
    QString precision, mapLabel;
    double spearman = 0, spearmanPlain = 0, scale = 0, additivity = 0;
    bool activationWeighting = false;
    // The damage model as the validation names it (its JSON "damage_model"); "" = the older
    // wording from activationWeighting.
    QString model;
    qint64 chunks = 0, tokens = 0;
    double seconds = 0;
};

class ValidationView : public QWidget {
    Q_OBJECT
  public:
    explicit ValidationView(QWidget* parent = nullptr);

    void setResult(const ValidationSummary& summary, std::vector<ValidationRowData> rows);
    void setRunEnabled(bool on);
    QCustomPlot* plot() const { return plot_; }
    ValidationRowModel* model() const { return model_; }
    QString titleText() const;
    int drawnPoints() const { return int(drawn_.size()); }
    QPointF pointPixel(int row) const;
    // The tooltip for a plot() position ("" when no point is near).
    QString toolTipAt(const QPointF& pixel) const;

  signals:
    void runRequested();

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    ValidationRowModel* model_;
    QCustomPlot* plot_;
    QCPTextElement* title_;
    QTableView* table_;
    QLabel* summary_;
    QPushButton* run_;
    std::vector<int> drawn_; // rows drawn
};

} // namespace taskquant::views
