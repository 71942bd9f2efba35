// Employers: every employed worker in one cell every month (the cells' employed add up to the
// employed stock per region); with matching at its special case ("hazard") and posts never
// binding, the results of employers off, bit for bit and in distribution; the Cobb-Douglas
// matching by hand; appointments that need a post, counted by hand; pay by hand; 1 vs 2 threads
// and snapshots; every validation message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/employers.hpp"
#include "skillsim/core/simulation.hpp"

using namespace skillsim;
using test::dump;
using test::everything_off;
using test::has_issue;
using test::operator+;

namespace {

// Two size classes; `changes` replace or add employer keys (without the "employers." prefix).
std::vector<std::string> two_sizes(std::map<std::string, std::string> changes = {}) {
  std::map<std::string, std::string> settings = {{"size_classes", R"(["large", "small"])"},
                                                 {"labels", R"(["大型企业", "中小企业"])"},
                                                 {"size_shares", "[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]"}};
  for (auto& [k, v] : changes) settings[k] = v;
  std::vector<std::string> out;
  for (auto& [k, v] : settings) out.push_back("employers." + k + "=" + v);
  return out;
}

// Two regions, so that matching and cells are per region.
const std::vector<std::string> kTwoRegions = {R"(population.regions=["north", "south"])",
                                              "population.region_shares=[0.4, 0.6]"};

} // namespace

TEST(Employers, WithoutSizeClassesNothingIsDeclaredOrAssigned) {
  const Scenario s = test::small_scenario({}, 20000, 1, 2);
  const Results r = run_scenario(s, RunOptions{});
  EXPECT_FALSE(r.has_variable("employer_posts"));
  EXPECT_FALSE(r.has_variable("wage_bill"));
  ReplicateState state(s, 1, 0);
  state.step();
  EXPECT_TRUE(state.population().employer.empty()) << "no employer column without employers (optional)";
}

TEST(Employers, EveryEmployedWorkerBelongsToOneCellEveryMonth) {
  // The defaults' dynamics (deaths, retirements, entrants, job loss and finding, assessments) with
  // matching by the Cobb-Douglas function.
  const Scenario s = test::small_scenario(kTwoRegions + two_sizes({{"matching", R"("cobb_douglas")"}}), 30000, 1, 14);
  ReplicateState state(s, 7, 0);
  test::expect_employers_consistent(state, 2, 2, 0);
  for (int m = 1; m <= 14; ++m) {
    state.step();
    test::expect_employers_consistent(state, 2, 2, m);
  }
  // And in the results: the cells' employed add up to the employed stock at every time point.
  const Results r = run_scenario(s, RunOptions{});
  const std::size_t employed_status = static_cast<std::size_t>(Status::Employed);
  std::int64_t hires = 0, separations = 0;
  for (std::size_t t = 0; t <= 14; ++t) {
    std::int64_t stock = 0, in_cells = 0;
    for (std::size_t l = 0; l < kLevelCount; ++l)
      stock += test::at(r, "workers", 0, t, l * kStatusCount + employed_status);
    for (std::size_t k = 0; k < 2 * kSectorCount * 2; ++k) in_cells += test::at(r, "employer_employed", 0, t, k);
    EXPECT_EQ(in_cells, stock) << t;
    if (t > 0)
      for (std::size_t reg = 0; reg < 2; ++reg) {
        hires += test::at(r, "employer_hires", 0, t, reg);
        separations += test::at(r, "employer_separations", 0, t, reg);
      }
  }
  // Stock and flows: employed(end) = employed(start) + hires - separations.
  std::int64_t start = 0, end = 0;
  for (std::size_t k = 0; k < 2 * kSectorCount * 2; ++k) {
    start += test::at(r, "employer_employed", 0, 0, k);
    end += test::at(r, "employer_employed", 0, 14, k);
  }
  EXPECT_GT(hires, 0);
  EXPECT_GT(separations, 0);
  EXPECT_EQ(end, start + hires - separations);
}

