// The synthetic arithmetic and algebra tasks: determinism, disjoint splits, and answers that are
// right, recomputed here from the question text by an independent parser and evaluator.
#include <QtTest/QtTest>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "core/data/synthetic_tasks.h"
#include "core/util/error.h"

using namespace taskquant::data;

namespace {

// ---- arithmetic: the question's sentences, read with a phrase table of our own -----------

std::vector<std::string> sentences(const std::string& q) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < q.size(); ++i) {
        cur += q[i];
        if ((q[i] == '.' || q[i] == '?') && (i + 1 == q.size() || q[i + 1] == ' ')) {
            out.push_back(cur);
            cur.clear();
            if (i + 1 < q.size())
                ++i; // the space
        }
    }
    if (!cur.empty())
        out.push_back(cur);
    return out;
}

struct ArithmeticReading {
    bool ok = false;
    long long value = 0;
    int steps = 0;
    std::vector<long long> chain; // value after each operation, start included
};

ArithmeticReading readArithmetic(const std::string& q) {
    static const std::regex has(R"(^[A-Z][a-z]+ has (\d+) ([a-z]+)\.$)");
    static const std::regex boxes(
        R"(^[A-Z][a-z]+ buys (\d+) [a-z]+ of ([a-z]+) with (\d+) ([a-z]+) in each [a-z]+\.$)");
    static const std::regex more(
        R"(^(?:(?:He|She) (?:buys|finds)|[A-Z][a-z]+ gives [A-Z][a-z]+) (\d+) more ([a-z]+)\.$)");
    static const std::regex less(
        R"(^(?:He|She) (?:gives (\d+) ([a-z]+) to [A-Z][a-z]+|(?:loses|sells) (\d+) ([a-z]+))\.$)");
    static const std::regex times(
        R"(^(?:He|She) ends up with (\d+) times as many ([a-z]+) as before\.$)");
    static const std::regex split(
        R"(^(?:He|She) splits the ([a-z]+) into (\d+) equal groups and keeps one group\.$)");
    static const std::regex ask(R"(^How many ([a-z]+) does [A-Z][a-z]+ have now\?$)");
    ArithmeticReading r;
    const auto ss = sentences(q);
    if (ss.size() < 2)
        return r;
    std::smatch m;
    std::string object;
    long long v = 0;
    if (std::regex_match(ss[0], m, has)) {
        v = std::stoll(m[1]);
        object = m[2];
    } else if (std::regex_match(ss[0], m, boxes) && m[2] == m[4]) {
        v = std::stoll(m[1]) * std::stoll(m[3]);
        object = m[2];
        ++r.steps;
    } else {
        return r;
    }
    r.chain.push_back(v);
    for (std::size_t i = 1; i + 1 < ss.size(); ++i) {
        if (std::regex_match(ss[i], m, more) && m[2] == object) {
            v += std::stoll(m[1]);
        } else if (std::regex_match(ss[i], m, less)) {
            const bool gives = m[1].matched;
            if ((gives ? m[2] : m[4]) != object)
                return r;
            v -= std::stoll(gives ? m[1] : m[3]);
        } else if (std::regex_match(ss[i], m, times) && m[2] == object) {
            v *= std::stoll(m[1]);
        } else if (std::regex_match(ss[i], m, split) && m[1] == object) {
            const long long k = std::stoll(m[2]);
            if (v % k != 0)
                return r; // not an integer problem
            v /= k;
        } else {
            return r;
        }
        if (v <= 0)
            return r;
        r.chain.push_back(v);
        ++r.steps;
    }
    if (!std::regex_match(ss.back(), m, ask) || m[1] != object)
        return r;
    r.value = v;
    r.ok = true;
    return r;
}

// ---- algebra: a small evaluator of the expressions as written ("3x^2 - 2(x + 1)") ----------

class Eval {
  public:
    Eval(std::string s, long long x, long long y) : s_(std::move(s)), x_(x), y_(y) {}
    long long run() {
        const long long v = expr();
        skip();
        if (p_ != s_.size())
            throw std::runtime_error("trailing input in " + s_);
        return v;
    }

