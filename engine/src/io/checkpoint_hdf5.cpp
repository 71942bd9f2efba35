// Checkpoint files (layout in checkpoint_hdf5.hpp). Every read error names the file and the
// part that is wrong (a missing dataset or attribute, a wrong shape or type, another version),
// never a bare HDF5 message.
#include "skillsim/io/checkpoint_hdf5.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <map>
#include <new>
#include <sstream>
#include <string_view>
#include <type_traits>
#include <utility>

#include "hdf5_support.hpp"
#include "skillsim/core/dates.hpp"
#include "skillsim/core/ranks.hpp"
#include "skillsim/core/version.hpp"

namespace skillsim::io {

namespace {

namespace fs = std::filesystem;
using namespace hdf5; // NOLINT(google-build-using-namespace): the plumbing this file is written in

constexpr const char* kTitle = "skillsim checkpoint";
constexpr const char* kResultsTitle = "skillsim results";
// Datasets of at least this many elements are chunked and compressed (shuffle + deflate).
constexpr std::size_t kCompressMinElements = 4096;
constexpr unsigned kDeflateLevel = 1; // checkpoints are written often: speed over the last percent
constexpr std::size_t kChunkBytes = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Writing

Handle create_group(hid_t parent, const std::string& name) {
  return checked(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                 "cannot create group '" + name + "'");
}

/// Chunks of whole trailing dimensions, leading ones halved until a chunk has at most
/// kChunkBytes.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims, std::size_t element_bytes) {
  std::vector<hsize_t> chunk = dims;
  const std::size_t most = std::max<std::size_t>(kChunkBytes / element_bytes, 1);
  for (std::size_t axis = 0; axis < chunk.size() && element_count(chunk) > most;) {
    if (chunk[axis] > 1)
      chunk[axis] = (chunk[axis] + 1) / 2;
    else
      ++axis;
  }
  return chunk;
}

template <class T>
Handle write_array(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims, const T* data) {
  Handle plist = make_plist(H5P_DATASET_CREATE);
  const std::size_t count = element_count(dims);
  if (!dims.empty() && count >= kCompressMinElements) {
    const std::vector<hsize_t> chunk = chunk_shape(dims, sizeof(T));
    const std::string what = "cannot set compression for '" + name + "'";
    check(H5Pset_chunk(plist.get(), static_cast<int>(chunk.size()), chunk.data()), what);
    if (sizeof(T) > 1) check(H5Pset_shuffle(plist.get()), what);
    check(H5Pset_deflate(plist.get(), kDeflateLevel), what);
  }
  Handle dataset = create_dataset(parent, name, NumberTypes<T>::file(), dims, plist.get());
  if (count > 0)
    check(H5Dwrite(dataset.get(), NumberTypes<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
          "cannot write dataset '" + name + "'");
  return dataset;
}

template <class T, class Allocator>
void write_vector(hid_t parent, const std::string& name, const std::vector<T, Allocator>& values) {
  write_array(parent, name, {static_cast<hsize_t>(values.size())}, values.data());
}

void write_int(hid_t object, const std::string& name, std::int64_t value) {
  write_number_attribute<std::int64_t>(object, name, {value}, true);
}

/// The fractions of carries (a vector or an array of them).
template <class Carries>
std::vector<double> fractions(const Carries& carries) {
  std::vector<double> out;
  for (const Carry& carry : carries) {
    const auto& [fraction] = carry; // a Carry of more members fails to compile here: save them too
    out.push_back(fraction);
  }
  return out;
}

void write_ledger(hid_t training, const Ledger& ledger) {
  Handle group = create_group(training, "ledger");
  std::vector<std::string> names;
  std::vector<std::int64_t> envelope, carry_over, granted, paid, committed, remaining, lapsed, leaked;
  for (std::size_t f = 0; f < ledger.size(); ++f) {
    // A FundAccount of more members fails to compile here: save them too.
    const auto& [name_f, envelope_f, carry_f, granted_f, paid_f, committed_f, remaining_f, lapsed_f, leaked_f] =
        ledger.fund(f);
    names.push_back(name_f);
    envelope.push_back(envelope_f);
    carry_over.push_back(carry_f ? 1 : 0);
    granted.push_back(granted_f);
    paid.push_back(paid_f);
    committed.push_back(committed_f);
    remaining.push_back(remaining_f);
    lapsed.push_back(lapsed_f);
    leaked.push_back(leaked_f);
  }
  write_string_dataset(group.get(), "name", names);
  write_vector(group.get(), "annual_envelope", envelope);
  write_vector(group.get(), "carry_over", carry_over);
  write_vector(group.get(), "granted", granted);
  write_vector(group.get(), "paid", paid);
  write_vector(group.get(), "committed", committed);
  write_vector(group.get(), "remaining", remaining);
  write_vector(group.get(), "lapsed", lapsed);
  write_vector(group.get(), "leaked", leaked);
}

// The snapshot `s` with `population` (s.population itself, or the live population of a replicate
// whose snapshot was taken without it).
void write_snapshot(hid_t replicates, std::int64_t months_done, const ReplicateSnapshot& s,
                    const Population& population) {
  // A snapshot of more members fails to compile here: save them too (and read them below).
  [[maybe_unused]] const auto& [seed, replicate, month, next_id, its_population, entrants, appointments, training,
                                evaluation, competitions, schools, employers] = s;
  Handle group = create_group(replicates, std::to_string(replicate));
  const hid_t g = group.get();
  write_int(g, "months_done", months_done);
  write_int(g, "seed", static_cast<std::int64_t>(seed)); // bits kept: read back as uint64
  write_int(g, "replicate", replicate);
  write_int(g, "month", month.index);
  write_string_attribute(g, "date", iso_date(month));
  write_int(g, "next_id", static_cast<std::int64_t>(next_id));
  write_int(g, "agents", static_cast<std::int64_t>(population.size()));

  // The columns the population stores: an optional column it does not (ColumnUse::optional) has no
  // dataset, and reads back absent.
  Handle columns = create_group(g, "population");
  population.for_each_named_column(
      [&](std::string_view name, const auto& column) { write_vector(columns.get(), std::string(name), column); });

  {
    const auto& [due] = entrants;
    Handle process = create_group(g, "entrants");
    write_vector(process.get(), "due", fractions(due));
  }
  {
    const auto& [due] = appointments;
    Handle process = create_group(g, "appointments");
    write_vector(process.get(), "due", fractions(due));
  }
  {
    const auto& [ledger, budget_year, seats_due, overhead_due] = training;
    Handle process = create_group(g, "training");
    write_int(process.get(), "budget_year", budget_year);
    write_vector(process.get(), "seats_due", fractions(seats_due));
    write_vector(process.get(), "overhead_due", fractions(overhead_due));
    write_ledger(process.get(), ledger);
  }
  {
    const auto& [capacity_due] = evaluation;
    Handle process = create_group(g, "evaluation");
    write_vector(process.get(), "capacity_due", fractions(capacity_due));
  }
  {
    const auto& [entrants_due, winners_due] = competitions;
    Handle process = create_group(g, "competitions");
    write_vector(process.get(), "entrants_due", fractions(entrants_due));
    write_vector(process.get(), "winners_due", fractions(winners_due));
  }
  {
    const auto& [enrolment_due] = schools;
    Handle process = create_group(g, "schools");
    write_vector(process.get(), "enrolment_due", fractions(enrolment_due));
  }
  {
    const auto& [initial_posts] = employers;
    Handle process = create_group(g, "employers");
    write_vector(process.get(), "initial_posts", initial_posts);
  }
}

void write_results_group(hid_t file, const Results& results) {
  Handle group = create_group(file, "results");
  for (const Variable& v : results.variables) {
    std::vector<hsize_t> dims;
    std::string names;
    for (const auto& d : v.dims) {
      dims.push_back(static_cast<hsize_t>(results.dimension(d).size()));
      names += (names.empty() ? "" : ",") + d;
    }
    if (element_count(dims) != v.size())
      throw Failure("variable '" + v.name + "' has " + std::to_string(v.size()) + " values but its dimensions hold " +
                    std::to_string(element_count(dims)));
    const Handle dataset = v.is_real ? write_array(group.get(), v.name, dims, v.real_data.data())
                                     : write_array(group.get(), v.name, dims, v.data.data());
    write_string_attribute(dataset.get(), "dimensions", names);
  }
}

void write_header(hid_t file, const CheckpointRun& run, std::int64_t replicate, std::int64_t month) {
  write_string_attribute(file, "title", kTitle);
  write_int(file, "format_version", kCheckpointFormatVersion);
  write_string_attribute(file, "engine_version", kEngineVersion);
  write_string_attribute(file, "git_commit", kGitCommit);
  write_string_attribute(file, "created", utc_timestamp());
  write_string_attribute(file, "scenario_source", run.scenario_source);
  write_string_attribute(file, "scenario", run.scenario_text);
  if (!run.parameter_sets.empty()) write_string_attribute(file, "parameter_sets", run.parameter_sets);
  write_int(file, "replicates", run.replicates);
  write_int(file, "seed", run.seed);
  write_int(file, "months", run.months);
  write_int(file, "checkpoint_every", run.checkpoint_every);
  write_int(file, "first_month", run.first_month);
  write_string_attribute(file, "origin", run.origin);
  write_string_attribute(file, "output", run.output);
  write_int(file, "force", run.force ? 1 : 0);
  write_int(file, "replicate", replicate);
  write_int(file, "month", month);
  write_string_dataset(file, "overrides", run.overrides);
}

bool link_exists(hid_t parent, const std::string& name) {
  const htri_t exists = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
  if (exists < 0) fail("cannot look up '" + name + "'");
  return exists > 0;
}

// ---------------------------------------------------------------------------------------------
// Reading: a Reader names the parts it reads by their path in the file.

class Reader {
public:
  explicit Reader(hid_t file) : file_(file) {}

  /// The group at `path` ("/replicates/0").
  Handle group(const std::string& path) const {
    require(path, "group");
    return checked(H5Gopen2(file_, path.c_str(), H5P_DEFAULT), H5Gclose, "cannot open group '" + path + "'");
  }

  bool exists(const std::string& path) const {
    // Component by component: H5Lexists fails on a missing intermediate group.
    std::size_t at = 1;
    while (true) {
      const std::size_t slash = path.find('/', at);
      const std::string prefix = path.substr(0, slash);
      if (!link_exists(file_, prefix)) return false;
      if (slash == std::string::npos) return true;
      at = slash + 1;
    }
  }

  void require(const std::string& path, const char* kind) const {
    if (!exists(path)) throw Failure(std::string(kind) + " '" + path + "' is missing");
  }

  /// The dataset at `path`, of the `expected` shape if given, with room for `capacity` values.
  template <class T>
  std::vector<T> array(const std::string& path, const std::vector<hsize_t>* expected = nullptr,
                       std::size_t capacity = 0) const {
    require(path, "dataset");
    Handle dataset =
        checked(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset '" + path + "'");
    const std::vector<hsize_t> shape = dataset_shape(dataset.get(), path);
    if (expected && shape != *expected)
      throw Failure("dataset '" + path + "' has shape " + shape_text(shape) + ", not " + shape_text(*expected));
    Handle type = checked(H5Dget_type(dataset.get()), H5Tclose, "cannot read dataset '" + path + "'");
    const H5T_class_t type_class = H5Tget_class(type.get());
    const bool want_integer = std::is_integral_v<T>;
    if (type_class != (want_integer ? H5T_INTEGER : H5T_FLOAT) || H5Tget_size(type.get()) != sizeof(T) ||
        (want_integer && (H5Tget_sign(type.get()) == H5T_SGN_2) != std::is_signed_v<T>))
      throw Failure("dataset '" + path + "' does not hold " + type_name<T>());
    std::vector<T> values;
    values.reserve(std::max(capacity, element_count(shape)));
    values.resize(element_count(shape));
    if (!values.empty())
      check(H5Dread(dataset.get(), NumberTypes<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            "cannot read dataset '" + path + "'");
    return values;
  }

  /// Rows [first, last) of the 1-D dataset at `path` of `length` values, with room for `capacity`,
  /// in a vector of type V (an agent column's own: Population's ColumnVector).
  template <class V>
  V rows(const std::string& path, std::size_t length, std::size_t first, std::size_t last, std::size_t capacity) const {
    using T = typename V::value_type;
    require(path, "dataset");
    Handle dataset =
        checked(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset '" + path + "'");
    const std::vector<hsize_t> shape = dataset_shape(dataset.get(), path), expected = {static_cast<hsize_t>(length)};
    if (shape != expected)
      throw Failure("dataset '" + path + "' has shape " + shape_text(shape) + ", not " + shape_text(expected));
    Handle type = checked(H5Dget_type(dataset.get()), H5Tclose, "cannot read dataset '" + path + "'");
    if (H5Tget_class(type.get()) != H5T_INTEGER || H5Tget_size(type.get()) != sizeof(T) ||
        (H5Tget_sign(type.get()) == H5T_SGN_2) != std::is_signed_v<T>)
      throw Failure("dataset '" + path + "' does not hold " + type_name<T>());
    V values;
    values.reserve(std::max(capacity, last - first));
    values.resize(last - first);
    if (values.empty()) return values;
    const hsize_t start = first, count = last - first;
    Handle file_space =
        checked(H5Dget_space(dataset.get()), H5Sclose, "cannot read the shape of dataset '" + path + "'");
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
          "cannot select rows of dataset '" + path + "'");
    Handle memory_space = checked(H5Screate_simple(1, &count, nullptr), H5Sclose, "cannot read dataset '" + path + "'");
    check(H5Dread(dataset.get(), NumberTypes<T>::memory(), memory_space.get(), file_space.get(), H5P_DEFAULT,
                  values.data()),
          "cannot read dataset '" + path + "'");
    return values;
  }

  template <class T>
  std::vector<T> vector(const std::string& path, std::size_t length, std::size_t capacity = 0) const {
    const std::vector<hsize_t> expected = {static_cast<hsize_t>(length)};
    return array<T>(path, &expected, capacity);
  }

  /// A 1-D dataset of any length.
  template <class T>
  std::vector<T> vector(const std::string& path) const {
    require(path, "dataset");
    Handle dataset =
        checked(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset '" + path + "'");
    const std::vector<hsize_t> shape = dataset_shape(dataset.get(), path);
    if (shape.size() != 1) throw Failure("dataset '" + path + "' has shape " + shape_text(shape) + ", not 1-D");
    return array<T>(path, &shape);
  }

  std::vector<std::string> strings(const std::string& path) const {
    require(path, "dataset");
    Handle dataset =
        checked(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset '" + path + "'");
    return read_strings(dataset.get(), false, "cannot read dataset '" + path + "'");
  }

  std::int64_t integer(hid_t object, const std::string& owner, const std::string& name) const {
    require_attribute(object, owner, name);
    try {
      return read_number_scalar<std::int64_t>(object, name);
    } catch (const Failure&) {
      throw Failure("attribute '" + name + "' of '" + owner + "' is not one number");
    }
  }

  std::string text(hid_t object, const std::string& owner, const std::string& name) const {
    require_attribute(object, owner, name);
    if (!is_string_attribute(object, name))
      throw Failure("attribute '" + name + "' of '" + owner + "' is not a string");
    return read_string_attribute(object, name);
  }

  hid_t file() const { return file_; }

private:
  static void require_attribute(hid_t object, const std::string& owner, const std::string& name) {
    if (!has_attribute(object, name)) throw Failure("attribute '" + name + "' of '" + owner + "' is missing");
  }

  static std::string shape_text(const std::vector<hsize_t>& shape) {
    std::string text;
    for (hsize_t d : shape) text += (text.empty() ? "" : " x ") + std::to_string(d);
    return "[" + (text.empty() ? std::string("scalar") : text) + "]";
  }

  template <class T>
  static std::string type_name() {
    if constexpr (std::is_floating_point_v<T>) return "64-bit floats";
    return std::to_string(8 * sizeof(T)) + "-bit " + (std::is_signed_v<T> ? "" : "unsigned ") + "integers";
  }

  hid_t file_;
};

template <std::size_t N>
void read_carries(const Reader& in, const std::string& path, std::array<Carry, N>& carries) {
  const std::vector<double> values = in.vector<double>(path, N);
  for (std::size_t i = 0; i < N; ++i) carries[i].fraction = values[i];
}

void read_carries(const Reader& in, const std::string& path, std::vector<Carry>& carries) {
  carries.clear();
  for (double value : in.vector<double>(path)) carries.push_back(Carry{value});
}

Ledger read_ledger(const Reader& in, const std::string& path) {
  const std::vector<std::string> names = in.strings(path + "/name");
  const std::size_t n = names.size();
  std::map<std::string, std::vector<std::int64_t>> numbers;
  for (const char* field :
       {"annual_envelope", "carry_over", "granted", "paid", "committed", "remaining", "lapsed", "leaked"})
    numbers[field] = in.vector<std::int64_t>(path + "/" + field, n);
  std::vector<FundAccount> funds(n);
  for (std::size_t f = 0; f < n; ++f) {
    auto& [name, envelope, carry_over, granted, paid, committed, remaining, lapsed, leaked] = funds[f];
    name = names[f];
    envelope = numbers["annual_envelope"][f];
    carry_over = numbers["carry_over"][f] != 0;
    granted = numbers["granted"][f];
    paid = numbers["paid"][f];
    committed = numbers["committed"][f];
    remaining = numbers["remaining"][f];
    lapsed = numbers["lapsed"][f];
    leaked = numbers["leaked"][f];
  }
  try {
    return Ledger(std::move(funds));
  } catch (const Error& e) {
    throw Failure("'" + path + "': " + e.what());
  }
}

// `share`: the rank and ranks of a run split over ranks, which reads its agent_range of the agents.
ReplicateSnapshot read_snapshot(const Reader& in, std::int64_t r, std::pair<int, int> share = {0, 1}) {
  const std::string path = "/replicates/" + std::to_string(r);
  Handle group = in.group(path);
  const hid_t g = group.get();
  ReplicateSnapshot s;
  auto& [seed, replicate, month, next_id, population, entrants, appointments, training, evaluation, competitions,
         schools, employers] = s;
  seed = static_cast<std::uint64_t>(in.integer(g, path, "seed"));
  const std::int64_t stored_replicate = in.integer(g, path, "replicate");
  if (stored_replicate != r)
    throw Failure("group '" + path + "' holds the state of replicate " + std::to_string(stored_replicate + 1) +
                  ", not of replicate " + std::to_string(r + 1));
  replicate = static_cast<std::uint32_t>(r);
  month.index = static_cast<std::int32_t>(in.integer(g, path, "month"));
  next_id = static_cast<std::uint64_t>(in.integer(g, path, "next_id"));
  const std::int64_t agents = in.integer(g, path, "agents");
  if (agents < 0) throw Failure("attribute 'agents' of '" + path + "' is negative");
  const auto n = static_cast<std::size_t>(agents);
  // An optional column is stored when its dataset is there (whether the scenario needs it is
  // checked on restore, ReplicateState); every other column must be.
  ColumnSet optional;
  for (std::size_t k = 0; k < kColumnCount; ++k)
    if (kColumnUse[k] == ColumnUse::optional &&
        in.exists(path + "/population/" + std::string(column_name(static_cast<Column>(k)))))
      optional = optional.with(static_cast<Column>(k));
  population = Population(optional);
  // Room to grow, as synthesis leaves: the first entrants do not reallocate every column at once
  // (a moment with two copies of the largest one).
  const AgentRange range = agent_range(n, share.first, share.second);
  const std::size_t mine = range.last - range.first;
  population.for_each_named_column([&](std::string_view name, auto& column) {
    column = in.rows<std::remove_cvref_t<decltype(column)>>(path + "/population/" + std::string(name), n, range.first,
                                                            range.last, mine + mine / 8);
  });

  {
    auto& [due] = entrants;
    read_carries(in, path + "/entrants/due", due);
  }
  {
    auto& [due] = appointments;
    read_carries(in, path + "/appointments/due", due);
  }
  {
    auto& [ledger, budget_year, seats_due, overhead_due] = training;
    Handle process = in.group(path + "/training");
    budget_year = static_cast<int>(in.integer(process.get(), path + "/training", "budget_year"));
    read_carries(in, path + "/training/seats_due", seats_due);
    read_carries(in, path + "/training/overhead_due", overhead_due);
    ledger = read_ledger(in, path + "/training/ledger");
  }
  {
    auto& [capacity_due] = evaluation;
    read_carries(in, path + "/evaluation/capacity_due", capacity_due);
  }
  // Checkpoints written before competitions existed have no group: a run without tiers.
  if (in.exists(path + "/competitions")) {
    auto& [entrants_due, winners_due] = competitions;
    read_carries(in, path + "/competitions/entrants_due", entrants_due);
    read_carries(in, path + "/competitions/winners_due", winners_due);
  }
  // Checkpoints written before schools existed have no group: a run without school routes.
  if (in.exists(path + "/schools")) {
    auto& [enrolment_due] = schools;
    read_carries(in, path + "/schools/enrolment_due", enrolment_due);
  }
  {
    auto& [initial_posts] = employers;
    initial_posts = in.vector<std::int64_t>(path + "/employers/initial_posts");
  }
  return s;
}

std::vector<std::string> link_names(hid_t group, const std::string& path) {
  const std::string what = "cannot list group '" + path + "'";
  H5G_info_t info;
  check(H5Gget_info(group, &info), what);
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (length < 0) fail(what);
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    if (H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT) < 0)
      fail(what);
    name.resize(static_cast<std::size_t>(length));
    names.push_back(std::move(name));
  }
  return names;
}

Results read_results_group(const Reader& in) {
  Results results;
  Handle group = in.group("/results");
  for (const std::string& name : link_names(group.get(), "/results")) {
    const std::string path = "/results/" + name;
    Handle dataset =
        checked(H5Dopen2(in.file(), path.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset '" + path + "'");
    const std::vector<hsize_t> shape = dataset_shape(dataset.get(), path);
    const std::string dims = in.text(dataset.get(), path, "dimensions");
    Variable v;
    v.name = name;
    std::stringstream list(dims);
    for (std::string dim; std::getline(list, dim, ',');) v.dims.push_back(dim);
    if (v.dims.size() != shape.size())
      throw Failure("dataset '" + path + "' has " + std::to_string(shape.size()) + " dimensions but its attribute " +
                    "'dimensions' names " + std::to_string(v.dims.size()));
    for (std::size_t axis = 0; axis < shape.size(); ++axis) {
      const auto it = std::find_if(results.dimensions.begin(), results.dimensions.end(),
                                   [&](const Dimension& d) { return d.name == v.dims[axis]; });
      if (it == results.dimensions.end()) {
        Dimension d;
        d.name = v.dims[axis];
        for (hsize_t i = 0; i < shape[axis]; ++i) d.int_coords.push_back(static_cast<std::int64_t>(i));
        results.dimensions.push_back(std::move(d));
      } else if (it->size() != shape[axis]) {
        throw Failure("dataset '" + path + "' has " + std::to_string(shape[axis]) + " elements along '" + v.dims[axis] +
                      "', which other variables have " + std::to_string(it->size()) + " of");
      }
    }
    v.is_real = dataset_type_class(dataset.get(), path) == H5T_FLOAT;
    if (v.is_real)
      v.real_data = in.array<double>(path, &shape);
    else
      v.data = in.array<std::int64_t>(path, &shape);
    results.variables.push_back(std::move(v));
  }
  return results;
}

CheckpointInfo read_info(const Reader& in) {
  const hid_t f = in.file();
  CheckpointInfo info;
  CheckpointRun& run = info.run;
  info.engine_version = in.text(f, "/", "engine_version");
  info.git_commit = in.text(f, "/", "git_commit");
  info.created = in.text(f, "/", "created");
  run.scenario_source = in.text(f, "/", "scenario_source");
  run.scenario_text = in.text(f, "/", "scenario");
  run.overrides = in.strings("/overrides");
  if (has_attribute(f, "parameter_sets")) run.parameter_sets = in.text(f, "/", "parameter_sets");
  run.replicates = in.integer(f, "/", "replicates");
  run.seed = in.integer(f, "/", "seed");
  run.months = in.integer(f, "/", "months");
  run.checkpoint_every = in.integer(f, "/", "checkpoint_every");
  run.first_month = in.integer(f, "/", "first_month");
  run.origin = in.text(f, "/", "origin");
  run.output = in.text(f, "/", "output");
  run.force = in.integer(f, "/", "force") != 0;
  info.replicate = in.integer(f, "/", "replicate");
  info.month = in.integer(f, "/", "month");
  if (run.replicates < 1 || run.months < 0 || info.replicate < 0 || info.replicate >= run.replicates ||
      info.month < 0 || info.month > run.months)
    throw Failure("its position (replicate " + std::to_string(info.replicate + 1) + ", month " +
                  std::to_string(info.month) + ") is outside its run (" + std::to_string(run.replicates) +
                  " replicates of " + std::to_string(run.months) + " months)");
  Handle replicates = in.group("/replicates");
  for (std::int64_t r = 0; r < run.replicates; ++r) {
    const std::string name = std::to_string(r), path = "/replicates/" + name;
    if (!link_exists(replicates.get(), name)) {
      info.months_done.push_back(-1);
      continue;
    }
    Handle group = in.group(path);
    const std::int64_t done = in.integer(group.get(), path, "months_done");
    if (done < 0 || done > run.months)
      throw Failure("the state of replicate " + std::to_string(r + 1) + " (group '" + path + "') is of month " +
                    std::to_string(done) + ", outside the run's " + std::to_string(run.months) + " months");
    info.months_done.push_back(done);
  }
  if (info.months_done[static_cast<std::size_t>(info.replicate)] != info.month)
    throw Failure("the state of replicate " + std::to_string(info.replicate + 1) + " (group '/replicates/" +
                  std::to_string(info.replicate) + "'), where it stands, is missing or not of month " +
                  std::to_string(info.month));
  return info;
}

// ---------------------------------------------------------------------------------------------
// Opening

std::string prefix_of(const fs::path& path) { return "checkpoint file " + quoted(path) + ": "; }

/// Opens a checkpoint for reading after checking what it is: missing, a directory, not HDF5,
/// not a checkpoint (a results file says so), of another format or engine version.
Handle open_checkpoint(const fs::path& path) {
  const std::string prefix = prefix_of(path);
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) throw CheckpointError(prefix + "no such file");
  if (fs::is_directory(status)) throw CheckpointError(prefix + "it is a directory");
#if H5_VERSION_GE(1, 12, 0)
  const htri_t is_hdf5 = H5Fis_accessible(path.c_str(), H5P_DEFAULT);
#else
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
#endif
  if (is_hdf5 == 0) throw CheckpointError(quoted(path) + " is not an HDF5 file, so not a skillsim checkpoint");
  if (is_hdf5 < 0) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw CheckpointError(prefix + errno_text(errno));
    ::close(fd);
    throw CheckpointError(prefix + hdf5_reason());
  }
  Handle file = checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "cannot open the file");
  const std::string title = has_attribute(file.get(), "title") && is_string_attribute(file.get(), "title")
                                ? read_string_attribute(file.get(), "title")
                                : "";
  if (title == kResultsTitle)
    throw CheckpointError(quoted(path) + " is a skillsim results file, not a checkpoint (checkpoints are written by " +
                          "skillsim run --checkpoint FILE)");
  if (title != kTitle) throw CheckpointError(quoted(path) + " is not a skillsim checkpoint file");
  const Reader in(file.get());
  std::int64_t format = 0;
  std::string version;
  try {
    format = in.integer(file.get(), "/", "format_version");
    version = in.text(file.get(), "/", "engine_version");
  } catch (const Failure& failure) {
    throw CheckpointError(prefix + failure.what());
  }
  if (format != kCheckpointFormatVersion || version != kEngineVersion)
    throw CheckpointError(prefix + "written by skillsim " + version + " (checkpoint format " + std::to_string(format) +
                          "); this is skillsim " + kEngineVersion + " (checkpoint format " +
                          std::to_string(kCheckpointFormatVersion) +
                          "), which continues only its own checkpoints (another version may simulate differently): " +
                          "finish the run with skillsim " + version + ", or run it again");
  return file;
}

/// Runs `read` on an open checkpoint, turning every failure into a CheckpointError that names
/// the file.
template <class F>
auto reading(const fs::path& path, F&& read) {
  const std::string prefix = prefix_of(path);
  try {
    QuietHdf5Errors quiet;
    Handle file = open_checkpoint(path);
    const Reader in(file.get());
    return read(in);
  } catch (const CheckpointError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw CheckpointError(prefix + "out of memory while reading it");
  } catch (const std::exception& failure) {
    throw CheckpointError(prefix + failure.what());
  }
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Public API

bool CheckpointInfo::finished() const {
  return std::all_of(months_done.begin(), months_done.end(), [&](std::int64_t m) { return m == run.months; });
}

CheckpointWriter::CheckpointWriter(fs::path path, CheckpointRun run, fs::path previous)
    : path_(std::move(path)), run_(std::move(run)), previous_(std::move(previous)) {}

void CheckpointWriter::write(std::int64_t replicate, std::int64_t month, const Results& results,
                             const ReplicateSnapshot& snapshot) {
  write(replicate, month, results, snapshot, snapshot.population);
}

void CheckpointWriter::write(std::int64_t replicate, std::int64_t month, const Results& results,
                             const ReplicateState& state) {
  write(replicate, month, results, state.snapshot_without_population(), state.population());
}

void CheckpointWriter::write(std::int64_t replicate, std::int64_t month, const Results& results,
                             const ReplicateSnapshot& snapshot, const Population& population) {
  const auto started = std::chrono::steady_clock::now();
  try {
    if (snapshot.replicate != replicate || replicate < 0 || replicate >= run_.replicates)
      throw Failure("the state given for replicate " + std::to_string(replicate + 1) + " of " +
                    std::to_string(run_.replicates) + " is that of replicate " +
                    std::to_string(snapshot.replicate + 1));
    QuietHdf5Errors quiet;
    TemporaryFile temporary(path_);
    {
      Handle file = checked(H5Fcreate(temporary.path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                            "cannot create HDF5 file " + quoted(temporary.path()));
      write_header(file.get(), run_, replicate, month);
      write_results_group(file.get(), results);
      Handle replicates = create_group(file.get(), "replicates");
      if (!previous_.empty()) {
        // The other replicates' latest states, as they are (compressed chunks copied raw).
        Handle previous = checked(H5Fopen(previous_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                                  "cannot open the previous checkpoint " + quoted(previous_));
        const bool has_replicates = link_exists(previous.get(), "replicates");
        for (std::int64_t r = 0; has_replicates && r < run_.replicates; ++r) {
          const std::string name = "replicates/" + std::to_string(r);
          if (r == replicate || !link_exists(previous.get(), name)) continue;
          check(H5Ocopy(previous.get(), name.c_str(), file.get(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                "cannot copy the state of replicate " + std::to_string(r) + " from " + quoted(previous_));
        }
      }
      write_snapshot(replicates.get(), month, snapshot, population);
      replicates = Handle();
      check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot flush " + quoted(temporary.path()));
      if (!file.close()) fail("cannot close " + quoted(temporary.path()));
    }
    sync_file(temporary.path());
    temporary.commit(path_);
    sync_directory(directory_of(path_));
  } catch (const std::bad_alloc&) {
    throw CheckpointError("cannot write checkpoint file " + quoted(path_) +
                          ": out of memory; close other programs or use a machine with more memory");
  } catch (const std::exception& failure) {
    throw CheckpointError("cannot write checkpoint file " + quoted(path_) + ": " + failure.what());
  }
  previous_ = path_;
  ++written_;
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

bool is_checkpoint_file(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return false;
  QuietHdf5Errors quiet;
#if H5_VERSION_GE(1, 12, 0)
  if (H5Fis_accessible(path.c_str(), H5P_DEFAULT) <= 0) return false;
#else
  if (H5Fis_hdf5(path.c_str()) <= 0) return false;
#endif
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) {
    H5Eclear2(H5E_DEFAULT);
    return false;
  }
  Handle file(id, H5Fclose);
  try {
    return has_attribute(file.get(), "title") && is_string_attribute(file.get(), "title") &&
           read_string_attribute(file.get(), "title") == kTitle;
  } catch (const Failure&) {
    return false;
  }
}

CheckpointInfo read_checkpoint_info(const fs::path& path) {
  return reading(path, [](const Reader& in) { return read_info(in); });
}

Results read_checkpoint_results(const fs::path& path) {
  return reading(path, [](const Reader& in) { return read_results_group(in); });
}

ReplicateSnapshot read_checkpoint_snapshot(const fs::path& path, std::int64_t replicate, int rank, int ranks) {
  if (ranks < 1 || rank < 0 || rank >= ranks)
    throw CheckpointError("rank " + std::to_string(rank) + " of " + std::to_string(ranks) + " ranks");
  return reading(path, [replicate, rank, ranks](const Reader& in) {
    if (!in.exists("/replicates/" + std::to_string(replicate)))
      throw Failure("it holds no state of replicate " + std::to_string(replicate + 1) + " (group '/replicates/" +
                    std::to_string(replicate) + "' is missing)");
    return read_snapshot(in, replicate, {rank, ranks});
  });
}

void check_checkpoint_path(const fs::path& path, bool overwrite) {
  const std::string name = "checkpoint file " + quoted(path);
  std::error_code error;
  const fs::file_status target = fs::symlink_status(path, error);
  if (fs::exists(target)) {
    if (fs::is_directory(fs::status(path, error)))
      throw CheckpointError("cannot write " + name + ": it is a directory");
    if (!overwrite)
      throw CheckpointError(name + " exists; use --resume " + quoted(path) +
                            " to continue its run, --force to overwrite it, or choose another file");
  }
  const fs::path directory = directory_of(path);
  if (!fs::is_directory(directory, error))
    throw CheckpointError("cannot write " + name + ": directory " + quoted(directory) +
                          " does not exist; create it first (mkdir -p " + quoted(directory) +
                          ") or choose another path");
  try {
    const TemporaryFile probe(path); // removed at once
  } catch (const Failure& failure) {
    throw CheckpointError("cannot write " + name + ": " + failure.what());
  }
}

std::string describe_checkpoint(const CheckpointInfo& info) {
  const CheckpointRun& run = info.run;
  std::ostringstream out;
  out << "Checkpoint of:   " << run.scenario_source;
  for (const auto& o : run.overrides) out << " --set " << o;
  out << "\n";
  out << "Engine:          skillsim " << info.engine_version << ", git " << info.git_commit << "\n";
  out << "Created:         " << info.created << "\n";
  out << "Run:             " << run.replicates << " replicate(s) of " << run.months << " months, seed " << run.seed
      << ", results to " << run.output << (run.force ? " (--force)" : "") << "\n";
  out << "Checkpoints:     "
      << (run.checkpoint_every > 0 ? "every " + std::to_string(run.checkpoint_every) + " months and " : std::string())
      << "at the end of each replicate\n";
  if (!run.origin.empty())
    out << "Branched from:   " << run.origin << " (months 0 to " << run.first_month << " taken from it)\n";
  out << "Position:        replicate " << info.replicate + 1 << " of " << run.replicates << ", month " << info.month
      << " of " << run.months << "\n";
  out << "Replicates:      ";
  std::int64_t finished = 0, started = 0;
  for (std::int64_t m : info.months_done) {
    finished += m == run.months;
    started += m >= 0 && m < run.months;
  }
  out << finished << " finished, " << started << " under way, "
      << static_cast<std::int64_t>(info.months_done.size()) - finished - started << " not started\n";
  out << "State:           "
      << (info.finished() ? "finished: branch from it with skillsim run SCENARIO --from-checkpoint FILE"
                          : "unfinished: continue it with skillsim run --resume FILE")
      << "\n";
  return out.str();
}

} // namespace skillsim::io
