#include "app/studio/evaluation_result_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace taskquant::studio {

EvaluationResultDialog::EvaluationResultDialog(QWidget* parent)
    : QDialog(parent), caption_(new QLabel(this)), table_(new QTableWidget(this)) {
    setWindowTitle(tr("Policy Evaluation"));
    caption_->setWordWrap(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->setVisible(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(caption_);
    layout->addWidget(table_, 1);
    layout->addWidget(buttons);
    resize(900, 260);
}

void EvaluationResultDialog::setResult(const eval::EvaluationResult& r, const QString& textFile) {
    const QStringList headers{tr("Variant"), tr("Size (MiB)"), tr("Bits/weight"), tr("PPL"),
                              tr("KL mean"), tr("KL p99"),     tr("KL max"),      tr("Same top-1"),
                              tr("Mean Δp"), tr("RMS Δp")};
    table_->clear();
    table_->setColumnCount(int(headers.size()));
    table_->setHorizontalHeaderLabels(headers);
    table_->setRowCount(int(r.rows.size()));
    auto num = [](double v, int prec) { return QString::number(v, 'f', prec); };
    for (int i = 0; i < int(r.rows.size()); ++i) {
        const auto& row = r.rows[std::size_t(i)];
        const QStringList cells{
            row.baseline ? tr("baseline (unquantized)") : tr("policy"),
            num(row.bytes / 1048576.0, 3),
            num(row.averageBits, 2),
            QStringLiteral("%1 ± %2").arg(num(row.ppl, 4), num(row.pplUncertainty, 4)),
            num(row.kldMean, 6),
            num(row.kldP99, 6),
            num(row.kldMax, 6),
            QStringLiteral("%1 %").arg(num(100 * row.sameTop1, 2)),
            QStringLiteral("%1 %").arg(num(100 * row.meanDeltaP, 3)),
            QStringLiteral("%1 %").arg(num(100 * row.rmsDeltaP, 3))};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(i, c, item);
        }
    }
    table_->resizeColumnsToContents();
    const qint64 chunks = r.rows.empty() ? 0 : r.rows.front().chunks;
    const qint64 tokens = r.rows.empty() ? 0 : r.rows.front().tokens;
    caption_->setText(tr("%1: %2 windows, %3 scored tokens. KL divergence, same top-1 and Δp "
                         "compare the policy with the unquantized model.")
                          .arg(textFile)
                          .arg(chunks)
                          .arg(tokens));
}

} // namespace taskquant::studio
