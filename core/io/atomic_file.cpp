#include "core/io/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
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
} // namespace

AtomicFile::AtomicFile(std::string destination) : dest_(std::move(destination)) {
    if (dest_.empty())
        throw Error("(empty path)", "no output path given");
    struct stat st {};
    if (::stat(dest_.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw Error(dest_, "is a directory, expected a file path");
    std::string templ = dirOf(dest_) + "/." + baseOf(dest_) + ".tmp.XXXXXX";
    int fd = ::mkstemp(templ.data());
    if (fd < 0)
        throw Error(dest_, std::string("cannot create a file in ") + dirOf(dest_) + ": " +
                               describe(errno));
    ::fchmod(fd, 0644);
    tmp_ = templ;
    fp_ = ::fdopen(fd, "wb");
    if (!fp_) {
        int e = errno;
        ::close(fd);
        ::unlink(tmp_.c_str());
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
    if (::rename(tmp_.c_str(), dest_.c_str()) != 0) {
        e = errno;
        ::unlink(tmp_.c_str());
        throw Error(dest_, std::string("cannot rename into place: ") + std::strerror(e));
    }
    tmp_.clear();
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
