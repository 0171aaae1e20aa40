// Fuzz target: the safetensors header and tensor table (core/io/safetensors.*).
#include "core/io/safetensors.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = tqfuzz::writeScratch(data, size, "model.safetensors");
    tqfuzz::expectErrorNamingFile(path, [&] {
        auto file = taskquant::io::SafetensorsFile::open(path);
        volatile uint64_t sink = 0;
        for (const auto& t : file->tensors()) {
            if (file->find(t.name) != &t)
                tqfuzz::fail("find() does not return the tensor " + t.name);
            if (t.offset + t.nbytes > file->mapping()->size())
                tqfuzz::fail("tensor outside the file");
            if (t.nbytes != static_cast<uint64_t>(t.numel()) * taskquant::io::dtypeSize(t.dtype))
                tqfuzz::fail("tensor size does not match its shape");
            if (t.nbytes)
                sink = sink + file->data(t)[0] + file->data(t)[t.nbytes - 1];
        }
        for (const auto& [k, v] : file->metadata())
            sink = sink + k.size() + v.size();
    });
    return 0;
}
