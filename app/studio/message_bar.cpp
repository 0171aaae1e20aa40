#include "app/studio/message_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace taskquant::studio {

MessageBar::MessageBar(QWidget* parent) : QFrame(parent), label_(new QLabel(this)) {
    setObjectName(QStringLiteral("messageBar"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("#messageBar { background: #f9dcdc; border: 1px solid #d9534f; "
                                 "border-radius: 4px; } #messageBar QLabel { color: #5a1a1a; }"));
    label_->setTextFormat(Qt::PlainText);
    label_->setWordWrap(true);
    // A long message wraps inside the width the window has and shows at most three lines (the
    // whole text in the tooltip): it never widens or heightens the window.
    label_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    label_->setMinimumWidth(1);
    label_->setMaximumHeight(3 * label_->fontMetrics().lineSpacing() + 2);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(16, 16));
    auto* close = new QToolButton(this);
    close->setObjectName(QStringLiteral("messageBarClose"));
    close->setAutoRaise(true);
    close->setText(QStringLiteral("\u2715"));
    close->setToolTip(tr("Close"));
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    auto* l = new QHBoxLayout(this);
    l->setContentsMargins(8, 4, 4, 4);
    l->addWidget(icon, 0, Qt::AlignTop);
    l->addWidget(label_, 1);
    l->addWidget(close, 0, Qt::AlignTop);
    hide();
}

void MessageBar::showError(const QString& title, const QString& message) {
    label_->setText(title.isEmpty() ? message : tr("%1: %2").arg(title, message));
    label_->setToolTip(label_->text());
    show();
}

QString MessageBar::text() const {
    return label_->text();
}

} // namespace taskquant::studio
