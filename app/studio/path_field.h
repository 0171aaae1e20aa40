#pragma once
// PathField: the file / directory input of the engine dialogs. GUI thread only.
#include <QWidget>

class QLineEdit;

namespace taskquant::studio {

// A line edit with a "Browse…" button. Mode: open file, save file or directory.
class PathField : public QWidget {
    Q_OBJECT
  public:
    enum Mode { OpenFile, SaveFile, Directory };
    PathField(Mode mode, const QString& filter, QWidget* parent = nullptr);
    QString path() const;
    void setPath(const QString& p);
    void setMode(Mode mode, const QString& filter);
    QLineEdit* edit() const { return edit_; }

  private:
    Mode mode_;
    QString filter_;
    QLineEdit* edit_;
};

} // namespace taskquant::studio
