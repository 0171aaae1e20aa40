#pragma once
// Readers of calibration text files. Each returns the texts in file order and throws
// taskquant::Error naming the file (and line, and field where one is involved) for a missing
// or unreadable file, a line that is too long, invalid UTF-8, invalid JSON or a missing field.
// They do not fail on an empty result: loadTexts() does. Blocking; thread-safe.
#include <string>
#include <vector>

#include "core/data/text_file.h"

namespace taskquant::data {

// JSON Lines: one JSON object per line; blank lines are skipped. The text of a record is its
// string `field`, followed by "\n" and the string `appendField` when that is not empty.
// Records whose text is blank (only whitespace) are dropped.
std::vector<std::string> readJsonlTexts(const std::string& path, const std::string& field,
                                        const std::string& appendField = {},
                                        const ReadLimits& limits = {});

// WikiText raw text, filtered as the TaskQuant study does on the Hugging Face `wikitext` rows:
// keep a row when it is longer than 100 characters (Unicode code points) and does not start
// with " =" (a heading). In the raw file every row is one line (the files hold the rows joined
// by blank lines), and a Hugging Face row keeps its newline, so a row is a line + "\n" and it
// is returned that way; a paragraph of exactly 100 characters therefore passes.
std::vector<std::string> readWikiTextParagraphs(const std::string& path,
                                                const ReadLimits& limits = {});
constexpr std::size_t kWikiTextMinChars = 100; // rows must be strictly longer

// Plain text: paragraphs are runs of non-blank lines separated by blank (whitespace-only)
// lines; a paragraph's lines are joined with "\n" (CRLF line ends become "\n").
std::vector<std::string> readTextBlocks(const std::string& path, const ReadLimits& limits = {});

} // namespace taskquant::data
