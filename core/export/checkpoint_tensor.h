#pragma once
// One tensor of a safetensors checkpoint as row-major float32 (F32, F16, BF16, F64 stored
// tensors), and back into a storage dtype (F32, F16 and BF16 round to nearest even).
// Throws taskquant::Error naming the tensor for other dtypes. Thread-safe.
#include <string>
#include <vector>

#include "core/io/safetensors.h"

namespace taskquant::exporting {

std::vector<float> readTensorAsFloat(const io::SafetensorsCheckpoint& ckpt,
                                     const io::TensorInfo& info);
std::string floatsToDType(const std::vector<float>& values, io::DType dtype,
                          const std::string& what);

// llama.cpp's q/k row permutation (convert_hf_to_gguf LlamaModel.permute): viewing the rows as
// [heads, 2, rows/heads/2], the two middle axes are swapped. In place on a [rows, cols] tensor.
void permuteQkRows(float* data, int64_t rows, int64_t cols, int64_t heads);
// Its inverse.
void unpermuteQkRows(float* data, int64_t rows, int64_t cols, int64_t heads);

} // namespace taskquant::exporting
