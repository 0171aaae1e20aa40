#include "core/io/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/util/error.h"

namespace taskquant::io {

namespace {
std::string dirOf(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}
std::string baseOf(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}
// strerror plus what it means for the user where that is not obvious.
std::string describe(int e) {
    std::string why = std::strerror(e);
    if (e == ENOSPC)
        why += " (the disk is full)";
    else if (e == EFBIG)
        why += " (the file size limit of this process, ulimit -f, was reached)";
    else if (e == EDQUOT)
        why += " (the disk quota is exhausted)";
    return why;
}

// The registry of temporaries. A slot is claimed (state 1), filled, then published (state 2)
// before the file or directory is created in it, so a handler running at any instant (on any
// thread) sees every temporary that may exist; a published path still holding its XXXXXX or
// naming nothing yet is harmless to unlink.
constexpr int kSlots = 128;
constexpr std::size_t kPathBytes = 4096;
struct Slot {
    std::atomic<int> state{0};
    bool directory = false;
    char path[kPathBytes];
};
Slot slots[kSlots];

int claimSlot(const std::string& path, bool directory) {
    if (path.size() + 1 > kPathBytes)
        return -1;
    for (int i = 0; i < kSlots; ++i) {
        int expected = 0;
        if (slots[i].state.compare_exchange_strong(expected, 1)) {
            std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
            slots[i].directory = directory;
            slots[i].state.store(2);
            return i;
        }
    }
    return -1;
}

// Removes the entries of a flat directory, then the directory; async-signal-safe.
void removeFlatDirectory(const char* path) noexcept {
    for (int pass = 0; pass < 4; ++pass) {
        const int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return;
        bool removed = false;
        alignas(8) char buf[4096];
        for (;;) {
            const long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
            if (n <= 0)
                break;
            for (long off = 0; off < n;) {
                // struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, char name[]
                unsigned short reclen;
                std::memcpy(&reclen, buf + off + 16, sizeof reclen);
                const char* name = buf + off + 19;
                const bool dot = name[0] == '.' && (name[1] == 0 || (name[1] == '.' && !name[2]));
                if (!dot && ::unlinkat(fd, name, 0) == 0)
                    removed = true;
                off += reclen;
            }
        }
        ::close(fd);
        if (::rmdir(path) == 0 || !removed)
            return;
    }
}
} // namespace

int registerTemporary(const std::string& path, bool directory) {
    return claimSlot(path, directory);
}

void unregisterTemporary(int slot) {
    if (slot >= 0 && slot < kSlots)
        slots[slot].state.store(0);
}

int createTemporary(std::string& templ, bool directory, int* slot) {
    *slot = claimSlot(templ, directory);
    char* name = *slot >= 0 ? slots[*slot].path : templ.data();
    int fd = 0;
    if (directory)
        fd = ::mkdtemp(name) ? 0 : -1;
    else
        fd = ::mkstemp(name);
    if (fd < 0) {
        const int e = errno;
        unregisterTemporary(*slot);
        *slot = -1;
        errno = e;
        return -1;
    }
    templ = name;
    return fd;
}

void removeTemporariesNow() noexcept {
    for (auto& s : slots) {
        if (s.state.load() != 2)
            continue;
        if (s.directory)
            removeFlatDirectory(s.path);
        else
            ::unlink(s.path);
    }
}

std::string resolveOutputLink(const std::string& path) {
    std::string p = path;
    for (int hop = 0; hop < 40; ++hop) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode))
            return p;
        std::string target(4096, '\0');
        const ssize_t n = ::readlink(p.c_str(), target.data(), target.size());
        if (n < 0)
            throw Error(path,
                        std::string("cannot read the symbolic link: ") + std::strerror(errno));
        target.resize(static_cast<std::size_t>(n));
        p = (!target.empty() && target[0] == '/') ? target : dirOf(p) + "/" + target;
    }
    throw Error(path, "too many levels of symbolic links (a loop?)");
}

