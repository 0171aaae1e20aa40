#pragma once
// Menu entries of the main window that need nothing of its internals:
//  * addDockToggles(): View > one checkable entry per dock (Project, Jobs, Live Cost, ...),
//    with Ctrl+Shift+1.. shortcuts, so every dock can be brought back from the keyboard;
//  * addHelpActions(): Help > Workflow (the README's steps, from a model directory to a GGUF,
//    and where the README is) and Open README (the file, in the desktop's viewer).
// GUI thread only.
class QMenu;

namespace taskquant::studio {

class MainWindow;

void addDockToggles(MainWindow* window, QMenu* view);
void addHelpActions(MainWindow* window, QMenu* help);

} // namespace taskquant::studio
