// skillsim: the command line. `run` simulates a scenario into a results file, `sweep` runs a sweep
// file's runs into one results file, `validate` checks a scenario or sweep file, `pathways` shows the ladder's routes,
// `project` computes the expected-value twin, `info` describes a results file, `schema` prints the parameter reference.
// The options are parsed by CLI11.
#include <unistd.h>

#include <omp.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <new>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "pathways_table.hpp"
#include "progress.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/memory_estimate.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/pathways.hpp"
#include "skillsim/core/ranks.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/twin.hpp"
#include "skillsim/core/version.hpp"
#include "skillsim/io/checkpoint_hdf5.hpp"
#include "skillsim/io/observations.hpp"
#include "skillsim/io/results_hdf5.hpp"
#include "skillsim/io/scenario_toml.hpp"
#include "skillsim/io/sweep_run.hpp"
#include "skillsim/io/system_memory.hpp"
#ifdef SKILLSIM_HAVE_MPI
#include "skillsim/mpi/ranks_mpi.hpp"
#include "skillsim/mpi/sweep_mpi.hpp"
#endif
#include "skillsim/io/sweep_toml.hpp"
#include "summary.hpp"

namespace fs = std::filesystem;
using namespace skillsim;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

constexpr const char* kDefaultScenario = "jincheng_2020_2021";

constexpr const char* kScenarioNote = "SCENARIO is a path, or the name of a bundled scenario (e.g. national_2016)";

std::atomic<bool> g_interrupted{false};
// Signals received so far: a rank of a split run waiting for rank 0 to end the run learns from a
// new one that the launcher is ending it (wait_for_rank0_to_stop).
std::atomic<int> g_signals{0};
static_assert(std::atomic<int>::is_always_lock_free); // safe in a signal handler
extern "C" void on_signal(int) {
  g_interrupted.store(true);
  g_signals.fetch_add(1);
}

// What the command is doing, for the message when memory runs out or something unexpected
// fails ("out of memory while reading the scenario ..."): set before each step.
std::string g_doing = "starting";
// After a checkpoint is written (or when resuming one): how to continue an interrupted run.
std::string g_resume_hint;
// The run's months done and months per replicate (-1 and 0 outside a run), for on_terminate.
std::atomic<std::int64_t> g_months_done{-1};
std::int64_t g_months = 0, g_replicates = 0;

// An exception cannot leave an OpenMP parallel region (the monthly rules, the tallies): it ends
// in std::terminate, not in main's handlers. Say what failed and where, instead of the runtime's
// bare "terminate called after throwing an instance of 'std::bad_alloc'".
[[noreturn]] void on_terminate() {
  // No allocation here: memory may be what ran out.
  char where[160] = "";
  const std::int64_t done = g_months_done.load();
  if (done >= 0 && g_months > 0 && done < g_months * g_replicates) {
    std::snprintf(where, sizeof where, " (month %lld of %lld, replicate %lld of %lld)",
                  static_cast<long long>(done % g_months + 1), static_cast<long long>(g_months),
                  static_cast<long long>(done / g_months + 1), static_cast<long long>(g_replicates));
  }
  const char* doing = g_doing.c_str();
  try {
    if (const std::exception_ptr error = std::current_exception()) std::rethrow_exception(error);
    std::fprintf(stderr, "\nskillsim: aborted while %s%s; this is a bug: please report it\n", doing, where);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr,
                 "\nskillsim: out of memory while %s%s; raise population.scale or run on a machine with more memory\n",
                 doing, where);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "\nskillsim: unexpected error while %s%s (%s); this is a bug: please report it\n", doing,
                 where, e.what());
  } catch (...) {
    std::fprintf(stderr, "\nskillsim: unexpected error while %s%s; this is a bug: please report it\n", doing, where);
  }
  std::_Exit(kExitFailure);
}

fs::path scenario_dir() {
  if (const char* env = std::getenv("SKILLSIM_SCENARIO_DIR")) return env;
  return SKILLSIM_SCENARIO_DIR;
}

