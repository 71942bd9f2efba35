// Skills competitions: winners within the declared numbers (exactly, when candidates are
// plenty), the waiting rule of each tier, shortfalls, conservation, thread independence, the
// route in the pathway graph, sweep keys by tier and every validation message.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/pathways.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/sweep.hpp"

using namespace skillsim;
using test::at;
using test::dump;
using test::everything_off;
using test::has_issue;
using test::operator+;

namespace {

// One tier, every column given; `changes` replace some.
std::vector<std::string> one_tier(std::map<std::string, std::string> changes = {}) {
  std::map<std::string, std::string> settings = {
      {"competitions.tiers", R"(["city"])"},      {"competitions.labels", R"(["市级职业技能大赛"])"},
      {"competitions.month_held", "[0]"},         {"competitions.entrants_per_year", "[1200]"},
      {"competitions.winners_per_year", "[120]"}, {"competitions.eligible_statuses", "[[0, 1, 0, 0, 0, 0]]"},
      {"competitions.min_level", "[1]"},          {"competitions.max_level", "[5]"},
      {"competitions.award", R"(["promote"])"},   {"competitions.waiting", R"(["none"])"},
      {"competitions.shorten_months", "[0]"}};
  for (auto& [k, v] : changes) settings[k] = v;
  std::vector<std::string> out;
  for (auto& [k, v] : settings) out.push_back(k + "=" + v);
  return out;
}

// Everything off but the competition: every level change is the competition's.
Scenario quiet(std::map<std::string, std::string> changes = {}, int months = 12, int scale = 1) {
  return test::small_scenario(everything_off() + one_tier(std::move(changes)), 50000, scale, months);
}

std::int64_t total(const Results& r, const std::string& name, std::size_t rep = 0) {
  const Variable& v = r.variable(name);
  const std::size_t per_replicate = v.data.size() / r.dimension("replicate").size();
  std::int64_t sum = 0;
  for (std::size_t k = 0; k < per_replicate; ++k) sum += v.data[rep * per_replicate + k];
  return sum;
}

// The parameters of a one-tier scenario with `changes`, unchecked (the scenario reader would refuse them).
std::vector<Issue> issues_of(std::map<std::string, std::string> changes) {
  Parameters p = quiet().parameters();
  auto& c = p.competitions;
  for (auto& [key, value] : changes) {
    if (key == "month_held") c.month_held = {std::stoll(value)};
    if (key == "entrants") c.entrants_per_year = {std::stod(value)};
    if (key == "winners") c.winners_per_year = {std::stod(value)};
    if (key == "min_level") c.min_level = {std::stoll(value)};
    if (key == "max_level") c.max_level = {std::stoll(value)};
    if (key == "award") c.award = {value};
    if (key == "waiting") c.waiting = {value};
    if (key == "shorten_months") c.shorten_months = {std::stoll(value)};
    if (key == "nobody") c.eligible_statuses.values = {0, 0, 0, 0, 0, 1};
    if (key == "twice") {
      c.tiers = {"city", "city"};
      c.labels = {"a", "b"};
      for (auto* v : {&c.month_held, &c.min_level, &c.max_level, &c.shorten_months}) v->push_back(v->front());
      for (auto* v : {&c.entrants_per_year, &c.winners_per_year}) v->push_back(v->front());
      for (auto* v : {&c.award, &c.waiting}) v->push_back(v->front());
      c.eligible_statuses = {2, kStatusCount, {0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}};
    }
  }
  return check(p);
}

} // namespace

TEST(Competitions, WithoutTiersNothingIsDeclared) {
  const Results r = run_scenario(test::small_scenario(everything_off(), 20000, 1, 2), RunOptions{});
  EXPECT_FALSE(r.has_variable("competition_entrants"));
  for (const auto& d : r.dimensions) EXPECT_NE(d.name, "tier");
}

