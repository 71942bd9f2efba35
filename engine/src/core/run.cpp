#include "skillsim/core/run.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "skillsim/core/dates.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/numbers.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/results_layout.hpp"
#include "skillsim/core/statistics.hpp"
#include "skillsim/core/synthesis.hpp"
#include "skillsim/core/targets.hpp"
#include "skillsim/core/version.hpp"

namespace skillsim {

namespace {

/// Where a run is, to say where memory ran out: setting up the results, synthesising a
/// replicate's population (month 0), or simulating a month.
struct RunPosition {
  enum Phase { kResults, kSynthesis, kMonth, kTargets } phase = kResults;
  std::int64_t replicate = 0; // 0-based
  std::size_t month = 0;
};

std::string out_of_memory_message(const Parameters& p, const RunOptions& options, const RunPosition& at) {
  const std::size_t agents = initial_agent_count(p.population);
  const std::size_t per_agent = Population::bytes_per_agent(agent_columns(p));
  const double gb = static_cast<double>(agents) * static_cast<double>(per_agent) / 1e9;
  char size[32];
  std::snprintf(size, sizeof size, gb >= 10 ? "%.0f" : "%.1f", gb);
  const std::string replicate =
      "replicate " + std::to_string(at.replicate + 1) + " of " + std::to_string(options.replicates);
  const std::string population = thousands(static_cast<std::int64_t>(agents)) + " agents (population.size " +
                                 thousands(std::llround(p.population.size)) + " / population.scale " +
                                 thousands(p.population.scale) + "), about " + size + " GB of columns at " +
                                 std::to_string(per_agent) + " bytes each";
  const std::string advice = "; raise population.scale or run on a machine with more memory";
  switch (at.phase) {
  case RunPosition::kResults:
    return "out of memory while setting up the results of " + std::to_string(options.replicates) + " replicates of " +
           std::to_string(p.scenario.months) + " months; run fewer replicates or fewer months";
  case RunPosition::kSynthesis:
    return "out of memory while synthesising " + replicate + ": " + population + advice;
  case RunPosition::kMonth:
    return "out of memory in month " + std::to_string(at.month) + " of " + std::to_string(p.scenario.months) + " of " +
           replicate + ", with " + population + advice;
  case RunPosition::kTargets:
    break;
  }
  return "out of memory while evaluating the targets and the statistics over replicates; run fewer replicates";
}

} // namespace

int default_threads() { return omp_get_max_threads(); }

RunMetadata run_metadata(const Scenario& scenario, std::int64_t seed, std::int64_t replicates, int threads) {
  RunMetadata m;
  m.scenario_name = scenario.parameters().scenario.name;
  m.scenario_source = scenario.source_name();
  m.scenario_text = scenario.source_text();
  m.seed = seed;
  for (std::int64_t rep = 0; rep < replicates; ++rep) m.replicate_seeds.push_back(rep);
  m.threads = threads;
  m.scale = scenario.parameters().population.scale;
  m.engine_version = kEngineVersion;
  m.git_commit = kGitCommit;
  return m;
}

Results make_results_layout(const Scenario& scenario, std::int64_t replicates) {
  Results r = base_results_layout(scenario, replicates);
  ReplicateState::declare_results(r, scenario.parameters());
  Studios::declare_results(r, scenario);              // by the schedule too: studios may open during the run
  Employers::declare_matching_results(r, scenario);   // matching by level may start by the schedule
  TrainingSystem::declare_place_results(r, scenario); // places may be limited by the schedule
  return r;
}

namespace {

// Months each replicate has simulated before this run (-1: not started), checked.
std::vector<std::int64_t> months_done_before(const RunOptions& options, std::size_t months) {
  const auto replicates = static_cast<std::size_t>(options.replicates);
  if (!options.start) return std::vector<std::int64_t>(replicates, -1);
  const std::vector<std::int64_t>& done = options.start->months_done;
  if (done.size() != replicates)
    throw Error("the saved run has " + std::to_string(done.size()) + " replicates, this run " +
                std::to_string(replicates));
  for (std::size_t r = 0; r < replicates; ++r)
    if (done[r] < -1 || done[r] > static_cast<std::int64_t>(months))
      throw Error("replicate " + std::to_string(r + 1) + " of the saved run is at month " + std::to_string(done[r]) +
                  ", outside this run's " + std::to_string(months) + " months");
  return done;
}

// Copies the results so far into the run's layout: every (replicate, time) point both have. The
// variables the saved run did not declare (`new_variables`, a branch's) stay 0 in its months.
void copy_results_so_far(Results& into, const Results& from, const std::vector<std::string>& new_variables) {
  for (Variable& v : into.variables) {
    if (!from.has_variable(v.name)) {
      if (std::find(new_variables.begin(), new_variables.end(), v.name) != new_variables.end()) continue;
      throw Error("the saved results lack the variable '" + v.name + "'");
    }
    const Variable& saved = from.variable(v.name);
    const std::vector<std::size_t> shape = into.shape(v), saved_shape = from.shape(saved);
    if (v.dims.size() < 2 || v.dims[0] != "replicate" || v.dims[1] != "time")
      throw Error("variable '" + v.name + "' is not over (replicate, time)");
    if (saved.dims != v.dims || saved.is_real != v.is_real ||
        !std::equal(shape.begin() + 2, shape.end(), saved_shape.begin() + 2, saved_shape.end()))
      throw Error("the saved results' variable '" + v.name + "' has another type, dimensions or shape");
    std::size_t inner = 1;
    for (std::size_t axis = 2; axis < shape.size(); ++axis) inner *= shape[axis];
    const std::size_t replicates = std::min(shape[0], saved_shape[0]), times = std::min(shape[1], saved_shape[1]);
    for (std::size_t r = 0; r < replicates; ++r) {
      const std::size_t to = r * shape[1] * inner, from_offset = r * saved_shape[1] * inner;
      if (v.is_real)
        std::copy_n(saved.real_data.begin() + static_cast<std::ptrdiff_t>(from_offset), times * inner,
                    v.real_data.begin() + static_cast<std::ptrdiff_t>(to));
      else
        std::copy_n(saved.data.begin() + static_cast<std::ptrdiff_t>(from_offset), times * inner,
                    v.data.begin() + static_cast<std::ptrdiff_t>(to));
    }
  }
}

// Replicate `rep`: synthesised, or continued from its saved state at month `saved`.
ReplicateState replicate_state(const Scenario& scenario, const RunOptions& options, std::int64_t rep,
                               std::int64_t saved) {
  if (saved < 0)
    return ReplicateState(scenario, static_cast<std::uint64_t>(options.seed), static_cast<std::uint32_t>(rep),
                          options.cancel, options.ranks);
  ReplicateSnapshot snapshot = options.start->snapshot(rep);
  const std::string which = "the saved state of replicate " + std::to_string(rep + 1);
  if (snapshot.replicate != static_cast<std::uint32_t>(rep) ||
      snapshot.seed != static_cast<std::uint64_t>(options.seed))
    throw Error(which + " is that of replicate " + std::to_string(snapshot.replicate + 1) + " of seed " +
                std::to_string(snapshot.seed) + ", not replicate " + std::to_string(rep + 1) + " of seed " +
                std::to_string(options.seed));
  if (snapshot.month != scenario.start() + static_cast<int>(saved))
    throw Error(which + " is of " + iso_date(snapshot.month) + ", not " +
                iso_date(scenario.start() + static_cast<int>(saved)));
  try {
    return ReplicateState(scenario, std::move(snapshot), options.ranks); // the population is taken, not copied
  } catch (const Error& e) {
    throw Error(which + " does not fit the scenario: " + e.what());
  }
}

// The run itself; `at` follows it so that run_scenario can say where memory ran out.
Results simulate(const Scenario& scenario, const RunOptions& options, int threads, RunPosition& at) {
  const Parameters& p = scenario.parameters();
  const auto months = static_cast<std::size_t>(p.scenario.months);
  const std::vector<std::int64_t> done_before = months_done_before(options, months);
  Results results = make_results_layout(scenario, options.replicates);
  if (options.start) copy_results_so_far(results, options.start->results, options.start->new_variables);
  ResultsWriter out(results, months + 1, p.population.scale);

  const std::int64_t total_months = options.replicates * static_cast<std::int64_t>(months);
  const auto every = static_cast<std::size_t>(std::max<std::int64_t>(options.checkpoint_every, 0));
  for (std::int64_t rep = 0; rep < options.replicates; ++rep) {
    const auto r = static_cast<std::size_t>(rep);
    if (done_before[r] == static_cast<std::int64_t>(months)) continue; // finished before this run
    if (options.cancel && options.cancel->load()) throw Cancelled();
    at = {RunPosition::kSynthesis, rep, 0};
    // Its parameter set applied (kept alive here: the state keeps a pointer to its scenario).
    const std::optional<Scenario> with_set =
        scenario.parameter_sets().empty() ? std::nullopt : std::optional<Scenario>(scenario.for_replicate(rep));
    ReplicateState state = replicate_state(with_set ? *with_set : scenario, options, rep, done_before[r]);
    // The stocks at t are counted by the next month's rules pass (ReplicateState::store_results);
    // a checkpoint, and the end of the replicate, count them with a pass of their own.
    std::size_t stocks_stored_at = months + 1; // none
    const auto checkpoint = [&](std::size_t t) {
      if (options.checkpoint && (t == months || (every > 0 && t % every == 0))) {
        state.count_and_store_stocks(out, r, t);
        stocks_stored_at = t;
        options.checkpoint(RunCheckpoint{rep, t, months, results, state});
      }
    };
    std::size_t t = done_before[r] < 0 ? 0 : static_cast<std::size_t>(done_before[r]);
    if (done_before[r] < 0) {
      state.store_results(out, r, 0);
      if (months == 0) checkpoint(0);
    }
    while (t < months) {
      if (options.cancel && options.cancel->load()) throw Cancelled();
      ++t;
      at = {RunPosition::kMonth, rep, t};
      state.step();
      state.store_results(out, r, t);
      if (options.progress)
        options.progress(rep * static_cast<std::int64_t>(months) + static_cast<std::int64_t>(t), total_months);
      checkpoint(t);
    }
    if (stocks_stored_at != months) state.count_and_store_stocks(out, r, months);
  }

  at.phase = RunPosition::kTargets;
  results.metadata = run_metadata(scenario, options.seed, options.replicates, threads);
  add_target_results(results, scenario);
  add_replicate_statistics(results);
  add_parameter_set_results(results, scenario, options.replicates);
  return results;
}

} // namespace

void add_parameter_set_results(Results& results, const Scenario& scenario, std::int64_t replicates) {
  const ParameterSets& sets = scenario.parameter_sets();
  if (sets.empty()) return;
  const auto n = static_cast<std::size_t>(replicates);
  Variable which;
  which.name = "parameter_set";
  which.dims = {"replicate"};
  which.data.assign(n, 0);
  which.units = "1";
  which.long_name = "row of the parameter sets file (0-based) the replicate ran under";
  std::vector<Variable> values;
  for (std::size_t k = 0; k < sets.keys.size(); ++k) {
    const std::string& key = sets.keys[k];
    Variable v;
    v.name = key;
    v.units = std::string(scenario.parameter_set_targets()[k].spec->unit);
    v.dims = {"replicate"};
    v.long_name = "value of " + key + " in the replicate's parameter set";
    v.is_real = true;
    v.real_data.assign(n, 0.0);
    values.push_back(std::move(v));
  }
  for (std::size_t r = 0; r < n; ++r) {
    const auto set = static_cast<std::size_t>(scenario.parameter_set_of(static_cast<std::int64_t>(r)));
    which.data[r] = static_cast<std::int64_t>(set);
    for (std::size_t k = 0; k < values.size(); ++k) values[k].real_data[r] = sets.rows[set][k];
  }
  results.variables.push_back(std::move(which));
  for (auto& v : values) results.variables.push_back(std::move(v));
  results.metadata.attributes["parameter_sets"] = sets.text;
  results.metadata.attributes["parameter_sets_source"] = sets.source;
  // Which of the file's columns were used, when not all (the variables above are only those).
  const auto& columns = scenario.parameters().run.parameter_set_columns;
  if (!columns.empty()) {
    std::string& used = results.metadata.attributes["parameter_set_columns"];
    for (const auto& column : columns) used += (used.empty() ? "" : ",") + column;
  }
}

Results run_scenario(const Scenario& scenario, const RunOptions& options) {
  if (options.replicates < 1) throw Error("replicates must be at least 1, got " + std::to_string(options.replicates));
  if (options.seed < 0) throw Error("seed must be non-negative, got " + std::to_string(options.seed));
  if (split(options.ranks)) {
    for (std::int64_t rep = 0; rep < std::max<std::int64_t>(options.replicates, 1); ++rep)
      if (auto issues = rank_split_refusals(scenario.parameter_sets().empty() ? scenario : scenario.for_replicate(rep));
          !issues.empty())
        throw RankSplitUnsupported(std::move(issues));
  }
  const int previous_threads = omp_get_max_threads();
  if (options.threads > 0) omp_set_num_threads(options.threads);
  struct RestoreThreads {
    int n;
    ~RestoreThreads() { omp_set_num_threads(n); }
  } restore{previous_threads};

  RunPosition at;
  try {
    return simulate(scenario, options, options.threads > 0 ? options.threads : previous_threads, at);
  } catch (const std::bad_alloc&) {
    // A bare "std::bad_alloc" says nothing; this names the phase and the population's size.
    // (Inside an OpenMP parallel region an exception cannot get here: see the CLI's terminate handler.)
    throw OutOfMemory(out_of_memory_message(scenario.parameters(), options, at));
  }
}

std::vector<std::string> branch_new_variables(const Scenario& origin, const Scenario& branch) {
  const Results saved = make_results_layout(origin, 1), mine = make_results_layout(branch, 1);
  std::vector<std::string> names;
  for (const Variable& v : mine.variables)
    if (!saved.has_variable(v.name)) names.push_back(v.name);
  return names;
}

std::vector<std::string> branch_problems(const Scenario& origin, const Scenario& branch, std::int64_t at) {
  const Parameters &o = origin.parameters(), &b = branch.parameters();
  std::vector<std::string> problems;
  if (branch.start() != origin.start())
    problems.push_back("scenario.start is " + iso_date(branch.start()) + ", the saved run's " +
                       iso_date(origin.start()));
  if (b.scenario.months < at)
    problems.push_back("scenario.months is " + std::to_string(b.scenario.months) + ", fewer than the " +
                       std::to_string(at) + " months the saved run simulated");
  if (b.population.scale != o.population.scale)
    problems.push_back("population.scale is " + std::to_string(b.population.scale) + ", the saved run's " +
                       std::to_string(o.population.scale));
  const auto same = [&](const char* key, const std::vector<std::string>& mine, const std::vector<std::string>& saved) {
    if (mine == saved) return;
    const auto list = [](const std::vector<std::string>& names) {
      std::string text;
      for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
      return "[" + text + "]";
    };
    problems.push_back(std::string(key) + " is " + list(mine) + ", the saved run's " + list(saved));
  };
  same("population.regions", b.population.regions, o.population.regions);
  same("programmes.names", b.programmes.names, o.programmes.names);
  same("funds.names", b.funds.names, o.funds.names);
  same("evaluation.evaluators", b.evaluation.evaluators, o.evaluation.evaluators);
  same("competitions.tiers", b.competitions.tiers, o.competitions.tiers);
  same("schools.routes", b.schools.routes, o.schools.routes);
  same("employers.size_classes", b.employers.size_classes, o.employers.size_classes);
  // The optional agent columns (agent_columns) are laid out at the start: the saved population's.
  if (const std::string why = column_mismatch(agent_columns(o), agent_columns(b)); !why.empty())
    problems.push_back(why);
  return problems;
}

} // namespace skillsim