/// SCENARIO names neither an existing file nor a bundled scenario (a usage error).
class ScenarioNotFound : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> names;
  std::error_code error;
  for (fs::directory_iterator it(scenario_dir(), error), end; !error && it != end; it.increment(error))
    if (it->path().extension() == ".toml") names.push_back(it->path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

// This process's rank under an MPI launcher (0 without one), from the launcher's environment.
int launched_rank() {
  for (const char* rank : {"OMPI_COMM_WORLD_RANK", "PMI_RANK"})
    if (const char* r = std::getenv(rank)) return std::atoi(r);
  return 0;
}

// The scenario at `path` with the overrides, its notes (what the reader left out, and why) on
// standard error, once under a launcher: a note is not an error, but the user should know what
// did not run.
Scenario load_scenario_noting(const fs::path& path, const std::vector<std::string>& overrides) {
  Scenario scenario = io::load_scenario(path, overrides);
  if (launched_rank() == 0)
    for (const auto& note : scenario.notes()) std::cerr << "skillsim: note: " << path.string() << ": " << note << "\n";
  return scenario;
}

// A path as given, or a bundled scenario by name ("national_2016" or "national_2016.toml").
// Neither: ScenarioNotFound, which for a name lists the bundled scenarios and the nearest one.
fs::path resolve_scenario(const std::string& arg) {
  const fs::path given(arg);
  if (fs::exists(given)) return given;
  const bool is_name = !given.has_parent_path();
  if (is_name) {
    fs::path bundled = scenario_dir() / given;
    if (bundled.extension() != ".toml") bundled += ".toml";
    if (fs::exists(bundled)) return bundled;
  }
  const bool is_path = !is_name || given.extension() == ".toml";
  std::string message = is_path ? "scenario file '" + arg + "' does not exist"
                                : "no scenario named '" + arg + "': neither a file here nor a bundled scenario";
  if (!is_name) throw ScenarioNotFound(message);
  const std::vector<std::string> names = bundled_scenarios();
  const std::string stem = given.extension() == ".toml" ? given.stem().string() : arg;
  const std::string* nearest = nullptr;
  std::size_t best = 0;
  for (const auto& name : names) {
    const std::size_t d = edit_distance(stem, name);
    if (!nearest || d < best) nearest = &name, best = d;
  }
  // Suggest only a name that shares at least half its letters with what was typed.
  if (nearest && best <= std::max(stem.size(), nearest->size()) / 2) message += "; did you mean '" + *nearest + "'?";
  if (!is_path) {
    std::string list;
    for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
    message +=
        names.empty() ? "\n(no bundled scenarios in " + scenario_dir().string() + ")" : "\nbundled scenarios: " + list;
  }
  throw ScenarioNotFound(message);
}

// Accepts a whole decimal integer of at least `min`. CLI11 reports a refusal as
// "--replicates: expects an integer, got 'zero'".
CLI::Validator integer_at_least(std::int64_t min) {
  return CLI::Validator(
      [min](std::string& text) -> std::string {
        const char* first = text.data() + (text.starts_with('+') ? 1 : 0);
        const char* last = text.data() + text.size();
        std::int64_t value = 0;
        const auto [end, error] = std::from_chars(first, last, value);
        if (error == std::errc::result_out_of_range) return "integer out of range, got " + text;
        if (error != std::errc{} || end != last || first == last) return "expects an integer, got '" + text + "'";
        if (value < min) return "must be at least " + std::to_string(min) + ", got " + text;
        return {};
      },
      "");
}

// What the subcommands read; CLI11 fills it.
struct Arguments {
  std::string input; // SCENARIO, or RESULTS for info
  std::vector<std::string> overrides;
  std::optional<std::string> output, at;
  std::optional<std::int64_t> replicates, seed, threads;
  bool force = false, quiet = false, resume_sweep = false, no_memory_check = false, split_agents = false;
  std::optional<std::string> checkpoint, resume, from_checkpoint;
  std::optional<std::int64_t> ranks; // validate: the memory per rank of a run split over ranks
  std::optional<std::int64_t> checkpoint_every;
};

// The combinations of run's options that make no sense, as a usage message (empty if none).
std::string run_usage_problem(const Arguments& a) {
  if (a.resume) {
    if (!a.input.empty())
      return "--resume continues the run saved in the checkpoint, which holds its scenario: give no SCENARIO (to "
             "start a new policy from a finished run, use SCENARIO --from-checkpoint FILE)";
    std::vector<std::string> extra;
    if (!a.overrides.empty()) extra.emplace_back("--set");
    if (a.replicates) extra.emplace_back("--replicates");
    if (a.seed) extra.emplace_back("--seed");
    if (a.checkpoint) extra.emplace_back("--checkpoint");
    if (a.checkpoint_every) extra.emplace_back("--checkpoint-every");
    if (a.from_checkpoint) extra.emplace_back("--from-checkpoint");
    if (!extra.empty())
      return "--resume takes no " + extra.front() +
             ": the checkpoint holds the run (it continues with -o, --threads, --force and --quiet only)";
  }
  if (a.from_checkpoint) {
    if (a.input.empty())
      return "--from-checkpoint needs a SCENARIO: the policy that continues the saved run (with --set)";
    if (a.replicates || a.seed)
      return std::string("--from-checkpoint takes the replicates and the seed of the saved run: give no ") +
             (a.replicates ? "--replicates" : "--seed");
  }
  if (a.checkpoint_every && !a.checkpoint) return "--checkpoint-every needs --checkpoint FILE";
  return {};
}

// The ranks an MPI launcher started (its environment says so), without starting MPI; 1 if none.
int launched_ranks() {
  for (const char* size : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
    if (const char* n = std::getenv(size); n && std::atoi(n) > 1) return std::atoi(n);
  return 1;
}

// Two paths naming the same file (either may not exist yet).
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code error;
  const fs::path x = fs::weakly_canonical(a, error), y = fs::weakly_canonical(b, error);
  return !error && x == y;
}

// What `run` runs: a scenario afresh, a saved run resumed, or a branch of a finished one.
struct RunPlan {
  std::optional<Scenario> scenario;
  fs::path output;
  bool force = false;
  std::int64_t replicates = 1, seed = 1;
  std::optional<RunStart> start;
  std::optional<io::CheckpointWriter> checkpoints;
  std::int64_t checkpoint_every = 0;
  std::int64_t first = 0, skipped = 0; // for the progress bar: months done at the start, months skipped per replicate
};

// The checkpoints of a new run or a branch, if asked for; previous: the checkpoint branched from.
void plan_checkpoints(RunPlan& plan, const Arguments& a, std::int64_t first_month, const std::string& origin) {
  if (!a.checkpoint) return;
  const Scenario& scenario = *plan.scenario;
  io::CheckpointRun run;
  run.scenario_source = scenario.source_name();
  run.scenario_text = scenario.source_text();
  run.overrides = a.overrides;
  run.parameter_sets = scenario.parameter_sets().text;
  run.replicates = plan.replicates;
  run.seed = plan.seed;
  run.months = scenario.parameters().scenario.months;
  run.checkpoint_every = a.checkpoint_every.value_or(0);
  run.first_month = first_month;
  run.origin = origin;
  run.output = plan.output.string();
  run.force = plan.force;
  plan.checkpoint_every = run.checkpoint_every;
  plan.checkpoints.emplace(*a.checkpoint, std::move(run), origin);
}

RunPlan plan_new_run(const Arguments& a) {
  RunPlan plan;
  const fs::path path = resolve_scenario(a.input.empty() ? kDefaultScenario : a.input);
  g_doing = "reading the scenario " + path.string();
  plan.scenario.emplace(load_scenario_noting(path, a.overrides));
  const Parameters& p = plan.scenario->parameters();
  plan.output = a.output ? fs::path(*a.output) : fs::path(p.scenario.name + ".h5");
  plan.force = a.force;
  plan.replicates = a.replicates.value_or(p.run.replicates);
  plan.seed = a.seed.value_or(p.run.seed);
  plan_checkpoints(plan, a, 0, "");
  return plan;
}

RunStart start_from(const fs::path& checkpoint, std::vector<std::int64_t> months_done) {
  g_doing = "reading the results so far from the checkpoint " + checkpoint.string();
  RunStart start;
  start.results = io::read_checkpoint_results(checkpoint);
  start.months_done = std::move(months_done);
  start.snapshot = [checkpoint](std::int64_t replicate) { return io::read_checkpoint_snapshot(checkpoint, replicate); };
  return start;
}

RunPlan plan_resume(const Arguments& a) {
  RunPlan plan;
  const fs::path path = *a.resume;
  g_doing = "reading the checkpoint " + path.string();
  const io::CheckpointInfo info = io::read_checkpoint_info(path);
  io::CheckpointRun run = info.run;
  plan.scenario.emplace(io::parse_scenario_file(run.scenario_text, run.scenario_source, run.overrides));
  // The parameter sets file is read again: it must be the one the run started with.
  if (plan.scenario->parameter_sets().text != run.parameter_sets)
    throw ScenarioError({{run.scenario_source, 0, 0, "run.parameter_sets",
                          "the parameter sets file " + plan.scenario->parameter_sets().source +
                              " has changed since the checkpointed run started: restore it to resume the run"}});
  plan.output = a.output ? fs::path(*a.output) : fs::path(run.output);
  plan.force = a.force || run.force;
  plan.replicates = run.replicates;
  plan.seed = run.seed;
  plan.start = start_from(path, info.months_done);
  plan.first = info.replicate * run.months + info.month;
  plan.skipped = run.first_month;
  // Checkpoints go on to the same file; the other replicates' states are copied from it.
  run.output = plan.output.string();
  run.force = plan.force;
  plan.checkpoint_every = run.checkpoint_every;
  plan.checkpoints.emplace(path, std::move(run), path);
  return plan;
}

// A branch: SCENARIO continues a finished run. Problems are reported as usage errors (exit 2).
class CannotBranch : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

RunPlan plan_branch(const Arguments& a) {
  RunPlan plan;
  const fs::path origin = *a.from_checkpoint;
  g_doing = "reading the checkpoint " + origin.string();
  const io::CheckpointInfo info = io::read_checkpoint_info(origin);
  const std::int64_t at = info.run.months;
  if (!info.finished())
    throw CannotBranch("cannot branch from checkpoint " + origin.string() + ": its run is unfinished (replicate " +
                       std::to_string(info.replicate + 1) + " of " + std::to_string(info.run.replicates) +
                       " at month " + std::to_string(info.month) + " of " + std::to_string(at) +
                       "); finish it first with: skillsim run --resume " + origin.string());
  const fs::path path = resolve_scenario(a.input);
  g_doing = "reading the scenario " + path.string();
  plan.scenario.emplace(load_scenario_noting(path, a.overrides));
  const Scenario saved = io::parse_scenario_file(info.run.scenario_text, info.run.scenario_source, info.run.overrides);
  const std::vector<std::string> problems = branch_problems(saved, *plan.scenario, at);
  if (!problems.empty()) {
    std::string message = path.string() + " cannot continue the run saved in " + origin.string() + " (" +
                          info.run.scenario_source + ", " + std::to_string(at) + " months):";
    for (const auto& problem : problems) message += "\n  " + problem;
    throw CannotBranch(message);
  }
  const Parameters& p = plan.scenario->parameters();
  plan.output = a.output ? fs::path(*a.output) : fs::path(p.scenario.name + ".h5");
  plan.force = a.force;
  plan.replicates = info.run.replicates;
  plan.seed = info.run.seed;
  plan.start = start_from(origin, std::vector<std::int64_t>(static_cast<std::size_t>(info.run.replicates), at));
  // What the saved run did not declare (a mechanism it never had in force) is 0 in its months.
  plan.start->new_variables = branch_new_variables(saved, *plan.scenario);
  plan.first = at;
  plan.skipped = at;
  if (a.checkpoint && same_file(*a.checkpoint, origin))
    throw CannotBranch(
        "--checkpoint " + *a.checkpoint +
        " is the checkpoint branched from: choose another file, so that other branches can start from it");
  plan_checkpoints(plan, a, at, origin.string());
  return plan;
}

void add_overrides(CLI::App& command, Arguments& a) {
  command.add_option("--set", a.overrides, "override a scenario key by its dotted path (repeatable)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false); // one KEY=VALUE per --set, so a SCENARIO after it stays positional
}

// --threads T, with what the threads do in `command` (results never depend on them).
void add_threads(CLI::App& command, Arguments& a, const std::string& what) {
  command.add_option("--threads", a.threads, what + "; results do not depend on it")
      ->type_name("T")
      ->check(integer_at_least(1));
}

// Whether the run's estimated memory fits in what this machine has available; if not, says so
// (needed, available, what to change) unless --no-memory-check, which runs anyway with a warning.
bool memory_fits(const Scenario& scenario, const MemoryEstimate& memory, bool no_check) {
  const std::optional<std::int64_t> available = io::available_memory();
  if (!available || memory.total() <= *available) return true;
  const std::string refusal = memory_refusal(scenario, memory, *available, "--no-memory-check");
  if (no_check) {
    std::cerr << "skillsim: warning (--no-memory-check): " << refusal << "\n";
    return true;
  }
  std::cerr << "skillsim: refused before allocating anything: " << refusal << "\n";
  return false;
}

int report_error(const std::exception_ptr& error, bool in_sweep, std::ostream& err = std::cerr);

#ifdef SKILLSIM_HAVE_MPI
// How long a rank whose part of a split run failed gives rank 0 to end the run (it ends it
// within moments when it meets the same error); only an error of that rank alone waits this long.
constexpr double kSecondsForRank0ToStop = 10;

// Says an error of this rank of a run split over `ranks` ranks, once: rank 0 says it, and another
// rank only if rank 0 did not meet it (something only this rank met, e.g. a file its node does not
// see, or memory running out on its node), after "skillsim: rank R of N:". Returns the error's exit
// status, on every rank.
int report_rank_error(const std::exception_ptr& error, int rank, int ranks, bool rank0_failed) {
  if (rank == 0 || !rank0_failed) {
    if (rank != 0) std::cerr << "skillsim: rank " << rank << " of " << ranks << ":\n";
    return report_error(error, false);
  }
  std::ostream quiet(nullptr); // rank 0 says it
  return report_error(error, false, quiet);
}

// A rank other than 0 whose part of a split run failed: the other ranks may be waiting for it in a
// collective, so the run ends with MPI_Abort. An error that every rank meets (the same parameters,
// the same saved state) rank 0 meets too, and says, and ends the run: this rank gives it `seconds`
// to, and leaves quietly when the launcher signals it (or is killed). Returns if the run goes on:
// the error is this rank's alone, and it is this rank's to say.
void wait_for_rank0_to_stop(int status, double seconds) {
  const int signals = g_signals.load();
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (g_signals.load() != signals) std::_Exit(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}
#endif

// The results file (and checkpoint) of a run can be written: false after saying why.
bool output_ok(const Arguments& a, const RunPlan& plan) {
  const fs::path& output = plan.output;
  g_doing = "checking the results file " + output.string();
  // Refuse early, before spending the run, if the file exists or cannot be written there
  // (write_results checks again).
  if (fs::exists(output) && !plan.force) {
    std::cerr << "skillsim: " << output.string()
              << " exists; use --force to overwrite it or -o to choose another file\n";
    return false;
  }
  // Temporary files of runs killed while writing this file (kill -9, a crash).
  const auto remove_orphans = [](const fs::path& path, const char* what) {
    for (const auto& orphan : io::remove_orphaned_temporaries(path)) {
      std::cerr << "skillsim: removed " << orphan.path.string() << ", an unfinished " << what << " left by process "
                << orphan.pid << ", which is no longer running\n";
    }
  };
  remove_orphans(output, "results file");
  try {
    io::check_results_path(output, plan.force);
  } catch (const ResultsFileError& e) {
    std::cerr << "skillsim: " << e.what() << "; nothing was run\n";
    return false;
  }
  if (plan.checkpoints) {
    const fs::path& checkpoint = plan.checkpoints->path();
    if (same_file(checkpoint, output)) {
      std::cerr << "skillsim: the checkpoint and the results file are both " << output.string()
                << "; choose another file for one of them\n";
      return false;
    }
    g_doing = "checking the checkpoint file " + checkpoint.string();
    remove_orphans(checkpoint, "checkpoint file");
    try {
      io::check_checkpoint_path(checkpoint, a.resume || plan.force);
    } catch (const io::CheckpointError& e) {
      std::cerr << "skillsim: " << e.what() << "; nothing was run\n";
      return false;
    }
    if (a.resume) g_resume_hint = checkpoint.string();
  }

  return true;
}

int command_run(const Arguments& a, const std::string& command_line, int& argc, char**& argv) {
  // Under an MPI launcher, every rank runs this: with --split-agents the ranks split the agents
  // of every replicate (docs/cluster.md, "One run over ranks"); without it, each would run the
  // whole scenario and write the same file, so that is refused.
  // Said by rank 0 alone; every rank exits with the status.
  const int launched = launched_ranks();
  if (launched > 1 && !a.split_agents) {
    if (launched_rank() == 0)
      std::cerr << "skillsim: started by an MPI launcher with " << launched
                << " ranks: each would run the whole scenario and write the same file; add --split-agents to split "
                   "its agents over the ranks (docs/cluster.md), or run it without the launcher\n";
    return kExitUsage;
  }
#ifdef SKILLSIM_HAVE_MPI
  std::optional<mpi::Session> session;
  std::optional<mpi::WorldRanks> world;
  if (a.split_agents && mpi::launched_by_mpi()) {
    session.emplace(argc, argv);
    world.emplace();
  }
  const RankGroup* ranks = world ? &*world : nullptr;
#else
  (void)argc, (void)argv;
  if (launched > 1) {
    if (launched_rank() == 0)
      std::cerr << "skillsim: --split-agents under an MPI launcher, but this skillsim was built without MPI; build "
                   "with MPI (docs/cluster.md) or run it without the launcher\n";
    return kExitUsage;
  }
  const RankGroup* ranks = nullptr;
#endif
  const bool leader = ranks == nullptr || ranks->rank() == 0;
  const int rank_count = ranks == nullptr ? 1 : ranks->size();
  // Every rank reaches each of these with the same answer (the ranks read the same files), except
  // the output checks, which rank 0 alone makes: it tells the others.
  const auto all_ok = [&](bool ok) {
#ifdef SKILLSIM_HAVE_MPI
    if (session) return session->all(ok);
#endif
    return ok;
  };
  // Every rank makes the plan from the same files: if that fails on any rank, every rank stops
  // (with the error's exit status; a rank that did not fail with 1), and the error is said once:
  // by rank 0, or by the ranks that met it if rank 0 did not (report_rank_error).
  const auto make_plan = [&] {
    return a.resume ? plan_resume(a) : a.from_checkpoint ? plan_branch(a) : plan_new_run(a);
  };
  std::optional<RunPlan> made;
  std::exception_ptr plan_error;
  try {
    made.emplace(make_plan());
  } catch (...) {
    plan_error = std::current_exception();
  }
#ifdef SKILLSIM_HAVE_MPI
  if (session && !session->all(!plan_error)) {
    const bool rank0_failed = !session->rank0(!plan_error);
    return plan_error ? report_rank_error(plan_error, ranks->rank(), rank_count, rank0_failed) : kExitFailure;
  }
#endif
  if (plan_error) std::rethrow_exception(plan_error);
  RunPlan& plan = *made;
  const Scenario& scenario = *plan.scenario;
  const Parameters& p = scenario.parameters();
  const fs::path& output = plan.output;
  if (rank_count > 1) {
    if (auto issues = rank_split_refusals(scenario); !issues.empty()) {
      if (leader) std::cerr << "skillsim: " << RankSplitUnsupported(std::move(issues)).what() << "\n";
      return kExitUsage;
    }
  }
  if (!all_ok(!leader || output_ok(a, plan))) return kExitFailure;

  // The memory the run will need, estimated before anything is allocated (memory_estimate.hpp).
  g_doing = "estimating the memory of " + p.scenario.name;
  // Split over ranks, rank 0 (the one that checks) gathers every rank's agents at a checkpoint.
  const MemoryEstimate memory =
      estimate_memory(scenario, plan.replicates, static_cast<int>(a.threads.value_or(omp_get_max_threads())),
                      rank_count, plan.checkpoints.has_value());
  if (!all_ok(!leader || memory_fits(scenario, memory, a.no_memory_check))) return kExitFailure;

  RunOptions run;
  run.replicates = plan.replicates;
  run.seed = plan.seed;
  run.threads = static_cast<int>(a.threads.value_or(0));
  run.cancel = &g_interrupted;
  run.ranks = ranks;
  if (plan.start) {
    if (rank_count > 1) {
      // Each rank reads its share of a saved population (its agent_range, whatever the ranks of
      // the run that wrote it: a checkpoint holds one process's population).
      const fs::path saved = a.resume ? fs::path(*a.resume) : fs::path(*a.from_checkpoint);
      plan.start->snapshot = [saved, rank = ranks->rank(), rank_count](std::int64_t replicate) {
        return io::read_checkpoint_snapshot(saved, replicate, rank, rank_count);
      };
    }
    run.start = &*plan.start;
  }
  if (plan.checkpoints) {
    run.checkpoint_every = plan.checkpoint_every;
    run.checkpoint = [&plan, ranks, rank_count, leader](const RunCheckpoint& at) {
      const auto month = static_cast<std::int64_t>(at.month);
      if (rank_count == 1) {
        plan.checkpoints->write(at.replicate, month, at.results, at.state);
      } else {
        // Split over ranks: every rank's agents gathered on rank 0 in agent order, which writes the
        // checkpoint one process would (the rest of the state and the results are the same on
        // every rank), so that any number of ranks, or one process, continues it.
        ReplicateSnapshot snapshot = at.state.snapshot_without_population();
        snapshot.population = gather_population(at.state.population(), *ranks);
        if (leader) plan.checkpoints->write(at.replicate, month, at.results, snapshot);
      }
      g_resume_hint = plan.checkpoints->path().string();
    };
  }
  cli::ProgressBar bar(p.scenario.name, p.scenario.months, leader && !a.quiet && cli::is_terminal(STDERR_FILENO));
  bar.start_at(plan.first, plan.skipped);
  run.progress = [&bar](std::int64_t done, std::int64_t total) {
    g_months_done.store(done);
    bar.update(done, total);
  };

  g_doing = "simulating " + p.scenario.name;
  g_months = p.scenario.months;
  g_replicates = run.replicates;
  g_months_done.store(plan.first);
  const auto started = std::chrono::steady_clock::now();
  Results results;
  try {
    results = run_scenario(scenario, run);
  } catch (...) {
    if (rank_count == 1) throw;
#ifdef SKILLSIM_HAVE_MPI
    // The other ranks may wait for this one in a collective: end them all, the error said once
    // (rank 0 says one that every rank meets; wait_for_rank0_to_stop).
    const std::exception_ptr error = std::current_exception();
    if (!leader) {
      std::ostream quiet(nullptr);
      wait_for_rank0_to_stop(report_error(error, false, quiet), kSecondsForRank0ToStop);
    }
    mpi::Session::abort(report_rank_error(error, ranks->rank(), rank_count, false));
#endif
  }
  g_months_done.store(-1);
  bar.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Every rank has the same results (summed over the ranks): rank 0 alone writes them.
  if (!leader) return kExitOk;
  results.metadata.created = utc_timestamp();
  results.metadata.command_line = command_line;
  if (rank_count > 1) results.metadata.attributes["mpi_ranks"] = std::to_string(rank_count);
  g_doing = "writing the results file " + output.string();
  io::write_results(results, output, plan.force);

  if (!a.quiet) {
    g_doing = "summarising the results";
    std::cout << cli::summarize(results, scenario);
    std::cout << fmt::format(
        "\nSimulated in {:.2f} s on {} thread(s){}. Results: {}\n", seconds, results.metadata.threads,
        rank_count > 1 ? fmt::format(" x {} MPI ranks (agents split)", rank_count) : "", output.string());
    std::cout << "Memory: estimated " << describe_memory(memory) << "; peak resident "
              << format_bytes(io::peak_resident_memory()) << "\n";
    if (plan.checkpoints && plan.checkpoints->written() > 0)
      std::cout << fmt::format("Checkpoint: {} ({} written, {:.2f} s in all)\n", plan.checkpoints->path().string(),
                               plan.checkpoints->written(), plan.checkpoints->seconds());
  }
  return kExitOk;
}

// The expected-value twin of a scenario (docs/twin.md): no agents, one results file.
int command_project(const Arguments& a, const std::string& command_line) {
  const fs::path path = resolve_scenario(a.input);
  g_doing = "reading the scenario " + path.string();
  const Scenario scenario = load_scenario_noting(path, a.overrides);
  const Parameters& p = scenario.parameters();
  const fs::path output = a.output ? fs::path(*a.output) : fs::path(p.scenario.name + "_twin.h5");
  g_doing = "checking the results file " + output.string();
  for (const auto& orphan : io::remove_orphaned_temporaries(output))
    std::cerr << "skillsim: removed " << orphan.path.string() << ", an unfinished results file left by process "
              << orphan.pid << ", which is no longer running\n";
  try {
    io::check_results_path(output, a.force);
  } catch (const ResultsFileError& e) {
    std::cerr << "skillsim: " << e.what() << "; nothing was projected\n";
    return kExitFailure;
  }
  g_doing = "projecting " + p.scenario.name;
  const auto started = std::chrono::steady_clock::now();
  if (a.replicates && *a.replicates > 1 && scenario.parameter_sets().empty()) {
    std::cerr << "skillsim: --replicates: the twin's replicates are its parameter sets (run.parameter_sets), and "
                 "the scenario declares none: it projects one expectation; nothing was projected\n";
    return kExitUsage;
  }
  cli::ProgressBar bar(p.scenario.name, p.scenario.months, !a.quiet && cli::is_terminal(STDERR_FILENO));
  Results results =
      project_scenario(scenario, a.replicates.value_or(0), static_cast<int>(a.threads.value_or(0)), &g_interrupted,
                       [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); });
  bar.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  results.metadata.created = utc_timestamp();
  results.metadata.command_line = command_line;
  g_doing = "writing the results file " + output.string();
  io::write_results(results, output, a.force);
  if (!a.quiet) {
    g_doing = "summarising the results";
    std::cout << "Expected-value twin (skillsim project): expectations, not a sample; see docs/twin.md.\n";
    if (const auto approximations = results.metadata.attributes.find(kTwinApproximationsAttribute);
        approximations != results.metadata.attributes.end())
      std::cout << "Approximated: " << approximations->second << ".\n";
    std::cout << cli::summarize(results, scenario);
    std::cout << fmt::format("\nProjected in {:.3f} s on {} thread(s). Results: {}\n", seconds,
                             results.metadata.threads, output.string());
  }
  return kExitOk;
}

// A sweep: every run of the design into one results file (see docs/sweeps.md). Started by an
// MPI launcher (mpirun), the runs are spread over the ranks: rank 0 writes and reports.
int command_sweep(const Arguments& a, const std::string& command_line, int& argc, char**& argv) {
  const fs::path path = a.input;
  if (!fs::exists(path)) {
    std::cerr << "skillsim: sweep file '" << a.input << "' does not exist\n";
    return kExitUsage;
  }
#ifdef SKILLSIM_HAVE_MPI
  std::optional<mpi::Session> session;
  if (mpi::launched_by_mpi()) session.emplace(argc, argv);
  const bool leader = !session || session->rank() == 0;
  const bool parallel = session && session->size() > 1;
  const int ranks = session ? session->size() : 1;
#else
  (void)argc, (void)argv;
  for (const char* size : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* n = std::getenv(size); n && std::atoi(n) > 1) {
      std::cerr << "skillsim: started by mpirun, but this skillsim was built without MPI: every rank would run the "
                   "whole sweep; build with MPI (docs/cluster.md) or run it without mpirun\n";
      return kExitUsage;
    }
  }
  const bool leader = true, parallel = false;
  const int ranks = 1;
#endif

  g_doing = "reading the sweep " + path.string();
  std::optional<io::SweepJob> job;
  std::exception_ptr load_error;
  try {
    job.emplace(io::load_sweep(path, a.overrides, {scenario_dir()}));
  } catch (...) {
    load_error = std::current_exception();
  }
#ifdef SKILLSIM_HAVE_MPI
  // Every rank reads the files; if one cannot, all stop (rank 0 says why, or the rank that failed).
  if (parallel && !session->all(!load_error)) {
    if (load_error && (leader || !job)) return leader ? report_error(load_error, false) : kExitUsage;
    return kExitFailure;
  }
#endif
  if (load_error) std::rethrow_exception(load_error);

  io::SweepOptions options;
  options.output = a.output ? fs::path(*a.output) : fs::path(path.stem().string() + ".h5");
  options.overwrite = a.force;
  options.resume = a.resume_sweep;
  options.replicates = a.replicates.value_or(0);
  options.seed = a.seed.value_or(-1);
  options.threads = static_cast<int>(a.threads.value_or(0));
  options.command_line = command_line;
  options.cancel = &g_interrupted;
  cli::ProgressBar bar(path.stem().string(), job->base.parameters().scenario.months,
                       leader && !a.quiet && cli::is_terminal(STDERR_FILENO));
  options.progress = [&bar](const io::SweepProgress& p) {
    bar.update_sweep(p.runs_done, p.runs_total, p.run_fraction, p.runs_failed, p.runs_resumed);
  };

  g_doing = "running the sweep " + path.string();
  const auto started = std::chrono::steady_clock::now();
  io::SweepOutcome outcome;
  try {
#ifdef SKILLSIM_HAVE_MPI
    outcome = session ? mpi::run_sweep(*job, options, *session) : io::run_sweep(*job, options);
#else
    outcome = io::run_sweep(*job, options);
#endif
  } catch (...) {
    if (!parallel) throw;
#ifdef SKILLSIM_HAVE_MPI
    try {
      std::rethrow_exception(std::current_exception());
    } catch (const mpi::FollowerStop&) {
      return kExitFailure; // rank 0 said why
    } catch (...) {
      if (!leader) std::cerr << "skillsim: rank " << session->rank() << " of " << session->size() << ":\n";
      // The other ranks wait for this one: end them all.
      mpi::Session::abort(report_error(std::current_exception(), true));
    }
#endif
  }
  bar.finish();
  if (!leader) return kExitOk;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (outcome.complete_already) {
    std::cout << options.output.string() << " is complete (no journal of an interrupted sweep beside it); nothing "
              << "to resume. Use --force to run the sweep again.\n";
    return kExitOk;
  }
  if (!a.quiet) {
    std::cout << fmt::format("Sweep of {} runs ({}) of {}: {} done", outcome.runs,
                             kSweepDesignIds[static_cast<int>(job->file.spec.design)],
                             job->base.parameters().scenario.name, outcome.runs - outcome.failed);
    if (outcome.resumed > 0) std::cout << fmt::format(" ({} of them before the resume)", outcome.resumed);
    std::cout << fmt::format(", {} failed, in {:.1f} s", outcome.failed, seconds);
    if (parallel) std::cout << fmt::format(" on {} MPI ranks", ranks);
    std::cout << ". Results: " << options.output.string() << "\n";
    if (outcome.failed > 0) std::cout << "The failed runs' messages: skillsim info " << options.output.string() << "\n";
  }
  return outcome.failed > 0 ? kExitFailure : kExitOk;
}

// A sweep file: its own problems, then its base scenario's (with the --set overrides), then its
// varied keys against the base.
int validate_sweep(const fs::path& path, const std::string& text, const Arguments& a) {
  g_doing = "validating the sweep " + path.string();
  std::vector<Diagnostic> diagnostics;
  io::SweepFile sweep;
  try {
    sweep = io::parse_sweep(text, path.string());
  } catch (const ScenarioError& e) {
    diagnostics = e.diagnostics();
  }
  fs::path base;
  if (diagnostics.empty()) {
    // The base: a path relative to the sweep file, or a bundled scenario's name.
    const fs::path beside = path.parent_path() / sweep.base;
    try {
      base = fs::exists(beside) ? beside : resolve_scenario(sweep.base);
    } catch (const ScenarioNotFound& e) {
      throw ScenarioNotFound(path.string() + ": sweep.base: " + e.what());
    }
    diagnostics = io::validate_scenario_file(base, a.overrides);
    if (diagnostics.empty())
      diagnostics = io::check_sweep_keys(sweep, io::load_scenario(base, a.overrides).parameters());
  }
  if (diagnostics.empty()) {
    std::cout << path.string() << ": valid sweep of " << sweep_run_count(sweep.spec) << " runs of " << base.string()
              << "\n";
    return kExitOk;
  }
  for (const auto& d : diagnostics) std::cerr << d.to_string() << "\n";
  std::cerr << problem_count(diagnostics) << "\n";
  return kExitUsage;
}

// A data file of published statistics (docs/calibration.md): every problem, or what it holds.
int validate_data(const fs::path& path) {
  g_doing = "validating the data file " + path.string();
  try {
    const std::vector<io::Observation> rows = io::load_observations(path);
    std::set<std::string> indicators;
    int first = 0, last = 0;
    for (const auto& row : rows) {
      indicators.insert(row.indicator);
      first = first == 0 ? row.year : std::min(first, row.year);
      last = std::max(last, row.year);
    }
    std::cout << path.string() << ": valid data file of " << rows.size() << " figures of " << indicators.size()
              << " indicators";
    if (!rows.empty()) std::cout << ", " << first << "-" << last;
    std::cout << "\n";
    return kExitOk;
  } catch (const io::DataError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << "\n";
    std::cerr << problem_count(e.diagnostics()) << "\n";
    return kExitUsage;
  }
}

int command_validate(const Arguments& a) {
  if (fs::path(a.input).extension() == ".csv") {
    if (!fs::exists(a.input)) {
      std::cerr << "skillsim: data file '" << a.input << "' does not exist\n";
      return kExitUsage;
    }
    return validate_data(a.input);
  }
  const fs::path path = resolve_scenario(a.input);
  if (std::ifstream in{path}) {
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (io::is_sweep_text(text)) return validate_sweep(path, text, a);
  }
  g_doing = "validating the scenario " + path.string();
  const auto diagnostics = io::validate_scenario_file(path, a.overrides);
  if (diagnostics.empty()) {
    std::cout << path.string() << ": valid\n";
    const Scenario scenario = load_scenario_noting(path, a.overrides);
    const int ranks = static_cast<int>(a.ranks.value_or(1));
    const MemoryEstimate memory =
        estimate_memory(scenario, scenario.parameters().run.replicates, omp_get_max_threads(), ranks);
    std::cout << "Memory: " << describe_memory(memory) << " for " << scenario.parameters().run.replicates
              << " replicate(s)" << (ranks > 1 ? fmt::format(", per rank of {} (--split-agents)", ranks) : "") << "\n";
    if (ranks > 1) // rank 0 gathers every rank's agents to write a checkpoint
      std::cout << "Memory on rank 0 with --checkpoint: "
                << describe_memory(estimate_memory(scenario, scenario.parameters().run.replicates,
                                                   omp_get_max_threads(), ranks, true))
                << "\n";
    if (ranks > 1)
      if (auto issues = rank_split_refusals(scenario); !issues.empty())
        std::cout << "Note: " << RankSplitUnsupported(std::move(issues)).what() << "\n";
    return memory_fits(scenario, memory, a.no_memory_check) ? kExitOk : kExitFailure;
  }
  for (const auto& d : diagnostics) std::cerr << d.to_string() << "\n";
  std::cerr << problem_count(diagnostics) << "\n";
  return kExitUsage;
}

int command_pathways(const Arguments& a) {
  const fs::path path = resolve_scenario(a.input);
  g_doing = "analysing the pathways of the scenario " + path.string();
  const Scenario scenario = load_scenario_noting(path, a.overrides);
  Month at = scenario.start();
  try {
    if (a.at) at = cli::pathway_month(scenario, *a.at);
  } catch (const std::invalid_argument& e) {
    std::cerr << "skillsim: --at: " << e.what() << "\n";
    return kExitUsage;
  }
  std::cout << cli::format_pathway_report(analyse_pathways(scenario, at));
  return kExitOk;
}

// "unknown option '--frobnicate' for run" rather than CLI11's "The following argument was not
// expected", and "unknown command" for a first argument that is none.
std::string extras_message(const CLI::App& app, const CLI::App* command) {
  const std::vector<std::string> extras = command ? command->remaining() : app.remaining();
  if (extras.empty()) return "unexpected arguments";
  const std::string& first = extras.front();
  const bool option = first.size() > 1 && first[0] == '-' && !std::isdigit(static_cast<unsigned char>(first[1]));
  if (!command) return (option ? "unknown option '" : "unknown command '") + first + "'";
  return (option ? "unknown option '" : "unexpected argument '") + first + "' for " + command->get_name();
}

// Commands of the Python package's `skillsim` (python/skillsim/_cli.py handles them before it
// runs this binary): reached here, the engine was called directly, so say where they live.
std::optional<std::string> python_command_message(std::string_view command) {
  struct PythonCommand {
    std::string_view name, doc;
  };
  for (const auto& [name, doc] :
       {PythonCommand{"calibrate", "docs/calibration.md"}, PythonCommand{"backtest", "docs/calibration.md"},
        PythonCommand{"compare", "docs/report.md"}, PythonCommand{"report", "docs/report.md"},
        PythonCommand{"plan", "docs/planning.md"}})
    if (command == name) {
      const std::string n(name);
      return "skillsim " + n + " is part of the Python package: install it (pip install . ; see " + std::string(doc) +
             ") and run `skillsim " + n + "` from its environment, or `python -m skillsim " + n + "`";
    }
  return std::nullopt;
}

// A usage error: the message, the command's usage line and where to find more; exit status 2.
// Under an MPI launcher every rank has the same command line: rank 0 alone says it.
int usage_error(const CLI::App& app, const CLI::App* command, const std::string& message) {
  const CLI::App& shown = command ? *command : app;
  const std::string name = command ? "skillsim " + command->get_name() : "skillsim";
  if (launched_rank() == 0)
    std::cerr << "skillsim: " << message << "\n"
              << CLI::Formatter().make_usage(&shown, name) << "Run '" << name << " --help' for more.\n";
  return kExitUsage;
}

int usage_error(const CLI::App& app, const CLI::ParseError& e) {
  const auto commands = app.get_subcommands();
  const CLI::App* command = commands.empty() ? nullptr : commands.front();
  std::string message = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e) || (!command && !app.remaining().empty()))
    message = extras_message(app, command);
  else if (!command)
    message = "a command is required: run, sweep, validate, pathways, project, info or schema";
  return usage_error(app, command, message);
}

