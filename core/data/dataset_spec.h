#pragma once
// What calibration text to read: a dataset kind and a file, as named on the command line or in
// the GUI. Kinds:
//   gsm8k    JSON Lines, text = "question"   (withAnswer: question + "\n" + answer)
//   math     JSON Lines, text = "problem"    (withAnswer: problem + "\n" + solution)
//   wikitext WikiText raw text, the study's paragraph filter (see readers.h)
//   jsonl    JSON Lines, text = `field` (required)
//   text     plain UTF-8 text, one sample per paragraph (blocks separated by blank lines)
// Pure functions, thread-safe; errors are taskquant::Error with a one-line message.
#include <string>
#include <vector>

#include "core/data/text_file.h"

namespace taskquant::data {

struct DatasetSpec {
    std::string kind;        // one of datasetKinds()
    std::string path;        // the data file
    std::string field;       // jsonl: the text field; gsm8k/math: overrides the default field
    bool withAnswer = false; // gsm8k/math only: append the answer / solution
    ReadLimits limits;       // caps that keep hostile files from exhausting memory
};

// "gsm8k", "math", "wikitext", "jsonl", "text".
const std::vector<std::string>& datasetKinds();

// The embedded demo tasks (core/data/synthetic_tasks.h) offered as datasets that need no file:
// "arithmetic", "algebra".
const std::vector<std::string>& demoTaskKinds();
// Whether a dataset kind reads a file (false for the demo tasks).
bool datasetKindTakesFile(const std::string& kind);

// The field read by default for a kind ("question", "problem"), or "" for kinds without one.
std::string defaultField(const std::string& kind);
// The field appended by withAnswer ("answer", "solution"), or "" where withAnswer is invalid.
std::string answerField(const std::string& kind);

// Builds a validated spec from user input. The kind is matched case-insensitively and stored
// in lower case; gsm8k/math get their default field when `field` is empty. Throws Error for an
// unknown kind (listing the valid ones), an empty path, jsonl without a field, a field given
// to wikitext/text, or withAnswer for a kind without answers. Does not touch the file.
DatasetSpec makeDatasetSpec(const std::string& kind, const std::string& path,
                            const std::string& field = {}, bool withAnswer = false);

// The same checks for a spec built by hand (the kind must already be lower case).
void validateDatasetSpec(const DatasetSpec& spec);

} // namespace taskquant::data
