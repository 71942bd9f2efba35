// Results files in HDF5, laid out as netCDF-4 does it, so that netCDF tools and
// xarray.open_dataset(path, engine="h5netcdf") see named dimensions and coordinates:
//
//   /<dim>        coordinate variable: 1-D int64 or UTF-8 string dataset, made a dimension
//                 scale (NAME = the dimension name, _Netcdf4Dimid = its index); the
//                 dimension's attributes (units, calendar, ...) are string attributes on it
//   /<dim>_zh     auxiliary coordinate (Chinese labels), UTF-8 strings over <dim>
//   /<variable>   int64 (counts) or float64 (rates, derived values) dataset with its dimension scales attached in
//   order, plus units,
//                 long_name and a CF `coordinates` attribute naming the *_zh coordinates
//   /             global attributes: title, schema_version, provenance (see write_metadata)
//
// Writing is atomic: a temporary file beside the target is written, flushed, fsync'ed and
// renamed over the target, so a killed run never leaves a partial file under the real name.
// Its name, NAME.tmp-PID-HEX, says which process wrote it: a later run removes those of
// processes that are gone (killed while writing), and `skillsim info` explains them.

#include "skillsim/io/results_hdf5.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cstdio>
#include <limits>
#include <new>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "hdf5_support.hpp"
#include "skillsim/core/dates.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/statistics.hpp"
#include "skillsim/core/twin.hpp"

