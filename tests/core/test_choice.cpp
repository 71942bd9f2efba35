// The choice model (docs/model.md, "Pay and the choice to train or sit"): the certificate's pay
// premium scales the rates of sitting an assessment and of applying to a programme, by
// premium_factor = (R / R_ref)^elasticity. Checked in closed form (the factor, the rates, the
// pathway graph), in the simulation (a premium twice the reference's doubles assessments and
// applications, within 4 standard errors of N x rate), bit for bit at elasticity 0, monotone in
// the premium, 1 vs 2 threads, and with validation messages naming the key. Also: leakage with
// deterrence (docs/levers.md, "Leakage and audits") in closed form.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/pathways.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/training.hpp"
#include "skillsim/core/twin.hpp"

namespace skillsim {
namespace {

using test::at;

constexpr int kJunior = static_cast<int>(Level::Junior);

// The default ladder (data/defaults.toml): 4500, 4500, 5000, ...; R_ref at 初级工 from 学徒工 is
// 5000 / 4500 - 1 = 1/9. A 初级工 wage of 5500 doubles it (1000 / 4500 = 2/9).
EmployersSection ladder(double junior_wage) {
  EmployersSection e;
  e.reference_wage_per_month = {4500, 4500, 5000, 5800, 6800, 8000, 9500, 12000, 15000};
  e.wage_per_month = e.reference_wage_per_month;
  e.wage_per_month[kJunior] = junior_wage;
  return e;
}

TEST(Choice, PremiumFactorInClosedForm) {
  const EmployersSection doubled = ladder(5500);
  EXPECT_EQ(premium_factor(doubled, 1, kJunior, 0), 1.0); // elasticity 0: exactly 1, whatever the pay
  EXPECT_NEAR(premium_factor(doubled, 1, kJunior, 1), 2.0, 1e-12);
  EXPECT_NEAR(premium_factor(doubled, 1, kJunior, 0.5), std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(premium_factor(doubled, 0, kJunior, 1), 2.0, 1e-12); // 无证 is paid as 学徒工 here
  // 中级工 from 初级工: 5800 / 5500 - 1 against 5800 / 5000 - 1.
  EXPECT_NEAR(premium_factor(doubled, kJunior, kJunior + 1, 1), (5800.0 / 5500 - 1) / (5800.0 / 5000 - 1), 1e-12);
  EXPECT_EQ(premium_factor(ladder(5000), 1, kJunior, 3), 1.0);  // the reference ladder itself: exactly 1
  EXPECT_EQ(premium_factor(doubled, 0, 1, 2), 1.0);             // 学徒工 starts by the employer's decision
  EXPECT_EQ(premium_factor(doubled, kJunior, kJunior, 1), 0.0); // a certificate already held
  EXPECT_EQ(premium_factor(ladder(4500), 1, kJunior, 1), 0.0);  // a certificate that pays nothing more
  EXPECT_EQ(premium_factor(ladder(4000), 1, kJunior, 1), 0.0);  // ... or less
}

TEST(Choice, FactorIsMonotoneInThePremium) {
  double before = 0;
  for (double wage = 4600; wage <= 9000; wage += 200) {
    const double f = premium_factor(ladder(wage), 1, kJunior, 0.7);
    EXPECT_GT(f, before) << wage;
    before = f;
  }
}

std::vector<std::string> one_level_open(const std::string& junior_wage, const std::string& elasticity) {
  // Only the assessment for 初级工, never passed (so the same workers stay eligible), no wait.
  std::vector<std::string> o = test::everything_off();
  for (const std::string s :
       {"skills.assessment_rate=[0, 0, 0.01, 0, 0, 0, 0, 0, 0]", "skills.pass_probability=[1, 1, 0, 1, 1, 1, 1, 1, 1]",
        "skills.min_months=[0, 0, 0, 0, 0, 0, 0, 0, 0]", "skills.assessment_status_factor=[0, 1, 1, 1, 1, 0]"})
    o.push_back(s);
  o.push_back("employers.wage_per_month=[4500, 4500, " + junior_wage + ", 5800, 6800, 8000, 9500, 12000, 15000]");
  o.push_back("skills.premium_elasticity=" + elasticity);
  return o;
}

TEST(Choice, SittingRatesCarryTheFactorAndTheTwinAndPathwaysSeeThem) {
  // (Passed here, so that the pathway graph has a route to 初级工.)
  const auto passed = [](std::vector<std::string> o) {
    o.push_back("skills.pass_probability=[1, 1, 0.5, 1, 1, 1, 1, 1, 1]");
    return o;
  };
  const Scenario base = test::small_scenario(passed(one_level_open("5000", "1")));
  const Scenario doubled = test::small_scenario(passed(one_level_open("5500", "1")));
  const TransitionRates r0(base.parameters()), r1(doubled.parameters());
  for (int s = 0; s < kStatusCount; ++s) {
    EXPECT_EQ(r0.sit[kJunior][s], 0.01 * base.parameters().skills.assessment_status_factor[s]); // R = R_ref: exact
    EXPECT_NEAR(r1.sit[kJunior][s], 2 * r0.sit[kJunior][s], 1e-15);
  }
  // The pathway graph reads the same table: the assessment route's monthly success doubles.
  const auto monthly = [](const Parameters& p) {
    for (const Route& r : pathway_routes(p))
      if (r.kind == RouteKind::Assessment && r.to == kJunior) return r.monthly;
    return -1.0;
  };
  EXPECT_GT(monthly(base.parameters()), 0);
  EXPECT_NEAR(monthly(doubled.parameters()), 2 * monthly(base.parameters()), 1e-15);
}

TEST(Choice, AssessmentsDoubleWithThePremiumInTheSimulation) {
  const auto run = [](const char* wage) {
    RunOptions o;
    o.threads = 1;
    return run_scenario(test::small_scenario(one_level_open(wage, "1"), 400000), o);
  };
  const Results r = run("5500");
  double n = 0; // workers at 学徒工 who may sit (status factor 1), never changing
  for (int s = 1; s <= 4; ++s) n += static_cast<double>(at(r, "workers", 0, 0, 1 * kStatusCount + s));
  ASSERT_GT(n, 1000);
  const double q = 0.02; // 0.01 x (2/9 / 1/9)^1
  double observed = 0;
  for (std::size_t t = 1; t <= 12; ++t) observed += static_cast<double>(at(r, "assessments", 0, t, kJunior));
  EXPECT_NEAR(observed, 12 * n * q, 4 * std::sqrt(12 * n * q * (1 - q)));
  // Against the reference ladder (rate 0.01): about half, from the same random numbers.
  const Results base = run("5000");
  double before = 0;
  for (std::size_t t = 1; t <= 12; ++t) before += static_cast<double>(at(base, "assessments", 0, t, kJunior));
  EXPECT_NEAR(before, 12 * n * 0.01, 4 * std::sqrt(12 * n * 0.01 * 0.99));
  EXPECT_GT(observed, before);
}

TEST(Choice, TheTwinProjectsTheChoiceModelAsTheRatesItGives) {
  // The twin reads TransitionRates: a doubled premium at elasticity 1 projects as a doubled
  // assessment rate (and, with no programmes, the twin needs no refusal for the choice model).
  std::vector<std::string> doubled = one_level_open("5500", "1");
  std::vector<std::string> by_rate = one_level_open("5000", "0");
  by_rate.push_back("skills.assessment_rate=[0, 0, 0.02, 0, 0, 0, 0, 0, 0]");
  const TwinProjection a = project_expected(test::small_scenario(doubled, 20000, 1, 6));
  const TwinProjection b = project_expected(test::small_scenario(by_rate, 20000, 1, 6));
  ASSERT_EQ(a.flows.size(), b.flows.size());
  for (std::size_t t = 1; t < a.flows.size(); ++t) {
    EXPECT_GT(a.flows[t].assessments[kJunior], 0);
    EXPECT_NEAR(a.flows[t].assessments[kJunior], b.flows[t].assessments[kJunior],
                1e-9 * b.flows[t].assessments[kJunior])
        << t;
  }
}

std::map<std::string, std::string> premium_programme(const std::string& junior_wage, const std::string& elasticity) {
  return {{"programmes.application_rate", "[0.01]"},
          {"programmes.premium_elasticity", "[" + elasticity + "]"},
          {"employers.wage_per_month", "[4500, 4500, " + junior_wage + ", 5800, 6800, 8000, 9500, 12000, 15000]"},
          {"funds.annual_envelope", "[1000000000]"},
          {"programmes.seats_per_month", "[[100000]]"}};
}

TEST(Choice, ApplicationRatesByLevelAndInThePathwayGraph) {
  const Scenario s = test::programme_scenario(premium_programme("5500", "1"));
  const ApplicationRules rules(s.parameters());
  // Target 初级工 from 无证 and 学徒工 (both paid 4500): premium 2/9 against 1/9.
  EXPECT_NEAR(rules.programmes[0].rate_by_level[0], 0.02, 1e-15);
  EXPECT_NEAR(rules.programmes[0].rate_by_level[1], 0.02, 1e-15);
  EXPECT_EQ(rules.programmes[0].rate_by_level[kJunior], 0.0); // already holds it
  EXPECT_NEAR(rules.programmes[0].rate, 0.02, 1e-15);
  for (const Route& r : pathway_routes(s.parameters())) {
    if (r.kind == RouteKind::Programme) {
      EXPECT_NEAR(r.monthly, 0.02, 1e-15) << r.label;
    }
  }
  // At elasticity 0 the rate is application_rate whatever the pay.
  const ApplicationRules fixed(test::programme_scenario(premium_programme("9000", "0")).parameters());
  for (int l = 0; l < kLevelCount; ++l) EXPECT_EQ(fixed.programmes[0].rate_by_level[l], 0.01) << l;
  // Monotone in the premium.
  double before = 0;
  for (const char* wage : {"4600", "5000", "5500", "7000"}) {
    const double rate = ApplicationRules(test::programme_scenario(premium_programme(wage, "0.5")).parameters())
                            .programmes[0]
                            .rate_by_level[1];
    EXPECT_GT(rate, before) << wage;
    before = rate;
  }
}

TEST(Choice, ApplicationsDoubleWithThePremiumInTheSimulation) {
  const Scenario s = test::programme_scenario(premium_programme("5500", "1"), 1, 200000);
  const Results r = run_scenario(s, RunOptions{});
  double n = 0; // eligible in month 1: levels 0-1, employed, unemployed or inactive
  for (int l = 0; l <= 1; ++l)
    for (int st = 1; st <= 3; ++st) n += static_cast<double>(at(r, "workers", 0, 0, l * kStatusCount + st));
  ASSERT_GT(n, 10000);
  const double q = 0.02, observed = static_cast<double>(at(r, "applications", 0, 1));
  EXPECT_NEAR(observed, n * q, 4 * std::sqrt(n * q * (1 - q)));
}

TEST(Choice, TheTwinProjectsApplicationsWithThePremiumAsTheRateItGives) {
  // The twin reads the rate by level held (ApplicationRules::rate_by_level), not one rate per
  // programme: with 学徒工 paid as much as 初级工 (no premium: rate 0) and 无证 twice the
  // reference premium (rate 0.02) it projects what a programme open to 无证 only at 0.02 does.
  auto no_step_at_1 = premium_programme("5500", "1");
  no_step_at_1["employers.wage_per_month"] = "[4500, 5500, 5500, 5800, 6800, 8000, 9500, 12000, 15000]";
  auto by_rate = premium_programme("5000", "0");
  by_rate["programmes.application_rate"] = "[0.02]";
  by_rate["programmes.max_level"] = "[0]";
  const TwinProjection a = project_expected(test::programme_scenario(no_step_at_1, 4, 20000));
  const TwinProjection b = project_expected(test::programme_scenario(by_rate, 4, 20000));
  ASSERT_EQ(a.flows.size(), b.flows.size());
  for (std::size_t t = 1; t < a.flows.size(); ++t) {
    ASSERT_EQ(a.flows[t].applications.size(), 1U);
    EXPECT_GT(a.flows[t].applications[0], 0) << "month " << t;
    EXPECT_NEAR(a.flows[t].applications[0], b.flows[t].applications[0], 1e-9 * b.flows[t].applications[0])
        << "month " << t;
    for (int l = 0; l < kLevelCount; ++l)
      EXPECT_NEAR(a.flows[t].promotions[l], b.flows[t].promotions[l], 1e-9 * (1 + b.flows[t].promotions[l]))
          << "month " << t << ", level " << l;
  }
}

TEST(Choice, ElasticityZeroOrTheReferencePayChangesNothingBitForBit) {
  // Other wages at elasticity 0, or elasticity 1 at the reference ladder (factor exactly 1), give
  // the results of the defaults, bit for bit, with programmes and assessments running.
  std::vector<std::string> base = test::everything_off();
  base.push_back("skills.assessment_rate=[0, 0.002, 0.02, 0.01, 0.01, 0.003, 0.003, 0, 0]");
  base.push_back("labour.job_find_rate=0.1");
  base.push_back("labour.job_loss_rate=0.01");
  for (const auto& [k, v] : test::one_programme()) base.push_back(k + "=" + v);
  base.push_back("programmes.application_rate=[0.05]");
  RunOptions o;
  o.replicates = 2;
  const Results expected = run_scenario(test::small_scenario(base, 30000, 1, 12), o);
  const auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> all = base;
    all.insert(all.end(), more.begin(), more.end());
    return run_scenario(test::small_scenario(all, 30000, 1, 12), o);
  };
  test::expect_same_results(with({"employers.wage_per_month=[3000, 4000, 7000, 7100, 9000, 9100, 9200, 20000, 30000]"}),
                            expected);
  test::expect_same_results(with({"skills.premium_elasticity=1", "programmes.premium_elasticity=[2]"}), expected);
}

TEST(Choice, OneAndTwoThreadsGiveTheSameResults) {
  auto o = one_level_open("6000", "0.8");
  auto settings = test::one_programme();
  for (const auto& [k, v] : premium_programme("6000", "1.5")) settings[k] = v;
  for (const auto& [k, v] : settings) o.push_back(k + "=" + v);
  test::expect_same_for_one_and_two_threads(test::small_scenario(o, 20000, 1, 6), 2);
}

TEST(Choice, ValidationNamesTheKey) {
  const auto issues = [](std::vector<std::string> o) {
    try {
      test::small_scenario(o);
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string flat =
      issues({"skills.premium_elasticity=1",
              "employers.reference_wage_per_month=[4500, 4500, 4500, 5800, 6800, 8000, 9500, 12000, 15000]"});
  EXPECT_NE(flat.find("employers.reference_wage_per_month[2]"), std::string::npos) << flat;
  EXPECT_NE(flat.find("must exceed the pay at every level below it"), std::string::npos) << flat;
  EXPECT_NE(flat.find("skills.premium_elasticity"), std::string::npos) << flat;
  // Without an elasticity the ladders are not compared (nothing reads them).
  EXPECT_EQ(issues({"employers.reference_wage_per_month=[4500, 4500, 4500, 5800, 6800, 8000, 9500, 12000, 15000]"}),
            "");
  const std::string unpaid = issues({"skills.premium_elasticity=0.5",
                                     "employers.wage_per_month=[0, 4500, 5000, 5800, 6800, 8000, 9500, 12000, 15000]"});
  EXPECT_NE(unpaid.find("employers.wage_per_month[0]"), std::string::npos) << unpaid;
  EXPECT_NE(unpaid.find("must be positive"), std::string::npos) << unpaid;
  const std::string negative = issues({"skills.premium_elasticity=-1"});
  EXPECT_NE(negative.find("skills.premium_elasticity"), std::string::npos) << negative;
  std::vector<std::string> programme;
  for (const auto& [k, v] : test::one_programme()) programme.push_back(k + "=" + v);
  programme.push_back("programmes.premium_elasticity=[9]");
  const std::string too_high = issues(programme);
  EXPECT_NE(too_high.find("programmes.premium_elasticity"), std::string::npos) << too_high;
  // A pay step of 0 closes the level's assessments under the choice model: the pathway check says why.
  const std::string no_step =
      issues({"skills.premium_elasticity=1", "entry.technical_school_graduates_per_year=0",
              "employers.wage_per_month=[4500, 4500, 5000, 5800, 5800, 8000, 9500, 12000, 15000]"});
  EXPECT_NE(no_step.find("employers.wage_per_month[4]"), std::string::npos) << no_step;
  EXPECT_NE(no_step.find("nobody sits its assessment"), std::string::npos) << no_step;
  const std::string short_ladder = issues({"employers.reference_wage_per_month=[4500, 4500]"});
  EXPECT_NE(short_ladder.find("employers.reference_wage_per_month"), std::string::npos) << short_ladder;
}

// Leakage with deterrence: the fake share is leakage_share x (1 - share_audited)^deterrence.
TEST(Deterrence, EffectiveShareInClosedForm) {
  EXPECT_EQ(effective_leakage(0.2, 0.5, 0), 0.2); // deterrence 0: the share itself, bit for bit
  EXPECT_EQ(effective_leakage(0.2, 1.0, 0), 0.2);
  EXPECT_EQ(effective_leakage(0.4, 0.5, 1), 0.2);
  EXPECT_NEAR(effective_leakage(0.3, 0.2, 2), 0.3 * 0.64, 1e-15);
  EXPECT_EQ(effective_leakage(0.3, 1.0, 2), 0.0); // every claim audited: nobody tries
}

TEST(Deterrence, LeakageAndAuditsFollowTheClosedForm) {
  // leakage_share 40%, half the claims audited at 10 yuan each, deterrence 1: the fake share is
  // 0.4 x 0.5 = 0.2, so per genuine 1,000-yuan claim 0.2 x 0.5 / 0.8 = 0.125 fake claims are paid
  // (125 yuan) and 0.5 / 0.8 = 0.625 claims are audited (6.25 yuan). 300 trainees paid at
  // enrolment: 37,500 leaked, 1,875 on audits (the figures of 20% without deterrence).
  const auto month1 = [](const char* share, const char* deterrence) {
    const Results r = run_scenario(test::programme_scenario({{"programmes.leakage_share", share},
                                                             {"audit.share_audited", "0.5"},
                                                             {"audit.cost_per_audit", "10"},
                                                             {"audit.deterrence", deterrence},
                                                             {"funds.annual_envelope", "[100000000]"}}),
                                   RunOptions{});
    return std::array<std::int64_t, 3>{at(r, "leakage", 0, 1), at(r, "audit_spending", 0, 1), at(r, "spending", 0, 1)};
  };
  const auto deterred = month1("[0.4]", "1");
  EXPECT_EQ(deterred[0], 37500);
  EXPECT_EQ(deterred[1], 1875);
  EXPECT_EQ(deterred[2], 300 * 1000 + 37500 + 1875);
  // Without deterrence 40% leaks 0.4 x 0.5 / 0.6 per claim: 100,000 over 300 claims; audits 0.5 /
  // 0.6 x 10 yuan a claim (2,500).
  const auto caught_only = month1("[0.4]", "0");
  EXPECT_NEAR(static_cast<double>(caught_only[0]), 100000, 1); // thirds of a yuan carried
  EXPECT_NEAR(static_cast<double>(caught_only[1]), 2500, 1);
}

TEST(Deterrence, DefaultIsZeroAndValidated) {
  EXPECT_EQ(test::small_scenario().parameters().audit.deterrence, 0.0);
  try {
    test::small_scenario({"audit.deterrence=-0.5"});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("audit.deterrence"), std::string::npos) << e.what();
  }
}

} // namespace
} // namespace skillsim
