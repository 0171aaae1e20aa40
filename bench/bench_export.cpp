// Export throughput: writes a generated Llama (default hidden 512, 8 layers, about 100 MB of
// fp32 weights) as GGUF under f16, q8_0 and q4_k policies and as a safetensors directory, and
// prints MB/s of output next to the raw write throughput of the same disk (the same number of
// bytes through AtomicFile, with fsync, in the same run) and their ratio.
// Usage: bench_export [WORK_DIR] [HIDDEN] [LAYERS]. Not a test: numbers vary by machine.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/export/gguf_export.h"
#include "core/export/safetensors_export.h"
#include "core/io/atomic_file.h"
#include "core/models/synthetic_model.h"

using namespace taskquant;
namespace fs = std::filesystem;

namespace {
template <class F> double seconds(F f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double rawWrite(const std::string& path, uint64_t bytes) {
    std::string block(8u << 20, '\x5a');
    const double t = seconds([&] {
        io::AtomicFile f(path);
        for (uint64_t done = 0; done < bytes; done += block.size())
            f.write(block.data(), std::size_t(std::min<uint64_t>(block.size(), bytes - done)));
        f.commit();
    });
    fs::remove(path);
    return bytes / 1e6 / t;
}
} // namespace

int main(int argc, char** argv) {
    const fs::path work = fs::path(argc > 1 ? argv[1] : fs::temp_directory_path().string()) /
                          ("bench_export_" + std::to_string(::getpid()));
    models::SyntheticSpec spec;
    spec.hiddenSize = argc > 2 ? std::atoll(argv[2]) : 512;
    spec.numLayers = argc > 3 ? std::atoll(argv[3]) : 8;
    spec.numHeads = 8;
    fs::create_directories(work);
    const std::string model = (work / "model").string();
    models::writeSyntheticModel(model, spec);
    const uint64_t modelBytes = fs::file_size(fs::path(model) / "model.safetensors");
    std::printf("model: hidden %lld, %lld layers, %.1f MB safetensors (fp32)\n",
                (long long)spec.hiddenSize, (long long)spec.numLayers, modelBytes / 1e6);
    std::printf("%-22s %10s %10s %12s %12s %8s\n", "export", "out MB", "seconds", "out MB/s",
                "raw MB/s", "ratio");
    for (const char* prec : {"f16", "q8_0", "q4_k", "safetensors"}) {
        policy::Policy p;
        const bool st = std::string(prec) == "safetensors";
        p.defaultPrecision = quant::Precision::parse(st ? "q8_0" : prec);
        const std::string out = (work / (std::string("out.") + prec)).string();
        uint64_t bytes = 0;
        const double t = seconds([&] {
            bytes = st ? exporting::exportSafetensorsDirectory(model, p, out).bytes
                       : exporting::exportGguf(model, p, out).bytes;
        });
        const double raw = rawWrite((work / "raw.bin").string(), bytes);
        std::printf("%-22s %10.1f %10.3f %12.1f %12.1f %8.2f\n",
                    st ? "safetensors (q8_0 fq)" : (std::string("gguf ") + prec).c_str(),
                    bytes / 1e6, t, bytes / 1e6 / t, raw, (bytes / 1e6 / t) / raw);
        fs::remove_all(out);
    }
    fs::remove_all(work);
    return 0;
}
