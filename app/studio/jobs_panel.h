#pragma once
// JobsPanel: the jobs dock. One row per job of a JobRunner: title, progress bar, status line
// with the engine's message and the time left (or that it waits), and a Cancel button. A job
// that ends keeps its row with a one-line result (its report, "Failed: ...", "Cancelled ...")
// until "Clear Finished"; superseded jobs' rows vanish. GUI thread only.
#include <QHash>
#include <QSet>
#include <QWidget>

class QVBoxLayout;
class QLabel;
class QPushButton;

namespace taskquant::studio {

class JobRunner;

class JobsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit JobsPanel(JobRunner* runner, QWidget* parent = nullptr);
    // Rows of finished jobs, and their result lines (for tests).
    int finishedCount() const { return int(finished_.size()); }
    QString resultLine(int id) const;
    void clearFinished();

  private:
    void addRow(int id, const QString& title);
    void updateRow(int id, double fraction, const QString& message, double secondsLeft);
    void removeRow(int id);
    void finishRow(int id, const QString& line);
    void updateEmpty();

    JobRunner* runner_;
    QVBoxLayout* list_;
    QLabel* empty_;
    QHash<int, QWidget*> rows_;
    QSet<int> finished_;
    QPushButton* clear_;
};

// "2 min 5 s left", "12 s left", "" when unknown (< 0).
QString formatTimeLeft(double seconds);

} // namespace taskquant::studio
