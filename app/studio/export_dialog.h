#pragma once
// ExportDialog: File > Export Quantized Model, one of the engine dialogs.
//  * Default scheme: for GGUF only the GGUF types (views/gguf_type_menu.h; TaskQuant's int4/int8
//    groups have no GGUF type and are not offered there), for safetensors also int8_g128,
//    int4_g128 and nf4.
//  * Mix: "(policy editor)" or one of llama.cpp's named mixes (core/policy/recipes.h): then the
//    file holds that mix, as llama-quantize would choose it (with an imatrix: as chosen with one).
//  * Importance matrix (optional): a GGUF or legacy .dat imatrix; the block types are quantized
//    importance-weighted (as llama-quantize --imatrix).
//  * Model card (GGUF only, on by default): README.md in Hugging Face's conventions beside the
//    file (core/export/model_card.h).
//  * The size of the file is shown before writing (exporting::LiveCost over the open model's
//    GGUF layout, when the studio has it: setSizeModel()).
// The last format, scheme and mix are remembered (QSettings "export/..."). GUI thread only.
#include <QDialog>
#include <optional>

#include "app/studio/engine_jobs.h"
#include "core/export/live_cost.h"

class QCheckBox;
class QComboBox;
class QLabel;

namespace taskquant::studio {

class PathField;

class ExportDialog : public QDialog {
    Q_OBJECT
  public:
    ExportDialog(const QString& modelDir, const Choices& choices,
                 const quant::Precision& defaultPrecision, QWidget* parent = nullptr);
    ExportRequest request() const;
    // Precisions offered as the default scheme for a format (canonical names).
    static QStringList schemeNames(exporting::ExportFormat format = exporting::ExportFormat::Gguf);
    void setSizeModel(const exporting::LiveCostModel& model);
    // The task data an importance matrix can be computed from (the last Fisher run's); enables
    // "Compute from the task data".
    void setTaskData(const FisherRequest& data);
    QString sizeText() const;
    QComboBox* schemeBox() const { return scheme_; }
    QComboBox* mixBox() const { return mix_; }
    QComboBox* formatBox() const { return format_; }

  private:
    void updateFormat();
    void updateSize();
    // Bytes the file's story adds (the size preview counts them).
    uint64_t storyBytes(const policy::Policy& p, const QString& imatrixPath) const;
    QString modelDir_;
    Choices choices_;
    QString initialScheme_;
    QComboBox* format_;
    PathField* destination_;
    QComboBox* scheme_;
    QComboBox* mix_;
    PathField* imatrix_;
    QCheckBox* computeImatrix_;
    QCheckBox* modelCard_;
    std::optional<FisherRequest> taskData_;
    QLabel* summary_;
    QLabel* size_;
    std::optional<exporting::LiveCostModel> sizeModel_;
};

} // namespace taskquant::studio
