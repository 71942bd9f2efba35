// Two employer levers of training (issue 15): apprenticeship places offered by employer cells
// (employers.apprentice_places_per_1000) and employer co-funding of training (职工教育经费,
// programmes.employer_share). Places bind exactly (a cell with k free places admits k
// apprentices, the others are refused and recorded) and, when they do not bind, change nothing;
// a worker hired this month has no place; co-funding's money in closed form, to the yuan, with the
// ledger's identity; the twin against the agents; 1 vs 2 threads; a run continued from a snapshot;
// every validation message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/training.hpp"
#include "skillsim/core/twin.hpp"

using namespace skillsim;
using test::at;
using test::dump;
using test::has_issue;
using test::total_over_months;

namespace {

constexpr std::size_t kCells = kSectorCount * 2; // two size classes: cell = sector x 2 + size class

// One apprenticeship for employed workers at 无证 or 学徒工 (every eligible worker applies every
// month), six months long, with seats and money to spare; two size classes; the labour market
// and everything else off unless `changes` turn it on.
Scenario places_scenario(std::map<std::string, std::string> changes = {}, int months = 8, double persons = 40000) {
  auto settings = test::one_apprenticeship();
  for (const auto& [k, v] :
       std::map<std::string, std::string>{{"programmes.seats_per_month", "[[100000]]"},
                                          {"employers.size_classes", R"(["large", "small"])"},
                                          {"employers.labels", R"(["大型企业", "中小企业"])"},
                                          {"employers.size_shares", "[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]"},
                                          {"employers.apprentice_places_per_1000", "[5, 0]"}})
    settings[k] = v;
  for (auto& [k, v] : changes) settings[k] = v;
  return test::programme_scenario(settings, months, persons);
}

// Every variable of `expected` but `skip` (and its statistics) is in `actual` with the same bits.
void expect_same_but(const Results& actual, const Results& expected, const std::string& skip) {
  Results a = actual, e = expected;
  const auto skipped = [&](const Variable& v) { return v.name == skip || v.name == skip + "_stats"; };
  std::erase_if(a.variables, skipped);
  std::erase_if(e.variables, skipped);
  test::expect_same_results(a, e);
}

// A programme for employed workers at 无证 or 学徒工, part-time, cost 1000 yuan paid as `payment`,
// with the employer paying `share`.
Scenario cofunded(const std::string& share, const std::string& payment, const std::string& envelope = "[1000000000]",
                  int months = 12, int scale = 1) {
  auto settings = test::one_programme();
  settings["programmes.eligible_statuses"] = "[[0, 1, 0, 0, 0, 0]]";
  settings["programmes.employer_share"] = "[" + share + "]";
  settings["programmes.payment"] = "[\"" + payment + "\"]";
  settings["programmes.pass_probability"] = "[0.7]";
  settings["programmes.seats_per_month"] = "[[400]]";
  settings["funds.annual_envelope"] = envelope;
  settings["labour.job_loss_rate"] = "0.01";
  std::vector<std::string> overrides = test::everything_off();
  for (auto& [k, v] : settings) overrides.push_back(k + "=" + v);
  return test::small_scenario(overrides, 40000, scale, months);
}

} // namespace

// With no hires, the employed of every cell stay as they were: each large cell admits exactly its
// floor(5 x employed / 1000) places in the first month and, its apprentices holding them for six
// months, nobody until they complete in month 7, when it admits as many again; a small cell (0
// places) nobody. Everybody else
// who applied is refused for want of a place (seats and money never bind).
TEST(ApprenticePlaces, ACellWithKPlacesAdmitsKApprentices) {
  const Results r = run_scenario(places_scenario(), RunOptions{});
  std::int64_t places_in_all = 0;
  for (std::size_t k = 0; k < kCells; ++k) {
    const std::int64_t employed = at(r, "employer_employed", 0, 0, k);
    const std::int64_t places =
        k % 2 == 0 ? static_cast<std::int64_t>(std::floor(5.0 * static_cast<double>(employed) / 1000.0)) : 0;
    places_in_all += places;
    for (std::size_t t = 1; t <= 8; ++t) {
      EXPECT_EQ(at(r, "employer_employed", 0, t, k), employed) << "no hires, no losses";
      EXPECT_EQ(at(r, "employer_apprentice_places", 0, t, k), places) << t << " " << k;
      EXPECT_EQ(at(r, "employer_apprentices", 0, t, k), places) << t << " " << k; // month 7: the next cohort
    }
  }
  ASSERT_GT(places_in_all, 20);
  for (std::size_t t = 1; t <= 8; ++t) {
    const std::int64_t enrolled = at(r, "enrolments", 0, t);
    EXPECT_EQ(enrolled, t == 1 || t == 7 ? places_in_all : 0) << t;
    EXPECT_EQ(at(r, "apprenticeship_no_place", 0, t), at(r, "applications", 0, t) - enrolled) << t;
    EXPECT_GT(at(r, "apprenticeship_no_place", 0, t), 0) << t;
    EXPECT_EQ(at(r, "turned_away_no_seat", 0, t), 0) << t;
    EXPECT_EQ(at(r, "turned_away_no_money", 0, t), 0) << t;
  }
}

