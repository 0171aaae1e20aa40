#include "core/quant/int_groups.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "core/quant/half.h"
#include "core/quant/rounding.h"
#include "core/util/error.h"

namespace taskquant::quant::detail {

namespace {

int64_t groupOf(const Precision& p, int64_t cols) {
    return p.groupSize == 0 ? cols : p.groupSize;
}
int64_t codeBytes(int64_t n, int bits) {
    return (n * bits + 7) / 8;
}
int64_t scaleBytes(const Precision& p) {
    return p.format == Format::IntAsym ? 4 : 2;
}

[[noreturn]] void tooLarge(const Precision& p, int64_t row, int64_t col, const char* what,
                           float value) {
    std::ostringstream s;
    s << p.name() << ": the group at row " << row << ", column " << col << " has a " << what << " ("
      << value << ") beyond the fp16 range of its scale fields";
    throw Error(s.str());
}

void storeCodes(int bits, const int* codes, int64_t n, uint8_t* out) {
    if (bits == 8) {
        for (int64_t i = 0; i < n; ++i)
            out[i] = static_cast<uint8_t>(codes[i] & 0xff);
        return;
    }
    for (int64_t i = 0; i + 1 < n; i += 2)
        out[i / 2] = static_cast<uint8_t>((codes[i] & 0xf) | ((codes[i + 1] & 0xf) << 4));
    if (n % 2)
        out[n / 2] = static_cast<uint8_t>(codes[n - 1] & 0xf);
}

// Symmetric: codes in [-qmax, qmax]; stored two's complement (8 bit) or + 8 (4 bit).
void encodeSymGroup(const Precision& p, const float* x, int64_t n, int* codes, uint8_t* out,
                    int64_t row, int64_t col) {
    const int qmax = (1 << (p.bits - 1)) - 1;
    float absmax = 0.f;
    for (int64_t i = 0; i < n; ++i)
        absmax = std::max(absmax, std::fabs(x[i]));
    const uint16_t s16 = floatToHalf(absmax / static_cast<float>(qmax));
    if (!halfIsFinite(s16))
        tooLarge(p, row, col, "maximum magnitude", absmax);
    const float s = halfToFloat(s16);
    const int offset = p.bits == 4 ? 8 : 0;
    for (int64_t i = 0; i < n; ++i) {
        int q = 0;
        if (s != 0.f)
            q = std::clamp(roundHalfEven(x[i] / s, qmax + 1), -qmax, qmax);
        codes[i] = q + offset;
    }
    storeCodes(p.bits, codes, n, out);
    storeU16(out + codeBytes(n, p.bits), s16);
}

// Asymmetric: codes in [0, 2^b - 1], x^ = q * s + m.
void encodeAsymGroup(const Precision& p, const float* x, int64_t n, int* codes, uint8_t* out,
                     int64_t row, int64_t col) {
    const int qmax = (1 << p.bits) - 1;
    float lo = x[0], hi = x[0];
    for (int64_t i = 1; i < n; ++i) {
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
    }
    const float range = hi - lo;
    const uint16_t s16 = floatToHalf(range / static_cast<float>(qmax));
    const uint16_t m16 = floatToHalf(lo);
    if (!std::isfinite(range) || !halfIsFinite(s16))
        tooLarge(p, row, col, "range", range);
    if (!halfIsFinite(m16))
        tooLarge(p, row, col, "minimum", lo);
    const float s = halfToFloat(s16), m = halfToFloat(m16);
    for (int64_t i = 0; i < n; ++i) {
        int q = 0;
        if (s != 0.f)
            q = std::clamp(roundHalfEven((x[i] - m) / s, qmax + 1), 0, qmax);
        codes[i] = q;
    }
    storeCodes(p.bits, codes, n, out);
    storeU16(out + codeBytes(n, p.bits), s16);
    storeU16(out + codeBytes(n, p.bits) + 2, m16);
}

void decodeGroup(const Precision& p, const uint8_t* in, int64_t n, float* out) {
    const int64_t nb = codeBytes(n, p.bits);
    const float s = halfToFloat(loadU16(in + nb));
    if (p.format == Format::IntAsym) {
        const float m = halfToFloat(loadU16(in + nb + 2));
        if (p.bits == 8) {
            for (int64_t i = 0; i < n; ++i)
                out[i] = static_cast<float>(in[i]) * s + m;
        } else {
            for (int64_t i = 0; i < n; ++i)
                out[i] = static_cast<float>((in[i / 2] >> (4 * (i % 2))) & 0xf) * s + m;
        }
        return;
    }
    if (p.bits == 8) {
        for (int64_t i = 0; i < n; ++i)
            out[i] = static_cast<float>(static_cast<int8_t>(in[i])) * s;
    } else {
        for (int64_t i = 0; i < n; ++i)
            out[i] = static_cast<float>(((in[i / 2] >> (4 * (i % 2))) & 0xf) - 8) * s;
    }
}

} // namespace

uint64_t intRowBytes(const Precision& p, int64_t cols) {
    const int64_t g = groupOf(p, cols);
    if (g <= 0)
        return 0;
    const int64_t full = cols / g, rest = cols % g;
    int64_t bytes = full * (codeBytes(g, p.bits) + scaleBytes(p));
    if (rest)
        bytes += codeBytes(rest, p.bits) + scaleBytes(p);
    return static_cast<uint64_t>(bytes);
}

void encodeIntRows(const Precision& p, const float* x, int64_t cols, int64_t rowBegin,
                   int64_t rowEnd, uint8_t* out) {
    const int64_t g = groupOf(p, cols);
    const int64_t rowBytes = static_cast<int64_t>(intRowBytes(p, cols));
    std::vector<int> codes(static_cast<std::size_t>(std::max<int64_t>(g, 1)));
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        const float* xr = x + r * cols;
        uint8_t* o = out + r * rowBytes;
        for (int64_t c = 0; c < cols; c += g) {
            const int64_t n = std::min(g, cols - c);
            if (p.format == Format::IntAsym)
                encodeAsymGroup(p, xr + c, n, codes.data(), o, r, c);
            else
                encodeSymGroup(p, xr + c, n, codes.data(), o, r, c);
            o += codeBytes(n, p.bits) + scaleBytes(p);
        }
    }
}

void decodeIntRows(const Precision& p, const uint8_t* in, int64_t cols, int64_t rowBegin,
                   int64_t rowEnd, float* out) {
    const int64_t g = groupOf(p, cols);
    const int64_t rowBytes = static_cast<int64_t>(intRowBytes(p, cols));
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        const uint8_t* i = in + r * rowBytes;
        for (int64_t c = 0; c < cols; c += g) {
            const int64_t n = std::min(g, cols - c);
            decodeGroup(p, i, n, out + r * cols + c);
            i += codeBytes(n, p.bits) + scaleBytes(p);
        }
    }
}

} // namespace taskquant::quant::detail
