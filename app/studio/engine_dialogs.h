#pragma once
// The dialogs of the engine actions: Run Fisher, Run Magnitude, Evaluate Policy, Export
// Quantized Model, and the evaluation result table. Each input dialog only collects values:
// request() builds the job request from its fields (tests fill the fields and call it without
// showing the dialog); MainWindow starts the job. GUI thread only.
#include <QDialog>

#include "app/studio/engine_jobs.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QTableWidget;
class QLabel;

namespace taskquant::studio {

// A line edit with a "Browse…" button. Mode: open file, save file or directory.
class PathField : public QWidget {
    Q_OBJECT
  public:
    enum Mode { OpenFile, SaveFile, Directory };
    PathField(Mode mode, const QString& filter, QWidget* parent = nullptr);
    QString path() const;
    void setPath(const QString& p);
    void setMode(Mode mode, const QString& filter);
    QLineEdit* edit() const { return edit_; }

  private:
    Mode mode_;
    QString filter_;
    QLineEdit* edit_;
};

class FisherDialog : public QDialog {
    Q_OBJECT
  public:
    FisherDialog(const QString& modelDir, QWidget* parent = nullptr);
    FisherRequest request() const;
    void setRequest(const FisherRequest& r);

    QComboBox* datasetBox() const { return dataset_; }
    PathField* dataField() const { return data_; }
    QSpinBox* samplesBox() const { return samples_; }

  private:
    void updateFieldEnabled();
    QString modelDir_;
    QComboBox* dataset_;
    PathField* data_;
    QLineEdit* field_;
    QSpinBox *samples_, *maxLength_, *seed_;
    QCheckBox *clip_, *exactLoop_;
    QDoubleSpinBox* clipPercentile_;
    QComboBox* device_;
    PathField* save_;
};

class MagnitudeDialog : public QDialog {
    Q_OBJECT
  public:
    MagnitudeDialog(const QString& modelDir, QWidget* parent = nullptr);
    MagnitudeRequest request() const;

  private:
    QString modelDir_;
    QComboBox* norm_;
    QCheckBox* perParameter_;
    PathField* save_;
};

class EvaluateDialog : public QDialog {
    Q_OBJECT
  public:
    EvaluateDialog(const QString& modelDir, const Choices& choices,
                   const quant::Precision& defaultPrecision, QWidget* parent = nullptr);
    EvaluationRequest request() const;

  private:
    QString modelDir_;
    Choices choices_;
    quant::Precision defaultPrecision_;
    PathField* text_;
    QSpinBox *ctx_, *chunks_;
    QComboBox* device_;
};

class ExportDialog : public QDialog {
    Q_OBJECT
  public:
    ExportDialog(const QString& modelDir, const Choices& choices,
                 const quant::Precision& defaultPrecision, QWidget* parent = nullptr);
    ExportRequest request() const;
    // Precisions offered as the default scheme (canonical names).
    static QStringList schemeNames();

  private:
    void updateFormat();
    QString modelDir_;
    Choices choices_;
    QComboBox* format_;
    PathField* destination_;
    QComboBox* scheme_;
    QLabel* summary_;
};

// Shows an evaluation result: one row per variant (baseline, policy) with perplexity, KL
// divergence mean / p99 / max, same top-1 and mean / rms delta p. Non-modal.
class EvaluationResultDialog : public QDialog {
    Q_OBJECT
  public:
    explicit EvaluationResultDialog(QWidget* parent = nullptr);
    void setResult(const eval::EvaluationResult& result, const QString& textFile);
    QTableWidget* table() const { return table_; }

  private:
    QLabel* caption_;
    QTableWidget* table_;
};

} // namespace taskquant::studio
