#pragma once
// Atomic file output: data goes to a temporary file in the destination's directory and is
// renamed over the destination only on commit(). If the writer is destroyed without commit()
// (an error, a cancel) the temporary file is removed and any previous file at the destination
// is left intact. Errors (unwritable directory, full disk) throw taskquant::Error naming the
// destination. Not thread-safe: one writer per object.
#include <cstddef>
#include <cstdio>
#include <string>

namespace taskquant::io {

class AtomicFile {
  public:
    explicit AtomicFile(std::string destination);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(const void* data, std::size_t size);
    void write(const std::string& s) { write(s.data(), s.size()); }
    std::size_t bytesWritten() const { return written_; }
    // Flushes, fsyncs and renames onto the destination. Throws on failure.
    void commit();
    // Removes the temporary file; the destination is untouched.
    void abort();
    const std::string& destination() const { return dest_; }
    const std::string& temporaryPath() const { return tmp_; }

  private:
    std::string dest_;
    std::string tmp_;
    std::FILE* fp_ = nullptr;
    std::size_t written_ = 0;
};

// Writes a whole file atomically.
void writeFileAtomically(const std::string& path, const std::string& contents);
// Reads a whole file; throws Error(path, ...) if it cannot be read or exceeds maxBytes.
std::string readFile(const std::string& path, std::size_t maxBytes = std::size_t(1) << 31);

} // namespace taskquant::io