  private:
    void skip() {
        while (p_ < s_.size() && s_[p_] == ' ')
            ++p_;
    }
    char peek() {
        skip();
        return p_ < s_.size() ? s_[p_] : '\0';
    }
    long long expr() {
        long long v = term();
        for (char c = peek(); c == '+' || c == '-'; c = peek()) {
            ++p_;
            const long long t = term();
            v = c == '+' ? v + t : v - t;
        }
        return v;
    }
    long long term() {
        long long v = unary();
        for (;;) {
            const char c = peek();
            if (c == '*') {
                ++p_;
                v *= unary();
            } else if (c == '(' || c == 'x' || c == 'y' ||
                       std::isdigit(static_cast<unsigned char>(c))) {
                v *= power(); // implicit multiplication: 3x, 2(x + 1), (x + 1)(x - 2)
            } else {
                return v;
            }
        }
    }
    long long unary() {
        if (peek() == '-') {
            ++p_;
            return -unary();
        }
        return power();
    }
    long long power() {
        long long b = primary();
        if (peek() == '^') {
            ++p_;
            const long long e = primary();
            long long r = 1;
            for (long long i = 0; i < e; ++i)
                r *= b;
            return r;
        }
        return b;
    }
    long long primary() {
        const char c = peek();
        if (c == '(') {
            ++p_;
            const long long v = expr();
            if (peek() != ')')
                throw std::runtime_error("missing ) in " + s_);
            ++p_;
            return v;
        }
        if (c == 'x' || c == 'y') {
            ++p_;
            return c == 'x' ? x_ : y_;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            long long v = 0;
            while (p_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_])))
                v = v * 10 + (s_[p_++] - '0');
            return v;
        }
        throw std::runtime_error("unexpected input in " + s_);
    }
    std::string s_;
    std::size_t p_ = 0;
    long long x_, y_;
};

long long ev(const std::string& s, long long x, long long y = 0) {
    return Eval(s, x, y).run();
}

std::vector<std::string> questions(const std::vector<SyntheticProblem>& ps) {
    std::vector<std::string> q;
    for (const auto& p : ps)
        q.push_back(p.question);
    return q;
}

} // namespace

class TestSyntheticTasks : public QObject {
    Q_OBJECT
  private slots:
    void deterministicFromSeed() {
        for (auto task : {SyntheticTask::Arithmetic, SyntheticTask::Algebra, SyntheticTask::Lookup,
                          SyntheticTask::Facts}) {
            const auto a = generateProblems(task, SyntheticSplit::Train, 200, 5);
            const auto b = generateProblems(task, SyntheticSplit::Train, 200, 5);
            const auto c = generateProblems(task, SyntheticSplit::Train, 200, 6);
            QCOMPARE(a.size(), std::size_t(200));
            for (std::size_t i = 0; i < a.size(); ++i) {
                QCOMPARE(a[i].text(), b[i].text());
                QCOMPARE(a[i].answer, b[i].answer);
            }
            QVERIFY(questions(a) != questions(c));
        }
    }

    void splitsAreDisjointAndUnique() {
        for (auto task : {SyntheticTask::Arithmetic, SyntheticTask::Algebra, SyntheticTask::Lookup,
                          SyntheticTask::Facts}) {
            std::set<std::string> train;
            for (uint64_t seed : {1, 2, 3})
                for (const auto& q :
                     questions(generateProblems(task, SyntheticSplit::Train, 3000, seed)))
                    train.insert(q);
            for (uint64_t seed : {1, 2, 9}) {
                const auto test =
                    questions(generateProblems(task, SyntheticSplit::Test, 500, seed));
                QCOMPARE(std::set<std::string>(test.begin(), test.end()).size(), test.size());
                for (const auto& q : test)
                    QVERIFY2(!train.count(q), q.c_str());
            }
            const auto one = questions(generateProblems(task, SyntheticSplit::Train, 3000, 1));
            QCOMPARE(std::set<std::string>(one.begin(), one.end()).size(), one.size());
        }
    }