namespace skillsim::io {

namespace {

namespace fs = std::filesystem;
using namespace hdf5; // NOLINT(google-build-using-namespace): the plumbing this file is written in

constexpr const char* kTitle = "skillsim results";
constexpr const char* kZhSuffix = "_zh";
// Variables at least this large (or with >= 3 dimensions) are chunked and compressed.
constexpr std::size_t kCompressMinElements = 4096;
constexpr unsigned kDeflateLevel = 4;
// Chunks of at most 1 MiB of int64 fit HDF5's default chunk cache.
constexpr std::size_t kTargetChunkElements = 128 * 1024;
// A sweep's chunks hold runs of about this many elements together (128 KiB of int64).
constexpr std::size_t kSweepChunkElements = 16 * 1024;
// What a sweep's file holds for the runs that failed (and, as `_FillValue`, says so to readers).
constexpr double kMissingReal = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t kMissingInteger = -9223372036854775806LL; // netCDF's default fill for int64

// Attributes that belong to the dimension-scale / netCDF-4 machinery, not to the user.
const std::set<std::string, std::less<>> kReservedAttributes = {
    "CLASS",         "NAME",       "REFERENCE_LIST", "DIMENSION_LIST", "_Netcdf4Dimid", "_Netcdf4Coordinates",
    "_NCProperties", "_nc3_strict"};

/// Chunk shape: whole trailing dimensions, leading ones split first, so that reading one
/// replicate (or one time range) touches few chunks; at most kTargetChunkElements.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims) {
  std::vector<hsize_t> chunk = dims;
  for (std::size_t axis = 0; axis < chunk.size() && element_count(chunk) > kTargetChunkElements;) {
    if (chunk[axis] > 1) {
      chunk[axis] = (chunk[axis] + 1) / 2;
    } else {
      ++axis;
    }
  }
  return chunk;
}

/// Checks the in-memory results are writable before a file is created.
void validate(const Results& results, bool allocate_only = false) {
  std::set<std::string, std::less<>> names;
  auto claim = [&](const std::string& name, const std::string& kind) {
    if (name.empty()) throw Failure(kind + " with an empty name");
    if (name.find('/') != std::string::npos || name == ".") {
      throw Failure(kind + " name '" + name + "' is not a valid HDF5 name");
    }
    if (!names.insert(name).second) throw Failure("the name '" + name + "' is used twice");
  };
  for (const auto& dim : results.dimensions) {
    claim(dim.name, "dimension");
    if (!dim.labels_zh.empty()) {
      claim(dim.name + kZhSuffix, "dimension");
      if (dim.labels_zh.size() != dim.size()) {
        throw Failure("dimension '" + dim.name + "' has " + std::to_string(dim.size()) + " coordinates but " +
                      std::to_string(dim.labels_zh.size()) + " Chinese labels");
      }
    }
    for (const auto& [key, value] : dim.attributes) {
      if (key.empty() || kReservedAttributes.count(key) != 0) {
        throw Failure("dimension '" + dim.name + "' has a reserved attribute name '" + key + "'");
      }
    }
  }
  for (const auto& variable : results.variables) {
    claim(variable.name, "variable");
    std::size_t expected = 1;
    for (const auto& dim_name : variable.dims) {
      auto it = std::find_if(results.dimensions.begin(), results.dimensions.end(),
                             [&](const Dimension& d) { return d.name == dim_name; });
      if (it == results.dimensions.end()) {
        throw Failure("variable '" + variable.name + "' uses the unknown dimension '" + dim_name + "'");
      }
      expected *= it->size();
    }
    if (variable.size() != expected && !(allocate_only && variable.size() == 0)) {
      throw Failure("variable '" + variable.name + "' has " + std::to_string(variable.size()) +
                    " values but its dimensions hold " + std::to_string(expected));
    }
  }
}

void write_metadata(hid_t file, const RunMetadata& m) {
  write_string_attribute(file, "title", kTitle);
  write_number_attribute<std::int32_t>(file, "schema_version", {kResultsSchemaVersion}, true);
  write_string_attribute(file, "Conventions", "CF-1.8");
  write_string_attribute(file, "engine_version", m.engine_version);
  write_string_attribute(file, "git_commit", m.git_commit);
  write_string_attribute(file, "created", m.created);
  write_string_attribute(file, "scenario_name", m.scenario_name);
  write_string_attribute(file, "scenario_source", m.scenario_source);
  // Variable-length, so a scenario of any size fits (the object header limits inline data).
  write_string_attribute(file, "scenario", m.scenario_text);
  write_number_attribute<std::int64_t>(file, "seed", {m.seed}, true);
  write_number_attribute<std::int64_t>(file, "replicate_seeds", m.replicate_seeds, false);
  write_number_attribute<std::int64_t>(file, "threads", {m.threads}, true);
  write_number_attribute<std::int64_t>(file, "scale", {m.scale}, true);
  write_string_attribute(file, "command_line", m.command_line);
  for (const auto& [name, value] : m.attributes) write_string_attribute(file, name, value);
}

/// How variables without data are written: a sweep's file is laid out first (every run's
/// variables allocated, filled with kMissing*) and filled run by run.
struct Allocation {
  bool enabled = false;
  /// Names added to every data variable's CF `coordinates` (a sweep's varied parameters).
  std::vector<std::string> coordinates;
};

void write_file_contents(const Results& results, hid_t file, const Allocation& allocation = {}) {
  write_metadata(file, results.metadata);

  // Coordinate variables (dimension scales), in order; their index is the netCDF dimid.
  std::vector<Handle> scales;
  std::vector<std::int32_t> dimids;
  auto dimid_of = [&](const std::string& name) {
    const auto it = std::find_if(results.dimensions.begin(), results.dimensions.end(),
                                 [&](const Dimension& d) { return d.name == name; });
    return static_cast<std::size_t>(it - results.dimensions.begin());
  };
  for (std::size_t i = 0; i < results.dimensions.size(); ++i) {
    const Dimension& dim = results.dimensions[i];
    const std::vector<hsize_t> dims = {static_cast<hsize_t>(dim.size())};
    Handle plist = netcdf_dataset_plist();
    Handle scale = dim.labels.empty() ? write_int64_dataset(file, dim.name, dims, dim.int_coords, plist.get())
                                      : write_string_dataset(file, dim.name, dim.labels);
    check(H5DSset_scale(scale.get(), dim.name.c_str()), "cannot make '" + dim.name + "' a dimension scale");
    write_number_attribute<std::int32_t>(scale.get(), "_Netcdf4Dimid", {static_cast<std::int32_t>(i)}, true);
    for (const auto& [key, value] : dim.attributes) write_string_attribute(scale.get(), key, value);
    scales.push_back(std::move(scale));
  }

  // Auxiliary coordinates with the Chinese labels.
  for (std::size_t i = 0; i < results.dimensions.size(); ++i) {
    const Dimension& dim = results.dimensions[i];
    if (dim.labels_zh.empty()) continue;
    const std::string name = dim.name + kZhSuffix;
    Handle aux = write_string_dataset(file, name, dim.labels_zh);
    check(H5DSattach_scale(aux.get(), scales[i].get(), 0),
          "cannot attach dimension '" + dim.name + "' to '" + name + "'");
    write_number_attribute<std::int32_t>(aux.get(), "_Netcdf4Coordinates", {static_cast<std::int32_t>(i)}, false);
    write_string_attribute(aux.get(), "long_name", dim.name + " (Chinese)");
  }

  for (const Variable& variable : results.variables) {
    std::vector<hsize_t> dims;
    for (const auto& d : variable.dims) dims.push_back(static_cast<hsize_t>(results.dimension(d).size()));
    const std::size_t count = element_count(dims);

    Handle plist = netcdf_dataset_plist();
    const bool has_empty_axis = std::find(dims.begin(), dims.end(), hsize_t{0}) != dims.end();
    const bool allocate_only = allocation.enabled && variable.size() == 0 && count > 0;
    if (allocate_only) {
      const std::string what = "cannot set the fill value of '" + variable.name + "'";
      if (variable.is_real)
        check(H5Pset_fill_value(plist.get(), H5T_NATIVE_DOUBLE, &kMissingReal), what);
      else
        check(H5Pset_fill_value(plist.get(), H5T_NATIVE_INT64, &kMissingInteger), what);
      check(H5Pset_fill_time(plist.get(), H5D_FILL_TIME_IFSET), what);
    }
    if (!dims.empty() && !has_empty_axis && (allocate_only || dims.size() >= 3 || count > kCompressMinElements)) {
      std::vector<hsize_t> chunk = chunk_shape(dims);
      if (allocate_only) {
        // A sweep's file is filled run by run, one chunk per variable being filled at a time:
        // chunks of a few runs keep that memory small and flat, whatever the number of runs.
        const std::size_t per_run = std::max<std::size_t>(element_count(chunk) / chunk[0], 1);
        chunk[0] = std::clamp<hsize_t>(kSweepChunkElements / per_run, 1, chunk[0]);
      }
      const std::string what = "cannot set compression for '" + variable.name + "'";
      check(H5Pset_chunk(plist.get(), static_cast<int>(chunk.size()), chunk.data()), what);
      check(H5Pset_shuffle(plist.get()), what);
      check(H5Pset_deflate(plist.get(), kDeflateLevel), what);
    }
    Handle dataset = variable.is_real ? write_double_dataset(file, variable.name, dims, variable.real_data, plist.get())
                                      : write_int64_dataset(file, variable.name, dims, variable.data, plist.get());

    std::vector<std::int32_t> coordinate_ids;
    std::vector<std::string> aux_names;
    for (std::size_t axis = 0; axis < variable.dims.size(); ++axis) {
      const std::size_t dimid = dimid_of(variable.dims[axis]);
      check(H5DSattach_scale(dataset.get(), scales[dimid].get(), static_cast<unsigned>(axis)),
            "cannot attach dimension '" + variable.dims[axis] + "' to '" + variable.name + "'");
      coordinate_ids.push_back(static_cast<std::int32_t>(dimid));
      if (!results.dimensions[dimid].labels_zh.empty()) {
        const std::string aux = variable.dims[axis] + kZhSuffix;
        if (std::find(aux_names.begin(), aux_names.end(), aux) == aux_names.end()) aux_names.push_back(aux);
      }
    }
    if (!coordinate_ids.empty()) {
      write_number_attribute<std::int32_t>(dataset.get(), "_Netcdf4Coordinates", coordinate_ids, false);
    }
    if (!variable.units.empty()) write_string_attribute(dataset.get(), "units", variable.units);
    if (!variable.long_name.empty()) write_string_attribute(dataset.get(), "long_name", variable.long_name);
    if (allocate_only) {
      for (const auto& name : allocation.coordinates) aux_names.push_back(name);
    }
    if (!aux_names.empty()) {
      // CF: lets xarray show the Chinese labels (and a sweep's parameters) as coordinates of this variable.
      std::string coordinates;
      for (const auto& aux : aux_names) coordinates += (coordinates.empty() ? "" : " ") + aux;
      write_string_attribute(dataset.get(), "coordinates", coordinates);
    }
  }
}

Handle create_netcdf_file(const fs::path& path) {
  // netCDF-4 files track link and attribute creation order; netCDF-C relies on it.
  Handle creation = make_plist(H5P_FILE_CREATE);
  check(H5Pset_link_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "cannot set link creation order");
  check(H5Pset_attr_creation_order(creation.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "cannot set attribute creation order");
  return checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, creation.get(), H5P_DEFAULT), H5Fclose,
                 "cannot create HDF5 file " + quoted(path));
}

