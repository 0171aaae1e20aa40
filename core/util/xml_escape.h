#pragma once
// Text for XML/SVG content and attribute values: & < > " escaped (the SVG writers of the
// frontier plot and the transfer matrix). Pure; thread-safe.
#include <string>

namespace taskquant {

inline std::string xmlEscape(const std::string& s) {
    std::string o;
    o.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            o += "&amp;";
            break;
        case '<':
            o += "&lt;";
            break;
        case '>':
            o += "&gt;";
            break;
        case '"':
            o += "&quot;";
            break;
        default:
            o += c;
        }
    }
    return o;
}

} // namespace taskquant
