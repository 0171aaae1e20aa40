#include "core/export/export_run.h"

#include <memory>

#include "core/export/apply_policy.h"
#include "core/export/gguf_export.h"
#include "core/export/safetensors_export.h"
#include "core/export/tensor_type_file.h"
#include "core/io/atomic_file.h"
#include "core/io/output_path.h"
#include "core/io/safetensors.h"
#include "core/sensitivity/imatrix.h"
#include "core/util/error.h"

namespace taskquant::exporting {

ExportFormat parseExportFormat(const std::string& id) {
    if (id == "gguf")
        return ExportFormat::Gguf;
    if (id == "safetensors")
        return ExportFormat::SafetensorsDirectory;
    if (id == "tensor-types")
        return ExportFormat::TensorTypeFile;
    throw Error("unknown export format '" + id + "' (gguf, safetensors or tensor-types)");
}

ModelExportResult exportModel(const std::string& modelDir, const policy::Policy& policy,
                              ExportFormat format, const std::string& destination,
                              const JobControl& job, const std::string& imatrixPath) {
    if (destination.empty())
        throw Error("no export destination given");
    // Every output checked before any work: not the model directory nor inside it (which
    // would overwrite the source weights), not the imatrix, no special file, a writable folder;
    // a directory output only absent, empty or a previous export (core/io/output_path.h).
    io::checkOutputs({{"", destination,
                       format == ExportFormat::SafetensorsDirectory ? io::OutputKind::Directory
                                                                    : io::OutputKind::File}},
                     {modelDir, imatrixPath});
    {
        // An override naming no tensor of the model was ignored silently.
        const auto ckpt = io::SafetensorsCheckpoint::openDirectory(modelDir);
        checkOverridesExist(policy, ckpt.names(), modelDir);
    }
    ModelExportResult out;
    job.check();
    quant::ImportanceLookup importance;
    std::shared_ptr<sensitivity::ModelImportance> table;
    if (!imatrixPath.empty()) {
        table = std::make_shared<sensitivity::ModelImportance>(
            sensitivity::loadModelImportance(imatrixPath, modelDir));
        importance = [table](const std::string& name) { return table->find(name); };
        out.notes.push_back("importance matrix " + imatrixPath + ": " +
                            std::to_string(table->byName.size()) + " tensors weighted");
    }
    switch (format) {
    case ExportFormat::Gguf: {
        auto r = exportGguf(modelDir, policy, destination, job, importance);
        out.bytes = r.bytes;
        out.notes.insert(out.notes.end(), r.notes.begin(), r.notes.end());
        break;
    }
    case ExportFormat::SafetensorsDirectory: {
        auto r = exportSafetensorsDirectory(modelDir, policy, destination, job, importance);
        out.bytes = r.bytes;
        out.notes.insert(out.notes.end(), r.notes.begin(), r.notes.end());
        break;
    }
    case ExportFormat::TensorTypeFile: {
        // exportTensorTypeFile's steps, with a cancel check before the file is committed.
        job.report(0.0, "planning tensor types");
        const GgufPlan plan = planGguf(modelDir, policy);
        job.check();
        io::AtomicFile file(destination);
        file.write(tensorTypeFileText(plan));
        job.check();
        file.commit();
        out.notes.insert(out.notes.end(), plan.notes.begin(), plan.notes.end());
        job.report(1.0, "done");
        break;
    }
    }
    return out;
}

} // namespace taskquant::exporting
