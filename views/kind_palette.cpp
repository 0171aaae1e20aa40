#include "views/kind_palette.h"

#include <array>

namespace taskquant::views {

QColor kindColor(models::Kind kind) {
    static const std::array<QColor, 10> tab10{
        QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
        QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127),
        QColor(188, 189, 34),  QColor(23, 190, 207)};
    using models::Kind;
    switch (kind) {
    case Kind::Q:
        return tab10[0];
    case Kind::K:
        return tab10[1];
    case Kind::V:
        return tab10[2];
    case Kind::Qkv:
        return tab10[0];
    case Kind::O:
        return tab10[3];
    case Kind::Gate:
        return tab10[4];
    case Kind::Fc1:
    case Kind::Up:
        return tab10[5];
    case Kind::Fc2:
    case Kind::Down:
        return tab10[6];
    case Kind::InputNorm:
    case Kind::PostAttnNorm:
    case Kind::QNorm:
    case Kind::KNorm:
    case Kind::FinalNorm:
        return tab10[8];
    case Kind::Embed:
    case Kind::PosEmbed:
    case Kind::LmHead:
        return tab10[9];
    case Kind::Other:
        return tab10[7];
    }
    return tab10[7];
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