// Says what went wrong (every error the commands throw, by kind) on `err` and returns the exit
// status (a rank of a split run whose error rank 0 says passes a stream that writes nothing).
int report_error(const std::exception_ptr& error, bool in_sweep, std::ostream& err) {
  try {
    std::rethrow_exception(error);
  } catch (const ScenarioNotFound& e) {
    err << "skillsim: " << e.what() << "\n";
    return kExitUsage;
  } catch (const ScenarioError& e) {
    for (const auto& d : e.diagnostics()) err << d.to_string() << "\n";
    err << "skillsim: the scenario is invalid (" << problem_count(e.diagnostics()) << "); nothing was run\n";
    return kExitUsage;
  } catch (const TwinUnsupported& e) {
    err << "skillsim: " << e.what() << "\nskillsim: nothing was projected\n";
    return kExitUsage;
  } catch (const CannotBranch& e) {
    err << "skillsim: " << e.what() << "\n";
    return kExitUsage;
  } catch (const Cancelled&) {
    err << "\nskillsim: interrupted; no results file was written"
        << (in_sweep ? " (the finished runs are in the journal: run again with --resume)" : "") << "\n";
    if (!g_resume_hint.empty())
      err << "skillsim: the checkpoint " << g_resume_hint
          << " holds the run so far; continue it with: skillsim run --resume " << g_resume_hint << "\n";
    return kExitInterrupted;
  } catch (const io::CheckpointError& e) {
    err << "skillsim: " << e.what() << "\n";
    // A checkpoint that could not be written (a full disk): the last one written is intact.
    if (!g_resume_hint.empty() && g_months_done.load() >= 0)
      err << "skillsim: the checkpoint " << g_resume_hint
          << " holds the run up to its last save; continue it with: skillsim run --resume " << g_resume_hint << "\n";
    return kExitFailure;
  } catch (const Error& e) { // skillsim's own errors (results files, out of memory in a run) say what and where
    err << "skillsim: " << e.what() << "\n";
    return kExitFailure;
  } catch (const std::bad_alloc&) { // never the bare "std::bad_alloc"
    err << "skillsim: out of memory while " << g_doing << "; close other programs or use a machine with more memory\n";
    return kExitFailure;
  } catch (const fs::filesystem_error& e) { // e.g. a directory on the way that may not be read
    err << "skillsim: " << e.what() << " (while " << g_doing << ")\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    err << "skillsim: unexpected error while " << g_doing << " (" << e.what()
        << "); this is a bug: please report it with the command line\n";
    return kExitFailure;
  }
}

} // namespace

