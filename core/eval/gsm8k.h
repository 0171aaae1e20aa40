#pragma once
// GSM8K answer accuracy the TaskQuant study's way: greedy generation after a 4-shot
// chain-of-thought prompt (four worked examples written by this project, in
// "Q: ...\nA: ... Answer: N" form), then answer extraction: the number after the last
// "Answer:" in the generated text, else the last number in it. The gold answer is the number
// after "####" in the dataset's answer field. Numbers compare after removing thousands
// separators, a leading "+", and trailing zeros after a decimal point ("18.00" == "18").
// Generation is cut at the first "\nQ:" (the model starting the next question).
//
// Slow on CPU (one greedy generation per problem); meant for GPU machines. Blocking; progress per
// problem; cancellable between problems. Pure helpers are thread-safe.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"
#include "core/tokenize/tokenizer.h"

namespace taskquant::eval {

struct Gsm8kProblem {
    std::string question;
    std::string answer; // the dataset's full answer, ending with "#### N"
};

// Reads GSM8K JSON Lines (fields "question" and "answer"); at most `limit` problems (0 = all).
// Throws taskquant::Error naming the file and line for malformed input.
std::vector<Gsm8kProblem> readGsm8k(const std::string& path, std::size_t limit = 0);

// The four worked examples, ending with a blank line.
const std::string& gsm8kFewShot();
// gsm8kFewShot() + "Q: " + question + "\nA:".
std::string gsm8kPrompt(const std::string& question);

// A number in canonical form ("1,234.50" -> "1234.5"); nullopt if `s` is not a number.
std::optional<std::string> normalizeNumber(const std::string& s);
// The predicted answer of a generated continuation (see above), normalized.
std::optional<std::string> extractAnswer(const std::string& generated);
// The gold answer after "####", normalized.
std::optional<std::string> goldAnswer(const std::string& answer);
// The continuation up to (not including) the first "\nQ:".
std::string cutAtNextQuestion(const std::string& generated);

struct Gsm8kRecord {
    std::string question, generated;
    std::optional<std::string> predicted, gold;
    bool correct = false;
};

struct Gsm8kResult {
    int64_t correct = 0, total = 0;
    double accuracy() const { return total ? double(correct) / total : 0.0; }
    std::vector<Gsm8kRecord> records;
    nlohmann::ordered_json toJson(bool withRecords = false) const;
};

Gsm8kResult evaluateGsm8k(models::CausalLM& model, const tokenize::Tokenizer& tokenizer,
                          const std::vector<Gsm8kProblem>& problems, int64_t maxNewTokens = 256,
                          const JobControl& job = {});

} // namespace taskquant::eval
