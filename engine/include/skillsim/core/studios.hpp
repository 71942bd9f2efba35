// Master studios (技能大师工作室): counted per region and opened on a schedule (studios.count).
// Each month, before the monthly rules, a region's mentoring places are
//   min(studios x places_per_studio, masters x places_per_master)
// (masters: employed workers at studios.master_min_level or above in the region), and the places
// go to the eligible workers (employed, from studios.mentee_min_level to below the masters' level,
// in no programme) with the lowest priorities of the stream studio.priority keyed on the agent's
// id alone, so the same workers stay mentored from month to month while they are eligible, with
// no agent column. A mentored worker's ordinary assessment passes with the probability times
// studios.pass_factor (capped at 1) and may be sought after the studios' waiting rule
// (docs/model.md, "Master studios"). Mentoring is recomputed each month: nothing to checkpoint.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/ranks.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/tallies.hpp"

namespace skillsim {

class ResultsWriter;
class Scenario;

/// The month's mentoring: who is mentored and what it gives, read by the monthly rules (the
/// ordinary assessment) and the evaluation step (a queued candidate's pass).
struct Mentoring {
  std::vector<std::size_t> mentees;              ///< agent indices, ascending
  std::array<std::uint32_t, kLevelCount> wait{}; ///< by level sought: months at the level below a mentee must serve
  std::array<std::uint64_t, kLevelCount> pass{}; ///< by level sought: pass thresholds of a mentee
  std::vector<std::uint64_t> pass_by_class;      ///< level x person class, when the rates have classes
  double pass_factor = 1;

  bool any() const { return !mentees.empty(); }
  bool mentored(std::size_t i) const { return std::binary_search(mentees.begin(), mentees.end(), i); }
  /// A mentee's pass probability, given its ordinary one.
  double pass_probability(double ordinary) const { return std::min(1.0, ordinary * pass_factor); }
  /// Sets what mentoring gives under `studios` and `rates` (wait, pass, pass_by_class,
  /// pass_factor); the mentees are left as they are. The twin reads the same terms.
  void set_terms(const StudiosSection& studios, const TransitionRates& rates);
};

/// Whether any studio is open under `studios` (studios.count above 0 in some region).
bool studios_open(const StudiosSection& studios);

/// A region's mentoring places in whole agents: min(studios x places_per_studio, masters x
/// places_per_master) persons, `masters` in agents of `scale` persons (the twin's an expected
/// count), a fraction of an agent's place not taken.
std::int64_t mentoring_places(const StudiosSection& studios, double open, double masters, double scale);

class Studios {
public:
  /// What the month last stepped had, by region, in agents (studios: whole studios).
  struct Tally {
    std::vector<std::int64_t> studios;  ///< studios open
    std::vector<std::int64_t> masters;  ///< employed at master_min_level or above, at the start of the month
    std::vector<std::int64_t> places;   ///< mentoring places: min(studios x per studio, masters x per master)
    std::vector<std::int64_t> mentored; ///< workers mentored (at most the places)
    bool operator==(const Tally&) const = default;
  };

  explicit Studios(const Parameters& p);

  /// Whether a scenario has studios: studios.count above 0 at the start or set so by its schedule.
  static bool in_scenario(const Scenario& scenario);
  /// Declares studios, studio_masters, mentoring_places and mentored (replicate, time, region),
  /// for scenarios with studios (in_scenario).
  static void declare_results(Results& results, const Scenario& scenario);
  void store_results(ResultsWriter& out, std::size_t replicate, std::size_t t) const;

  /// Finds the month's masters, places and mentees in `population` (at the start of the month).
  /// Makes no pass over the population when no studio is open. Split over `ranks` (ranks.hpp),
  /// the masters are summed and each
  /// rank's lowest priorities joined, so every rank chooses the same mentees; `mentees` holds this
  /// rank's own (local indices).
  const Mentoring& select(const Parameters& p, const TransitionRates& rates, Month month, const Population& population,
                          const RandomStreams& rng, const RankGroup* ranks = nullptr);
  const Mentoring& mentoring() const { return mentoring_; }
  const Tally& tally() const { return tally_; }
  /// Forgets the month last stepped (after a restore: the output of a month, not state).
  void clear() {
    tally_ = Tally{};
    mentoring_.mentees.clear();
  }

private:
  std::size_t regions_ = 0;
  Tally tally_;
  Mentoring mentoring_;
};

} // namespace skillsim
