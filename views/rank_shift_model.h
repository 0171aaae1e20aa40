#pragma once
// RankShiftModel: the tensors of a map comparison, largest rank shift first (parameter,
// rank in A, rank in B, shift = rank A - rank B (positive: B ranks it higher), log2(B/A)).
// GUI thread only.
#include "views/map_comparison.h"
#include "views/table_model_base.h"

namespace taskquant::views {

class RankShiftModel : public TableModelBase {
    Q_OBJECT
  public:
    enum Column { Name, RankA, RankB, Shift, Log2Ratio, ColumnCount };
    explicit RankShiftModel(QObject* parent = nullptr) : TableModelBase(parent) {}

    void setComparison(const MapComparison& c, const QString& labelA, const QString& labelB);
    QString nameAt(int row) const;

  protected:
    int rows() const override { return int(rows_.size()); }
    QStringList headers() const override;
    QVariant cell(int row, int column, int role) const override;

  private:
    std::vector<TensorComparison> rows_;
    QString labelA_ = QStringLiteral("A"), labelB_ = QStringLiteral("B");
};

} // namespace taskquant::views
