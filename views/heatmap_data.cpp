#include "views/heatmap_data.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace taskquant::views {

int HeatmapData::indexOf(const QString& name) const {
    return tensors->names.indexOf(name);
}

HeatmapData HeatmapData::fromMap(const sensitivity::SensitivityMap& map, bool normaliseToMax) {
    auto t = std::make_shared<Tensors>();
    const auto names = map.names();
    for (const auto& e : map.entries()) {
        t->names.push_back(QString::fromStdString(e.name));
        t->values.push_back(e.score);
        t->scores.push_back(e.score);
        t->numels.push_back(e.numel);
    }
    t->ranks = map.ranks();
    t->grid = policy::buildHeatmapGrid(names,
                                       models::resolveScheme(map.provenance().architecture, names));
    HeatmapData d;
    d.scale = ColorScale::log(t->values, normaliseToMax);
    d.tensors = std::move(t);
    d.title = map.source().empty()
                  ? QString::fromStdString(map.provenance().method)
                  : QFileInfo(QString::fromStdString(map.source())).completeBaseName();
    d.valueLabel = normaliseToMax ? QCoreApplication::translate("HeatmapData", "score / max")
                                  : QCoreApplication::translate("HeatmapData", "score");
    return d;
}

HeatmapData HeatmapData::fromComparison(const MapComparison& c, const QString& labelA,
                                        const QString& labelB) {
    auto t = std::make_shared<Tensors>();
    std::vector<std::string> names;
    for (const auto& r : c.rows) {
        t->names.push_back(r.name);
        names.push_back(r.name.toStdString());
        t->values.push_back(r.log2Ratio);
        t->scores.push_back(r.a);
        t->ranks.push_back(r.rankA);
        t->numels.push_back(0);
    }
    t->grid = policy::buildHeatmapGrid(names);
    HeatmapData d;
    d.scale = ColorScale::diverging(t->values);
    d.tensors = std::move(t);
    d.valueLabel = QCoreApplication::translate("HeatmapData", "log2(%1 / %2), each / its max")
                       .arg(labelB, labelA);
    d.title = d.valueLabel;
    return d;
}

HeatmapData HeatmapData::withNormaliseToMax(bool on) const {
    HeatmapData d = *this;
    if (scale.kind() == ColorScale::Kind::Log) {
        d.scale = ColorScale::logRange(scale.minValue(), scale.maxValue(), on);
        d.valueLabel = on ? QCoreApplication::translate("HeatmapData", "score / max")
                          : QCoreApplication::translate("HeatmapData", "score");
    }
    return d;
}

QString rowLabel(const policy::GridRow& row) {
    using models::Place;
    switch (row.place) {
    case Place::Embeddings:
        return QCoreApplication::translate("HeatmapData", "Embeddings");
    case Place::Layer:
        return QCoreApplication::translate("HeatmapData", "Layer %1").arg(row.layer);
    case Place::FinalNorm:
        return QCoreApplication::translate("HeatmapData", "Final norm");
    case Place::LmHead:
        return QStringLiteral("lm_head");
    case Place::Other:
        return QCoreApplication::translate("HeatmapData", "Other");
    }
    return QString::fromStdString(row.label);
}

} // namespace taskquant::views