// The special case: "hazard" matching and no post binding give the results of employers off,
// bit for bit (the cells draw from a stream of their own), so also in distribution.
TEST(Employers, HazardMatchingWithoutBindingPostsChangesNoResult) {
  const Scenario off = test::small_scenario(kTwoRegions, 30000, 1, 12);
  const Scenario on = test::small_scenario(kTwoRegions + two_sizes(), 30000, 1, 12);
  RunOptions o;
  o.replicates = 2;
  const Results without = run_scenario(off, o), with = run_scenario(on, o);
  test::expect_same_results(with, without, false);
  EXPECT_TRUE(with.has_variable("employer_posts"));
}

// The same in distribution, with independent random numbers: every level's count after 24 months
// within 4 standard errors of the employers-off runs.
TEST(Employers, HazardMatchingEqualsEmployersOffInDistribution) {
  const Scenario off = test::small_scenario({}, 15000, 1, 24);
  const Scenario on = test::small_scenario(two_sizes(), 15000, 1, 24);
  RunOptions o;
  o.replicates = 12;
  o.seed = 11;
  const Results without = run_scenario(off, o);
  o.seed = 12;
  const Results with = run_scenario(on, o);
  for (std::size_t l = 0; l < kLevelCount; ++l) {
    double mean[2] = {0, 0}, var[2] = {0, 0};
    const Results* runs[2] = {&without, &with};
    for (int k = 0; k < 2; ++k) {
      std::vector<double> x;
      for (std::size_t rep = 0; rep < 12; ++rep) {
        std::int64_t n = 0;
        for (std::size_t st = 0; st < kStatusCount; ++st)
          n += test::at(*runs[k], "workers", rep, 24, l * kStatusCount + st);
        x.push_back(static_cast<double>(n));
      }
      for (double v : x) mean[k] += v / 12;
      for (double v : x) var[k] += (v - mean[k]) * (v - mean[k]) / 11;
    }
    const double se = std::sqrt(var[0] / 12 + var[1] / 12);
    EXPECT_LE(std::abs(mean[1] - mean[0]), 4 * se + 1e-9) << "level " << l << ": " << mean[0] << " vs " << mean[1];
  }
}

TEST(Employers, CobbDouglasMatchesByHand) {
  // M = 0.2 x 400^0.5 x 100^0.5 = 0.2 x 20 x 10 = 40 matches; 40 / 400 = 0.1 per job seeker.
  EXPECT_NEAR(cobb_douglas_matches(0.2, 0.5, 400, 100), 40, 1e-12);
  // alpha = 0.25: 0.5 x 81^0.25 x 16^0.75 = 0.5 x 3 x 8 = 12.
  EXPECT_NEAR(cobb_douglas_matches(0.5, 0.25, 81, 16), 12, 1e-12);
  // The other way round it would be 0.5 x 2 x 27 = 27 matches for 16 seekers: capped at U = 16.
  EXPECT_EQ(cobb_douglas_matches(0.5, 0.25, 16, 81), 16);
  // Never more matches than job seekers or vacancies: 2 x 10 x 5 = 100, capped at V = 25.
  EXPECT_EQ(cobb_douglas_matches(2, 0.5, 100, 25), 25);
  EXPECT_EQ(cobb_douglas_matches(0.2, 0.5, 0, 100), 0);
  EXPECT_EQ(cobb_douglas_matches(0.2, 0.5, 100, 0), 0);
}

