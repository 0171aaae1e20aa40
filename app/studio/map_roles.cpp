#include "app/studio/map_roles.h"

#include <algorithm>
#include <cctype>

namespace taskquant::studio {

namespace {
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}
std::string baseName(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}
} // namespace

std::string mapFamily(const sensitivity::SensitivityMap& map) {
    const std::string method = lower(map.provenance().method);
    const std::string file = lower(baseName(map.source()));
    for (const char* f : {"fisher", "magnitude", "perturbation"})
        if (method.rfind(f, 0) == 0)
            return f;
    for (const char* f : {"fisher", "magnitude", "perturbation"})
        if (file.find(f) != std::string::npos)
            return f;
    return {};
}

MapRoles
guessMapRoles(const std::vector<std::shared_ptr<const sensitivity::SensitivityMap>>& maps) {
    MapRoles r;
    for (int i = 0; i < int(maps.size()); ++i) {
        const std::string f = mapFamily(*maps[std::size_t(i)]);
        if (f == "fisher" && r.primary < 0)
            r.primary = i;
        else if (f == "fisher" && r.compare < 0)
            r.compare = i;
        if (f == "magnitude" && r.magnitude < 0)
            r.magnitude = i;
    }
    if (r.primary < 0 && !maps.empty())
        r.primary = 0;
    return r;
}

} // namespace taskquant::studio
