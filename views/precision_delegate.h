#pragma once
// PrecisionDelegate: edits a precision cell with a combo box of the common choices
// (default, f16, int8_g128, int4_g128, int4_g64, nf4, q8_0, q4_0, q4_k); writes the canonical
// name ("" = default) through the model's EditRole. GUI thread only.
#include <QStyledItemDelegate>

namespace taskquant::views {

class PrecisionDelegate : public QStyledItemDelegate {
    Q_OBJECT
  public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&,
                          const QModelIndex&) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model,
                      const QModelIndex& index) const override;
};

} // namespace taskquant::views
