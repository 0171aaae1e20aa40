#pragma once
// DefaultPrecisionCommand: one undo step that changes the policy editor's default precision
// (the precision of every tensor without an explicit choice). Loading a policy pushes it with
// the choices' replaceAll inside one undo macro, so Edit > Undo restores both. The setter is
// called on redo (also when pushed) with `next` and on undo with `previous`. GUI thread only.
#include <QUndoCommand>
#include <functional>

#include "core/quant/precision.h"

namespace taskquant::studio {

class DefaultPrecisionCommand : public QUndoCommand {
  public:
    using Setter = std::function<void(const quant::Precision&)>;
    DefaultPrecisionCommand(quant::Precision previous, quant::Precision next, Setter setter,
                            const QString& text)
        : QUndoCommand(text), previous_(std::move(previous)), next_(std::move(next)),
          setter_(std::move(setter)) {}
    void redo() override { setter_(next_); }
    void undo() override { setter_(previous_); }

  private:
    quant::Precision previous_, next_;
    Setter setter_;
};

} // namespace taskquant::studio
