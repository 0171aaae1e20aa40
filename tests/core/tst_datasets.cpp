// Calibration data: readers, their errors, the dataset spec, deterministic sampling, and the
// real GSM8K / MATH / WikiText fixtures. Expected values are written by hand, computed by a
// simple loop here, or come from an independent reference (SplitMix64's published outputs, and
// samples computed with a separate Python implementation of the same algorithm).
#include <QtTest/QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/data/dataset_spec.h"
#include "core/data/load_texts.h"
#include "core/data/readers.h"
#include "core/data/sampling.h"
#include "core/util/error.h"
#include "core/util/utf8.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using data::DatasetSpec;
using Texts = std::vector<std::string>;

#define EXPECT_ERROR(expr, ...)                                                                    \
    do {                                                                                           \
        bool threw_ = false;                                                                       \
        try {                                                                                      \
            (void)(expr);                                                                          \
        } catch (const Error& e) {                                                                 \
            threw_ = true;                                                                         \
            const std::string msg_ = e.what();                                                     \
            for (const std::string& part_ : std::initializer_list<std::string>{__VA_ARGS__})       \
                QVERIFY2(                                                                          \
                    msg_.find(part_) != std::string::npos,                                         \
                    qPrintable(QString::fromStdString("missing \"" + part_ + "\" in: " + msg_)));  \
        }                                                                                          \
        QVERIFY2(threw_, "expected an error from " #expr);                                         \
    } while (0)

class TstDatasets : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    int counter_ = 0;
    std::string file(const std::string& contents, const char* ext = ".jsonl") {
        std::string p = tmp_.filePath(QString("f%1%2").arg(++counter_).arg(ext)).toStdString();
        std::ofstream out(p, std::ios::binary);
        out << contents;
        return p;
    }
    static Texts load(const std::string& kind, const std::string& path,
                      const std::string& field = {}, bool withAnswer = false) {
        return data::loadTexts(data::makeDatasetSpec(kind, path, field, withAnswer));
    }

  private slots:
    void gsm8kQuestionsAndAnswers() {
        const std::string p =
            file(R"({"question": "How many?", "answer": "Two.\n#### 2"})"
                 "\n\n"
                 R"({"answer": "x\n#### 1", "question": "Caf\u00e9 \u2019s eggs"})"
                 "\r\n"
                 R"({"question": "Last, no newline", "answer": "ok"})");
        QCOMPARE(load("gsm8k", p),
                 (Texts{"How many?", "Caf\xC3\xA9 \xE2\x80\x99s eggs", "Last, no newline"}));
        QCOMPARE(load("gsm8k", p, {}, true),
                 (Texts{"How many?\nTwo.\n#### 2", "Caf\xC3\xA9 \xE2\x80\x99s eggs\nx\n#### 1",
                        "Last, no newline\nok"}));
    }

    void mathProblemsAndSolutions() {
        const std::string p =
            file(R"({"problem": "Solve $x+1=2$.", "level": "Level 1", "solution": "$x=1$"})"
                 "\n"
                 R"({"problem": "\\frac{1}{2}?", "solution": "Half."})"
                 "\n");
        QCOMPARE(load("math", p), (Texts{"Solve $x+1=2$.", "\\frac{1}{2}?"}));
        QCOMPARE(load("MATH", p, {}, true),
                 (Texts{"Solve $x+1=2$.\n$x=1$", "\\frac{1}{2}?\nHalf."}));
    }

    void jsonlChosenField() {
        const std::string p = file("\xEF\xBB\xBF" // a BOM is accepted
                                   R"({"prompt": "first", "other": 1})"
                                   "\n"
                                   R"({"prompt": "   "})"
                                   "\n"    // blank text: dropped
                                   "   \n" // blank line: skipped
                                   R"({"prompt": "third\nline"})"
                                   "\n");
        QCOMPARE(load("jsonl", p, "prompt"), (Texts{"first", "third\nline"}));
        QCOMPARE(data::readJsonlTexts(p, "prompt"), (Texts{"first", "third\nline"}));
    }

    void wikitextFilter() {
        const std::string s100(100, 'a'), s99(99, 'b'), s150(150, 'c');
        std::string e60, e101;
        for (int i = 0; i < 60; ++i)
            e60 += "\xC3\xA9"; // 60 characters, 120 bytes
        for (int i = 0; i < 101; ++i)
            e101 += "\xC3\xA9"; // 101 characters
        const std::string text = "\n\n = Title = \n\n\n\n " + s150 + "\n\n = " + s150 + " = \n\n" +
                                 s100 + "\n\n" + s99 + "\n\n" + e60 + "\n\n" + e101 + "\n\n\n" +
                                 " =" + s150 + "\n\n" + "=" + s150 + "\n";
        const std::string p = file(text, ".raw");
        // Rows keep their newline, as Hugging Face rows do: 100 characters + "\n" is over 100.
        QCOMPARE(load("wikitext", p),
                 (Texts{" " + s150 + "\n", s100 + "\n", e101 + "\n", "=" + s150 + "\n"}));
        EXPECT_ERROR(
            load("wikitext", file(" = Heading only = \n\n short\n\n" + s99 + "\n", ".raw")),
            "empty wikitext calibration set", "longer than 100");
    }

    void textBlocks() {
        const std::string p = file("a\nb\n\n\n  \t\nc\r\nd\r\n\r\n\ne", ".txt");
        QCOMPARE(load("text", p), (Texts{"a\nb", "c\nd", "e"}));
        QCOMPARE(load("text", file("\n\none\n", ".txt")), Texts{"one"});
        EXPECT_ERROR(load("text", file("", ".txt")), "empty text calibration set");
        EXPECT_ERROR(load("text", file(" \n\t\n", ".txt")), "empty text calibration set");
    }

    void fileErrors() {
        const std::string missing = tmp_.filePath("missing.jsonl").toStdString();
        EXPECT_ERROR(load("gsm8k", missing), missing, "cannot open");
        EXPECT_ERROR(load("text", tmp_.path().toStdString()), "is a directory");
        // Hostile sizes: limits are checked before anything is kept in memory per line/file.
        DatasetSpec spec = data::makeDatasetSpec("text", file(std::string(300, 'x'), ".txt"));
        spec.limits.maxFileBytes = 200;
        EXPECT_ERROR(data::loadTexts(spec), spec.path, "too large", "300 bytes");
        spec =
            data::makeDatasetSpec("text", file("short\n" + std::string(5000, 'y') + "\n", ".txt"));
        spec.limits.maxLineBytes = 4096;
        EXPECT_ERROR(data::loadTexts(spec), spec.path, "line 2", "too long");
    }

    void jsonErrors() {
        std::string p = file(R"({"question": "ok", "answer": "a"})"
                             "\n"
                             "{\"question\": \"broken\n"); // not a raw string: moc
                                                           // mis-lexes an odd count of quotes
        EXPECT_ERROR(load("gsm8k", p), p, "line 2", "not valid JSON");
        p = file(R"({"question": "a"} trailing)"
                 "\n");
        EXPECT_ERROR(load("gsm8k", p), p, "line 1", "not valid JSON");
        p = file("[1, 2]\n");
        EXPECT_ERROR(load("gsm8k", p), p, "line 1", "expected a JSON object", "array");
        p = file(R"({"question": "a"})"
                 "\n"
                 R"({"question": "b"})"
                 "\n"
                 R"({"prompt": "c", "id": 3})"
                 "\n");
        EXPECT_ERROR(load("gsm8k", p), p, "line 3", "no field 'question'", "id, prompt");
        p = file(R"({"question": 42})"
                 "\n");
        EXPECT_ERROR(load("gsm8k", p), p, "line 1", "field 'question' is number");
        p = file(R"({"question": "q"})"
                 "\n");
        EXPECT_ERROR(load("gsm8k", p, {}, true), p, "line 1", "no field 'answer'");
        p = file(R"({"problem": "p", "solution": null})"
                 "\n");
        EXPECT_ERROR(load("math", p, {}, true), p, "line 1", "field 'solution' is null");
        p = file(R"({"text": "\ud800 lone surrogate escape"})"
                 "\n");
        EXPECT_ERROR(load("jsonl", p, "text"), p, "line 1", "not valid JSON");
        p = file(R"({"text": "   "})"
                 "\n\n");
        EXPECT_ERROR(load("jsonl", p, "text"), p, "empty jsonl calibration set", "'text'");
    }

    void invalidUtf8() {
        for (const std::string bad :
             {std::string("\xC3\x28"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
              std::string("\xFF"), std::string("\xE2\x82")}) {
            std::string p = file(R"({"question": "fine"})"
                                 "\n"
                                 "{\"question\": \"x" +
                                 bad + "\"}\n");
            EXPECT_ERROR(load("gsm8k", p), p, "line 2", "invalid UTF-8", "byte 16");
            p = file("good paragraph\n\nbad " + bad + "\n", ".txt");
            EXPECT_ERROR(load("text", p), p, "line 3", "invalid UTF-8");
            p = file(std::string(120, 'w') + "\n\n" + std::string(120, 'v') + bad + "\n", ".raw");
            EXPECT_ERROR(load("wikitext", p), p, "line 3", "invalid UTF-8");
        }
    }

    void utf8Validator() {
        std::size_t off = 99;
        QVERIFY(utf8::isValid("plain ASCII"));
        QVERIFY(utf8::isValid("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"));
        QVERIFY(utf8::isValid(""));
        const std::vector<std::pair<std::string, std::size_t>> bad = {
            {"ab\x80", 2},             // lone continuation byte
            {"a\xC1\xBF", 1},          // overlong 2-byte
            {"\xE0\x80\xAF", 0},       // overlong 3-byte
            {"xy\xF0\x80\x80\xAF", 2}, // overlong 4-byte
            {"\xED\xBF\xBF", 0},       // surrogate U+DFFF
            {"\xF4\x90\x80\x80", 0},   // U+110000
            {"ok\xF5\x80\x80\x80", 2}, // invalid lead byte
            {"\xE2\x82", 0},           // truncated at the end
            {"\xE2\x28\xA1", 0},       // bad continuation
        };
        for (const auto& [s, at] : bad) {
            QVERIFY2(!utf8::isValid(s, &off), s.c_str());
            QCOMPARE(off, at);
        }
        QCOMPARE(utf8::length("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), std::size_t(4));
    }

    void specValidation() {
        EXPECT_ERROR(data::makeDatasetSpec("gsm9k", "x.jsonl"), "unknown dataset kind 'gsm9k'",
                     "gsm8k, math, wikitext, jsonl, text");
        EXPECT_ERROR(data::makeDatasetSpec("gsm8k", ""), "no data file");
        EXPECT_ERROR(data::makeDatasetSpec("jsonl", "x.jsonl"), "x.jsonl", "text field");
        EXPECT_ERROR(data::makeDatasetSpec("wikitext", "w.raw", "text"), "has no fields");
        EXPECT_ERROR(data::makeDatasetSpec("text", "t.txt", {}, true),
                     "only possible for gsm8k and math");
        EXPECT_ERROR(data::makeDatasetSpec("jsonl", "x.jsonl", "q", true), "only possible");
        DatasetSpec s = data::makeDatasetSpec("GSM8K", "g.jsonl");
        QCOMPARE(s.kind, std::string("gsm8k"));
        QCOMPARE(s.field, std::string("question"));
        QCOMPARE(data::makeDatasetSpec("math", "m.jsonl").field, std::string("problem"));
        QCOMPARE(data::makeDatasetSpec("gsm8k", "g.jsonl", "prompt").field, std::string("prompt"));
        DatasetSpec manual{"Text", "t.txt"};
        EXPECT_ERROR(data::loadTexts(manual), "unknown dataset kind 'Text'");
    }

    void splitmixReference() {
        // Published SplitMix64 outputs for seed 0.
        data::SplitMix64 r(0);
        QCOMPARE(r.next(), uint64_t(0xE220A8397B1DCDAFull));
        QCOMPARE(r.next(), uint64_t(0x6E789E6AA1B965F4ull));
        QCOMPARE(r.next(), uint64_t(0x06C45D188009454Full));
        data::SplitMix64 b(123);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(b.below(7) < 7);
        QCOMPARE(b.below(1), uint64_t(0));
    }

    void samplingIsDeterministic() {
        // Reference samples from an independent Python implementation of SplitMix64 +
        // partial Fisher-Yates with rejection sampling.
        using Idx = std::vector<std::size_t>;
        QCOMPARE(data::sampleIndices(10, 10, 0), (Idx{5, 1, 9, 7, 0, 4, 3, 2, 6, 8}));
        QCOMPARE(data::sampleIndices(10, 10, 42), (Idx{3, 2, 4, 5, 8, 7, 0, 9, 6, 1}));
        QCOMPARE(data::sampleIndices(1000, 5, 7), (Idx{487, 727, 212, 720, 842}));
        QCOMPARE(data::sampleIndices(7473, 4, 0), (Idx{5683, 4549, 5801, 4807}));
        // The sample of k is the prefix of a larger sample with the same seed.
        Idx big = data::sampleIndices(500, 50, 9), small = data::sampleIndices(500, 20, 9);
        QVERIFY(std::equal(small.begin(), small.end(), big.begin()));
        QCOMPARE(std::set<std::size_t>(big.begin(), big.end()).size(), std::size_t(50));
        QVERIFY(data::sampleIndices(500, 50, 10) != big);
        QVERIFY(data::sampleIndices(0, 5, 1).empty());
        QVERIFY(data::sampleIndices(5, 0, 1).empty());

        Texts texts;
        for (int i = 0; i < 10; ++i)
            texts.push_back("t" + std::to_string(i));
        QCOMPARE(data::sampleTexts(texts, 3, 42), (Texts{"t3", "t2", "t4"}));
        // More than available: all of them, shuffled.
        Texts all = data::sampleTexts(texts, 100, 0);
        QCOMPARE(all, (Texts{"t5", "t1", "t9", "t7", "t0", "t4", "t3", "t2", "t6", "t8"}));
        QCOMPARE(data::sampleTexts(texts, 100, 0), all);
    }

    void realGsm8k() {
        TQ_REQUIRE_FIXTURE("data/gsm8k/test.jsonl");
        const std::string path = tqtest::fixture("data/gsm8k/test.jsonl");
        const Texts q = load("gsm8k", path), qa = load("gsm8k", path, {}, true);
        QCOMPARE(q.size(), std::size_t(1319));
        QCOMPARE(qa.size(), std::size_t(1319));
        std::ifstream in(path);
        std::string first;
        std::getline(in, first);
        const auto j = nlohmann::json::parse(first);
        QCOMPARE(q[0], j["question"].get<std::string>());
        QVERIFY(q[0].rfind("Janet\xE2\x80\x99s ducks lay 16 eggs", 0) == 0);
        QCOMPARE(qa[0], j["question"].get<std::string>() + "\n" + j["answer"].get<std::string>());
        QVERIFY(qa[0].size() > 6 && qa[0].substr(qa[0].size() - 5) == "## 18");
        const Texts s0 = data::sampleTexts(q, 16, 0), s0b = data::sampleTexts(q, 16, 0);
        QCOMPARE(s0, s0b);
        QVERIFY(s0 != data::sampleTexts(q, 16, 1));
    }

    void realMath() {
        TQ_REQUIRE_FIXTURE("data/math/algebra_test.jsonl");
        const std::string path = tqtest::fixture("data/math/algebra_test.jsonl");
        const Texts p = load("math", path), ps = load("math", path, {}, true);
        QCOMPARE(p.size(), std::size_t(1187));
        QVERIFY(p[0].rfind("How many vertical asymptotes", 0) == 0);
        QVERIFY(ps[0].rfind(p[0] + "\nThe denominator", 0) == 0);
    }

    void realWikiText() {
        TQ_REQUIRE_FIXTURE("data/wikitext2/wiki.test.raw");
        const std::string path = tqtest::fixture("data/wikitext2/wiki.test.raw");
        // Independent recomputation: each line is a Hugging Face row (plus its newline).
        Texts expected;
        std::ifstream in(path, std::ios::binary);
        std::string line;
        while (std::getline(in, line)) {
            std::size_t chars = 1; // the newline
            for (unsigned char c : line)
                chars += (c & 0xC0) != 0x80;
            if (chars > 100 && line.compare(0, 2, " =") != 0)
                expected.push_back(line + "\n");
        }
        const Texts got = load("wikitext", path);
        QCOMPARE(got.size(), std::size_t(1835)); // Python: len(row) > 100 on the HF rows
        QCOMPARE(got.size(), expected.size());
        QVERIFY(got == expected);
        QVERIFY(got[0].rfind(" Robert Boulter is an English film", 0) == 0);
    }
};

QTEST_APPLESS_MAIN(TstDatasets)
#include "tst_datasets.moc"
