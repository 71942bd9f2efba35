// Employers, the demand side of the ladder (docs/model.md, "Employers, posts and pay"): employer
// cells of region x sector x size class, each with posts (a target level structure), vacancies,
// hires and separations; job finding as matching of job seekers to vacancies per region (or per
// region x level: employers.matching = "cobb_douglas_by_level"); posts
// that an appointment to 特级技师/首席技师 may need; pay by level, sector and region.
//
// Every employed worker belongs to one cell: the `employer` column holds its cell within the
// region (sector x size class), kNoEmployer otherwise. The column is written in one place, the
// end-of-month pass (Employers::step): the newly employed (hired by the labour market, entrants
// and school leavers who start employed) get a cell, those who left employment lose theirs. The
// same parallel pass counts everything the month needs (per-thread counters joined in thread
// order); the per-agent work elsewhere is a table lookup. With no size classes declared (the
// default) nothing here runs and nothing is drawn, and the agents have no `employer` column (an
// optional column, population.hpp). With a cap of 以工代训 months the same pass counts each
// worker's months claimed for (the optional `subsidised_months` column).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "skillsim/core/ledger.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/tallies.hpp"

namespace skillsim {

class RankGroup;
class ResultsWriter;
class Scenario;

namespace streams {
/// The size class of a worker's employer cell, drawn when the worker gets a cell (lane 0); keyed
/// on (id, month), at the start on the month before scenario.start.
inline constexpr std::uint32_t kEmployerCell = stream_id("employer.cell");
} // namespace streams

/// Matches a month in one region under the Cobb-Douglas matching function,
/// M = min(U, V, A U^alpha V^(1-alpha)), with U job seekers and V vacancies (0 if either is 0).
double cobb_douglas_matches(double efficiency, double elasticity, double seekers, double vacancies);

/// Job finding of an unemployed worker of `level` and `group` when the region's matching gives a
/// finding probability `per_seeker` (M/U): per_seeker x job_find_multiplier x the level and group
/// factors of labour.*, capped at 1 (the table TransitionRates::job_find_by_region holds).
double matched_job_find(const Parameters& p, double per_seeker, int level, int group);

/// Job finding under matching by level (employers.matching = "cobb_douglas_by_level"): an
/// unemployed worker of `group` in `region` whose level's market gives `per_seeker` (M/U of that
/// region x level) finds a job with per_seeker x job_find_multiplier x the group factor x the
/// region factor, capped at 1. No level factor: the market of the level already sets the level's
/// rate (the factor would count it twice).
double matched_job_find_by_level(const Parameters& p, double per_seeker, int group, std::size_t region);

class Employers {
public:
  /// What must be saved to continue a run: each cell's posts at the start (agents), region x cell.
  struct State {
    std::vector<std::int64_t> initial_posts;
    bool operator==(const State&) const = default;
  };

  /// The counts after the month last stepped (or at the start), in agents, and its flows.
  struct Tally {
    std::vector<std::int64_t> employed;         ///< region x cell x level x group
    std::vector<std::int64_t> seekers;          ///< region: unemployed
    std::vector<std::int64_t> seekers_by_level; ///< region x level: unemployed
    std::vector<std::int64_t> hires;            ///< region: workers who got a cell in the month
    std::vector<std::int64_t> separations;      ///< region: workers who left a cell (job loss, retirement, death, ...)
    std::vector<std::int64_t> no_post;          ///< level: appointment places refused for want of a free post
    double wage_bill = 0;                       ///< yuan a month of the employed (persons), at the month's wages
    std::vector<double> pay_sum;                ///< level x group: yuan a month summed over agents
    std::vector<std::int64_t> hires_by_cell;    ///< region x cell: workers who got the cell in the month
    // 以工代训 (work_based_training) in the month: the workers claimed for, region x cell (kept
    // through the month; hired), and the yuan claimed that the fund paid and could not pay.
    std::vector<std::int64_t> subsidy_retained, subsidy_hired;
    std::int64_t subsidy_paid = 0, subsidy_unpaid = 0;
    bool subsidy_suspended = false; ///< in force, but its fund had no money at the start of the month
    // Matching by level in the month (begin_month; empty in a month without it): its markets,
    // region x level, the job seekers (agents, at the start of the month) and the matches M.
    std::vector<std::int64_t> market_seekers;
    std::vector<double> market_matches;
    bool operator==(const Tally&) const = default;
  };

  explicit Employers(const Parameters& p);

  bool enabled() const { return sizes_ > 0; }
  /// Cells per region: sectors x size classes (cell = sector x size classes + size class).
  std::size_t cells() const { return cells_; }

  /// At the start of a replicate: gives every employed agent of a freshly synthesised population
  /// a cell (its sector, a size class by employers.size_shares) and each cell its posts.
  /// Split over `ranks` (ranks.hpp), every count of the passes here, in count and in step is
  /// summed over the ranks, so that every rank holds the counts of one process and takes the
  /// month's decisions (matching, free posts, places, capacity, 以工代训) alike.
  void assign_initial(const Parameters& p, Population& population, const RandomStreams& rng,
                      const RankGroup* ranks = nullptr);
  /// Counts the population as the end-of-month pass does, without changing it (after a restore:
  /// the counts are derived). `p` are the parameters in force in the month just ended.
  void count(const Parameters& p, Month month, const Population& population, const RankGroup* ranks = nullptr);