// Places that never bind (every employee may be an apprentice) give the results of places not
// limited, bit for bit, even while the seats bind (the allocation of before stands); job losses
// free places.
TEST(ApprenticePlaces, PlacesThatDoNotBindChangeNothing) {
  const std::map<std::string, std::string> seats = {{"programmes.seats_per_month", "[[40]]"},
                                                    {"labour.job_loss_rate", "0.02"}};
  auto unlimited = seats, ample = seats;
  unlimited["employers.apprentice_places_per_1000"] = "[-1, -1]";
  ample["employers.apprentice_places_per_1000"] = "[1000, 1000]";
  const Results a = run_scenario(places_scenario(unlimited, 10), RunOptions{});
  Results b = run_scenario(places_scenario(ample, 10), RunOptions{});
  EXPECT_GT(total_over_months(a, "turned_away_no_seat"), 0) << "the seats bind";
  EXPECT_EQ(total_over_months(b, "apprenticeship_no_place"), 0);
  // Not limited, nobody can be refused for want of a place: the variable is not declared.
  EXPECT_FALSE(a.has_variable("apprenticeship_no_place"));
  std::erase_if(b.variables, [](const Variable& v) { return v.name.starts_with("apprenticeship_no_place"); });
  expect_same_but(b, a, "employer_apprentice_places");
  EXPECT_GT(total_over_months(b, "enrolments"), 300);
}

// Seats and places bind together: enrolments never exceed the seats, a cell never admits beyond
// its free places (its apprentices exceed its places only when those it already had, fewer
// than the month before's, outnumber places that fell with its employed), and every applicant is
// admitted or refused for one reason.
TEST(ApprenticePlaces, PlacesBindOnTopOfSeats) {
  const Results r = run_scenario(places_scenario({{"programmes.seats_per_month", "[[15]]"},
                                                  {"employers.apprentice_places_per_1000", "[20, 2]"},
                                                  {"labour.job_loss_rate", "0.01"}},
                                                 12),
                                 RunOptions{});
  for (std::size_t t = 1; t <= 12; ++t) {
    EXPECT_LE(at(r, "enrolments", 0, t), 15) << t;
    for (std::size_t k = 0; k < kCells; ++k)
      EXPECT_LE(at(r, "employer_apprentices", 0, t, k),
                std::max(at(r, "employer_apprentice_places", 0, t, k), at(r, "employer_apprentices", 0, t - 1, k)))
          << t << " " << k;
    EXPECT_EQ(at(r, "applications", 0, t), at(r, "enrolments", 0, t) + at(r, "turned_away_no_seat", 0, t) +
                                               at(r, "apprenticeship_no_place", 0, t) +
                                               at(r, "turned_away_no_money", 0, t))
        << t;
  }
  EXPECT_GT(total_over_months(r, "turned_away_no_seat"), 0);
  EXPECT_GT(total_over_months(r, "apprenticeship_no_place"), 0);
}