// Held every month: 1200 / 12 = 100 entrants and 120 / 12 = 10 winners a month, exactly, since
// tens of thousands are eligible; every winner is promoted one level (nothing else moves).
TEST(Competitions, WinnersPerYearAreExactWhenCandidatesArePlenty) {
  const Results r = run_scenario(quiet(), RunOptions{});
  for (std::size_t t = 1; t <= 12; ++t) {
    std::int64_t entrants = 0, winners = 0, promoted = 0, promotions = 0;
    for (std::size_t l = 0; l < kLevelCount; ++l) {
      entrants += at(r, "competition_entrants", 0, t, l);
      winners += at(r, "competition_winners", 0, t, l);
      promoted += at(r, "competition_promotions", 0, t, l);
      promotions += at(r, "promotions", 0, t, l);
      if (l < 1 || l > 5) {
        EXPECT_EQ(at(r, "competition_entrants", 0, t, l), 0) << "level " << l << " is outside the tier's range";
      }
    }
    EXPECT_EQ(entrants, 100) << "month " << t;
    EXPECT_EQ(winners, 10) << "month " << t;
    EXPECT_EQ(promoted, 10) << "month " << t;
    EXPECT_EQ(promotions, 10) << "every promotion is the competition's";
    EXPECT_EQ(at(r, "competition_no_entrant", 0, t), 0);
    EXPECT_EQ(at(r, "competition_no_winner", 0, t), 0);
  }
  // Winners at level l are promotions into l + 1.
  for (std::size_t l = 1; l <= 5; ++l) {
    std::int64_t won = 0, reached = 0;
    for (std::size_t t = 1; t <= 12; ++t) {
      won += at(r, "competition_winners", 0, t, l);
      reached += at(r, "competition_promotions", 0, t, l + 1);
    }
    EXPECT_EQ(won, reached) << "level " << l;
  }
}

// Held once a year, in November: the year's entrants and winners all that month; with a scale
// of 7 the counts are carried in agents and reported in persons.
TEST(Competitions, AYearlyTierIsHeldInItsMonthOnly) {
  const Results r = run_scenario(quiet({{"competitions.month_held", "[11]"}}, 24, 7), RunOptions{});
  for (std::size_t t = 1; t <= 24; ++t) {
    const bool november = t == 11 || t == 23; // the month ending at time t is month t - 1 from January
    std::int64_t entrants = 0, winners = 0;
    for (std::size_t l = 0; l < kLevelCount; ++l) {
      entrants += at(r, "competition_entrants", 0, t, l);
      winners += at(r, "competition_winners", 0, t, l);
    }
    EXPECT_EQ(entrants, november ? 1197 : 0) << "month " << t; // 1200 / 7 = 171.4 agents: 171 x 7
    EXPECT_EQ(winners, november ? 119 : 0) << "month " << t;   // 120 / 7 = 17.1 agents: 17 x 7
  }
}

// Winners never exceed the declared winners; with too few eligible, the shortfall is recorded.
TEST(Competitions, TooFewEligibleLeaveAShortfallAndWinnersStayWithinTheDeclared) {
  // Only employed 特级技师 (level 7) may enter: a handful in 50,000.
  const Results r = run_scenario(quiet({{"competitions.min_level", "[7]"},
                                        {"competitions.max_level", "[7]"},
                                        {"competitions.entrants_per_year", "[24000]"},
                                        {"competitions.winners_per_year", "[12000]"}}),
                                 RunOptions{});
  std::int64_t shortfall = 0;
  for (std::size_t t = 1; t <= 12; ++t) {
    const std::int64_t entrants = at(r, "competition_entrants", 0, t, 7);
    const std::int64_t winners = at(r, "competition_winners", 0, t, 7);
    EXPECT_LE(winners, 1000);
    EXPECT_LE(winners, entrants);
    EXPECT_EQ(entrants + at(r, "competition_no_entrant", 0, t), 2000);
    EXPECT_EQ(winners + at(r, "competition_no_winner", 0, t), 1000);
    shortfall += at(r, "competition_no_entrant", 0, t);
  }
  EXPECT_GT(shortfall, 0);
}

