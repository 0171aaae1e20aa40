#pragma once
// PolicyModel: the explicit per-tensor precision choices a person makes in the views, with
// undo/redo. Every change goes through setPrecision() (or replaceAll()), which pushes one
// command on undoStack(); undo and redo restore the exact previous choices. choicesChanged()
// lists the tensors whose choice changed (after do, undo and redo alike).
// Tensors without a choice follow the policy's class defaults (core/policy). GUI thread only.
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>
#include <optional>

#include "core/quant/precision.h"

class QUndoStack;

namespace taskquant::views {

class PolicyModel : public QObject {
    Q_OBJECT
  public:
    using Choices = QMap<QString, quant::Precision>;

    explicit PolicyModel(QObject* parent = nullptr);

    QUndoStack* undoStack() const { return undo_; }
    const Choices& choices() const { return choices_; }
    std::optional<quant::Precision> precision(const QString& name) const;

    // Sets (or with nullopt clears) the choice of every name as one undoable step. Pushes
    // nothing when no choice would change.
    void setPrecision(const QStringList& names, const std::optional<quant::Precision>& p);
    // Replaces all choices (loading a policy, applying a method) as one undoable step.
    void replaceAll(const Choices& choices, const QString& description);

    // For the undo command only: applies without pushing.
    void applyChoices(const Choices& removedOrChanged, const Choices& next);

  signals:
    void choicesChanged(const QStringList& names);

  private:
    QUndoStack* undo_;
    Choices choices_;
};

} // namespace taskquant::views
