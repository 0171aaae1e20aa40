#include "views/transfer_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

namespace taskquant::views {

TransferView::TransferView(QWidget* parent)
    : QWidget(parent), model_(new TransferMatrixModel(this)), table_(new QTableView),
      title_(new QLabel), verdicts_(new QLabel), notes_(new QLabel), budget_(new QComboBox),
      compute_(new QPushButton(tr("Compute Task Transfer…"))) {
    compute_->setToolTip(tr("Build each task's own policy, a mixed one and llama.cpp's mix at "
                            "equal sizes and evaluate every policy on every task (a job)"));
    budget_->setToolTip(tr("The size budget the matrix shows (bits per weight)"));
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    title_->setWordWrap(true);
    for (QLabel* l : {verdicts_, notes_}) {
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    auto* top = new QHBoxLayout;
    top->addWidget(compute_);
    top->addWidget(new QLabel(tr("Budget:")));
    top->addWidget(budget_);
    top->addWidget(title_, 1);

    table_->setModel(model_);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setWordWrap(true);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(false);
    table_->setToolTip(QString());

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(table_, 1);
    layout->addWidget(verdicts_);
    layout->addWidget(notes_);
    setProperty("exportWidget", QVariant::fromValue(static_cast<QWidget*>(table_)));

    connect(compute_, &QPushButton::clicked, this, &TransferView::computeRequested);
    connect(table_, &QTableView::clicked, this, [this](const QModelIndex& i) {
        const QString p = model_->policyAt(i.row());
        if (!p.isEmpty())
            emit policyActivated(p);
    });
    connect(budget_, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i < 0 || i >= int(budgets_.size()))
            return;
        model_->setBudget(budgets_[std::size_t(i)]);
        table_->resizeColumnsToContents();
        table_->resizeRowsToContents();
        showVerdicts();
    });
    setActionsEnabled(false);
    setResult({}, {},
              tr("No task transfer yet: Analysis > Compute Task Transfer…, or open a "
                 "transfer JSON (taskquant transfer --out)."));
}

void TransferView::setActionsEnabled(bool compute) {
    compute_->setEnabled(compute);
}

void TransferView::setResult(std::vector<TransferCellData> cells,
                             std::vector<TransferVerdictData> verdicts, const QString& title,
                             const QString& notes) {
    budgets_ = transferBudgets(cells);
    allVerdicts_ = std::move(verdicts);
    title_->setText(title);
    notes_->setText(notes);
    notes_->setVisible(!notes.isEmpty());
    const QSignalBlocker block(budget_);
    budget_->clear();
    for (double b : budgets_)
        budget_->addItem(tr("%1 bpw").arg(b, 0, 'g', 4));
    budget_->setEnabled(budgets_.size() > 1);
    model_->setCells(std::move(cells), budgets_.empty() ? 0.0 : budgets_.front());
    table_->resizeColumnsToContents();
    table_->resizeRowsToContents();
    showVerdicts();
}

bool TransferView::showBudget(double b) {
    for (std::size_t i = 0; i < budgets_.size(); ++i)
        if (std::fabs(budgets_[i] - b) <= 1e-9) {
            budget_->setCurrentIndex(int(i)); // emits: the model follows
            if (std::fabs(model_->grid().budgetBits - b) > 1e-9) {
                model_->setBudget(b);
                showVerdicts();
            }
            return true;
        }
    return false;
}

double TransferView::budget() const {
    return model_->grid().budgetBits;
}

QString TransferView::titleText() const {
    return title_->text();
}

QString TransferView::verdictText() const {
    return verdicts_->text();
}

QRect TransferView::cellRect(int row, int column) const {
    return table_->visualRect(model_->index(row, column));
}

void TransferView::showVerdicts() {
    QStringList lines;
    for (const auto& v : allVerdicts_)
        if (std::fabs(v.budgetBits - model_->grid().budgetBits) <= 1e-9)
            lines << tr("%1: %2").arg(v.task, v.text);
    verdicts_->setText(lines.join(QLatin1Char('\n')));
    verdicts_->setVisible(!lines.isEmpty());
}

} // namespace taskquant::views