// A worker hired this month has no employer cell until the month's end, so no place: every
// apprentice admitted had a cell at the start of its month (with places that never bind
// otherwise), and new hires who applied were refused for want of a place.
TEST(ApprenticePlaces, AWorkerHiredThisMonthHasNoPlaceYet) {
  const Scenario s = places_scenario({{"employers.apprentice_places_per_1000", "[1000, 1000]"},
                                      {"labour.job_loss_rate", "0.05"},
                                      {"labour.job_find_rate", "0.3"}},
                                     6);
  ReplicateState state(s, 3, 0);
  std::int64_t admitted = 0, without_cell = 0, refused = 0;
  for (int m = 0; m < 6; ++m) {
    const ColumnVector<std::uint8_t> cells = state.population().employer, programme = state.population().programme;
    const auto ids = state.population().id;
    state.step();
    const Population& pop = state.population();
    ASSERT_EQ(pop.id[cells.size() - 1], ids.back()); // no compaction in between: the same indices
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (programme[i] == kNoProgramme && pop.programme[i] == 0) {
        ++admitted;
        without_cell += cells[i] == kNoEmployer;
      }
    refused += state.training().tally().no_place[0];
  }
  EXPECT_GT(admitted, 100);
  EXPECT_EQ(without_cell, 0);
  EXPECT_GT(refused, 0) << "new hires applied and had no place";
}

TEST(ApprenticePlaces, IdenticalForOneAndTwoThreads) {
  const Results r =
      test::expect_same_for_one_and_two_threads(places_scenario({{"programmes.seats_per_month", "[[25]]"},
                                                                 {"employers.apprentice_places_per_1000", "[8, 1]"},
                                                                 {"labour.job_loss_rate", "0.02"},
                                                                 {"labour.job_find_rate", "0.2"}},
                                                                10),
                                                2);
  EXPECT_GT(total_over_months(r, "apprenticeship_no_place"), 0);
  EXPECT_GT(total_over_months(r, "enrolments"), 0);
}

// No state is added: the places come from the employers' counts and the apprentices in training,
// both derived again after a restore.
TEST(ApprenticePlaces, ARunContinuesFromASnapshot) {
  const Scenario s = places_scenario({{"programmes.seats_per_month", "[[25]]"},
                                      {"employers.apprentice_places_per_1000", "[8, 1]"},
                                      {"labour.job_loss_rate", "0.02"},
                                      {"labour.job_find_rate", "0.2"}},
                                     10);
  test::expect_continues_from_snapshot(s, 4, 5); // the employers' tally, the flows and the final state
  ReplicateState straight(s, 3, 0);
  for (int m = 0; m < 4; ++m) straight.step();
  ReplicateState resumed(s, straight.snapshot());
  std::int64_t refused = 0;
  for (int m = 0; m < 5; ++m) {
    straight.step();
    resumed.step();
    EXPECT_EQ(straight.training().tally(), resumed.training().tally()) << m;
    refused += straight.training().tally().no_place[0];
  }
  EXPECT_GT(refused, 0);
}

