#include "core/tokenize/spm_library.h"

#include <cstdlib>
#include <dlfcn.h>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util/error.h"

namespace taskquant::tokenize {
namespace {

const char* const kModuleName = "libtaskquant_spm.so";

bool isFile(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string exeDirectory() {
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return {};
    std::string exe(buf, static_cast<std::size_t>(n));
    const auto slash = exe.rfind('/');
    return slash == std::string::npos ? std::string() : exe.substr(0, slash);
}

template <typename F>
void resolve(void* handle, const std::string& path, const char* name, F& out) {
    ::dlerror();
    void* sym = ::dlsym(handle, name);
    if (!sym)
        throw Error(path, std::string("sentencepiece shim module lacks symbol ") + name +
                              " (a module from another build of TaskQuant?)");
    out = reinterpret_cast<F>(sym);
}

SpmLibrary open(const std::string& path) {
#ifdef TASKQUANT_SPM_DLMOPEN
    // Sanitizer builds: AddressSanitizer refuses RTLD_DEEPBIND, so the module (built without
    // instrumentation) goes into a link-map namespace of its own, where neither libtorch's
    // protobuf nor the sanitizer runtime can interpose on sentencepiece's embedded protobuf.
    void* handle = ::dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL);
#else
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
#endif
    if (!handle) {
        const char* why = ::dlerror();
        throw Error(path, std::string("cannot load the sentencepiece shim module: ") +
                              (why ? why : "unknown dlopen error"));
    }
    SpmLibrary lib{};
    try {
        resolve(handle, path, "tq_spm_load", lib.load);
        resolve(handle, path, "tq_spm_destroy", lib.destroy);
        resolve(handle, path, "tq_spm_free", lib.free);
        resolve(handle, path, "tq_spm_piece_size", lib.pieceSize);
        resolve(handle, path, "tq_spm_id_to_piece", lib.idToPiece);
        resolve(handle, path, "tq_spm_score", lib.score);
        resolve(handle, path, "tq_spm_type", lib.type);
        resolve(handle, path, "tq_spm_bos_id", lib.bosId);
        resolve(handle, path, "tq_spm_eos_id", lib.eosId);
        resolve(handle, path, "tq_spm_unk_id", lib.unkId);
        resolve(handle, path, "tq_spm_pad_id", lib.padId);
        resolve(handle, path, "tq_spm_add_dummy_prefix", lib.addDummyPrefix);
        resolve(handle, path, "tq_spm_encode", lib.encode);
        resolve(handle, path, "tq_spm_decode", lib.decode);
        resolve(handle, path, "tq_spm_train", lib.train);
    } catch (...) {
        ::dlclose(handle);
        throw;
    }
    lib.path = path;
    return lib; // the handle stays open for the life of the process
}

} // namespace

std::vector<std::string> spmLibraryCandidates() {
    std::vector<std::string> out;
    if (const char* env = std::getenv("TASKQUANT_SPM_SHIM"); env && *env)
        out.emplace_back(env);
    const std::string exeDir = exeDirectory();
    if (!exeDir.empty())
        out.push_back(exeDir + "/../lib/taskquant/" + kModuleName);
#ifdef TASKQUANT_SPM_SHIM_INSTALL_PATH
    out.emplace_back(TASKQUANT_SPM_SHIM_INSTALL_PATH);
#endif
#ifdef TASKQUANT_SPM_SHIM_BUILD_PATH
    out.emplace_back(TASKQUANT_SPM_SHIM_BUILD_PATH);
#endif
    return out;
}

const SpmLibrary& spmLibrary() {
    static std::mutex mutex;
    static std::unique_ptr<const SpmLibrary> loaded;
    std::lock_guard<std::mutex> lock(mutex);
    if (!loaded) {
        const auto candidates = spmLibraryCandidates();
        for (const auto& path : candidates) {
            if (!isFile(path))
                continue;
            loaded = std::make_unique<const SpmLibrary>(open(path));
            break;
        }
        if (!loaded) {
            std::string tried;
            for (const auto& path : candidates)
                tried += (tried.empty() ? "" : ", ") + path;
            throw Error(kModuleName, "sentencepiece shim module not found (looked at: " + tried +
                                         "; set TASKQUANT_SPM_SHIM to its path)");
        }
    }
    return *loaded;
}

void trainSentencePiece(const std::string& args) {
    const SpmLibrary& lib = spmLibrary();
    char* err = nullptr;
    if (lib.train(args.c_str(), &err) != 0) {
        std::string why = err ? err : "unknown error";
        lib.free(err);
        throw Error("sentencepiece training failed: " + why);
    }
}

} // namespace taskquant::tokenize
