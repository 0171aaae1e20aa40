#include "views/frontier_models.h"

#include <cmath>

#include "views/frontier_math.h"

namespace taskquant::views {

namespace {
QString num(double v, int precision = 4) {
    return std::isfinite(v) ? QString::number(v, 'g', precision) : QStringLiteral("n/a");
}
} // namespace

QString FrontierPointData::family() const {
    QString f = QString::fromStdString(familyOf(kind.toStdString(), signal.toStdString()));
    // One line per map: "optimal fisher (arithmetic) @4.5" is on "Fisher-optimal (arithmetic)",
    // apart from the same signal of another map.
    if (kind == QLatin1String("optimal")) {
        const int open = label.indexOf(QLatin1String(" ("));
        const int close = label.indexOf(QLatin1Char(')'), open);
        if (open > 0 && close > open)
            f += label.mid(open, close - open + 1);
    }
    return f;
}

QString FrontierPointData::toolTip() const {
    QStringList lines;
    lines << QStringLiteral("<b>%1</b> (%2)").arg(label.toHtmlEscaped(), family().toHtmlEscaped());
    lines << FrontierPointModel::tr("Size: %1 MiB, %2 bits per weight")
                 .arg(double(bytes) / 1048576.0, 0, 'f', 3)
                 .arg(bitsPerWeight, 0, 'f', 3);
    if (measured) {
        lines << FrontierPointModel::tr("KLD: %1 (p99 %2)").arg(num(kld), num(kldP99));
        lines << FrontierPointModel::tr("PPL: %1").arg(num(ppl, 5));
        lines << FrontierPointModel::tr("Same top-1: %1 %").arg(100 * sameTop1, 0, 'f', 1);
        lines << FrontierPointModel::tr("<i>measured on the task text</i>");
    } else {
        lines << (std::isfinite(kld) ? FrontierPointModel::tr("KLD: %1 (predicted)").arg(num(kld))
                                     : FrontierPointModel::tr(
                                           "KLD: not predicted (types without measured errors)"));
        lines << FrontierPointModel::tr("PPL, top-1: not measured");
        lines << FrontierPointModel::tr(
            "<i>predicted by the damage model; Evaluate measures it</i>");
    }
    return lines.join(QStringLiteral("<br>"));
}

void FrontierPointModel::setPoints(std::vector<FrontierPointData> points) {
    beginResetModel();
    points_ = std::move(points);
    endResetModel();
}

QStringList FrontierPointModel::headers() const {
    return {tr("Policy"),   tr("Family"), tr("Bits/weight"), tr("Size (MiB)"),
            tr("KLD mean"), tr("PPL"),    tr("Same top-1"),  tr("Source")};
}

QVariant FrontierPointModel::cell(int row, int column, int role) const {
    const FrontierPointData& p = points_[std::size_t(row)];
    if (role == Qt::ToolTipRole)
        return p.toolTip();
    if (role == Qt::TextAlignmentRole)
        return column >= Bpw && column <= Top1 ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                               : QVariant();
    if (role == NameRole)
        return p.label;
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (column) {
    case Label:
        return p.label;
    case Family:
        return p.family();
    case Bpw:
        return sort ? QVariant(p.bitsPerWeight)
                    : QVariant(QString::number(p.bitsPerWeight, 'f', 3));
    case SizeMB:
        return sort ? QVariant(double(p.bytes))
                    : QVariant(QString::number(double(p.bytes) / 1048576.0, 'f', 3));
    case Kld:
        return sort ? QVariant(p.kld) : QVariant(num(p.kld));
    case Ppl:
        if (!p.measured)
            return sort ? QVariant(-1.0) : QVariant(QStringLiteral("—"));
        return sort ? QVariant(p.ppl) : QVariant(num(p.ppl, 5));
    case Top1:
        if (!p.measured)
            return sort ? QVariant(-1.0) : QVariant(QStringLiteral("—"));
        return sort ? QVariant(p.sameTop1)
                    : QVariant(QStringLiteral("%1 %").arg(100 * p.sameTop1, 0, 'f', 1));
    case Source:
        return p.measured ? tr("measured") : tr("predicted");
    default:
        return {};
    }
}

void ValidationRowModel::setRows(std::vector<ValidationRowData> rows) {
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
}

QStringList ValidationRowModel::headers() const {
    return {tr("Tensor"),      tr("Precision"),    tr("Predicted KL"),
            tr("Measured KL"), tr("± (measured)"), tr("Misprediction")};
}

QVariant ValidationRowModel::cell(int row, int column, int role) const {
    const ValidationRowData& r = rows_[std::size_t(row)];
    if (role == NameRole)
        return r.name;
    if (role == Qt::TextAlignmentRole)
        return column >= Predicted ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == Qt::ToolTipRole && column == Misprediction)
        return tr("log(measured / (scale × predicted)); 0 = predicted exactly after scaling");
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    auto n = [&](double v) { return sort ? QVariant(v) : QVariant(num(v)); };
    switch (column) {
    case Name:
        return r.name;
    case Effective:
        return r.effective;
    case Predicted:
        return n(r.predicted);
    case Measured:
        return n(r.measured);
    case Uncertainty:
        return n(r.uncertainty);
    case Misprediction:
        return sort ? QVariant(r.misprediction)
                    : QVariant(QString::number(r.misprediction, 'f', 3));
    default:
        return {};
    }
}

} // namespace taskquant::views
