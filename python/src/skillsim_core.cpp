// skillsim._core: the Python bindings of the engine (pybind11). Deliberately thin: scenarios are
// parsed by io::parse_scenario (so messages are exactly the command line's), runs go through
// run_scenario in a worker thread with the GIL released, results reach NumPy as read-only views
// on the engine's memory, and files are written and read by io::write_results/read_results.
// The user-facing API is the hand-written package python/skillsim.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <Python.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/memory_estimate.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/core/scenario.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/twin.hpp"
#include "skillsim/core/version.hpp"
#include "skillsim/io/observations.hpp"
#include "skillsim/io/results_hdf5.hpp"
#include "skillsim/io/scenario_toml.hpp"
#include "skillsim/io/sweep_run.hpp"
#include "skillsim/io/system_memory.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;
using namespace skillsim;

namespace {

// ------------------------------------------------------------------------------------------------
// Errors

/// A ScenarioError together with the name of the scenario source it came from (the Python
/// error's `source`; its count line names each problem's own file, as problem_count does).
struct SourcedScenarioError {
  std::vector<Diagnostic> diagnostics;
  std::string source;
};

template <class F>
auto with_source(const std::string& source, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const ScenarioError& e) {
    throw SourcedScenarioError{e.diagnostics(), source};
  }
}

py::object make_scenario_error(const std::vector<Diagnostic>& diagnostics, const std::string& source) {
  py::list problems;
  for (const auto& d : diagnostics) problems.append(py::make_tuple(d.file, d.line, d.column, d.key, d.message));
  py::object cls = py::module_::import("skillsim.errors").attr("ScenarioError");
  return cls(problems, source.empty() ? py::object(py::none()) : py::object(py::str(source)));
}

void raise_python(const py::object& exception) {
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())), exception.ptr());
}

void translate(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const SourcedScenarioError& e) {
    try {
      raise_python(make_scenario_error(e.diagnostics, e.source));
    } catch (py::error_already_set& failure) {
      failure.restore();
    }
  } catch (const ScenarioError& e) {
    try {
      raise_python(make_scenario_error(e.diagnostics(), ""));
    } catch (py::error_already_set& failure) {
      failure.restore();
    }
  } catch (const io::DataError& e) {
    try {
      py::list problems;
      for (const auto& d : e.diagnostics()) problems.append(py::make_tuple(d.file, d.line, d.column, d.key, d.message));
      raise_python(py::module_::import("skillsim.errors").attr("DataError")(problems));
    } catch (py::error_already_set& failure) {
      failure.restore();
    }
  } catch (const ResultsFileError& e) {
    try {
      raise_python(py::module_::import("skillsim.errors").attr("ResultsFileError")(e.what()));
    } catch (py::error_already_set& failure) {
      failure.restore();
    }
  } catch (const TwinUnsupported& e) {
    try {
      py::list issues;
      for (const auto& issue : e.issues()) issues.append(py::make_tuple(issue.key, issue.message));
      raise_python(py::module_::import("skillsim.errors").attr("TwinUnsupported")(e.what(), issues));
    } catch (py::error_already_set& failure) {
      failure.restore();
    }
  } catch (const OutOfMemory& e) { // MemoryError, as a bare std::bad_alloc was, with where and what to do
    PyErr_SetString(PyExc_MemoryError, e.what());
  } catch (const Cancelled&) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
  }
}

// ------------------------------------------------------------------------------------------------
// Values

py::object to_date(Month m) { return py::module_::import("datetime").attr("date")(m.year(), m.month(), 1); }

