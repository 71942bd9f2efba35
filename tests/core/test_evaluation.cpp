// Evaluation capacity and the money rules that come with programmes: the evaluator matching by
// hand, capacities never exceeded, queues that carry over and give up, the same certificates as
// unlimited evaluation when capacity is ample; monthly payment (以工代训), leakage and audits in
// closed form; the job-finding effect and the demand response to the subsidy as statistics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <random>

#include "scenario_builders.hpp"
#include "skillsim/core/evaluation.hpp"
#include "skillsim/core/simulation.hpp"

using namespace skillsim;
using test::at;
using test::programme_scenario;
using test::total_over_months;

namespace {

constexpr int kEmployedStatus = static_cast<int>(Status::Employed);
constexpr int kUnemployedStatus = static_cast<int>(Status::Unemployed);

// Evaluator types: enterprises (assess employees only) and a social organisation (anybody).
EvaluationProblem two_evaluators(std::int64_t enterprise, std::int64_t social) {
  EvaluationProblem p;
  p.evaluators = 2;
  p.regions = 1;
  p.max_wait_months = 12;
  p.capacity = {enterprise, social};
  for (int e = 0; e < 2; ++e)
    for (int s = 0; s < kStatusCount; ++s) p.eligible_status.push_back(e == 1 || s == kEmployedStatus);
  p.max_level = {6, 6};
  return p;
}

std::map<std::string, std::string> with_evaluator(std::int64_t capacity, std::map<std::string, std::string> more = {}) {
  more.emplace("evaluation.evaluators", R"(["agency"])");
  more.emplace("evaluation.labels", R"(["社会培训评价组织"])");
  more.emplace("evaluation.capacity_per_month", "[[" + std::to_string(capacity) + "]]");
  more.emplace("evaluation.eligible_statuses", "[[1, 1, 1, 1, 1, 0]]");
  return more;
}

} // namespace

TEST(EvaluationAllocation, LongestWaitingFirstAndEachEvaluatorWithinItsRules) {
  // 10 employed candidates who just joined, 5 unemployed who have waited 3 months. Enterprises
  // (4 places) take only the employed; the organisation (6 places) takes anybody. At most 10
  // can be assessed; the 5 who waited longer all are (through the organisation, the only one
  // that takes them), and the other 5 places go to the employed.
  EvaluationProblem p = two_evaluators(4, 6);
  p.cells = {{0, 2, kEmployedStatus, 1, 10}, {0, 2, kUnemployedStatus, 3, 5}};
  const EvaluationAllocation a = allocate_evaluations(p);
  EXPECT_EQ(a.assessed, (std::vector<std::int64_t>{5, 5}));
  EXPECT_EQ(a.held, (std::vector<std::int64_t>{4, 6}));
  EXPECT_EQ(a.binding, (std::vector<bool>{true, true})); // both full, employed candidates still waiting
}

TEST(EvaluationAllocation, TypesTakeWhomTheyMayAssessInTheOrderDeclared) {
  // 13 employed candidates, whom both types may assess, and an unemployed one, whom only the
  // organisation may. With room for all, the enterprises, declared first, take every employed
  // candidate. (Before, any split was an optimum of the flow network and its solver's paths chose
  // one: here all 14 to the organisation.)
  EvaluationProblem p = two_evaluators(100, 100);
  p.cells = {{0, 2, kEmployedStatus, 1, 7}, {0, 3, kEmployedStatus, 1, 6}, {0, 2, kUnemployedStatus, 1, 1}};
  EvaluationAllocation a = allocate_evaluations(p);
  EXPECT_EQ(a.assessed, (std::vector<std::int64_t>{7, 6, 1}));
  EXPECT_EQ(a.held, (std::vector<std::int64_t>{13, 1}));
  // Declared the other way round, the organisation takes everybody.
  EvaluationProblem swapped = p;
  std::swap_ranges(swapped.eligible_status.begin(), swapped.eligible_status.begin() + kStatusCount,
                   swapped.eligible_status.begin() + kStatusCount);
  EXPECT_EQ(allocate_evaluations(swapped).held, (std::vector<std::int64_t>{14, 0}));
  // With room for 4 in the enterprises, they take 4 and the organisation the other 10.
  p.capacity = {4, 100};
  a = allocate_evaluations(p);
  EXPECT_EQ(a.assessed, (std::vector<std::int64_t>{7, 6, 1}));
  EXPECT_EQ(a.held, (std::vector<std::int64_t>{4, 10}));
  EXPECT_EQ(a.binding, (std::vector<bool>{false, false})); // nobody waits
  // The order never decides who is assessed, only by whom: 5 unemployed who waited 2 months and 5
  // employed who just joined, room for 5 in the organisation and none in the enterprises.
  p.capacity = {0, 5};
  p.cells = {{0, 2, kEmployedStatus, 1, 5}, {0, 2, kUnemployedStatus, 2, 5}};
  EXPECT_EQ(allocate_evaluations(p).assessed, (std::vector<std::int64_t>{0, 5}));
}

