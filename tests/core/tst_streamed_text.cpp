// readTextTokens (evaluation_run.h): a --text file read and tokenized only as far as the
// windows need gives exactly the windows of whole-file tokenization (the reference: the whole
// file through the same tokenizer, then makeChunks), for a sentencepiece and a tokenizer.json
// model, with and without BOS, at several ctx/chunks settings.
#include <QtTest/QtTest>

#include "core/eval/evaluation_run.h"
#include "core/eval/token_metrics.h"
#include "core/io/atomic_file.h"
#include "core/tokenize/tokenizer.h"
#include "tests/common/fixtures.h"

using namespace taskquant;

class TestStreamedText : public QObject {
    Q_OBJECT

    static void compare(const std::string& modelRel) {
        TQ_REQUIRE_FIXTURE(modelRel);
        TQ_REQUIRE_FIXTURE("data/wikitext2/wiki.test.raw");
        const std::string text = tqtest::fixture("data/wikitext2/wiki.test.raw");
        auto tok = tokenize::loadTokenizer(tqtest::fixture(modelRel));
        const std::string whole = io::readFile(text);
        for (const bool bos : {false, true}) {
            const auto all = tok->encode(whole, bos);
            struct Setting {
                int64_t ctx, chunks;
            };
            for (const Setting s : {Setting{128, 4}, Setting{512, 3}, Setting{256, 40}}) {
                eval::ChunkOptions co;
                co.ctx = s.ctx;
                co.maxChunks = s.chunks;
                co.bosId = tok->addsBos() ? tok->bosId() : -1;
                const auto streamed = eval::readTextTokens(*tok, text, bos, s.ctx * s.chunks);
                // wiki.test.raw (1.3 MB) holds far more tokens than these windows: a prefix.
                QVERIFY(!streamed.wholeFile);
                QCOMPARE(streamed.tokens.size(), std::size_t(s.ctx * s.chunks));
                QVERIFY(streamed.tokens.size() < all.size() / 10);
                const auto a = eval::makeChunks(streamed.tokens, co);
                const auto b = eval::makeChunks(all, co);
                QCOMPARE(a.size(), std::size_t(s.chunks));
                QVERIFY2(a == b, qPrintable(QStringLiteral("%1 ctx %2 chunks %3 bos %4")
                                                .arg(QString::fromStdString(modelRel))
                                                .arg(s.ctx)
                                                .arg(s.chunks)
                                                .arg(bos)));
            }
            // More than the file holds: the whole file, all of its tokens.
            const auto more = eval::readTextTokens(*tok, text, bos, int64_t(all.size()) + 1000);
            QVERIFY(more.wholeFile);
            QVERIFY(more.tokens == all);
        }
    }

  private slots:
    void sentencepieceMatchesWholeFile() { compare("models/stories260K"); }
    void tokenizerJsonMatchesWholeFile() { compare("models/tinystories-656k"); }
    void missingFileNamed() {
        TQ_REQUIRE_FIXTURE("models/stories260K");
        auto tok = tokenize::loadTokenizer(tqtest::fixture("models/stories260K"));
        try {
            eval::readTextTokens(*tok, "/nonexistent/x.txt", false, 512);
            QFAIL("no error");
        } catch (const std::exception& e) {
            QVERIFY2(std::string(e.what()).find("/nonexistent/x.txt") != std::string::npos,
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestStreamedText)
#include "tst_streamed_text.moc"
