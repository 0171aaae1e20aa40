#include "views/policy_model.h"

#include <QUndoCommand>
#include <QUndoStack>

#include "views/precision_choice.h"

namespace taskquant::views {
namespace {

// Restores `before` or `after` for exactly the names in `touched`.
class ChangeChoicesCommand : public QUndoCommand {
  public:
    ChangeChoicesCommand(PolicyModel* model, QStringList touched, PolicyModel::Choices before,
                         PolicyModel::Choices after, const QString& text)
        : QUndoCommand(text), model_(model), touched_(std::move(touched)),
          before_(std::move(before)), after_(std::move(after)) {}
    void undo() override { apply(before_); }
    void redo() override { apply(after_); }

  private:
    void apply(const PolicyModel::Choices& state) {
        PolicyModel::Choices touched;
        for (const QString& n : touched_)
            touched.insert(n, quant::Precision{}); // keys only
        model_->applyChoices(touched, state);
    }
    PolicyModel* model_;
    QStringList touched_;
    PolicyModel::Choices before_, after_;
};

} // namespace

PolicyModel::PolicyModel(QObject* parent) : QObject(parent), undo_(new QUndoStack(this)) {}

std::optional<quant::Precision> PolicyModel::precision(const QString& name) const {
    const auto it = choices_.constFind(name);
    if (it == choices_.constEnd())
        return std::nullopt;
    return *it;
}

void PolicyModel::setPrecision(const QStringList& names, const std::optional<quant::Precision>& p) {
    QStringList touched;
    Choices before, after;
    for (const QString& n : names) {
        const auto old = precision(n);
        if (old == p || touched.contains(n))
            continue;
        touched.push_back(n);
        if (old)
            before.insert(n, *old);
        if (p)
            after.insert(n, *p);
    }
    if (touched.isEmpty())
        return;
    const QString what = p ? QString::fromStdString(p->name()) : tr("default");
    const QString text = touched.size() == 1
                             ? tr("Set %1 to %2").arg(touched.front(), what)
                             : tr("Set %n tensor(s) to %1", nullptr, int(touched.size())).arg(what);
    undo_->push(new ChangeChoicesCommand(this, touched, before, after, text));
}

void PolicyModel::replaceAll(const Choices& next, const QString& description) {
    QStringList touched;
    for (auto it = choices_.constBegin(); it != choices_.constEnd(); ++it)
        if (!next.contains(it.key()) || next.value(it.key()) != it.value())
            touched.push_back(it.key());
    for (auto it = next.constBegin(); it != next.constEnd(); ++it)
        if (!choices_.contains(it.key()))
            touched.push_back(it.key());
    if (touched.isEmpty())
        return;
    Choices before, after;
    for (const QString& n : touched) {
        if (choices_.contains(n))
            before.insert(n, choices_.value(n));
        if (next.contains(n))
            after.insert(n, next.value(n));
    }
    undo_->push(new ChangeChoicesCommand(this, touched, before, after, description));
}

void PolicyModel::applyChoices(const Choices& touched, const Choices& state) {
    QStringList changed;
    for (auto it = touched.constBegin(); it != touched.constEnd(); ++it) {
        const QString& n = it.key();
        if (state.contains(n))
            choices_.insert(n, state.value(n));
        else
            choices_.remove(n);
        changed.push_back(n);
    }
    if (!changed.isEmpty())
        emit choicesChanged(changed);
}

} // namespace taskquant::views
