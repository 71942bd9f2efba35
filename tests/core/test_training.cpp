// Training programmes, seats and money in the monthly step: the ledger identity every month,
// seats never exceeded, a budget that runs out in a known month, admission priority,
// certification as a level change, payment on certification, the waiting rule before admission,
// and thread independence.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>

#include "scenario_builders.hpp"
#include "skillsim/core/pathways.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/twin.hpp"
#include "twin_checks.hpp"

using namespace skillsim;
using test::everything_off;
using test::operator+;

using test::at;
using test::one_programme;
using test::programme_scenario;

TEST(Training, BudgetRunsOutInTheMonthItShould) {
  // 1,000,000 yuan at 1,000 a trainee pays for 1,000 trainees; 300 seats a month and far more
  // applicants: 300 in each of the first three months, the last 100 in the fourth, then none.
  const Results r = run_scenario(programme_scenario({}), RunOptions{});
  const std::int64_t expected[] = {0, 300, 300, 300, 100, 0, 0, 0, 0, 0, 0, 0, 0};
  for (std::size_t t = 1; t <= 12; ++t) {
    EXPECT_EQ(at(r, "enrolments", 0, t), expected[t]) << "month " << t;
    EXPECT_EQ(at(r, "money_binding", 0, t), t >= 4 ? 1 : 0) << "month " << t;
    EXPECT_EQ(at(r, "fund_binding", 0, t), t >= 4 ? 1 : 0) << "the record names the fund, month " << t;
    EXPECT_EQ(at(r, "seats_binding", 0, t), t <= 3 ? 1 : 0) << "month " << t;
    EXPECT_EQ(at(r, "turned_away_no_seat", 0, t) > 0, t <= 3) << "month " << t;
    EXPECT_EQ(at(r, "turned_away_no_money", 0, t) > 0, t >= 4) << "month " << t;
    EXPECT_EQ(at(r, "applications", 0, t),
              at(r, "enrolments", 0, t) + at(r, "turned_away_no_seat", 0, t) + at(r, "turned_away_no_money", 0, t));
  }
  EXPECT_EQ(at(r, "fund_remaining", 0, 12), 0);
}

TEST(Training, LedgerIdentityHoldsEveryMonthAndSeatsAreNeverExceeded) {
  // Paid on certification with a pass probability of one half: money is committed at
  // enrolment, paid for certificates and released for the others; a new envelope each January.
  const Scenario s = programme_scenario({{"programmes.payment", "[\"certification\"]"},
                                         {"programmes.pass_probability", "[0.5]"},
                                         {"programmes.completion_probability", "[0.8]"},
                                         {"funds.annual_envelope", "[400000]"}},
                                        30);
  const Results r = run_scenario(s, RunOptions{});
  std::int64_t granted = 0, paid = 0, certificates = 0, ended_without = 0;
  for (std::size_t t = 1; t <= 30; ++t) {
    if ((s.start() + static_cast<int>(t - 1)).month() == 1) granted += 400000;
    paid += at(r, "spending", 0, t);
    certificates += at(r, "certificates", 0, t);
    ended_without += at(r, "completions", 0, t) - at(r, "certificates", 0, t) + at(r, "dropouts", 0, t);
    EXPECT_EQ(granted, paid + at(r, "fund_committed", 0, t) + at(r, "fund_remaining", 0, t)) << "month " << t;
    EXPECT_GE(at(r, "fund_remaining", 0, t), 0);
    EXPECT_LE(at(r, "enrolments", 0, t), 300) << "month " << t;
    EXPECT_EQ(at(r, "spending", 0, t), at(r, "certificates", 0, t) * 1000) << "paid only for certificates";
  }
  // Both payment and release happened, and a second and third year's envelopes arrived.
  EXPECT_GT(certificates, 0);
  EXPECT_GT(ended_without, 0);
  EXPECT_EQ(granted, 3 * 400000);
}

