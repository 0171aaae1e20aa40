#pragma once
// Small pieces the engine dialogs share: an OK / Cancel button box with a custom OK text, the
// device choice and the model directory label. GUI thread only.
#include <QString>

class QComboBox;
class QDialog;
class QDialogButtonBox;
class QLabel;
class QWidget;

namespace taskquant::studio {

// OK (labelled okText) accepts the dialog, Cancel rejects it.
QDialogButtonBox* okCancel(QDialog* d, const QString& okText);
// A choice of the devices availableDevices() lists.
QComboBox* deviceBox(QWidget* parent);
// The model directory, or "(no model open)", selectable.
QLabel* modelLabel(const QString& dir, QWidget* parent);

} // namespace taskquant::studio