py::object to_python(const Value& value) {
  struct Visitor {
    py::object operator()(double v) const { return py::float_(v); }
    py::object operator()(std::int64_t v) const { return py::int_(v); }
    py::object operator()(Month m) const { return to_date(m); }
    py::object operator()(const std::string& s) const { return py::str(s); }
    py::object operator()(const std::vector<std::string>& v) const { return py::cast(v); }
    py::object operator()(const std::vector<double>& v) const { return py::cast(v); }
    py::object operator()(const RealMatrix& m) const {
      py::list rows;
      for (int r = 0; r < m.rows; ++r) {
        py::list row;
        for (int c = 0; c < m.cols; ++c) row.append(m(r, c));
        rows.append(row);
      }
      return rows;
    }
    py::object operator()(const std::vector<std::int64_t>& v) const { return py::cast(v); } // a list of int
    // Flags are bool (True == 1, so code written for 0/1 keeps working).
    py::object operator()(const std::vector<std::uint8_t>& v) const {
      py::list out;
      for (const auto flag : v) out.append(py::bool_(flag != 0));
      return out;
    }
    py::object operator()(const FlagMatrix& m) const {
      py::list rows;
      for (int r = 0; r < m.rows; ++r) {
        py::list row;
        for (int c = 0; c < m.cols; ++c) row.append(py::bool_(m(r, c)));
        rows.append(row);
      }
      return rows;
    }
  };
  return std::visit(Visitor{}, value);
}

// Matrices with no rows compare equal whatever their column count (a TOML [] has none).
template <class M>
bool both_without_rows(const Value& a, const Value& b) {
  const auto* ma = std::get_if<M>(&a);
  const auto* mb = std::get_if<M>(&b);
  return ma != nullptr && mb != nullptr && ma->rows == 0 && mb->rows == 0;
}

bool same_value(const Value& a, const Value& b) {
  return both_without_rows<RealMatrix>(a, b) || both_without_rows<FlagMatrix>(a, b) || a == b;
}

// ------------------------------------------------------------------------------------------------
// Scenario

const ParameterSpec& spec_or_key_error(const std::string& key) {
  if (const ParameterSpec* spec = find_parameter(key)) return *spec;
  std::string message = "no parameter named '" + key + "'";
  const auto suggestions = suggest_parameters(key);
  if (!suggestions.empty()) message += "; did you mean '" + std::string(suggestions.front()) + "'?";
  throw py::key_error(message);
}

bool scenarios_equal(const Scenario& a, const Scenario& b) {
  for (const auto& spec : parameter_specs()) {
    if (spec.key == std::string_view("run.parameter_sets")) continue; // by content, below
    if (!same_value(get_value(a.parameters(), spec), get_value(b.parameters(), spec))) return false;
  }
  // The same sets read from two paths (relative in a file, absolute in its to_toml) are equal.
  const auto& sets_a = a.parameter_sets();
  const auto& sets_b = b.parameter_sets();
  if (sets_a.keys != sets_b.keys || sets_a.rows != sets_b.rows || sets_a.text != sets_b.text) return false;
  const auto schedule_a = a.effective_schedule();
  const auto schedule_b = b.effective_schedule();
  if (schedule_a.size() != schedule_b.size() || a.targets().size() != b.targets().size()) return false;
  for (auto x = schedule_a.begin(), y = schedule_b.begin(); x != schedule_a.end(); ++x, ++y) {
    if (x->first != y->first || x->second.size() != y->second.size()) return false;
    for (auto u = x->second.begin(), v = y->second.begin(); u != x->second.end(); ++u, ++v)
      if (u->first != v->first || !same_value(u->second, v->second)) return false;
  }
  for (std::size_t i = 0; i < a.targets().size(); ++i) {
    const auto& x = a.targets()[i];
    const auto& y = b.targets()[i];
    if (!(x == y)) return false;
  }
  return true;
}

// "level" from "level (none, apprentice, ...)": the dimension's name as the registry describes it.
std::string dim_name(Dim dim) {
  const std::string description = dim_description(dim);
  std::string name = description.substr(0, description.find(" ("));
  std::replace(name.begin(), name.end(), ' ', '_');
  return name;
}

