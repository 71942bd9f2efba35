#include "skillsim/core/memory_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include "skillsim/core/numbers.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/promotion.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/core/schools.hpp"
#include "skillsim/core/statistics.hpp"
#include "skillsim/core/synthesis.hpp"
#include "skillsim/core/training.hpp"

namespace skillsim {

namespace {

// The program and its libraries (HDF5, OpenMP, the C++ runtime), resident before a run starts:
// measured at 12-16 MB for `skillsim run` of a tiny scenario; rounded up.
constexpr std::int64_t kProgramBytes = 24 << 20;
// Per thread: its stack and OpenMP's, and the tallies of the monthly pass (a few kB); generous.
constexpr std::int64_t kThreadBytes = 2 << 20;
// Bytes per candidate of the month's lists, at their peak: an index in a thread's list and in the
// joined list (2 x 4, AgentIndex), and for an applicant its draw (ApplicationCandidate, 2 x 8).
constexpr std::int64_t kTraineeBytes = 2 * sizeof(AgentIndex), kApplicantBytes = 2 * sizeof(ApplicationCandidate);
// A competitor: the two lists (2 x 4), then in the competition step its priority and two flags.
constexpr std::int64_t kCompetitorBytes = 2 * sizeof(AgentIndex) + 2;
// A student (MonthlyCandidates::students): in a chunk's list, which grows by doubling (up to twice
// its size), and in the joined list, reserved exactly. Measured at 1:1: docs/architecture.md,
// "Memory". An agent at a level appointed from (MonthlyCandidates::appointable) the same way, and
// if eligible a priority and an index in Appointments' list, grown by doubling (2 x 16).
constexpr std::int64_t kStudentBytes = 3 * sizeof(AgentIndex), kEligibleBytes = kStudentBytes + 2 * 16;
// Agents at the levels appointed from (高级技师, 特级技师) may grow during a run: national_2016
// goes from 1.36M to 1.90M 高级技师 in ten years. The estimate allows them to double.
constexpr double kEligibleGrowth = 2.0;
// Per agent of the population gathered for a checkpoint of a run split over ranks: its position
// in the merge of the ranks' blocks in id order (gather_population).
constexpr std::int64_t kGatherIndexBytes = sizeof(std::size_t);
// The removed when the population is compacted, as a share of it: compaction runs once they pass
// 1/32 (ReplicateState::step checks every month), allowed as much again for one month's deaths,
// retirements and moves to another rank.
constexpr double kRemovedAtCompaction = 2.0 / 32;

std::int64_t bytes_of(double agents, double per_agent) { return std::llround(std::ceil(agents * per_agent)); }

// At most the students in school at once, in agents: in each route, those at the start until its
// length has passed and the enrolees of its last length months (`enrolled`: by route and month),
// at the month where that is largest. An upper bound: dropouts and graduations of the students at
// the start are left out.
double students_at_once(const Parameters& p, const std::vector<std::vector<double>>& enrolled) {
  double all = 0;
  for (std::size_t k = 0; k < enrolled.size(); ++k) {
    double at_start = 0;
    for (std::size_t r = 0; r < p.population.regions.size(); ++r)
      at_start += static_cast<double>(initial_school_students(p, k, r));
    const auto length = static_cast<std::size_t>(p.schools.length_months[k]);
    double window = 0, most = at_start;
    for (std::size_t m = 0; m < enrolled[k].size(); ++m) {
      window += enrolled[k][m] - (m >= length ? enrolled[k][m - length] : 0.0);
      most = std::max(most, window + (m < length ? at_start : 0.0));
    }
    all += most;
  }
  return all;
}

} // namespace

MemoryEstimate estimate_memory(const Scenario& scenario, std::int64_t replicates, int threads, int ranks,
                               bool checkpoints) {
  const Parameters& p = scenario.parameters();
  MemoryEstimate e;
  const auto all = static_cast<std::int64_t>(initial_agent_count(p.population));
  const std::int64_t split = std::max(ranks, 1);
  // The schools' students at the start come after the synthesised agents, spread over the ranks.
  const std::int64_t students = initial_student_agents(p);
  e.agents_initial = (all + students + split - 1) / split; // the largest rank's share
  // Entrants month by month under the parameters in force (a schedule may change their number).
  const double scale = static_cast<double>(std::max<std::int64_t>(p.population.scale, 1));
  double entrants = 0, enrolees = 0, may_apply = 0;
  const std::size_t routes = p.schools.routes.size(), regions = p.population.regions.size();
  std::vector<std::vector<double>> enrolled(routes); // by route and month, in agents
  bool appointing = false;
  for (std::int64_t m = 0; m < p.scenario.months; ++m) {
    const Month month = scenario.start() + static_cast<int>(m);
    const Parameters now = scenario.parameters_at(month);
    const double month_share = now.entry.month_shares[static_cast<std::size_t>(month.month() - 1)];
    entrants += (now.entry.school_leavers_per_year + now.entry.technical_school_graduates_per_year) * month_share;
    enrolees += planned_enrolment(now, month); // school enrolees are new agents too (in agents)
    for (std::size_t k = 0; k < routes; ++k) {
      double route = 0;
      for (std::size_t r = 0; r < regions; ++r) route += enrolment_due(now, month, k, r);
      enrolled[k].push_back(route);
    }
    if (!now.programmes.names.empty()) {
      const ApplicationRules rules(now);
      may_apply = std::max(may_apply, *std::max_element(rules.may_apply.begin(), rules.may_apply.end()));
    }
    appointing = appointing || appointment_quota(now, 0) > 0 || appointment_quota(now, 1) > 0;
  }
  // The agents made during the run; split over ranks, they are spread over them too (holds_new,
  // ranks.hpp).
  const std::int64_t made =
      std::llround(std::ceil(entrants / scale + enrolees)) + 2 * p.scenario.months + enrolment_carry_allowance(p);
  e.agents_peak = e.agents_initial + (made + split - 1) / split;
  const auto peak = static_cast<double>(e.agents_peak);
  // The columns the scenario's population stores: an optional one it does not use costs nothing.
  const ColumnSet columns = agent_columns(p);
  e.bytes_per_agent = static_cast<std::int64_t>(Population::bytes_per_agent(columns));
  e.population = bytes_of(peak, static_cast<double>(e.bytes_per_agent));
  // Synthesis reserves initial_capacity; past that (a schedule with more entrants) a column is
  // copied into one twice as large, the old copy freed before the next column's (only the pages
  // written are resident).
  std::int64_t widest = 0;
  Population(columns).for_each_column([&](const auto& column) {
    widest = std::max<std::int64_t>(widest, static_cast<std::int64_t>(sizeof(column[0])));
  });
  if (e.agents_peak >
      (static_cast<std::int64_t>(initial_capacity(p)) - all + split - 1) / split + (all + split - 1) / split)
    e.growth = bytes_of(peak, static_cast<double>(widest));
  // Compaction on T threads sets aside one column's items at a time, block s at most the removed in
  // blocks 0..s and the last block none (OrderedCompaction): T - 1 times the removed at most.
  if (threads > 1)
    e.compaction =
        bytes_of(peak * kRemovedAtCompaction * static_cast<double>(threads - 1), static_cast<double>(widest));
  // The month's candidate lists: trainees and queued candidates are few; applicants at most the
  // highest monthly application probability of any group and status; competitors at most everybody.
  double per_agent = 0;
  if (!p.programmes.names.empty()) per_agent += may_apply * kApplicantBytes + 0.05 * kTraineeBytes;
  if (!p.competitions.tiers.empty()) per_agent += kCompetitorBytes;
  e.candidates = bytes_of(peak, per_agent);
  // Students and the eligible for appointment, listed every month, are counted apart: they are
  // known from the plan and the initial levels, and at 1:1 they are millions.
  if (routes > 0) {
    const double at_once = static_cast<double>(enrolment_carry_allowance(p)) + students_at_once(p, enrolled);
    e.candidates += bytes_of(at_once / static_cast<double>(split), static_cast<double>(kStudentBytes));
  }
  if (appointing) {
    constexpr auto from = static_cast<std::size_t>(kAppointedFrom);
    const std::vector<double>& levels = p.population.level_shares; // relative weights
    const double share = (levels[from] + levels[from + 1]) / std::accumulate(levels.begin(), levels.end(), 0.0);
    e.candidates += bytes_of(static_cast<double>(all) * share * kEligibleGrowth / static_cast<double>(split),
                             static_cast<double>(kEligibleBytes));
  }
  // A checkpoint of a run split over ranks: rank 0 gathers every rank's agents into one
  // population (gather_population, ranks.hpp) and writes it, holding besides its own share the
  // whole population's columns, the index of the merge in id order and one gathered column twice
  // (joined and unpacked).
  if (split > 1 && checkpoints) {
    const auto whole = static_cast<double>(all + students + made);
    e.checkpoint = bytes_of(whole, static_cast<double>(e.bytes_per_agent + kGatherIndexBytes + 2 * widest));
  }
  // Results: every variable over (replicate, time, ...) for each replicate, and its statistics
  // over replicates (kStatisticCount values per cell, as doubles); the others once.
  const Results one = make_results_layout(scenario, 1);
  std::int64_t per_replicate = 0, once = 0;
  for (const Variable& v : one.variables) {
    const auto bytes = static_cast<std::int64_t>(v.size() * sizeof(std::int64_t));
    if (!v.dims.empty() && v.dims[0] == "replicate")
      per_replicate += bytes;
    else
      once += bytes;
  }
  e.results =
      per_replicate * (std::max<std::int64_t>(replicates, 1) + static_cast<std::int64_t>(kStatisticCount)) + once;
  e.fixed = kProgramBytes + kThreadBytes * std::max(threads, 1);
  return e;
}

std::string format_bytes(std::int64_t bytes) {
  const double b = static_cast<double>(bytes);
  char text[32];
  if (b < 1e9)
    std::snprintf(text, sizeof text, "%.0f MB", b / 1e6);
  else
    std::snprintf(text, sizeof text, "%.1f GB", b / 1e9);
  return text;
}

std::string describe_memory(const MemoryEstimate& e) {
  std::string text = "about " + format_bytes(e.total()) + " at peak (population " + format_bytes(e.population) +
                     " for up to " + thousands(e.agents_peak) + " agents at " + std::to_string(e.bytes_per_agent) +
                     " bytes each";
  if (e.growth > 0) text += ", " + format_bytes(e.growth) + " while its columns grow";
  if (e.checkpoint > 0)
    text += "; every rank's agents gathered on rank 0 at a checkpoint " + format_bytes(e.checkpoint);
  text += "; results " + format_bytes(e.results);
  if (e.candidates > 0) text += "; the month's candidate lists " + format_bytes(e.candidates);
  if (e.compaction > 0) text += "; compaction " + format_bytes(e.compaction);
  return text + "; program and threads " + format_bytes(e.fixed) + ")";
}

namespace {
// The caller's way of setting the scale, "{}" replaced by the number.
std::string with_scale(std::string_view hint, std::int64_t scale) {
  std::string text(hint);
  if (const auto at = text.find("{}"); at != std::string::npos) text.replace(at, 2, std::to_string(scale));
  return text;
}
} // namespace

std::string memory_refusal(const Scenario& scenario, const MemoryEstimate& e, std::int64_t available,
                           const std::string& override_hint, std::string_view scale_hint) {
  const Parameters& p = scenario.parameters();
  std::string text = "the run needs " + describe_memory(e) + ", but " + format_bytes(available) + " is available. ";
  // What to change: the scale the population would fit at, or fewer replicates for the results.
  const std::int64_t room = available - e.fixed - e.results;
  const std::int64_t agent_bytes = e.population + e.growth + e.candidates + e.compaction + e.checkpoint;
  if (room > 0 && agent_bytes > room) {
    const double factor = static_cast<double>(agent_bytes) / static_cast<double>(room);
    const auto scale = static_cast<std::int64_t>(std::ceil(static_cast<double>(p.population.scale) * factor * 1.05));
    text += "Raise population.scale to at least " + thousands(scale) + " (now " + thousands(p.population.scale) + "; " +
            with_scale(scale_hint, scale) + ")";
  } else if (room <= 0) {
    text += "The results alone (" + format_bytes(e.results) + ") do not fit: run fewer replicates or fewer months";
  } else {
    text += "Raise population.scale or run fewer replicates";
  }
  return text + ", free memory, or run on a larger machine (" + override_hint + " runs anyway).";
}

} // namespace skillsim
