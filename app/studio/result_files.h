#pragma once
// Opening what the CLI writes: every taskquant JSON kind goes to where it is shown, with its
// provenance (the file, and the model / maps / task text the file names).
//  * kind by the file's "format": "taskquant-map" (or the study's flat {name: score} maps) ->
//    the maps of the project; "taskquant-policy" -> the policy editor (several: loaded in the
//    order given, each one undo step, the last one current); "taskquant-errors" -> the live
//    cost's damage model; "taskquant-frontier" -> the Frontier tab; "taskquant-validation" ->
//    the Damage Validation tab; "taskquant-transfer" -> the Task Transfer tab (with its
//    policies: a click loads one, transfer_jobs.h readTransferFile). Anything else is one error
//    naming the file in the message bar.
//  * Reading runs on JobRunner jobs; a malformed file is one error naming the file and the
//    problem (taskquant::Error), never a crash.
// GUI thread only (the readers are plain functions, usable on a worker).
#include <QString>
#include <QStringList>

#include "app/studio/frontier_jobs.h"

namespace taskquant::studio {

class MainWindow;

enum class ResultKind { Map, Policy, ErrorTable, Frontier, Validation, Transfer };

// The kind of a JSON file the CLI wrote. Throws taskquant::Error (naming the file) when the
// file cannot be read, is not JSON or is no kind above.
ResultKind resultKindOf(const QString& path);
QString resultKindName(ResultKind kind); // "map", "policy", ...

// A `taskquant frontier` JSON (or the demo's frontier.json) as the Frontier tab shows it:
// the points, the task (model, text, ctx, windows) and `source` = the file and what it names.
// The policies, shapes and error table are not in the file: points cannot be loaded into the
// editor and the current policy is not predicted until a frontier is computed. Throws
// taskquant::Error.
FrontierData readFrontierFile(const QString& path);
// A `taskquant validate` JSON. Throws taskquant::Error.
ValidationData readValidationFile(const QString& path);

// Opens the files: maps, frontier, validation, error tables and policies, each where it is
// shown (see above). Returns the number of files accepted for opening.
int openResultFiles(MainWindow* window, const QStringList& files);

} // namespace taskquant::studio
