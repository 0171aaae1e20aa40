#include "views/heatmap_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include "views/color_bar.h"
#include "views/heatmap_canvas.h"

namespace taskquant::views {

HeatmapView::HeatmapView(QWidget* parent)
    : QWidget(parent), canvas_(new HeatmapCanvas(this)), bar_(new ColorBar(this)),
      title_(new QLabel(this)), normalise_(new QCheckBox(tr("Normalise to maximum"), this)) {
    auto* tools = new QHBoxLayout;
    QFont tf = title_->font();
    tf.setBold(true);
    title_->setFont(tf);
    tools->addWidget(title_, 1);
    tools->addWidget(normalise_);
    auto addButton = [this, tools](const QString& text, const QString& tip, auto slot) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        connect(b, &QToolButton::clicked, canvas_, slot);
        tools->addWidget(b);
    };
    addButton(QStringLiteral("+"), tr("Zoom in (Ctrl+wheel)"), [this] { canvas_->zoomBy(1.25); });
    addButton(QStringLiteral("\u2212"), tr("Zoom out (Ctrl+wheel)"),
              [this] { canvas_->zoomBy(0.8); });
    addButton(tr("Fit"), tr("Fit to window (Ctrl+0)"), [this] { canvas_->fitToWindow(); });

    auto* body = new QHBoxLayout;
    body->setContentsMargins(0, 0, 0, 0);
    body->addWidget(canvas_, 1);
    body->addWidget(bar_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(tools);
    layout->addLayout(body, 1);
    normalise_->setToolTip(tr("Show scores divided by the map's largest score"));
    connect(normalise_, &QCheckBox::toggled, this, &HeatmapView::setNormaliseToMax);
}

void HeatmapView::setMap(std::shared_ptr<const sensitivity::SensitivityMap> map) {
    map_ = std::move(map);
    normalise_->setVisible(true);
    showData(map_ ? HeatmapData::fromMap(*map_, normalise_->isChecked()) : HeatmapData{});
    canvas_->setPrecisionEditable(true);
}

void HeatmapView::setHeatmapData(const HeatmapData& data) {
    map_.reset();
    normalise_->setVisible(data.scale.kind() == ColorScale::Kind::Log);
    canvas_->setPrecisionEditable(data.scale.kind() == ColorScale::Kind::Log);
    showData(data);
}

void HeatmapView::showData(const HeatmapData& data) {
    canvas_->setData(data);
    bar_->setScale(data.scale, data.valueLabel);
    title_->setText(data.title);
}

void HeatmapView::setSelectionModel(TensorSelection* s) {
    canvas_->setSelectionModel(s);
}
void HeatmapView::setPolicyModel(PolicyModel* p) {
    canvas_->setPolicyModel(p);
}
bool HeatmapView::normaliseToMax() const {
    return normalise_->isChecked();
}

void HeatmapView::setNormaliseToMax(bool on) {
    if (normalise_->isChecked() != on) {
        normalise_->setChecked(on); // re-enters through toggled()
        return;
    }
    if (!canvas_->data().isEmpty())
        showData(canvas_->data().withNormaliseToMax(on));
}

} // namespace taskquant::views
