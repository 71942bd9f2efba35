#include "skillsim/core/synthesis.hpp"

#include "skillsim/core/schools.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "skillsim/core/errors.hpp"

namespace skillsim {

namespace {

// Rescales the table so that its sums over each value of `key(cell)` equal `target[value]`.
template <class Key>
double fit_margin(std::vector<double>& table, const std::vector<double>& target, Key key) {
  const int cells = static_cast<int>(table.size());
  std::vector<double> sums(target.size(), 0.0);
  for (int c = 0; c < cells; ++c) sums[key(c)] += table[c];
  double error = 0;
  for (std::size_t v = 0; v < target.size(); ++v) error = std::max(error, std::abs(sums[v] - target[v]));
  for (int c = 0; c < cells; ++c) {
    const double s = sums[key(c)];
    table[c] = s > 0 ? table[c] * target[key(c)] / s : 0.0;
  }
  return error;
}

std::vector<double> normalised(std::vector<double> v) {
  const double sum = std::accumulate(v.begin(), v.end(), 0.0);
  if (sum > 0)
    for (auto& x : v) x /= sum;
  return v;
}

// Picks an index with probability proportional to weights, from a uniform u in (0,1).
std::size_t pick(const std::vector<double>& cumulative, double u) {
  const double x = u * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

// Splits `total` into integers proportional to `weights`: floors, then the leftover units to the
// largest remainders (ties to the lower index).
std::vector<std::size_t> largest_remainder(const std::vector<double>& weights, std::size_t total) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::size_t> out(weights.size(), 0);
  if (sum <= 0 || total == 0) return out;
  std::vector<std::pair<double, std::size_t>> remainders;
  std::size_t assigned = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double expected = weights[i] / sum * static_cast<double>(total);
    out[i] = static_cast<std::size_t>(expected);
    assigned += out[i];
    remainders.emplace_back(expected - static_cast<double>(out[i]), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](auto& x, auto& y) { return x.first > y.first; });
  for (std::size_t k = 0; assigned < total; ++k, ++assigned) ++out[remainders[k % remainders.size()].second];
  return out;
}

std::vector<double> cumulative(const std::vector<double>& weights) {
  std::vector<double> c(weights.size());
  std::partial_sum(weights.begin(), weights.end(), c.begin());
  return c;
}

constexpr int kMaxIterations = 5000;
constexpr double kTolerance = 1e-12;

// The region x level table with margins region_shares and level_shares, from the prior times
// both margins (so a prior of 1 everywhere gives independence), by IPF; then, per level, the
// cumulative shares of the regions. Nothing when the prior is 1 everywhere.
std::vector<Issue> fit_region_by_level(const PopulationSection& pop, const std::vector<double>& level,
                                       std::vector<std::vector<double>>& out) {
  const RealMatrix& prior = pop.level_by_region_prior;
  out.clear();
  if (std::all_of(prior.values.begin(), prior.values.end(), [](double x) { return x == 1; })) return {};
  const std::vector<double> region = normalised(pop.region_shares);
  const int regions = static_cast<int>(region.size());
  std::vector<Issue> issues;
  for (int l = 0; l < kLevelCount; ++l) {
    double reachable = 0;
    for (int r = 0; r < regions; ++r) reachable += prior(r, l) * region[r];
    if (level[l] > 0 && reachable <= 0)
      issues.push_back({"population.level_by_region_prior",
                        "level " + std::string(kLevelIds[l]) + " has share " + std::to_string(level[l]) +
                            " in population.level_shares but a prior of 0 in every region with people"});
  }
  for (int r = 0; r < regions; ++r) {
    double reachable = 0;
    for (int l = 0; l < kLevelCount; ++l) reachable += prior(r, l) * level[l];
    if (region[r] > 0 && reachable <= 0)
      issues.push_back({"population.level_by_region_prior",
                        "region " + std::to_string(r) + " (" + pop.regions[static_cast<std::size_t>(r)] +
                            ") has people but a prior of 0 at every level with a share"});
  }
  if (!issues.empty()) return issues;
  std::vector<double> table(static_cast<std::size_t>(regions * kLevelCount));
  for (int r = 0; r < regions; ++r)
    for (int l = 0; l < kLevelCount; ++l) table[r * kLevelCount + l] = prior(r, l) * region[r] * level[l];
  const auto region_of = [](int c) { return c / kLevelCount; };
  const auto level_of = [](int c) { return c % kLevelCount; };
  double error = 1;
  int iteration = 0;
  for (; iteration < kMaxIterations && error > kTolerance; ++iteration)
    error = std::max(fit_margin(table, region, region_of), fit_margin(table, level, level_of));
  if (error > 1e-9)
    return {{"population.level_by_region_prior",
             "the region and level shares cannot both be matched with this prior (largest error " +
                 std::to_string(error) + " after " + std::to_string(iteration) + " iterations)"}};
  out.assign(kLevelCount, std::vector<double>(static_cast<std::size_t>(regions), 0.0));
  for (int l = 0; l < kLevelCount; ++l) {
    double sum = 0;
    for (int r = 0; r < regions; ++r) out[l][r] = sum += table[r * kLevelCount + l];
    for (double& c : out[l]) c = sum > 0 ? c / sum : 0.0; // a level without people: never drawn
  }
  return {};
}

} // namespace