TEST(Employers, TheMonthsJobFindingIsTheMatchingFunctionOfTheRegionsSeekersAndVacancies) {
  // Nothing moves but job finding; one region; vacancy_rate 0.25 gives vacancies by hand.
  const Scenario s =
      test::small_scenario(everything_off() +
                               two_sizes({{"matching", R"("cobb_douglas")"},
                                          {"matching_efficiency", "0.3"},
                                          {"matching_elasticity", "0.4"},
                                          {"vacancy_rate", "0.25"}}) +
                               std::vector<std::string>{"labour.job_find_level_factor=" + test::repeat(1, kLevelCount)},
                           40000, 1, 1);
  const Parameters& p = s.parameters();
  ReplicateState state(s, 3, 0);
  const Population& pop = state.population();
  // U and V counted by hand from the agents: posts of a cell = round(1.25 x its employed).
  std::int64_t seekers = 0;
  std::vector<std::int64_t> employed(kSectorCount * 2, 0);
  for (std::size_t i = 0; i < pop.size(); ++i) {
    if (pop.status[i] == static_cast<std::uint8_t>(Status::Unemployed)) ++seekers;
    if (pop.employer[i] != kNoEmployer) ++employed[pop.employer[i]];
  }
  double vacancies = 0;
  for (std::int64_t e : employed) vacancies += static_cast<double>(std::llround(1.25 * static_cast<double>(e)) - e);
  const double u = static_cast<double>(seekers);
  const double expected = std::min({0.3 * std::pow(u, 0.4) * std::pow(vacancies, 0.6), u, vacancies}) / u;
  ASSERT_GT(seekers, 1000);
  Employers e(p);
  Population copy = pop;
  e.assign_initial(p, copy, RandomStreams(3, 0));
  TransitionRates rates(p);
  e.begin_month(p, p.scenario.start, rates);
  ASSERT_EQ(rates.job_find_by_region.size(), static_cast<std::size_t>(kLevelCount * kGroupCount));
  for (double find : rates.job_find_by_region) EXPECT_NEAR(find, expected, 1e-12);
  // The month's job finds: binomial(U, expected), within 4 standard errors.
  state.step();
  const double finds = static_cast<double>(state.last_flows().job_finds);
  EXPECT_NEAR(finds, u * expected, 4 * std::sqrt(u * expected * (1 - expected)));
  // Under "hazard" the table is left empty and job_find holds.
  Parameters hazard = p;
  hazard.employers.matching = "hazard";
  TransitionRates plain(hazard);
  e.begin_month(hazard, p.scenario.start, plain);
  EXPECT_TRUE(plain.job_find_by_region.empty());
}

TEST(Employers, AppointmentsNeedAFreePostInTheWorkersCellCountedByHand) {
  // Only appointments to 特级技师 run, with a quota far above the eligible; 5 posts per 1000 at
  // 特级技师 in large firms, 1 in small ones.
  const Scenario s = test::small_scenario(
      everything_off() +
          two_sizes({{"posts_per_1000", "[[0, 0, 0, 0, 0, 0, 0, 5, 0], [0, 0, 0, 0, 0, 0, 0, 1, 0]]"},
                     {"appointment_needs_post", "[0, 0, 0, 0, 0, 0, 0, 1, 0]"}}) +
          std::vector<std::string>{"skills.principal_technician_quota_per_year=1200000"},
      200000, 1, 2);
  const Parameters& p = s.parameters();
  ReplicateState state(s, 5, 0);
  const Population& pop = state.population();
  const std::size_t cells = kSectorCount * 2;
  std::vector<std::int64_t> employed(cells, 0), at_7(cells, 0), eligible(cells, 0), posts_7(cells, 0);
  const TransitionRates rates(p);
  for (std::size_t i = 0; i < pop.size(); ++i) {
    const std::uint8_t c = pop.employer[i];
    if (c == kNoEmployer) continue;
    ++employed[c];
    if (pop.level[i] == 7) ++at_7[c];
    // Eligibility is judged after the month's rules, which add a month at the level.
    if (appointment_eligible(rates, 7, pop.level[i], pop.status[i], pop.months_at_level[i] + 1)) ++eligible[c];
  }
  std::int64_t appointed = 0, eligible_total = 0, posts_total = 0;
  for (std::size_t c = 0; c < cells; ++c) {
    const double per_1000 = c % 2 == 0 ? 5 : 1;
    const auto posts = static_cast<std::int64_t>(std::llround(1.05 * static_cast<double>(employed[c])));
    posts_7[c] = static_cast<std::int64_t>(std::floor(static_cast<double>(posts) * per_1000 / 1000 + 1e-9));
    posts_total += posts_7[c];
    appointed += std::min(std::max<std::int64_t>(0, posts_7[c] - at_7[c]), eligible[c]);
    eligible_total += eligible[c];
  }
  ASSERT_GT(eligible_total, appointed); // the posts bind
  ASSERT_GT(appointed, 0);
  state.step();
  // Every free post is taken (the quota is far above), nobody else is appointed, and the places
  // refused for want of a post are the eligible left over.
  const auto& flows = state.last_flows();
  EXPECT_EQ(flows.promotions[7], appointed);
  EXPECT_EQ(state.employers().tally().no_post[7], eligible_total - appointed);
  // No appointment without a free post: in every cell 特级技师 are at most the posts (or as many
  // as held the level before, where those were more).
  std::vector<std::int64_t> after(cells, 0);
  for (std::size_t i = 0; i < pop.size(); ++i)
    if (pop.employer[i] != kNoEmployer && pop.level[i] == 7) ++after[pop.employer[i]];
  for (std::size_t c = 0; c < cells; ++c) EXPECT_LE(after[c], std::max(posts_7[c], at_7[c])) << "cell " << c;
  EXPECT_GT(posts_total, 0);
  // Next month only posts left free can be filled (by workers who have since served the wait).
  state.step();
  std::fill(after.begin(), after.end(), 0);
  for (std::size_t i = 0; i < pop.size(); ++i)
    if (pop.employer[i] != kNoEmployer && pop.level[i] == 7) ++after[pop.employer[i]];
  for (std::size_t c = 0; c < cells; ++c) EXPECT_LE(after[c], std::max(posts_7[c], at_7[c])) << "cell " << c;
  // Without the requirement the quota takes every eligible worker.
  const Scenario free_s = test::small_scenario(
      everything_off() + two_sizes() + std::vector<std::string>{"skills.principal_technician_quota_per_year=1200000"},
      200000, 1, 1);
  ReplicateState unbound(free_s, 5, 0);
  unbound.step();
  EXPECT_EQ(unbound.last_flows().promotions[7], eligible_total);
}

