#include <QtTest/QtTest>
#include <algorithm>

#include "core/models/naming_scheme.h"
#include "core/models/taxonomy.h"
#include "core/policy/heatmap_grid.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant::models;
using namespace taskquant::policy;

Q_DECLARE_METATYPE(taskquant::models::Place)
Q_DECLARE_METATYPE(taskquant::models::Kind)

namespace {
std::vector<std::string> jsonKeys(const std::string& path) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    std::vector<std::string> keys;
    for (const QString& k : o.keys())
        keys.push_back(k.toStdString());
    return keys;
}
} // namespace

class TstTaxonomy : public QObject {
    Q_OBJECT
  private slots:
    void classifies_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<Place>("place");
        QTest::addColumn<int>("layer");
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<bool>("bias");
        auto row = [](const char* n, Place p, int l, Kind k, bool b) {
            QTest::newRow(n) << QString::fromLatin1(n) << p << l << k << b;
        };
        // llama / mistral / qwen2
        row("model.embed_tokens.weight", Place::Embeddings, -1, Kind::Embed, false);
        row("model.layers.0.self_attn.q_proj.weight", Place::Layer, 0, Kind::Q, false);
        row("model.layers.3.self_attn.k_proj.bias", Place::Layer, 3, Kind::K, true);
        row("model.layers.3.self_attn.v_proj.weight", Place::Layer, 3, Kind::V, false);
        row("model.layers.12.self_attn.o_proj.weight", Place::Layer, 12, Kind::O, false);
        row("model.layers.1.mlp.gate_proj.weight", Place::Layer, 1, Kind::Gate, false);
        row("model.layers.1.mlp.up_proj.weight", Place::Layer, 1, Kind::Up, false);
        row("model.layers.1.mlp.down_proj.weight", Place::Layer, 1, Kind::Down, false);
        row("model.layers.7.input_layernorm.weight", Place::Layer, 7, Kind::InputNorm, false);
        row("model.layers.7.post_attention_layernorm.weight", Place::Layer, 7, Kind::PostAttnNorm,
            false);
        row("model.layers.2.self_attn.q_norm.weight", Place::Layer, 2, Kind::QNorm, false);
        row("model.norm.weight", Place::FinalNorm, -1, Kind::FinalNorm, false);
        row("lm_head.weight", Place::LmHead, -1, Kind::LmHead, false);
        // phi
        row("model.layers.29.self_attn.dense.weight", Place::Layer, 29, Kind::O, false);
        row("model.layers.29.self_attn.dense.bias", Place::Layer, 29, Kind::O, true);
        row("model.layers.4.mlp.fc1.weight", Place::Layer, 4, Kind::Fc1, false);
        row("model.layers.4.mlp.fc2.bias", Place::Layer, 4, Kind::Fc2, true);
        row("model.layers.4.input_layernorm.bias", Place::Layer, 4, Kind::InputNorm, true);
        row("model.final_layernorm.weight", Place::FinalNorm, -1, Kind::FinalNorm, false);
        row("lm_head.bias", Place::LmHead, -1, Kind::LmHead, true);
        // gpt2, with and without the transformer. prefix
        row("transformer.wte.weight", Place::Embeddings, -1, Kind::Embed, false);
        row("transformer.wpe.weight", Place::Embeddings, -1, Kind::PosEmbed, false);
        row("transformer.h.5.attn.c_attn.weight", Place::Layer, 5, Kind::Qkv, false);
        row("transformer.h.5.attn.c_attn.bias", Place::Layer, 5, Kind::Qkv, true);
        row("transformer.h.5.attn.c_proj.weight", Place::Layer, 5, Kind::O, false);
        row("transformer.h.5.mlp.c_fc.weight", Place::Layer, 5, Kind::Fc1, false);
        row("transformer.h.5.mlp.c_proj.weight", Place::Layer, 5, Kind::Fc2, false);
        row("transformer.h.5.ln_1.weight", Place::Layer, 5, Kind::InputNorm, false);
        row("transformer.h.5.ln_2.bias", Place::Layer, 5, Kind::PostAttnNorm, true);
        row("transformer.ln_f.weight", Place::FinalNorm, -1, Kind::FinalNorm, false);
        row("h.0.mlp.c_proj.weight", Place::Layer, 0, Kind::Fc2, false);
        row("wte.weight", Place::Embeddings, -1, Kind::Embed, false);
        // unknown names are kept as Other
        row("model.layers.3.self_attn.rotary_emb.inv_freq", Place::Layer, 3, Kind::Other, false);
        row("transformer.h.0.attn.bias", Place::Layer, 0, Kind::Other, true);
        row("model.vision_tower.patch.weight", Place::Other, -1, Kind::Other, false);
        row("score.weight", Place::Other, -1, Kind::Other, false);
        row("model.layers.99999999.mlp.up_proj.weight", Place::Other, -1, Kind::Other, false);
        row("model.layers.x.mlp.up_proj.weight", Place::Other, -1, Kind::Other, false);
        QTest::newRow("empty name") << QString() << Place::Other << -1 << Kind::Other << false;
        row("....", Place::Other, -1, Kind::Other, false);
    }
    void classifies() {
        QFETCH(QString, name);
        QFETCH(Place, place);
        QFETCH(int, layer);
        QFETCH(Kind, kind);
        QFETCH(bool, bias);
        const TensorClass c = classify(name.toStdString());
        QCOMPARE(c.place, place);
        QCOMPARE(c.layer, layer);
        QCOMPARE(c.kind, kind);
        QCOMPARE(c.isBias, bias);
    }

    void quantizableWeights() {
        QVERIFY(classify("model.layers.0.mlp.down_proj.weight").isQuantizableWeight());
        QVERIFY(classify("transformer.h.0.attn.c_attn.weight").isQuantizableWeight());
        QVERIFY(!classify("model.layers.0.mlp.down_proj.bias").isQuantizableWeight());
        QVERIFY(!classify("model.layers.0.input_layernorm.weight").isQuantizableWeight());
        QVERIFY(!classify("lm_head.weight").isQuantizableWeight());
        QVERIFY(!classify("model.embed_tokens.weight").isQuantizableWeight());
        QVERIFY(classify("model.final_layernorm.weight").isNorm());
        QVERIFY(classify("transformer.h.1.ln_2.weight").isNorm());
    }

    void detectsScheme() {
        QCOMPARE(detectScheme({"model.layers.0.mlp.gate_proj.weight", "model.norm.weight"}),
                 Scheme::byId("llama"));
        QCOMPARE(detectScheme({"model.layers.0.mlp.fc1.weight", "model.final_layernorm.weight"}),
                 Scheme::byId("phi"));
        QCOMPARE(detectScheme({"transformer.h.0.attn.c_attn.weight", "transformer.wte.weight"}),
                 Scheme::byId("gpt2"));
        QCOMPARE(detectScheme({"foo.bar", "baz"}), Scheme::Unknown);
        QCOMPARE(schemeFromArchitecture("Qwen2ForCausalLM"), Scheme::byId("llama"));
        QCOMPARE(schemeFromArchitecture("mistral"), Scheme::byId("llama"));
        QCOMPARE(schemeFromArchitecture("PhiForCausalLM"), Scheme::byId("phi"));
        QCOMPARE(schemeFromArchitecture("gpt2"), Scheme::byId("gpt2"));
        QCOMPARE(schemeFromArchitecture("mamba"), Scheme::Unknown);
        // An explicit architecture wins over detection.
        QCOMPARE(resolveScheme("gpt2", {"model.layers.0.mlp.fc1.weight"}), Scheme::byId("gpt2"));
        QCOMPARE(resolveScheme("", {"model.layers.0.mlp.fc1.weight"}), Scheme::byId("phi"));
    }

    // Each registered family (core/models/naming_*.cpp) is complete: a known id that
    // round-trips, and every kind its modules produce has a heatmap column.
    void registeredFamiliesAreComplete() {
        QCOMPARE(namingSchemes().size(), std::size_t(3));
        for (const char* id : {"llama", "phi", "gpt2"}) {
            QVERIFY2(Scheme::byId(id).known(), id);
            QCOMPARE(schemeName(Scheme::byId(id)), std::string(id));
        }
        QVERIFY(!Scheme::byId("mamba").known());
        QCOMPARE(schemeName(Scheme::Unknown), std::string("unknown"));
        for (const NamingScheme* n : namingSchemes()) {
            const auto& order = layerColumnOrder(Scheme(n));
            auto hasColumn = [&](Kind k) {
                return std::find(order.begin(), order.end(), k) != order.end();
            };
            for (const auto& [module, kind] : n->modules)
                QVERIFY2(hasColumn(kind), (n->id + ": " + module).c_str());
            for (const auto& c : n->contextual)
                QVERIFY2(hasColumn(c.kind), (n->id + ": " + c.module).c_str());
        }
        // Unknown: the union of the families' columns, in Kind order.
        const std::vector<Kind> all = {Kind::Q,     Kind::K,    Kind::V,         Kind::Qkv,
                                       Kind::O,     Kind::Gate, Kind::Up,        Kind::Down,
                                       Kind::Fc1,   Kind::Fc2,  Kind::InputNorm, Kind::PostAttnNorm,
                                       Kind::QNorm, Kind::KNorm};
        QVERIFY(layerColumnOrder(Scheme::Unknown) == all);
    }

    void kindIdsRoundTrip() {
        for (int k = 0; k <= static_cast<int>(Kind::Other); ++k)
            QCOMPARE(kindFromId(kindId(static_cast<Kind>(k))), static_cast<Kind>(k));
        QVERIFY_THROWS_EXCEPTION(taskquant::Error, kindFromId("nonsense"));
        QCOMPARE(kindLabel(Kind::O, Scheme::byId("phi")), std::string("dense"));
        QCOMPARE(kindLabel(Kind::O, Scheme::byId("llama")), std::string("o_proj"));
        QCOMPARE(kindLabel(Kind::Qkv, Scheme::byId("gpt2")), std::string("attn.c_attn"));
    }

    void phi2MapGrid() {
        TQ_REQUIRE_FIXTURE("maps/taskquant-phi2/fisher_gsm8k_mean.json");
        const auto names = jsonKeys(tqtest::fixture("maps/taskquant-phi2/fisher_gsm8k_mean.json"));
        QCOMPARE(names.size(), std::size_t(227));
        const HeatmapGrid g = buildHeatmapGrid(names);
        QCOMPARE(g.scheme, Scheme::byId("phi"));
        // Every entry classified (none is "other") and placed in exactly one cell.
        for (std::size_t i = 0; i < names.size(); ++i) {
            QVERIFY2(g.classes[i].kind != Kind::Other, names[i].c_str());
            const GridCell& cell = g.cells[g.cellOfTensor[i]];
            QVERIFY(std::find(cell.tensors.begin(), cell.tensors.end(), i) != cell.tensors.end());
        }
        std::size_t placed = 0;
        for (const auto& c : g.cells)
            placed += c.tensors.size();
        QCOMPARE(placed, names.size());
        QCOMPARE(g.layerCount(), 32);
        QCOMPARE(g.rows.size(), std::size_t(35)); // embeddings, 32 layers, final norm, lm_head
        QCOMPARE(g.rows.front().place, Place::Embeddings);
        QCOMPARE(g.rows[1].layer, 0);
        QCOMPARE(g.rows[32].layer, 31);
        QCOMPARE(g.rows[33].place, Place::FinalNorm);
        QCOMPARE(g.rows[34].place, Place::LmHead);
        const std::vector<std::string> labels = {"q_proj", "k_proj", "v_proj",         "dense",
                                                 "fc1",    "fc2",    "input_layernorm"};
        QCOMPARE(g.columnLabels, labels);
        // 32 x 7 layer cells + 3 spanning cells.
        QCOMPARE(g.cells.size(), std::size_t(32 * 7 + 3));
        const GridCell* k29 = g.cellAt(g.rowOfLayer(29), 1);
        QVERIFY(k29);
        QCOMPARE(k29->tensors.size(), std::size_t(1));
        QCOMPARE(names[k29->tensors[0]], std::string("model.layers.29.self_attn.k_proj.weight"));
        const GridCell* head = g.cellAt(34, 5);
        QVERIFY(head);
        QCOMPARE(head->columnSpan, 7);
        QCOMPARE(names[head->tensors[0]], std::string("lm_head.weight"));
    }

    void gridKeepsBiasesAndUnknowns() {
        const std::vector<std::string> names = {
            "transformer.h.1.attn.c_attn.bias", "transformer.h.1.attn.c_attn.weight",
            "transformer.wpe.weight",           "transformer.wte.weight",
            "transformer.h.0.ln_1.weight",      "transformer.h.0.attn.bias",
            "transformer.ln_f.weight",          "mystery.tensor"};
        const HeatmapGrid g = buildHeatmapGrid(names);
        QCOMPARE(g.scheme, Scheme::byId("gpt2"));
        // rows: embeddings, layer 0, layer 1, final norm, other
        QCOMPARE(g.rows.size(), std::size_t(5));
        QCOMPARE(g.layerCount(), 2);
        QCOMPARE(g.rows[4].place, Place::Other);
        // columns: c_attn, ln_1 (scheme order), then other
        QCOMPARE(g.columns, (std::vector<Kind>{Kind::Qkv, Kind::InputNorm, Kind::Other}));
        const GridCell* qkv1 = g.cellAt(2, 0);
        QVERIFY(qkv1);
        // weight first, then its bias
        QCOMPARE(qkv1->tensors, (std::vector<std::size_t>{1, 0}));
        const GridCell* emb = g.cellAt(0, 2);
        QVERIFY(emb);
        QCOMPARE(emb->tensors, (std::vector<std::size_t>{3, 2})); // wte before wpe
        QVERIFY(!g.cellAt(1, 0));                                 // layer 0 has no c_attn
        const GridCell* other0 = g.cellAt(1, 2);
        QVERIFY(other0);
        QCOMPARE(names[other0->tensors[0]], std::string("transformer.h.0.attn.bias"));
        QCOMPARE(names[g.cellAt(4, 0)->tensors[0]], std::string("mystery.tensor"));
    }

    void gridFillsMissingLayers() {
        const HeatmapGrid g = buildHeatmapGrid(
            {"model.layers.3.mlp.down_proj.weight", "model.layers.0.self_attn.q_proj.weight"});
        QCOMPARE(g.layerCount(), 4);
        QCOMPARE(g.columns, (std::vector<Kind>{Kind::Q, Kind::Down}));
        QVERIFY(g.cellAt(g.rowOfLayer(3), 1));
        QVERIFY(!g.cellAt(g.rowOfLayer(1), 0));
        QCOMPARE(g.rowOfLayer(7), -1);
        const HeatmapGrid empty = buildHeatmapGrid({});
        QCOMPARE(empty.rows.size(), std::size_t(0));
        QCOMPARE(empty.cells.size(), std::size_t(0));
    }
};

QTEST_APPLESS_MAIN(TstTaxonomy)
#include "tst_taxonomy.moc"
