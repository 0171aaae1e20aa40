#include "app/studio/dialog_parts.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>

#include "app/studio/engine_jobs.h"

namespace taskquant::studio {

QDialogButtonBox* okCancel(QDialog* d, const QString& okText) {
    auto* b = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, d);
    b->button(QDialogButtonBox::Ok)->setText(okText);
    QObject::connect(b, &QDialogButtonBox::accepted, d, &QDialog::accept);
    QObject::connect(b, &QDialogButtonBox::rejected, d, &QDialog::reject);
    return b;
}

QComboBox* deviceBox(QWidget* parent) {
    auto* c = new QComboBox(parent);
    c->addItems(availableDevices());
    return c;
}

QLabel* modelLabel(const QString& dir, QWidget* parent) {
    auto* l = new QLabel(
        dir.isEmpty() ? QCoreApplication::translate("FisherDialog", "(no model open)") : dir,
        parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

} // namespace taskquant::studio
