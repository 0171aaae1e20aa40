#pragma once
// JobsPanel: the jobs dock. One row per running job of a JobRunner: title, progress bar,
// status line with the engine's message and the time left, and a Cancel button. Rows vanish
// when their job ends. GUI thread only.
#include <QHash>
#include <QWidget>

class QVBoxLayout;
class QLabel;

namespace taskquant::studio {

class JobRunner;

class JobsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit JobsPanel(JobRunner* runner, QWidget* parent = nullptr);

  private:
    void addRow(int id, const QString& title);
    void updateRow(int id, double fraction, const QString& message, double secondsLeft);
    void removeRow(int id);

    JobRunner* runner_;
    QVBoxLayout* list_;
    QLabel* empty_;
    QHash<int, QWidget*> rows_;
};

// "2 min 5 s left", "12 s left", "" when unknown (< 0).
QString formatTimeLeft(double seconds);

} // namespace taskquant::studio