  /// The start of a month: the matching table (employers.matching = "cobb_douglas" or
  /// "cobb_douglas_by_level": fills rates.job_find_by_region; "hazard": leaves it empty), the free
  /// posts by level and the shares by which the month's hires are spread over size classes (by
  /// matching by level: over the size classes with vacancies at the hire's level).
  /// 以工代训 (work_based_training) is paid this month when in force and its fund has money left
  /// at the start of the month (`ledger`, after January's grant; nullptr: not paid); then its
  /// retention effect goes into `rates` (subsidised_cell, job_loss_subsidised).
  void begin_month(const Parameters& p, Month month, TransitionRates& rates, const Ledger* ledger = nullptr);
  /// Must an appointment to `level` find a free post (employers.appointment_needs_post)?
  bool post_needed(const Parameters& p, int level) const;
  /// Takes a free post at `level` in the cell, if there is one (false: none, nothing taken).
  bool take_post(std::size_t region, std::uint8_t cell, int level);
  /// The free posts at `level` (特级技师 or 首席技师) left in the cell (0 for kNoEmployer).
  std::int64_t free_posts(std::size_t region, std::uint8_t cell, int level) const;
  /// Records appointment places refused for want of a free post (binding-constraint record).
  void record_no_post(int level, std::int64_t places) { tally_.no_post[static_cast<std::size_t>(level)] += places; }

  /// The end of a month: the newly employed get a cell, those no longer employed lose theirs, and
  /// everything is counted.
  void step(const Parameters& p, Month month, Population& population, const RandomStreams& rng,
            const RankGroup* ranks = nullptr);
  /// After step: pays this month's 以工代训 claims (docs/levers.md) from its fund, pro rata when
  /// the fund's uncommitted money is short (what cannot be paid is not owed).
  void pay_work_based_training(const Parameters& p, Ledger& ledger);

  /// Posts of cell `rc` (region x cell) in `month`: its posts at the start x (1 +
  /// post_growth_per_year)^(months / 12).
  double posts(const Parameters& p, Month month, std::size_t rc) const;
  /// Posts at `level` in cell `rc`: floor(posts x posts_per_1000[size class][level] / 1000).
  std::int64_t posts_at_level(const Parameters& p, Month month, std::size_t rc, int level) const;
  /// What each cell (region x cell) holds a month at `per_1000` employees by size class:
  /// floor(per_1000 x the cell's employed at the start of the month / 1000), agents; -1 where the
  /// rate is negative (not limited). Apprenticeship places (employers.apprentice_places_per_1000)
  /// and self-evaluation capacity (employers.self_evaluation_per_1000) are both this rule.
  std::vector<std::int64_t> per_1000_employed(const std::vector<double>& per_1000) const;
  /// Pay of a worker (yuan a month) in `month`.
  static double wage(const Parameters& p, Month month, int level, int sector, std::size_t region);

  /// Declares the employer variables (only with size classes declared; see docs/results.md).
  static void declare_results(Results& results, const Parameters& p);
  /// Declares the markets of matching by level (employer_seekers, employer_matches) when some
  /// month of the run matches by level (at the start or by the schedule).
  static void declare_matching_results(Results& results, const Scenario& scenario);
  void store_results(ResultsWriter& out, std::size_t replicate, std::size_t t) const;

  const State& state() const { return state_; }
  void check_fits(const State& state) const;
  void restore(const State& state) { state_ = state; }
  const Tally& tally() const { return tally_; }

private:
  // With a cap of months per worker (work_based_training.max_months_per_worker), what the
  // end-of-month pass counts as claims: which kinds are claimed this month, and the cap.
  struct Claims {
    std::int64_t months_cap = 0;
    bool kept = false, hired = false;
  };
  template <bool kClaiming>
  void count_pass(Month month, Population& population, const RandomStreams* rng, bool assign, const RankGroup* ranks,
                  const Claims* claims = nullptr);
  void summarise(const Parameters& p, Month month);
  void begin_work_based_training(const Parameters& p, TransitionRates& rates, const Ledger* ledger);
  /// Matching by level needs every post to have a level: throws unless each size class's row of
  /// employers.posts_per_1000 sums to 1000 in `month`.
  void check_levelled_posts(const Parameters& p, Month month) const;

  std::size_t sizes_ = 0, regions_ = 0, cells_ = 0;
  State state_;
  Tally tally_;
  // The month's tables (begin_month): free posts at 特级技师 and 首席技师 by region x cell, and
  // per region x sector (x level under matching by level: hire_levels_ = kLevelCount, else 1)
  // the cumulative shares of size classes for the month's hires.
  std::vector<std::int64_t> free_posts_[2];
  std::vector<double> hire_shares_;
  std::size_t hire_levels_ = 1;
  // 以工代训: the fund, whether it pays this month, and the eligible cells (sector x size class).
  std::size_t funds_ = 0, subsidy_fund_ = 0;
  bool paying_ = false;
  std::vector<std::uint8_t> eligible_;
  // What store_results reports, computed once a month (summarise).
  std::vector<std::int64_t> posts_by_level_, filled_by_level_, vacancies_by_level_;
  std::vector<std::int64_t> cell_employed_, cell_posts_, cell_vacancies_; // region x sector x size
  Month month_counted_;
};

} // namespace skillsim