void write_hdf5_file(const Results& results, const fs::path& path) {
  Handle file = create_netcdf_file(path);
  write_file_contents(results, file.get()); // every object it opens is closed on return
  check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot flush " + quoted(path));
  if (!file.close()) fail("cannot close " + quoted(path));
}

/// Refuses, with the reason and what to do, a target that cannot be written: an existing file
/// without `overwrite`, a directory, or a directory (or a parent of it) that is missing or a file.
void check_target(const fs::path& path, bool overwrite) {
  std::error_code error;
  const fs::file_status target = fs::symlink_status(path, error);
  if (fs::exists(target)) {
    if (!overwrite) throw ResultsFileError("results file " + quoted(path) + " exists; use --force to overwrite");
    if (fs::is_directory(fs::status(path, error))) {
      throw ResultsFileError("cannot write results file " + quoted(path) + ": it is a directory");
    }
  }
  const fs::path directory = directory_of(path);
  if (fs::is_directory(directory, error)) return;
  // Name the first part of the path that exists but is no directory, else the missing directory.
  for (fs::path part = directory; !part.empty(); part = part.parent_path()) {
    const fs::file_status status = fs::status(part, error);
    if (fs::exists(status) && !fs::is_directory(status)) {
      throw ResultsFileError("cannot write results file " + quoted(path) + ": " + quoted(part) +
                             " is not a directory; choose another path");
    }
    if (fs::exists(status) || part == part.parent_path()) break;
  }
  throw ResultsFileError("cannot write results file " + quoted(path) + ": directory " + quoted(directory) +
                         " does not exist; create it first (mkdir -p " + quoted(directory) +
                         ") or choose another path");
}

// ---------------------------------------------------------------------------------------------
// Reading

std::vector<std::string> root_link_names(hid_t file) {
  H5G_info_t info;
  check(H5Gget_info(file, &info), "cannot list the root group");
  auto names_by = [&](H5_index_t index) -> std::optional<std::vector<std::string>> {
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
      const ssize_t length = H5Lget_name_by_idx(file, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
      if (length < 0) return std::nullopt;
      std::string name(static_cast<std::size_t>(length) + 1, '\0');
      if (H5Lget_name_by_idx(file, ".", index, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT) < 0) {
        return std::nullopt;
      }
      name.resize(static_cast<std::size_t>(length));
      names.push_back(std::move(name));
    }
    return names;
  };
  // Creation order keeps dimensions and variables in the order they were written.
  if (auto names = names_by(H5_INDEX_CRT_ORDER)) return *names;
  H5Eclear2(H5E_DEFAULT);
  if (auto names = names_by(H5_INDEX_NAME)) return *names;
  fail("cannot list the root group");
}

herr_t collect_scale_name(hid_t, unsigned, hid_t scale, void* out) {
  try {
    const ssize_t length = H5Iget_name(scale, nullptr, 0);
    if (length <= 0) return -1;
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    if (H5Iget_name(scale, name.data(), name.size()) < 0) return -1;
    name.resize(static_cast<std::size_t>(length));
    // "/time" -> "time"; the last attached scale wins, as in netCDF-C and h5netcdf.
    *static_cast<std::string*>(out) = name.substr(name.rfind('/') + 1);
  } catch (...) {
    return -1;
  }
  return 0;
}

/// Names of the dimension scales attached to each axis of a dataset.
std::vector<std::string> attached_dimensions(hid_t dataset, const std::string& name, std::size_t rank) {
  std::vector<std::string> dims;
  for (std::size_t axis = 0; axis < rank; ++axis) {
    const unsigned index = static_cast<unsigned>(axis);
    const int count = H5DSget_num_scales(dataset, index);
    if (count <= 0) {
      H5Eclear2(H5E_DEFAULT);
      throw Failure("dataset '" + name + "' has no dimension attached to axis " + std::to_string(axis));
    }
    std::string dim;
    check(H5DSiterate_scales(dataset, index, nullptr, collect_scale_name, &dim),
          "cannot read the dimensions of '" + name + "'");
    dims.push_back(std::move(dim));
  }
  return dims;
}

