#include "views/tensor_table_model.h"

#include <QFont>

#include "core/util/error.h"
#include "views/grid_selection.h"
#include "views/policy_model.h"
#include "views/score_format.h"

namespace taskquant::views {

TensorTableModel::TensorTableModel(QObject* parent) : TableModelBase(parent) {}

void TensorTableModel::setMap(std::shared_ptr<const sensitivity::SensitivityMap> map) {
    beginResetModel();
    map_ = std::move(map);
    classes_.clear();
    ranks_.clear();
    names_.clear();
    rowOf_.clear();
    if (map_) {
        const auto names = map_->names();
        scheme_ = models::resolveScheme(map_->provenance().architecture, names);
        ranks_ = map_->ranks();
        for (std::size_t i = 0; i < names.size(); ++i) {
            classes_.push_back(models::classify(names[i]));
            names_.push_back(QString::fromStdString(names[i]));
            rowOf_.insert(names_.back(), int(i));
        }
    }
    endResetModel();
}

void TensorTableModel::setPolicyModel(PolicyModel* policy) {
    if (policy_)
        disconnect(policy_, nullptr, this, nullptr);
    policy_ = policy;
    if (policy_)
        connect(policy_, &PolicyModel::choicesChanged, this, &TensorTableModel::onChoicesChanged);
    if (rows() > 0)
        emit dataChanged(index(0, Precision), index(rows() - 1, Precision));
}

QString TensorTableModel::nameAt(int row) const {
    return row >= 0 && row < names_.size() ? names_.at(row) : QString();
}

int TensorTableModel::rows() const {
    return int(names_.size());
}

QStringList TensorTableModel::headers() const {
    return {tr("Parameter"), tr("Layer"), tr("Kind"),       tr("Parameters"),
            tr("Score"),     tr("Rank"),  tr("Percentile"), tr("Precision")};
}

QString TensorTableModel::headerToolTip(int section) const {
    switch (section) {
    case Rank:
        return tr("1 = most sensitive tensor of the map");
    case Percentile:
        return tr("Share of tensors whose score is at most this one's");
    case Precision:
        return tr("Explicit precision chosen for this tensor (empty: policy default)");
    default:
        return {};
    }
}

QVariant TensorTableModel::cell(int row, int column, int role) const {
    const auto& e = map_->entries()[std::size_t(row)];
    const auto& c = classes_[std::size_t(row)];
    const int n = int(map_->size());
    const auto choice = policy_ ? policy_->precision(names_.at(row)) : std::nullopt;
    if (role == NameRole)
        return names_.at(row);
    if (role == Qt::TextAlignmentRole)
        return column == Name || column == Kind || column == Precision
                   ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                   : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    if (role == Qt::FontRole && column == Precision && choice) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::EditRole && column == Precision)
        return choice ? QString::fromStdString(choice->name()) : QString();
    const bool display = role == Qt::DisplayRole;
    const bool sort = role == SortRole;
    if (!display && !sort)
        return {};
    switch (column) {
    case Name:
        return names_.at(row);
    case Layer:
        if (c.place == models::Place::Layer)
            return display ? QVariant(QString::number(c.layer)) : QVariant(c.layer);
        return display ? QVariant(QString::fromStdString(models::placeId(c.place)))
                       : QVariant(c.place == models::Place::Embeddings ? -1 : 1 << 30);
    case Kind:
        return QString::fromStdString(models::kindLabel(c.kind, scheme_));
    case Numel:
        if (sort)
            return qlonglong(e.numel);
        return e.numel > 0 ? formatCount(e.numel) : QString();
    case Score:
        return display ? QVariant(formatScore(e.score)) : QVariant(e.score);
    case Rank:
        return ranks_[std::size_t(row)];
    case Percentile: {
        const double p = percentileOfRank(ranks_[std::size_t(row)], n);
        return display ? QVariant(QString::number(p, 'f', 1)) : QVariant(p);
    }
    case Precision:
        return choice ? QString::fromStdString(choice->name()) : QString();
    }
    return {};
}

Qt::ItemFlags TensorTableModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = TableModelBase::flags(index);
    if (index.isValid() && index.column() == Precision && policy_)
        f |= Qt::ItemIsEditable;
    return f;
}

bool TensorTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !policy_ || index.column() != Precision ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const QString text = value.toString().trimmed();
    std::optional<quant::Precision> p;
    if (!text.isEmpty()) {
        try {
            p = quant::Precision::parse(text.toStdString());
        } catch (const taskquant::Error&) {
            return false;
        }
    }
    policy_->setPrecision({names_.at(index.row())}, p); // emits dataChanged via the policy
    return true;
}

void TensorTableModel::onChoicesChanged(const QStringList& names) {
    for (const QString& n : names) {
        const int r = rowOf(n);
        if (r >= 0)
            emit dataChanged(index(r, Precision), index(r, Precision),
                             {Qt::DisplayRole, Qt::EditRole, Qt::FontRole});
    }
}

} // namespace taskquant::views
