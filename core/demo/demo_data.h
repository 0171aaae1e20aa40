#pragma once
// `taskquant demo --write-data DIR`: the demo tasks (data::demoTaskKinds(): arithmetic, algebra,
// stories) as files other tools read, the same held-out problems the file-less dataset kinds
// generate under the same seed and count (data::loadTexts):
//   DIR/<kind>.test.jsonl  one JSON object per line: {"question", "answer", "final", "kind",
//                          "text"}; "answer" is the worked solution ending "Answer: <final>"
//                          (GSM8K's layout: `--dataset gsm8k --with-answer` reads question +
//                          "\n" + answer, which is "text"), "final" the answer alone
//   DIR/<kind>.test.txt    the texts separated by blank lines (`--dataset text` reads them back
//                          one sample per paragraph; llama-perplexity -f reads the file)
// Files are written atomically; DIR is created if missing. Returns the paths written.
// Throws taskquant::Error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace taskquant::demo {

std::vector<std::string> writeDemoData(const std::string& dir, uint64_t seed, std::size_t count);

} // namespace taskquant::demo