int main(int argc, char** argv) {
  std::string command_line = "skillsim";
  for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::set_terminate(on_terminate);

  CLI::App app("skillsim: simulates vocational-training policy scenarios", "skillsim");
  app.set_help_flag("-h,--help", "print this help and exit"); // the commands inherit it
  app.set_version_flag("--version", fmt::format("skillsim {} ({})", kEngineVersion, kGitCommit),
                       "print the engine version and exit");
  app.require_subcommand(1);
  Arguments a;
  const std::string default_note =
      std::string("; without one,\nrun uses the bundled default, ") + kDefaultScenario + ".";

  CLI::App* run = app.add_subcommand("run", "simulate a scenario and write a results file");
  run->add_option("SCENARIO", a.input, "scenario file or bundled name (default: jincheng_2020_2021)")->type_name("");
  run->add_option("-o,--output", a.output, "results file (default: <scenario name>.h5)")->type_name("FILE");
  run->add_option("--replicates", a.replicates, "number of replicates (default: the scenario's run.replicates)")
      ->type_name("N")
      ->check(integer_at_least(1));
  run->add_option("--seed", a.seed, "base seed (default: the scenario's run.seed)")
      ->type_name("S")
      ->check(integer_at_least(0));
  add_threads(*run, a, "OpenMP threads (default: all cores)");
  add_overrides(*run, a);
  run->add_option("--checkpoint", a.checkpoint,
                  "save the whole state to FILE after each replicate, to resume or branch")
      ->type_name("FILE");
  run->add_option("--checkpoint-every", a.checkpoint_every, "with --checkpoint: save also every M months")
      ->type_name("M")
      ->check(integer_at_least(1));
  run->add_option("--resume", a.resume, "continue the run saved in the checkpoint FILE (give no SCENARIO)")
      ->type_name("FILE");
  run->add_option("--from-checkpoint", a.from_checkpoint,
                  "continue the finished run in FILE under SCENARIO and its --set")
      ->type_name("FILE");
  run->add_flag("--force", a.force, "overwrite an existing results (or checkpoint) file");
  run->add_flag("--quiet", a.quiet, "no progress bar and no summary");
  run->add_flag("--no-memory-check", a.no_memory_check,
                "run even when the memory estimate exceeds the memory available (docs/architecture.md, \"Memory\")");
  run->add_flag("--split-agents", a.split_agents,
                "under mpirun: split each replicate's agents over the ranks (results identical to one process; "
                "docs/cluster.md)");
  run->footer(std::string(kScenarioNote) + default_note +
              "\nCheckpoints and branches (docs/checkpoints.md):\n"
              "  skillsim run SCENARIO --checkpoint FILE [--checkpoint-every M]\n"
              "  skillsim run --resume FILE [-o OUT] [--threads T]\n"
              "  skillsim run SCENARIO --from-checkpoint FILE [--set KEY=VALUE ...]");

  CLI::App* sweep = app.add_subcommand("sweep", "run every run of a sweep file into one results file");
  sweep->add_option("SWEEP", a.input, "sweep file (see docs/sweeps.md)")->type_name("")->required();
  sweep->add_option("-o,--output", a.output, "results file (default: <sweep file name>.h5)")->type_name("FILE");
  sweep->add_option("--replicates", a.replicates, "replicates of every run (default: the base's run.replicates)")
      ->type_name("N")
      ->check(integer_at_least(1));
  sweep->add_option("--seed", a.seed, "base seed of every run (default: the base's run.seed)")
      ->type_name("S")
      ->check(integer_at_least(0));
  add_threads(*sweep, a, "OpenMP threads per run (default: all cores, shared by the ranks on a node under mpirun)");
  add_overrides(*sweep, a);
  sweep->add_flag("--resume", a.resume_sweep, "continue an interrupted sweep from its journal (FILE.journal)");
  sweep->add_flag("--force", a.force, "overwrite an existing results file");
  sweep->add_flag("--quiet", a.quiet, "no progress bar and no summary");
  sweep->footer("--set applies to the base scenario. Every run uses the same seed: replicate r of every run draws\n"
                "the same random numbers, so differences between runs are the policy's, not noise.\n"
                "Exit status 1 if a run failed (the others are in the file).");

  CLI::App* validate = app.add_subcommand("validate", "report every problem in a scenario, sweep or data file (.csv)");
  validate->add_option("SCENARIO", a.input, "scenario file or bundled name, sweep file, or data file (.csv)")
      ->type_name("")
      ->required();
  add_overrides(*validate, a);
  validate->add_flag("--no-memory-check", a.no_memory_check,
                     "do not fail when the memory estimate exceeds the memory available");
  validate
      ->add_option("--ranks", a.ranks,
                   "the memory per rank of a run split over N MPI ranks (--split-agents; docs/cluster.md)")
      ->type_name("N")
      ->check(integer_at_least(1));
  validate->footer(std::string(kScenarioNote) + ".");

  CLI::App* pathways =
      app.add_subcommand("pathways", "fastest route up to each level and its expected months, for an employed worker");
  pathways->add_option("SCENARIO", a.input, "scenario file or bundled name")->type_name("")->required();
  pathways->add_option("--at", a.at, "under the parameters in force on DATE (default: the start)")->type_name("DATE");
  add_overrides(*pathways, a);
  pathways->footer(std::string(kScenarioNote) + ".\nThe months are a planning figure: see docs/pathways.md.");

  CLI::App* info = app.add_subcommand("info", "describe a results file (scenario, seeds, version, dimensions, "
                                              "variables) or a checkpoint");
  info->add_option("RESULTS", a.input, "results file (or checkpoint) written by run")->type_name("")->required();

  CLI::App* project = app.add_subcommand(
      "project", "expected trajectory of every stock and flow, without sampling agents (the expected-value twin)");
  project->add_option("SCENARIO", a.input, "scenario file or bundled name")->type_name("")->required();
  project->add_option("-o,--output", a.output, "results file (default: <scenario name>_twin.h5)")->type_name("FILE");
  add_overrides(*project, a);
  project
      ->add_option("--replicates", a.replicates,
                   "with parameter sets: replicates, each projected under its set (default: the scenario's "
                   "run.replicates)")
      ->type_name("N")
      ->check(integer_at_least(1));
  add_threads(*project, a,
              "OpenMP threads: with parameter sets, the sets projected side by side, one a thread (default: all "
              "cores)");
  project->add_flag("--force", a.force, "overwrite an existing results file");
  project->add_flag("--quiet", a.quiet, "no progress bar and no summary");
  project->footer(
      std::string(kScenarioNote) +
      ".\nThe results file has the variables of `run`, every count a float64 expectation, and the\n"
      "attribute skillsim_twin = 1: one replicate, or with parameter sets (run.parameter_sets) one per\n"
      "replicate, replicate r projected under set r modulo the sets as `run` runs it. Programmes and\n"
      "their substitutes, funds, evaluation capacity, competitions, group time limits, technical schools,\n"
      "master studios, age limits, regions' own rules and migration are projected (expected demand\n"
      "against seats, money and places); scenarios with factors by age band, programmes asking for\n"
      "different age limits (or substitutes asking for other ages than their programme), employer\n"
      "matching, posts and places, or a state too large, are refused (exit status 2), naming every key: see\n"
      "docs/twin.md, \"What the twin refuses\".");

  CLI::App* schema = app.add_subcommand("schema", "print the reference of every scenario parameter (Markdown)");

  app.footer(std::string("\n") + kScenarioNote + default_note + " Each command has its own --help.\n" +
             "calibrate, backtest, compare, report and plan are commands of the Python package's skillsim "
             "(docs/calibration.md, docs/report.md, docs/planning.md).\n" +
             "Exit status: 0 success, 1 failure, 2 usage error or invalid scenario, 130 interrupted.");

  if (argc >= 2) {
    if (const auto message = python_command_message(argv[1])) {
      std::cerr << *message << "\n";
      return kExitUsage;
    }
  }
  if (argc == 1) { // no command: the help, as a usage error
    std::cout << app.help();
    return kExitUsage;
  }
  if (argc == 2 && std::string(argv[1]) == "help") {
    std::cout << app.help();
    return kExitOk;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) { // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(app, e);
  }

  if (run->parsed()) {
    if (const std::string problem = run_usage_problem(a); !problem.empty()) return usage_error(app, run, problem);
  }
  try {
    if (run->parsed()) return command_run(a, command_line, argc, argv);
    if (sweep->parsed()) return command_sweep(a, command_line, argc, argv);
    if (validate->parsed()) return command_validate(a);
    if (pathways->parsed()) return command_pathways(a);
    if (project->parsed()) return command_project(a, command_line);
    if (info->parsed()) {
      if (io::is_checkpoint_file(a.input)) {
        g_doing = "reading the checkpoint " + a.input;
        std::cout << io::describe_checkpoint(io::read_checkpoint_info(a.input));
        return kExitOk;
      }
      g_doing = "reading the results file " + a.input;
      std::cout << io::describe_results(io::read_results(a.input));
      return kExitOk;
    }
    if (schema->parsed()) {
      g_doing = "printing the parameter reference";
      std::cout << io::parameter_reference_markdown();
    }
    return kExitOk;
  } catch (...) {
    return report_error(std::current_exception(), sweep->parsed());
  }
}
