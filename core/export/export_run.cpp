#include "core/export/export_run.h"

#include "core/export/gguf_export.h"
#include "core/export/safetensors_export.h"
#include "core/export/tensor_type_file.h"
#include "core/io/atomic_file.h"
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
                              const JobControl& job) {
    if (destination.empty())
        throw Error("no export destination given");
    ModelExportResult out;
    job.check();
    switch (format) {
    case ExportFormat::Gguf: {
        auto r = exportGguf(modelDir, policy, destination, job);
        out.bytes = r.bytes;
        out.notes = r.notes;
        break;
    }
    case ExportFormat::SafetensorsDirectory: {
        auto r = exportSafetensorsDirectory(modelDir, policy, destination, job);
        out.bytes = r.bytes;
        out.notes = r.notes;
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
        out.notes = plan.notes;
        job.report(1.0, "done");
        break;
    }
    }
    return out;
}

} // namespace taskquant::exporting
