// Master studios in the expected-value twin (docs/twin.md, "Master studios"): the month's places
// and mentored from the expected masters and eligible by the agents' rule, and, where the places
// cover the eligible (everybody eligible mentored, as the agents' rule does), the agents' mean
// within 4 standard errors of the twin with mentoring that shortens the wait and raises the
// pass, for ordinary assessments held at once and in an evaluator's queue.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/core/twin.hpp"
#include "twin_checks.hpp"

namespace skillsim {
namespace {

using test::everything_off;
using test::operator+;
using test::expect_mean_around;
using test::small_scenario;
using test::value;
using test::yearly_total;

constexpr std::size_t kEmployed = static_cast<std::size_t>(Status::Employed);

// `count` studios from the start, `per_studio` and `per_master` places, masters from 技师 (5),
// mentees from 初级工 (1); a mentee passes 1.5 times as often and may sit 6 months early.
std::vector<std::string> studios(const std::string& count, const std::string& per_studio,
                                 const std::string& per_master) {
  return {"studios.count=[" + count + "]",
          "studios.places_per_studio=" + per_studio,
          "studios.places_per_master=" + per_master,
          "studios.master_min_level=5",
          "studios.mentee_min_level=1",
          "studios.pass_factor=1.5",
          "studios.waiting=\"shortened\"",
          "studios.shorten_months=6"};
}

// The employed of replicate 0 at time t from level `from` to below `to`.
double employed(const Results& r, std::size_t t, std::size_t from, std::size_t to) {
  double n = 0;
  for (std::size_t l = from; l < to; ++l) n += value(r, "workers", 0, t, l * kStatusCount + kEmployed);
  return n;
}

// Nothing moves, so the month's start is time 0: the masters are the employed at 技师 and above,
// the places min(studios x 10, masters x per master) in whole persons (scale 1), the mentored the
// places up to the eligible (employed, 初级工 to 高级工).
TEST(TwinStudios, PlacesAndMentoredFromTheExpectedMastersAndEligible) {
  const double persons = 20000;
  struct Case {
    const char* what;
    std::string count, per_studio, per_master;
  };
  for (const Case& c : {Case{"studios bind", "3", "10", "2"}, Case{"masters bind", "1000", "1e6", "0.01"},
                        Case{"the eligible bind", "1000", "1e6", "1e6"}}) {
    const Results twin = project_scenario(
        small_scenario(everything_off() + studios(c.count, c.per_studio, c.per_master), persons, 1, 3));
    const double masters = employed(twin, 0, 5, kLevelCount), eligible = employed(twin, 0, 1, 5);
    ASSERT_GT(masters, 100) << c.what;
    ASSERT_GT(eligible, 1000) << c.what;
    const double places =
        std::floor(std::min(std::stod(c.count) * std::stod(c.per_studio), masters * std::stod(c.per_master)));
    for (std::size_t t = 1; t <= 3; ++t) {
      EXPECT_EQ(value(twin, "studios", 0, t), std::stod(c.count)) << c.what;
      EXPECT_NEAR(value(twin, "studio_masters", 0, t), masters, 1e-9 * masters) << c.what;
      EXPECT_EQ(value(twin, "mentoring_places", 0, t), places) << c.what;
      EXPECT_NEAR(value(twin, "mentored", 0, t), std::min(places, eligible), 1e-9 * eligible) << c.what;
    }
  }
}

// Two regions (30% and 70% of everybody; the twin splits its stocks by the shares): each
// region's places from its studios and its share of the masters, its mentored up to its share of
// the eligible.
TEST(TwinStudios, EachRegionItsPlacesFromItsShareOfTheMasters) {
  const Results twin = project_scenario(small_scenario(
      everything_off() + studios("3, 1000", "10", "1") +
          std::vector<std::string>{"population.regions=[\"甲\", \"乙\"]", "population.region_shares=[0.3, 0.7]"},
      20000, 1, 2));
  const double masters = employed(twin, 0, 5, kLevelCount), eligible = employed(twin, 0, 1, 5);
  const double share[2] = {0.3, 0.7}, open[2] = {3, 1000};
  for (std::size_t r = 0; r < 2; ++r) {
    // Region 0: its 3 studios bind (30 places); region 1: its masters (1 place a master).
    const double places = std::floor(std::min(open[r] * 10, masters * share[r]));
    EXPECT_EQ(value(twin, "studios", 0, 1, r), open[r]) << r;
    EXPECT_NEAR(value(twin, "studio_masters", 0, 1, r), masters * share[r], 1e-9 * masters) << r;
    EXPECT_EQ(value(twin, "mentoring_places", 0, 1, r), places) << r;
    EXPECT_NEAR(value(twin, "mentored", 0, 1, r), std::min(places, eligible * share[r]), 1e-9 * eligible) << r;
  }
  EXPECT_EQ(value(twin, "mentoring_places", 0, 1, 0), 30);
  EXPECT_LT(value(twin, "mentoring_places", 0, 1, 1), 10000);
}

// The national defaults at 20,000 persons: the first month's promotions and assessments, from the
// same start, are linear in the share of the eligible mentored (the kernel's two bands of months
// at the level: the studios' wait to the minimum, and beyond), here about a half, between none
// (no studio) and everybody. The months after depend on the share through the state.
TEST(TwinStudios, FirstMonthsPromotionsAreLinearInTheMentoredShare) {
  const auto project = [](const std::string& count) {
    return project_scenario(small_scenario(studios(count, "10", "1e6"), 20000, 1, 1));
  };
  const Results none = project("0"), all = project("1e6");
  const double eligible = value(all, "mentored", 0, 1);
  ASSERT_GT(eligible, 1000);
  const Results half = project(std::to_string(std::round(eligible / 20)));
  const double s = value(half, "mentored", 0, 1) / eligible;
  ASSERT_GT(s, 0.4);
  ASSERT_LT(s, 0.6);
  double changed = 0;
  for (const char* name : {"promotions", "assessments"})
    for (std::size_t l = 0; l < kLevelCount; ++l) {
      const double expected = value(none, name, 0, 1, l) + s * (value(all, name, 0, 1, l) - value(none, name, 0, 1, l));
      EXPECT_NEAR(value(half, name, 0, 1, l), expected, 1e-9 * std::max(1.0, expected)) << name << " " << l;
      changed += std::abs(value(all, name, 0, 1, l) - value(none, name, 0, 1, l));
    }
  EXPECT_GT(changed, 5); // mentoring changes the month (7.6 persons in all)
}

// The masters and eligible are counted among everybody active at the month's start, the month's
// dying and retiring too: the same whether the dying are derived from the month before (the
// default) or pushed as vectors of their own (TwinOptions::pushed_deaths), with deaths, ageing
// and a share mentored between 0 and 1.
TEST(TwinStudios, DerivedAndPushedDeathsCountTheSameMastersAndMentees) {
  const Scenario s = small_scenario(studios("150", "10", "1e6"), 20000, 1, 12);
  const TwinProjection derived = project_expected(s, {.check_buffers_cleared = true}),
                       pushed = project_expected(s, {.pushed_deaths = true});
  for (std::size_t t = 1; t <= 12; ++t) {
    const TwinFlows &a = derived.flows[t], &b = pushed.flows[t];
    ASSERT_EQ(a.mentored.size(), 1u);
    EXPECT_GT(a.mentored[0], 0) << t;
    EXPECT_NEAR(a.mentored[0], 1500, 1e-9) << t; // the places bind (of some 3,000 eligible)
    for (const auto& [what, x, y] : {std::tuple{"studio_masters", a.studio_masters[0], b.studio_masters[0]},
                                     std::tuple{"mentoring_places", a.mentoring_places[0], b.mentoring_places[0]},
                                     std::tuple{"mentored", a.mentored[0], b.mentored[0]}})
      EXPECT_NEAR(x, y, 1e-9 * std::abs(y)) << what << " " << t;
    for (std::size_t l = 0; l < kLevelCount; ++l)
      EXPECT_NEAR(a.promotions[l], b.promotions[l], 1e-9 * std::max(1.0, b.promotions[l])) << l << " " << t;
  }
}

// The national defaults at 20,000 persons over 24 months with studios whose places cover every
// eligible worker, so that the agents' priorities choose nobody out: the agents' mean within 4
// standard errors of the twin for every level x status every 6 months, each year's promotions and
// assessments, and the mentored every 6 months. With `evaluators` the ordinary assessments from
// 中级工 up queue for an agency (ample capacity), where a mentee's pass is raised too.
int compare_studios(bool evaluators) {
  std::vector<std::string> o = studios("1000", "1e6", "1e6");
  if (evaluators)
    for (const char* s : {"evaluation.evaluators=[\"agency\"]", "evaluation.labels=[\"社会培训评价组织\"]",
                          "evaluation.capacity_per_month=[[1e9]]", "evaluation.eligible_statuses=[[0, 1, 1, 1, 0, 0]]",
                          "evaluation.max_level=[6]", "evaluation.max_wait_months=6"})
      o.push_back(s);
  const Scenario s = small_scenario(o, 20000, 1, 24);
  RunOptions options;
  options.replicates = 30;
  options.seed = 17;
  const Results agents = run_scenario(s, options), twin = project_scenario(s);
  int compared = 0;
  const test::MeanTolerance rounding{.absolute = 1e-6};
  for (std::size_t t = 6; t <= 24; t += 6) {
    compared += expect_mean_around(
        agents, twin, options.replicates, kLevelCount * kStatusCount,
        [&](const Results& r, std::size_t rep, std::size_t k) { return value(r, "workers", rep, t, k); },
        "workers at month " + std::to_string(t), rounding);
    compared += expect_mean_around(
        agents, twin, options.replicates, 1,
        [&](const Results& r, std::size_t rep, std::size_t) { return value(r, "mentored", rep, t); },
        "mentored in month " + std::to_string(t), rounding);
  }
  for (std::size_t t = 12; t <= 24; t += 12)
    for (const char* name : {"promotions", "assessments"})
      compared += expect_mean_around(agents, twin, options.replicates, kLevelCount, yearly_total(name, t),
                                     std::string(name) + " in the year to month " + std::to_string(t), rounding);
  // Mentoring matters here: without the studios the twin promotes visibly fewer.
  std::vector<std::string> none = o;
  none[0] = "studios.count=[0]";
  const Results without = project_scenario(small_scenario(none, 20000, 1, 24));
  double with_studios = 0, without_studios = 0;
  for (std::size_t l = 0; l < kLevelCount; ++l) {
    with_studios += yearly_total("promotions", 24)(twin, 0, l);
    without_studios += yearly_total("promotions", 24)(without, 0, l);
  }
  EXPECT_GT(with_studios, 1.1 * without_studios);
  return compared;
}

TEST(TwinStudios, AgentMeanWithinFourStandardErrorsWhereThePlacesCoverTheEligible) {
  EXPECT_GT(compare_studios(false), 200);
}

TEST(TwinStudios, AgentMeanWithinFourStandardErrorsWithMenteesQueuedForAnEvaluator) {
  EXPECT_GT(compare_studios(true), 200);
}

} // namespace
} // namespace skillsim
