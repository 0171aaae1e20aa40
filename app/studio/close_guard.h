#pragma once
// Guards against losing policy edits: before the window closes (Quit, the close button) or
// another model directory replaces the open one, unsaved edits of the policy editor (its undo
// stack is not clean) are offered for saving: Save (a file dialog, then the policy written
// atomically, synchronously: a policy file is small), Discard, or Cancel. The question is a
// QMessageBox named "unsavedPolicyQuestion" (tests answer it). GUI thread only.
#include <QString>

namespace taskquant::studio {

class MainWindow;

// True when nothing is unsaved, or the edits were saved or the user chose to discard them;
// false when the user cancelled (or saving failed: the message bar says why).
bool confirmPolicyEditsHandled(MainWindow* window, const QString& action);

} // namespace taskquant::studio