TEST(Employers, PayByHand) {
  const Scenario s =
      test::small_scenario(everything_off() + kTwoRegions +
                               two_sizes({{"wage_per_month", "[1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800]"},
                                          {"wage_sector_factor", "[0.5, 1, 2]"},
                                          {"wage_region_factor", "[1, 1.5]"},
                                          {"wage_growth_per_year", "0.12"}}),
                           20000, 5, 12);
  const Results r = run_scenario(s, RunOptions{});
  ReplicateState state(s, 1, 0);
  const Population& pop = state.population();
  double bill = 0, sum_3_0 = 0;
  std::int64_t n_3_0 = 0;
  for (std::size_t i = 0; i < pop.size(); ++i) {
    if (pop.status[i] != static_cast<std::uint8_t>(Status::Employed)) continue;
    const double w = (1000 + 100 * pop.level[i]) *
                     (pop.sector[i] == 0   ? 0.5
                      : pop.sector[i] == 1 ? 1.0
                                           : 2.0) *
                     (pop.region_of(i) == 0 ? 1.0 : 1.5);
    bill += w * 5;
    if (pop.level[i] == 3 && pop.group[i] == 0) {
      sum_3_0 += w;
      ++n_3_0;
    }
  }
  ASSERT_GT(n_3_0, 0);
  // Nothing moves: the bill at the start, and after 12 months grown by 12%.
  EXPECT_NEAR(static_cast<double>(test::at(r, "wage_bill", 0, 0)), bill, 1);
  EXPECT_NEAR(static_cast<double>(test::at(r, "wage_bill", 0, 12)), bill * std::pow(1.12, 11.0 / 12), 1);
  EXPECT_EQ(test::at(r, "mean_pay", 0, 0, 3 * kGroupCount + 0), std::llround(sum_3_0 / static_cast<double>(n_3_0)));
}

TEST(Employers, IdenticalForOneAndTwoThreads) {
  const Results r = test::expect_same_for_one_and_two_threads(
      test::small_scenario(
          kTwoRegions +
              two_sizes({{"matching", R"("cobb_douglas")"},
                         {"posts_per_1000", "[[0, 0, 0, 0, 0, 0, 0, 5, 1], [0, 0, 0, 0, 0, 0, 0, 1, 0]]"},
                         {"appointment_needs_post", "[0, 0, 0, 0, 0, 0, 0, 1, 1]"}}) +
              std::vector<std::string>{"skills.principal_technician_quota_per_year=50000"},
          60000, 1, 12),
      2);
  std::int64_t hires = 0;
  for (std::size_t t = 1; t <= 12; ++t) hires += test::at(r, "employer_hires", 0, t, 0);
  EXPECT_GT(hires, 0);
}

