// JSON file helpers: parse errors with file, line and column; size limits; atomic writes.
#include <QtTest/QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/json_file.h"
#include "core/util/error.h"

using namespace taskquant;

namespace {
std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}
bool has(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}
} // namespace

class TstJsonFile : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

  private slots:
    void parsesValidJson() {
        auto j = io::parseJson("{\"a\": [1, 2.5, \"x\"], \"b\": {\"c\": null}}", "mem");
        QCOMPARE(j["a"][0].get<int>(), 1);
        QCOMPARE(j["a"][1].get<double>(), 2.5);
        QCOMPARE(j["a"][2].get<std::string>(), std::string("x"));
        QVERIFY(j["b"]["c"].is_null());
    }

    void parseErrorNamesSourceLineAndColumn() {
        // The stray '}' is on line 3, column 8 (counted by hand).
        std::string msg =
            errorOf([] { io::parseJson("{\n  \"a\": 1,\n  \"b\": }\n", "cfg.json"); });
        QVERIFY2(msg.rfind("cfg.json: invalid JSON at line 3, column 8", 0) == 0, msg.c_str());
        QVERIFY2(has(msg, "syntax error"), msg.c_str());
        msg = errorOf([] { io::parseJson("", "empty.json"); });
        QVERIFY2(msg.rfind("empty.json: invalid JSON at line 1, column 1", 0) == 0, msg.c_str());
        msg = errorOf([] { io::parseJson("[1, 2] 3", "tail.json"); });
        QVERIFY2(msg.rfind("tail.json: invalid JSON at line 1, column 8", 0) == 0, msg.c_str());
        msg = errorOf([] { io::parseJson("{\"k\": \"\xC3\x28\"}", "utf.json"); });
        QVERIFY2(msg.rfind("utf.json: invalid JSON at line 1", 0) == 0, msg.c_str());
    }

    void readErrorsNameTheFile() {
        const std::string missing = tmp_.filePath("missing.json").toStdString();
        std::string msg = errorOf([&] { io::readJsonFile(missing); });
        QVERIFY2(msg.rfind(missing + ": cannot open", 0) == 0, msg.c_str());
        msg = errorOf([&] { io::readJsonFile(tmp_.path().toStdString()); });
        QVERIFY2(has(msg, "is a directory"), msg.c_str());
        const std::string big = tmp_.filePath("big.json").toStdString();
        std::ofstream(big) << "[" << std::string(100, ' ') << "]";
        msg = errorOf([&] { io::readJsonFile(big, 64); });
        QVERIFY2(msg.rfind(big + ": file is too large (102 bytes)", 0) == 0, msg.c_str());
        QCOMPARE(io::readJsonFile(big, 102), nlohmann::json::array());
        const std::string bad = tmp_.filePath("bad.json").toStdString();
        std::ofstream(bad) << "{\"a\": 1,\n\"b\" 2}";
        msg = errorOf([&] { io::readJsonFile(bad); });
        QVERIFY2(msg.rfind(bad + ": invalid JSON at line 2, column 5", 0) == 0, msg.c_str());
    }

    void writeRoundTripIsAtomicAndIndented() {
        const std::string path = tmp_.filePath("out.json").toStdString();
        const nlohmann::json j = {{"name", "caf\xC3\xA9"}, {"scores", {1.5, 2.0}}, {"n", 3}};
        io::writeJsonFile(path, j);
        QCOMPARE(io::readJsonFile(path), j);
        std::ifstream in(path);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY(has(text, "\n  \"n\": 3"));
        QCOMPARE(text.back(), '\n');
        QCOMPARE(QDir(tmp_.path()).entryList({"*out.json*"}, QDir::Files | QDir::Hidden).size(), 1);
        // Overwriting replaces the contents whole.
        io::writeJsonFile(path, nlohmann::json::object());
        QCOMPARE(io::readJsonFile(path), nlohmann::json::object());
        std::string msg = errorOf([] { io::writeJsonFile("/nonexistent-dir-tq/x.json", {}); });
        QVERIFY2(has(msg, "/nonexistent-dir-tq/x.json"), msg.c_str());
    }
};

QTEST_APPLESS_MAIN(TstJsonFile)
#include "tst_json_file.moc"
