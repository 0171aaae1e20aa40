// Outputs that cannot destroy data (issue 31): directory outputs only into an absent or empty
// directory or a previous export of ours (its manifest), never the model directory or inside
// it; special files (devices, FIFOs, sockets) refused and left as they are; symbolic links
// written through; read-only targets refused; every output checked before any work; temporaries
// removable from a signal handler; cancellation inside tokenization; a runaway normalizer
// stopped with an error naming the file. Each case failed on the code before the issue.
#include <QtTest/QtTest>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/eval/token_metrics.h"
#include "core/export/export_run.h"
#include "core/io/atomic_file.h"
#include "core/io/imatrix_file.h"
#include "core/io/json_file.h"
#include "core/io/output_path.h"
#include "core/jobs/cancel_point.h"
#include "core/models/model_config.h"
#include "core/models/synthetic_model.h"
#include "core/policy/policy.h"
#include "core/tokenize/normalizer.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

using namespace taskquant;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every entry under a directory with its type and (regular files) bytes: a fingerprint that
// changes when anything in it is touched.
std::map<std::string, std::string> tree(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        const auto s = e.symlink_status();
        std::string v = std::to_string(int(s.type())) + ":";
        if (s.type() == fs::file_type::regular)
            v += slurp(e.path());
        else if (s.type() == fs::file_type::symlink)
            v += fs::read_symlink(e.path()).string();
        out[fs::relative(e.path(), dir).string()] = v;
    }
    return out;
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Cancelled& e) {
        return std::string("CANCELLED ") + e.what();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

std::string makeModel(const fs::path& dir) {
    fs::create_directories(dir.parent_path());
    models::SyntheticSpec s;
    s.preset = "llama";
    s.hiddenSize = 64;
    s.numLayers = 2;
    s.numHeads = 4;
    s.seed = 3;
    models::writeSyntheticModel(dir.string(), s);
    return dir.string();
}

policy::Policy q8() {
    policy::Policy p;
    p.defaultPrecision = quant::Precision::parse("q8_0");
    return p;
}

} // namespace

class TstOutputPaths : public QObject {
    Q_OBJECT
    QTemporaryDir root_;
    fs::path r() const { return fs::path(root_.path().toStdString()); }

  private slots:
    // The issue's reproduction: model in p/model, a note in p, export --out p.
    void exportIntoParentOfModelKeepsEverything() {
        const fs::path p = r() / "p";
        fs::create_directories(p);
        const std::string model = makeModel(p / "model");
        io::writeFileAtomically((p / "NOTES.txt").string(), "mine");
        const auto before = tree(p);
        const std::string msg = errorOf([&] {
            exporting::exportModel(model, q8(), exporting::ExportFormat::SafetensorsDirectory,
                                   p.string(), {});
        });
        QVERIFY2(contains(msg, p.string()) &&
                     (contains(msg, "contains the input") || contains(msg, "not empty")),
                 msg.c_str());
        QVERIFY(tree(p) == before);
    }

    void exportIntoForeignDirectoryRefused() {
        const fs::path base = r() / "t2";
        const std::string model = makeModel(base / "m2");
        const fs::path out = base / "foreign";
        fs::create_directories(out / "sub");
        io::writeFileAtomically((out / "keep.bin").string(), "data");
        io::writeFileAtomically((out / "sub" / "deep.txt").string(), "deep");
        const auto before = tree(out);
        const std::string msg = errorOf([&] {
            exporting::exportModel(model, q8(), exporting::ExportFormat::SafetensorsDirectory,
                                   out.string(), {});
        });
        QVERIFY2(contains(msg, out.string()) && contains(msg, "not empty"), msg.c_str());
        QVERIFY(tree(out) == before);
        QCOMPARE(std::distance(fs::directory_iterator(base), fs::directory_iterator()),
                 std::ptrdiff_t(2)); // m2 and foreign: no temporary left beside
    }

