#pragma once
// The dialogs of the engine actions: Run Fisher, Run Magnitude, Evaluate Policy, Export
// Quantized Model, and the evaluation result table. Each input dialog only collects values:
// request() builds the job request from its fields (tests fill the fields and call it without
// showing the dialog); EngineActions (engine_actions.h) starts the job. One file per class; this
// header includes them all. GUI thread only.
#include "app/studio/evaluate_dialog.h"
#include "app/studio/evaluation_result_dialog.h"
#include "app/studio/export_dialog.h"
#include "app/studio/fisher_dialog.h"
#include "app/studio/magnitude_dialog.h"
#include "app/studio/path_field.h"
