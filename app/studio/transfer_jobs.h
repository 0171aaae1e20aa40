#pragma once
// The Task Transfer work of the studio (Analysis > Compute Task Transfer, File > Open of a
// "taskquant-transfer" JSON), as plain requests and functions that run on a JobRunner worker.
// They call the CLI's core entry points (core/eval/transfer.h runTransfer, TransferResult::
// readFile; see app/cli/cmd_transfer.cpp). This header includes no ATen.
//  * runTransferJob(): the matrix of the request (every policy on every task), with the policies.
//  * readTransferFile(): a transfer JSON as the tab shows it, with its policies (the file
//    carries every cell's policy, so a click loads it as after a computation).
//  * choicesForTransferPolicy(): the explicit choices that make the editor (its default
//    precision kept) give every named tensor the precision the policy gives it, so loading is
//    one undoable replaceAll().
// Throws taskquant::Error with a user-facing message; cancellable through the JobControl.
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

#include "app/studio/studio_jobs.h"
#include "core/policy/policy.h"
#include "views/transfer_math.h"

namespace taskquant::eval {
struct TransferResult;
}

namespace taskquant::studio {

struct TransferRequest {
    QString modelDir;
    QStringList tasks{QStringLiteral("arithmetic=arithmetic"),
                      QStringLiteral("stories=stories")}; // NAME=KIND[:PATH]
    QString general;                                      // KIND:PATH, "" = none
    QString bits = QStringLiteral("3.5,4.5");
    int calibrationSamples = 64, heldOutSamples = 64;
    int ctx = 128, windows = 16, answerProblems = 16;
    bool recipes = true;
    QString device = QStringLiteral("cpu");
};

struct TransferData {
    std::vector<views::TransferCellData> cells;
    std::vector<views::TransferVerdictData> verdicts;
    std::vector<std::pair<QString, policy::Policy>> policies; // label -> policy
    QString modelDir, title, notes;
    const policy::Policy* policyOf(const QString& label) const;
};

// The view's rows of a core result; source: "" (computed) or the file it was read from.
TransferData transferData(const eval::TransferResult& result, const QString& source);

TransferData runTransferJob(const TransferRequest& request, const taskquant::JobControl& control);
TransferData readTransferFile(const QString& path);

// names: the tensors the editor knows (the open model's, else the maps' and the policy's own).
Choices choicesForTransferPolicy(const policy::Policy& policy, const QStringList& names,
                                 const quant::Precision& editorDefault);

} // namespace taskquant::studio