// apprenticeship_no_place is declared only when places may refuse somebody: limited at the start
// (with employers and an apprenticeship), by schedule only (0 before the change), or in a
// parameter set; not with places not limited anywhere (-1, where it could only be 0: the cells'
// places and apprentices still are), nor without employers.
TEST(ApprenticePlaces, NoPlaceDeclaredOnlyWhenPlacesMayBind) {
  const Results limited = run_scenario(places_scenario({}, 2), RunOptions{});
  EXPECT_TRUE(limited.has_variable("apprenticeship_no_place"));
  EXPECT_GT(total_over_months(limited, "apprenticeship_no_place"), 0);

  const Scenario unlimited = places_scenario({{"employers.apprentice_places_per_1000", "[-1, -1]"}}, 4);
  EXPECT_FALSE(TrainingSystem::apprentice_places_limited(unlimited));
  const Results not_limited = run_scenario(unlimited, RunOptions{});
  EXPECT_FALSE(not_limited.has_variable("apprenticeship_no_place"));
  ASSERT_TRUE(not_limited.has_variable("employer_apprentices"));
  const std::vector<std::int64_t>& apprentices = not_limited.variable("employer_apprentices").data;
  EXPECT_GT(std::accumulate(apprentices.begin(), apprentices.end(), std::int64_t{0}), 0);

  // Limited from month 2 by schedule (applicants keep coming: a rate under 1, where at 1 every
  // eligible worker enrols in month 1 while places are not limited).
  const Scenario slower = places_scenario(
      {{"employers.apprentice_places_per_1000", "[-1, -1]"}, {"programmes.application_rate", "[0.3]"}}, 4);
  const Scenario later =
      Scenario::make(slower.parameters(),
                     {{slower.start() + 2, "employers.apprentice_places_per_1000", std::vector<double>{5, 0}}}, {});
  EXPECT_FALSE(TrainingSystem::apprentice_places_limited(slower));
  EXPECT_TRUE(TrainingSystem::apprentice_places_limited(later));
  const Results scheduled = run_scenario(later, RunOptions{});
  ASSERT_TRUE(scheduled.has_variable("apprenticeship_no_place"));
  EXPECT_EQ(at(scheduled, "apprenticeship_no_place", 0, 1) + at(scheduled, "apprenticeship_no_place", 0, 2), 0);
  EXPECT_GT(at(scheduled, "apprenticeship_no_place", 0, 3) + at(scheduled, "apprenticeship_no_place", 0, 4), 0);
  // A schedule that keeps them unlimited declares nothing.
  const Scenario still = Scenario::make(
      unlimited.parameters(),
      {{unlimited.start() + 2, "employers.apprentice_places_per_1000", std::vector<double>{-1, -1}}}, {});
  EXPECT_FALSE(TrainingSystem::apprentice_places_limited(still));
  EXPECT_FALSE(make_results_layout(still, 1).has_variable("apprenticeship_no_place"));

  // Limited in a parameter set (the large class's places), not in the base.
  ParameterSets sets;
  sets.keys = {"employers.apprentice_places_per_1000[large]"};
  sets.rows = {{-1}, {5}};
  sets.source = "<test>";
  const Scenario with_sets =
      Scenario::make(unlimited.parameters(), unlimited.schedule(), unlimited.targets(), "<test>", "", sets);
  EXPECT_TRUE(TrainingSystem::apprentice_places_limited(with_sets));
  EXPECT_TRUE(make_results_layout(with_sets, 2).has_variable("apprenticeship_no_place"));

  const Results without =
      run_scenario(test::programme_scenario({{"programmes.apprenticeship", "[1]"},
                                             {"programmes.eligible_statuses", "[[0, 1, 0, 0, 0, 0]]"},
                                             {"programmes.target_level", "[3]"}},
                                            2),
                   RunOptions{});
  EXPECT_FALSE(without.has_variable("apprenticeship_no_place"));
  EXPECT_FALSE(without.has_variable("employer_funding"));
}

// Paid at enrolment: each trainee costs the fund claim_yuan = round(1000 x (1 - 0.3) x 10) and its
// employer round(1000 x 0.3 x 10) (ten persons an agent), to the yuan; the ledger's identity holds
// every month.
TEST(EmployerCofunding, TheFundPaysItsShareAndTheEmployerTheRest) {
  const Scenario s = cofunded("0.3", "enrolment", "[1000000000]", 6, 10);
  const Parameters& p = s.parameters();
  ASSERT_EQ(claim_yuan(p, 0, 0), 7000);
  ASSERT_EQ(employer_claim_yuan(p, 0), 3000);
  ReplicateState state(s, 5, 0);
  std::int64_t enrolled = 0, fund_paid = 0, employer_paid = 0;
  for (int m = 0; m < 6; ++m) {
    state.step();
    const TrainingTally& tally = state.training().tally();
    enrolled += tally.enrolments[0]; // agents
    fund_paid += tally.paid[0];
    employer_paid += tally.employer_paid[0];
    const FundAccount& f = state.training().ledger().fund(0);
    EXPECT_TRUE(state.training().ledger().balanced());
    EXPECT_EQ(f.granted, f.paid + f.committed + f.remaining + f.lapsed);
    EXPECT_EQ(f.paid, fund_paid);
  }
  ASSERT_GT(enrolled, 100);
  EXPECT_EQ(fund_paid, 7000 * enrolled);
  EXPECT_EQ(employer_paid, 3000 * enrolled);
}

// Paid on certification: the fund commits 1000 x (1 - 0.25) per trainee and pays it per
// certificate, the employer 250 per certificate; the results say so month by month.
TEST(EmployerCofunding, PaidOnCertificationInTheResults) {
  const Results r = run_scenario(cofunded("0.25", "certification"), RunOptions{});
  ASSERT_TRUE(r.has_variable("employer_funding"));
  std::int64_t certificates = 0;
  for (std::size_t t = 1; t <= 12; ++t) {
    const std::int64_t c = at(r, "certificates", 0, t);
    certificates += c;
    EXPECT_EQ(at(r, "spending", 0, t), 750 * c) << t;
    EXPECT_EQ(at(r, "employer_funding", 0, t), 250 * c) << t;
  }
  EXPECT_GT(certificates, 1000);
}

