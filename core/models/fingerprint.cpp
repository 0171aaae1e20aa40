#include "core/models/fingerprint.h"

#include <cstdio>

#include "core/io/atomic_file.h"
#include "core/io/safetensors.h"

namespace taskquant::models {

namespace {
struct Fnv {
    uint64_t h = 1469598103934665603ULL;
    void add(const void* p, std::size_t n) {
        auto b = static_cast<const uint8_t*>(p);
        for (std::size_t i = 0; i < n; ++i)
            h = (h ^ b[i]) * 1099511628211ULL;
    }
    void add(const std::string& s) { add(s.data(), s.size() + 1); }
};
} // namespace

std::string modelFingerprint(const std::string& dir) {
    Fnv f;
    f.add(io::readFile(dir + "/config.json", 4u << 20));
    auto ckpt = io::SafetensorsCheckpoint::openDirectory(dir);
    for (const auto& name : ckpt.names()) {
        const auto* t = ckpt.find(name);
        f.add(name);
        f.add(io::dtypeName(t->dtype));
        for (auto d : t->shape)
            f.add(&d, sizeof d);
        const uint8_t* data = ckpt.data(*t);
        const uint64_t chunk = std::min<uint64_t>(t->nbytes, 1365);
        for (uint64_t off : {uint64_t(0), (t->nbytes - chunk) / 2, t->nbytes - chunk})
            f.add(data + off, chunk);
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(f.h));
    return buf;
}

} // namespace taskquant::models
