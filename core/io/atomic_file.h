#pragma once
// Atomic file output: data goes to a temporary file in the destination's directory and is
// renamed over the destination only on commit(). If the writer is destroyed without commit()
// (an error, a cancel) the temporary file is removed and any previous file at the destination
// is left intact. Errors (unwritable directory, full disk) throw taskquant::Error naming the
// destination. Not thread-safe: one writer per object.
//
// The destination is never a special file: a device, FIFO or socket at the path is refused (an
// error, nothing replaced); a symbolic link is followed (to its final target, even a dangling
// one) and the target is replaced atomically, so the link stays a link.
//
// Every temporary file or directory a command creates is listed in a process-wide registry, so
// an interrupt handler can remove them all with removeTemporariesNow() (async-signal-safe)
// before it exits: a forced exit leaves the old file or the complete new one, never a temporary.
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
    // The path actually replaced on commit(): the destination, or its symlink's final target.
    const std::string& target() const { return target_; }

  private:
    std::string dest_;
    std::string target_;
    std::string tmp_;
    int slot_ = -1;
    std::FILE* fp_ = nullptr;
    std::size_t written_ = 0;
};

// Follows `path` through symbolic links (relative ones relative to the link's folder, at most
// 40 hops) to the path a write would replace; `path` itself when it is not a link. The final
// target need not exist. Throws Error(path, ...) on a link loop.
std::string resolveOutputLink(const std::string& path);
// Throws Error(path, ...) when `path` (after following links) exists and is a device, FIFO,
// socket or directory: things an output file must never replace. Returns the resolved path.
std::string refuseSpecialOutput(const std::string& path);

// The registry of temporaries (see above). registerTemporary returns a slot (or -1 when the
// registry is full or the path too long: the temporary is then only removed by its owner);
// `directory` true for a flat temporary directory (its entries are removed, then it).
int registerTemporary(const std::string& path, bool directory);
void unregisterTemporary(int slot);
// Creates a file (mkstemp; returns its descriptor) or a directory (mkdtemp; returns 0) from
// `templ` (ending in XXXXXX; holds the name made on return), registered before it exists;
// *slot receives the registry slot (-1: unregistered). Returns -1 with errno set on failure.
int createTemporary(std::string& templ, bool directory, int* slot);
// Removes every registered temporary. Async-signal-safe (only unlink, open, getdents64,
// unlinkat, rmdir, close); for a signal handler that is about to _exit.
void removeTemporariesNow() noexcept;

// Writes a whole file atomically.
void writeFileAtomically(const std::string& path, const std::string& contents);
// Reads a whole file; throws Error(path, ...) if it cannot be read or exceeds maxBytes.
std::string readFile(const std::string& path, std::size_t maxBytes = std::size_t(1) << 31);

} // namespace taskquant::io
