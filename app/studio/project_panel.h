#pragma once
// ProjectPanel: the project dock. The model directory (architecture, layers, weight files),
// the open maps (MapListModel) and which map each view uses (heatmap / scatter magnitude /
// diff comparison), and the policy state. Emits rolesChanged() when the user picks another
// map for a role. GUI thread only.
#include <QWidget>

#include "app/studio/map_roles.h"
#include "app/studio/studio_jobs.h"

class QComboBox;
class QLabel;
class QTableView;

namespace taskquant::views {
class MapListModel;
}

namespace taskquant::studio {

class ProjectPanel : public QWidget {
    Q_OBJECT
  public:
    ProjectPanel(views::MapListModel* maps, QWidget* parent = nullptr);

    void setModelInfo(const ModelInfo& info);
    void setRoles(const MapRoles& roles);
    MapRoles roles() const;
    void setPolicyText(const QString& text);

  signals:
    void rolesChanged();

  private:
    views::MapListModel* maps_;
    QLabel* model_;
    QTableView* table_;
    QComboBox *primary_, *magnitude_, *compare_;
    QLabel* policy_;
};

} // namespace taskquant::studio
