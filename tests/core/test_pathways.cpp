// The ladder as a graph: expected months of each kind of route in closed form, the fastest
// route (Dijkstra) when a programme skips levels, unreachable levels and programmes that lead
// nowhere reported as issues, and the default scenario opening every assessed level.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/pathways.hpp"

using namespace skillsim;
using test::everything_off;
using test::operator+;
using test::repeat;

namespace {

// Every assessment step: 12 months' wait, then one try a month, sitting with probability 0.1 and
// passing with 0.5: 12 + 1 / 0.05 = 32 months a step for the employed (status factor 1), and
// 12 + 1 / 0.025 = 52 for the unemployed (factor 0.5). No diplomas and no appointments.
Scenario ladder_scenario(const std::vector<std::string>& more = {}) {
  return test::small_scenario(
      everything_off() +
      std::vector<std::string>{"skills.min_months=" + repeat(12, kLevelCount),
                               "skills.assessment_rate=[0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0, 0]",
                               "skills.pass_probability=[1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 1]",
                               "skills.assessment_status_factor=[0, 1, 0.5, 0, 1, 0]"} +
      more);
}
Parameters ladder(const std::vector<std::string>& more = {}) { return ladder_scenario(more).parameters(); }

// Appends a programme with the columns the pathways read (the others do not matter here), with
// no waiting rule unless one is given (the expected months below are those of the attempts).
void add_programme(Parameters& p, const std::string& name, int min_level, int max_level, int target_level,
                   double application_rate, int duration_months, double completion, double pass,
                   std::array<std::uint8_t, kStatusCount> statuses = {0, 1, 1, 1, 0, 0},
                   const std::string& waiting = "none", std::int64_t shorten_months = 0) {
  auto& pr = p.programmes;
  pr.names.push_back(name);
  pr.waiting.push_back(waiting);
  pr.shorten_months.push_back(shorten_months);
  pr.labels.push_back(name);
  pr.min_level.push_back(min_level);
  pr.max_level.push_back(max_level);
  pr.target_level.push_back(target_level);
  pr.application_rate.push_back(application_rate);
  pr.duration_months.push_back(duration_months);
  pr.completion_probability.push_back(completion);
  pr.pass_probability.push_back(pass);
  pr.eligible_groups.rows = pr.eligible_statuses.rows = static_cast<int>(pr.names.size());
  pr.eligible_groups.cols = kGroupCount;
  pr.eligible_statuses.cols = kStatusCount;
  pr.eligible_groups.values.insert(pr.eligible_groups.values.end(), kGroupCount, std::uint8_t{1});
  pr.eligible_statuses.values.insert(pr.eligible_statuses.values.end(), statuses.begin(), statuses.end());
}

std::vector<std::string> labels(const LevelPathway& level) {
  std::vector<std::string> out;
  for (const Route& r : level.route) out.push_back(r.label);
  return out;
}

std::vector<std::string> keys(const std::vector<Issue>& issues) {
  std::vector<std::string> out;
  for (const Issue& i : issues) out.push_back(i.key);
  return out;
}

constexpr std::array<bool, kLevelCount> kAppointedMayBeUnreachable = {false, false, false, false, false,
                                                                      false, false, true,  true};

} // namespace

