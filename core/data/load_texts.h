#pragma once
// Loading a calibration set: the whole file is read and checked (existence, UTF-8, JSON, fields,
// a non-empty result) so that a bad data file fails before any model work starts.
// Blocking file I/O; thread-safe.
#include <string>
#include <vector>

#include "core/data/dataset_spec.h"

namespace taskquant::data {

// All texts of the dataset in file order (see dataset_spec.h for what a text is per kind); for
// the file-less kinds the generated held-out problems in generation order.
// Throws taskquant::Error for an invalid spec, an unreadable or malformed file, or when no
// text remains after filtering.
std::vector<std::string> loadTexts(const DatasetSpec& spec);

} // namespace taskquant::data
