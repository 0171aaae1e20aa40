#pragma once
// The precisions a person picks for a selection in the views (context menu, keys, editor):
// keep 16-bit (f16), 8-bit (int8_g128), 4-bit (int4_g128), or clear the explicit choice.
// Labels are translated (context "PrecisionChoice"). Thread-safe.
#include <QKeySequence>
#include <QString>
#include <optional>
#include <vector>

#include "core/quant/precision.h"

namespace taskquant::views {

enum class PrecisionChoice { Keep16, Int8, Int4, Clear };

std::vector<PrecisionChoice> allPrecisionChoices();
// nullopt for Clear.
std::optional<quant::Precision> precisionOf(PrecisionChoice c);
QString precisionChoiceLabel(PrecisionChoice c);
// Keys: 1 = keep 16-bit, 8 = 8-bit, 4 = 4-bit, Delete = clear.
QKeySequence precisionChoiceShortcut(PrecisionChoice c);
// Badge drawn on a marked heatmap cell: the type as llama.cpp names it ("Q4_K", "F32",
// "Q8_0"; TaskQuant-only precisions alike: "INT4_G128", "NF4").
QString precisionBadge(const quant::Precision& p);

} // namespace taskquant::views
