#pragma once
// Whole sensitivity-map runs as the CLI and the studio start them: from a model directory (and
// for Fisher a calibration data set) to a finished map with provenance (dataset, model
// fingerprint, sampling settings). Data problems are reported before any model work starts.
// Blocking; call from a worker thread; progress over the whole run (model loading included)
// and cancellation through JobControl. Light header (no ATen): the GUI includes it.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/data/dataset_spec.h"
#include "core/jobs/progress.h"
#include "core/sensitivity/fisher.h"
#include "core/sensitivity/magnitude.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::sensitivity {

struct CalibrationSpec {
    std::string modelDir;
    data::DatasetSpec data;     // kind, file, field, withAnswer (validated by the run)
    int64_t samples = 64;       // sampled from the data set (all when it has fewer)
    int64_t maxLength = 2048;   // tokens per sample (truncated)
    uint64_t seed = 0;          // sampling seed
    std::string device = "cpu"; // cpu, cuda, cuda:N
    std::string dtype;          // empty: defaultDtype(device)
};

// bf16 on CUDA devices, fp32 on the CPU.
std::string defaultDtype(const std::string& device);

// The sampled texts of the calibration set (throws taskquant::Error for a bad spec or file).
std::vector<std::string> loadCalibrationTexts(const CalibrationSpec& spec);

// Tokenizes texts with the model's tokenizer (BOS as configured), truncated to maxLength.
std::vector<std::vector<int64_t>> tokenizeSamples(const std::string& modelDir,
                                                  const std::vector<std::string>& texts,
                                                  int64_t maxLength);

struct FisherRunRequest {
    CalibrationSpec calibration;
    FisherOptions fisher;
};

// Called once the samples are tokenized and the model is loaded, before the computation.
struct FisherRunStart {
    std::size_t samples = 0;
    int64_t tokens = 0;
    std::string device, dtype;
};
using FisherStartFn = std::function<void(const FisherRunStart&)>;

// Loads and samples the data, tokenizes, loads the model, computes the Fisher map and adds
// dataset, model fingerprint and settings (max_length, seed, data, with_answer) to its
// provenance. Progress: the computation reports from 5 % on; nothing is reported while the
// data and the model load (cancellation works throughout).
SensitivityMap runFisher(const FisherRunRequest& request, const JobControl& job = {},
                         const FisherStartFn& onStart = {});

struct MagnitudeRunRequest {
    std::string modelDir;
    MagnitudeNorm norm = MagnitudeNorm::L2Squared;
    bool perParameter = false;
};

// Loads the model on the CPU (fp32) and computes the magnitude map with the model fingerprint.
SensitivityMap runMagnitude(const MagnitudeRunRequest& request, const JobControl& job = {});

} // namespace taskquant::sensitivity
