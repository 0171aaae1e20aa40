#pragma once
// MessageBar: the inline message strip at the top of the main window (in the manner of KDE's
// KMessageWidget), where failures are shown instead of modal dialogs, in a desktop session and
// in a headless run alike. showError() shows "<title>: <message>" (plain text, the whole
// taskquant::Error text) and replaces any message shown; the close button hides the bar.
// Hidden until the first message. GUI thread only.
#include <QFrame>

class QLabel;

namespace taskquant::studio {

class MessageBar : public QFrame {
    Q_OBJECT
  public:
    explicit MessageBar(QWidget* parent = nullptr);

    void showError(const QString& title, const QString& message);
    // The text shown (also while hidden: the last message).
    QString text() const;

  private:
    QLabel* label_;
};

} // namespace taskquant::studio
