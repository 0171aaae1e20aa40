#pragma once
// What calibration text to read: a dataset kind and a file, as named on the command line or in
// the GUI. Kinds:
//   gsm8k    JSON Lines, text = "question"   (withAnswer: question + "\n" + answer)
//   math     JSON Lines, text = "problem"    (withAnswer: problem + "\n" + solution)
//   wikitext WikiText raw text, the study's paragraph filter (see readers.h)
//   jsonl    JSON Lines, text = `field` (required)
//   text     plain UTF-8 text, one sample per paragraph (blocks separated by blank lines)
// and the file-less kinds, the demo model's generated tasks (core/data/synthetic_tasks.h):
//   arithmetic, algebra, stories, lookup, facts
//            the held-out (test) split, `count` problems generated from `seed`, each text the
//            question + "\n" + worked solution; the same under the same seed on every platform.
// Pure functions, thread-safe; errors are taskquant::Error with a one-line message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/text_file.h"

namespace taskquant::data {

struct DatasetSpec {
    std::string kind;        // one of datasetKinds()
    std::string path;        // the data file (empty for the file-less kinds)
    std::string field;       // jsonl: the text field; gsm8k/math: overrides the default field
    bool withAnswer = false; // gsm8k/math only: append the answer / solution
    ReadLimits limits;       // caps that keep hostile files from exhausting memory
    uint64_t seed = 0;       // file-less kinds: seed of the generated problems
    std::size_t count = 0;   // file-less kinds: problems to generate (0 = kDemoTaskCount)
};

// Problems a file-less kind generates when the spec does not say.
constexpr std::size_t kDemoTaskCount = 256;

// "gsm8k", "math", "wikitext", "jsonl", "text", then demoTaskKinds().
const std::vector<std::string>& datasetKinds();

// The file-less kinds: "arithmetic", "algebra", "stories", "lookup", "facts" (the generated tasks).
const std::vector<std::string>& demoTaskKinds();

// False exactly for demoTaskKinds() (matched case-insensitively): whether a kind reads a file.
bool datasetKindTakesFile(const std::string& kind);

// The field read by default for a kind ("question", "problem"), or "" for kinds without one.
std::string defaultField(const std::string& kind);
// The field appended by withAnswer ("answer", "solution"), or "" where withAnswer is invalid.
std::string answerField(const std::string& kind);

// Builds a validated spec from user input. The kind is matched case-insensitively and stored
// in lower case; gsm8k/math get their default field when `field` is empty. Throws Error for an
// unknown kind (listing the valid ones), an empty path for a kind that reads a file, a path or a
// field given to a file-less kind, jsonl without a field, a field given to wikitext/text, or
// withAnswer for a kind without answers (the file-less kinds' texts always hold the solution;
// withAnswer is accepted and changes nothing). Does not touch the file.
DatasetSpec makeDatasetSpec(const std::string& kind, const std::string& path,
                            const std::string& field = {}, bool withAnswer = false);

// The same checks for a spec built by hand (the kind must already be lower case).
void validateDatasetSpec(const DatasetSpec& spec);

} // namespace taskquant::data