struct DatasetEntry {
  std::string name;
  Handle dataset;
  std::vector<hsize_t> shape;
  H5T_class_t type_class;
  bool is_scale;
};

RunMetadata read_metadata(hid_t file) {
  RunMetadata m;
  auto text = [&](const char* name) { return has_attribute(file, name) ? read_string_attribute(file, name) : ""; };
  m.engine_version = text("engine_version");
  m.git_commit = text("git_commit");
  m.created = text("created");
  m.scenario_name = text("scenario_name");
  m.scenario_source = text("scenario_source");
  m.scenario_text = text("scenario");
  m.command_line = text("command_line");
  if (has_attribute(file, "seed")) m.seed = read_number_scalar<std::int64_t>(file, "seed");
  if (has_attribute(file, "replicate_seeds"))
    m.replicate_seeds = read_number_attribute<std::int64_t>(file, "replicate_seeds");
  if (has_attribute(file, "threads")) m.threads = read_number_scalar<std::int64_t>(file, "threads");
  if (has_attribute(file, "scale")) m.scale = read_number_scalar<std::int64_t>(file, "scale");
  static const std::set<std::string, std::less<>> known = {
      "title",   "schema_version",  "Conventions",     "engine_version", "git_commit",
      "created", "scenario_name",   "scenario_source", "scenario",       "command_line",
      "seed",    "replicate_seeds", "threads",         "scale"};
  for (const auto& name : attribute_names(file, "the file")) {
    if (known.count(name) == 0 && kReservedAttributes.count(name) == 0 && is_string_attribute(file, name))
      m.attributes[name] = read_string_attribute(file, name);
  }
  return m;
}

Results read_file_contents(hid_t file) {
  Results results;
  results.metadata = read_metadata(file);

  std::vector<DatasetEntry> entries;
  for (const auto& name : root_link_names(file)) {
    Handle object = checked(H5Oopen(file, name.c_str(), H5P_DEFAULT), H5Oclose, "cannot open '" + name + "'");
    if (H5Iget_type(object.get()) != H5I_DATASET) continue; // groups are not ours; ignore them
    object = Handle();
    Handle dataset = checked(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset '" + name + "'");
    const htri_t is_scale = H5DSis_scale(dataset.get());
    if (is_scale < 0) fail("cannot read dataset '" + name + "'");
    std::vector<hsize_t> shape = dataset_shape(dataset.get(), name);
    const H5T_class_t type_class = dataset_type_class(dataset.get(), name);
    entries.push_back({name, std::move(dataset), std::move(shape), type_class, is_scale > 0});
  }

  // Dimensions: the coordinate variables (dimension scales).
  for (const auto& entry : entries) {
    if (!entry.is_scale) continue;
    if (entry.shape.size() != 1) throw Failure("dimension scale '" + entry.name + "' is not one-dimensional");
    Dimension dim;
    dim.name = entry.name;
    if (entry.type_class == H5T_STRING) {
      dim.labels = read_strings(entry.dataset.get(), false, "cannot read coordinates of '" + entry.name + "'");
    } else if (entry.type_class == H5T_INTEGER) {
      dim.int_coords = read_int64_dataset(entry.dataset.get(), entry.name);
    } else {
      throw Failure("dimension '" + entry.name + "' has coordinates that are neither integers nor strings");
    }
    for (const auto& key : attribute_names(entry.dataset.get(), "'" + entry.name + "'")) {
      if (kReservedAttributes.count(key) != 0 || !is_string_attribute(entry.dataset.get(), key)) continue;
      dim.attributes[key] = read_string_attribute(entry.dataset.get(), key);
    }
    results.dimensions.push_back(std::move(dim));
  }
  auto find_dimension = [&](const std::string& name) -> Dimension* {
    for (auto& dim : results.dimensions) {
      if (dim.name == name) return &dim;
    }
    return nullptr;
  };

  for (const auto& entry : entries) {
    if (entry.is_scale) continue;
    const std::vector<std::string> dims = attached_dimensions(entry.dataset.get(), entry.name, entry.shape.size());
    for (std::size_t axis = 0; axis < dims.size(); ++axis) {
      const Dimension* dim = find_dimension(dims[axis]);
      if (!dim) throw Failure("dataset '" + entry.name + "' uses the unknown dimension '" + dims[axis] + "'");
      if (dim->size() != entry.shape[axis]) {
        throw Failure("dataset '" + entry.name + "' has " + std::to_string(entry.shape[axis]) + " elements along '" +
                      dims[axis] + "', which has " + std::to_string(dim->size()));
      }
    }

    // "<dim>_zh": Chinese labels of <dim>.
    const std::size_t suffix = std::char_traits<char>::length(kZhSuffix);
    if (entry.type_class == H5T_STRING && dims.size() == 1 && entry.name.size() > suffix &&
        entry.name == dims[0] + kZhSuffix) {
      find_dimension(dims[0])->labels_zh =
          read_strings(entry.dataset.get(), false, "cannot read labels of '" + entry.name + "'");
      continue;
    }
    if (entry.type_class != H5T_INTEGER && entry.type_class != H5T_FLOAT) continue; // not a skillsim variable

    Variable variable;
    variable.name = entry.name;
    variable.dims = dims;
    variable.is_real = entry.type_class == H5T_FLOAT;
    if (variable.is_real)
      variable.real_data = read_double_dataset(entry.dataset.get(), entry.name);
    else
      variable.data = read_int64_dataset(entry.dataset.get(), entry.name);
    if (has_attribute(entry.dataset.get(), "units"))
      variable.units = read_string_attribute(entry.dataset.get(), "units");
    if (has_attribute(entry.dataset.get(), "long_name")) {
      variable.long_name = read_string_attribute(entry.dataset.get(), "long_name");
    }
    results.variables.push_back(std::move(variable));
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Description

std::string join_numbers(const std::vector<std::int64_t>& values, std::size_t limit) {
  std::string text;
  for (std::size_t i = 0; i < values.size() && i < limit; ++i) text += (i ? ", " : "") + std::to_string(values[i]);
  if (values.size() > limit) text += ", ... (" + std::to_string(values.size()) + " in all)";
  return text.empty() ? "(none)" : text;
}

/// The epoch of a "days since YYYY-MM-DD..." units string, if it is one.
std::optional<std::chrono::sys_days> days_since_epoch(const std::map<std::string, std::string>& attributes) {
  const auto it = attributes.find("units");
  if (it == attributes.end()) return std::nullopt;
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  if (std::sscanf(it->second.c_str(), "days since %d-%u-%u", &year, &month, &day) != 3) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date};
}

std::string format_date(std::chrono::sys_days epoch, std::int64_t days) {
  const std::chrono::year_month_day date{epoch + std::chrono::days{days}};
  return iso_date(static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())),
                  static_cast<int>(static_cast<unsigned>(date.day())));
}

