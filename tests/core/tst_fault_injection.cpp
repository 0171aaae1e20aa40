// Fault injection on every writer (issue 8): exports (GGUF file, safetensors directory),
// safetensors / GGUF writing, sensitivity map (JSON, CSV) and policy writes under a full disk
// (RLIMIT_FSIZE at many sizes below the file's), an unwritable destination, and cancellation at
// every point the writers check. After each failure: the destination holds the previous file
// (or directory) byte for byte, or nothing if there was none; no temporary file is left
// beside it; the error names the destination and says what happened.
#include <QtTest/QtTest>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sys/resource.h>
#include <unistd.h>

#include "core/export/gguf_export.h"
#include "core/export/safetensors_export.h"
#include "core/io/gguf_writer.h"
#include "core/io/safetensors.h"
#include "core/models/synthetic_model.h"
#include "core/policy/policy.h"
#include "core/sensitivity/sensitivity_map.h"
#include "core/util/error.h"

using namespace taskquant;
namespace fs = std::filesystem;

namespace {

// Lowers this process's file size limit (the "disk" is full after `bytes`) for its lifetime.
// SIGXFSZ is ignored meanwhile, so writes past the limit fail with EFBIG instead of killing us.
class FileSizeLimit {
  public:
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &saved_);
        oldHandler_ = std::signal(SIGXFSZ, SIG_IGN);
        rlimit r = saved_;
        r.rlim_cur = bytes;
        if (::setrlimit(RLIMIT_FSIZE, &r) != 0)
            qFatal("setrlimit failed");
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, oldHandler_);
    }

  private:
    rlimit saved_{};
    void (*oldHandler_)(int) = nullptr;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every regular file under a path (a file, or a directory tree), relative path -> bytes.
std::map<std::string, std::string> snapshot(const fs::path& p) {
    std::map<std::string, std::string> out;
    if (fs::is_regular_file(p))
        out[""] = slurp(p);
    else if (fs::is_directory(p))
        for (const auto& e : fs::recursive_directory_iterator(p))
            if (e.is_regular_file())
                out[fs::relative(e.path(), p).string()] = slurp(e.path());
    return out;
}

std::set<std::string> entries(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out.insert(e.path().filename().string());
    return out;
}

struct Writer {
    std::string name;
    std::string fileName; // destination inside the scratch directory
    std::function<void(const std::string& dest, const JobControl& job)> write;
};

std::vector<Writer> writers(const std::string& modelDir) {
    using namespace taskquant::sensitivity;
    std::vector<Writer> w;
    auto pol = std::make_shared<policy::Policy>();
    pol->overrides["model.layers.0.mlp.up_proj.weight"] = quant::Precision::parse("q8_0");
    w.push_back(
        {"export-gguf", "model.gguf", [modelDir, pol](const std::string& d, const JobControl& j) {
             exporting::exportGguf(modelDir, *pol, d, j);
         }});
    w.push_back({"export-safetensors-dir", "exported",
                 [modelDir, pol](const std::string& d, const JobControl& j) {
                     exporting::exportSafetensorsDirectory(modelDir, *pol, d, j);
                 }});
    w.push_back({"safetensors", "t.safetensors", [](const std::string& d, const JobControl& j) {
                     std::vector<io::TensorSource> ts;
                     for (int i = 0; i < 6; ++i)
                         ts.push_back({"t" + std::to_string(i), io::DType::F32, {64, 16}, [] {
                                           return std::string(64 * 16 * 4, '\x11');
                                       }});
                     io::writeSafetensors(d, ts, {{"k", "v"}}, j);
                 }});
    w.push_back({"gguf", "t.gguf", [](const std::string& d, const JobControl& j) {
                     io::GgufMetadata md;
                     md.set("general.name", "fault");
                     std::vector<io::GgufTensorSource> ts;
                     for (int i = 0; i < 6; ++i)
                         ts.push_back({"t" + std::to_string(i), io::GgmlType::F32, {64, 16}, [] {
                                           return std::string(64 * 16 * 4, '\x22');
                                       }});
                     io::writeGguf(d, md, ts, j);
                 }});
    auto map = std::make_shared<SensitivityMap>([] {
        std::vector<MapEntry> e;
        for (int i = 0; i < 200; ++i)
            e.push_back({"model.layers." + std::to_string(i) + ".mlp.up_proj.weight", 0.5 + i, 64,
                         std::nullopt});
        Provenance p;
        p.method = "fisher";
        p.samples = 10;
        return SensitivityMap(e, p);
    }());
    w.push_back({"map-json", "map.json",
                 [map](const std::string& d, const JobControl&) { map->writeFile(d); }});
    w.push_back({"map-csv", "map.csv",
                 [map](const std::string& d, const JobControl&) { map->writeCsv(d); }});
    w.push_back({"policy-json", "policy.json", [](const std::string& d, const JobControl&) {
                     policy::Policy p;
                     for (int i = 0; i < 200; ++i)
                         p.overrides["model.layers." + std::to_string(i) + ".mlp.up_proj.weight"] =
                             quant::Precision::parse("nf4");
                     p.writeFile(d);
                 }});
    return w;
}

} // namespace

