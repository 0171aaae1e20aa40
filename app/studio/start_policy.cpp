#include "app/studio/start_policy.h"

#include <QUndoStack>

#include "app/studio/job_runner.h"
#include "app/studio/main_window.h"
#include "core/policy/recipes.h"
#include "views/policy_model.h"

namespace taskquant::studio {

namespace {
bool editorEmpty(const MainWindow* w) {
    return w->policy()->choices().isEmpty() && w->policy()->undoStack()->count() == 0;
}
} // namespace

int applyStartPolicy(MainWindow* w) {
    const QString dir = w->modelDirectory();
    if (dir.isEmpty() || !editorEmpty(w))
        return 0;
    return w->jobs()->runThenReport<Choices>(
        QStringLiteral("start-policy"), MainWindow::tr("Choosing the start policy (Q4_K_M)"),
        [dir](const JobControl& c) {
            c.check();
            const auto r =
                policy::applyRecipe("Q4_K_M", policy::recipeModelFromDirectory(dir.toStdString()));
            Choices choices;
            for (const auto& t : r.tensors)
                choices.insert(QString::fromStdString(t.name), t.type);
            return choices;
        },
        [w, dir](std::shared_ptr<const Choices> choices) {
            if (w->modelDirectory() != dir || !editorEmpty(w))
                return JobReport(); // a policy was loaded or edited meanwhile
            w->applyDefaultPrecision(quant::Precision::parse("q4_k"));
            w->policy()->replaceAll(*choices, MainWindow::tr("Start policy"));
            w->policy()->undoStack()->clear(); // the start, not an edit
            w->setPolicyOrigin(MainWindow::tr("llama.cpp Q4_K_M (start policy)"));
            return JobReport{MainWindow::tr("Start policy: llama.cpp's Q4_K_M mix for this model "
                                            "(%n tensor(s)).",
                                            nullptr, int(choices->size()))};
        });
}

} // namespace taskquant::studio