TEST(Pathways, AssessmentStepsAddUpTheirExpectedMonths) {
  const PathwayReport r = analyse_pathways(ladder());
  ASSERT_TRUE(r.levels[0].expected_months);
  EXPECT_EQ(*r.levels[0].expected_months, 0.0);
  EXPECT_TRUE(r.levels[0].route.empty());
  for (int level = 1; level <= 6; ++level) {
    const LevelPathway& l = r.levels[static_cast<std::size_t>(level)];
    ASSERT_TRUE(l.expected_months) << level;
    EXPECT_DOUBLE_EQ(*l.expected_months, 32.0 * level) << level;
    ASSERT_EQ(l.route.size(), static_cast<std::size_t>(level));
    for (int step = 0; step < level; ++step) {
      const Route& route = l.route[static_cast<std::size_t>(step)];
      EXPECT_EQ(route.kind, RouteKind::Assessment);
      EXPECT_EQ(route.from, step);
      EXPECT_EQ(route.to, step + 1);
      EXPECT_DOUBLE_EQ(route.expected_months, 32.0);
      EXPECT_FALSE(route.programme);
    }
  }
  EXPECT_EQ(labels(r.levels[3]), (std::vector<std::string>{"apprenticeship", "assessment", "assessment"}));
  EXPECT_FALSE(r.levels[7].expected_months); // no quota, no appointments
  EXPECT_FALSE(r.levels[8].expected_months);
}

TEST(Pathways, StatusFactorSlowsAssessmentsAndApprenticeshipsNeedAnEmployer) {
  const Parameters p = ladder();
  const PathwayReport from_none = analyse_pathways(p, Status::Unemployed);
  for (int level = 1; level < kLevelCount; ++level) EXPECT_FALSE(from_none.levels[level].expected_months) << level;

  const PathwayReport r = analyse_pathways(p, Status::Unemployed, 1);
  EXPECT_FALSE(r.levels[0].expected_months); // routes only go up
  EXPECT_DOUBLE_EQ(*r.levels[1].expected_months, 0);
  for (int level = 2; level <= 6; ++level)
    EXPECT_DOUBLE_EQ(*r.levels[static_cast<std::size_t>(level)].expected_months, 52.0 * (level - 1)) << level;

  EXPECT_TRUE(analyse_pathways(p, Status::Inactive).routes.empty()); // status factor 0
}

TEST(Pathways, FasterProgrammeThatSkipsLevelsIsTheChosenRoute) {
  Parameters p = ladder();
  // From 初级工 or 中级工 straight to 技师: each attempt waits 1 / 0.5 = 2 months to apply and
  // trains 6, and succeeds with 0.8 x 0.5 = 0.4: (2 + 6) / 0.4 = 20 months.
  add_programme(p, "slow_upgrading", 2, 3, 5, 0.1, 12, 0.5, 0.5); // (10 + 12) / 0.25 = 88 months
  add_programme(p, "fast_upgrading", 2, 3, 5, 0.5, 6, 0.8, 0.5);
  const PathwayReport r = analyse_pathways(p);

  int fast_routes = 0;
  for (const Route& route : r.routes)
    if (route.label == "fast_upgrading (wait none)") {
      ++fast_routes;
      EXPECT_EQ(route.kind, RouteKind::Programme);
      EXPECT_EQ(route.to, 5);
      EXPECT_EQ(route.programme, std::optional<std::size_t>(1));
      EXPECT_DOUBLE_EQ(route.expected_months, 20.0);
    }
  EXPECT_EQ(fast_routes, 2); // one from each level it admits

  EXPECT_DOUBLE_EQ(*r.levels[4].expected_months, 128.0); // the programme does not lead to 高级工
  EXPECT_DOUBLE_EQ(*r.levels[5].expected_months, 64.0 + 20.0);
  EXPECT_EQ(labels(r.levels[5]),
            (std::vector<std::string>{"apprenticeship", "assessment", "fast_upgrading (wait none)"}));
  EXPECT_EQ(r.levels[5].route.back().from, 2); // from 初级工, the earlier of the two starts
  EXPECT_DOUBLE_EQ(*r.levels[6].expected_months, 84.0 + 32.0);
  EXPECT_EQ(labels(r.levels[6]),
            (std::vector<std::string>{"apprenticeship", "assessment", "fast_upgrading (wait none)", "assessment"}));
}