class TstFaultInjection : public QObject {
    Q_OBJECT
    QTemporaryDir root_;
    std::string modelDir_;

    // Runs `fault` against a destination that holds a previous version (if withPrevious) and
    // checks the aftermath. Returns the error message.
    std::string expectIntact(const Writer& w, bool withPrevious,
                             const std::function<void(const std::string&)>& fault,
                             bool cancelled = false) {
        const fs::path dir = fs::path(root_.path().toStdString()) / ("case-" + w.name);
        fs::remove_all(dir);
        fs::create_directories(dir);
        const fs::path dest = dir / w.fileName;
        if (withPrevious)
            w.write(dest.string(), {}); // a complete earlier version
        const auto before = snapshot(dest);
        const auto listing = entries(dir);
        std::string message;
        try {
            fault(dest.string());
            QTest::qFail(("no error from " + w.name).c_str(), __FILE__, __LINE__);
        } catch (const Cancelled& e) {
            if (!cancelled)
                QTest::qFail(("unexpected cancel: " + w.name).c_str(), __FILE__, __LINE__);
            message = e.what();
        } catch (const Error& e) {
            if (cancelled)
                QTest::qFail(("expected a cancel, got: " + std::string(e.what())).c_str(), __FILE__,
                             __LINE__);
            message = e.what();
            if (message.find(dest.string()) == std::string::npos)
                QTest::qFail(("error does not name the destination: " + message).c_str(), __FILE__,
                             __LINE__);
        }
        // Nothing partial: the previous content, byte for byte, or nothing at all.
        if (snapshot(dest) != before)
            QTest::qFail((w.name + ": destination changed after a failed write").c_str(), __FILE__,
                         __LINE__);
        if (!withPrevious && fs::exists(dest))
            QTest::qFail((w.name + ": a partial destination exists").c_str(), __FILE__, __LINE__);
        if (entries(dir) != listing)
            QTest::qFail((w.name + ": temporary files were left beside the destination").c_str(),
                         __FILE__, __LINE__);
        return message;
    }

  private slots:
    void initTestCase() {
        QVERIFY(root_.isValid());
        modelDir_ = root_.filePath("model").toStdString();
        models::SyntheticSpec s;
        s.preset = "llama";
        s.seed = 3;
        models::writeSyntheticModel(modelDir_, s);
    }

    void fullDisk_data() {
        QTest::addColumn<int>("writer");
        QTest::addColumn<bool>("withPrevious");
        const auto ws = writers("");
        for (int i = 0; i < int(ws.size()); ++i) {
            QTest::newRow((ws[i].name + "/new").c_str()) << i << false;
            QTest::newRow((ws[i].name + "/replace").c_str()) << i << true;
        }
    }
    void fullDisk() {
        QFETCH(int, writer);
        QFETCH(bool, withPrevious);
        const Writer w = writers(modelDir_)[writer];
        // Size of the complete output, then limits from 0 to just below it.
        const fs::path probe = fs::path(root_.path().toStdString()) / ("probe-" + w.fileName);
        fs::remove_all(probe);
        w.write(probe.string(), {});
        uint64_t size = 0;
        for (const auto& [name, bytes] : snapshot(probe))
            size = std::max<uint64_t>(size, bytes.size());
        QVERIFY(size > 100);
        for (uint64_t limit :
             {uint64_t(0), uint64_t(1), uint64_t(17), size / 3, size / 2, size - 1}) {
            const std::string msg = expectIntact(w, withPrevious, [&](const std::string& dest) {
                FileSizeLimit full(limit);
                w.write(dest, {});
            });
            QVERIFY2(msg.find("File too large") != std::string::npos &&
                         msg.find("ulimit") != std::string::npos,
                     msg.c_str());
            if (QTest::currentTestFailed())
                return;
        }
    }