// Nobody is promoted by a competition before serving its tier's wait: the ordinary minimum, or
// the minimum less shorten_months. Every level change here is the competition's.
TEST(Competitions, NobodyIsPromotedBeforeTheTiersWait) {
  for (const std::string waiting : {"minimum", "shortened"}) {
    const std::int64_t shortened = waiting == "shortened" ? 12 : 0;
    const Scenario s = quiet({{"competitions.waiting", "[\"" + waiting + "\"]"},
                              {"competitions.shorten_months", "[" + std::to_string(shortened) + "]"},
                              {"competitions.winners_per_year", "[1200]"}});
    ReplicateState state(s, 5, 0);
    const auto& min_months = s.parameters().skills.min_months;
    std::int64_t promoted = 0, below_minimum = 0;
    for (int month = 0; month < 12; ++month) {
      std::unordered_map<std::uint64_t, std::pair<int, int>> before; // id -> (level, months at level)
      const Population& pop = state.population();
      for (std::size_t i = 0; i < pop.size(); ++i) before[pop.id[i]] = {pop.level[i], pop.months_at_level[i]};
      state.step();
      const Population& after = state.population();
      for (std::size_t i = 0; i < after.size(); ++i) {
        const auto it = before.find(after.id[i]);
        if (it == before.end() || after.level[i] == it->second.first) continue;
        ++promoted;
        const int level = after.level[i];
        EXPECT_EQ(level, it->second.first + 1);
        // Months served when the competition was held: the start of the month's, plus the month.
        const std::int64_t served = it->second.second + 1;
        EXPECT_GE(served, min_months[static_cast<std::size_t>(level)] - shortened) << waiting << " level " << level;
        below_minimum += served < min_months[static_cast<std::size_t>(level)];
        EXPECT_EQ(after.months_at_level[i], 0);
      }
    }
    EXPECT_EQ(promoted, 1200) << waiting;
    if (waiting == "shortened") {
      EXPECT_GT(below_minimum, 0) << "the shortened wait is used";
    } else {
      EXPECT_EQ(below_minimum, 0);
    }
  }
}

// A tier that shortens the wait credits its winners' months at the level, and promotes nobody.
TEST(Competitions, ShorteningCreditsTheWinnersMonthsAtTheLevel) {
  const Scenario s = quiet({{"competitions.award", R"(["shorten"])"},
                            {"competitions.waiting", R"(["shortened"])"},
                            {"competitions.shorten_months", "[12]"}});
  ReplicateState state(s, 5, 0);
  for (int month = 0; month < 3; ++month) {
    std::unordered_map<std::uint64_t, int> before;
    const Population& pop = state.population();
    for (std::size_t i = 0; i < pop.size(); ++i) before[pop.id[i]] = pop.months_at_level[i];
    state.step();
    const Population& after = state.population();
    std::int64_t credited = 0;
    for (std::size_t i = 0; i < after.size(); ++i)
      if (const auto it = before.find(after.id[i]); it != before.end())
        credited += after.months_at_level[i] == std::min(kMaxMonthsAtLevel, it->second + 13);
    EXPECT_EQ(credited, 10);
    EXPECT_EQ(state.last_flows().promotions[3], 0);
    std::int64_t promotions = 0;
    for (auto p : state.last_flows().promotions) promotions += p;
    EXPECT_EQ(promotions, 0);
  }
}

// workers(t) = workers(t-1) + entries + promotions in - promotions out - exits, with every
// process and two tiers on.
TEST(Competitions, StocksBalanceFlowsWithCompetitions) {
  const std::vector<std::string> tiers = {"competitions.tiers=[\"city\", \"province\"]",
                                          "competitions.labels=[\"市级\", \"省级\"]",
                                          "competitions.month_held=[3, 0]",
                                          "competitions.entrants_per_year=[20000, 6000]",
                                          "competitions.winners_per_year=[2000, 600]",
                                          "competitions.eligible_statuses=[[1, 1, 1, 0, 1, 0], [0, 1, 0, 0, 0, 0]]",
                                          "competitions.min_level=[0, 2]",
                                          "competitions.max_level=[6, 7]",
                                          "competitions.award=[\"promote\", \"shorten\"]",
                                          "competitions.waiting=[\"none\", \"shortened\"]",
                                          "competitions.shorten_months=[0, 12]"};
  const Scenario s = test::small_scenario(tiers, 300000, 10, 24);
  RunOptions o;
  o.replicates = 2;
  o.seed = 11;
  const Results r = run_scenario(s, o);
  const auto workers = [&](std::size_t rep, std::size_t t, std::size_t level) {
    std::int64_t sum = 0;
    for (std::size_t st = 0; st < kStatusCount; ++st) sum += at(r, "workers", rep, t, level * kStatusCount + st);
    return sum;
  };
  for (std::size_t rep = 0; rep < 2; ++rep)
    for (std::size_t t = 1; t <= 24; ++t)
      for (std::size_t l = 0; l < kLevelCount; ++l) {
        const std::int64_t in = at(r, "entries_by_level", rep, t, l) + at(r, "promotions", rep, t, l);
        const std::int64_t out = at(r, "exits_by_level", rep, t, l) + at(r, "promotions_out", rep, t, l);
        EXPECT_EQ(workers(rep, t, l), workers(rep, t - 1, l) + in - out) << "level " << l << " month " << t;
        EXPECT_LE(at(r, "competition_promotions", rep, t, l), at(r, "promotions", rep, t, l));
      }
  EXPECT_GT(total(r, "competition_promotions"), 0);
}