// The same envelope trains more: 100,000 yuan a year pays 100 trainees at 1000 yuan, 200 when the
// employers pay half; the money binds in both.
TEST(EmployerCofunding, TheSameBudgetTrainsMore) {
  const Results alone = run_scenario(cofunded("0", "enrolment", "[100000]", 6), RunOptions{});
  const Results shared = run_scenario(cofunded("0.5", "enrolment", "[100000]", 6), RunOptions{});
  EXPECT_EQ(total_over_months(alone, "enrolments"), 100);
  EXPECT_EQ(total_over_months(shared, "enrolments"), 200);
  EXPECT_EQ(total_over_months(shared, "spending"), 100000);
  EXPECT_EQ(total_over_months(shared, "employer_funding"), 100000);
  EXPECT_GT(total_over_months(alone, "turned_away_no_money"), 0);
  EXPECT_GT(total_over_months(shared, "turned_away_no_money"), 0);
  EXPECT_FALSE(alone.has_variable("employer_funding"));
}

TEST(EmployerCofunding, IdenticalForOneAndTwoThreads) {
  const Results r = test::expect_same_for_one_and_two_threads(cofunded("0.4", "monthly", "[3000000]", 8), 2);
  EXPECT_GT(total_over_months(r, "employer_funding"), 0);
}

// The twin pays the funds' part (it shares claim_yuan) and reports the employers' part: in closed
// form against its certificates, and against the agents' mean within 4 standard errors.
TEST(EmployerCofunding, TheTwinAgreesWithTheAgents) {
  const Scenario s = cofunded("0.25", "certification", "[1000000000]", 12);
  const Results twin = project_scenario(s);
  ASSERT_TRUE(twin.has_variable("employer_funding"));
  RunOptions options;
  options.replicates = 20;
  options.seed = 11;
  const Results agents = run_scenario(s, options);
  const auto value = [](const Results& r, const std::string& name, std::size_t rep, std::size_t t) {
    const Variable& v = r.variable(name);
    const std::size_t times = r.dimension("time").size(),
                      per_time = v.size() / (r.dimension("replicate").size() * times);
    const std::size_t i = (rep * times + t) * per_time;
    return v.is_real ? v.real_data[i] : static_cast<double>(v.data[i]);
  };
  for (const char* name : {"spending", "employer_funding", "certificates"}) {
    double sum = 0, squares = 0, expected = 0;
    for (std::size_t t = 1; t <= 12; ++t) expected += value(twin, name, 0, t);
    for (std::size_t rep = 0; rep < 20; ++rep) {
      double x = 0;
      for (std::size_t t = 1; t <= 12; ++t) x += value(agents, name, rep, t);
      sum += x;
      squares += x * x;
    }
    const double mean = sum / 20, se = std::sqrt((squares - 20 * mean * mean) / 19 / 20);
    EXPECT_LE(std::abs(mean - expected), 4 * se) << name << ": agents " << mean << " twin " << expected;
  }
  for (std::size_t t = 1; t <= 12; ++t) {
    const double c = value(twin, "certificates", 0, t);
    EXPECT_NEAR(value(twin, "employer_funding", 0, t), 250 * c, 1e-6 * (1 + 250 * c)) << t;
    EXPECT_NEAR(value(twin, "spending", 0, t), 750 * c, 1e-6 * (1 + 750 * c)) << t;
  }
}

