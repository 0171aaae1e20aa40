#include "app/studio/path_field.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace taskquant::studio {

PathField::PathField(Mode mode, const QString& filter, QWidget* parent)
    : QWidget(parent), mode_(mode), filter_(filter), edit_(new QLineEdit(this)) {
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* l = new QHBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(edit_, 1);
    l->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        QString p;
        switch (mode_) {
        case OpenFile:
            p = QFileDialog::getOpenFileName(this, tr("Choose File"), path(), filter_);
            break;
        case SaveFile:
            p = QFileDialog::getSaveFileName(this, tr("Choose Destination"), path(), filter_);
            break;
        case Directory:
            p = QFileDialog::getSaveFileName(this, tr("Choose Destination Directory"), path(),
                                             QString(), nullptr, QFileDialog::ShowDirsOnly);
            break;
        }
        if (!p.isEmpty())
            edit_->setText(p);
    });
}

QString PathField::path() const {
    return edit_->text().trimmed();
}
void PathField::setPath(const QString& p) {
    edit_->setText(p);
}
void PathField::setMode(Mode mode, const QString& filter) {
    mode_ = mode;
    filter_ = filter;
}

} // namespace taskquant::studio