TEST(Training, CertificatesMoveTraineesUpAndStocksStillBalance) {
  const Results r = run_scenario(programme_scenario({{"funds.annual_envelope", "[100000000]"}}), RunOptions{});
  for (std::size_t t = 1; t <= 12; ++t) {
    // Three-month programme, everyone completes and passes: certificates now = enrolments then.
    EXPECT_EQ(at(r, "certificates", 0, t), t > 3 ? at(r, "enrolments", 0, t - 3) : 0) << "month " << t;
    // Each certificate is a move from level 0 or 1 to 2, in the level balance.
    EXPECT_EQ(at(r, "promotions", 0, t, 2), at(r, "certificates", 0, t));
    EXPECT_EQ(at(r, "promotions_out", 0, t, 0) + at(r, "promotions_out", 0, t, 1), at(r, "certificates", 0, t));
    for (int l = 0; l < kLevelCount; ++l) {
      std::int64_t now = 0, before = 0;
      for (int st = 0; st < kStatusCount; ++st) {
        now += at(r, "workers", 0, t, static_cast<std::size_t>(l * kStatusCount + st));
        before += at(r, "workers", 0, t - 1, static_cast<std::size_t>(l * kStatusCount + st));
      }
      const auto k = static_cast<std::size_t>(l);
      EXPECT_EQ(now, before + at(r, "entries_by_level", 0, t, k) + at(r, "promotions", 0, t, k) -
                         at(r, "promotions_out", 0, t, k) - at(r, "exits_by_level", 0, t, k));
    }
    EXPECT_EQ(at(r, "trainees", 0, t), at(r, "trainees", 0, t - 1) + at(r, "enrolments", 0, t) -
                                           at(r, "completions", 0, t) - at(r, "dropouts", 0, t));
  }
}

// Every completer sits the programme's assessment once, passed or failed (at once, without
// evaluators): programme_assessments (programme x level sought) is the completions, all at the
// target level, and certificates <= programme_assessments <= completions; the passed are the
// promotions (nothing else promotes here).
TEST(Training, ProgrammeAssessmentsCountEverySittingOnce) {
  const Results r = run_scenario(programme_scenario({{"funds.annual_envelope", "[100000000]"},
                                                     {"programmes.completion_probability", "[0.8]"},
                                                     {"programmes.pass_probability", "[0.6]"}}),
                                 RunOptions{});
  const Variable& v = r.variable("programme_assessments");
  EXPECT_EQ(v.dims, (std::vector<std::string>{"replicate", "time", "programme", "level"}));
  EXPECT_EQ(v.units, "persons");
  std::int64_t sat = 0, certified = 0;
  for (std::size_t t = 1; t <= 12; ++t) {
    for (int l = 0; l < kLevelCount; ++l) {
      if (l != 2) {
        EXPECT_EQ(at(r, "programme_assessments", 0, t, static_cast<std::size_t>(l)), 0) << t << " " << l;
      }
    }
    const std::int64_t sittings = at(r, "programme_assessments", 0, t, 2);
    EXPECT_EQ(sittings, at(r, "completions", 0, t)) << "month " << t;
    EXPECT_LE(at(r, "certificates", 0, t), sittings) << "month " << t;
    EXPECT_EQ(at(r, "promotions", 0, t, 2), at(r, "certificates", 0, t)) << "month " << t;
    sat += sittings;
    certified += at(r, "certificates", 0, t);
  }
  EXPECT_GT(certified, 0);
  EXPECT_LT(certified, sat); // some failed
  EXPECT_TRUE(r.has_variable("programme_assessments_stats"));
  // A scenario without programmes has no such variable.
  EXPECT_FALSE(run_scenario(test::small_scenario({}, 5000), RunOptions{}).has_variable("programme_assessments"));
}

