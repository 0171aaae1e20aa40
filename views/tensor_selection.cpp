#include "views/tensor_selection.h"

namespace taskquant::views {

void TensorSelection::setNames(const QSet<QString>& names) {
    if (names == names_)
        return;
    names_ = names;
    emit changed();
}

} // namespace taskquant::views
