#include "core/eval/gsm8k.h"

#include <cctype>

#include "core/data/text_file.h"
#include "core/util/error.h"

namespace taskquant::eval {

std::vector<Gsm8kProblem> readGsm8k(const std::string& path, std::size_t limit) {
    const data::TextFile file = data::TextFile::read(path);
    std::vector<Gsm8kProblem> out;
    file.forEachLine([&](std::size_t lineNo, std::string_view line) {
        if (limit && out.size() >= limit)
            return;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            return;
        const std::string where = "line " + std::to_string(lineNo);
        nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            throw Error(path, where + ": not a JSON object");
        for (const char* f : {"question", "answer"})
            if (!j.contains(f) || !j[f].is_string())
                throw Error(path, where + ": missing string field \"" + f + "\"");
        out.push_back({j["question"].get<std::string>(), j["answer"].get<std::string>()});
    });
    if (out.empty())
        throw Error(path, "no GSM8K problems in the file");
    return out;
}

const std::string& gsm8kFewShot() {
    static const std::string s =
        "Q: A baker made 48 muffins in the morning and 36 in the afternoon. She sold 70 of them. "
        "How many muffins are left?\n"
        "A: She made 48 + 36 = 84 muffins. After selling 70, 84 - 70 = 14 muffins are left. "
        "Answer: 14\n\n"
        "Q: Tom reads 12 pages every day. How many pages does he read in 3 weeks?\n"
        "A: 3 weeks have 3 * 7 = 21 days. He reads 12 * 21 = 252 pages. Answer: 252\n\n"
        "Q: A shirt costs $25 and is on sale for 20% off. Maria buys 3 shirts. How much does she "
        "pay?\n"
        "A: 20% of $25 is 0.2 * 25 = $5, so one shirt costs 25 - 5 = $20. Three shirts cost "
        "3 * 20 = $60. Answer: 60\n\n"
        "Q: A garden has 5 rows of 8 tulips and 3 rows of 6 roses. Half of all the flowers are "
        "picked. How many flowers remain?\n"
        "A: There are 5 * 8 = 40 tulips and 3 * 6 = 18 roses, so 40 + 18 = 58 flowers. Half are "
        "picked, leaving 58 / 2 = 29. Answer: 29\n\n";
    return s;
}

std::string gsm8kPrompt(const std::string& question) {
    return gsm8kFewShot() + "Q: " + question + "\nA:";
}

std::optional<std::string> normalizeNumber(const std::string& raw) {
    std::string s;
    for (char c : raw)
        if (c != ',' && c != '$' && !std::isspace(static_cast<unsigned char>(c)))
            s.push_back(c);
    if (!s.empty() && s[0] == '+')
        s.erase(0, 1);
    while (!s.empty() && s.back() == '.')
        s.pop_back();
    if (s.empty())
        return std::nullopt;
    std::size_t i = s[0] == '-' ? 1 : 0;
    bool digits = false, dot = false;
    for (std::size_t k = i; k < s.size(); ++k) {
        if (std::isdigit(static_cast<unsigned char>(s[k])))
            digits = true;
        else if (s[k] == '.' && !dot)
            dot = true;
        else
            return std::nullopt;
    }
    if (!digits)
        return std::nullopt;
    if (dot) {
        while (s.back() == '0')
            s.pop_back();
        if (s.back() == '.')
            s.pop_back();
    }
    // leading zeros of the integer part
    std::size_t start = i;
    while (start + 1 < s.size() && s[start] == '0' && s[start + 1] != '.')
        ++start;
    s.erase(i, start - i);
    if (s == "-0")
        s = "0";
    return s;
}

namespace {

// Numbers in text: optional '-', digits with ',' separators, optional decimals.
std::vector<std::string> numbersIn(const std::string& t) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < t.size()) {
        if (std::isdigit(static_cast<unsigned char>(t[i]))) {
            std::size_t b = i;
            if (b > 0 && t[b - 1] == '-')
                --b;
            std::size_t e = i;
            while (e < t.size() && (std::isdigit(static_cast<unsigned char>(t[e])) ||
                                    ((t[e] == ',' || t[e] == '.') && e + 1 < t.size() &&
                                     std::isdigit(static_cast<unsigned char>(t[e + 1])))))
                ++e;
            out.push_back(t.substr(b, e - b));
            i = e;
        } else {
            ++i;
        }
    }
    return out;
}

} // namespace

std::string cutAtNextQuestion(const std::string& g) {
    const std::size_t p = g.find("\nQ:");
    return p == std::string::npos ? g : g.substr(0, p);
}

std::optional<std::string> extractAnswer(const std::string& generated) {
    const std::string t = cutAtNextQuestion(generated);
    const std::size_t a = t.rfind("Answer:");
    if (a != std::string::npos) {
        // the first number after the last marker, on its line
        const std::string rest = t.substr(a + 7);
        auto first = numbersIn(rest.substr(0, rest.find('\n')));
        if (!first.empty())
            return normalizeNumber(first.front());
    }
    auto nums = numbersIn(t);
    if (nums.empty())
        return std::nullopt;
    return normalizeNumber(nums.back());
}

std::optional<std::string> goldAnswer(const std::string& answer) {
    const std::size_t p = answer.rfind("####");
    if (p == std::string::npos)
        return std::nullopt;
    std::string rest = answer.substr(p + 4);
    auto nums = numbersIn(rest);
    if (nums.empty())
        return std::nullopt;
    return normalizeNumber(nums.front());
}

Gsm8kResult evaluateGsm8k(models::CausalLM& model, const tokenize::Tokenizer& tok,
                          const std::vector<Gsm8kProblem>& problems, int64_t maxNewTokens,
                          const JobControl& job) {
    Gsm8kResult r;
    std::vector<int64_t> stops;
    if (tok.eosId() >= 0)
        stops.push_back(tok.eosId());
    for (std::size_t i = 0; i < problems.size(); ++i) {
        job.check();
        job.report(double(i) / problems.size(), "GSM8K problem " + std::to_string(i + 1), i,
                   problems.size());
        const auto ids32 = tok.encode(gsm8kPrompt(problems[i].question), true);
        std::vector<int64_t> prompt(ids32.begin(), ids32.end());
        auto out = model.generate(prompt, maxNewTokens, stops, job);
        std::vector<int32_t> gen(out.begin(), out.end());
        Gsm8kRecord rec;
        rec.question = problems[i].question;
        rec.generated = cutAtNextQuestion(tok.decode(gen, true));
        rec.predicted = extractAnswer(rec.generated);
        rec.gold = goldAnswer(problems[i].answer);
        rec.correct = rec.predicted && rec.gold && *rec.predicted == *rec.gold;
        r.correct += rec.correct ? 1 : 0;
        ++r.total;
        r.records.push_back(std::move(rec));
    }
    job.report(1.0, "GSM8K done", problems.size(), problems.size());
    return r;
}

nlohmann::ordered_json Gsm8kResult::toJson(bool withRecords) const {
    nlohmann::ordered_json j;
    j["correct"] = correct;
    j["total"] = total;
    j["accuracy"] = accuracy();
    if (withRecords) {
        j["records"] = nlohmann::ordered_json::array();
        for (const auto& r : records)
            j["records"].push_back({{"question", r.question},
                                    {"generated", r.generated},
                                    {"predicted", r.predicted ? *r.predicted : ""},
                                    {"gold", r.gold ? *r.gold : ""},
                                    {"correct", r.correct}});
    }
    return j;
}

} // namespace taskquant::eval