// programmes.appraisal_share s: a completer sits the programme's assessment with probability s,
// the others complete with a training certificate only (no sitting, no certificate, no level
// change, nothing paid on "certification"). Sittings / completions is s within four standard
// errors; the money paid is exactly the certificates' and the ledger identity holds.
TEST(Training, AppraisalShareIsTheShareOfCompletersWhoSit) {
  const double share = 0.4;
  const Scenario s = programme_scenario({{"funds.annual_envelope", "[100000000]"},
                                         {"programmes.payment", R"(["certification"])"},
                                         {"programmes.completion_probability", "[0.9]"},
                                         {"programmes.pass_probability", "[0.6]"},
                                         {"programmes.appraisal_share", "[0.4]"}},
                                        24);
  const Results r = run_scenario(s, RunOptions{});
  std::int64_t completed = 0, sat = 0, certified = 0, granted = 0, paid = 0;
  for (std::size_t t = 1; t <= 24; ++t) {
    if ((s.start() + static_cast<int>(t - 1)).month() == 1) granted += 100000000;
    const std::int64_t sittings = at(r, "programme_assessments", 0, t, 2);
    EXPECT_LE(sittings, at(r, "completions", 0, t)) << "month " << t;
    EXPECT_LE(at(r, "certificates", 0, t), sittings) << "month " << t;
    EXPECT_EQ(at(r, "promotions", 0, t, 2), at(r, "certificates", 0, t)) << "month " << t;
    EXPECT_EQ(at(r, "spending", 0, t), at(r, "certificates", 0, t) * 1000) << "paid only for certificates";
    paid += at(r, "spending", 0, t);
    EXPECT_EQ(granted, paid + at(r, "fund_committed", 0, t) + at(r, "fund_remaining", 0, t)) << "month " << t;
    // Committed: one claim per trainee still in the programme; non-sitters' claims were released.
    EXPECT_EQ(at(r, "fund_committed", 0, t), at(r, "trainees", 0, t) * 1000) << "month " << t;
    completed += at(r, "completions", 0, t);
    sat += sittings;
    certified += at(r, "certificates", 0, t);
  }
  ASSERT_GT(completed, 3000);
  const double n = static_cast<double>(completed);
  const double se = std::sqrt(share * (1 - share) / n);
  EXPECT_NEAR(static_cast<double>(sat) / n, share, 4 * se) << sat << " of " << completed;
  const double pass_se = std::sqrt(0.6 * 0.4 / static_cast<double>(sat));
  EXPECT_NEAR(static_cast<double>(certified) / static_cast<double>(sat), 0.6, 4 * pass_se);
}

// A share of 0: completions go on, but nobody sits, nobody is certified or promoted, and a
// programme paid on certification pays nothing (its money is released, so none stays committed
// for completers). Trainees still return to searching as any completer does.
TEST(Training, AppraisalShareZeroGivesNoSittingsCertificatesOrPayments) {
  const Results r = run_scenario(programme_scenario({{"funds.annual_envelope", "[100000000]"},
                                                     {"programmes.payment", R"(["certification"])"},
                                                     {"programmes.full_time", "[1]"},
                                                     {"programmes.appraisal_share", "[0]"}}),
                                 RunOptions{});
  std::int64_t completed = 0;
  for (std::size_t t = 1; t <= 12; ++t) {
    for (int l = 0; l < kLevelCount; ++l)
      EXPECT_EQ(at(r, "programme_assessments", 0, t, static_cast<std::size_t>(l)), 0) << t << " " << l;
    EXPECT_EQ(at(r, "certificates", 0, t), 0) << "month " << t;
    EXPECT_EQ(at(r, "promotions", 0, t, 2), 0) << "month " << t;
    EXPECT_EQ(at(r, "spending", 0, t), 0) << "month " << t;
    EXPECT_EQ(at(r, "fund_committed", 0, t), at(r, "trainees", 0, t) * 1000) << "month " << t;
    EXPECT_EQ(at(r, "trainees", 0, t), at(r, "trainees", 0, t - 1) + at(r, "enrolments", 0, t) -
                                           at(r, "completions", 0, t) - at(r, "dropouts", 0, t));
    completed += at(r, "completions", 0, t);
  }
  EXPECT_GT(completed, 0);
}

// A share of 1, given or left to its default, is the behaviour before the parameter existed:
// every completer sits (ProgrammeAssessmentsCountEverySittingOnce), with the same bits.
TEST(Training, AppraisalShareOneIsTheDefaultBehaviour) {
  const std::map<std::string, std::string> settings = {{"funds.annual_envelope", "[100000000]"},
                                                       {"programmes.payment", R"(["certification"])"},
                                                       {"programmes.completion_probability", "[0.8]"},
                                                       {"programmes.pass_probability", "[0.6]"}};
  auto with_one = settings;
  with_one.emplace("programmes.appraisal_share", "[1]");
  const Results by_default = run_scenario(programme_scenario(settings), RunOptions{});
  const Results one = run_scenario(programme_scenario(with_one), RunOptions{});
  test::expect_same_results(one, by_default);
  for (std::size_t t = 1; t <= 12; ++t)
    EXPECT_EQ(at(one, "programme_assessments", 0, t, 2), at(one, "completions", 0, t)) << "month " << t;
}

