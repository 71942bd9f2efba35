// skillsim: the command line. `run` simulates a scenario into a results file, `validate` checks
// a scenario file, `info` describes a results file, `schema` prints the parameter reference.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "progress.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/pathways.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/version.hpp"
#include "skillsim/io/results_hdf5.hpp"
#include "skillsim/io/scenario_toml.hpp"
#include "summary.hpp"

namespace fs = std::filesystem;
using namespace skillsim;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

constexpr const char* kUsage = R"(usage: skillsim <command> [options]

commands:
  run [SCENARIO] [options]   simulate a scenario and write a results file
      -o, --output FILE      results file (default: <scenario name>.h5)
      --replicates N         number of replicates (default: the scenario's run.replicates)
      --seed S               base seed (default: the scenario's run.seed)
      --threads T            OpenMP threads (default: all cores); results do not depend on it
      --set KEY=VALUE        override a scenario key by its dotted path (repeatable)
      --force                overwrite an existing results file
      --quiet                no progress bar and no summary
  validate SCENARIO [--set KEY=VALUE]...
                             report every problem in a scenario file
  pathways SCENARIO [--set KEY=VALUE]...
                             the ladder's routes: fastest route to each level and its expected
                             months for an employed worker (docs/pathways.md)
  info RESULTS               describe a results file (scenario, seeds, version, dimensions, variables)
  schema                     print the reference of every scenario parameter (Markdown)
  --version                  print the engine version

SCENARIO is a path, or the name of a bundled scenario (e.g. national_2016); without one, run
uses the bundled default, jincheng_2020_2021.
)";

std::atomic<bool> g_interrupted{false};
extern "C" void on_signal(int) { g_interrupted.store(true); }

struct UsageError {
  std::string message;
};

fs::path scenario_dir() {
  if (const char* env = std::getenv("SKILLSIM_SCENARIO_DIR")) return env;
  return SKILLSIM_SCENARIO_DIR;
}

// A path as given, or a bundled scenario by name ("national_2016" or "national_2016.toml").
fs::path resolve_scenario(const std::string& arg) {
  const fs::path given(arg);
  if (fs::exists(given) || given.has_parent_path()) return given;
  fs::path bundled = scenario_dir() / given;
  if (bundled.extension() != ".toml") bundled += ".toml";
  return fs::exists(bundled) ? bundled : given;
}

std::int64_t parse_integer(const std::string& option, const std::string& text, std::int64_t min) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty()) throw UsageError{option + " expects an integer, got '" + text + "'"};
  if (value < min) throw UsageError{option + " must be at least " + std::to_string(min) + ", got " + text};
  return value;
}

struct Options {
  std::vector<std::string> positional;
  std::optional<std::string> output;
  std::optional<std::int64_t> replicates, seed, threads;
  std::vector<std::string> overrides;
  bool force = false, quiet = false;
};

Options parse_options(const std::vector<std::string>& args, bool run_options) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw UsageError{a + " needs a value"};
      return args[++i];
    };
    if (a == "--set") {
      o.overrides.push_back(value());
    } else if (a.rfind("--set=", 0) == 0) {
      o.overrides.push_back(a.substr(6));
    } else if (run_options && (a == "-o" || a == "--output")) {
      o.output = value();
    } else if (run_options && a == "--replicates") {
      o.replicates = parse_integer(a, value(), 1);
    } else if (run_options && a == "--seed") {
      o.seed = parse_integer(a, value(), 0);
    } else if (run_options && a == "--threads") {
      o.threads = parse_integer(a, value(), 1);
    } else if (run_options && a == "--force") {
      o.force = true;
    } else if (run_options && a == "--quiet") {
      o.quiet = true;
    } else if (a.size() > 1 && a[0] == '-') {
      throw UsageError{"unknown option '" + a + "'"};
    } else {
      o.positional.push_back(a);
    }
  }
  return o;
}