    void arithmeticAnswersAreRight() {
        std::map<int, int> stepsSeen;
        std::set<char> opsSeen;
        const std::regex lineRe(R"(^(\d+) ([-+x/]) (\d+) = (\d+)$)");
        for (auto split : {SyntheticSplit::Train, SyntheticSplit::Test}) {
            for (const auto& p : generateProblems(SyntheticTask::Arithmetic, split, 1500, 3)) {
                const auto r = readArithmetic(p.question);
                QVERIFY2(r.ok, p.question.c_str());
                QCOMPARE(p.answer, std::to_string(r.value));
                QCOMPARE(p.kind, std::to_string(r.steps) + "-step");
                ++stepsSeen[r.steps];
                // The worked solution: one correct operation per line, chained, then the answer.
                std::istringstream in(p.solution);
                std::string line;
                std::vector<std::string> lines;
                while (std::getline(in, line))
                    lines.push_back(line);
                QCOMPARE(int(lines.size()), r.steps + 1);
                QCOMPARE(lines.back(), "Answer: " + std::to_string(r.value));
                long long prev = -1;
                for (int i = 0; i < r.steps; ++i) {
                    std::smatch m;
                    QVERIFY2(std::regex_match(lines[i], m, lineRe), lines[i].c_str());
                    const long long a = std::stoll(m[1]), b = std::stoll(m[3]),
                                    c = std::stoll(m[4]);
                    const char op = m[2].str()[0];
                    opsSeen.insert(op);
                    const long long want = op == '+'   ? a + b
                                           : op == '-' ? a - b
                                           : op == 'x' ? a * b
                                                       : a / b;
                    if (op == '/')
                        QCOMPARE(a % b, 0LL);
                    QCOMPARE(c, want);
                    if (prev >= 0)
                        QCOMPARE(a, prev);
                    prev = c;
                }
                QCOMPARE(prev, r.value);
                QCOMPARE(extractAnswer(p.text()), p.answer);
            }
        }
        QCOMPARE(stepsSeen.size(), std::size_t(3));
        QCOMPARE(opsSeen, (std::set<char>{'+', '-', 'x', '/'}));
        for (int steps : {1, 2, 3})
            for (const auto& p :
                 generateProblems(SyntheticTask::Arithmetic, SyntheticSplit::Test, 50, 4, steps))
                QCOMPARE(readArithmetic(p.question).steps, steps);
    }

    void algebraAnswersAreRight() {
        const std::regex linearRe(R"(^Solve for x: (.+) = (.+)\.$)");
        const std::regex systemRe(R"(^Solve the system: (.+) = (-?\d+) and (.+) = (-?\d+)\.$)");
        const std::regex exprRe(R"(^(Expand|Simplify) (.+)\.$)");
        const std::regex solved(R"(^x = (-?\d+)$)");
        const std::regex solved2(R"(^x = (-?\d+), y = (-?\d+)$)");
        std::map<std::string, int> kinds;
        for (const auto& p :
             generateProblems(SyntheticTask::Algebra, SyntheticSplit::Test, 2000, 8)) {
            ++kinds[p.kind];
            std::smatch q, a;
            QCOMPARE(extractAnswer(p.text()), p.answer);
            if (std::regex_match(p.question, q, linearRe)) {
                QVERIFY2(std::regex_match(p.answer, a, solved), p.answer.c_str());
                const long long x = std::stoll(a[1]);
                QCOMPARE(ev(q[1], x), ev(q[2], x));
                QVERIFY(ev(q[1], x + 1) != ev(q[2], x + 1)); // a unique solution
            } else if (std::regex_match(p.question, q, systemRe)) {
                QVERIFY2(std::regex_match(p.answer, a, solved2), p.answer.c_str());
                const long long x = std::stoll(a[1]), y = std::stoll(a[2]);
                QCOMPARE(ev(q[1], x, y), std::stoll(q[2]));
                QCOMPARE(ev(q[3], x, y), std::stoll(q[4]));
                const long long det =
                    ev(q[1], 1, 0) * ev(q[3], 0, 1) - ev(q[3], 1, 0) * ev(q[1], 0, 1);
                QVERIFY(det != 0);
            } else if (std::regex_match(p.question, q, exprRe)) {
                QVERIFY(p.answer.find('(') == std::string::npos);
                for (long long x = -4; x <= 4; ++x)
                    QCOMPARE(ev(p.answer, x), ev(q[2], x));
                // Fully collected: each power of x at most once.
                for (const char* t : {"x^2", "x "}) {
                    const std::string s = p.answer + " ";
                    const auto first = s.find(t);
                    QVERIFY2(first == std::string::npos ||
                                 s.find(t, first + 1) == std::string::npos,
                             p.answer.c_str());
                }
            } else {
                QFAIL(p.question.c_str());
            }
        }
        QCOMPARE(kinds.size(), std::size_t(4));
        for (const auto& [k, n] : kinds)
            QCOMPARE(n, 500);
    }