std::string coordinate_text(const Dimension& dim, std::size_t i, const std::optional<std::chrono::sys_days>& epoch) {
  if (!dim.labels.empty()) {
    std::string text = dim.labels[i];
    if (i < dim.labels_zh.size()) text += " (" + dim.labels_zh[i] + ")";
    return text;
  }
  return epoch ? format_date(*epoch, dim.int_coords[i]) : std::to_string(dim.int_coords[i]);
}

} // namespace

// -----------------------------------------------------------------------------------------------
// Public API

void write_results(const Results& results, const fs::path& path, bool overwrite) {
  check_target(path, overwrite);
  const fs::path directory = directory_of(path);

  try {
    validate(results);
    QuietHdf5Errors quiet;
    TemporaryFile temporary(path);
    write_hdf5_file(results, temporary.path());
    sync_file(temporary.path());
    temporary.commit(path);
    sync_directory(directory);
  } catch (const ResultsFileError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw ResultsFileError("cannot write results file " + quoted(path) +
                           ": out of memory; close other programs or use a machine with more memory");
  } catch (const std::exception& failure) {
    throw ResultsFileError("cannot write results file " + quoted(path) + ": " + failure.what());
  }
}

void check_results_path(const fs::path& path, bool overwrite) {
  check_target(path, overwrite);
  try {
    const TemporaryFile probe(path); // removed at once
  } catch (const Failure& failure) {
    throw ResultsFileError("cannot write results file " + quoted(path) + ": " + failure.what());
  }
}

std::optional<TemporaryResultsFile> temporary_results_file(const fs::path& path) {
  const std::string name = path.filename().string();
  const std::size_t infix = name.rfind(kTemporaryInfix);
  if (infix == std::string::npos || infix == 0) return std::nullopt;
  const std::string_view rest = std::string_view(name).substr(infix + kTemporaryInfix.size());
  const std::size_t dash = rest.find('-');
  if (dash == std::string_view::npos || rest.size() - dash - 1 != kTemporaryHexDigits) return std::nullopt;
  const std::string_view hex = rest.substr(dash + 1);
  if (!std::all_of(hex.begin(), hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
    return std::nullopt;
  long pid = 0;
  const auto [end, status] = std::from_chars(rest.data(), rest.data() + dash, pid);
  // Only a plain positive id: kill(0 or -1, 0) would ask about process groups.
  if (status != std::errc{} || end != rest.data() + dash || pid < 1 || pid > INT_MAX) return std::nullopt;
  return TemporaryResultsFile{path, pid, process_running(pid)};
}

std::vector<TemporaryResultsFile> remove_orphaned_temporaries(const fs::path& path) {
  const std::string prefix = path.filename().string() + std::string(kTemporaryInfix);
  std::vector<TemporaryResultsFile> orphans;
  std::error_code error;
  for (fs::directory_iterator it(directory_of(path), error), end; !error && it != end; it.increment(error)) {
    if (!it->path().filename().string().starts_with(prefix) || !fs::is_regular_file(it->symlink_status(error)))
      continue;
    // Named as the target is (no "./" before a bare file name) for the messages.
    const auto temporary = temporary_results_file(path.parent_path() / it->path().filename());
    if (temporary && !temporary->running) orphans.push_back(*temporary);
  }
  std::vector<TemporaryResultsFile> removed;
  for (const auto& orphan : orphans)
    if (fs::remove(orphan.path, error)) removed.push_back(orphan);
  return removed;
}

Results read_results(const fs::path& path) {
  const std::string prefix = "cannot read results file " + quoted(path) + ": ";
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) throw ResultsFileError(prefix + "no such file");
  if (fs::is_directory(status)) throw ResultsFileError(prefix + "it is a directory");
  if (const auto temporary = temporary_results_file(path)) {
    const std::string pid = std::to_string(temporary->pid);
    const std::string name = path.filename().string();
    const fs::path target = path.parent_path() / name.substr(0, name.rfind(kTemporaryInfix));
    throw ResultsFileError(quoted(path) + " is an unfinished results file left by process " + pid +
                           (temporary->running ? ", which is still running; it is not a valid results file (the "
                                                 "process may be writing it now, to be renamed " +
                                                     quoted(target) + ")"
                                               : ", which is no longer running; it is not a valid results file "
                                                 "(delete it; the next run writing " +
                                                     quoted(target) + " removes it)"));
  }

  QuietHdf5Errors quiet;
#if H5_VERSION_GE(1, 12, 0)
  const htri_t is_hdf5 = H5Fis_accessible(path.c_str(), H5P_DEFAULT);
#else
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
#endif
  if (is_hdf5 == 0) throw ResultsFileError(quoted(path) + " is not an HDF5 file, so not a skillsim results file");
  if (is_hdf5 < 0) {
    // Usually unreadable (permissions); the OS says why.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw ResultsFileError(prefix + errno_text(errno));
    ::close(fd);
    throw ResultsFileError(prefix + hdf5_reason());
  }

  try {
    Handle file = checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "cannot open the file");
    const auto not_ours = [&] { return ResultsFileError(quoted(path) + " is not a skillsim results file"); };
    if (!has_attribute(file.get(), "title") || !has_attribute(file.get(), "schema_version") ||
        !is_string_attribute(file.get(), "title") || read_string_attribute(file.get(), "title") != kTitle) {
      throw not_ours();
    }
    std::int64_t version = 0;
    try {
      version = read_number_scalar<std::int64_t>(file.get(), "schema_version");
    } catch (const Failure&) {
      throw not_ours();
    }
    if (version != kResultsSchemaVersion) {
      throw ResultsFileError(quoted(path) + " was written with results schema version " + std::to_string(version) +
                             "; this engine reads version " + std::to_string(kResultsSchemaVersion));
    }
    Results results = read_file_contents(file.get());
    if (!file.close()) fail("cannot close the file");
    return results;
  } catch (const ResultsFileError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw ResultsFileError(prefix + "out of memory");
  } catch (const std::exception& failure) {
    throw ResultsFileError(prefix + failure.what());
  }
}

