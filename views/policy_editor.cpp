#include "views/policy_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>
#include <set>

#include "views/policy_model.h"
#include "views/precision_delegate.h"
#include "views/score_format.h"
#include "views/size_summary.h"
#include "views/tensor_filter_proxy.h"
#include "views/tensor_selection.h"
#include "views/tensor_table_model.h"

namespace taskquant::views {

PolicyEditor::PolicyEditor(QWidget* parent)
    : QWidget(parent), model_(new TensorTableModel(this)), proxy_(new TensorFilterProxy(this)),
      table_(new QTableView(this)), filter_(new QLineEdit(this)), kind_(new QComboBox(this)),
      onlyExplicit_(new QCheckBox(tr("Only explicit"), this)), summary_(new QLabel(this)),
      liveCost_(new QLabel(this)), delegate_(new PrecisionDelegate(this)),
      budget_(new QDoubleSpinBox(this)), budgetUnit_(new QComboBox(this)) {
    proxy_->setSourceModel(model_);
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(TensorTableModel::Rank, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::SelectedClicked);
    table_->setItemDelegateForColumn(TensorTableModel::Precision, delegate_);
    table_->verticalHeader()->setVisible(false);
    table_->horizontalHeader()->setSectionResizeMode(TensorTableModel::Name, QHeaderView::Stretch);
    filter_->setPlaceholderText(tr("Filter parameters…"));
    filter_->setClearButtonEnabled(true);
    kind_->addItem(tr("All kinds"), QString());
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* tools = new QHBoxLayout;
    tools_ = tools;
    tools->addWidget(filter_, 2);
    tools->addWidget(kind_, 1);
    tools->addWidget(onlyExplicit_);
    auto* undo = new QToolButton(this);
    auto* redo = new QToolButton(this);
    undo->setText(tr("Undo"));
    redo->setText(tr("Redo"));
    undo->setObjectName(QStringLiteral("undo"));
    redo->setObjectName(QStringLiteral("redo"));
    tools->addWidget(undo);
    tools->addWidget(redo);
    budget_->setObjectName(QStringLiteral("budget"));
    budget_->setRange(0.01, 1.0e6);
    budget_->setSingleStep(0.25);
    budget_->setDecimals(2);
    budget_->setValue(5.0);
    budgetUnit_->setObjectName(QStringLiteral("budgetUnit"));
    budgetUnit_->addItem(tr("bits per weight"), false);
    budgetUnit_->addItem(tr("MiB"), true);
    budgetUnit_->setToolTip(
        tr("Bits per weight: the GGUF file's tensor bytes x 8 / all parameters, as llama.cpp "
           "counts them. MiB: 1,048,576 bytes of GGUF tensor data. Either becomes an exact byte "
           "budget for the file, as `taskquant policy --method optimal --budget-bytes` takes it."));
    budget_->setToolTip(budgetUnit_->toolTip());
    auto* optimise = new QPushButton(tr("Optimise"), this);
    optimise->setObjectName(QStringLiteral("optimise"));
    optimise->setToolTip(
        tr("Choose a precision for every tensor of the model's GGUF file, embedding and output "
           "included, to minimise the predicted damage within the budget: the allocator of "
           "`taskquant policy --method optimal` and of the frontier. With an error table it "
           "minimises the damage model's predicted KL; without one it weights the proxy error "
           "2^(-2*bits) by the map's scores."));
    connect(optimise, &QPushButton::clicked, this, [this] {
        emit optimiseRequested(budget_->value(), budgetUnit_->currentData().toBool());
    });
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(summary_, 1);
    bottom->addWidget(new QLabel(tr("Budget:"), this));
    bottom->addWidget(budget_);
    bottom->addWidget(budgetUnit_);
    bottom->addWidget(optimise);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(tools);
    layout->addWidget(table_, 1);
    layout->addLayout(bottom);
    liveCost_->setObjectName(QStringLiteral("liveCost"));
    liveCost_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    liveCost_->setVisible(false);
    layout->addWidget(liveCost_);

    connect(filter_, &QLineEdit::textChanged, proxy_, &TensorFilterProxy::setNameFilter);
    connect(kind_, &QComboBox::currentIndexChanged, this,
            [this] { proxy_->setKindFilter(kind_->currentData().toString()); });
    connect(onlyExplicit_, &QCheckBox::toggled, proxy_, &TensorFilterProxy::setOnlyExplicit);
    connect(undo, &QToolButton::clicked, this, [this] {
        if (policy_)
            policy_->undoStack()->undo();
    });
    connect(redo, &QToolButton::clicked, this, [this] {
        if (policy_)
            policy_->undoStack()->redo();
    });
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PolicyEditor::pushSelectionToShared);
    updateSummary();
}

