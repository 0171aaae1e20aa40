#include "core/export/checkpoint_tensor.h"

#include <cstring>

#include "core/quant/half.h"
#include "core/util/error.h"

namespace taskquant::exporting {

std::vector<float> readTensorAsFloat(const io::SafetensorsCheckpoint& ckpt,
                                     const io::TensorInfo& t) {
    const uint8_t* p = ckpt.data(t);
    const std::size_t n = std::size_t(t.numel());
    std::vector<float> out(n);
    switch (t.dtype) {
    case io::DType::F32:
        std::memcpy(out.data(), p, n * 4);
        break;
    case io::DType::F16:
        for (std::size_t i = 0; i < n; ++i)
            out[i] = quant::halfToFloat(quant::loadU16(p + 2 * i));
        break;
    case io::DType::BF16:
        for (std::size_t i = 0; i < n; ++i)
            out[i] = quant::bf16ToFloat(quant::loadU16(p + 2 * i));
        break;
    case io::DType::F64:
        for (std::size_t i = 0; i < n; ++i) {
            double d;
            std::memcpy(&d, p + 8 * i, 8);
            out[i] = float(d);
        }
        break;
    default:
        throw Error(t.name + ": tensor dtype " + io::dtypeName(t.dtype) +
                    " cannot be exported (F32, F16, BF16, F64 only)");
    }
    return out;
}

std::string floatsToDType(const std::vector<float>& v, io::DType dtype, const std::string& what) {
    std::string out;
    switch (dtype) {
    case io::DType::F32:
        out.assign(reinterpret_cast<const char*>(v.data()), v.size() * 4);
        break;
    case io::DType::F16:
    case io::DType::BF16:
        out.resize(v.size() * 2);
        for (std::size_t i = 0; i < v.size(); ++i)
            quant::storeU16(reinterpret_cast<uint8_t*>(&out[2 * i]),
                            dtype == io::DType::F16 ? quant::floatToHalf(v[i])
                                                    : quant::floatToBf16(v[i]));
        break;
    default:
        throw Error(what + ": cannot store dtype " + io::dtypeName(dtype));
    }
    return out;
}

namespace {
void movePermuted(float* data, int64_t rows, int64_t cols, int64_t heads, bool forward) {
    if (heads <= 0 || rows % (2 * heads) != 0)
        throw Error("q/k permutation: " + std::to_string(rows) + " rows do not split into " +
                    std::to_string(heads) + " heads of two halves");
    const int64_t half = rows / heads / 2;
    std::vector<float> src(data, data + rows * cols);
    // HF row (h, s, i) = h*2*half + s*half + i goes to GGUF row (h, i, s) = h*2*half + i*2 + s.
    for (int64_t h = 0; h < heads; ++h)
        for (int64_t s = 0; s < 2; ++s)
            for (int64_t i = 0; i < half; ++i) {
                const int64_t a = h * 2 * half + s * half + i, b = h * 2 * half + i * 2 + s;
                const int64_t from = forward ? a : b, to = forward ? b : a;
                std::memcpy(data + to * cols, src.data() + from * cols, cols * sizeof(float));
            }
}
} // namespace

void permuteQkRows(float* d, int64_t r, int64_t c, int64_t h) {
    movePermuted(d, r, c, h, true);
}
void unpermuteQkRows(float* d, int64_t r, int64_t c, int64_t h) {
    movePermuted(d, r, c, h, false);
}

} // namespace taskquant::exporting