std::string describe_results(const Results& results) {
  const RunMetadata& m = results.metadata;
  std::ostringstream out;
  out << "Scenario:        " << m.scenario_name;
  if (!m.scenario_source.empty()) out << " (" << m.scenario_source << ")";
  out << "\n";
  out << "Engine:          skillsim " << (m.engine_version.empty() ? "(unknown version)" : m.engine_version) << ", git "
      << (m.git_commit.empty() ? "unknown" : m.git_commit) << "\n";
  out << "Created:         " << m.created << "\n";
  out << "Seed:            " << m.seed << "\n";
  out << "Replicate seeds: " << join_numbers(m.replicate_seeds, 10) << "\n";
  out << "Threads:         " << m.threads << "\n";
  out << "Scale:           " << m.scale << "\n";
  if (!m.command_line.empty()) out << "Command line:    " << m.command_line << "\n";
  if (is_twin(results))
    out << "Twin:            expected-value twin (skillsim project): expectations, not a sample; no seeds or "
           "threads apply (docs/twin.md)\n";
  if (const auto approximations = m.attributes.find(kTwinApproximationsAttribute);
      is_twin(results) && approximations != m.attributes.end())
    out << "Twin, approx.:   " << approximations->second << "\n";
  if (const auto design = m.attributes.find("sweep_design"); design != m.attributes.end()) {
    // A sweep's file: its design and runs, and why runs failed.
    const std::size_t runs = results.dimensions.empty() ? 0 : results.dimensions.front().size();
    const auto source = m.attributes.find("sweep_source");
    const auto ranks = m.attributes.find("mpi_ranks");
    std::string failed_runs = m.attributes.count("failed_runs") ? m.attributes.at("failed_runs") : "";
    const auto failed = std::count(failed_runs.begin(), failed_runs.end(), '\n');
    out << "Sweep:           " << design->second << " of " << runs << " runs"
        << (source != m.attributes.end() ? " (" + source->second + ")" : "") << ", " << failed << " failed";
    if (ranks != m.attributes.end() && ranks->second != "1") out << ", on " << ranks->second << " MPI ranks";
    out << "\n";
    if (const auto overrides = m.attributes.find("overrides");
        overrides != m.attributes.end() && !overrides->second.empty()) {
      std::string list = overrides->second;
      std::replace(list.begin(), list.end(), '\n', ' ');
      out << "Base overrides:  " << list << "\n";
    }
    for (std::size_t at = 0, end; (end = failed_runs.find('\n', at)) != std::string::npos; at = end + 1)
      out << "  failed: " << failed_runs.substr(at, end - at) << "\n";
  }

  // The statistics over replicates (NAME_stats over statistic and NAME's other dimensions) are
  // one line for all, not one each.
  const auto statistics_of = [&](const Variable& v) -> const Variable* {
    if (v.dims.empty() || v.dims[0] != "replicate") return nullptr;
    std::vector<std::string> dims = v.dims;
    dims[0] = std::string(kStatisticDimension);
    for (const Variable& s : results.variables)
      if (s.name == statistics_name(v.name) && s.dims == dims) return &s;
    return nullptr;
  };
  std::set<const Variable*> folded;
  std::vector<std::string> without_statistics;
  std::size_t with_replicates = 0;
  for (const auto& variable : results.variables) {
    if (variable.dims.empty() || variable.dims[0] != "replicate") continue;
    ++with_replicates;
    if (const Variable* s = statistics_of(variable)) {
      folded.insert(s);
    } else {
      without_statistics.push_back(variable.name);
    }
  }

  std::size_t width = 0;
  for (const auto& dim : results.dimensions) width = std::max(width, dim.name.size());
  for (const auto& variable : results.variables)
    if (!folded.contains(&variable)) width = std::max(width, variable.name.size());

  out << "Dimensions:\n";
  for (const auto& dim : results.dimensions) {
    out << "  " << dim.name << std::string(width - dim.name.size(), ' ') << "  size " << dim.size();
    if (dim.size() > 0) {
      const auto epoch = days_since_epoch(dim.attributes);
      out << "  " << coordinate_text(dim, 0, epoch);
      if (dim.size() > 1) out << " .. " << coordinate_text(dim, dim.size() - 1, epoch);
    }
    out << "\n";
  }

  // "NAME  (dims)  shape AxB  [units]  long name"
  const auto variable_text = [&](const Variable& variable, std::size_t name_width, bool long_name) {
    std::string text =
        variable.name + std::string(name_width - std::min(name_width, variable.name.size()), ' ') + "  (";
    for (std::size_t i = 0; i < variable.dims.size(); ++i) text += (i ? ", " : "") + variable.dims[i];
    std::string shape;
    for (const auto& d : variable.dims) {
      const auto it = std::find_if(results.dimensions.begin(), results.dimensions.end(),
                                   [&](const Dimension& dim) { return dim.name == d; });
      shape +=
          (shape.empty() ? "" : "x") + (it == results.dimensions.end() ? std::string("?") : std::to_string(it->size()));
    }
    text += ")  shape " + (shape.empty() ? std::string("scalar") : shape);
    if (!variable.units.empty()) text += "  [" + variable.units + "]";
    if (long_name && !variable.long_name.empty()) text += "  " + variable.long_name;
    return text;
  };
  out << "Variables:\n";
  for (const auto& variable : results.variables)
    if (!folded.contains(&variable)) out << "  " << variable_text(variable, width, true) << "\n";

  if (!folded.empty()) {
    const auto statistic = std::find_if(results.dimensions.begin(), results.dimensions.end(),
                                        [](const Dimension& d) { return d.name == kStatisticDimension; });
    std::string names;
    if (statistic != results.dimensions.end()) {
      for (const auto& label : statistic->labels) names += (names.empty() ? "" : ", ") + label;
    } else {
      for (const auto label : kStatisticIds) names += (names.empty() ? "" : ", ") + std::string(label);
    }
    out << "Statistics over replicates (" << names << "), float64:\n  NAME" << kStatisticsSuffix
        << " over (statistic, NAME's dimensions after replicate) in NAME's units, for ";
    if (without_statistics.empty()) {
      out << (with_replicates == 1 ? "the variable" : "each of the " + std::to_string(with_replicates) + " variables")
          << " above with a replicate dimension";
    } else {
      std::string missing;
      for (const auto& name : without_statistics) missing += (missing.empty() ? "" : ", ") + name;
      out << folded.size() << " of the " << with_replicates << " variables above with a replicate dimension (not "
          << missing << ")";
    }
    const auto first = std::find_if(results.variables.begin(), results.variables.end(),
                                    [&](const Variable& v) { return folded.contains(&v); });
    out << "; e.g.\n  " << variable_text(*first, 0, false) << "\n";
  }
  return out.str();
}

