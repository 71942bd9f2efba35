#include "skillsim/io/sweep_run.hpp"

#include <omp.h>

#include <charconv>
#include <chrono>
#include <fstream>
#include <iterator>
#include <new>
#include <optional>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/core/version.hpp"
#include "skillsim/io/results_hdf5.hpp"
#include "skillsim/io/scenario_toml.hpp"
#include "sweep_driver.hpp"
#include "sweep_journal.hpp"

namespace skillsim::io {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read the sweep file '" + path.string() + "'");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The base: beside the sweep file, else a bundled scenario (NAME or NAME.toml).
std::optional<fs::path> find_base(const fs::path& sweep_path, const std::string& base,
                                  const std::vector<fs::path>& scenario_dirs) {
  std::error_code error;
  const fs::path beside = sweep_path.parent_path() / base;
  if (fs::is_regular_file(beside, error)) return beside;
  if (fs::path(base).has_parent_path()) return std::nullopt;
  for (const fs::path& dir : scenario_dirs) {
    fs::path bundled = dir / base;
    if (bundled.extension() != ".toml") bundled += ".toml";
    if (fs::is_regular_file(bundled, error)) return bundled;
  }
  return std::nullopt;
}

/// A value as short as it reads back exactly ("1.5", "52000000").
std::string shortest(double value) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

} // namespace

SweepJob load_sweep(const fs::path& path, const std::vector<std::string>& overrides,
                    const std::vector<fs::path>& scenario_dirs) {
  SweepFile file = parse_sweep(read_text(path), path.string());
  const auto base = find_base(path, file.base, scenario_dirs);
  if (!base) {
    std::string where;
    for (const auto& dir : scenario_dirs) where += (where.empty() ? "" : ", ") + dir.string();
    throw Error(path.string() + ": sweep.base: '" + file.base + "' is neither a file beside the sweep file" +
                (fs::path(file.base).has_parent_path() ? "" : " nor a bundled scenario (in " + where + ")"));
  }
  Scenario scenario = load_scenario(*base, overrides);
  auto problems = check_sweep_keys(file, scenario.parameters());
  // A key both varied and in the base's parameter sets: the sets would override the sweep's value.
  for (std::size_t a = 0; a < file.spec.axes.size(); ++a) {
    const auto varied = resolve_sweep_key(scenario.parameters(), file.spec.axes[a].key);
    const auto* target = std::get_if<SweepTarget>(&varied);
    for (const auto& key : scenario.parameter_sets().keys) {
      const auto in_sets = resolve_sweep_key(scenario.parameters(), key);
      const auto* set_target = std::get_if<SweepTarget>(&in_sets);
      if (target && set_target && target->spec == set_target->spec &&
          (!target->element || !set_target->element || target->element == set_target->element)) {
        Diagnostic d = file.axis_positions.at(a);
        d.key = "vary." + file.spec.axes[a].key;
        d.message = "is also in the base's parameter sets (" + scenario.parameter_sets().source + ", column " + key +
                    "), which would override the sweep's value in every replicate; vary it in one place";
        problems.push_back(std::move(d));
      }
    }
  }
  if (!problems.empty()) throw ScenarioError(problems);
  auto points = sweep_points(file.spec);
  return SweepJob{std::move(file), *base, overrides, std::move(scenario), std::move(points)};
}

Scenario sweep_run_scenario(const SweepJob& job, std::size_t k) {
  Parameters p = job.base.parameters();
  const auto& axes = job.file.spec.axes;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    // Resolved before (load_sweep checked every key), so this cannot fail on the key.
    const auto target = std::get<SweepTarget>(resolve_sweep_key(p, axes[a].key));
    apply_sweep_value(p, target, job.points.at(k).at(a));
  }
  // The base's parameter sets (if any) go with every run: replicate r of each run under set r.
  return Scenario::make(std::move(p), job.base.schedule(), job.base.targets(), job.base.source_name(),
                        job.base.source_text(), job.base.parameter_sets());
}

// ---------------------------------------------------------------------------------------------
// The driver's pieces (sweep_driver.hpp)

SweepSettings sweep_settings(const SweepJob& job, const SweepOptions& options) {
  SweepSettings s;
  const Parameters& p = job.base.parameters();
  s.runs = static_cast<std::int64_t>(job.points.size());
  s.replicates = options.replicates > 0 ? options.replicates : p.run.replicates;
  s.seed = options.seed >= 0 ? options.seed : p.run.seed;
  s.journal = options.output;
  s.journal += ".journal";
  // Everything that decides the runs' numbers: a journal of another sweep is refused.
  std::string identity = std::string(kEngineVersion) + '\0' + kGitCommit + '\0' + job.file.source_text + '\0' +
                         job.base.source_text() + '\0' + std::to_string(s.replicates) + '\0' + std::to_string(s.seed);
  for (const auto& o : job.overrides) identity += '\0' + o;
  identity += '\0' + job.base.parameter_sets().text; // a changed sets file changes the runs
  s.fingerprint = fnv1a64(identity);
  return s;
}

