#include "core/export/export_run.h"

#include <filesystem>
#include <memory>

#include "core/export/apply_policy.h"
#include "core/export/gguf_export.h"
#include "core/export/gguf_story.h"
#include "core/export/model_card.h"
#include "core/export/safetensors_export.h"
#include "core/export/tensor_type_file.h"
#include "core/io/atomic_file.h"
#include "core/io/imatrix_file.h"
#include "core/io/json_file.h"
#include "core/io/output_path.h"
#include "core/io/safetensors.h"
#include "core/sensitivity/imatrix.h"
#include "core/sensitivity/sensitivity_map.h"
#include "core/util/error.h"

namespace taskquant::exporting {

namespace {

std::string modelDirectoryName(const std::string& dir) {
    const std::filesystem::path p(dir);
    const std::string name = p.filename().string();
    return name.empty() ? p.parent_path().filename().string() : name;
}

} // namespace

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
                              const JobControl& job, const std::string& imatrixPath,
                              const ExportStoryOptions& so) {
    if (destination.empty())
        throw Error("no export destination given");
    // Every output checked before any work: not the model directory nor inside it (which
    // would overwrite the source weights), not the imatrix, no special file, a writable folder;
    // a directory output only absent, empty or a previous export (core/io/output_path.h).
    std::vector<io::OutputPath> outputs{{"", destination,
                                         format == ExportFormat::SafetensorsDirectory
                                             ? io::OutputKind::Directory
                                             : io::OutputKind::File}};
    if (!so.modelCard.empty())
        outputs.push_back({"model card", so.modelCard, io::OutputKind::File});
    io::checkOutputs(outputs, {modelDir, imatrixPath, so.mapPath, so.evalReport});
    {
        // An override naming no tensor of the model was ignored silently.
        const auto ckpt = io::SafetensorsCheckpoint::openDirectory(modelDir);
        checkOverridesExist(policy, ckpt.names(), modelDir);
    }
    if (!so.modelCard.empty() && format != ExportFormat::Gguf)
        throw Error("a model card is written for --format gguf only");
    // The story is assembled before any work, so a bad map or report fails early.
    GgufStory story;
    if (so.enabled) {
        story =
            storyFor(policy, so.baseModel.empty() ? modelDirectoryName(modelDir) : so.baseModel);
        if (!so.mapPath.empty()) {
            const auto map = sensitivity::SensitivityMap::readFile(so.mapPath);
            addMapToStory(story, map, io::readFile(so.mapPath, std::size_t(256) << 20));
        }
        if (!so.evalReport.empty())
            addEvaluationToStory(story, io::readJsonFile(so.evalReport), so.evalReport, so.evalRow);
    } else {
        story.quantizedBy.clear();
    }
    if (!imatrixPath.empty() && format == ExportFormat::Gguf)
        addImatrixToStory(story, io::readImatrix(imatrixPath), imatrixPath);
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
        auto r = exportGguf(modelDir, policy, destination, job, importance, &story);
        out.bytes = r.bytes;
        out.notes.insert(out.notes.end(), r.notes.begin(), r.notes.end());
        if (!so.modelCard.empty()) {
            ModelCardInput card;
            card.modelDir = modelDir;
            card.ggufPath = destination;
            card.imatrixPath = imatrixPath;
            card.story = story;
            card.evalReport = so.evalReport;
            card.frontierFigure = so.frontierFigure;
            writeModelCard(so.modelCard, card);
            out.notes.push_back("model card " + so.modelCard);
        }
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
