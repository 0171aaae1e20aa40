#pragma once
// Output paths checked before any work starts, and directory outputs that can never destroy
// what a command did not create.
//
// checkOutputs() runs at the start of every command (CLI) and every exporter (core): for each
// output it follows symbolic links, refuses devices, FIFOs, sockets and read-only files, checks
// that the folder exists and that a file can actually be created in it (a probe file, created
// and removed), refuses two outputs naming the same file and an output that is one of the
// command's inputs or lies inside an input directory. A failed check throws one Error naming the
// option, the path and the cause; nothing has been written then.
//
// A directory output (the safetensors export, a trained model) is written only into an absent
// or empty directory, or one that holds exactly a previous export of ours: its manifest
// (kExportManifest, listing every file the export wrote) and the files it lists, nothing else.
// Anything else there is an error; nothing is ever removed that the manifest does not list.
#include <string>
#include <vector>

namespace taskquant::io {

enum class OutputKind {
    File,             // one file, replaced atomically
    Directory,        // a directory this command creates or replaces whole (see above)
    FilesInDirectory, // a directory (created when absent) that receives files by name
};

struct OutputPath {
    std::string option; // how the user named it, e.g. "--out", "--plot"; used in errors
    std::string path;   // empty: not requested, skipped
    OutputKind kind = OutputKind::File;
};

void checkOutputs(const std::vector<OutputPath>& outputs,
                  const std::vector<std::string>& inputs = {});

inline constexpr const char* kExportManifest = "taskquant_export.json";

// Throws Error(dir, ...) unless `dir` is absent, empty, or holds exactly a previous export
// (its manifest and the files it lists). Returns the files the manifest lists (empty when the
// directory is absent or empty).
std::vector<std::string> checkReplaceableDirectory(const std::string& dir);
// Writes the manifest of an export directory listing `files` (names inside it).
void writeExportManifest(const std::string& dir, const std::vector<std::string>& files);
// Lexically normal absolute form of `path` with existing symbolic links resolved (the parts
// that exist), for comparing paths.
std::string comparablePath(const std::string& path);
// True when `inner` is `outer` or lies inside it (both through comparablePath).
bool isSameOrInside(const std::string& inner, const std::string& outer);

} // namespace taskquant::io