TEST(Pathways, ProgrammesForOtherStatusesOrSwitchedOffAreNoRoutes) {
  Parameters p = ladder();
  add_programme(p, "for_the_unemployed", 2, 2, 6, 1, 1, 1, 1, {0, 0, 1, 0, 0, 0});
  add_programme(p, "nobody_applies", 2, 2, 6, 0, 1, 1, 1);
  add_programme(p, "nobody_passes", 2, 2, 6, 1, 1, 1, 0);
  EXPECT_DOUBLE_EQ(*analyse_pathways(p).levels[6].expected_months, 192.0);
  // 2 months for 初级工 as unemployed (from 学徒工), then (1 + 1) / 1 months.
  EXPECT_DOUBLE_EQ(*analyse_pathways(p, Status::Unemployed, 1).levels[6].expected_months, 52.0 + 2.0);
}

// With a trend of the assessment rate, the routes use the rates of the month analysed: a rate
// 0.1 x 1.25^(-4) = 0.041 four years before the reference gives 12 + 1 / (0.041 x 0.5) months a step.
TEST(Pathways, AssessmentRatesOfTheMonthAnalysed) {
  const Scenario s =
      ladder_scenario({"skills.assessment_rate_trend=[0, 0, 0.25, 0, 0, 0, 0, 0, 0]",
                       "skills.trend_reference_date=2020-01-01", "scenario.start=2016-01-01", "scenario.months=60"});
  const PathwayReport start = analyse_pathways(s, Month::of(2016, 1));
  EXPECT_TRUE(start.assessment_trend);
  EXPECT_EQ(start.rates_month, Month::of(2016, 1));
  const double sit = 0.1 * std::pow(1.25, -4.0);
  EXPECT_NEAR(*start.levels[2].expected_months - *start.levels[1].expected_months, 12 + 1 / (sit * 0.5), 1e-9);
  const PathwayReport reference = analyse_pathways(s, Month::of(2020, 1));
  EXPECT_NEAR(*reference.levels[2].expected_months - *reference.levels[1].expected_months, 32, 1e-9);
  EXPECT_FALSE(analyse_pathways(ladder()).assessment_trend);
}

TEST(Pathways, DiplomaAndAppointmentRoutes) {
  const Parameters p =
      ladder({"entry.technical_school_graduates_per_year=1000",
              "entry.technical_school_diploma_shares=[0, 0, 0, 0.7, 0.3, 0, 0, 0, 0]",
              "skills.principal_technician_quota_per_year=10", "skills.chief_technician_quota_per_year=2",
              "skills.min_months=[0, 12, 12, 12, 12, 12, 12, 36, 24]"});
  const PathwayReport r = analyse_pathways(p);
  EXPECT_DOUBLE_EQ(*r.levels[3].expected_months, kTechnicalSchoolMonths);
  EXPECT_EQ(labels(r.levels[3]), (std::vector<std::string>{"technical-school diploma"}));
  EXPECT_DOUBLE_EQ(*r.levels[4].expected_months, 36.0); // the diploma to 高级工 beats 36 + 32
  EXPECT_DOUBLE_EQ(*r.levels[6].expected_months, 36.0 + 2 * 32.0);
  EXPECT_DOUBLE_EQ(*r.levels[7].expected_months, 100.0 + 36.0);
  EXPECT_DOUBLE_EQ(*r.levels[8].expected_months, 136.0 + 24.0);
  EXPECT_EQ(labels(r.levels[8]), (std::vector<std::string>{"technical-school diploma", "assessment", "assessment",
                                                           "appointment within quota", "appointment within quota"}));
  EXPECT_EQ(r.levels[8].route[3].kind, RouteKind::Appointment);
  EXPECT_EQ(r.levels[8].route[0].kind, RouteKind::Diploma);
  EXPECT_TRUE(check_pathways(p).empty());

  // Only the employed are appointed; a diploma does not depend on status.
  const PathwayReport unemployed = analyse_pathways(p, Status::Unemployed);
  EXPECT_DOUBLE_EQ(*unemployed.levels[3].expected_months, 36.0);
  EXPECT_FALSE(unemployed.levels[7].expected_months);
}

