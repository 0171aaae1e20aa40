#pragma once
// Rounding helpers shared by the codecs. Pure, thread-safe.
#include <cmath>

namespace taskquant::quant::detail {

// Nearest integer, ties to even -- the result of torch.round and of ggml's nearest_int() --
// after clamping v to [-limit, limit] (limit <= 2^22); NaN gives 0. Adding 1.5 * 2^23 moves v
// into the binade whose spacing is 1, so the float addition itself rounds (to nearest even,
// the default mode); this is exact and needs no libm call.
inline int roundHalfEven(float v, int limit) {
    if (v != v)
        return 0;
    const float l = static_cast<float>(limit);
    v = v < -l ? -l : (v > l ? l : v);
    const float r = (v + 12582912.f) - 12582912.f;
    return static_cast<int>(r);
}

// Nearest integer, ties away from zero (C's roundf, used by ggml's q8_0), clamped as above.
inline int roundHalfAway(float v, int limit) {
    if (v != v)
        return 0;
    const float l = static_cast<float>(limit);
    v = v < -l ? -l : (v > l ? l : v);
    return static_cast<int>(std::round(v));
}

} // namespace taskquant::quant::detail
