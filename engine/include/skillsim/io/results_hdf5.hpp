// Results files: HDF5 following the netCDF-4 data model (dimension scales, coordinate
// variables, CF-style time), so xarray.open_dataset(path, engine="h5netcdf") reads them.
#pragma once

#include <filesystem>
#include <string>

#include "skillsim/core/results.hpp"

namespace skillsim::io {

/// Version of the results-file layout; bumped when the layout changes incompatibly.
inline constexpr int kResultsSchemaVersion = 1;

/// Writes `results` atomically: to a temporary file beside `path`, flushed, then renamed.
/// A run killed mid-write leaves no file under `path`.
/// @throws ResultsFileError if `path` exists and `overwrite` is false, or on any HDF5/OS error
void write_results(const Results& results, const std::filesystem::path& path, bool overwrite);

/// Reads a results file written by write_results.
/// @throws ResultsFileError if the file is missing, not HDF5, not a skillsim file, or of a
///         schema version this engine does not read (the message names the versions)
Results read_results(const std::filesystem::path& path);

/// A human-readable description (for `skillsim info`): scenario, seeds, version, dimensions,
/// variables with their shapes and units.
std::string describe_results(const Results& results);

} // namespace skillsim::io
