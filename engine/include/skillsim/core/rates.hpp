// The month's transition probabilities, read from the parameters in one place. The agent model
// derives the integer thresholds of its per-agent loop from this table (monthly_rules.cpp), the
// pathway graph computes expected months from it (pathways.cpp), and the expected-value twin
// projects with it (twin.cpp). Every entry is a probability for one month, in [0, 1].
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "skillsim/core/parameters.hpp"
#include "skillsim/core/types.hpp"

namespace skillsim {

/// Does reaching `level` take an assessment by an evaluator? Not 学徒工: starting an
/// apprenticeship is the employer's decision. (The monthly rules queue only these when the
/// scenario declares evaluators; the pathway graph requires an evaluator only for these.)
constexpr bool needs_evaluator(int level) { return level > static_cast<int>(Level::Apprentice); }

/// The factor of skills.assessment_rate_trend on the assessment rate for `level` in the month
/// starting at `month`: (1 + trend[level])^y, y the years (whole months / 12) from
/// skills.trend_reference_date to `month`, negative before it, and at most those to
/// skills.trend_end_date. Exactly 1 for a trend of 0.
double assessment_trend_factor(const SkillsSection& skills, int level, Month month);

/// The age band (kAgeBandIds) of the assessment and pass factors: younger workers take the first
/// band, older ones the last.
constexpr int age_band_of(int age_years) {
  int band = 0;
  while (band + 1 < kAgeBandCount && age_years >= kAgeBandEdges[static_cast<std::size_t>(band + 1)]) ++band;
  return band;
}
/// The classes of workers the factors distinguish: age band x sex x group.
inline constexpr int kPersonClassCount = kAgeBandCount * kSexCount * kGroupCount;
constexpr int person_class(int age_years, int sex, int group) {
  return (age_band_of(age_years) * kSexCount + sex) * kGroupCount + group;
}

/// Passing the ordinary assessment for `level` for a worker of class `cls` in `region`:
/// pass_probability x skills.pass_factor_by_* (age band, sex, group, region), capped at 1 (the
/// probability itself, bit for bit, when the factors are 1). The monthly rules read it through
/// TransitionRates, the evaluation step directly.
double pass_probability_of(const SkillsSection& skills, int level, int cls, int region = 0);

/// The choice model (docs/model.md, "Pay and the choice to train or sit"): the factor on a
/// monthly rate of seeking the certificate for `target` by a worker at `held`, with elasticity e,
///
///     (R / R_ref)^e,  R = w[target] / w[held] - 1,
///
/// R the certificate's pay premium relative to the pay held (w = employers.wage_per_month: the
/// sector and region factors and the growth multiply both wages alike and cancel), R_ref the same
/// of employers.reference_wage_per_month, the ladder at which the scenario's rates hold. Exactly 1
/// for e = 0 and for a target of 学徒工 or below (starting an apprenticeship is the employer's
/// decision); 0 for e > 0 when R <= 0 (a certificate that pays nothing more, or one already held).
/// The one place the formula is written: the transition rates (sitting), the application rules
/// (applying) and the pathway graph read it.
double premium_factor(const EmployersSection& employers, int held, int target, double elasticity);

struct TransitionRates {
  /// Dying in the month, by mortality band (from the annual probability: 1 - (1 - q)^(1/12)).
  std::array<double, kMortalityBandCount> death{};
  /// Age in months at which an agent retires, by sex.
  std::array<std::int32_t, kSexCount> retirement_age_months{};

