#pragma once
// CSV output (RFC 4180): the one field-quoting rule every CSV the project writes follows.
// Pure function, thread-safe.
#include <string>

namespace taskquant::csv {

// `s` unchanged when it holds none of , " CR LF; otherwise wrapped in double quotes with every
// " doubled. No other character is altered (a reader gets `s` back byte for byte).
std::string field(const std::string& s);

} // namespace taskquant::csv
