// writeSafetensors: streams tensors into a safetensors file, atomically and cancellably.
#include <nlohmann/json.hpp>
#include <set>

#include "core/io/atomic_file.h"
#include "core/io/safetensors.h"
#include "core/util/error.h"

namespace taskquant::io {

void writeSafetensors(const std::string& path, const std::vector<TensorSource>& tensors,
                      const std::map<std::string, std::string>& metadata, const JobControl& job) {
    // Plan the header: offsets are contiguous, in the order given.
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) {
        auto& m = header["__metadata__"];
        m = nlohmann::ordered_json::object();
        for (const auto& [k, v] : metadata)
            m[k] = v;
    }
    std::vector<uint64_t> sizes;
    sizes.reserve(tensors.size());
    std::set<std::string> names;
    uint64_t offset = 0;
    for (const auto& t : tensors) {
        const std::string what = "tensor '" + t.name + "'";
        if (t.name.empty())
            throw Error(path, "cannot write a tensor with an empty name");
        if (t.name == "__metadata__")
            throw Error(path, "'__metadata__' is reserved, not a tensor name");
        if (!names.insert(t.name).second)
            throw Error(path, what + " is given twice");
        if (!t.bytes)
            throw Error(path, what + " has no data source");
        int64_t numel = 1;
        for (int64_t d : t.shape)
            if (d < 0 || __builtin_mul_overflow(numel, d, &numel))
                throw Error(path, what + " has an invalid shape");
        uint64_t nbytes = 0;
        if (__builtin_mul_overflow(uint64_t(numel), uint64_t(dtypeSize(t.dtype)), &nbytes) ||
            __builtin_add_overflow(offset, nbytes, &offset))
            throw Error(path, what + " is too large");
        sizes.push_back(nbytes);
        auto& e = header[t.name];
        e["dtype"] = dtypeName(t.dtype);
        e["shape"] = t.shape;
        e["data_offsets"] = {offset - nbytes, offset};
    }
    std::string text;
    try {
        text = header.dump();
    } catch (const nlohmann::json::exception&) {
        throw Error(path, "a tensor name or metadata string is not valid UTF-8");
    }
    // Pad with spaces to a multiple of 8 so the data buffer starts aligned, as the
    // reference implementation does.
    text.append((8 - text.size() % 8) % 8, ' ');
    if (text.size() > kMaxHeaderBytes)
        throw Error(path, "header would exceed the 100 MB limit");

    job.check();
    AtomicFile out(path);
    unsigned char len[8];
    uint64_t n = text.size();
    for (int i = 0; i < 8; ++i)
        len[i] = static_cast<unsigned char>(n >> (8 * i));
    out.write(len, 8);
    out.write(text);
    const uint64_t total = offset;
    uint64_t done = 0;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        job.check();
        const auto& t = tensors[i];
        job.report(total ? double(done) / double(total) : double(i) / double(tensors.size()),
                   "writing " + t.name, static_cast<long long>(i),
                   static_cast<long long>(tensors.size()));
        std::string bytes = t.bytes();
        if (bytes.size() != sizes[i])
            throw Error(path, "tensor '" + t.name + "': its data source gave " +
                                  std::to_string(bytes.size()) + " bytes, expected " +
                                  std::to_string(sizes[i]) + " for its shape and " +
                                  dtypeName(t.dtype));
        out.write(bytes);
        done += sizes[i];
    }
    job.check();
    out.commit();
    job.report(1.0, "wrote " + path, static_cast<long long>(tensors.size()),
               static_cast<long long>(tensors.size()));
}

} // namespace taskquant::io