double working_fraction_of_band(int band, double retirement_age) {
  const double low = kAgeBandEdges[band], high = kAgeBandEdges[band + 1];
  return std::clamp((retirement_age - low) / (high - low), 0.0, 1.0);
}

std::vector<Issue> fit_joint_table(const Parameters& p, JointTable& out) {
  const PopulationSection& pop = p.population;
  std::vector<Issue> issues;
  // Target margins. The pool ends at each sex's retirement age: older people are retired, not
  // in the working-age pool, so only the part of a band below that age counts.
  std::vector<double> age_sex(kAgeBandCount * kSexCount);
  for (int a = 0; a < kAgeBandCount; ++a) {
    age_sex[a * kSexCount + 0] = pop.age_shares_male[a] * working_fraction_of_band(a, p.demography.retirement_age_male);
    age_sex[a * kSexCount + 1] =
        pop.age_shares_female[a] * working_fraction_of_band(a, p.demography.retirement_age_female);
  }
  age_sex = normalised(age_sex);
  const std::vector<double> group = normalised(pop.group_shares);
  const std::vector<double> level = normalised(pop.level_shares);
  const std::vector<double> status = normalised(pop.status_shares);

  // A level with a positive share needs a positive prior in an age band that has people.
  for (int l = 0; l < kLevelCount; ++l) {
    double reachable = 0;
    for (int a = 0; a < kAgeBandCount; ++a)
      reachable += pop.level_by_age_prior(a, l) * (age_sex[a * kSexCount] + age_sex[a * kSexCount + 1]);
    if (level[l] > 0 && reachable <= 0)
      issues.push_back({"population.level_by_age_prior",
                        "level " + std::string(kLevelIds[l]) + " has share " + std::to_string(level[l]) +
                            " in population.level_shares but a prior of 0 in every populated age band"});
  }
  if (!issues.empty()) return issues;

  // Seed: the level-by-age prior; every other combination starts equal.
  std::vector<double> table(JointTable::kCells);
  for (int a = 0; a < kAgeBandCount; ++a)
    for (int s = 0; s < kSexCount; ++s)
      for (int g = 0; g < kGroupCount; ++g)
        for (int l = 0; l < kLevelCount; ++l)
          for (int t = 0; t < kStatusCount; ++t) table[JointTable::index(a, s, g, l, t)] = pop.level_by_age_prior(a, l);

  const auto age_sex_of = [](int c) { return c / (kGroupCount * kLevelCount * kStatusCount); };
  const auto group_of = [](int c) { return (c / (kLevelCount * kStatusCount)) % kGroupCount; };
  const auto level_of = [](int c) { return (c / kStatusCount) % kLevelCount; };
  const auto status_of = [](int c) { return c % kStatusCount; };

  double error = 1;
  int iteration = 0;
  for (; iteration < kMaxIterations && error > kTolerance; ++iteration) {
    error = fit_margin(table, age_sex, age_sex_of);
    error = std::max(error, fit_margin(table, group, group_of));
    error = std::max(error, fit_margin(table, level, level_of));
    error = std::max(error, fit_margin(table, status, status_of));
  }
  if (error > 1e-9) {
    issues.push_back({"population.level_by_age_prior",
                      "the population margins cannot all be matched with this prior (largest error " +
                          std::to_string(error) + " after " + std::to_string(iteration) +
                          " iterations); allow more age bands for the rarer levels"});
    return issues;
  }
  if (auto regional = fit_region_by_level(pop, level, out.region_cdf_by_level); !regional.empty()) return regional;
  out.share = std::move(table);
  out.iterations = iteration;
  out.max_margin_error = error;
  return issues;
}

std::size_t initial_agent_count(const PopulationSection& pop) {
  return static_cast<std::size_t>(std::llround(pop.size / static_cast<double>(pop.scale)));
}