TEST(Pathways, UnreachableLevelsAreReportedWithTheirLabelUnlessAllowed) {
  const Parameters p = ladder();
  const auto issues = check_pathways(p);
  ASSERT_EQ(keys(issues), (std::vector<std::string>{"skills.principal_technician_quota_per_year",
                                                    "skills.chief_technician_quota_per_year"}));
  EXPECT_EQ(issues[0].message,
            "特级技师 (principal_technician) cannot be reached: no assessment, programme, diploma or "
            "appointment leads to it; set skills.principal_technician_quota_per_year > 0 or "
            "declare a programme with target_level 7");
  EXPECT_TRUE(check_pathways(p, kAppointedMayBeUnreachable).empty());

  // With a 首席技师 quota but none for 特级技师, 首席技师 is cut off behind it.
  const Parameters chief_only = ladder({"skills.chief_technician_quota_per_year=5"});
  const auto cut_off = check_pathways(chief_only);
  ASSERT_EQ(keys(cut_off), (std::vector<std::string>{"skills.principal_technician_quota_per_year", "pathways"}));
  EXPECT_EQ(cut_off[1].message, "首席技师 (chief_technician) cannot be reached: every route to it starts at a level "
                                "that cannot be reached (特级技师 (principal_technician))");
  const std::array<bool, kLevelCount> only_principal = {false, false, false, false, false, false, false, true, false};
  EXPECT_EQ(keys(check_pathways(chief_only, only_principal)), (std::vector<std::string>{"pathways"}));
}

TEST(Pathways, GapInTheLadderCutsOffEveryLevelAbove) {
  const auto issues = check_pathways(ladder({"skills.assessment_rate=[0, 0.1, 0.1, 0.1, 0, 0.1, 0.1, 0, 0]"}),
                                     kAppointedMayBeUnreachable);
  ASSERT_EQ(keys(issues), (std::vector<std::string>{"skills.assessment_rate[4]", "pathways", "pathways"}));
  EXPECT_NE(issues[0].message.find("高级工 (senior) cannot be reached"), std::string::npos) << issues[0].message;
  EXPECT_NE(issues[0].message.find("set skills.assessment_rate[4] > 0"), std::string::npos) << issues[0].message;
  EXPECT_NE(issues[1].message.find("技师 (technician) cannot be reached"), std::string::npos) << issues[1].message;
  EXPECT_NE(issues[2].message.find("(技师 (technician))"), std::string::npos) << issues[2].message;

  EXPECT_EQ(keys(check_pathways(ladder({"skills.pass_probability=[1, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 1, 1]"}),
                                kAppointedMayBeUnreachable)),
            (std::vector<std::string>{"skills.pass_probability[3]", "pathways", "pathways", "pathways"}));
  EXPECT_EQ(
      keys(check_pathways(ladder({"skills.assessment_status_factor=[0, 0, 1, 1, 1, 0]"}), kAppointedMayBeUnreachable)),
      (std::vector<std::string>{"skills.assessment_status_factor", "pathways", "pathways", "pathways", "pathways",
                                "pathways"}));
}

TEST(Pathways, CheckCountsRoutesOpenToAnyStatus) {
  // 中级工 has no assessment; only a programme for the unemployed bridges the gap.
  Parameters p = ladder({"skills.assessment_rate=[0, 0.1, 0.1, 0, 0.1, 0.1, 0.1, 0, 0]"});
  add_programme(p, "bridge", 2, 2, 3, 0.5, 6, 0.8, 0.5, {0, 0, 1, 0, 0, 0});
  EXPECT_TRUE(check_pathways(p, kAppointedMayBeUnreachable).empty());
  EXPECT_FALSE(analyse_pathways(p).levels[3].expected_months);
  EXPECT_DOUBLE_EQ(*analyse_pathways(p, Status::Unemployed, 2).levels[3].expected_months, 20.0);
}

