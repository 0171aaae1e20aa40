// Fuzz target: the GGUF reader (core/io/gguf_reader.*): header, metadata, tensor table, the
// TaskQuant story in the metadata (core/export/gguf_story.h), and dequantisation of the
// tensors it accepted.
#include "core/export/gguf_story.h"
#include "core/io/gguf_reader.h"
#include "core/quant/gguf_tensor.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = tqfuzz::writeScratch(data, size, "model.gguf");
    tqfuzz::expectErrorNamingFile(path, [&] {
        const auto file = taskquant::io::GgufFile::open(path);
        for (const auto& [key, value] : file->metadata().entries())
            (void)value.typeString();
        (void)taskquant::exporting::readStory(*file);
        for (const auto& t : file->tensors()) {
            if (file->find(t.name) != &t)
                tqfuzz::fail("find() does not return the tensor " + t.name);
            if (t.offset + t.nbytes > file->fileSize())
                tqfuzz::fail("tensor outside the file");
            if (t.numel() <= (1 << 16))
                (void)taskquant::quant::dequantize(*file, t);
        }
    });
    return 0;
}