TEST(EmployerLevers, EveryValidationMessageNamesTheKey) {
  const auto issues_of = [](const Scenario& s, const std::string& what) {
    Parameters p = s.parameters();
    if (what == "share_range") p.programmes.employer_share = {1.5};
    if (what == "share_unemployed") p.programmes.eligible_statuses.values = {0, 1, 1, 0, 0, 0};
    if (what == "share_full_time") p.programmes.full_time = {1};
    if (what == "places_between") p.employers.apprentice_places_per_1000 = {-0.5, 0};
    if (what == "places_range") p.employers.apprentice_places_per_1000 = {2000, 0};
    return check(p);
  };
  const Scenario shared = cofunded("0.3", "enrolment");
  EXPECT_TRUE(issues_of(shared, "").empty()) << dump(issues_of(shared, ""));
  EXPECT_TRUE(has_issue(issues_of(shared, "share_range"), "programmes.employer_share[0]", "must be in [0, 1]"))
      << dump(issues_of(shared, "share_range"));
  EXPECT_TRUE(has_issue(issues_of(shared, "share_unemployed"), "programmes.employer_share[0]",
                        "must admit employed workers only; status 'unemployed' is eligible"))
      << dump(issues_of(shared, "share_unemployed"));
  EXPECT_TRUE(has_issue(issues_of(shared, "share_full_time"), "programmes.employer_share[0]",
                        "programmes.full_time[0] must be false"))
      << dump(issues_of(shared, "share_full_time"));
  const Scenario places = places_scenario();
  EXPECT_TRUE(issues_of(places, "").empty()) << dump(issues_of(places, ""));
  EXPECT_TRUE(has_issue(issues_of(places, "places_between"), "employers.apprentice_places_per_1000[0]",
                        "must be -1 (places not limited by employers) or at least 0, got -0.5"))
      << dump(issues_of(places, "places_between"));
  EXPECT_TRUE(
      has_issue(issues_of(places, "places_range"), "employers.apprentice_places_per_1000[0]", "must be in [-1, 1000]"))
      << dump(issues_of(places, "places_range"));
  // Places without employers.
  Parameters bare = test::programme_scenario({}).parameters();
  bare.employers.apprentice_places_per_1000 = {5};
  EXPECT_TRUE(has_issue(check(bare), "employers.apprentice_places_per_1000", "needs employers.size_classes"))
      << dump(check(bare));
  // An apprenticeship and a programme that is not one may not substitute for each other while
  // places are limited.
  Parameters mixed = places_scenario().parameters();
  auto& pr = mixed.programmes;
  for (auto* names : {&pr.names, &pr.labels}) names->push_back("other");
  const auto copy_row = [](auto& column) { column.push_back(column.back()); };
  copy_row(pr.min_level);
  copy_row(pr.max_level);
  copy_row(pr.min_age);
  copy_row(pr.max_age);
  copy_row(pr.min_contribution_months);
  copy_row(pr.application_rate);
  copy_row(pr.duration_months);
  copy_row(pr.full_time);
  copy_row(pr.target_level);
  copy_row(pr.completion_probability);
  copy_row(pr.pass_probability);
  copy_row(pr.appraisal_share);
  copy_row(pr.cost_per_trainee);
  copy_row(pr.payment);
  copy_row(pr.reference_cost);
  copy_row(pr.subsidy_elasticity);
  copy_row(pr.premium_elasticity);
  copy_row(pr.leakage_share);
  copy_row(pr.job_find_factor);
  copy_row(pr.waiting);
  copy_row(pr.shorten_months);
  copy_row(pr.employer_share);
  pr.apprenticeship.push_back(0);
  const auto grow = [](auto& m, int cols) {
    for (int c = 0; c < cols; ++c) m.values.push_back(m.values[static_cast<std::size_t>(c)]);
    ++m.rows;
  };
  grow(pr.eligible_groups, kGroupCount);
  grow(pr.eligible_statuses, kStatusCount);
  grow(pr.eligible_regions, pr.eligible_regions.cols);
  grow(pr.fund_shares, pr.fund_shares.cols);
  grow(pr.seats_per_month, pr.seats_per_month.cols);
  pr.substitutes.rows = pr.substitutes.cols = 2;
  pr.substitutes.values = {0, 1, 0, 0};
  EXPECT_TRUE(has_issue(check(mixed), "programmes.substitutes[0][1]", "cannot substitute for each other"))
      << dump(check(mixed));
}

// The twin refuses apprenticeship places, naming the key.
TEST(EmployerLevers, TheTwinRefusesApprenticePlaces) {
  const auto issues = twin_refusals(places_scenario());
  EXPECT_TRUE(has_issue(issues, "employers.apprentice_places_per_1000", "apprenticeship places")) << dump(issues);
  EXPECT_FALSE(has_issue(twin_refusals(places_scenario({{"employers.apprentice_places_per_1000", "[-1, -1]"}})),
                         "employers.apprentice_places_per_1000", ""));
}
