#include "core/io/output_path.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/util/error.h"

namespace taskquant::io {

namespace fs = std::filesystem;

namespace {

std::string folderOf(const std::string& path) {
    const fs::path p(path);
    const fs::path parent = p.parent_path();
    return parent.empty() ? "." : parent.string();
}

std::string label(const OutputPath& o) {
    return o.option.empty() ? o.path : o.option + " " + o.path;
}

// The folder must exist, be a directory, and let us create a file in it (a registered probe,
// removed at once): permissions, read-only mounts and ACLs all answer the same way a real
// write would.
void probeFolder(const OutputPath& o, const std::string& folder) {
    struct stat st {};
    if (::stat(folder.c_str(), &st) != 0)
        throw Error(label(o), "the folder " + folder + " does not exist");
    if (!S_ISDIR(st.st_mode))
        throw Error(label(o), "cannot write in " + folder + ": " + std::strerror(ENOTDIR));
    std::string templ = folder + "/.taskquant-probe.XXXXXX";
    int slot = -1;
    const int fd = createTemporary(templ, false, &slot);
    if (fd < 0)
        throw Error(label(o), "cannot write in " + folder + ": " + std::strerror(errno));
    ::close(fd);
    ::unlink(templ.c_str());
    unregisterTemporary(slot);
}

bool isPlainName(const std::string& n) {
    return !n.empty() && n != "." && n != ".." && n.find('/') == std::string::npos &&
           n.find('\0') == std::string::npos;
}

} // namespace

std::string comparablePath(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::absolute(fs::path(path), ec);
    if (ec)
        p = fs::path(path);
    fs::path c = fs::weakly_canonical(p, ec);
    if (ec)
        c = p.lexically_normal();
    std::string s = c.string();
    while (s.size() > 1 && s.back() == '/')
        s.pop_back();
    return s;
}

bool isSameOrInside(const std::string& inner, const std::string& outer) {
    const std::string i = comparablePath(inner), o = comparablePath(outer);
    if (i == o)
        return true;
    const std::string prefix = o == "/" ? o : o + "/";
    return i.compare(0, prefix.size(), prefix) == 0;
}

std::vector<std::string> checkReplaceableDirectory(const std::string& dir) {
    std::error_code ec;
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0)
        return {};
    if (!S_ISDIR(st.st_mode))
        throw Error(dir, "exists and is not a directory; choose a new directory for the export");
    std::set<std::string> present;
    for (const auto& e : fs::directory_iterator(dir, ec))
        present.insert(e.path().filename().string());
    if (ec)
        throw Error(dir, "cannot list the directory: " + ec.message());
    if (present.empty())
        return {};
    const std::string manifestPath = (fs::path(dir) / kExportManifest).string();
    auto refuse = [&](const std::string& why) {
        std::string some;
        int n = 0;
        for (const auto& f : present) {
            if (n++ == 3) {
                some += ", ...";
                break;
            }
            some += (some.empty() ? "" : ", ") + f;
        }
        throw Error(dir, "is not empty (" + std::to_string(present.size()) + " entries: " + some +
                             ") and " + why +
                             "; nothing was written. Choose a new or empty directory, or remove "
                             "what is there yourself");
    };
    if (!present.count(kExportManifest))
        refuse("is not a previous export of ours (no " + std::string(kExportManifest) + ")");
    std::vector<std::string> listed;
    try {
        const auto j = readJsonFile(manifestPath, 1u << 20);
        if (!j.is_object() || j.value("format", "") != "taskquant-export" || !j.contains("files") ||
            !j["files"].is_array())
            refuse("its " + std::string(kExportManifest) + " is not a taskquant export manifest");
        for (const auto& f : j["files"]) {
            if (!f.is_string() || !isPlainName(f.get<std::string>()))
                refuse("its manifest lists a name that is not a plain file name");
            listed.push_back(f.get<std::string>());
        }
    } catch (const nlohmann::json::exception&) {
        refuse("its manifest cannot be read");
    }
    std::set<std::string> expected(listed.begin(), listed.end());
    expected.insert(kExportManifest);
    std::vector<std::string> foreign;
    for (const auto& f : present)
        if (!expected.count(f))
            foreign.push_back(f);
    if (!foreign.empty()) {
        std::string names;
        for (std::size_t i = 0; i < foreign.size() && i < 3; ++i)
            names += (i ? ", " : "") + foreign[i];
        if (foreign.size() > 3)
            names += ", ...";
        throw Error(dir, "holds a previous export but also " + std::to_string(foreign.size()) +
                             " file(s) it did not write (" + names +
                             "); nothing was written. Move them away or choose another directory");
    }
    for (const auto& f : listed) {
        struct stat fst {};
        const std::string p = (fs::path(dir) / f).string();
        if (::lstat(p.c_str(), &fst) == 0 && !S_ISREG(fst.st_mode))
            throw Error(p, "is not a regular file, so the directory is not a plain previous "
                           "export; nothing was written");
    }
    return listed;
}

void writeExportManifest(const std::string& dir, const std::vector<std::string>& files) {
    nlohmann::ordered_json j;
    j["format"] = "taskquant-export";
    j["version"] = 1;
    j["files"] = files;
    writeFileAtomically((fs::path(dir) / kExportManifest).string(), j.dump(2) + "\n");
}

void checkOutputs(const std::vector<OutputPath>& outputs, const std::vector<std::string>& inputs) {
    std::vector<std::pair<std::string, const OutputPath*>> seen;
    for (const auto& o : outputs) {
        if (o.path.empty())
            continue;
        const std::string target = resolveOutputLink(o.path);
        for (const auto& in : inputs) {
            if (in.empty())
                continue;
            if (isSameOrInside(target, in))
                throw Error(label(o), comparablePath(target) == comparablePath(in)
                                          ? "is an input of this command (" + in +
                                                "); writing it would destroy the input"
                                          : "lies inside the input directory " + in +
                                                "; choose a path outside it");
            if (o.kind != OutputKind::File && isSameOrInside(in, target))
                throw Error(label(o), "contains the input " + in + "; choose a path outside it");
        }
        for (const auto& [other, prev] : seen)
            if (isSameOrInside(target, other) || isSameOrInside(other, target))
                throw Error(label(o), "is also the output of " + label(*prev) +
                                          "; give each output its own path");
        seen.emplace_back(target, &o);

        struct stat st {};
        const bool exists = ::stat(target.c_str(), &st) == 0;
        switch (o.kind) {
        case OutputKind::File:
            try {
                refuseSpecialOutput(o.path);
            } catch (const Error& e) {
                throw Error(o.option.empty() ? e.what() : o.option + " " + e.what());
            }
            probeFolder(o, folderOf(target));
            break;
        case OutputKind::Directory:
            if (exists && !S_ISDIR(st.st_mode))
                throw Error(label(o), "exists and is not a directory");
            try {
                checkReplaceableDirectory(target);
            } catch (const Error& e) {
                throw Error(o.option.empty() ? e.what() : o.option + " " + e.what());
            }
            probeFolder(o, folderOf(comparablePath(target)));
            break;
        case OutputKind::FilesInDirectory:
            if (exists && !S_ISDIR(st.st_mode))
                throw Error(label(o), "exists and is not a directory");
            {
                // Created with its missing parents: probe the nearest folder that exists.
                std::string folder = exists ? target : folderOf(comparablePath(target));
                struct stat fst {};
                while (folder.size() > 1 && ::stat(folder.c_str(), &fst) != 0)
                    folder = folderOf(folder);
                probeFolder(o, folder);
            }
            break;
        }
    }
}

} // namespace taskquant::io