TEST(Pathways, ProgrammeThatLeadsNowhereOrDownwardIsReported) {
  Parameters p = ladder();
  add_programme(p, "fine", 0, 1, 2, 0.5, 6, 0.8, 0.5);
  add_programme(p, "same_level", 3, 4, 3, 0.5, 6, 0.8, 0.5);
  add_programme(p, "downward", 4, 5, 2, 0.5, 6, 0.8, 0.5);
  add_programme(p, "too_wide", 1, 3, 3, 0.5, 6, 0.8, 0.5);
  const auto issues = check_pathways(p, kAppointedMayBeUnreachable);
  ASSERT_EQ(keys(issues), (std::vector<std::string>{"programmes.target_level[1]", "programmes.target_level[2]",
                                                    "programmes.target_level[3]"}));
  EXPECT_EQ(issues[0].message, "programme 'same_level' leads to 中级工 (intermediate) but admits workers at 中级工 "
                               "(intermediate) to 高级工 (senior), for whom the route goes nowhere or downward; "
                               "programmes.target_level[1] must be above programmes.max_level[1]");
  EXPECT_NE(issues[1].message.find("goes downward"), std::string::npos) << issues[1].message;
  EXPECT_NE(issues[2].message.find("admits workers at 中级工 (intermediate), for whom the route goes nowhere"),
            std::string::npos)
      << issues[2].message;

  // The graph keeps only the upward part of each programme.
  for (const Route& r : pathway_routes(p)) EXPECT_LT(r.from, r.to) << r.label;
  int too_wide = 0;
  for (const Route& r : pathway_routes(p)) too_wide += r.label == "too_wide (wait none)";
  EXPECT_EQ(too_wide, 2); // from 学徒工 and 初级工
}

TEST(Pathways, DefaultScenarioReachesEveryAssessedLevel) {
  const Parameters p = test::small_scenario().parameters();
  EXPECT_TRUE(check_pathways(p).empty());
  const PathwayReport r = analyse_pathways(p);
  for (int level = 1; level <= 6; ++level) {
    const LevelPathway& l = r.levels[static_cast<std::size_t>(level)];
    ASSERT_TRUE(l.expected_months) << level;
    EXPECT_GT(*l.expected_months, 0) << level;
    EXPECT_EQ(l.route.front().from, 0) << level;
    EXPECT_EQ(l.route.back().to, level) << level;
  }
}

TEST(Pathways, RejectsInvalidInput) {
  Parameters p = ladder();
  EXPECT_THROW(analyse_pathways(p, Status::Employed, 9), Error);
  EXPECT_THROW(analyse_pathways(p, Status::Removed), Error);
  p.skills.min_months.resize(3);
  EXPECT_THROW(analyse_pathways(p), Error);
  EXPECT_TRUE(check_pathways(p).empty()); // check() reports the shape
}

TEST(Pathways, CertificatesNeedAnEvaluatorForTheLevelAndStatus) {
  // With evaluators declared, the assessment to a level is a route only if some evaluator type
  // with capacity assesses the typical (employed) worker up to that level.
  const Scenario s = test::small_scenario(
      {"evaluation.evaluators=[\"school\"]", "evaluation.labels=[\"技工院校\"]",
       "evaluation.capacity_per_month=[[100]]", "evaluation.eligible_statuses=[[1, 0, 1, 0, 1, 0]]",
       "evaluation.max_level=[4]", "skills.may_be_unreachable=" + test::repeat(1, kLevelCount)});
  const PathwayReport report = analyse_pathways(s.parameters());
  for (const Route& r : report.routes)
    if (r.kind == RouteKind::Assessment) {
      EXPECT_LE(r.to, 1) << "only apprenticeships: the school assesses no employee";
    }
  const PathwayReport job_seeker = analyse_pathways(s.parameters(), Status::Unemployed);
  bool up_to_four = false, beyond = false;
  for (const Route& r : job_seeker.routes)
    if (r.kind == RouteKind::Assessment) {
      up_to_four = up_to_four || r.to == 4;
      beyond = beyond || r.to > 4;
    }
  EXPECT_TRUE(up_to_four);
  EXPECT_FALSE(beyond);
}

