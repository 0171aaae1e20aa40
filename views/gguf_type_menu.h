#pragma once
// The GGUF (llama.cpp) tensor types a person may pick for a selection of tensors, as the
// heatmap's context menu, the policy editor's delegate and the export dialog offer them:
// the K-quants Q2_K ... Q6_K, the 32-blocks Q4_0 ... Q8_0, IQ4_NL, IQ4_XS, then F16, BF16, F32,
// each labelled with its bits per weight (block bytes * 8 / block weights, scales included).
// A type is allowed for a tensor when the tensor's rows (its last dimension) divide the type's
// block (Precision::supportsShape, the rule of quant::llamaFallback); otherwise it is disabled
// and `reason` says why and what llama-quantize would store instead (llamaFallback's note),
// e.g. a 96-column row cannot take q4_k (256-blocks; llama.cpp stores q5_0). For a selection a
// type is allowed when every tensor of known shape allows it; the reason names the first that
// does not and how many do not. Tensors of unknown shape do not restrict. Thread-safe functions
// except addGgufTypeActions (GUI thread).
#include <QList>
#include <QString>
#include <functional>
#include <optional>
#include <vector>

#include "core/quant/precision.h"

class QMenu;
class QAction;

namespace taskquant::views {

struct ShapedTensor {
    QString name;
    std::optional<std::vector<int64_t>> shape;
};

struct GgufTypeOption {
    quant::Precision precision;
    QString label; // "Q4_K  (4.50 bpw)"
    bool allowed = true;
    QString reason; // empty when allowed
};

// The GGUF types in menu order (quantized by bits, then F16, BF16, F32).
const std::vector<quant::Precision>& ggufMenuTypes();
// "Q4_K", "IQ4_NL", "F16".
QString ggufTypeLabel(const quant::Precision& p);
// Bits per weight of a type's block (16 for F16/BF16, 32 for F32).
double ggufTypeBits(const quant::Precision& p);
// Why `p` cannot store `shape` (empty when it can).
QString ggufDisallowReason(const quant::Precision& p, const QString& tensor,
                           const std::vector<int64_t>& shape);
std::vector<GgufTypeOption> ggufTypeOptions(const std::vector<ShapedTensor>& tensors);

// Adds one action per option to `menu` (disabled ones with the reason as tooltip and status
// tip), each calling `apply` with its precision. Returns the actions in order.
QList<QAction*> addGgufTypeActions(QMenu* menu, const std::vector<ShapedTensor>& tensors,
                                   const std::function<void(const quant::Precision&)>& apply);

} // namespace taskquant::views
