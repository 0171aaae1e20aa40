#pragma once
// RecentFiles: the most recently opened maps and model directories, newest first, at most
// `limit`, persisted in QSettings under "recent/paths". GUI thread only.
#include <QStringList>

namespace taskquant::studio {

class RecentFiles {
  public:
    explicit RecentFiles(int limit = 10) : limit_(limit) {}
    QStringList paths() const;
    void add(const QString& path); // moves it to the front if present
    void clear();

  private:
    int limit_;
};

} // namespace taskquant::studio
