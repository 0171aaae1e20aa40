#include "app/studio/project_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include "views/map_list_model.h"

namespace taskquant::studio {

ProjectPanel::ProjectPanel(views::MapListModel* maps, QWidget* parent)
    : QWidget(parent), maps_(maps), model_(new QLabel(this)), table_(new QTableView(this)),
      primary_(new QComboBox(this)), magnitude_(new QComboBox(this)), compare_(new QComboBox(this)),
      policy_(new QLabel(this)) {
    model_->setText(tr("No model directory open."));
    model_->setWordWrap(true);
    table_->setModel(maps_);
    table_->verticalHeader()->setVisible(false);
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (QComboBox* c : {primary_, magnitude_, compare_}) {
        c->setModel(maps_);
        c->setModelColumn(views::MapListModel::File);
        connect(c, &QComboBox::activated, this, &ProjectPanel::rolesChanged);
    }
    policy_->setWordWrap(true);
    auto* roles = new QFormLayout;
    roles->addRow(tr("Heatmap:"), primary_);
    roles->addRow(tr("Magnitude (scatter):"), magnitude_);
    roles->addRow(tr("Compare with (diff):"), compare_);
    auto* layout = new QVBoxLayout(this);
    auto* heading = [this](const QString& t) {
        auto* l = new QLabel(QStringLiteral("<b>%1</b>").arg(t.toHtmlEscaped()), this);
        return l;
    }(tr("Model"));
    layout->addWidget(heading);
    layout->addWidget(model_);
    layout->addWidget(
        new QLabel(QStringLiteral("<b>%1</b>").arg(tr("Maps").toHtmlEscaped()), this));
    layout->addWidget(table_, 1);
    layout->addLayout(roles);
    layout->addWidget(
        new QLabel(QStringLiteral("<b>%1</b>").arg(tr("Policy").toHtmlEscaped()), this));
    layout->addWidget(policy_);
}

void ProjectPanel::setModelInfo(const ModelInfo& info) {
    model_->setText(
        tr("%1<br>architecture: %2, %n layer(s), %3 weight file(s)", nullptr, info.layers)
            .arg(info.directory.toHtmlEscaped(),
                 info.architecture.isEmpty() ? tr("unknown") : info.architecture)
            .arg(info.weightFiles.size()));
}

void ProjectPanel::setRoles(const MapRoles& r) {
    primary_->setCurrentIndex(r.primary);
    magnitude_->setCurrentIndex(r.magnitude);
    compare_->setCurrentIndex(r.compare);
}

MapRoles ProjectPanel::roles() const {
    return {primary_->currentIndex(), magnitude_->currentIndex(), compare_->currentIndex()};
}

void ProjectPanel::setPolicyText(const QString& text) {
    policy_->setText(text);
}

} // namespace taskquant::studio