ColumnSet agent_columns(const Parameters& p) {
  ColumnSet columns;
  // With one region every agent's is 0 (population.regions is not schedulable).
  if (p.population.regions.size() > 1) columns = columns.with(Column::region);
  if (!p.employers.size_classes.empty()) columns = columns.with(Column::employer);
  if (p.work_based_training.max_months_per_worker > 0) columns = columns.with(Column::subsidised_months);
  // A worker's programme, follow-up window and insurance months are read only by the training
  // step, and the wait for an assessment only with a programme's certificate or an evaluator
  // (neither list is schedulable): a scenario with neither stores none of the five.
  if (!p.programmes.names.empty())
    for (const Column c : {Column::programme, Column::evaluation_wait, Column::follow_up_programme,
                           Column::follow_up_months_left, Column::ui_months})
      columns = columns.with(c);
  if (!p.evaluation.evaluators.empty()) columns = columns.with(Column::programme).with(Column::evaluation_wait);
  return columns;
}

std::string_view column_key(Column c) {
  switch (c) {
  case Column::region:
    return "population.regions";
  case Column::employer:
    return "employers.size_classes";
  case Column::subsidised_months:
    return "work_based_training.max_months_per_worker";
  case Column::programme:
  case Column::evaluation_wait:
    return "programmes.names or evaluation.evaluators";
  case Column::follow_up_programme:
  case Column::follow_up_months_left:
  case Column::ui_months:
    return "programmes.names";
  default:
    return "";
  }
}

std::string column_mismatch(ColumnSet saved, ColumnSet needed) {
  std::string text;
  for (std::size_t k = 0; k < kColumnCount; ++k) {
    const auto c = static_cast<Column>(k);
    if (saved.has(c) == needed.has(c)) continue;
    const std::string name(column_name(c)), key(column_key(c));
    text += (text.empty() ? "" : "; ") +
            (needed.has(c) ? "the saved population lacks the '" + name + "' column, which this scenario needs (" + key +
                                 "); its run had none"
                           : "the saved population stores the '" + name +
                                 "' column, which this scenario does not use (" + key + ")");
  }
  return text;
}

std::size_t initial_capacity(const Parameters& p) {
  const std::size_t n = initial_agent_count(p.population);
  const auto scale = static_cast<double>(std::max<std::int64_t>(p.population.scale, 1));
  const double entrants = (p.entry.school_leavers_per_year + p.entry.technical_school_graduates_per_year) *
                          static_cast<double>(p.scenario.months) / 12.0 / scale;
  // The schools' students at the start and their enrolment over the run are agents too.
  double enrolled = 0;
  for (std::int64_t m = 0; m < p.scenario.months; ++m)
    enrolled += planned_enrolment(p, p.scenario.start + static_cast<int>(m));
  const std::size_t students = static_cast<std::size_t>(initial_student_agents(p)) +
                               static_cast<std::size_t>(std::ceil(enrolled)) +
                               static_cast<std::size_t>(enrolment_carry_allowance(p));
  return n + std::max(n / 8, static_cast<std::size_t>(std::ceil(entrants)) + students +
                                 2 * static_cast<std::size_t>(p.scenario.months));
}

std::vector<std::size_t> initial_cell_counts(const JointTable& joint, std::size_t agents) {
  // Integerise in two stages so that the level totals (what targets are stated in) are exact
  // to one agent: first the agents per level, then each level's agents over its cells, both by
  // largest remainders (ties to the lower index). No random numbers are needed.
  std::vector<double> level_share(kLevelCount, 0.0);
  for (int c = 0; c < JointTable::kCells; ++c) level_share[(c / kStatusCount) % kLevelCount] += joint.share[c];
  const std::vector<std::size_t> per_level = largest_remainder(level_share, agents);
  std::vector<std::size_t> count(JointTable::kCells, 0);
  for (int l = 0; l < kLevelCount; ++l) {
    std::vector<double> cell_share;
    std::vector<int> cells;
    for (int c = 0; c < JointTable::kCells; ++c)
      if ((c / kStatusCount) % kLevelCount == l) {
        cells.push_back(c);
        cell_share.push_back(joint.share[c]);
      }
    const std::vector<std::size_t> per_cell = largest_remainder(cell_share, per_level[l]);
    for (std::size_t k = 0; k < cells.size(); ++k) count[cells[k]] = per_cell[k];
  }
  return count;
}

int initial_band_months(const Parameters& p, int band, int sex) {
  const double retirement_age = sex == 0 ? p.demography.retirement_age_male : p.demography.retirement_age_female;
  return static_cast<int>(std::lround((kAgeBandEdges[band + 1] - kAgeBandEdges[band]) * 12 *
                                      working_fraction_of_band(band, retirement_age)));
}