TEST(Training, PriorityGroupsAreAdmittedFirstWhenSeatsBind) {
  // 300 seats, everybody applies; the 4% poverty-registered (some 2,000) rank first.
  const Scenario s = programme_scenario({{"funds.annual_envelope", "[100000000]"}});
  ReplicateState state(s, 9, 0);
  state.step();
  const Population& pop = state.population();
  std::int64_t enrolled = 0, poverty = 0;
  for (std::size_t i = 0; i < pop.size(); ++i)
    if (pop.programme[i] != kNoProgramme) {
      ++enrolled;
      poverty += pop.group[i] == static_cast<std::uint8_t>(Group::PovertyRegistered);
    }
  EXPECT_EQ(enrolled, 300);
  EXPECT_EQ(poverty, 300);
}

TEST(Training, ResultsAreIdenticalForOneAndTwoThreads) {
  const Scenario s = test::small_scenario(
      [] {
        std::vector<std::string> o;
        for (auto& [k, v] : one_programme()) o.push_back(k + "=" + v);
        o.push_back("programmes.application_rate=[0.02]");
        o.push_back("programmes.pass_probability=[0.7]");
        o.push_back("programmes.completion_probability=[0.9]");
        o.push_back("programmes.payment=[\"certification\"]");
        o.push_back("programmes.appraisal_share=[0.6]"); // its own lane of the outcome block
        return o;
      }(),
      100000, 1, 12);
  const Results one = test::expect_same_for_one_and_two_threads(s, 2);
  EXPECT_GT(at(one, "certificates", 0, 12), 0);
}

TEST(Training, SubstitutesTakeApplicantsTheirOwnProgrammeHasNoSeatFor) {
  // Two programmes for the same workers: everybody applies to the first (300 seats), nobody to
  // the second (200 seats). When the first's applicants accept the second, it fills with them.
  const auto two = [](const char* substitutes) {
    return programme_scenario({{"programmes.names", R"(["short_course", "long_course"])"},
                               {"programmes.labels", R"(["短期", "长期"])"},
                               {"programmes.eligible_groups", "[[1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1]]"},
                               {"programmes.eligible_statuses", "[[0, 1, 1, 1, 0, 0], [0, 1, 1, 1, 0, 0]]"},
                               {"programmes.min_level", "[0, 0]"},
                               {"programmes.max_level", "[1, 1]"},
                               {"programmes.min_age", "[16, 16]"},
                               {"programmes.max_age", "[100, 100]"},
                               {"programmes.min_contribution_months", "[0, 0]"},
                               {"programmes.application_rate", "[1, 0]"},
                               {"programmes.duration_months", "[3, 6]"},
                               {"programmes.full_time", "[0, 0]"},
                               {"programmes.target_level", "[2, 2]"},
                               {"programmes.completion_probability", "[1, 1]"},
                               {"programmes.pass_probability", "[1, 1]"},
                               {"programmes.cost_per_trainee", "[1000, 2000]"},
                               {"programmes.payment", R"(["enrolment", "enrolment"])"},
                               {"programmes.fund_shares", "[[1], [1]]"},
                               {"programmes.seats_per_month", "[[300], [200]]"},
                               {"programmes.substitutes", substitutes},
                               {"funds.annual_envelope", "[100000000]"}},
                              2);
  };
  const Results without = run_scenario(two("[[0, 0], [0, 0]]"), RunOptions{});
  EXPECT_EQ(at(without, "enrolments", 0, 1, 0), 300);
  EXPECT_EQ(at(without, "enrolments", 0, 1, 1), 0);
  const Results with = run_scenario(two("[[0, 1], [0, 0]]"), RunOptions{});
  EXPECT_EQ(at(with, "enrolments", 0, 1, 0), 300);
  EXPECT_EQ(at(with, "enrolments", 0, 1, 1), 200);
  EXPECT_EQ(at(with, "substitute_enrolments", 0, 1, 1), 200);
  EXPECT_EQ(at(with, "applications", 0, 1, 0), at(without, "applications", 0, 1, 0)); // the same applicants
  EXPECT_EQ(at(with, "turned_away_no_seat", 0, 1, 0), at(without, "turned_away_no_seat", 0, 1, 0) - 200);
  // The substitutes pay the programme they took: 300 x 1,000 + 200 x 2,000.
  EXPECT_EQ(at(with, "spending", 0, 1, 0) + at(with, "spending", 0, 1, 1), 700000);
}