TEST(EvaluationAllocation, AnEmployersOwnCapacityComesFirst) {
  // 6 employees of employer cell 0 (3 places of its own, held as the enterprises') and 4 employed
  // elsewhere, with room for everybody at both types: the cell's own places are used before any
  // type's, and the enterprises, declared first, take the rest of the employed.
  EvaluationProblem p = two_evaluators(100, 100);
  p.employer_capacity = {3};
  p.employer_evaluator = 0;
  p.cells = {{0, 2, kEmployedStatus, 1, 6, 0}, {0, 2, kEmployedStatus, 1, 4}};
  const EvaluationAllocation a = allocate_evaluations(p);
  EXPECT_EQ(a.assessed, (std::vector<std::int64_t>{6, 4}));
  EXPECT_EQ(a.employer_held, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(a.held, (std::vector<std::int64_t>{10, 0})); // the cell's 3 counted under the enterprises
  // 3 employees of the cell, 5 places of its own, room at both types: all 3 in the cell's own
  // places. (Before, the solver's paths sent them to the enterprises: none in its own.)
  p.employer_capacity = {5};
  p.capacity = {4, 7};
  p.cells = {{0, 2, kEmployedStatus, 1, 3, 0}};
  EXPECT_EQ(allocate_evaluations(p).employer_held, (std::vector<std::int64_t>{3}));
}

TEST(EvaluationAllocation, EquallyWaitingCandidatesShareScarcePlacesInProportion) {
  // 4 and 8 employed candidates who waited as long, 6 places at the organisation (none at the
  // enterprises): each cell gets half its candidates. (Before, the solver's node order gave the
  // first cell all 4 and the second 2.)
  EvaluationProblem p = two_evaluators(0, 6);
  p.cells = {{0, 2, kEmployedStatus, 2, 4}, {0, 3, kEmployedStatus, 2, 8}};
  EXPECT_EQ(allocate_evaluations(p).assessed, (std::vector<std::int64_t>{2, 4}));
  // A longer wait still comes first: 3 who waited 4 months are all assessed, and the 3 places
  // left are shared as 1 and 2.
  p.cells.push_back({0, 4, kUnemployedStatus, 4, 3});
  EXPECT_EQ(allocate_evaluations(p).assessed, (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(EvaluationAllocation, ACellWhoseEvaluatorsAreFullStopsAndTheOthersGoOn) {
  // 6 unemployed (the organisation only: 2 places) and 6 employed (the enterprises' 3 places, or
  // the organisation's): sharing 5 places equally would give each 2.5, more than the unemployed
  // can have. So the unemployed get the organisation's 2 (a third of them) and the employed the
  // enterprises' 3 (a half): no candidate is less likely to be assessed than another who may
  // use the same evaluators, and all 5 places are used. (The solver's order gave the same here; an
  // equal share for every cell of the wait, stopped where the first evaluator fills, would not.)
  EvaluationProblem p = two_evaluators(3, 2);
  p.cells = {{0, 2, kUnemployedStatus, 1, 6}, {0, 2, kEmployedStatus, 1, 6}};
  const EvaluationAllocation a = allocate_evaluations(p);
  EXPECT_EQ(a.assessed, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(a.held, (std::vector<std::int64_t>{3, 2}));
  EXPECT_EQ(a.binding, (std::vector<bool>{true, true}));
}

TEST(EvaluationAllocation, TheUnitsLeftByRoundingGoWhereTheDrawFalls) {
  // Three cells of one candidate each and one place: a third of a candidate each, rounded down to
  // none; the place goes to the cell in whose third of [0, 1) the month's draw falls.
  EvaluationProblem p = two_evaluators(0, 1);
  p.cells = {{0, 1, kEmployedStatus, 1, 1}, {0, 2, kEmployedStatus, 1, 1}, {0, 3, kEmployedStatus, 1, 1}};
  std::vector<int> won(3, 0);
  for (std::uint32_t k = 0; k < 300; ++k) {
    p.rationing_draw = static_cast<std::uint32_t>((std::uint64_t{2 * k + 1} << 32) / 600); // (k + 1/2) / 300
    const std::vector<std::int64_t> assessed = allocate_evaluations(p).assessed;
    EXPECT_EQ(std::accumulate(assessed.begin(), assessed.end(), std::int64_t{0}), 1);
    for (std::size_t c = 0; c < 3; ++c) won[c] += static_cast<int>(assessed[c]);
  }
  EXPECT_EQ(won, (std::vector<int>{100, 100, 100})); // draws evenly spread: each cell a third of them
  // 7 and 3 candidates, 5 places: 3.5 and 1.5, each cell's half rounded up in half the draws.
  p.cells = {{0, 1, kEmployedStatus, 1, 7}, {0, 2, kEmployedStatus, 1, 3}};
  p.capacity = {0, 5};
  p.rationing_draw = 0;
  EXPECT_EQ(allocate_evaluations(p).assessed, (std::vector<std::int64_t>{4, 1}));
  p.rationing_draw = 0xC0000000u; // 0.75
  EXPECT_EQ(allocate_evaluations(p).assessed, (std::vector<std::int64_t>{3, 2}));
}

TEST(EvaluationAllocation, TheTwinsFixedPointSharesAreExact) {
  // The twin's counts are persons x 2^20: a quarter and three quarters of 2^45 places.
  EvaluationProblem p = two_evaluators(0, std::int64_t{1} << 45);
  p.cells = {{0, 1, kEmployedStatus, 3, std::int64_t{1} << 45}, {0, 2, kEmployedStatus, 3, std::int64_t{3} << 45}};
  EXPECT_EQ(allocate_evaluations(p).assessed,
            (std::vector<std::int64_t>{std::int64_t{1} << 43, std::int64_t{3} << 43}));
}

TEST(EvaluationAllocation, ALevelAboveEveryEvaluatorsRangeWaits) {
  EvaluationProblem p = two_evaluators(5, 5);
  p.max_level = {4, 3};
  p.cells = {{0, 5, kEmployedStatus, 1, 3}, {0, 4, kEmployedStatus, 1, 3}};
  const EvaluationAllocation a = allocate_evaluations(p);
  EXPECT_EQ(a.assessed, (std::vector<std::int64_t>{0, 3}));
  EXPECT_EQ(a.binding, (std::vector<bool>{false, false})); // capacity left: the limit is the rule, not the capacity
}

TEST(EvaluationAllocation, InconsistentSizesAreRejected) {
  EvaluationProblem p = two_evaluators(1, 1);
  p.capacity.pop_back();
  EXPECT_THROW(allocate_evaluations(p), Error);
}

TEST(Evaluation, AmpleCapacityGivesTheSameCertificatesAsUnlimitedEvaluation) {
  // Everybody completes and passes: assessment draws cannot differ, so the queue, assessed the
  // month it forms, must reproduce the run without evaluators month by month.
  const std::map<std::string, std::string> money = {{"funds.annual_envelope", "[100000000]"}};
  const Results unlimited = run_scenario(programme_scenario(money), RunOptions{});
  const Results ample = run_scenario(programme_scenario(with_evaluator(1'000'000, money)), RunOptions{});
  for (std::size_t t = 1; t <= 12; ++t) {
    EXPECT_EQ(at(ample, "certificates", 0, t), at(unlimited, "certificates", 0, t)) << "month " << t;
    EXPECT_EQ(at(ample, "evaluations", 0, t), at(ample, "certificates", 0, t)) << "month " << t;
    EXPECT_EQ(at(ample, "evaluation_queue", 0, t), 0);
    EXPECT_EQ(at(ample, "evaluation_binding", 0, t), 0);
  }
  EXPECT_GT(total_over_months(ample, "certificates"), 0);
}

TEST(Evaluation, CapacityIsNeverExceededAndTheQueueCarriesOver) {
  // 300 completers a month from month 4 on, 120 assessments a month: the queue grows by 180 a
  // month, every month is binding, and every assessment held is a certificate (pass 1).
  const Scenario s = programme_scenario(
      with_evaluator(120, {{"funds.annual_envelope", "[100000000]"}, {"evaluation.max_wait_months", "24"}}));
  const Results r = run_scenario(s, RunOptions{});
  std::int64_t completed = 0, assessed = 0;
  for (std::size_t t = 1; t <= 12; ++t) {
    completed += at(r, "completions", 0, t);
    assessed += at(r, "evaluations", 0, t);
    EXPECT_LE(at(r, "evaluations", 0, t), 120) << "month " << t;
    EXPECT_EQ(at(r, "certificates", 0, t), at(r, "evaluations", 0, t)) << "month " << t;
    EXPECT_EQ(at(r, "evaluation_queue", 0, t), completed - assessed) << "month " << t;
    EXPECT_EQ(at(r, "evaluation_binding", 0, t), t >= 4 ? 1 : 0) << "month " << t;
  }
  EXPECT_EQ(at(r, "evaluation_queue", 0, 12), 9 * 300 - 9 * 120);
}

TEST(Evaluation, CandidatesGiveUpAfterTheLongestWaitAndTheirMoneyIsReleased) {
  // No capacity at all: completers wait two months and give up; the money committed for their
  // certificate goes back to the fund, so nothing stays committed for them.
  const Scenario s = programme_scenario(with_evaluator(0, {{"funds.annual_envelope", "[100000000]"},
                                                           {"evaluation.max_wait_months", "2"},
                                                           {"programmes.payment", R"(["certification"])"}}));
  const Results r = run_scenario(s, RunOptions{});
  for (std::size_t t = 1; t <= 12; ++t) {
    EXPECT_EQ(at(r, "certificates", 0, t), 0);
    // Completers of month t - 2 give up in month t.
    EXPECT_EQ(at(r, "evaluation_abandoned", 0, t), t > 2 ? at(r, "completions", 0, t - 2) : 0) << "month " << t;
    // Committed: one claim of 1,000 yuan per trainee, in training or in the queue (both count
    // as trainees: they hold a place in the programme until assessed or gone).
    EXPECT_EQ(at(r, "fund_committed", 0, t), at(r, "trainees", 0, t) * 1000) << "month " << t;
  }
  EXPECT_GT(total_over_months(r, "evaluation_abandoned"), 0);
  EXPECT_EQ(total_over_months(r, "spending"), 0);
}

// With evaluators, completers sit when an evaluator takes them: programme_assessments are the
// evaluations held (only trainees wait here), and every completer is in exactly one of: sat
// (passed or failed), gave up waiting, still waiting. So certificates <= programme_assessments
// <= completions over the run.
TEST(Evaluation, ProgrammeAssessmentsAreTheSittingsOfCompleters) {
  const Scenario s = programme_scenario(with_evaluator(120, {{"funds.annual_envelope", "[100000000]"},
                                                             {"evaluation.max_wait_months", "2"},
                                                             {"programmes.pass_probability", "[0.7]"}}));
  const Results r = run_scenario(s, RunOptions{});
  std::int64_t sat = 0;
  for (std::size_t t = 1; t <= 12; ++t) {
    EXPECT_EQ(at(r, "programme_assessments", 0, t, 2), at(r, "evaluations", 0, t)) << "month " << t;
    EXPECT_LE(at(r, "certificates", 0, t), at(r, "programme_assessments", 0, t, 2)) << "month " << t;
    sat += at(r, "programme_assessments", 0, t, 2);
  }
  EXPECT_EQ(total_over_months(r, "completions"),
            sat + total_over_months(r, "evaluation_abandoned") + at(r, "evaluation_queue", 0, 12));
  EXPECT_GT(total_over_months(r, "evaluation_abandoned"), 0);
  EXPECT_LT(total_over_months(r, "certificates"), sat);
  EXPECT_LT(sat, total_over_months(r, "completions"));
}

// With programmes.appraisal_share s and evaluators, every completer is in exactly one of: did
// not sit (training certificate only), sat, gave up waiting, still waiting. Those who do not sit
// never join the queue, so the remainder completions - sat - gave up - waiting is about (1 - s)
// of the completions (within four standard errors); with s = 0 nobody queues at all.
TEST(Evaluation, CompletersWhoDoNotSitNeverQueue) {
  const double share = 0.5;
  const Scenario s = programme_scenario(with_evaluator(120, {{"funds.annual_envelope", "[100000000]"},
                                                             {"evaluation.max_wait_months", "2"},
                                                             {"programmes.payment", R"(["certification"])"},
                                                             {"programmes.pass_probability", "[0.7]"},
                                                             {"programmes.appraisal_share", "[0.5]"}}),
                                        24);
  const Results r = run_scenario(s, RunOptions{});
  std::int64_t sat = 0;
  for (std::size_t t = 1; t <= 24; ++t) {
    EXPECT_EQ(at(r, "programme_assessments", 0, t, 2), at(r, "evaluations", 0, t)) << "month " << t;
    EXPECT_LE(at(r, "evaluations", 0, t), 120) << "month " << t;
    EXPECT_EQ(at(r, "spending", 0, t), at(r, "certificates", 0, t) * 1000) << "month " << t;
    // Committed: one claim per trainee in training or in the queue, none for those who did not sit.
    EXPECT_EQ(at(r, "fund_committed", 0, t), at(r, "trainees", 0, t) * 1000) << "month " << t;
    sat += at(r, "programme_assessments", 0, t, 2);
  }
  const std::int64_t completed = total_over_months(r, "completions");
  const std::int64_t not_sitting =
      completed - sat - total_over_months(r, "evaluation_abandoned") - at(r, "evaluation_queue", 0, 24);
  ASSERT_GT(completed, 3000);
  EXPECT_GT(total_over_months(r, "evaluation_abandoned"), 0); // the queue binds, so every category is there
  EXPECT_GT(at(r, "evaluation_queue", 0, 24), 0);
  const double n = static_cast<double>(completed);
  EXPECT_NEAR(static_cast<double>(not_sitting) / n, 1 - share, 4 * std::sqrt(share * (1 - share) / n))
      << not_sitting << " of " << completed;

  const Results none =
      run_scenario(programme_scenario(with_evaluator(120, {{"funds.annual_envelope", "[100000000]"},
                                                           {"programmes.payment", R"(["certification"])"},
                                                           {"programmes.appraisal_share", "[0]"}})),
                   RunOptions{});
  for (std::size_t t = 1; t <= 12; ++t) {
    EXPECT_EQ(at(none, "evaluation_queue", 0, t), 0) << "month " << t;
    EXPECT_EQ(at(none, "evaluations", 0, t), 0) << "month " << t;
    EXPECT_EQ(at(none, "evaluation_abandoned", 0, t), 0) << "month " << t;
    EXPECT_EQ(at(none, "certificates", 0, t), 0) << "month " << t;
    EXPECT_EQ(at(none, "spending", 0, t), 0) << "month " << t;
  }
  EXPECT_GT(total_over_months(none, "completions"), 0);
}

namespace {

// One programme with an evaluator of `capacity` assessments a month, and ordinary assessments
// queued for it too: what the thread-count tests below run.
Scenario queued_for_an_evaluator(std::int64_t capacity, double persons, int months) {
  std::map<std::string, std::string> settings =
      with_evaluator(capacity, {{"programmes.application_rate", "[0.02]"}, {"programmes.pass_probability", "[0.7]"}});
  std::vector<std::string> overrides = {"skills.assessment_rate=[0, 0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0, 0]"};
  for (auto& [k, v] : test::one_programme()) overrides.push_back(k + "=" + (settings.count(k) ? settings[k] : v));
  for (auto& [k, v] : settings) overrides.push_back(k + "=" + v);
  return test::small_scenario(overrides, persons, 1, months);
}

} // namespace

TEST(Evaluation, IdenticalForOneAndTwoThreads) {
  const Results one = test::expect_same_for_one_and_two_threads(queued_for_an_evaluator(150, 100000, 12));
  EXPECT_GT(total_over_months(one, "evaluations"), 0);
  EXPECT_GT(total_over_months(one, "assessments", 2), 0); // ordinary assessments go through the queue too
}

// The rules pass hands its agents to the threads in chunks as they come free (at least 4,096
// agents each: 49 chunks here), and the training and evaluation steps join each thread's lists and
// sort on every thread: with 3 threads on this 2-core machine the chunks fall differently from run
// to run, and the run must still be the one run of 1 thread, bit for bit.
TEST(Evaluation, IdenticalForOneTwoAndThreeThreadsWithTheAgentsInManyChunks) {
  const Results one = test::expect_same_for_thread_counts(queued_for_an_evaluator(300, 200000, 6), {1, 2, 3});
  EXPECT_GT(total_over_months(one, "evaluations"), 0);
  EXPECT_GT(total_over_months(one, "evaluation_queue"), 0); // some wait: their months waited count up
  EXPECT_GT(total_over_months(one, "enrolments"), 0);
}

// A worker waiting for an evaluator without a programme who is appointed to 首席技师, the top
// level, has nothing left to seek: in the next month's evaluation step they leave the queue,
// counted with those who gave up (before commit d873dc8 they sought the level past the top,
// whose cell does not exist), and are never assessed again. No run queues a worker at 特级技师 by
// itself (its assessment rate must be 0), so the start's snapshot is edited: 40 employed workers
// of the first region made 特级技师, with the 首席技师 minimum served, waiting a month. 60
// appointments a year (5 a month) go to the eligible, queued or not. Candidates for 中级工 queue
// too, and the evaluators (5 assessments a month in each region, up to 高级技师) keep them waiting.
// Nobody dies, retires, moves or gives up after 12 months within the 6 months run.
TEST(Evaluation, AQueuedWorkerAppointedToTheTopLevelLeavesTheQueueAsGivingUp) {
  constexpr int kPrincipal = static_cast<int>(Level::PrincipalTechnician);
  constexpr int kChief = static_cast<int>(Level::ChiefTechnician);
  constexpr int kSought = static_cast<int>(Level::Intermediate); // the ordinary candidates'
  std::vector<std::string> o = test::everything_off();
  for (const char* setting :
       {"population.regions=[\"east\", \"west\"]", "population.region_shares=[0.5, 0.5]",
        "skills.assessment_rate=[0, 0, 0, 0.02, 0, 0, 0, 0, 0]", "skills.chief_technician_quota_per_year=60",
        "evaluation.evaluators=[\"agency\"]", "evaluation.labels=[\"社会培训评价组织\"]",
        "evaluation.capacity_per_month=[[5, 5]]", "evaluation.eligible_statuses=[[1, 1, 1, 1, 1, 0]]",
        "evaluation.max_level=[6]", "evaluation.max_wait_months=12"})
    o.push_back(setting);
  const Scenario s = test::small_scenario(o, 20000, 1, 6);
  ReplicateSnapshot start = ReplicateState(s, 1, 0).snapshot();
  Population& edited = start.population;
  std::vector<std::size_t> queued; // the edited workers
  for (std::size_t i = 0; i < edited.size() && queued.size() < 40; ++i)
    if (edited.status[i] == static_cast<std::uint8_t>(Status::Employed) && edited.region_of(i) == 0 &&
        edited.level[i] < kPrincipal && edited.evaluation_wait[i] == 0) {
      edited.level[i] = static_cast<std::uint8_t>(kPrincipal);
      edited.months_at_level[i] = kMaxMonthsAtLevel;
      edited.evaluation_wait[i] = 1;
      queued.push_back(i);
    }
  ASSERT_EQ(queued.size(), 40u);
  ReplicateState state(s, start);
  std::int64_t appointed_waiting = 0, gave_up = 0, assessed = 0;
  std::int64_t appointed_last_month = 0; // appointed to 首席技师 while waiting
  for (int month = 1; month <= 6; ++month) {
    state.step();
    const Population& pop = state.population();
    const EvaluationTally& tally = state.evaluation().tally();
    const MonthTally& flows = state.last_flows();
    // Those appointed while waiting last month, and nobody else, gave up this month.
    EXPECT_EQ(tally.abandoned[0] + tally.abandoned[1], appointed_last_month) << "month " << month;
    gave_up += tally.abandoned[0] + tally.abandoned[1];
    // Only the ordinary candidates are assessed (for 中级工, at most the capacity): nobody for a level
    // past the top, nor, read as another cell, for another level.
    for (int l = 0; l < kLevelCount; ++l)
      if (l != kSought) {
        EXPECT_EQ(flows.assessments[l], 0) << "level " << l << ", month " << month;
      }
    EXPECT_EQ(flows.assessments[kSought], tally.held[0] + tally.held[1]) << "month " << month;
    EXPECT_LE(tally.held[0], 5);
    EXPECT_LE(tally.held[1], 5);
    assessed += flows.assessments[kSought];
    // The edited workers: 特级技师 waiting (never assessed: no evaluator certifies 首席技师), or
    // 首席技师, waiting only in the month of their appointment.
    appointed_last_month = 0;
    std::int64_t waiting = 0;
    for (std::size_t i : queued) {
      ASSERT_EQ(pop.status[i], static_cast<std::uint8_t>(Status::Employed));
      if (pop.level[i] == kChief && pop.evaluation_wait[i] != 0) {
        EXPECT_EQ(pop.months_at_level[i], 0) << "agent " << i << " still waits at 首席技师, month " << month;
        ++appointed_last_month;
      } else if (pop.level[i] == kPrincipal) {
        EXPECT_EQ(pop.evaluation_wait[i], month + 1) << "agent " << i << ", month " << month;
        ++waiting;
      } else {
        EXPECT_EQ(pop.level[i], kChief) << "agent " << i << ", month " << month;
      }
    }
    appointed_waiting += appointed_last_month;
    // The queue: everybody still waiting at the month's end, the edited and the ordinary.
    std::int64_t in_queue = 0;
    for (std::size_t i = 0; i < pop.size(); ++i) in_queue += pop.evaluation_wait[i] != 0;
    EXPECT_EQ(tally.queue[0] + tally.queue[1], in_queue) << "month " << month;
    EXPECT_GT(in_queue - waiting - appointed_last_month, 0) << "month " << month; // ordinary candidates wait
    // Conservation of the edited: each waits, left as giving up, or was appointed this month.
    EXPECT_EQ(waiting + appointed_last_month + gave_up, 40) << "month " << month;
  }
  EXPECT_GT(appointed_waiting, 5); // the case happened
  EXPECT_GT(assessed, 0);          // while the evaluators worked
}

TEST(Payment, MonthlySubsidyIsPaidForEachMonthTrained) {
  // 以工代训: 500 yuan a month for three months. 450,000 yuan commits exactly 300 trainees in the
  // first month (1,500 each); they are paid 150,000 in each of the next three months.
  const Scenario s = programme_scenario({{"programmes.payment", R"(["monthly"])"},
                                         {"programmes.cost_per_trainee", "[500]"},
                                         {"funds.annual_envelope", "[450000]"}});
  const Results r = run_scenario(s, RunOptions{});
  const std::int64_t spent[] = {0, 0, 150000, 150000, 150000, 0};
  const std::int64_t committed[] = {0, 450000, 300000, 150000, 0, 0};
  for (std::size_t t = 1; t <= 5; ++t) {
    EXPECT_EQ(at(r, "spending", 0, t), spent[t]) << "month " << t;
    EXPECT_EQ(at(r, "fund_committed", 0, t), committed[t]) << "month " << t;
  }
  EXPECT_EQ(at(r, "enrolments", 0, 1), 300);
  EXPECT_EQ(total_over_months(r, "enrolments"), 300);
}

TEST(Payment, LeakageAndAuditsFollowTheClosedForm) {
  // Leakage 20%, half the claims audited at 10 yuan each: per genuine 1,000-yuan claim
  // 0.2 x 0.5 / 0.8 = 0.125 fake claims get paid (125 yuan) and 0.5 / 0.8 = 0.625 claims are
  // audited (6.25 yuan). 300 trainees paid at enrolment: 37,500 leaked, 1,875 on audits.
  const Scenario s = programme_scenario({{"programmes.leakage_share", "[0.2]"},
                                         {"audit.share_audited", "0.5"},
                                         {"audit.cost_per_audit", "10"},
                                         {"funds.annual_envelope", "[100000000]"}});
  const Results r = run_scenario(s, RunOptions{});
  EXPECT_EQ(at(r, "leakage", 0, 1), 37500);
  EXPECT_EQ(at(r, "audit_spending", 0, 1), 1875);
  EXPECT_EQ(at(r, "spending", 0, 1), 300 * 1000 + 37500 + 1875);
}

TEST(Payment, UnknownPaymentIsAValidationError) {
  try {
    programme_scenario({{"programmes.payment", R"(["weekly"])"}});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("programmes.payment[0]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("unknown payment 'weekly'"), std::string::npos) << e.what();
  }
}

TEST(Demand, ApplicationsRespondToTheSubsidyWithTheElasticity) {
  // Twice the reference subsidy with elasticity 1 doubles the application rate (0.01 -> 0.02).
  const auto applications = [](const char* cost) {
    const Scenario s = programme_scenario({{"programmes.application_rate", "[0.01]"},
                                           {"programmes.reference_cost", "[1000]"},
                                           {"programmes.subsidy_elasticity", "[1]"},
                                           {"programmes.cost_per_trainee", cost},
                                           {"funds.annual_envelope", "[1000000000]"},
                                           {"programmes.seats_per_month", "[[100000]]"}},
                                          1, 200000);
    return static_cast<double>(at(run_scenario(s, RunOptions{}), "applications", 0, 1));
  };
  const double base = applications("[1000]"), doubled = applications("[2000]");
  ASSERT_GT(base, 500); // eligible levels 0-1: most of 200,000 persons; about 1% apply
  // Binomial counts: the ratio's standard error is below 0.05 at these sizes; allow 4 of them.
  EXPECT_NEAR(doubled / base, 2.0, 0.2);
}

TEST(FollowUp, CompletersWithAJobFindingBoostFindJobsMoreOften) {
  // Unemployed trainees (full time), job finding 5% a month; completers with factor 4 find jobs
  // at 20% during the six follow-up months: employed at the end of the window 1 - 0.8^6 = 74%
  // against 1 - 0.95^6 = 26% (no job losses, nobody becomes inactive).
  const auto employed_share = [](const char* factor) {
    std::vector<std::string> overrides = test::everything_off();
    for (auto& [k, v] : test::one_programme()) overrides.push_back(k + "=" + v);
    for (const std::string o : {"labour.job_find_rate=0.05", "programmes.eligible_statuses=[[0, 0, 1, 0, 0, 0]]",
                                "programmes.full_time=[1]", "funds.annual_envelope=[100000000]"})
      overrides.push_back(o);
    overrides.push_back(std::string("programmes.job_find_factor=") + factor);
    const Results r = run_scenario(test::small_scenario(overrides, 50000, 1, 12), RunOptions{});
    double followed = 0, employed = 0;
    for (std::size_t t = 1; t <= 12; ++t) {
      followed += static_cast<double>(at(r, "followed_up", 0, t));
      employed += static_cast<double>(at(r, "employed_after_training", 0, t));
    }
    EXPECT_GT(followed, 500);
    return employed / followed;
  };
  EXPECT_NEAR(employed_share("[1]"), 1 - std::pow(0.95, 6), 0.05);
  EXPECT_NEAR(employed_share("[4]"), 1 - std::pow(0.8, 6), 0.05);
}

namespace {

// A random whole scenario: regions, funds, programmes (each payment kind), evaluators, with
// random eligibility, seats, money and capacities, drawn from `gen`.
std::vector<std::string> random_levers(std::mt19937_64& gen) {
  const auto pick = [&](int n) { return static_cast<int>(gen() % static_cast<unsigned>(n)); };
  const auto list = [](int n, const std::function<std::string(int)>& item) {
    std::string s = "[";
    for (int i = 0; i < n; ++i) s += (i ? ", " : "") + item(i);
    return s + "]";
  };
  const auto quoted = [&](const char* stem, int n) {
    return list(n, [&](int i) { return "\"" + std::string(stem) + std::to_string(i) + "\""; });
  };
  const auto flags = [&](int n) { return list(n, [&](int) { return std::to_string(pick(4) > 0 ? 1 : 0); }); };
  const int regions = 1 + pick(3), funds = 1 + pick(2), programmes = 1 + pick(4), evaluators = 1 + pick(3);
  std::vector<std::string> o = {"population.regions=" + quoted("r", regions),
                                std::string("population.region_shares=") + (regions == 1   ? "[1]"
                                                                            : regions == 2 ? "[0.5, 0.5]"
                                                                                           : "[0.5, 0.25, 0.25]"),
                                "funds.names=" + quoted("f", funds),
                                "funds.labels=" + quoted("基金", funds),
                                "funds.annual_envelope=" +
                                    list(funds, [&](int) { return std::to_string(100000 * (1 + pick(50))); }),
                                "funds.carry_over=" + list(funds, [&](int) { return std::to_string(pick(2)); }),
                                "programmes.names=" + quoted("p", programmes),
                                "programmes.labels=" + quoted("项目", programmes)};
  const auto rows = [&](int n, const std::function<std::string(int)>& row) { return list(n, row); };
  o.push_back("programmes.eligible_groups=" +
              rows(programmes, [&](int) { return list(kGroupCount, [](int) { return std::string("1"); }); }));
  o.push_back("programmes.eligible_statuses=" + rows(programmes, [&](int) {
                return "[0, 1, " + std::to_string(pick(2)) + ", " + std::to_string(pick(2)) + ", 0, 0]";
              }));
  std::vector<int> min_level(static_cast<std::size_t>(programmes)), target(min_level);
  for (auto& l : min_level) l = pick(3);
  for (std::size_t k = 0; k < target.size(); ++k) target[k] = min_level[k] + 1 + pick(2);
  o.push_back("programmes.min_level=" +
              list(programmes, [&](int k) { return std::to_string(min_level[static_cast<std::size_t>(k)]); }));
  o.push_back("programmes.max_level=" +
              list(programmes, [&](int k) { return std::to_string(min_level[static_cast<std::size_t>(k)]); }));
  o.push_back("programmes.target_level=" +
              list(programmes, [&](int k) { return std::to_string(target[static_cast<std::size_t>(k)]); }));
  o.push_back("programmes.min_age=" + list(programmes, [](int) { return std::string("16"); }));
  o.push_back("programmes.max_age=" + list(programmes, [](int) { return std::string("60"); }));
  o.push_back("programmes.min_contribution_months=" + list(programmes, [](int) { return std::string("0"); }));
  o.push_back("programmes.application_rate=" +
              list(programmes, [&](int) { return std::to_string(0.01 * (1 + pick(20))); }));
  o.push_back("programmes.duration_months=" + list(programmes, [&](int) { return std::to_string(1 + pick(6)); }));
  o.push_back("programmes.full_time=" + flags(programmes));
  o.push_back("programmes.completion_probability=" +
              list(programmes, [&](int) { return std::to_string(0.5 + 0.1 * pick(6)); }));
  o.push_back("programmes.pass_probability=" +
              list(programmes, [&](int) { return std::to_string(0.3 + 0.1 * pick(8)); }));
  o.push_back("programmes.cost_per_trainee=" +
              list(programmes, [&](int) { return std::to_string(100 * (1 + pick(30))); }));
  o.push_back("programmes.payment=" + list(programmes, [&](int) {
                return "\"" + std::string(kPaymentIds[static_cast<std::size_t>(pick(3))]) + "\"";
              }));
  o.push_back("programmes.fund_shares=" + rows(programmes, [&](int) {
                const int f = pick(funds);
                return list(funds, [&](int c) { return std::string(c == f ? "1" : "0"); });
              }));
  o.push_back("programmes.seats_per_month=" +
              rows(programmes, [&](int) { return list(regions, [&](int) { return std::to_string(pick(200)); }); }));
  o.push_back("programmes.substitutes=" + rows(programmes, [&](int) { return flags(programmes); }));
  o.push_back("programmes.leakage_share=" + list(programmes, [&](int) { return std::to_string(0.1 * pick(3)); }));
  o.push_back("audit.share_audited=" + std::to_string(0.25 * pick(5)));
  o.push_back("audit.cost_per_audit=" + std::to_string(pick(20)));
  o.push_back("evaluation.evaluators=" + quoted("e", evaluators));
  o.push_back("evaluation.labels=" + quoted("评价", evaluators));
  o.push_back("evaluation.capacity_per_month=" +
              rows(evaluators, [&](int) { return list(regions, [&](int) { return std::to_string(pick(150)); }); }));
  o.push_back("evaluation.eligible_statuses=" + rows(evaluators, [&](int) { return "[1, 1, 1, 1, 1, 0]"; }));
  o.push_back("evaluation.max_level=" + list(evaluators, [&](int) { return std::to_string(3 + pick(4)); }));
  o.push_back("evaluation.max_wait_months=" + std::to_string(1 + pick(6)));
  o.push_back("skills.may_be_unreachable=[1, 1, 1, 1, 1, 1, 1, 1, 1]");
  return o;
}

} // namespace

TEST(Capacities, NeverExceededInAnyMonthOrRegionOnRandomScenarios) {
  std::mt19937_64 gen(20261123);
  int seats_full = 0, evaluators_full = 0; // the limits were reached, so the test has teeth
  for (int trial = 0; trial < 12; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const Scenario s = test::small_scenario(random_levers(gen), 20000, 1, 12);
    const Parameters& p = s.parameters();
    const std::size_t regions = p.population.regions.size(), programmes = p.programmes.names.size();
    ReplicateState state(s, 1, static_cast<std::uint32_t>(trial));
    for (int month = 0; month < 12; ++month) {
      state.step();
      const Population& pop = state.population();
      std::vector<std::int64_t> started(programmes * regions, 0); // enrolled this month
      for (std::size_t i = 0; i < pop.size(); ++i)
        if (pop.programme[i] != kNoProgramme &&
            pop.programme_months_left[i] == p.programmes.duration_months[pop.programme[i]])
          ++started[pop.programme[i] * regions + pop.region_of(i)];
      for (std::size_t k = 0; k < started.size(); ++k) {
        const double seats = p.programmes.seats_per_month(static_cast<int>(k / regions), static_cast<int>(k % regions));
        seats_full += started[k] > 0 && static_cast<double>(started[k]) == seats;
        ASSERT_LE(static_cast<double>(started[k]), seats)
            << "seats of programme " << k / regions << " in region " << k % regions << ", month " << month;
      }
      const EvaluationTally& ev = state.evaluation().tally();
      for (std::size_t k = 0; k < ev.held.size(); ++k) {
        evaluators_full += ev.binding[k] != 0;
        ASSERT_LE(static_cast<double>(ev.held[k]),
                  p.evaluation.capacity_per_month(static_cast<int>(k / regions), static_cast<int>(k % regions)))
            << "evaluator " << k / regions << " in region " << k % regions << ", month " << month;
      }
      const Ledger& ledger = state.training().ledger();
      ASSERT_TRUE(ledger.balanced()) << "month " << month;
      for (std::size_t f = 0; f < ledger.size(); ++f) ASSERT_GE(ledger.fund(f).remaining, 0);
    }
  }
  EXPECT_GT(seats_full, 10);
  EXPECT_GT(evaluators_full, 10);
}
