// Skills competitions in the expected-value twin (docs/twin.md, "Skills competitions"): the
// share of each eligible cell that enters and wins, in closed form where nothing else moves, and
// the agents' mean within 4 standard errors of the twin.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/core/twin.hpp"
#include "twin_checks.hpp"

namespace skillsim {
namespace {

using test::expect_mean_around;
using test::value;

using test::everything_off;
using test::small_scenario;

// A competition held every month for the employed at 初级工 to 技师 (no wait), `entrants` and
// `winners` a year, promoting or crediting 12 months at the level (`award`), and a second tier (anybody in the
// labour force at 中级工 and above, 6 months served) held in the same months after it.
std::vector<std::string> competition(const std::string& entrants, const std::string& winners,
                                     const std::string& award = "promote") {
  return {"competitions.tiers=[\"city\", \"province\"]", "competitions.labels=[\"市级\", \"省级\"]",
          "competitions.month_held=[0, 0]", "competitions.entrants_per_year=[" + entrants + ", 600]",
          "competitions.winners_per_year=[" + winners + ", 60]",
          "competitions.eligible_statuses=[[0, 1, 0, 0, 0, 0], [0, 1, 1, 1, 0, 0]]", "competitions.min_level=[2, 3]",
          "competitions.max_level=[5, 6]", "competitions.award=[\"" + award + "\", \"promote\"]",
          // A promoting tier asks for no months served (none); a crediting one takes entrants at
          // any months (its rule is "shortened", by the months it credits).
          std::string("competitions.waiting=[\"") + (award == "promote" ? "none" : "shortened") + "\", \"shortened\"]",
          std::string("competitions.shorten_months=[") + (award == "promote" ? "0" : "12") + ", 6]"};
}

// Nothing else moves (no deaths, labour market, assessments, entrants): in the first month the
// first tier's 100 entrants and 10 winners are spread over the employed at levels 2-5 in
// proportion, every month 10 + 5 are promoted, and the stocks only move up.
TEST(TwinCompetitions, SharesOfTheEligibleInClosedForm) {
  std::vector<std::string> o = everything_off();
  for (const std::string& s : competition("1200", "120")) o.push_back(s);
  const Results twin = project_scenario(small_scenario(o, 20000, 1, 12));
  const auto employed = static_cast<std::size_t>(Status::Employed);
  double eligible = 0;
  for (std::size_t l = 2; l <= 5; ++l) eligible += value(twin, "workers", 0, 0, l * kStatusCount + employed);
  ASSERT_GT(eligible, 100);
  for (std::size_t l = 2; l <= 5; ++l) {
    const double share = value(twin, "workers", 0, 0, l * kStatusCount + employed) / eligible;
    EXPECT_NEAR(value(twin, "competition_entrants", 0, 1, l), 100 * share, 1e-9) << l;
    EXPECT_NEAR(value(twin, "competition_winners", 0, 1, l), 10 * share, 1e-9) << l;
    EXPECT_NEAR(value(twin, "competition_promotions", 0, 1, l + 1), 10 * share, 1e-9) << l;
  }
  const std::size_t times = twin.dimension("time").size();
  double total0 = 0;
  for (std::size_t k = 0; k < kLevelCount * kStatusCount; ++k) total0 += value(twin, "workers", 0, 0, k);
  for (std::size_t t = 1; t < times; ++t) {
    double promoted = 0, city = 0, province = 0, total = 0;
    for (std::size_t l = 0; l < kLevelCount; ++l) {
      promoted += value(twin, "promotions", 0, t, l);
      city += value(twin, "competition_winners", 0, t, l);
      province += value(twin, "competition_winners", 0, t, kLevelCount + l);
    }
    EXPECT_NEAR(city, 10, 1e-9) << t;
    EXPECT_NEAR(province, 5, 1e-9) << t;
    EXPECT_NEAR(promoted, 15, 1e-9) << t;
    EXPECT_NEAR(value(twin, "competition_no_winner", 0, t, 0), 0, 1e-9) << t;
    for (std::size_t k = 0; k < kLevelCount * kStatusCount; ++k) total += value(twin, "workers", 0, t, k);
    EXPECT_NEAR(total, total0, 1e-6) << t;
  }
}

// On the national defaults (deaths, labour market, assessments, entrants), a promoting tier and
// a crediting one: the agents' mean within 4 standard errors of the twin for every level x status
// at each year's end and each year's entrants, winners and promotions by tier and level.
TEST(TwinCompetitions, AgentMeanWithinFourStandardErrors) {
  const Scenario s = small_scenario(competition("1200", "120", "shorten"), 20000, 1, 24);
  RunOptions options;
  options.replicates = 30;
  options.seed = 5;
  const Results agents = run_scenario(s, options), twin = project_scenario(s);
  int compared = 0;
  // 4 standard errors and a millionth of a person for rounding.
  const auto check = [&](const std::string& what, std::size_t cells, auto values) {
    compared += expect_mean_around(agents, twin, options.replicates, cells, values, what, {.absolute = 1e-6});
  };
  for (std::size_t t = 12; t <= 24; t += 12) {
    check("workers at month " + std::to_string(t), kLevelCount * kStatusCount,
          [&](const Results& r, std::size_t rep, std::size_t k) { return value(r, "workers", rep, t, k); });
    for (const char* name : {"competition_entrants", "competition_winners", "competition_promotions", "promotions"})
      check(std::string(name) + " in the year to month " + std::to_string(t),
            std::string(name) == "promotions" ? kLevelCount : 2 * kLevelCount,
            [&, name](const Results& r, std::size_t rep, std::size_t k) {
              double total = 0;
              for (std::size_t u = t - 11; u <= t; ++u) total += value(r, name, rep, u, k);
              return total;
            });
  }
  EXPECT_GT(compared, 150);
}

} // namespace
} // namespace skillsim
