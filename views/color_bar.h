#pragma once
// ColorBar: a vertical colour bar for a ColorScale, with ticks at the scale's ticks() labelled
// in display units (normalised when the scale is) and a rotated title. Painting only; the
// tick positions come from ColorScale::position(). GUI thread only.
#include <QWidget>

#include "views/color_scale.h"

namespace taskquant::views {

class ColorBar : public QWidget {
    Q_OBJECT
  public:
    explicit ColorBar(QWidget* parent = nullptr);
    void setScale(const ColorScale& scale, const QString& title);
    QSize sizeHint() const override;

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    ColorScale scale_;
    QString title_;
};

} // namespace taskquant::views
