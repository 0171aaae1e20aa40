#include "core/util/shape.h"

#include <limits>

#include "core/util/error.h"

namespace taskquant {

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

int64_t checkedNumel(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0)
            throw Error("invalid tensor shape " + shapeText(shape) + ": negative dimension");
        if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
            throw Error("invalid tensor shape " + shapeText(shape) + ": too many elements");
        n *= d;
    }
    return n;
}

} // namespace taskquant