std::string refuseSpecialOutput(const std::string& path) {
    const std::string target = resolveOutputLink(path);
    const std::string via = target == path ? "" : " (the symbolic link's target " + target + ")";
    struct stat st {};
    if (::stat(target.c_str(), &st) != 0)
        return target;
    if (S_ISDIR(st.st_mode))
        throw Error(path, "is a directory" + via + ", expected a file path");
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        throw Error(path, "is a device" + via + ", not a regular file; refusing to replace it");
    if (S_ISFIFO(st.st_mode))
        throw Error(path, "is a FIFO" + via + ", not a regular file; refusing to replace it");
    if (S_ISSOCK(st.st_mode))
        throw Error(path, "is a socket" + via + ", not a regular file; refusing to replace it");
    if (!S_ISREG(st.st_mode))
        throw Error(path, "is not a regular file" + via + "; refusing to replace it");
    if ((st.st_mode & 0222) == 0) {
        char mode[16];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        throw Error(path, "is read-only" + via + " (mode " + mode +
                              "); make it writable or choose another path");
    }
    return target;
}

AtomicFile::AtomicFile(std::string destination) : dest_(std::move(destination)) {
    if (dest_.empty())
        throw Error("(empty path)", "no output path given");
    target_ = refuseSpecialOutput(dest_);
    std::string templ = dirOf(target_) + "/." + baseOf(target_) + ".tmp.XXXXXX";
    int fd = createTemporary(templ, false, &slot_);
    if (fd < 0)
        throw Error(dest_, std::string("cannot create a file in ") + dirOf(target_) + ": " +
                               describe(errno));
    ::fchmod(fd, 0644);
    tmp_ = templ;
    fp_ = ::fdopen(fd, "wb");
    if (!fp_) {
        int e = errno;
        ::close(fd);
        abort();
        throw Error(dest_, std::string("cannot open temporary file: ") + std::strerror(e));
    }
}

AtomicFile::~AtomicFile() {
    abort();
}

void AtomicFile::write(const void* data, std::size_t size) {
    if (!fp_)
        throw Error(dest_, "write after commit or abort");
    if (size == 0)
        return;
    if (std::fwrite(data, 1, size, fp_) != size) {
        int e = errno;
        abort();
        throw Error(dest_, "write failed, the previous file (if any) is unchanged: " + describe(e));
    }
    written_ += size;
}

void AtomicFile::commit() {
    if (!fp_)
        throw Error(dest_, "commit after abort");
    bool ok = std::fflush(fp_) == 0 && ::fsync(::fileno(fp_)) == 0;
    int e = errno;
    ok = (std::fclose(fp_) == 0) && ok;
    if (!ok && e == 0)
        e = errno;
    fp_ = nullptr;
    if (!ok) {
        ::unlink(tmp_.c_str());
        throw Error(dest_, "write failed, the previous file (if any) is unchanged: " + describe(e));
    }
    if (::rename(tmp_.c_str(), target_.c_str()) != 0) {
        e = errno;
        abort();
        throw Error(dest_, std::string("cannot rename into place: ") + std::strerror(e));
    }
    tmp_.clear();
    unregisterTemporary(slot_);
    slot_ = -1;
}

void AtomicFile::abort() {
    if (fp_) {
        std::fclose(fp_);
        fp_ = nullptr;
    }
    if (!tmp_.empty()) {
        ::unlink(tmp_.c_str());
        tmp_.clear();
    }
    unregisterTemporary(slot_);
    slot_ = -1;
}

void writeFileAtomically(const std::string& path, const std::string& contents) {
    AtomicFile f(path);
    f.write(contents);
    f.commit();
}

std::string readFile(const std::string& path, std::size_t maxBytes) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error(path, std::string("cannot open: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        throw Error(path, "is a directory, expected a file");
    if (static_cast<std::size_t>(st.st_size) > maxBytes)
        throw Error(path, "file is too large (" + std::to_string(st.st_size) + " bytes)");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path, std::string("cannot open: ") + std::strerror(errno));
    std::string out(static_cast<std::size_t>(st.st_size), '\0');
    in.read(out.data(), static_cast<std::streamsize>(out.size()));
    if (static_cast<std::size_t>(in.gcount()) != out.size())
        throw Error(path, "read failed");
    return out;
}

} // namespace taskquant::io