// -----------------------------------------------------------------------------------------------
// Sweeps

namespace {

constexpr const char* kScenarioDimension = "scenario";
constexpr const char* kRunFailed = "run_failed";

/// The file's layout: the run's dimensions after `scenario`, each run variable with `scenario`
/// in front (no data: allocated and filled run by run), the varied parameters and run_failed.
Results sweep_layout(const Results& run_layout, const std::vector<SweepCoordinate>& coordinates, std::size_t runs) {
  Results layout;
  layout.metadata = run_layout.metadata;
  Dimension scenario;
  scenario.name = kScenarioDimension;
  for (std::size_t k = 0; k < runs; ++k) scenario.int_coords.push_back(static_cast<std::int64_t>(k));
  scenario.attributes["long_name"] = "run of the sweep (0-based, in the design's order)";
  layout.dimensions.push_back(std::move(scenario));
  for (const Dimension& d : run_layout.dimensions) layout.dimensions.push_back(d);
  for (const SweepCoordinate& c : coordinates) {
    if (c.values.size() != runs)
      throw Failure("sweep coordinate '" + c.key + "' has " + std::to_string(c.values.size()) + " values for " +
                    std::to_string(runs) + " runs");
    Variable v;
    v.name = c.key;
    v.dims = {kScenarioDimension};
    v.is_real = true;
    v.real_data = c.values;
    v.long_name = "varied parameter of the sweep";
    layout.variables.push_back(std::move(v));
  }
  Variable failed;
  failed.name = kRunFailed;
  failed.dims = {kScenarioDimension};
  failed.data.assign(runs, 0);
  failed.units = "1";
  failed.long_name = "1 if the run failed (its message: the file's attribute failed_runs); its values are missing";
  layout.variables.push_back(std::move(failed));
  for (const Variable& v : run_layout.variables) {
    Variable shell = v;
    shell.dims.insert(shell.dims.begin(), kScenarioDimension);
    shell.data.clear();
    shell.real_data.clear();
    layout.variables.push_back(std::move(shell));
  }
  return layout;
}

} // namespace

struct SweepResultsWriter::Impl {
  fs::path target;
  Results run_layout;
  std::vector<SweepCoordinate> coordinates;
  std::size_t runs = 0;
  QuietHdf5Errors quiet;
  TemporaryFile temporary;
  Handle file;
  std::vector<Handle> datasets; // one per run variable, in the run layout's order
  std::vector<std::int64_t> failed;
  std::vector<std::string> failures; // "run K: message"

