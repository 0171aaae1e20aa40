// CSV field quoting (core/util/csv.h), against hand-worked RFC 4180 fields.
#include <QtTest/QtTest>

#include "core/util/csv.h"

using namespace taskquant;

class TestCsv : public QObject {
    Q_OBJECT
  private slots:
    void plainFieldsAreUnchanged() {
        QCOMPARE(csv::field(""), std::string(""));
        QCOMPARE(csv::field("model.layers.0.self_attn.q_proj.weight"),
                 std::string("model.layers.0.self_attn.q_proj.weight"));
        QCOMPARE(csv::field("semi;colon 'single' tab\there"),
                 std::string("semi;colon 'single' tab\there"));
    }
    void commaIsQuoted() { QCOMPARE(csv::field("a,b"), std::string("\"a,b\"")); }
    void quoteIsDoubled() {
        QCOMPARE(csv::field("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
        QCOMPARE(csv::field("\""), std::string("\"\"\"\""));
    }
    void carriageReturnIsQuoted() { QCOMPARE(csv::field("a\rb"), std::string("\"a\rb\"")); }
    void lineFeedIsQuoted() { QCOMPARE(csv::field("a\nb"), std::string("\"a\nb\"")); }
    void everythingAtOnce() {
        QCOMPARE(csv::field("x,\"y\"\r\n"), std::string("\"x,\"\"y\"\"\r\n\""));
    }
};

QTEST_APPLESS_MAIN(TestCsv)
#include "tst_csv.moc"