int initial_max_months_at_level(const PopulationSection& pop, int age_months) {
  const int working_months = age_months - kMinAge * 12;
  return std::max(0, std::min<int>(static_cast<int>(pop.max_months_at_level), working_months));
}

Population synthesize_population(const Parameters& p, const RandomStreams& rng, const std::atomic<bool>* cancel,
                                 std::size_t first, std::size_t last) {
  const auto& pop = p.population;
  JointTable joint;
  if (auto issues = fit_joint_table(p, joint); !issues.empty()) {
    std::vector<Diagnostic> diagnostics;
    for (auto& issue : issues) diagnostics.push_back({"", 0, 0, issue.key, issue.message});
    throw ScenarioError(std::move(diagnostics));
  }

  const std::size_t n = initial_agent_count(pop);
  const std::vector<std::size_t> count = initial_cell_counts(joint, n);

  const std::vector<double> sector_cdf = cumulative(pop.sector_shares);
  const std::vector<double> region_cdf = cumulative(pop.region_shares);
  const Month start = p.scenario.start;

  const bool whole = first == 0 && last >= n;
  Population population(agent_columns(p));
  // A rank's range: its own agents, and room for its share of the entrants (ranks.hpp).
  const std::size_t own = std::min(last, n) - std::min(first, n);
  const std::size_t sharing = whole || own == 0 ? 1 : (n + own - 1) / own;
  population.reserve(whole ? initial_capacity(p) : own + (initial_capacity(p) - n) / sharing + 1);
  std::uint64_t next_id = 0;
  for (int c = 0; c < JointTable::kCells; ++c) {
    if (count[c] == 0) continue;
    if (next_id + count[c] <= first || next_id >= last) { // outside the range: its ids are skipped
      next_id += count[c];
      continue;
    }
    if (cancel != nullptr && cancel->load()) throw Cancelled();
    const int a = c / (kSexCount * kGroupCount * kLevelCount * kStatusCount);
    const int s = (c / (kGroupCount * kLevelCount * kStatusCount)) % kSexCount;
    const int g = (c / (kLevelCount * kStatusCount)) % kGroupCount;
    const int l = (c / kStatusCount) % kLevelCount;
    const int t = c % kStatusCount;
    const int band_months = initial_band_months(p, a, s);
    for (std::size_t k = 0; k < count[c]; ++k) {
      const std::uint64_t id = next_id++;
      if (id < first || id >= last) continue;
      const DrawBlock d = rng.block(streams::kSynthesis, start.index, id);
      const int age_months = kAgeBandEdges[a] * 12 + static_cast<int>(d.uniform(streams::kSynthesisAge) * band_months);
      const int working_months = age_months - kMinAge * 12;
      const int max_at_level = initial_max_months_at_level(pop, age_months);
      Agent agent;
      agent.id = id;
      agent.birth_month = start.index - age_months;
      const int months_at_level = static_cast<int>(d.uniform(streams::kSynthesisMonthsAtLevel) * (max_at_level + 1));
      agent.months_at_level = static_cast<std::uint8_t>(std::min(months_at_level, kMaxMonthsAtLevel));
      const bool insured = d.uniform(streams::kSynthesisInsured) < pop.insured_share[g];
      agent.ui_months = insured ? static_cast<std::uint16_t>(d.uniform(streams::kSynthesisInsuranceMonths) *
                                                             (std::min(working_months, 120) + 1))
                                : std::uint16_t{0};
      agent.region = static_cast<std::uint16_t>(
          pick(joint.region_cdf_by_level.empty() ? region_cdf : joint.region_cdf_by_level[static_cast<std::size_t>(l)],
               d.uniform(streams::kSynthesisRegion)));
      agent.sector = static_cast<std::uint8_t>(pick(sector_cdf, d.uniform(streams::kSynthesisSector)));
      agent.level = static_cast<Level>(l);
      agent.status = static_cast<Status>(t);
      agent.group = static_cast<Group>(g);
      // A group with a time limit: the months already served are unknown, so uniform over the
      // limit (its members then leave at an even pace, not all at once).
      if (const std::int64_t limit = p.groups.leave_after_months[static_cast<std::size_t>(g)]; limit > 0)
        agent.months_in_group =
            static_cast<std::uint8_t>(d.uniform(streams::kSynthesisMonthsInGroup) * static_cast<double>(limit));
      agent.sex = static_cast<std::uint8_t>(s);
      population.push_back(agent);
    }
  }
  // 技工院校 students in school at the start, if any (a rank's range: its caller adds its share).
  if (whole) add_initial_students(p, rng, population);
  return population;
}

} // namespace skillsim