    void previousExportReplacedButForeignFileStays() {
        const std::string model = makeModel(r() / "m3");
        const fs::path out = r() / "exp3";
        exporting::exportModel(model, q8(), exporting::ExportFormat::SafetensorsDirectory,
                               out.string(), {});
        QVERIFY(fs::exists(out / io::kExportManifest));
        // Exactly a previous export: replaced.
        policy::Policy p4;
        p4.defaultPrecision = quant::Precision::parse("q4_0");
        const std::string first = slurp(out / "model.safetensors");
        exporting::exportModel(model, p4, exporting::ExportFormat::SafetensorsDirectory,
                               out.string(), {});
        QVERIFY(slurp(out / "model.safetensors") != first);
        // A file the export did not write appears: refused, everything kept.
        io::writeFileAtomically((out / "README.md").string(), "user notes");
        const auto before = tree(out);
        const std::string msg = errorOf([&] {
            exporting::exportModel(model, q8(), exporting::ExportFormat::SafetensorsDirectory,
                                   out.string(), {});
        });
        QVERIFY2(contains(msg, "README.md"), msg.c_str());
        QVERIFY(tree(out) == before);
        // An empty directory is fine; a symbolic link to a directory is written through.
        fs::create_directories(r() / "empty");
        fs::create_directory_symlink(r() / "empty", r() / "link-to-empty");
        exporting::exportModel(model, q8(), exporting::ExportFormat::SafetensorsDirectory,
                               (r() / "link-to-empty").string(), {});
        QVERIFY(fs::is_symlink(r() / "link-to-empty"));
        QVERIFY(fs::exists(r() / "empty" / "model.safetensors"));
    }

    // export --format gguf --out MODEL/model.safetensors overwrote the source weights.
    void outputInsideModelDirectoryRefused() {
        const std::string model = makeModel(r() / "m4");
        const auto before = tree(model);
        for (auto format : {exporting::ExportFormat::Gguf, exporting::ExportFormat::TensorTypeFile,
                            exporting::ExportFormat::SafetensorsDirectory}) {
            for (const std::string out :
                 {model + "/model.safetensors", model + "/new.gguf", model, model + "/sub"}) {
                const std::string msg =
                    errorOf([&] { exporting::exportModel(model, q8(), format, out, {}); });
                QVERIFY2(contains(msg, "input") || contains(msg, "is a directory"), msg.c_str());
            }
        }
        QVERIFY(tree(model) == before);
    }