namespace {

std::vector<Closure> closures(const LevelPathway& level) {
  std::vector<Closure> out;
  for (const Blocker& b : level.blocked) out.push_back(b.closure);
  return out;
}

} // namespace

TEST(PathwayReasons, QuotasOfZeroCloseTheAppointmentsAndCutOffTheLevelAbove) {
  const PathwayReport r = analyse_pathways(ladder());
  for (int level = 0; level <= 6; ++level) EXPECT_TRUE(r.levels[level].blocked.empty()) << level;
  ASSERT_EQ(closures(r.levels[7]), (std::vector<Closure>{Closure::QuotaZero, Closure::NoProgramme}));
  EXPECT_EQ(r.levels[7].blocked[0].key, "skills.principal_technician_quota_per_year");
  EXPECT_EQ(r.levels[7].blocked[0].kind, RouteKind::Appointment);
  EXPECT_EQ(r.levels[7].blocked[1].key, "programmes.target_level");
  EXPECT_EQ(r.levels[8].blocked[0].key, "skills.chief_technician_quota_per_year");

  // A 首席技师 quota alone: the appointment is open, but only from 特级技师, which nobody reaches.
  const PathwayReport chief_only = analyse_pathways(ladder({"skills.chief_technician_quota_per_year=5"}));
  ASSERT_EQ(closures(chief_only.levels[8]), (std::vector<Closure>{Closure::NoProgramme, Closure::OnlyFrom}));
  EXPECT_EQ(chief_only.levels[8].blocked[1].levels, (std::vector<int>{7}));
  EXPECT_EQ(chief_only.levels[8].blocked[1].kind, RouteKind::Appointment);

  // Only the employed are appointed.
  const PathwayReport job_seeker =
      analyse_pathways(ladder({"skills.principal_technician_quota_per_year=5"}), Status::Unemployed, 6);
  ASSERT_EQ(closures(job_seeker.levels[7]), (std::vector<Closure>{Closure::NeedsEmployment, Closure::NoProgramme}));
  EXPECT_EQ(job_seeker.levels[7].blocked[0].kind, RouteKind::Appointment);
}

TEST(PathwayReasons, EachClosedAssessmentNamesTheParameterThatClosesIt) {
  const PathwayReport gap = analyse_pathways(ladder({"skills.assessment_rate=[0, 0.1, 0.1, 0.1, 0, 0.1, 0.1, 0, 0]"}));
  ASSERT_EQ(closures(gap.levels[4]), (std::vector<Closure>{Closure::NoAssessment, Closure::NoProgramme}));
  EXPECT_EQ(gap.levels[4].blocked[0].key, "skills.assessment_rate[4]");
  ASSERT_EQ(closures(gap.levels[5]), (std::vector<Closure>{Closure::NoProgramme, Closure::OnlyFrom}));
  EXPECT_EQ(gap.levels[5].blocked[1].levels, (std::vector<int>{4}));

  const PathwayReport no_pass =
      analyse_pathways(ladder({"skills.pass_probability=[1, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 1, 1]"}));
  ASSERT_EQ(closures(no_pass.levels[3]), (std::vector<Closure>{Closure::NoPass, Closure::NoProgramme}));
  EXPECT_EQ(no_pass.levels[3].blocked[0].key, "skills.pass_probability[3]");

  // The unemployed start no apprenticeship; the inactive (status factor 0) never sit.
  const PathwayReport unemployed = analyse_pathways(ladder(), Status::Unemployed);
  ASSERT_EQ(closures(unemployed.levels[1]), (std::vector<Closure>{Closure::NeedsEmployment, Closure::NoProgramme}));
  EXPECT_EQ(unemployed.levels[1].blocked[0].kind, RouteKind::Assessment);
  const PathwayReport inactive = analyse_pathways(ladder(), Status::Inactive, 1);
  ASSERT_EQ(closures(inactive.levels[2]), (std::vector<Closure>{Closure::StatusNeverSits, Closure::NoProgramme}));
  EXPECT_EQ(inactive.levels[2].blocked[0].key, "skills.assessment_status_factor[3]");
  EXPECT_TRUE(inactive.levels[0].blocked.empty()); // below the start level: no reasons
}

