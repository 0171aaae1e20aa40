#pragma once
// The item models behind the frontier view and the damage-validation view (flat tables,
// TableModelBase), and the plain rows they show:
//  * FrontierPointModel: one row per frontier point: policy, family (frontier_math.h
//    familyOf), bits per weight, size in MB (1e6 bytes), mean KLD, PPL, same top-1 (percent),
//    and whether the numbers are measured or predicted (only the current policy can be
//    predicted). SortRole gives numbers for the numeric columns.
//  * ValidationRowModel: one row per validated tensor: name, precision it got, predicted and
//    measured KL, the measurement's uncertainty and the misprediction log(measured /
//    (scale * predicted)).
// GUI thread only.
#include <QString>
#include <vector>

#include "views/table_model_base.h"

namespace taskquant::views {

struct FrontierPointData {
    QString label, kind, signal; // kind: uniform | recipe | optimal | current
    double budgetBits = 0;       // optimal: the budget; 0 otherwise
    double bitsPerWeight = 0;
    quint64 bytes = 0;
    double kld = 0, kldP99 = 0, ppl = 0, sameTop1 = 0; // sameTop1: fraction 0..1
    bool measured = true; // false: predicted by the damage model (ppl, top-1 unknown)
    QString family() const;
    // "Q4_K_M: 12.3 MB, 4.81 bpw, PPL 7.12, KLD 0.0123, top-1 91.2 % (measured)" as lines.
    QString toolTip() const;
};

class FrontierPointModel : public TableModelBase {
    Q_OBJECT
  public:
    enum Column { Label, Family, Bpw, SizeMB, Kld, Ppl, Top1, Source, ColumnCount };
    explicit FrontierPointModel(QObject* parent = nullptr) : TableModelBase(parent) {}
    void setPoints(std::vector<FrontierPointData> points);
    const std::vector<FrontierPointData>& points() const { return points_; }

  protected:
    int rows() const override { return int(points_.size()); }
    QStringList headers() const override;
    QVariant cell(int row, int column, int role) const override;

  private:
    std::vector<FrontierPointData> points_;
};

struct ValidationRowData {
    QString name, effective;
    double score = 0, predicted = 0, measured = 0, uncertainty = 0, misprediction = 0;
};

class ValidationRowModel : public TableModelBase {
    Q_OBJECT
  public:
    enum Column { Name, Effective, Predicted, Measured, Uncertainty, Misprediction, ColumnCount };
    explicit ValidationRowModel(QObject* parent = nullptr) : TableModelBase(parent) {}
    void setRows(std::vector<ValidationRowData> rows);
    const std::vector<ValidationRowData>& rowData() const { return rows_; }

  protected:
    int rows() const override { return int(rows_.size()); }
    QStringList headers() const override;
    QVariant cell(int row, int column, int role) const override;

  private:
    std::vector<ValidationRowData> rows_;
};

} // namespace taskquant::views