    void unwritableDestination_data() {
        QTest::addColumn<int>("writer");
        const auto ws = writers("");
        for (int i = 0; i < int(ws.size()); ++i)
            QTest::newRow(ws[i].name.c_str()) << i;
    }
    void unwritableDestination() {
        QFETCH(int, writer);
        const Writer w = writers(modelDir_)[writer];
        const fs::path base = fs::path(root_.path().toStdString()) / ("unwritable-" + w.name);
        fs::remove_all(base);
        fs::create_directories(base);
        // A parent that does not exist, a parent that is a file, and (unless we are root, who
        // may write anywhere) a read-only directory, holding an earlier version.
        std::vector<std::pair<fs::path, std::string>> cases = {{base / "missing" / w.fileName, ""},
                                                               {base / "file" / w.fileName, ""}};
        std::ofstream(base / "file") << "not a directory";
        if (::geteuid() != 0) {
            fs::create_directories(base / "readonly");
            w.write((base / "readonly" / w.fileName).string(), {});
            fs::permissions(base / "readonly", fs::perms::owner_read | fs::perms::owner_exec);
            cases.push_back({base / "readonly" / w.fileName, "previous"});
        }
        for (const auto& [dest, previous] : cases) {
            const auto before = snapshot(dest);
            try {
                w.write(dest.string(), {});
                QFAIL(("no error writing " + dest.string()).c_str());
            } catch (const Cancelled&) {
                QFAIL("unexpected cancel");
            } catch (const Error& e) {
                const std::string msg = e.what();
                QVERIFY2(msg.find(dest.string()) != std::string::npos, msg.c_str());
                QVERIFY2(msg.find("No such file") != std::string::npos ||
                             msg.find("Not a directory") != std::string::npos ||
                             msg.find("Permission denied") != std::string::npos ||
                             msg.find("does not exist") != std::string::npos,
                         msg.c_str());
            }
            QVERIFY(snapshot(dest) == before);
        }
        if (::geteuid() != 0)
            fs::permissions(base / "readonly", fs::perms::owner_all);
    }

    void cancellationAtEveryPoint_data() {
        QTest::addColumn<int>("writer");
        QTest::addColumn<bool>("withPrevious");
        const auto ws = writers("");
        for (int i = 0; i < 4; ++i) { // the streaming writers take a JobControl
            QTest::newRow((ws[i].name + "/new").c_str()) << i << false;
            QTest::newRow((ws[i].name + "/replace").c_str()) << i << true;
        }
    }
    void cancellationAtEveryPoint() {
        QFETCH(int, writer);
        QFETCH(bool, withPrevious);
        const Writer w = writers(modelDir_)[writer];
        // Count the progress reports of a complete run; then cancel at each of them in turn
        // (the writers check the token between tensors, after reporting).
        int reports = 0;
        JobControl counting;
        counting.progress = [&](const ProgressInfo&) { ++reports; };
        const fs::path probe = fs::path(root_.path().toStdString()) / ("cprobe-" + w.fileName);
        fs::remove_all(probe);
        w.write(probe.string(), counting);
        QVERIFY(reports >= 3);
        int cancelledRuns = 0;
        for (int at = 0; at <= reports; ++at) {
            CancelToken token;
            int seen = 0;
            JobControl job;
            job.cancel = &token;
            job.progress = [&](const ProgressInfo&) {
                if (++seen >= at)
                    token.cancel();
            };
            if (at == 0)
                token.cancel();
            bool cancelled = false;
            const fs::path dir = fs::path(root_.path().toStdString()) / ("case-" + w.name);
            fs::remove_all(dir);
            fs::create_directories(dir);
            const fs::path dest = dir / w.fileName;
            if (withPrevious)
                w.write(dest.string(), {});
            const auto before = snapshot(dest);
            const auto listing = entries(dir);
            try {
                w.write(dest.string(), job);
            } catch (const Cancelled&) {
                cancelled = true;
            }
            if (cancelled) {
                ++cancelledRuns;
                QVERIFY2(snapshot(dest) == before,
                         ("cancel at report " + std::to_string(at)).c_str());
                QVERIFY(withPrevious || !fs::exists(dest));
                QCOMPARE(entries(dir), listing);
            } else {
                // A cancel after the last check: the write completed, and completely.
                QVERIFY(snapshot(dest) == snapshot(probe));
            }
        }
        QVERIFY(cancelledRuns >= reports - 1);
    }
};

QTEST_GUILESS_MAIN(TstFaultInjection)
#include "tst_fault_injection.moc"