  Impl(const Results& layout, std::vector<SweepCoordinate> coords, std::size_t run_count, const fs::path& path)
      : target(path), run_layout(layout), coordinates(std::move(coords)), runs(run_count), temporary(path),
        failed(run_count, 0) {
    for (auto& v : run_layout.variables) { // only the layout is kept
      v.data.clear();
      v.real_data.clear();
    }
    const Results full = sweep_layout(run_layout, coordinates, runs);
    validate(full, true);
    file = create_netcdf_file(temporary.path());
    Allocation allocation{true, {}};
    for (const auto& c : coordinates) allocation.coordinates.push_back(c.key);
    write_file_contents(full, file.get(), allocation);
    // Chunks are filled run by run, in run order: each dataset caches the one chunk being filled
    // (HDF5's default cache, 1 MiB for every dataset, would hold several and grow with the runs
    // up to that).
    for (const Variable& v : run_layout.variables) {
      Handle dataset =
          checked(H5Dopen2(file.get(), v.name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset '" + v.name + "'");
      Handle creation = checked(H5Dget_create_plist(dataset.get()), H5Pclose, "cannot read '" + v.name + "'");
      std::vector<hsize_t> chunk(v.dims.size() + 1, 1);
      std::size_t bytes = 0;
      if (H5Pget_layout(creation.get()) == H5D_CHUNKED &&
          H5Pget_chunk(creation.get(), static_cast<int>(chunk.size()), chunk.data()) >= 0)
        bytes = element_count(chunk) * sizeof(std::int64_t);
      dataset = Handle();
      Handle access = make_plist(H5P_DATASET_ACCESS);
      check(H5Pset_chunk_cache(access.get(), 101, bytes + 1024, 1.0), "cannot set the chunk cache");
      datasets.push_back(checked(H5Dopen2(file.get(), v.name.c_str(), access.get()), H5Dclose,
                                 "cannot open dataset '" + v.name + "'"));
    }
  }
};

SweepResultsWriter::SweepResultsWriter(const Results& run_layout, std::vector<SweepCoordinate> coordinates,
                                       std::size_t runs, const fs::path& path, bool overwrite) {
  check_target(path, overwrite);
  try {
    impl_ = std::make_unique<Impl>(run_layout, std::move(coordinates), runs, path);
  } catch (const std::exception& failure) {
    throw ResultsFileError("cannot write results file " + quoted(path) + ": " + failure.what());
  }
}

SweepResultsWriter::~SweepResultsWriter() = default;

void SweepResultsWriter::write_run(std::size_t k, const Results& run) {
  Impl& s = *impl_;
  const std::string where = "run " + std::to_string(k + 1) + " of " + std::to_string(s.runs);
  try {
    if (k >= s.runs) throw Failure(where + " is outside the sweep");
    if (run.variables.size() != s.run_layout.variables.size())
      throw Failure(where + " has " + std::to_string(run.variables.size()) + " variables, the first run " +
                    std::to_string(s.run_layout.variables.size()));
    for (std::size_t i = 0; i < run.variables.size(); ++i) {
      const Variable& v = run.variables[i];
      const Variable& expected = s.run_layout.variables[i];
      std::vector<hsize_t> count{1};
      for (const auto& d : expected.dims) count.push_back(static_cast<hsize_t>(s.run_layout.dimension(d).size()));
      if (v.name != expected.name || v.dims != expected.dims || v.is_real != expected.is_real ||
          v.size() != element_count(count))
        throw Failure(where + ": variable '" + v.name + "' does not match the first run's '" + expected.name + "'");
      if (v.size() == 0) continue;
      std::vector<hsize_t> start(count.size(), 0);
      start[0] = static_cast<hsize_t>(k);
      Handle space = checked(H5Dget_space(s.datasets[i].get()), H5Sclose, "cannot select in '" + v.name + "'");
      check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
            "cannot select " + where + " in '" + v.name + "'");
      Handle memory = simple_space({static_cast<hsize_t>(v.size())});
      const herr_t status = v.is_real ? H5Dwrite(s.datasets[i].get(), H5T_NATIVE_DOUBLE, memory.get(), space.get(),
                                                 H5P_DEFAULT, v.real_data.data())
                                      : H5Dwrite(s.datasets[i].get(), H5T_NATIVE_INT64, memory.get(), space.get(),
                                                 H5P_DEFAULT, v.data.data());
      check(status, "cannot write " + where + " of '" + v.name + "'");
    }
  } catch (const std::exception& failure) {
    throw ResultsFileError("cannot write results file " + quoted(s.target) + ": " + failure.what());
  }
}

void SweepResultsWriter::write_failure(std::size_t k, const std::string& message) {
  Impl& s = *impl_;
  if (k >= s.runs) return;
  s.failed[k] = 1;
  s.failures.push_back("scenario " + std::to_string(k) + ": " + message); // the coordinate, 0-based
}

void SweepResultsWriter::commit() {
  Impl& s = *impl_;
  try {
    Handle failed = checked(H5Dopen2(s.file.get(), kRunFailed, H5P_DEFAULT), H5Dclose, "cannot open 'run_failed'");
    check(H5Dwrite(failed.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.failed.data()),
          "cannot write 'run_failed'");
    if (!s.failures.empty()) {
      std::string text;
      for (const auto& line : s.failures) text += line + "\n";
      write_string_attribute(s.file.get(), "failed_runs", text);
      // Readers (xarray) then show the failed runs' values as missing.
      for (std::size_t i = 0; i < s.datasets.size(); ++i) {
        if (s.run_layout.variables[i].is_real)
          write_number_attribute<double>(s.datasets[i].get(), "_FillValue", {kMissingReal}, true);
        else
          write_number_attribute<std::int64_t>(s.datasets[i].get(), "_FillValue", {kMissingInteger}, true);
      }
    }
    s.datasets.clear();
    failed = Handle();
    check(H5Fflush(s.file.get(), H5F_SCOPE_GLOBAL), "cannot flush " + quoted(s.temporary.path()));
    if (!s.file.close()) fail("cannot close " + quoted(s.temporary.path()));
    sync_file(s.temporary.path());
    s.temporary.commit(s.target);
    sync_directory(directory_of(s.target));
  } catch (const ResultsFileError&) {
    throw;
  } catch (const std::exception& failure) {
    throw ResultsFileError("cannot write results file " + quoted(s.target) + ": " + failure.what());
  }
}

} // namespace skillsim::io
