#include "views/precision_delegate.h"

#include <QComboBox>

namespace taskquant::views {

QWidget* PrecisionDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&,
                                         const QModelIndex&) const {
    auto* box = new QComboBox(parent);
    box->addItem(tr("(policy default)"), QString());
    for (const char* n : {"f16", "bf16", "int8_g128", "int4_g128", "int4_g64", "int4_g32", "nf4",
                          "q8_0", "q4_0", "q4_k"})
        box->addItem(QString::fromLatin1(n), QString::fromLatin1(n));
    return box;
}

void PrecisionDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const {
    auto* box = static_cast<QComboBox*>(editor);
    const int i = box->findData(index.data(Qt::EditRole).toString());
    box->setCurrentIndex(i < 0 ? 0 : i);
}

void PrecisionDelegate::setModelData(QWidget* editor, QAbstractItemModel* model,
                                     const QModelIndex& index) const {
    auto* box = static_cast<QComboBox*>(editor);
    model->setData(index, box->currentData(), Qt::EditRole);
}

} // namespace taskquant::views
