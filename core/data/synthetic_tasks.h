#pragma once
// The project's own two calibration / training tasks, generated deterministically from a seed:
//
//  * arithmetic: GSM8K-style word problems of 1, 2 or 3 steps (names, objects, + - x /, integer
//    answers), e.g.
//      "Mia has 7 apples. She buys 5 more apples. How many apples does Mia have now?"
//    with a short worked solution, one operation per line, ending "Answer: N":
//      "7 + 5 = 12\nAnswer: 12"
//  * algebra: MATH-style exercises (solve a linear equation, solve a 2x2 system, expand a
//    product of two binomials, simplify an expression) with a worked solution ending
//    "Answer: ..." ("Answer: x = 3", "Answer: x = 2, y = -1", "Answer: 2x^2 + x - 6").
//  * stories: a language task without digits. A short template story (a person, the town they
//    live in, a coloured thing, a pet and its name, a friend and how the friend felt) followed
//    by one fact-lookup question; the solution repeats the story's sentence that holds the fact
//    and ends "Answer: <word>", e.g.
//      "Lily lived in a small town called Oakford. ... Question: What was the name of Lily's
//       cat?"  ->  "Lily had a cat called Pip.\nAnswer: Pip"
//
//  * lookup: in-context retrieval, a task for attention. A table of 8 animal codes (random
//    two-digit codes written digit by digit) and 4 of its animals asked back:
//      "Codes: fox 4 7, owl 2 9, ... Find: owl, fox, ..."  ->  "owl 2 9\nfox 4 7\n...\nAnswer: 29
//      47 ..."
//  * facts: recall of memorised facts, a task for the MLPs. A fixed table of 64 made-up places
//    with a number each (the same for every seed: a model must learn it in its weights); six
//    facts recited, then one asked:
//      "Facts: Balad is 4 7. ... What is Mirot?"  ->  "Mirot is 1 3.\nAnswer: 13"
//
// Splits: every question belongs to exactly one split, decided by a fixed hash of its text
// (questionInTestSplit), so train and test are disjoint by construction whatever the seeds;
// within one generated set questions are unique. Output depends only on the arguments (own
// SplitMix64 generator, no <random> distributions): the same on every platform.
// Pure functions, thread-safe. Throws taskquant::Error on impossible requests.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace taskquant::data {

enum class SyntheticTask { Arithmetic, Algebra, Stories, Lookup, Facts };
enum class SyntheticSplit { Train, Test };

struct SyntheticProblem {
    std::string question; // the problem statement, one line
    std::string solution; // worked solution lines, the last one "Answer: <answer>"
    std::string answer;   // the final answer as written after "Answer: "
    std::string kind;     // arithmetic: "1-step", "2-step", "3-step";
                          // algebra: "linear", "system", "expand", "simplify";
                          // stories: "town", "color", "pet", "friend", "feeling";
                          // lookup: "lookup"; facts: "facts"
    // question + "\n" + solution: the training / calibration text.
    std::string text() const { return question + "\n" + solution; }
    // What a model is prompted with to answer: question + "\n".
    std::string prompt() const { return question + "\n"; }
};

// "arithmetic" | "algebra" | "stories" | "lookup" | "facts"; parseSyntheticTask throws Error on
// anything else.
std::string syntheticTaskName(SyntheticTask task);
SyntheticTask parseSyntheticTask(const std::string& name);

// True when the question belongs to the held-out test split (about one in eight questions).
bool questionInTestSplit(const std::string& question);

// `count` distinct problems of the split. steps: arithmetic only, 1..3, or 0 for an even mix of
// 1, 2 and 3 steps (cycling); must be 0 for algebra, whose kinds cycle linear, system, expand,
// simplify, and for stories, whose question kinds cycle town, color, pet, friend, feeling. Throws
// Error when steps is out of range or the count cannot be reached.
std::vector<SyntheticProblem> generateProblems(SyntheticTask task, SyntheticSplit split,
                                               std::size_t count, uint64_t seed, int steps = 0);

// The answer after the first "Answer:" in text (e.g. a model's continuation of a prompt):
// trimmed, up to the end of that line; "" when there is none.
std::string extractAnswer(const std::string& text);

} // namespace taskquant::data