  /// Employed -> unemployed, by level, group and sector (base rate x shock multiplier x factors).
  double job_loss[kLevelCount][kGroupCount][kSectorCount] = {};
  /// Unemployed -> employed, by level and group.
  double job_find[kLevelCount][kGroupCount] = {};
  /// The same two with labour.job_loss_region_factor and job_find_region_factor: index
  /// labour_index(region, level, group) (x kSectorCount + sector for job loss). Empty when every
  /// regional factor is 1 (job_loss and job_find hold in every region). When employers match job
  /// seekers to vacancies (employers.matching = "cobb_douglas"), Employers::begin_month fills
  /// job_find_by_region with the matched probabilities (times the regional factor) every month.
  /// The pathway graph and the twin use job_find.
  std::vector<double> job_loss_by_region, job_find_by_region;
  static std::size_t labour_index(int region, int level, int group) {
    return (static_cast<std::size_t>(region) * kLevelCount + static_cast<std::size_t>(level)) * kGroupCount +
           static_cast<std::size_t>(group);
  }
  /// Job loss and job finding of a worker in `region`: the regional tables where they are kept,
  /// else the tables of every region.
  double job_loss_in(int region, int level, int group, int sector) const {
    return job_loss_by_region.empty() ? job_loss[level][group][sector]
                                      : job_loss_by_region[labour_index(region, level, group) * kSectorCount +
                                                           static_cast<std::size_t>(sector)];
  }
  double job_find_in(int region, int level, int group) const {
    return job_find_by_region.empty() ? job_find[level][group] : job_find_by_region[labour_index(region, level, group)];
  }
  /// 以工代训's retention effect (work_based_training.job_loss_factor < 1), in a month the subsidy is
  /// paid (Employers::begin_month fills them; empty otherwise, and the per-agent loop looks nothing
  /// up): `subsidised_cell` by region x employer cell (cell = sector x size classes + size class,
  /// employer_cells per region), 1 for the eligible cells; `job_loss_subsidised` the job loss of
  /// their workers, index as job_loss_by_region: the job loss of the region (job_loss_by_region, or
  /// job_loss) x the factor. The pathway graph and the twin use job_loss.
  std::vector<std::uint8_t> subsidised_cell;
  std::size_t employer_cells = 0;
  std::vector<double> job_loss_subsidised;
  /// With work_based_training.max_months_per_worker (0: none), a worker whose `subsidised_months`
  /// has reached it is no longer claimed for, and has no retention effect either.
  std::int64_t subsidised_months_cap = 0;
  /// Regions of the scenario (population.regions).
  std::size_t regions = 1;
  /// Unemployed -> inactive: the unconditional probability in the month. One uniform decides
  /// both moves: below job_find a job is found, in [job_find, job_find + inactivity) the agent
  /// becomes inactive (so the two add up, capped at 1).
  double inactivity = 0;
  /// Inactive -> unemployed (looking for work again).
  double reactivation = 0;
  /// An employed agent who keeps the job gains one month of unemployment-insurance
  /// contributions, by group.
  std::array<double, kGroupCount> insured{};

  /// Seeking the assessment for a level (by level sought and status), once the minimum months at
  /// the level below are served. Starting an apprenticeship (学徒工) needs an employer: 0 unless
  /// employed.
  double sit[kLevelCount][kStatusCount] = {};
  /// Passing the assessment for a level.
  std::array<double, kLevelCount> pass{};
  /// sit and pass for each person class (the factors skills.assessment_factor_by_* and
  /// pass_factor_by_*) and, when a regional factor is not 1, each region: index
  /// ((class_region x kLevelCount + level) x kStatusCount + status) x kPersonClassCount + class, and
  /// (class_region x kLevelCount + level) x kPersonClassCount + class, class_region the region
  /// (0 when class_regions is 1). Empty when every factor is 1 (sit and pass hold for all). The
  /// pathway graph uses sit and pass, the rates of a worker with factors 1.
  std::vector<double> sit_by_class, pass_by_class;
  /// Regions of the class tables: population.regions with a regional assessment or pass factor
  /// other than 1, else 1.
  std::size_t class_regions = 1;
  /// Whole months to serve at the level below before seeking a level.
  std::array<std::uint16_t, kLevelCount> min_months{};
  /// Assessments wait for an evaluator (the scenario declares evaluation capacity).
  bool queue_for_evaluation = false;

  /// Group rules (groups.*), by group: where a member who finds a job goes (itself: stays), and
  /// where one goes once the group is closed or after leave_after_months in it (0: no limit).
  std::array<std::uint8_t, kGroupCount> group_after_job{}, group_after_leaving{};
  std::array<std::uint16_t, kGroupCount> leave_after_months{};
  std::array<bool, kGroupCount> group_closed{};
  /// Some group rule is in force (the monthly rules skip them all otherwise).
  bool group_moves = false;
  /// The start of a month for a member of group `g` with `months` in it (the monthly rules; the
  /// twin's group states, twin_groups.hpp): a closed group's members move to group_after_leaving,
  /// and so do those who serve its time limit; otherwise the months go on where a limit is in
  /// force (saturating at it). `moved`: the group changes (the months start again at 0).
  struct GroupMonth {
    std::uint8_t group, months;
    bool moved;
  };
  GroupMonth start_month_in_group(std::uint8_t g, std::uint8_t months) const {
    bool leaves = group_closed[g];
    if (!leaves && leave_after_months[g] > 0) {
      if (months < leave_after_months[g]) ++months;
      leaves = months >= leave_after_months[g];
    }
    return leaves ? GroupMonth{group_after_leaving[g], 0, true} : GroupMonth{g, months, false};
  }

