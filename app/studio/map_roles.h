#pragma once
// MapRoles: which open map each view shows. guessMapRoles() picks sensible defaults from the
// maps' methods, or their file names for flat study maps: the heatmap shows the first Fisher
// map (else the first map), the scatter pairs it with the first magnitude map, the task diff
// compares it with the next Fisher map of another dataset. -1 = none. Pure; thread-safe.
#include <memory>
#include <vector>

#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::studio {

struct MapRoles {
    int primary = -1;   // heatmap, regions, policy editor; Fisher axis of the scatter
    int magnitude = -1; // scatter x axis
    int compare = -1;   // task diff B (A = primary)
};

// "fisher", "magnitude", "perturbation" or "" from the provenance method or the file name.
std::string mapFamily(const sensitivity::SensitivityMap& map);
MapRoles guessMapRoles(const std::vector<std::shared_ptr<const sensitivity::SensitivityMap>>& maps);

} // namespace taskquant::studio
