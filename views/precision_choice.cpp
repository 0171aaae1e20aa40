#include "views/precision_choice.h"

#include <QCoreApplication>

namespace taskquant::views {

std::vector<PrecisionChoice> allPrecisionChoices() {
    return {PrecisionChoice::Keep16, PrecisionChoice::Int8, PrecisionChoice::Int4,
            PrecisionChoice::Clear};
}

std::optional<quant::Precision> precisionOf(PrecisionChoice c) {
    switch (c) {
    case PrecisionChoice::Keep16:
        return quant::Precision::parse("f16");
    case PrecisionChoice::Int8:
        return quant::Precision::parse("int8_g128");
    case PrecisionChoice::Int4:
        return quant::Precision::parse("int4_g128");
    case PrecisionChoice::Clear:
        return std::nullopt;
    }
    return std::nullopt;
}

QString precisionChoiceLabel(PrecisionChoice c) {
    switch (c) {
    case PrecisionChoice::Keep16:
        return QCoreApplication::translate("PrecisionChoice", "Keep 16-bit");
    case PrecisionChoice::Int8:
        return QCoreApplication::translate("PrecisionChoice", "8-bit (int8, groups of 128)");
    case PrecisionChoice::Int4:
        return QCoreApplication::translate("PrecisionChoice", "4-bit (int4, groups of 128)");
    case PrecisionChoice::Clear:
        return QCoreApplication::translate("PrecisionChoice", "Clear precision");
    }
    return {};
}

QKeySequence precisionChoiceShortcut(PrecisionChoice c) {
    switch (c) {
    case PrecisionChoice::Keep16:
        return QKeySequence(Qt::Key_1);
    case PrecisionChoice::Int8:
        return QKeySequence(Qt::Key_8);
    case PrecisionChoice::Int4:
        return QKeySequence(Qt::Key_4);
    case PrecisionChoice::Clear:
        return QKeySequence(Qt::Key_Delete);
    }
    return {};
}

QString precisionBadge(const quant::Precision& p) {
    // As llama.cpp names its types (Q4_K, Q8_0, F32, BF16); TaskQuant's own precisions by
    // their names in the same style (INT4_G128, NF4).
    return QString::fromStdString(p.name()).toUpper();
}

} // namespace taskquant::views