TEST(PathwayReasons, ClosedProgrammesMissingEvaluatorsAndRoutesFromBelowTheStart) {
  // 中级工 has no assessment; the one programme to it admits only the unemployed.
  Parameters p = ladder({"skills.assessment_rate=[0, 0.1, 0.1, 0, 0.1, 0.1, 0.1, 0, 0]"});
  add_programme(p, "bridge", 2, 2, 3, 0.5, 6, 0.8, 0.5, {0, 0, 1, 0, 0, 0});
  const PathwayReport r = analyse_pathways(p);
  ASSERT_EQ(closures(r.levels[3]), (std::vector<Closure>{Closure::NoAssessment, Closure::ProgrammesClosed}));
  EXPECT_EQ(r.levels[3].blocked[1].programmes, (std::vector<std::string>{"bridge"}));

  // A diploma to 中级工 starts at 无证: from 学徒工 it is below the start level.
  const PathwayReport from_apprentice =
      analyse_pathways(ladder({"skills.assessment_rate=[0, 0.1, 0.1, 0, 0.1, 0.1, 0.1, 0, 0]",
                               "entry.technical_school_graduates_per_year=1000",
                               "entry.technical_school_diploma_shares=[0, 0, 0, 1, 0, 0, 0, 0, 0]"}),
                       Status::Employed, 1);
  ASSERT_EQ(closures(from_apprentice.levels[3]),
            (std::vector<Closure>{Closure::NoAssessment, Closure::NoProgramme, Closure::OnlyFrom}));
  EXPECT_EQ(from_apprentice.levels[3].blocked[2].levels, (std::vector<int>{0}));
  EXPECT_EQ(from_apprentice.levels[3].blocked[2].kind, RouteKind::Diploma);

  // Evaluators declared, none for employees: 初级工 is closed for want of one.
  const Scenario s = test::small_scenario(
      {"evaluation.evaluators=[\"school\"]", "evaluation.labels=[\"技工院校\"]",
       "evaluation.capacity_per_month=[[100]]", "evaluation.eligible_statuses=[[1, 0, 1, 0, 1, 0]]",
       "evaluation.max_level=[4]", "skills.may_be_unreachable=" + test::repeat(1, kLevelCount)});
  const PathwayReport no_evaluator = analyse_pathways(s.parameters(), Status::Employed, 1);
  ASSERT_FALSE(no_evaluator.levels[2].blocked.empty());
  EXPECT_EQ(no_evaluator.levels[2].blocked[0].closure, Closure::NoEvaluator);
}