py::list parameter_spec_list() {
  py::list out;
  for (const auto& spec : parameter_specs()) {
    py::dict d;
    d["key"] = std::string(spec.key);
    d["kind"] = std::string(kind_name(spec.kind));
    d["unit"] = std::string(spec.unit);
    d["doc"] = std::string(spec.doc);
    d["min"] = spec.min;
    d["max"] = spec.max;
    d["dim"] = dim_name(spec.dim);
    d["col_dim"] = dim_name(spec.col_dim);
    d["sums_to_one"] = spec.sums_to_one;
    d["schedulable"] = spec.schedulable;
    out.append(d);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Results

py::dict metadata_dict(const RunMetadata& m) {
  py::dict d;
  d["scenario_name"] = m.scenario_name;
  d["scenario_source"] = m.scenario_source;
  d["scenario"] = m.scenario_text;
  d["seed"] = m.seed;
  d["replicate_seeds"] = m.replicate_seeds;
  d["threads"] = m.threads;
  d["scale"] = m.scale;
  d["engine_version"] = m.engine_version;
  d["git_commit"] = m.git_commit;
  d["created"] = m.created;
  d["command_line"] = m.command_line;
  d["attributes"] = m.attributes; // further global attributes (a sweep's), by name
  return d;
}

py::list dimension_list(const Results& r) {
  py::list out;
  for (const auto& dim : r.dimensions) {
    py::dict d;
    d["name"] = dim.name;
    if (dim.labels.empty())
      d["values"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(dim.int_coords.size()), dim.int_coords.data());
    else
      d["values"] = dim.labels;
    d["labels_zh"] = dim.labels_zh;
    d["attributes"] = dim.attributes;
    out.append(d);
  }
  return out;
}

// A read-only NumPy view on a variable's data; `owner` (the Python Results) is kept alive by it.
py::array variable_view(const py::object& owner, const std::string& name) {
  const Results& r = owner.cast<const Results&>();
  const Variable& v = r.variable(name);
  std::vector<py::ssize_t> shape;
  for (const auto n : r.shape(v)) shape.push_back(static_cast<py::ssize_t>(n));
  py::array view = v.is_real ? py::array(py::array_t<double>(shape, v.real_data.data(), owner))
                             : py::array(py::array_t<std::int64_t>(shape, v.data.data(), owner));
  view.attr("setflags")(py::arg("write") = false);
  return view;
}

// ------------------------------------------------------------------------------------------------
// Running

/// Runs `work` in a worker thread with the GIL released. The calling thread waits in steps of
/// `poll_seconds`; between them it takes the GIL, checks for signals (Ctrl-C raises
/// KeyboardInterrupt there) and calls `report` (progress). On any Python exception `cancel` is
/// set and the worker joined first; the worker's own exception is rethrown here.
template <class Work, class Report>
void run_in_worker(Work&& work, std::atomic<bool>& cancel, double poll_seconds, Report&& report) {
  struct Shared {
    std::mutex mutex;
    std::condition_variable finished_cv;
    bool finished = false;
    std::exception_ptr error;
  } shared;

  std::thread worker;
  {
    py::gil_scoped_release release;
    worker = std::thread([&] {
      try {
        work();
      } catch (...) {
        shared.error = std::current_exception();
      }
      {
        const std::lock_guard<std::mutex> lock(shared.mutex);
        shared.finished = true;
      }
      shared.finished_cv.notify_all();
    });
  }
  // Whatever leaves this function, the worker is stopped and joined first (without the GIL).
  struct Joiner {
    std::thread& worker;
    std::atomic<bool>& cancel;
    ~Joiner() {
      if (!worker.joinable()) return;
      cancel.store(true);
      py::gil_scoped_release release;
      worker.join();
    }
  } joiner{worker, cancel};

  const auto step = std::chrono::duration<double>(poll_seconds > 0 ? poll_seconds : 0.1);
  for (;;) {
    bool finished = false;
    {
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> lock(shared.mutex);
      finished = shared.finished_cv.wait_for(lock, step, [&] { return shared.finished; });
    }
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    report();
    if (finished) break;
  }
  {
    py::gil_scoped_release release;
    worker.join();
  }
  if (shared.error) std::rethrow_exception(shared.error);
}

/// Runs the scenario's replicates in a worker thread (run_in_worker): Ctrl-C cancels, `progress`
/// is called with (months done, months in total).
std::unique_ptr<Results> run(const Scenario& scenario, std::int64_t replicates, std::int64_t seed, int threads,
                             const py::object& progress, double poll_seconds, const std::string& command_line,
                             const std::optional<std::string>& scenario_text) {
  if (replicates < 1) throw py::value_error("replicates must be at least 1, got " + std::to_string(replicates));
  if (seed < 0) throw py::value_error("seed must be non-negative, got " + std::to_string(seed));
  if (threads < 0) throw py::value_error("threads must be at least 1, got " + std::to_string(threads));

  std::atomic<bool> cancel{false};
  std::atomic<std::int64_t> done{0};
  std::atomic<std::int64_t> total{replicates * scenario.parameters().scenario.months};
  RunOptions options;
  options.replicates = replicates;
  options.seed = seed;
  options.threads = threads;
  options.cancel = &cancel;
  options.progress = [&](std::int64_t months_done, std::int64_t months_total) {
    total.store(months_total);
    done.store(months_done);
  };

  std::unique_ptr<Results> results;
  run_in_worker([&] { results = std::make_unique<Results>(run_scenario(scenario, options)); }, cancel, poll_seconds,
                [&] {
                  if (!progress.is_none()) progress(done.load(), total.load());
                });
  results->metadata.created = utc_timestamp();
  results->metadata.command_line = command_line;
  if (scenario_text) results->metadata.scenario_text = *scenario_text;
  return results;
}

/// The run's estimated peak memory (memory_estimate.hpp) against what this machine has available:
/// the parts in bytes, `available` (None where it cannot be read) and `refusal`, the message of
/// `skillsim run` when the run cannot fit (None when it fits), naming `override_hint`.
py::dict memory_check(const Scenario& scenario, std::int64_t replicates, int threads,
                      const std::string& override_hint) {
  if (replicates < 1) throw py::value_error("replicates must be at least 1, got " + std::to_string(replicates));
  // The estimate counts each thread's stack.
  const int counted = threads > 0 ? threads : default_threads();
  const MemoryEstimate e = estimate_memory(scenario, replicates, counted);
  const std::optional<std::int64_t> available = io::available_memory();
  py::dict out;
  out["agents_initial"] = e.agents_initial;
  out["agents_peak"] = e.agents_peak;
  out["bytes_per_agent"] = e.bytes_per_agent;
  out["population"] = e.population;
  out["growth"] = e.growth;
  out["candidates"] = e.candidates;
  out["compaction"] = e.compaction;
  out["results"] = e.results;
  out["fixed"] = e.fixed;
  out["total"] = e.total();
  out["description"] = describe_memory(e);
  out["available"] = available ? py::object(py::int_(*available)) : py::object(py::none());
  out["refusal"] = available && e.total() > *available
                       ? py::object(py::str(memory_refusal(scenario, e, *available, override_hint,
                                                           "scenario.replace({\"population.scale\": {}})")))
                       : py::object(py::none());
  return out;
}

/// The expected-value twin (project_scenario), with the caller's provenance, in a worker thread
/// (run_in_worker): Ctrl-C cancels it.
std::unique_ptr<Results> project(const Scenario& scenario, const std::string& command_line,
                                 const std::optional<std::string>& scenario_text, std::int64_t replicates, int threads,
                                 const py::object& progress) {
  if (replicates > 1 && scenario.parameter_sets().empty()) // as skillsim project --replicates
    throw py::value_error("replicates: the twin's replicates are its parameter sets (run.parameter_sets), and the "
                          "scenario declares none: it projects one expectation, not " +
                          std::to_string(replicates));
  if (threads < 0) throw py::value_error("threads must be at least 1, got " + std::to_string(threads));
  std::atomic<bool> cancel{false};
  std::atomic<std::int64_t> done{0}, total{0};
  std::unique_ptr<Results> results;
  run_in_worker(
      [&] {
        results = std::make_unique<Results>(
            project_scenario(scenario, replicates, threads, &cancel, [&](std::int64_t months, std::int64_t in_all) {
              total.store(in_all);
              done.store(months);
            }));
      },
      cancel, 0.1,
      [&] {
        if (!progress.is_none() && total.load() > 0) progress(done.load(), total.load());
      });
  results->metadata.created = utc_timestamp();
  results->metadata.command_line = command_line;
  if (scenario_text) results->metadata.scenario_text = *scenario_text;
  return results;
}

// ------------------------------------------------------------------------------------------------
// Sweeps

/// Reads a sweep file and its base (io::load_sweep). A base that cannot be found is a ValueError.
io::SweepJob load_sweep(const fs::path& path, const std::vector<std::string>& overrides,
                        const std::vector<fs::path>& scenario_dirs) {
  return with_source(path.string(), [&] {
    try {
      return io::load_sweep(path, overrides, scenario_dirs);
    } catch (const ScenarioError&) {
      throw;
    } catch (const ResultsFileError&) {
      throw;
    } catch (const Error& e) {
      throw py::value_error(e.what());
    }
  });
}

/// Runs every run of the job into `output` (io::run_sweep) in a worker thread (run_in_worker):
/// Ctrl-C cancels (the journal keeps the finished runs), `progress` is called with (runs done,
/// runs in all, runs failed, fraction of the run in progress).
py::dict run_sweep(const io::SweepJob& job, const fs::path& output, bool overwrite, bool resume,
                   std::int64_t replicates, std::int64_t seed, int threads, const py::object& progress,
                   double poll_seconds, const std::string& command_line) {
  if (replicates < 0) throw py::value_error("replicates must be at least 1, got " + std::to_string(replicates));
  if (seed < -1) throw py::value_error("seed must be non-negative, got " + std::to_string(seed));
  if (threads < 0) throw py::value_error("threads must be at least 1, got " + std::to_string(threads));

  std::atomic<bool> cancel{false};
  std::atomic<std::int64_t> done{0};
  std::atomic<std::int64_t> total{static_cast<std::int64_t>(job.points.size())};
  std::atomic<std::int64_t> failed{0};
  std::atomic<double> fraction{0};
  io::SweepOptions options;
  options.output = output;
  options.overwrite = overwrite;
  options.resume = resume;
  options.replicates = replicates;
  options.seed = seed;
  options.threads = threads;
  options.command_line = command_line;
  options.cancel = &cancel;
  options.progress = [&](const io::SweepProgress& p) {
    total.store(p.runs_total);
    failed.store(p.runs_failed);
    fraction.store(p.run_fraction);
    done.store(p.runs_done);
  };

  io::SweepOutcome outcome;
  run_in_worker([&] { outcome = io::run_sweep(job, options); }, cancel, poll_seconds,
                [&] {
                  if (!progress.is_none()) progress(done.load(), total.load(), failed.load(), fraction.load());
                });
  py::dict out;
  out["runs"] = outcome.runs;
  out["failed"] = outcome.failed;
  out["resumed"] = outcome.resumed;
  out["output"] = outcome.output;
  return out;
}

// The initial population of one replicate, one NumPy array (a copy) per agent column: what a
// peer of the engine written in Python starts from (bench/numpy_peer.py).
py::dict initial_population(const Scenario& scenario, std::uint64_t seed, std::uint32_t replicate) {
  const ReplicateState state(scenario, seed, replicate);
  const Population& pop = state.population();
  py::dict out;
  pop.for_each_named_column([&](std::string_view name, const auto& column) { // the columns it stores
    using T = typename std::remove_cvref_t<decltype(column)>::value_type;
    out[py::str(std::string(name))] = py::array_t<T>(static_cast<py::ssize_t>(column.size()), column.data());
  });
  return out;
}

// The month's transition probabilities (TransitionRates) as NumPy arrays, in month `offset` of
// the run (0: the first): the table the engine's per-agent loop reads.
py::dict transition_rates(const Scenario& scenario, std::int64_t offset) {
  if (offset < 0 || offset >= scenario.parameters().scenario.months)
    throw py::value_error("month " + std::to_string(offset) + " is outside the run (0 to " +
                          std::to_string(scenario.parameters().scenario.months - 1) + ")");
  const Month month{scenario.parameters().scenario.start.index + static_cast<std::int32_t>(offset)};
  const TransitionRates r(scenario.parameters_at(month), month);
  const auto array = [](std::vector<py::ssize_t> shape, const auto* data) {
    return py::array_t<std::remove_cv_t<std::remove_pointer_t<decltype(data)>>>(shape, data);
  };
  py::dict out;
  out["death"] = array({kMortalityBandCount}, r.death.data());
  out["retirement_age_months"] = array({kSexCount}, r.retirement_age_months.data());
  out["job_loss"] = array({kLevelCount, kGroupCount, kSectorCount}, &r.job_loss[0][0][0]);
  out["job_find"] = array({kLevelCount, kGroupCount}, &r.job_find[0][0]);
  out["inactivity"] = r.inactivity;
  out["reactivation"] = r.reactivation;
  out["insured"] = array({kGroupCount}, r.insured.data());
  out["sit"] = array({kLevelCount, kStatusCount}, &r.sit[0][0]);
  out["pass"] = array({kLevelCount}, r.pass.data());
  out["min_months"] = array({kLevelCount}, r.min_months.data());
  out["queue_for_evaluation"] = r.queue_for_evaluation;
  return out;
}

} // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "Compiled core of skillsim (pybind11). Use the skillsim package, not this module.";
  m.attr("__version__") = kEngineVersion;
  m.attr("git_commit") = kGitCommit;
  m.attr("results_schema_version") = io::kResultsSchemaVersion;
  py::register_exception_translator(&translate);

  py::class_<Scenario>(m, "Scenario", "A validated scenario (immutable). Build one with parse_scenario.")
      .def_property_readonly("name", [](const Scenario& s) { return s.parameters().scenario.name; })
      .def_property_readonly("description", [](const Scenario& s) { return s.parameters().scenario.description; })
      .def_property_readonly("start", [](const Scenario& s) { return to_date(s.start()); })
      .def_property_readonly("end", [](const Scenario& s) { return to_date(s.end()); })
      .def_property_readonly("months", [](const Scenario& s) { return s.parameters().scenario.months; })
      .def_property_readonly("seed", [](const Scenario& s) { return s.parameters().run.seed; })
      .def_property_readonly("replicates", [](const Scenario& s) { return s.parameters().run.replicates; })
      .def_property_readonly("source_name", &Scenario::source_name)
      .def_property_readonly("source_text", &Scenario::source_text)
      .def_property_readonly("notes", &Scenario::notes)
      .def_property_readonly(
          "targets",
          [](const Scenario& s) {
            py::list out;
            for (const auto& t : s.targets()) {
              py::object trajectory = py::none();
              if (t.linear) trajectory = py::str("linear");
              if (!t.trajectory.empty()) {
                py::list points;
                for (const auto& point : t.trajectory) points.append(py::make_tuple(to_date(point.month), point.value));
                trajectory = points;
              }
              out.append(py::make_tuple(
                  t.label, std::string(kTargetSeriesIds[static_cast<std::size_t>(t.series)]), to_date(t.month), t.value,
                  t.level >= 0 ? py::object(py::int_(t.level)) : py::none(), py::cast(t.programmes), trajectory));
            }
            return out;
          })
      .def_property_readonly("schedule",
                             [](const Scenario& s) {
                               py::list out;
                               for (const auto& c : s.schedule())
                                 out.append(py::make_tuple(to_date(c.month), c.key, to_python(c.value)));
                               return out;
                             })
      .def(
          "get",
          [](const Scenario& s, const std::string& key) {
            return to_python(get_value(s.parameters(), spec_or_key_error(key)));
          },
          py::arg("key"), "The start value of a parameter by dotted key; KeyError if there is no such parameter.")
      .def(
          "parameters",
          [](const Scenario& s) {
            py::dict out;
            for (const auto& spec : parameter_specs())
              out[py::str(std::string(spec.key))] = to_python(get_value(s.parameters(), spec));
            return out;
          },
          "Every parameter's start value, by dotted key, in registry order.")
      .def("to_toml", &io::scenario_to_toml, py::arg("header") = "",
           "A complete TOML text: every parameter, the schedule and the targets.")
      .def("equals", &scenarios_equal, py::arg("other"),
           "Same parameters, schedule (as it takes effect) and targets; the source name and text are not compared.");

  m.def(
      "parse_scenario",
      [](const std::string& text, const std::string& source_name, const std::vector<std::string>& overrides) {
        return with_source(source_name, [&] { return io::parse_scenario(text, source_name, overrides); });
      },
      py::arg("text"), py::arg("source_name"), py::arg("overrides") = std::vector<std::string>{},
      "Parses scenario text over the defaults, then applies 'key=TOML value' overrides (as --set).");
  m.def(
      "load_scenario",
      [](const fs::path& path, const std::vector<std::string>& overrides) {
        return with_source(path.string(), [&] { return io::load_scenario(path, overrides); });
      },
      py::arg("path"), py::arg("overrides") = std::vector<std::string>{}, "Reads and parses a scenario file.");
  m.def(
      "defaults_toml", [] { return std::string(io::defaults_toml()); }, "The engine's defaults (data/defaults.toml).");
  m.def("parameter_specs", &parameter_spec_list, "The parameter registry: one dict per parameter.");
  m.def(
      "suggest_parameters",
      [](const std::string& key) {
        std::vector<std::string> out;
        for (const auto s : suggest_parameters(key)) out.emplace_back(s);
        return out;
      },
      py::arg("key"), "Up to three registered keys closest to `key`.");
  m.def("parameter_reference_markdown", &io::parameter_reference_markdown, "The reference of every parameter.");
  m.def(
      "dimension_labels",
      [] {
        const auto list = [](const auto& ids) { return std::vector<std::string>(ids.begin(), ids.end()); };
        return std::map<std::string, std::vector<std::string>>{
            {"level", list(kLevelIds)},   {"status", list(kStatusIds)}, {"group", list(kGroupIds)},
            {"sector", list(kSectorIds)}, {"sex", list(kSexIds)},       {"age_band", list(kAgeBandIds)}};
      },
      "The engine's fixed dimensions (level, status, group, sector, sex, age_band) and their labels, in order.");

  py::class_<Results>(m, "Results", "Results of a run, in memory (counts in persons).")
      .def_property_readonly("metadata", [](const Results& r) { return metadata_dict(r.metadata); })
      .def_property_readonly("dimensions", &dimension_list)
      .def_property_readonly("variable_names",
                             [](const Results& r) {
                               std::vector<std::string> names;
                               for (const auto& v : r.variables) names.push_back(v.name);
                               return names;
                             })
      .def(
          "variable_info",
          [](const Results& r, const std::string& name) {
            if (!r.has_variable(name)) throw py::key_error("no variable named '" + name + "'");
            const Variable& v = r.variable(name);
            py::dict d;
            d["dims"] = v.dims;
            d["units"] = v.units;
            d["long_name"] = v.long_name;
            return d;
          },
          py::arg("name"))
      .def(
          "data",
          [](const py::object& self, const std::string& name) {
            if (!self.cast<const Results&>().has_variable(name))
              throw py::key_error("no variable named '" + name + "'");
            return variable_view(self, name);
          },
          py::arg("name"), "A read-only NumPy view of a variable's data (no copy; keeps these results alive).")
      .def("save", &io::write_results, py::arg("path"), py::arg("overwrite") = false,
           py::call_guard<py::gil_scoped_release>(), "Writes the results file atomically.")
      .def("describe", &io::describe_results, "What `skillsim info` prints.");

  m.def(
      "load_observations",
      [](const std::string& path) {
        std::vector<io::Observation> rows;
        {
          py::gil_scoped_release release;
          rows = io::load_observations(path);
        }
        py::list out;
        for (const auto& r : rows) {
          py::dict row;
          row["kind"] = std::string(io::indicator_kind_name(r.kind));
          row["indicator"] = r.indicator;
          row["year"] = r.year;
          row["value"] = r.value;
          row["unit"] = r.unit;
          row["qualifier"] = std::string(io::qualifier_name(r.qualifier));
          row["quality"] = r.quality;
          row["source"] = r.source;
          row["note"] = r.note;
          row["line"] = r.line;
          out.append(row);
        }
        return out;
      },
      py::arg("path"), "Reads and validates a data file of published statistics: one dict per row.");
  m.def(
      "indicator_catalogue",
      [] {
        py::list out;
        for (const auto& spec : io::indicator_catalogue()) {
          py::dict row;
          row["indicator"] = std::string(spec.name);
          row["kind"] = std::string(io::indicator_kind_name(spec.kind));
          row["unit"] = std::string(spec.unit);
          row["role"] = std::string(io::indicator_role_name(spec.role));
          row["model_output"] = std::string(spec.model_output);
          row["description"] = std::string(spec.description);
          out.append(row);
        }
        return out;
      },
      "The indicators a data file may hold: one dict each (docs/calibration.md).");
  m.def("read_results", &io::read_results, py::arg("path"), py::call_guard<py::gil_scoped_release>(),
        "Reads a results file written by the engine.");
  py::class_<io::SweepJob>(m, "SweepJob", "A sweep ready to run: its base scenario and the values of every run.")
      .def_property_readonly("runs", [](const io::SweepJob& j) { return j.points.size(); })
      .def_property_readonly("keys",
                             [](const io::SweepJob& j) {
                               std::vector<std::string> keys;
                               for (const auto& axis : j.file.spec.axes) keys.push_back(axis.key);
                               return keys;
                             })
      .def_property_readonly("points",
                             [](const io::SweepJob& j) {
                               const auto axes = static_cast<py::ssize_t>(j.file.spec.axes.size());
                               py::array_t<double> out({static_cast<py::ssize_t>(j.points.size()), axes});
                               auto view = out.mutable_unchecked<2>();
                               for (py::ssize_t k = 0; k < view.shape(0); ++k)
                                 for (py::ssize_t a = 0; a < axes; ++a)
                                   view(k, a) = j.points[static_cast<std::size_t>(k)][static_cast<std::size_t>(a)];
                               return out;
                             })
      .def_property_readonly("design",
                             [](const io::SweepJob& j) {
                               return std::string(kSweepDesignIds[static_cast<std::size_t>(j.file.spec.design)]);
                             })
      .def_property_readonly("base", [](const io::SweepJob& j) { return j.base; })
      .def_property_readonly("base_path", [](const io::SweepJob& j) { return j.base_path; })
      .def_property_readonly("overrides", [](const io::SweepJob& j) { return j.overrides; })
      .def_property_readonly("source_name", [](const io::SweepJob& j) { return j.file.source_name; })
      .def_property_readonly("source_text", [](const io::SweepJob& j) { return j.file.source_text; });
  m.def("load_sweep", &load_sweep, py::arg("path"), py::arg("overrides") = std::vector<std::string>{},
        py::arg("scenario_dirs") = std::vector<fs::path>{}, py::call_guard<py::gil_scoped_release>(),
        "Reads a sweep file, its base (beside it, then in scenario_dirs) and checks its keys.");
  m.def("run_sweep", &run_sweep, py::arg("job"), py::arg("output"), py::arg("overwrite") = false,
        py::arg("resume") = false, py::arg("replicates") = 0, py::arg("seed") = -1, py::arg("threads") = 0,
        py::arg("progress") = py::none(), py::arg("poll_seconds") = 0.1, py::arg("command_line") = "",
        "Runs every run of the sweep into one results file, in a worker thread with the GIL released; "
        "KeyboardInterrupt cancels it (the journal keeps the finished runs).");
  m.def("initial_population", &initial_population, py::arg("scenario"), py::arg("seed"), py::arg("replicate") = 0,
        "The synthesised initial population of one replicate: {column: NumPy array (a copy)}.");
  m.def("transition_rates", &transition_rates, py::arg("scenario"), py::arg("month") = 0,
        "The transition probabilities of month `month` of the run (0: the first), as NumPy arrays.");
  m.def("project", &project, py::arg("scenario"), py::arg("command_line") = "", py::arg("scenario_text") = py::none(),
        py::arg("replicates") = 0, py::arg("threads") = 0, py::arg("progress") = py::none(),
        "The expected-value twin of a scenario (docs/twin.md): results of float64 expectations, one replicate, or "
        "with parameter sets `replicates` (0: the scenario's run.replicates), each under its set, the sets side by "
        "side on `threads` threads (0: all cores), `progress` called with (months projected, months in all). Runs "
        "in a worker thread with the GIL released; KeyboardInterrupt cancels it.");
  m.def("default_threads", &default_threads,
        "The OpenMP threads a run or projection given threads 0 uses (every core, or OMP_NUM_THREADS).");
  m.def("memory_check", &memory_check, py::arg("scenario"), py::arg("replicates"), py::arg("threads") = 0,
        py::arg("override_hint") = "memory_check=False",
        "The run's estimated peak memory against the memory available: {part: bytes, 'available', 'refusal'}.");
  m.def("run", &run, py::arg("scenario"), py::arg("replicates"), py::arg("seed"), py::arg("threads") = 0,
        py::arg("progress") = py::none(), py::arg("poll_seconds") = 0.1, py::arg("command_line") = "",
        py::arg("scenario_text") = py::none(),
        "Runs the scenario in a worker thread with the GIL released; KeyboardInterrupt cancels it.");
}