int command_run(const std::vector<std::string>& args, const std::string& command_line) {
  const Options o = parse_options(args, true);
  if (o.positional.size() > 1)
    throw UsageError{"run takes at most one scenario, got " + std::to_string(o.positional.size())};
  const fs::path path = resolve_scenario(o.positional.empty() ? "jincheng_2020_2021" : o.positional[0]);
  const Scenario scenario = io::load_scenario(path, o.overrides);
  const Parameters& p = scenario.parameters();

  const fs::path output = o.output ? fs::path(*o.output) : fs::path(p.scenario.name + ".h5");
  // Refuse early, before spending the run, if the file exists (write_results checks again).
  if (fs::exists(output) && !o.force) {
    std::cerr << "skillsim: " << output.string()
              << " exists; use --force to overwrite it or -o to choose another file\n";
    return kExitFailure;
  }

  RunOptions run;
  run.replicates = o.replicates.value_or(p.run.replicates);
  run.seed = o.seed.value_or(p.run.seed);
  run.threads = static_cast<int>(o.threads.value_or(0));
  run.cancel = &g_interrupted;
  cli::ProgressBar bar(p.scenario.name, !o.quiet && cli::is_terminal(STDERR_FILENO));
  run.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };

  const auto started = std::chrono::steady_clock::now();
  Results results = run_scenario(scenario, run);
  bar.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  results.metadata.created = utc_timestamp();
  results.metadata.command_line = command_line;
  io::write_results(results, output, o.force);

  if (!o.quiet) {
    std::cout << cli::summarize(results, scenario);
    char timing[128];
    std::snprintf(timing, sizeof timing, "\nSimulated in %.2f s on %lld thread(s). ", seconds,
                  static_cast<long long>(results.metadata.threads));
    std::cout << timing << "Results: " << output.string() << "\n";
  }
  return kExitOk;
}

int command_validate(const std::vector<std::string>& args) {
  const Options o = parse_options(args, false);
  if (o.positional.size() != 1) throw UsageError{"validate takes exactly one scenario file"};
  const fs::path path = resolve_scenario(o.positional[0]);
  const auto diagnostics = io::validate_scenario_file(path, o.overrides);
  if (diagnostics.empty()) {
    std::cout << path.string() << ": valid\n";
    return kExitOk;
  }
  for (const auto& d : diagnostics) std::cerr << d.to_string() << "\n";
  std::cerr << diagnostics.size() << (diagnostics.size() == 1 ? " problem" : " problems") << " in " << path.string()
            << "\n";
  return kExitUsage;
}

int command_pathways(const std::vector<std::string>& args) {
  const Options o = parse_options(args, false);
  if (o.positional.size() != 1) throw UsageError{"pathways takes exactly one scenario file"};
  const Scenario scenario = io::load_scenario(resolve_scenario(o.positional[0]), o.overrides);
  std::cout << format_pathway_report(analyse_pathways(scenario.parameters()));
  return kExitOk;
}

int command_info(const std::vector<std::string>& args) {
  const Options o = parse_options(args, false);
  if (o.positional.size() != 1) throw UsageError{"info takes exactly one results file"};
  std::cout << io::describe_results(io::read_results(o.positional[0]));
  return kExitOk;
}

} // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> all(argv + 1, argv + argc);
  std::string command_line = "skillsim";
  for (const auto& a : all) command_line += " " + a;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  try {
    if (all.empty() || all[0] == "-h" || all[0] == "--help" || all[0] == "help") {
      std::cout << kUsage;
      return all.empty() ? kExitUsage : kExitOk;
    }
    if (all[0] == "--version") {
      std::cout << "skillsim " << kEngineVersion << " (" << kGitCommit << ")\n";
      return kExitOk;
    }
    const std::vector<std::string> rest(all.begin() + 1, all.end());
    if (all[0] == "run") return command_run(rest, command_line);
    if (all[0] == "validate") return command_validate(rest);
    if (all[0] == "info") return command_info(rest);
    if (all[0] == "pathways") return command_pathways(rest);
    if (all[0] == "schema") {
      std::cout << io::parameter_reference_markdown();
      return kExitOk;
    }
    throw UsageError{"unknown command '" + all[0] + "'"};
  } catch (const UsageError& e) {
    std::cerr << "skillsim: " << e.message << "\n\n" << kUsage;
    return kExitUsage;
  } catch (const ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << "\n";
    std::cerr << "skillsim: the scenario is invalid (" << e.diagnostics().size()
              << (e.diagnostics().size() == 1 ? " problem)" : " problems)") << "; nothing was run\n";
    return kExitUsage;
  } catch (const Cancelled&) {
    std::cerr << "\nskillsim: interrupted; no results file was written\n";
    return kExitInterrupted;
  } catch (const std::exception& e) {
    std::cerr << "skillsim: " << e.what() << "\n";
    return kExitFailure;
  }
}