// A programme admits only workers who served its waiting rule at the level they hold: the
// ordinary minimum for the next level, that less shorten_months, or nothing. 初级工 (level 2)
// upgrading to 中级工 (minimum 48 months at 初级工), with months at the level spread over 0-119.
TEST(Training, NobodyIsAdmittedBeforeTheProgrammesWait) {
  const auto upgrading = [](const std::string& waiting, int shorten) {
    return programme_scenario({{"programmes.min_level", "[2]"},
                               {"programmes.max_level", "[2]"},
                               {"programmes.target_level", "[3]"},
                               {"programmes.waiting", "[\"" + waiting + "\"]"},
                               {"programmes.shorten_months", "[" + std::to_string(shorten) + "]"},
                               {"population.level_shares", "[0, 0, 1, 0, 0, 0, 0, 0, 0]"},
                               {"population.max_months_at_level", "119"},
                               {"funds.annual_envelope", "[100000000]"},
                               {"programmes.seats_per_month", "[[100000]]"}},
                              1);
  };
  for (const auto& [waiting, shorten, wait] :
       {std::tuple<std::string, int, int>{"minimum", 0, 48}, {"shortened", 12, 36}, {"none", 0, 0}}) {
    const Scenario s = upgrading(waiting, shorten);
    ReplicateState state(s, 3, 0);
    std::unordered_map<std::uint64_t, int> served; // id -> months at the level before the month
    const Population& before = state.population();
    for (std::size_t i = 0; i < before.size(); ++i) served[before.id[i]] = before.months_at_level[i];
    state.step();
    const Population& after = state.population();
    std::int64_t admitted = 0, eligible = 0;
    for (std::size_t i = 0; i < after.size(); ++i) {
      const int months = served.at(after.id[i]) + 1; // the month served before the admission
      eligible += months >= wait;
      if (after.programme[i] == kNoProgramme) continue;
      ++admitted;
      EXPECT_GE(months, wait) << waiting;
    }
    // Every worker applies (application rate 1) and there are seats and money for all: exactly
    // those who served the wait are admitted.
    EXPECT_EQ(admitted, eligible) << waiting;
    EXPECT_GT(admitted, 0) << waiting;
    if (wait > 0) {
      EXPECT_LT(admitted, static_cast<std::int64_t>(after.size())) << waiting;
    }
  }
}

// The programme's route in the pathway graph waits its rule at the level before the attempts.
TEST(Training, ProgrammeRoutesCountTheirWaitInThePathwayGraph) {
  const Parameters p = programme_scenario({{"programmes.min_level", "[1]"},
                                           {"programmes.max_level", "[2]"},
                                           {"programmes.target_level", "[3]"},
                                           {"skills.assessment_rate", "[0, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0, 0]"}})
                           .parameters();
  int routes = 0;
  for (const Route& r : pathway_routes(p)) {
    if (r.kind != RouteKind::Programme) continue;
    ++routes;
    EXPECT_EQ(r.label, "first_certificate (wait shortened)");
    // Default: shortened by 12 months: from 学徒工 max(0, 12 - 12) = 0, from 初级工 48 - 12 = 36.
    EXPECT_EQ(r.fixed_months, r.from == 1 ? 0 : 36) << "from " << r.from;
  }
  EXPECT_EQ(routes, 2);
}

