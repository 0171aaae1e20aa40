#pragma once
// EvaluationResultDialog: the result of Evaluate Policy. GUI thread only.
#include <QDialog>

#include "app/studio/engine_jobs.h"

class QTableWidget;
class QLabel;

namespace taskquant::studio {

// Shows an evaluation result: one row per variant (baseline, policy) with perplexity, KL
// divergence mean / p99 / max, same top-1 and mean / rms delta p. Non-modal.
class EvaluationResultDialog : public QDialog {
    Q_OBJECT
  public:
    explicit EvaluationResultDialog(QWidget* parent = nullptr);
    void setResult(const eval::EvaluationResult& result, const QString& textFile);
    QTableWidget* table() const { return table_; }

  private:
    QLabel* caption_;
    QTableWidget* table_;
};

} // namespace taskquant::studio
