#include "views/color_bar.h"

#include <QPainter>

#include "views/score_format.h"

namespace taskquant::views {
namespace {
constexpr int kBarWidth = 18, kMargin = 8;
}

ColorBar::ColorBar(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
}

void ColorBar::setScale(const ColorScale& scale, const QString& title) {
    scale_ = scale;
    title_ = title;
    updateGeometry();
    update();
}

QSize ColorBar::sizeHint() const {
    const QFontMetrics fm(font());
    int labels = 0;
    for (double t : scale_.ticks())
        labels = std::max(labels, fm.horizontalAdvance(formatScore(scale_.displayValue(t))));
    return {kMargin + kBarWidth + 6 + labels + fm.height() + kMargin, 200};
}

void ColorBar::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QFontMetrics fm(font());
    const QRect bar(kMargin + fm.height(), fm.height(), kBarWidth, height() - 2 * fm.height());
    if (bar.height() <= 2)
        return;
    // Gradient as 1-pixel rows: exact colours of the map, top = 1.
    for (int y = 0; y < bar.height(); ++y) {
        const double t = 1.0 - double(y) / double(bar.height() - 1);
        p.fillRect(QRect(bar.left(), bar.top() + y, bar.width(), 1), scale_.colorAt(t));
    }
    p.setPen(palette().color(QPalette::WindowText));
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    for (double v : scale_.ticks()) {
        const auto t = scale_.position(v);
        if (!t)
            continue;
        const int y = bar.bottom() - int(std::lround(*t * (bar.height() - 1)));
        p.drawLine(bar.right() + 1, y, bar.right() + 4, y);
        p.drawText(QRect(bar.right() + 6, y - fm.height() / 2, width(), fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, formatScore(scale_.displayValue(v)));
    }
    p.save();
    p.translate(kMargin + fm.ascent(), bar.center().y() + fm.horizontalAdvance(title_) / 2);
    p.rotate(-90);
    p.drawText(QPointF(0, 0), title_);
    p.restore();
}

} // namespace taskquant::views
