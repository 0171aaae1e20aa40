#include "views/kind_palette.h"

#include <array>

namespace taskquant::views {

QColor kindColor(models::Kind kind) {
    // A qualitative palette (tab20's strong and light tones): every kind its own colour, except
    // the names two architectures give the same module (fc1 = up, fc2 = down).
    using models::Kind;
    switch (kind) {
    case Kind::Q:
        return QColor(31, 119, 180);
    case Kind::K:
        return QColor(255, 127, 14);
    case Kind::V:
        return QColor(44, 160, 44);
    case Kind::Qkv:
        return QColor(152, 223, 138);
    case Kind::O:
        return QColor(214, 39, 40);
    case Kind::Gate:
        return QColor(148, 103, 189);
    case Kind::Fc1:
    case Kind::Up:
        return QColor(140, 86, 75);
    case Kind::Fc2:
    case Kind::Down:
        return QColor(227, 119, 194);
    case Kind::InputNorm:
        return QColor(188, 189, 34);
    case Kind::PostAttnNorm:
        return QColor(219, 219, 141);
    case Kind::QNorm:
        return QColor(255, 152, 150);
    case Kind::KNorm:
        return QColor(197, 176, 213);
    case Kind::FinalNorm:
        return QColor(82, 84, 163);
    case Kind::Embed:
        return QColor(23, 190, 207);
    case Kind::PosEmbed:
        return QColor(158, 218, 229);
    case Kind::LmHead:
        return QColor(57, 59, 121);
    case Kind::Other:
        return QColor(127, 127, 127);
    }
    return QColor(127, 127, 127);
}

QString shortTensorLabel(const QString& name, models::Scheme scheme) {
    const auto c = models::classify(name.toStdString());
    const QString kind = QString::fromStdString(models::kindLabel(c.kind, scheme));
    const QString bias = c.isBias ? QStringLiteral(" (bias)") : QString();
    if (c.place == models::Place::Layer)
        return QStringLiteral("L%1 %2%3").arg(c.layer).arg(kind, bias);
    if (c.place == models::Place::Other)
        return name;
    return kind + bias;
}

} // namespace taskquant::views
