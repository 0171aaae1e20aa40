#pragma once
// "Did you mean": the names nearest to a misspelt one (edit distance, ties in list order), for
// errors about a name that matches nothing (a policy override, a --set pin).
#include <string>
#include <vector>

namespace taskquant {

std::vector<std::string> nearestNames(const std::string& name,
                                      const std::vector<std::string>& candidates,
                                      std::size_t count = 3);
// "a, b, c" of nearestNames, or "(none)".
std::string nearestNamesText(const std::string& name, const std::vector<std::string>& candidates,
                             std::size_t count = 3);

} // namespace taskquant