TEST(Competitions, IdenticalForOneAndTwoThreads) {
  const std::vector<std::string> tiers = {"competitions.tiers=[\"city\", \"province\"]",
                                          "competitions.labels=[\"市级\", \"省级\"]",
                                          "competitions.month_held=[0, 0]",
                                          "competitions.entrants_per_year=[30000, 6000]",
                                          "competitions.winners_per_year=[3000, 600]",
                                          "competitions.eligible_statuses=[[1, 1, 1, 0, 1, 0], [0, 1, 0, 0, 0, 0]]",
                                          "competitions.min_level=[0, 2]",
                                          "competitions.max_level=[6, 7]",
                                          "competitions.award=[\"promote\", \"shorten\"]",
                                          "competitions.waiting=[\"minimum\", \"shortened\"]",
                                          "competitions.shorten_months=[0, 12]"};
  const Results r = test::expect_same_for_one_and_two_threads(test::small_scenario(tiers, 100000, 1, 12), 2);
  EXPECT_GT(total(r, "competition_promotions"), 0);
}

// The same run continued from a snapshot taken mid-way gives the same results (the carries are state).
TEST(Competitions, ASnapshotContinuesTheRunBitForBit) {
  const Scenario s = quiet({{"competitions.entrants_per_year", "[1000]"}, {"competitions.winners_per_year", "[77]"}});
  ReplicateState straight(s, 3, 0);
  for (int m = 0; m < 5; ++m) straight.step();
  const ReplicateSnapshot saved = straight.snapshot();
  EXPECT_NE(saved.competitions.winners_due[0].fraction, 0);
  ReplicateState resumed(s, saved);
  for (int m = 0; m < 5; ++m) {
    straight.step();
    resumed.step();
    EXPECT_EQ(straight.competitions().tally(), resumed.competitions().tally());
  }
  EXPECT_EQ(straight.snapshot(), resumed.snapshot());
}

TEST(Competitions, PromotingTiersAreRoutesOfThePathwayGraphWithTheirWait) {
  const Parameters p = quiet({{"competitions.waiting", R"(["minimum"])"}}).parameters();
  const auto routes = pathway_routes(p);
  int competitions = 0;
  for (const Route& r : routes) {
    if (r.kind != RouteKind::Competition) continue;
    ++competitions;
    EXPECT_EQ(r.to, r.from + 1);
    EXPECT_EQ(r.label, "city competition (wait minimum)");
    EXPECT_EQ(r.fixed_months, p.skills.min_months[static_cast<std::size_t>(r.to)]);
    EXPECT_GT(r.monthly, 0);
  }
  EXPECT_EQ(competitions, 5); // levels 1..5
  // Only the employed may enter: no competition route for the unemployed; none for a tier that shortens.
  for (const Route& r : pathway_routes(p, Status::Unemployed)) EXPECT_NE(r.kind, RouteKind::Competition);
  const Parameters shorten = quiet({{"competitions.award", R"(["shorten"])"},
                                    {"competitions.waiting", R"(["shortened"])"},
                                    {"competitions.shorten_months", "[6]"}})
                                 .parameters();
  for (const Route& r : pathway_routes(shorten)) EXPECT_NE(r.kind, RouteKind::Competition);
}