    void specialFilesRefusedAndLeftAsTheyAre() {
        const fs::path d = r() / "special";
        fs::create_directories(d);
        const std::string fifo = (d / "fifo").string();
        QCOMPARE(::mkfifo(fifo.c_str(), 0644), 0);
        const std::string sock = (d / "sock").string();
        {
            const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
            sockaddr_un a{};
            a.sun_family = AF_UNIX;
            std::snprintf(a.sun_path, sizeof a.sun_path, "%s", sock.c_str());
            QCOMPARE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
            ::close(fd);
        }
        std::vector<std::string> targets = {fifo, sock};
        const std::string dev = (d / "null").string();
        if (::mknod(dev.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0)
            targets.push_back(dev); // root only: a copy of /dev/null
        else
            qInfo("not root: the device-node case is covered by the FIFO and the socket");
        // and through a symbolic link
        fs::create_symlink(fifo, d / "link-to-fifo");
        targets.push_back((d / "link-to-fifo").string());
        const auto before = tree(d);
        for (const auto& t : targets) {
            const std::string msg = errorOf([&] { io::writeFileAtomically(t, "x"); });
            QVERIFY2(contains(msg, t) && contains(msg, "refusing"), msg.c_str());
            const std::string pre = errorOf([&] { io::checkOutputs({{"--out", t}}); });
            QVERIFY2(contains(pre, "--out") && contains(pre, "refusing"), pre.c_str());
        }
        QVERIFY(tree(d) == before); // still a FIFO, a socket, a device; nothing beside them
    }

    void symbolicLinksWrittenThrough() {
        const fs::path d = r() / "links";
        fs::create_directories(d / "real");
        io::writeFileAtomically((d / "real" / "f.json").string(), "old");
        fs::create_symlink("real/f.json", d / "rel-link");
        io::writeFileAtomically((d / "rel-link").string(), "new");
        QVERIFY(fs::is_symlink(d / "rel-link"));
        QCOMPARE(slurp(d / "real" / "f.json"), std::string("new"));
        // a dangling link: its target is created
        fs::create_symlink(d / "real" / "later.txt", d / "dangling");
        io::writeFileAtomically((d / "dangling").string(), "made");
        QVERIFY(fs::is_symlink(d / "dangling"));
        QCOMPARE(slurp(d / "real" / "later.txt"), std::string("made"));
        // a loop: an error, nothing made
        fs::create_symlink(d / "loop-b", d / "loop-a");
        fs::create_symlink(d / "loop-a", d / "loop-b");
        const std::string msg =
            errorOf([&] { io::writeFileAtomically((d / "loop-a").string(), "x"); });
        QVERIFY2(contains(msg, "symbolic links"), msg.c_str());
        std::set<std::string> names;
        for (const auto& e : fs::directory_iterator(d))
            names.insert(e.path().filename().string());
        QCOMPARE(names,
                 (std::set<std::string>{"real", "rel-link", "dangling", "loop-a", "loop-b"}));
        QCOMPARE(std::distance(fs::directory_iterator(d / "real"), fs::directory_iterator()),
                 std::ptrdiff_t(2));
    }

    void readOnlyTargetRefused() {
        const fs::path f = r() / "ro.json";
        io::writeFileAtomically(f.string(), "keep");
        fs::permissions(f, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
        const std::string msg = errorOf([&] { io::writeFileAtomically(f.string(), "x"); });
        QVERIFY2(contains(msg, "read-only") && contains(msg, "0444"), msg.c_str());
        QCOMPARE(slurp(f), std::string("keep"));
    }

    // Every output before any work: a missing folder, an output that is an input, two outputs
    // on one file; the check leaves nothing behind and names the option.
    void checkOutputsBeforeWork() {
        const fs::path d = r() / "check";
        fs::create_directories(d / "in");
        io::writeFileAtomically((d / "in" / "map.json").string(), "{}");
        io::writeFileAtomically((d / "f.json").string(), "old");
        const auto before = tree(d);
        auto msg = errorOf([&] {
            io::checkOutputs(
                {{"--out", (d / "f.json").string()}, {"--plot", (d / "nodir" / "p.svg").string()}});
        });
        QVERIFY2(contains(msg, "--plot") && contains(msg, "nodir") &&
                     contains(msg, "does not exist"),
                 msg.c_str());
        msg = errorOf([&] {
            io::checkOutputs({{"--out", (d / "in" / "map.json").string()}},
                             {(d / "in" / "map.json").string()});
        });
        QVERIFY2(contains(msg, "--out") && contains(msg, "is an input"), msg.c_str());
        msg = errorOf([&] {
            io::checkOutputs({{"--out", (d / "in" / "x.json").string()}}, {(d / "in").string()});
        });
        QVERIFY2(contains(msg, "inside the input directory"), msg.c_str());
        msg = errorOf([&] {
            io::checkOutputs(
                {{"--out", (d / "f.json").string()}, {"--csv", (d / "." / "f.json").string()}});
        });
        QVERIFY2(contains(msg, "--csv") && contains(msg, "--out"), msg.c_str());
        msg = errorOf([&] { io::checkOutputs({{"--out", "/proc/x.json"}}); });
        QVERIFY2(contains(msg, "cannot write in /proc"), msg.c_str());
        QVERIFY(tree(d) == before);
        // all fine: no error, nothing written
        io::checkOutputs({{"--out", (d / "f.json").string()}, {"--plot", (d / "p.svg").string()}},
                         {(d / "in").string()});
        QVERIFY(tree(d) == before);
    }

    // A handler's removeTemporariesNow() (what a second Ctrl-C runs before exiting) removes
    // every temporary file and directory in flight; the destination keeps its old bytes.
    void temporariesRemovedByTheHandler() {
        const fs::path d = r() / "temps";
        fs::create_directories(d);
        io::writeFileAtomically((d / "out.gguf").string(), "old");
        {
            io::AtomicFile f((d / "out.gguf").string());
            f.write(std::string(1 << 16, 'x'));
            std::string templ = (d / ".dir.tmp-XXXXXX").string();
            int slot = -1;
            QCOMPARE(io::createTemporary(templ, true, &slot), 0);
            io::AtomicFile inner(templ + "/model.safetensors");
            inner.write("partial");
            QCOMPARE(std::distance(fs::directory_iterator(d), fs::directory_iterator()),
                     std::ptrdiff_t(3));
            io::removeTemporariesNow();
            QCOMPARE(std::distance(fs::directory_iterator(d), fs::directory_iterator()),
                     std::ptrdiff_t(1));
            io::unregisterTemporary(slot);
        }
        QCOMPARE(slurp(d / "out.gguf"), std::string("old"));
    }

    // SIGINT / SIGTERM cancel inside a long tokenization (it ran to the end before).
    void tokenizationChecksForCancellation() {
        const std::string model = makeModel(r() / "m5");
        auto tok = tokenize::loadTokenizer(model);
        std::string text;
        for (int i = 0; i < 20000; ++i)
            text += "the quick brown fox " + std::to_string(i) + "\n";
        QVERIFY(!tok->encode(text, true).empty());
        CancelToken token;
        token.cancel();
        processCancel.store(&token);
        const std::string msg = errorOf([&] { tok->encode(text, true); });
        processCancel.store(nullptr);
        QVERIFY2(contains(msg, "CANCELLED"), msg.c_str());
    }

    void runawayNormalizerStopped() {
        nlohmann::json steps = nlohmann::json::array();
        for (int i = 0; i < 40; ++i)
            steps.push_back(nlohmann::json::parse(
                R"({"type":"Replace","pattern":{"String":"a"},"content":"aa"})"));
        tokenize::Normalizer n(nlohmann::json{{"type", "Sequence"}, {"normalizers", steps}},
                               "bad/tokenizer.json");
        const auto t0 = std::chrono::steady_clock::now();
        const std::string msg = errorOf([&] { n.apply(std::string(1000, 'a')); });
        QVERIFY2(contains(msg, "bad/tokenizer.json") && contains(msg, "runaway"), msg.c_str());
        qInfo("runaway normalizer stopped after %.3f s",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }

    void negativeChunksRejected() {
        const std::string msg = errorOf([] { eval::checkChunkCount(-1); });
        QVERIFY2(contains(msg, "--chunks") && contains(msg, "-1"), msg.c_str());
        eval::checkChunkCount(0);
        eval::checkChunkCount(3);
    }

    // Silent cases made loud (issue 31, 7): each was accepted without a word before.
    void unknownOverrideNamesNearest() {
        const std::string model = makeModel(r() / "m6");
        policy::Policy p = q8();
        p.overrides["model.layers.0.mlp.up_projj.weight"] = quant::Precision::parse("q4_0");
        const std::string msg = errorOf([&] {
            exporting::exportModel(model, p, exporting::ExportFormat::Gguf,
                                   (r() / "m6.gguf").string(), {});
        });
        QVERIFY2(contains(msg, "up_projj") && contains(msg, "model.layers.0.mlp.up_proj.weight"),
                 msg.c_str());
        QVERIFY(!fs::exists(r() / "m6.gguf"));
    }

    void normAskedForQ4GetsANote() {
        const std::string model = makeModel(r() / "m7");
        policy::Policy p = q8();
        p.overrides["model.norm.weight"] = quant::Precision::parse("q4_0");
        const auto res = exporting::exportModel(model, p, exporting::ExportFormat::Gguf,
                                                (r() / "m7.gguf").string(), {});
        bool noted = false;
        for (const auto& n : res.notes)
            noted = noted || contains(n, "model.norm.weight");
        QVERIFY(noted);
    }

    void tokenizerIdsBeyondVocabSize() {
        const std::string model = makeModel(r() / "m8");
        auto cfg = io::readJsonFile(model + "/config.json");
        cfg["vocab_size"] = 10;
        io::writeJsonFile(model + "/config.json", cfg);
        const std::string msg = errorOf([&] { tokenize::loadTokenizer(model); });
        QVERIFY2(contains(msg, "tokenizer.json") && contains(msg, "vocab_size 10"), msg.c_str());
    }

    void unkTokenNamingNoToken() {
        const fs::path d = r() / "unk";
        fs::create_directories(d);
        const nlohmann::json j = {{"version", "1.0"},
                                  {"added_tokens", nlohmann::json::array()},
                                  {"normalizer", nullptr},
                                  {"pre_tokenizer", nullptr},
                                  {"post_processor", nullptr},
                                  {"decoder", nullptr},
                                  {"model",
                                   {{"type", "BPE"},
                                    {"unk_token", "<unk>"},
                                    {"byte_fallback", false},
                                    {"fuse_unk", false},
                                    {"vocab", {{"a", 0}, {"b", 1}}},
                                    {"merges", nlohmann::json::array()}}}};
        io::writeFileAtomically((d / "tokenizer.json").string(), j.dump());
        auto tok = tokenize::loadTokenizer(d.string());
        QCOMPARE(tok->encode("ab", false).size(), std::size_t(2));
        const std::string msg = errorOf([&] { tok->encode("abc", false); });
        QVERIFY2(contains(msg, "tokenizer.json") && contains(msg, "<unk>"), msg.c_str());
    }

    void incompleteLlama3RopeScaling() {
        auto j = nlohmann::json::parse(R"({"model_type":"llama","hidden_size":64,
            "intermediate_size":128,"num_hidden_layers":1,"num_attention_heads":4,
            "vocab_size":32,"rope_scaling":{"rope_type":"llama3","factor":8.0,
            "high_freq_factor":4.0,"original_max_position_embeddings":8192}})");
        const std::string msg = errorOf([&] { models::ModelConfig::parse(j, "cfg/config.json"); });
        QVERIFY2(contains(msg, "cfg/config.json") && contains(msg, "low_freq_factor"), msg.c_str());
        j["rope_scaling"]["low_freq_factor"] = 1.0;
        models::ModelConfig::parse(j, "cfg/config.json");
    }

    void hugeImatrixValueNamesTheImatrix() {
        const std::string model = makeModel(r() / "m9");
        io::Imatrix m;
        m.chunkCount = 1;
        m.chunkSize = 512;
        io::ImatrixEntry e;
        e.name = "blk.0.ffn_up.weight";
        e.columns = 64;
        e.sums.assign(64, 1.0f);
        e.sums[5] = 3e38f;
        e.counts = {1.0f};
        m.entries.push_back(e);
        const std::string path = (r() / "huge.imatrix.gguf").string();
        io::writeImatrix(path, m);
        const std::string msg = errorOf([&] {
            exporting::exportModel(model, q8(), exporting::ExportFormat::Gguf,
                                   (r() / "m9.gguf").string(), {}, path);
        });
        QVERIFY2(contains(msg, path) && contains(msg, "column 5") && contains(msg, "3e+38"),
                 msg.c_str());
    }
};

QTEST_APPLESS_MAIN(TstOutputPaths)
#include "tst_output_paths.moc"
