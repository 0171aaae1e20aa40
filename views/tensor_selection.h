#pragma once
// TensorSelection: the one selection every view shares, as a set of Hugging Face parameter
// names (names, not rows, so views of different maps of one model select the same tensors).
// Views call setNames() on user input and repaint on changed(); setNames() with an unchanged
// set emits nothing, so two views syncing each other never loop. GUI thread only.
#include <QObject>
#include <QSet>
#include <QString>

namespace taskquant::views {

class TensorSelection : public QObject {
    Q_OBJECT
  public:
    explicit TensorSelection(QObject* parent = nullptr) : QObject(parent) {}

    const QSet<QString>& names() const { return names_; }
    bool contains(const QString& name) const { return names_.contains(name); }
    bool isEmpty() const { return names_.isEmpty(); }
    void setNames(const QSet<QString>& names);
    void clear() { setNames({}); }

  signals:
    void changed();

  private:
    QSet<QString> names_;
};

} // namespace taskquant::views