TEST(Competitions, SweepKeysAddressATierByName) {
  const Parameters p = quiet().parameters();
  const auto r = resolve_sweep_key(p, "competitions.winners_per_year[city]");
  ASSERT_TRUE(std::holds_alternative<SweepTarget>(r)) << std::get<std::string>(r);
  Parameters q = p;
  apply_sweep_value(q, std::get<SweepTarget>(r), 55);
  EXPECT_EQ(q.competitions.winners_per_year, std::vector<double>{55});
  const auto unknown = resolve_sweep_key(p, "competitions.winners_per_year[county]");
  ASSERT_TRUE(std::holds_alternative<std::string>(unknown));
  EXPECT_NE(std::get<std::string>(unknown).find("city"), std::string::npos) << std::get<std::string>(unknown);
}

TEST(Competitions, EveryValidationMessage) {
  EXPECT_TRUE(issues_of({}).empty()) << dump(issues_of({}));
  auto issues = issues_of({{"winners", "2000"}});
  EXPECT_TRUE(
      has_issue(issues, "competitions.winners_per_year[0]", "tier 'city' has more winners (2000) than entrants (1200)"))
      << dump(issues);
  issues = issues_of({{"entrants", "-5"}, {"winners", "-6"}});
  EXPECT_TRUE(has_issue(issues, "competitions.entrants_per_year[0]", "a count cannot be negative")) << dump(issues);
  EXPECT_TRUE(has_issue(issues, "competitions.winners_per_year[0]", "a count cannot be negative")) << dump(issues);
  issues = issues_of({{"min_level", "4"}, {"max_level", "2"}});
  EXPECT_TRUE(has_issue(issues, "competitions.max_level[0]", "is below competitions.min_level[0] (4)")) << dump(issues);
  issues = issues_of({{"max_level", "8"}});
  EXPECT_TRUE(has_issue(issues, "competitions.max_level[0]", "must be in [0, 7], got 8")) << dump(issues);
  issues = issues_of({{"month_held", "13"}});
  EXPECT_TRUE(has_issue(issues, "competitions.month_held[0]", "must be in [0, 12], got 13")) << dump(issues);
  issues = issues_of({{"award", "medal"}});
  EXPECT_TRUE(has_issue(issues, "competitions.award[0]", "unknown award 'medal'; expected \"promote\" or \"shorten\""))
      << dump(issues);
  issues = issues_of({{"waiting", "soon"}});
  EXPECT_TRUE(has_issue(issues, "competitions.waiting[0]",
                        "unknown waiting rule 'soon'; expected \"none\", \"shortened\" or \"minimum\""))
      << dump(issues);
  issues = issues_of({{"award", "shorten"}, {"waiting", "none"}});
  EXPECT_TRUE(has_issue(issues, "competitions.waiting[0]",
                        "tier 'city' shortens the wait (award \"shorten\"), so its waiting rule is \"shortened\""))
      << dump(issues);
  issues = issues_of({{"waiting", "shortened"}});
  EXPECT_TRUE(has_issue(issues, "competitions.shorten_months[0]",
                        "must be above 0 for tier 'city', whose waiting rule is \"shortened\""))
      << dump(issues);
  issues = issues_of({{"shorten_months", "6"}});
  EXPECT_TRUE(has_issue(issues, "competitions.shorten_months[0]",
                        "tier 'city' has waiting rule \"none\", which takes no months off; must be 0"))
      << dump(issues);
  issues = issues_of({{"shorten_months", "-1"}, {"waiting", "shortened"}});
  EXPECT_TRUE(has_issue(issues, "competitions.shorten_months[0]", "must be in [0, 600], got -1")) << dump(issues);
  issues = issues_of({{"nobody", ""}});
  EXPECT_TRUE(has_issue(issues, "competitions.eligible_statuses[0]",
                        "tier 'city' admits nobody: no status other than retired is eligible"))
      << dump(issues);
  issues = issues_of({{"twice", ""}});
  EXPECT_TRUE(has_issue(issues, "competitions.tiers[1]", "competition tier 'city' is listed twice")) << dump(issues);
  Parameters p = quiet().parameters();
  p.competitions.award.clear();
  EXPECT_TRUE(has_issue(check(p), "competitions.award", "expected 1 values, one per competition tier"))
      << dump(check(p));
}