TEST(Training, WaitingRulesAreValidated) {
  const auto issues_of = [](const std::string& waiting, const std::string& shorten) {
    Parameters p = programme_scenario({}).parameters();
    p.programmes.waiting = {waiting};
    p.programmes.shorten_months = {std::stoll(shorten)};
    return check(p);
  };
  EXPECT_TRUE(test::has_issue(issues_of("soon", "0"), "programmes.waiting[0]",
                              "unknown waiting rule 'soon'; expected \"none\", \"shortened\" or \"minimum\""));
  EXPECT_TRUE(
      test::has_issue(issues_of("shortened", "0"), "programmes.shorten_months[0]",
                      "must be above 0 for programme 'first_certificate', whose waiting rule is \"shortened\""));
  EXPECT_TRUE(
      test::has_issue(issues_of("shortened", "-3"), "programmes.shorten_months[0]", "must be in [0, 600], got -3"));
  // Other rules ignore the months off (the column's default is 12): no issue.
  EXPECT_TRUE(issues_of("none", "12").empty());
  EXPECT_TRUE(issues_of("minimum", "12").empty());
  // Left out, the columns take their defaults: shortened by 12 months.
  const Parameters p = programme_scenario({}).parameters();
  EXPECT_EQ(p.programmes.waiting, std::vector<std::string>{"shortened"});
  EXPECT_EQ(p.programmes.shorten_months, std::vector<std::int64_t>{12});
}

// A programme run by one region (programmes.eligible_regions): workers of the other region do not
// apply, so they are neither admitted nor turned away. Two regions of equal size, seats only in
// the first; everybody eligible applies (rate 1), so with the programme open to both regions the
// second region's applicants are exactly those turned away for lack of a seat in month 1.
TEST(Training, AProgrammeAdmitsOnlyTheRegionsItServes) {
  const auto regional = [](const char* eligible_regions) {
    std::map<std::string, std::string> changes{{"population.regions", R"(["A", "B"])"},
                                               {"population.region_shares", "[0.5, 0.5]"},
                                               {"programmes.seats_per_month", "[[1000000, 0]]"},
                                               {"funds.annual_envelope", "[100000000000]"}};
    if (eligible_regions != nullptr) changes["programmes.eligible_regions"] = eligible_regions;
    return programme_scenario(changes, 3);
  };
  const Results open = run_scenario(regional(nullptr), RunOptions{});
  const Results served = run_scenario(regional("[[1, 0]]"), RunOptions{});
  ASSERT_GT(at(open, "turned_away_no_seat", 0, 1), 0) << "the second region applies when the programme is open to it";
  EXPECT_EQ(at(open, "turned_away_no_money", 0, 1), 0);
  EXPECT_EQ(at(served, "enrolments", 0, 1), at(open, "enrolments", 0, 1)) << "the first region's applicants, as before";
  EXPECT_EQ(at(served, "applications", 0, 1), at(open, "applications", 0, 1) - at(open, "turned_away_no_seat", 0, 1));
  for (std::size_t t = 1; t <= 3; ++t) EXPECT_EQ(at(served, "turned_away_no_seat", 0, t), 0) << "month " << t;
  // The expected-value twin holds the region where a programme serves only some (docs/twin.md,
  // "The state space"): the second region's workers apply to nothing there, so nobody is turned
  // away for a seat; open to both, the second region's half applies and finds no seat.
  const Results twin_open = project_scenario(regional(nullptr)), twin_served = project_scenario(regional("[[1, 0]]"));
  EXPECT_GT(test::value(twin_open, "turned_away_no_seat", 0, 1), 0);
  for (std::size_t t = 1; t <= 3; ++t)
    EXPECT_EQ(test::value(twin_served, "turned_away_no_seat", 0, t), 0) << "month " << t;
  EXPECT_GT(test::value(twin_served, "applications", 0, 1), 0);
  EXPECT_NEAR(test::value(twin_served, "applications", 0, 1),
              test::value(twin_open, "applications", 0, 1) - test::value(twin_open, "turned_away_no_seat", 0, 1),
              1e-9 * test::value(twin_open, "applications", 0, 1));
  // Left out, every region is served: the same results as saying so.
  test::expect_same_results(run_scenario(regional("[[1, 1]]"), RunOptions{}), open);
  // The matrix has one row per programme and one column per region.
  Parameters p = regional(nullptr).parameters();
  p.programmes.eligible_regions = FlagMatrix{1, 3, {1, 1, 1}};
  EXPECT_TRUE(test::has_issue(check(p), "programmes.eligible_regions",
                              "expected 1 rows (one per programme (as listed in programmes.names)) of 2 values "
                              "(one per region (as listed in population.regions))"))
      << test::dump(check(p));
}