void PolicyEditor::setMap(std::shared_ptr<const sensitivity::SensitivityMap> map) {
    model_->setMap(std::move(map));
    QStringList kinds;
    for (int r = 0; r < model_->rowCount(); ++r)
        kinds << model_->index(r, TensorTableModel::Kind).data().toString();
    kinds.removeDuplicates();
    kind_->blockSignals(true);
    while (kind_->count() > 1)
        kind_->removeItem(1);
    for (const QString& k : kinds)
        kind_->addItem(k, k);
    kind_->blockSignals(false);
    proxy_->setKindFilter({});
    table_->resizeColumnsToContents();
    table_->horizontalHeader()->setSectionResizeMode(TensorTableModel::Name, QHeaderView::Stretch);
    updateSummary();
    pullSelectionFromShared();
}

void PolicyEditor::setPolicyModel(PolicyModel* policy) {
    if (policy_)
        disconnect(policy_, nullptr, this, nullptr);
    policy_ = policy;
    model_->setPolicyModel(policy);
    if (policy_)
        connect(policy_, &PolicyModel::choicesChanged, this, &PolicyEditor::updateSummary);
    updateSummary();
}

void PolicyEditor::setSelectionModel(TensorSelection* selection) {
    if (selection_)
        disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (selection_)
        connect(selection_, &TensorSelection::changed, this,
                &PolicyEditor::pullSelectionFromShared);
}

void PolicyEditor::setDefaultPrecision(const quant::Precision& p) {
    default_ = p;
    updateSummary();
}

QString PolicyEditor::summaryText() const {
    return summary_->text();
}

void PolicyEditor::setLiveCostText(const QString& text) {
    liveCost_->setText(text.isEmpty() ? QString() : tr("Live cost: %1").arg(text));
    liveCost_->setVisible(!text.isEmpty());
}

QString PolicyEditor::liveCostText() const {
    return liveCost_->text();
}

void PolicyEditor::addToolMenu(const QString& text, QMenu* menu) {
    auto* b = new QToolButton(this);
    b->setText(text);
    b->setMenu(menu);
    b->setPopupMode(QToolButton::InstantPopup);
    tools_->addWidget(b);
}

void PolicyEditor::updateSummary() {
    const auto& map = model_->map();
    if (!map) {
        summary_->setText(tr("No map open."));
        return;
    }
    const PolicyModel::Choices none;
    const SizeSummary s = summariseSizes(*map, policy_ ? policy_->choices() : none, default_);
    QString text =
        tr("%n tensor(s) with an explicit precision; others use %1.", nullptr, s.explicitChoices)
            .arg(QString::fromStdString(default_.name()));
    if (s.tensors > 0) {
        text += QLatin1Char(' ') +
                tr("Estimated size %1 of %2 unquantized (%3 %), %4 bits per counted weight on "
                   "average.")
                    .arg(formatBytes(s.bytes), formatBytes(s.referenceBytes))
                    .arg(s.referenceBytes ? 100.0 * double(s.bytes) / double(s.referenceBytes) : 0,
                         0, 'f', 1)
                    .arg(s.averageBits(), 0, 'f', 2);
    }
    if (s.tensorsWithoutShape > 0)
        text += QLatin1Char(' ') +
                tr("%n tensor(s) without a known shape are not counted (open the model "
                   "directory to get them).",
                   nullptr, s.tensorsWithoutShape);
    if (!s.error.isEmpty())
        text += QLatin1Char(' ') + s.error;
    summary_->setText(text);
}

void PolicyEditor::pushSelectionToShared() {
    if (!selection_ || syncing_)
        return;
    QSet<QString> names;
    for (const QModelIndex& i : table_->selectionModel()->selectedRows())
        names.insert(i.data(TensorTableModel::NameRole).toString());
    syncing_ = true;
    selection_->setNames(names);
    syncing_ = false;
}

void PolicyEditor::pullSelectionFromShared() {
    if (!selection_ || syncing_)
        return;
    QItemSelection sel;
    for (const QString& n : selection_->names()) {
        const int r = model_->rowOf(n);
        if (r < 0)
            continue;
        const QModelIndex i = proxy_->mapFromSource(model_->index(r, 0));
        if (i.isValid())
            sel.select(i, i.siblingAtColumn(proxy_->columnCount() - 1));
    }
    syncing_ = true;
    table_->selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect);
    syncing_ = false;
}

} // namespace taskquant::views