TEST(Employers, ASnapshotContinuesTheRunBitForBit) {
  const Scenario s = test::small_scenario(
      kTwoRegions + two_sizes({{"matching", R"("cobb_douglas")"},
                               {"posts_per_1000", "[[0, 0, 0, 0, 0, 0, 0, 5, 1], [0, 0, 0, 0, 0, 0, 0, 1, 0]]"},
                               {"appointment_needs_post", "[0, 0, 0, 0, 0, 0, 0, 1, 1]"},
                               {"post_growth_per_year", "0.05"}}),
      30000, 1, 10);
  const ReplicateSnapshot saved = test::expect_continues_from_snapshot(s, 5, 5);
  EXPECT_FALSE(saved.employers.initial_posts.empty());
}

TEST(Employers, EveryValidationMessage) {
  const auto issues_of = [](std::map<std::string, std::string> changes) {
    Parameters p = test::small_scenario(two_sizes()).parameters();
    auto& e = p.employers;
    for (auto& [key, value] : changes) {
      if (key == "matching") e.matching = value;
      if (key == "needs_post_at_6") e.appointment_needs_post[6] = 1;
      if (key == "shares") e.size_shares.values = {0.2, 0.6, 0.4, 0.7, 0.4, 0.6};
      if (key == "many") {
        e.size_classes.clear();
        e.labels.clear();
        for (int k = 0; k < 90; ++k) {
          e.size_classes.push_back("s" + std::to_string(k));
          e.labels.push_back("s");
        }
      }
      if (key == "labels") e.labels = {"大型企业"};
      if (key == "twice") e.size_classes = {"large", "large"};
      if (key == "elasticity") e.matching_elasticity = 1.5;
      if (key == "regions") e.wage_region_factor = {1, 2};
    }
    return check(p);
  };
  EXPECT_TRUE(issues_of({}).empty()) << dump(issues_of({}));
  auto issues = issues_of({{"matching", "cobb_duglas"}});
  EXPECT_TRUE(has_issue(issues, "employers.matching",
                        "unknown matching 'cobb_duglas'; did you mean 'cobb_douglas'? (expected \"hazard\", "
                        "\"cobb_douglas\" or \"cobb_douglas_by_level\")"))
      << dump(issues);
  issues = issues_of({{"needs_post_at_6", ""}});
  EXPECT_TRUE(has_issue(issues, "employers.appointment_needs_post[6]",
                        "高级技师 is not appointed (only 特级技师 and 首席技师 are); must be false"))
      << dump(issues);
  issues = issues_of({{"shares", ""}});
  EXPECT_TRUE(has_issue(issues, "employers.size_shares", "the shares of sector 'primary' (column 0) sum to 0.9, not 1"))
      << dump(issues);
  issues = issues_of({{"many", ""}});
  EXPECT_TRUE(has_issue(issues, "employers.size_classes", "at most 84 size classes are supported")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "employers.size_shares", "expected 90 rows")) << dump(issues);
  issues = issues_of({{"labels", ""}});
  EXPECT_TRUE(has_issue(issues, "employers.labels", "expected 2 values")) << dump(issues);
  issues = issues_of({{"twice", ""}});
  EXPECT_TRUE(has_issue(issues, "employers.size_classes[1]", "size class 'large' is listed twice")) << dump(issues);
  issues = issues_of({{"elasticity", ""}});
  EXPECT_TRUE(has_issue(issues, "employers.matching_elasticity", "must be in [0, 1], got 1.5")) << dump(issues);
  issues = issues_of({{"regions", ""}});
  EXPECT_TRUE(has_issue(issues, "employers.wage_region_factor",
                        "expected 1 values, one per region (as listed in population.regions), or none (1 "
                        "everywhere), got 2"))
      << dump(issues);
  // A scenario that declares size classes must give their shares.
  EXPECT_THROW(test::small_scenario({R"(employers.size_classes=["large"])", R"(employers.labels=["大"])"}),
               std::exception);
}
