#include "core/export/safetensors_export.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/export/apply_policy.h"
#include "core/export/checkpoint_tensor.h"
#include "core/io/atomic_file.h"
#include "core/io/output_path.h"
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

// Our temporary directory (mkdtemp, registered so an interrupt handler removes it too):
// removed on scope exit unless released.
struct TempDir {
    fs::path path;
    int slot = -1;
    bool keep = false;
    ~TempDir() {
        if (!keep && !path.empty()) {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
        io::unregisterTemporary(slot);
    }
};

std::string uniqueSuffix() {
    return std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

// Swaps two directories atomically (renameat2 RENAME_EXCHANGE); false where the file system
// cannot (errno EINVAL / ENOSYS), true on success; throws nothing.
bool exchangeDirectories(const fs::path& a, const fs::path& b, int* err) {
#ifdef SYS_renameat2
    const long r = ::syscall(SYS_renameat2, AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), 2);
    *err = r == 0 ? 0 : errno;
    return r == 0;
#else
    *err = ENOSYS;
    return false;
#endif
}

// Removes a previous export found at `dir`: the files its manifest listed, the manifest, then
// the directory if that left it empty. Never anything else.
void removePreviousExport(const fs::path& dir, const std::vector<std::string>& listed) {
    std::error_code ec;
    for (const auto& f : listed)
        fs::remove(dir / f, ec);
    fs::remove(dir / io::kExportManifest, ec);
    fs::remove(dir, ec); // only succeeds when empty
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
    // Checked before any work: absent, empty or a previous export of ours; not the model
    // directory nor inside it; the folder writable. A symbolic link is written through.
    io::checkOutputs({{"", out.string(), io::OutputKind::Directory}}, {modelDir});
    out = fs::path(io::resolveOutputLink(out.string()));
    fs::path parent = out.parent_path().empty() ? fs::path(".") : out.parent_path();
    std::error_code ec;

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
    {
        std::string templ = (parent / ("." + out.filename().string() + ".tmp-XXXXXX")).string();
        if (io::createTemporary(templ, true, &tmp.slot) < 0)
            throw Error(out.string(), "cannot create a directory beside it (" +
                                          std::string(std::strerror(errno)) + ")");
        tmp.path = templ;
        fs::permissions(tmp.path, fs::perms(0755), ec);
    }

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
    std::vector<std::string> written = {"model.safetensors"};
    written.insert(written.end(), result.copied.begin(), result.copied.end());
    written.push_back("taskquant_policy.json");
    io::writeExportManifest(tmp.path.string(), written);
    for (const auto& e : fs::directory_iterator(tmp.path))
        result.bytes += fs::file_size(e.path(), ec);
    job.check();

    // Into place. Checked again now (files may have appeared during the export): absent,
    // empty, or exactly a previous export, which is swapped out atomically and then removed
    // file by file, as its manifest lists them; nothing else is ever removed.
    const std::vector<std::string> previous = io::checkReplaceableDirectory(out.string());
    if (previous.empty()) {
        // rename() replaces an empty directory atomically and creates an absent one.
        fs::rename(tmp.path, out, ec);
        if (ec)
            throw Error(out.string(), "cannot move the export into place (" + ec.message() + ")");
        tmp.keep = true;
    } else {
        int err = 0;
        if (exchangeDirectories(tmp.path, out, &err)) {
            // tmp.path now holds the previous export (still registered: an interrupt removes it).
            removePreviousExport(tmp.path, previous);
            tmp.keep = true;
        } else if (err == EINVAL || err == ENOSYS) {
            // No atomic exchange on this file system: move the previous export aside first.
            const fs::path old =
                parent / ("." + out.filename().string() + ".old-" + uniqueSuffix());
            fs::rename(out, old, ec);
            if (ec)
                throw Error(out.string(),
                            "cannot replace the previous export (" + ec.message() + ")");
            fs::rename(tmp.path, out, ec);
            if (ec) {
                std::error_code back;
                fs::rename(old, out, back);
                throw Error(out.string(),
                            "cannot move the export into place (" + ec.message() + ")");
            }
            tmp.keep = true;
            removePreviousExport(old, previous);
        } else {
            throw Error(out.string(), "cannot replace the previous export (" +
                                          std::string(std::strerror(err)) + ")");
        }
    }
    job.report(1.0, "export done");
    return result;
}
} // namespace

} // namespace taskquant::exporting