TEST(PathwayReasons, ScheduledQuotasTellFromWhenALevelOpens) {
  Parameters p = ladder({"skills.may_be_unreachable=[0, 0, 0, 0, 0, 0, 0, 1, 1]"});
  const Month start = p.scenario.start;
  const Scenario s = Scenario::make(p,
                                    {{start + 6, "skills.principal_technician_quota_per_year", Value{10.0}},
                                     {start + 9, "skills.chief_technician_quota_per_year", Value{2.0}}},
                                    {});
  const PathwayReport at_start = analyse_pathways(s, start);
  EXPECT_EQ(at_start.at, std::optional<Month>(start));
  EXPECT_FALSE(at_start.levels[7].expected_months);
  EXPECT_EQ(at_start.levels[7].reachable_from, std::optional<Month>(start + 6));
  // 首席技师 needs its own quota and 特级技师: from the later of the two changes.
  EXPECT_EQ(at_start.levels[8].reachable_from, std::optional<Month>(start + 9));
  EXPECT_FALSE(at_start.levels[6].reachable_from); // reachable already

  const PathwayReport later = analyse_pathways(s, start + 6);
  EXPECT_TRUE(later.levels[7].expected_months);
  EXPECT_FALSE(later.levels[7].reachable_from);
  EXPECT_EQ(later.levels[8].reachable_from, std::optional<Month>(start + 9));
  EXPECT_TRUE(analyse_pathways(s, start + 9).levels[8].expected_months);

  EXPECT_THROW(analyse_pathways(s, start + -1), Error);
  EXPECT_THROW(analyse_pathways(s, s.end()), Error);
}

TEST(PathwayChances, WithinAMonthsLimitInClosedForm) {
  Route assessment; // 12 months, then 0.05 a month
  assessment.fixed_months = 12;
  assessment.monthly = 0.05;
  EXPECT_DOUBLE_EQ(chance_within({assessment}, 12), 0.0);
  EXPECT_DOUBLE_EQ(chance_within({assessment}, 13), 0.05);
  EXPECT_NEAR(chance_within({assessment}, 540), 1 - std::pow(0.95, 528), 1e-12);

  Route programme; // apply with 0.5 a month, train 6, succeed with 0.4; else start again
  programme.monthly = 0.5;
  programme.attempt_months = 6;
  programme.attempt_success = 0.4;
  EXPECT_DOUBLE_EQ(chance_within({programme}, 6), 0.0);
  EXPECT_DOUBLE_EQ(chance_within({programme}, 7), 0.5 * 0.4);
  EXPECT_DOUBLE_EQ(chance_within({programme}, 8), 0.75 * 0.4);
  // Within 14: the first attempt succeeds having applied within 8 months, or two attempts of 7.
  EXPECT_NEAR(chance_within({programme}, 14), (1 - std::pow(0.5, 8)) * 0.4 + 0.6 * 0.5 * 0.5 * 0.4, 1e-12);

  Route diploma; // 36 months, no attempts
  diploma.fixed_months = 36;
  EXPECT_DOUBLE_EQ(chance_within({diploma}, 35), 0.0);
  EXPECT_DOUBLE_EQ(chance_within({diploma}, 36), 1.0);
  // One after the other: 36 + 12 months, then two tries of 0.05.
  EXPECT_NEAR(chance_within({diploma, assessment}, 50), 1 - 0.95 * 0.95, 1e-12);
  EXPECT_DOUBLE_EQ(chance_within({}, 0), 1.0);
}

TEST(PathwayChances, ReportMarksTimesBeyondAWorkingLife) {
  // 学徒工 at 0.0015 a month: a mean of 666.7 months (55.6 years), beyond a working life, yet
  // 1 - 0.9985^540 = 56% get there within 45 years.
  const PathwayReport r = analyse_pathways(ladder({"skills.assessment_rate=[0, 0.0015, 0.1, 0.1, 0.1, 0.1, 0.1, 0, 0]",
                                                   "skills.pass_probability=[1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 1]"}));
  const LevelPathway& apprentice = r.levels[1];
  EXPECT_NEAR(*apprentice.expected_months, 12 + 1 / 0.0015, 1e-9);
  EXPECT_TRUE(apprentice.beyond_working_life());
  EXPECT_NEAR(*apprentice.within_working_life, 1 - std::pow(1 - 0.0015, kWorkingLifeMonths - 12), 1e-12);
  EXPECT_DOUBLE_EQ(*r.levels[0].within_working_life, 1.0);
  EXPECT_FALSE(analyse_pathways(ladder()).levels[6].beyond_working_life()); // 192 months
  EXPECT_FALSE(r.levels[7].within_working_life);                            // unreachable
}