    // Lookup: every asked animal's code is the one the table gives it; the worked solution
    // repeats "animal d d" per asked animal, then the codes as the answer.
    void lookupAnswersAreRight() {
        const std::regex pairRe(R"(([a-z]+) (\d) (\d))");
        const std::regex questionRe(R"(^Codes: (.+)\. Find: (.+)\.$)");
        for (const auto& p :
             generateProblems(SyntheticTask::Lookup, SyntheticSplit::Test, 300, 2)) {
            QCOMPARE(p.kind, std::string("lookup"));
            std::smatch q;
            QVERIFY2(std::regex_match(p.question, q, questionRe), p.question.c_str());
            std::map<std::string, std::string> table;
            const std::string codes = q[1];
            for (auto it = std::sregex_iterator(codes.begin(), codes.end(), pairRe);
                 it != std::sregex_iterator(); ++it)
                QVERIFY(table.emplace((*it)[1], (*it)[2].str() + (*it)[3].str()).second);
            QCOMPARE(table.size(), std::size_t(8));
            std::string asked = q[2], want, solution;
            std::istringstream in(asked);
            std::string key;
            int n = 0;
            while (std::getline(in, key, ',')) {
                key.erase(0, key.find_first_not_of(' '));
                QVERIFY2(table.count(key), key.c_str());
                const std::string& c = table[key];
                want += (n++ ? " " : "") + c;
                solution += key + " " + c.substr(0, 1) + " " + c.substr(1) + "\n";
            }
            QCOMPARE(n, 4);
            QCOMPARE(p.answer, want);
            QCOMPARE(p.solution, solution + "Answer: " + want);
            QCOMPARE(extractAnswer(p.text()), p.answer);
        }
    }

    // Facts: one fixed table whatever the seed or split (what a model memorises); the asked place
    // is not among the recited ones, and its number is the table's.
    void factsAnswersComeFromOneTable() {
        const std::regex factRe(R"(([A-Z][a-z]+) is (\d) (\d)\.)");
        const std::regex askRe(R"(What is ([A-Z][a-z]+)\?$)");
        std::map<std::string, std::string> table;
        std::set<std::string> asked;
        for (auto split : {SyntheticSplit::Train, SyntheticSplit::Test})
            for (uint64_t seed : {1, 5})
                for (const auto& p : generateProblems(SyntheticTask::Facts, split, 400, seed)) {
                    QCOMPARE(p.kind, std::string("facts"));
                    const std::string text = p.text();
                    std::set<std::string> recited;
                    for (auto it = std::sregex_iterator(text.begin(), text.end(), factRe);
                         it != std::sregex_iterator(); ++it) {
                        const std::string place = (*it)[1],
                                          number = (*it)[2].str() + (*it)[3].str();
                        const auto [at, fresh] = table.emplace(place, number);
                        QCOMPARE(at->second, number);
                        recited.insert(place);
                    }
                    std::smatch a;
                    QVERIFY2(std::regex_search(p.question, a, askRe), p.question.c_str());
                    asked.insert(a[1]);
                    QVERIFY2(p.question.find(" " + a[1].str() + " is ") == std::string::npos,
                             p.question.c_str());
                    QCOMPARE(p.answer, table.at(a[1]));
                    QCOMPARE(extractAnswer(text), p.answer);
                    QCOMPARE(recited.size(), std::size_t(7)); // six recited + the solution's
                }
        QCOMPARE(table.size(), std::size_t(64));
        QCOMPARE(asked.size(), std::size_t(64));
    }

    void answerExtraction() {
        QCOMPARE(extractAnswer("1 + 2 = 3\nAnswer: 3"), std::string("3"));
        QCOMPARE(extractAnswer("Answer:  x = 2, y = -1  \nAnswer: 5"),
                 std::string("x = 2, y = -1"));
        QCOMPARE(extractAnswer("no answer here"), std::string());
        QCOMPARE(extractAnswer("Answer:"), std::string());
    }

    void badRequestsThrow() {
        QVERIFY_THROWS_EXCEPTION(taskquant::Error, parseSyntheticTask("geometry"));
        QCOMPARE(parseSyntheticTask("algebra"), SyntheticTask::Algebra);
        QCOMPARE(parseSyntheticTask("lookup"), SyntheticTask::Lookup);
        QCOMPARE(parseSyntheticTask("facts"), SyntheticTask::Facts);
        QVERIFY_THROWS_EXCEPTION(
            taskquant::Error,
            generateProblems(SyntheticTask::Lookup, SyntheticSplit::Train, 1, 0, 1));
        QVERIFY_THROWS_EXCEPTION(
            taskquant::Error,
            generateProblems(SyntheticTask::Arithmetic, SyntheticSplit::Train, 1, 0, 4));
        QVERIFY_THROWS_EXCEPTION(
            taskquant::Error,
            generateProblems(SyntheticTask::Algebra, SyntheticSplit::Train, 1, 0, 2));
    }
};

QTEST_APPLESS_MAIN(TestSyntheticTasks)
#include "tst_synthetic_tasks.moc"