  /// Job finding of unemployed completers of a programme during its follow-up window:
  /// job_find (of the region, with regional factors) x programmes.job_find_factor, capped at 1.
  /// Index follow_up_index(programme, level, group, region).
  std::vector<double> follow_up_job_find;
  /// Regions of follow_up_job_find: population.regions with a regional job-finding factor, else 1.
  /// Fixed when the table is built (Employers::begin_month may fill job_find_by_region later).
  std::size_t follow_up_regions = 1;
  std::size_t follow_up_index(std::size_t programme, int level, int group, int region = 0) const {
    const std::size_t r = follow_up_regions > 1 ? static_cast<std::size_t>(region) : 0;
    return ((programme * follow_up_regions + r) * kLevelCount + static_cast<std::size_t>(level)) * kGroupCount +
           static_cast<std::size_t>(group);
  }

  /// Migration between regions (migration.*): the rate matrix, origin x destination (regions x
  /// regions), and its factors by level held and status. `migrating` is false when nobody can
  /// move this month (a zero matrix, or zero factors): the monthly rules then draw nothing.
  std::vector<double> migration_rate;
  std::array<double, kLevelCount> migration_level_factor{};
  std::array<double, kStatusCount> migration_status_factor{};
  bool migrating = false;
  /// An employed migrant stays employed (migration.employed_on_arrival = "employed").
  bool migrants_keep_job = true;
  /// Moving from `origin` to a destination up to `destination` (in the order of
  /// population.regions) for a worker whose factor (level x status) is `factor`:
  /// min(1, (rate[origin][0] + ... + rate[origin][destination]) x factor). At the last region it
  /// is the probability of moving at all; one uniform picks the destination by these cumulative
  /// probabilities.
  double migration_cumulative(std::size_t origin, std::size_t destination, double factor) const {
    double sum = 0;
    for (std::size_t d = 0; d <= destination; ++d) sum += migration_rate[origin * regions + d];
    return std::min(1.0, sum * factor);
  }
  /// Moving from `origin` to `destination` itself: the difference of the cumulative
  /// probabilities at `destination` and at the region before it (the agents' draw picks it with
  /// this probability). The twin moves its expected workers by it.
  double migration_probability(std::size_t origin, std::size_t destination, double factor) const {
    const double before = destination == 0 ? 0.0 : migration_cumulative(origin, destination - 1, factor);
    return migration_cumulative(origin, destination, factor) - before;
  }
  /// Moving anywhere from `origin` (the cumulative probability at the last region).
  double migration_leaving(std::size_t origin, double factor) const {
    return migration_cumulative(origin, regions - 1, factor);
  }
  double migration_factor(int level, int status) const {
    return migration_level_factor[static_cast<std::size_t>(level)] *
           migration_status_factor[static_cast<std::size_t>(status)];
  }

  /// May a worker who has served `months_at_level` at the level below seek `target`? (The
  /// minimum wait; the monthly rules and appointments check it, and the twin.)
  bool served_minimum(int target, int months_at_level) const {
    return months_at_level >= min_months[static_cast<std::size_t>(target)];
  }
  /// sit and pass for a worker of person class `cls` (the class tables when some factor is not 1).
  double sit_probability(int target, int status, int cls, int region = 0) const {
    return sit_by_class.empty() ? sit[target][status] : sit_by_class[sit_index(target, status, cls, region)];
  }
  double pass_probability(int target, int cls, int region = 0) const {
    return pass_by_class.empty() ? pass[static_cast<std::size_t>(target)]
                                 : pass_by_class[pass_index(target, cls, region)];
  }
  /// Indices into sit_by_class and pass_by_class.
  std::size_t sit_index(int target, int status, int cls, int region) const {
    const std::size_t r = class_regions > 1 ? static_cast<std::size_t>(region) : 0;
    return ((r * kLevelCount + static_cast<std::size_t>(target)) * kStatusCount + static_cast<std::size_t>(status)) *
               kPersonClassCount +
           static_cast<std::size_t>(cls);
  }
  std::size_t pass_index(int target, int cls, int region) const {
    const std::size_t r = class_regions > 1 ? static_cast<std::size_t>(region) : 0;
    return (r * kLevelCount + static_cast<std::size_t>(target)) * kPersonClassCount + static_cast<std::size_t>(cls);
  }
  /// Unemployed -> inactive for an unemployed worker whose job finding is `find` (see inactivity).
  double inactive_given(double find) const { return std::min(1.0, find + inactivity) - find; }

  /// The table for parameters shaped as check() requires, in the month starting at `month` (the
  /// assessment rates follow skills.assessment_rate_trend: assessment_trend_factor).
  /// @throws Error if a vector it reads has the wrong length (see fits)
  TransitionRates(const Parameters& p, Month month);
  /// The same in the first month of the scenario (p.scenario.start).
  explicit TransitionRates(const Parameters& p) : TransitionRates(p, p.scenario.start) {}

  /// True if every vector the table reads has the length check() requires.
  static bool fits(const Parameters& p);
};

} // namespace skillsim
