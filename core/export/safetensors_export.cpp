#include "core/export/safetensors_export.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <unistd.h>

#include "core/export/apply_policy.h"
#include "core/export/checkpoint_tensor.h"
#include "core/io/atomic_file.h"
#include "core/io/safetensors.h"
#include "core/util/error.h"

namespace taskquant::exporting {

namespace fs = std::filesystem;

const std::vector<std::string>& companionFiles() {
    static const std::vector<std::string> f = {"config.json",
                                               "generation_config.json",
                                               "tokenizer.json",
                                               "tokenizer.model",
                                               "tokenizer_config.json",
                                               "special_tokens_map.json",
                                               "added_tokens.json",
                                               "vocab.json",
                                               "merges.txt"};
    return f;
}

namespace {

// Removes a directory tree on scope exit unless released.
struct TempDir {
    fs::path path;
    bool keep = false;
    ~TempDir() {
        if (!keep && !path.empty()) {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    }
};

std::string uniqueSuffix() {
    return std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

} // namespace

namespace {
DirectoryExportResult exportDirectory(const std::string& modelDir, const policy::Policy& policy,
                                      const std::string& outDirArg, const JobControl& job,
                                      const quant::ImportanceLookup& importance);
}

DirectoryExportResult exportSafetensorsDirectory(const std::string& modelDir,
                                                 const policy::Policy& policy,
                                                 const std::string& outDirArg,
                                                 const JobControl& job,
                                                 const quant::ImportanceLookup& importance) {
    try {
        return exportDirectory(modelDir, policy, outDirArg, job, importance);
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        // Failures inside the temporary directory name files the user never asked for: say
        // which export failed and that the destination was left as it was.
        if (!e.file().empty() && e.file().find(".tmp-") != std::string::npos)
            throw Error(outDirArg,
                        std::string("export failed, the destination is unchanged: ") + e.what());
        throw;
    } catch (const std::filesystem::filesystem_error& e) {
        throw Error(outDirArg,
                    std::string("export failed, the destination is unchanged: ") + e.what());
    }
}

namespace {
DirectoryExportResult exportDirectory(const std::string& modelDir, const policy::Policy& policy,
                                      const std::string& outDirArg, const JobControl& job,
                                      const quant::ImportanceLookup& importance) {
    fs::path out = fs::path(outDirArg);
    if (out.filename().empty())
        out = out.parent_path();
    fs::path parent = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    std::error_code ec;
    if (!fs::is_directory(parent, ec))
        throw Error(out.string(), "the parent directory does not exist");
    if (fs::exists(out, ec) && !fs::is_directory(out, ec))
        throw Error(out.string(), "exists and is not a directory");
    if (fs::equivalent(out, modelDir, ec))
        throw Error(out.string(), "is the model directory itself; choose another destination");

    auto ckpt = std::make_shared<io::SafetensorsCheckpoint>(
        io::SafetensorsCheckpoint::openDirectory(modelDir));
    std::vector<exporting::NamedShape> shapes;
    for (const auto& n : ckpt->names())
        shapes.push_back({n, ckpt->find(n)->shape});
    const auto plans = exporting::planPolicy(policy, shapes);

    DirectoryExportResult result;
    for (const auto& p : plans)
        if (!p.note.empty())
            result.notes.push_back(p.note);

    TempDir tmp;
    tmp.path = parent / ("." + out.filename().string() + ".tmp-" + uniqueSuffix());
    if (!fs::create_directory(tmp.path, ec))
        throw Error(out.string(), "cannot create a directory beside it (" + ec.message() + ")");

    std::vector<io::TensorSource> sources;
    for (const auto& p : plans) {
        const io::TensorInfo* info = ckpt->find(p.name);
        io::TensorSource s;
        s.name = p.name;
        s.dtype = info->dtype == io::DType::F64 ? io::DType::F32 : info->dtype;
        s.shape = p.shape;
        s.bytes = [ckpt, p, dtype = s.dtype, importance]() {
            const std::vector<float> x = readTensorAsFloat(*ckpt, *ckpt->find(p.name));
            const float* w = importance ? importance(p.name) : nullptr;
            return floatsToDType(exporting::applyPlan(p, x.data(), w), dtype, p.name);
        };
        sources.push_back(std::move(s));
    }
    io::writeSafetensors((tmp.path / "model.safetensors").string(), sources, {{"format", "pt"}},
                         job);
    for (const auto& f : companionFiles()) {
        const fs::path src = fs::path(modelDir) / f;
        if (!fs::is_regular_file(src, ec))
            continue;
        job.check();
        io::writeFileAtomically((tmp.path / f).string(), io::readFile(src.string()));
        result.copied.push_back(f);
    }
    policy.writeFile((tmp.path / "taskquant_policy.json").string());
    for (const auto& e : fs::directory_iterator(tmp.path))
        result.bytes += fs::file_size(e.path(), ec);
    job.check();

    // Swap into place: an existing destination is moved aside first and removed after.
    fs::path old;
    if (fs::exists(out, ec)) {
        old = parent / ("." + out.filename().string() + ".old-" + uniqueSuffix());
        fs::rename(out, old, ec);
        if (ec)
            throw Error(out.string(),
                        "cannot replace the existing directory (" + ec.message() + ")");
    }
    fs::rename(tmp.path, out, ec);
    if (ec) {
        if (!old.empty())
            fs::rename(old, out);
        throw Error(out.string(), "cannot move the export into place (" + ec.message() + ")");
    }
    tmp.keep = true;
    if (!old.empty())
        fs::remove_all(old, ec);
    job.report(1.0, "export done");
    return result;
}
} // namespace

} // namespace taskquant::exporting
