#include "views/gguf_type_menu.h"

#include <QAction>
#include <QCoreApplication>
#include <QMenu>
#include <algorithm>

#include "core/quant/fallback.h"
#include "core/quant/sizes.h"

namespace taskquant::views {

using quant::Precision;

const std::vector<Precision>& ggufMenuTypes() {
    static const std::vector<Precision> types = [] {
        std::vector<Precision> q;
        for (const auto& n : Precision::ggufBlockNames())
            q.push_back(Precision::parse(n));
        std::stable_sort(q.begin(), q.end(), [](const Precision& a, const Precision& b) {
            return ggufTypeBits(a) < ggufTypeBits(b);
        });
        for (const char* n : {"f16", "bf16", "f32"})
            q.push_back(Precision::parse(n));
        return q;
    }();
    return types;
}

QString ggufTypeLabel(const Precision& p) {
    return QString::fromStdString(p.name()).toUpper();
}

double ggufTypeBits(const Precision& p) {
    const auto b = p.ggufBlock();
    if (b.weights > 0)
        return quant::bitsPerCountedWeight(uint64_t(b.bytes), b.weights); // one block's rate
    return p.format == quant::Format::F32 ? 32.0 : 16.0;
}

QString ggufDisallowReason(const Precision& p, const QString& tensor,
                           const std::vector<int64_t>& shape) {
    if (p.supportsShape(shape))
        return {};
    std::string note;
    quant::llamaFallback(p, shape.empty() ? 1 : shape.back(), &note);
    return QCoreApplication::translate("GgufTypeMenu", "%1: %2")
        .arg(tensor, QString::fromStdString(note));
}

std::vector<GgufTypeOption> ggufTypeOptions(const std::vector<ShapedTensor>& tensors) {
    std::vector<GgufTypeOption> out;
    for (const Precision& p : ggufMenuTypes()) {
        GgufTypeOption o;
        o.precision = p;
        o.label = QCoreApplication::translate("GgufTypeMenu", "%1  (%2 bpw)")
                      .arg(ggufTypeLabel(p))
                      .arg(ggufTypeBits(p), 0, 'f', p.isGgufBlock() ? 2 : 0);
        int refused = 0;
        QString first;
        for (const ShapedTensor& t : tensors) {
            if (!t.shape)
                continue;
            const QString r = ggufDisallowReason(p, t.name, *t.shape);
            if (r.isEmpty())
                continue;
            if (refused++ == 0)
                first = r;
        }
        if (refused > 0) {
            o.allowed = false;
            o.reason = refused == 1 ? first
                                    : QCoreApplication::translate("GgufTypeMenu",
                                                                  "%1 (and %n more tensor(s))",
                                                                  nullptr, refused - 1)
                                          .arg(first);
        }
        out.push_back(std::move(o));
    }
    return out;
}

QList<QAction*> addGgufTypeActions(QMenu* menu, const std::vector<ShapedTensor>& tensors,
                                   const std::function<void(const Precision&)>& apply) {
    QList<QAction*> actions;
    menu->setToolTipsVisible(true);
    for (const GgufTypeOption& o : ggufTypeOptions(tensors)) {
        QAction* a = menu->addAction(o.label);
        a->setData(QString::fromStdString(o.precision.name()));
        a->setEnabled(o.allowed);
        if (!o.allowed) {
            a->setToolTip(o.reason);
            a->setStatusTip(o.reason);
        }
        const Precision p = o.precision;
        QObject::connect(a, &QAction::triggered, menu, [apply, p] { apply(p); });
        actions.push_back(a);
    }
    return actions;
}

} // namespace taskquant::views
