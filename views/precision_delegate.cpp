#include "views/precision_delegate.h"

#include <QComboBox>
#include <QStandardItemModel>

#include "views/gguf_type_menu.h"
#include "views/table_model_base.h"

namespace taskquant::views {

QWidget* PrecisionDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&,
                                         const QModelIndex& index) const {
    auto* box = new QComboBox(parent);
    box->addItem(tr("(policy default)"), QString());
    const QString name = index.data(TableModelBase::NameRole).toString();
    const std::vector<ShapedTensor> t = {{name, shapeOf_ ? shapeOf_(name) : std::nullopt}};
    auto* items = qobject_cast<QStandardItemModel*>(box->model());
    for (const GgufTypeOption& o : ggufTypeOptions(t)) {
        box->addItem(o.label, QString::fromStdString(o.precision.name()));
        if (!o.allowed && items) {
            QStandardItem* it = items->item(box->count() - 1);
            it->setEnabled(false);
            it->setToolTip(o.reason);
            it->setStatusTip(o.reason);
        }
    }
    box->insertSeparator(box->count());
    for (const char* n : {"int8_g128", "int4_g128", "int4_g64", "int4_g32", "nf4"})
        box->addItem(tr("%1 (not GGUF)").arg(QString::fromLatin1(n)), QString::fromLatin1(n));
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
