// MappedFile: a private memory mapping of a whole regular file (read-only or copy-on-write).
#include "core/io/safetensors.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util/error.h"

namespace taskquant::io {

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path, bool copyOnWrite) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int e = errno;
        ::close(fd);
        throw Error(path, std::string("cannot stat: ") + std::strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(path, S_ISDIR(st.st_mode) ? "is a directory, expected a file"
                                              : "is not a regular file");
    }
    std::shared_ptr<MappedFile> f(new MappedFile());
    f->path_ = path;
    f->size_ = static_cast<uint64_t>(st.st_size);
    if (f->size_ > 0) {
        void* p = ::mmap(nullptr, static_cast<std::size_t>(f->size_),
                         copyOnWrite ? PROT_READ | PROT_WRITE : PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            int e = errno;
            ::close(fd);
            throw Error(path, std::string("cannot memory-map: ") + std::strerror(e));
        }
        f->data_ = static_cast<const uint8_t*>(p);
    }
    ::close(fd); // the mapping keeps the file alive
    return f;
}

MappedFile::~MappedFile() {
    if (data_)
        ::munmap(const_cast<uint8_t*>(data_), static_cast<std::size_t>(size_));
}

} // namespace taskquant::io
