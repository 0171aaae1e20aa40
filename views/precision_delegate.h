#pragma once
// PrecisionDelegate: edits a precision cell with a combo box: "(policy default)", the GGUF
// types of views/gguf_type_menu.h (each with its bits per weight; the ones the row's tensor
// shape does not allow are disabled, the reason in their tooltip), then TaskQuant's non-GGUF
// formats (int8_g128, int4_g128, int4_g64, int4_g32, nf4; safetensors export only). The
// tensor's shape comes from the shape provider, by the row's NameRole (unknown shapes allow
// every type). Writes the canonical name ("" = default) through the model's EditRole. GUI thread
// only.
#include <QStyledItemDelegate>
#include <functional>
#include <optional>
#include <vector>

namespace taskquant::views {

class PrecisionDelegate : public QStyledItemDelegate {
    Q_OBJECT
  public:
    using QStyledItemDelegate::QStyledItemDelegate;
    using ShapeProvider = std::function<std::optional<std::vector<int64_t>>(const QString&)>;
    void setShapeProvider(ShapeProvider p) { shapeOf_ = std::move(p); }

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&,
                          const QModelIndex&) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model,
                      const QModelIndex& index) const override;

  private:
    ShapeProvider shapeOf_;
};

} // namespace taskquant::views