std::string run_sweep_point(const SweepJob& job, const SweepSettings& settings, std::int64_t k, int threads,
                            const std::function<void(double)>& progress, const std::atomic<bool>* cancel) {
  std::string failure;
  try {
    const Scenario scenario = sweep_run_scenario(job, static_cast<std::size_t>(k));
    RunOptions run;
    run.replicates = settings.replicates;
    run.seed = settings.seed; // the same seed for every run: common random numbers
    run.threads = threads;
    run.cancel = cancel;
    if (progress) {
      run.progress = [&](std::int64_t done, std::int64_t total) {
        progress(static_cast<double>(done) / static_cast<double>(total));
      };
    }
    const Results results = run_scenario(scenario, run);
    return encode_run_record(k, &results, {});
  } catch (const Cancelled&) {
    throw;
  } catch (const ScenarioError& e) {
    // The run's values were refused: say which values, and what the checks say.
    std::string values;
    const auto& axes = job.file.spec.axes;
    for (std::size_t a = 0; a < axes.size(); ++a)
      values += (values.empty() ? "" : ", ") + axes[a].key + " = " + shortest(job.points.at(k).at(a));
    failure = "its values (" + values + ") are refused: ";
    for (std::size_t i = 0; i < e.diagnostics().size(); ++i) {
      const Diagnostic& d = e.diagnostics()[i];
      failure += (i ? "; " : "") + (d.key.empty() ? "" : d.key + ": ") + d.message;
    }
  } catch (const Error& e) {
    failure = e.what();
  } catch (const std::bad_alloc&) {
    failure = "out of memory";
  }
  return encode_run_record(k, nullptr, failure);
}

bool check_sweep_output(const SweepSettings& settings, const SweepOptions& options) {
  const auto records = SweepJournal::records_in(settings.journal);
  std::error_code error;
  if (!records && options.resume && !options.overwrite && fs::exists(options.output, error)) return true;
  if (records && !options.resume)
    throw ResultsFileError("a sweep into '" + options.output.string() + "' was interrupted: its journal '" +
                           settings.journal.string() + "' holds " + std::to_string(*records) + " of " +
                           std::to_string(settings.runs) +
                           " runs; add --resume to continue it, or remove the journal to start afresh");
  // Resuming, the file may exist already (a sweep killed after writing it, before removing the
  // journal): the journal's sweep owns it.
  if (!records) check_results_path(options.output, options.overwrite);
  // Temporary files of sweeps killed while writing this file.
  (void)remove_orphaned_temporaries(options.output);
  return false;
}

void assemble_sweep_results(const SweepJob& job, const SweepSettings& settings, const SweepOptions& options,
                            const SweepJournal& journal, RunMetadata metadata) {
  // The layout: the first run that did not fail (all runs have the same).
  Results layout;
  for (std::int64_t k = 0; k < settings.runs; ++k) {
    RunRecord record = journal.read(k);
    if (record.results) {
      layout = std::move(*record.results);
      break;
    }
  }
  layout.metadata = std::move(metadata);
  std::vector<SweepCoordinate> coordinates;
  for (std::size_t a = 0; a < job.file.spec.axes.size(); ++a) {
    SweepCoordinate c{job.file.spec.axes[a].key, {}};
    for (const auto& point : job.points) c.values.push_back(point[a]);
    coordinates.push_back(std::move(c));
  }
  SweepResultsWriter writer(layout, std::move(coordinates), static_cast<std::size_t>(settings.runs), options.output,
                            true);
  for (std::int64_t k = 0; k < settings.runs; ++k) {
    if (options.cancel && options.cancel->load()) throw Cancelled();
    const RunRecord record = journal.read(k);
    if (record.results)
      writer.write_run(static_cast<std::size_t>(k), *record.results);
    else
      writer.write_failure(static_cast<std::size_t>(k), record.failure);
  }
  writer.commit();
}

RunMetadata sweep_metadata(const SweepJob& job, const SweepSettings& settings, const SweepOptions& options, int threads,
                           int ranks) {
  RunMetadata m = run_metadata(job.base, settings.seed, settings.replicates, threads);
  m.created = utc_timestamp();
  m.command_line = options.command_line;
  m.attributes["sweep"] = job.file.source_text;
  m.attributes["sweep_source"] = job.file.source_name;
  m.attributes["sweep_design"] = std::string(kSweepDesignIds[static_cast<int>(job.file.spec.design)]);
  std::string overrides;
  for (const auto& o : job.overrides) overrides += (overrides.empty() ? "" : "\n") + o;
  m.attributes["overrides"] = overrides;
  m.attributes["mpi_ranks"] = std::to_string(ranks);
  return m;
}

// ---------------------------------------------------------------------------------------------

SweepOutcome run_sweep(const SweepJob& job, const SweepOptions& options) {
  const SweepSettings settings = sweep_settings(job, options);
  if (check_sweep_output(settings, options)) return {settings.runs, 0, settings.runs, options.output, true};
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();

  SweepJournal journal(settings.journal, settings.fingerprint, settings.runs);
  SweepOutcome outcome{settings.runs, 0, journal.size(), options.output, false};
  SweepProgress progress{journal.size(), settings.runs, journal.failed(), journal.size(), 0};
  if (options.progress) options.progress(progress);
  for (std::int64_t k = 0; k < settings.runs; ++k) {
    if (journal.has(k)) continue;
    if (options.cancel && options.cancel->load()) throw Cancelled();
    const std::string record = run_sweep_point(
        job, settings, k, threads,
        [&](double fraction) {
          progress.run_fraction = fraction;
          if (options.progress) options.progress(progress);
        },
        options.cancel);
    journal.append(k, record);
    progress.runs_done = journal.size();
    progress.runs_failed = journal.failed();
    progress.run_fraction = 0;
    if (options.progress) options.progress(progress);
  }
  assemble_sweep_results(job, settings, options, journal, sweep_metadata(job, settings, options, threads, 1));
  outcome.failed = journal.failed();
  journal.remove();
  return outcome;
}

} // namespace skillsim::io
