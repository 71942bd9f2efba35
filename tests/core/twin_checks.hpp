// Checks shared by the twin's tests: a variable's value, the agent model's mean over replicates
// against the twin, and two projections the same to rounding.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "skillsim/core/results.hpp"
#include "skillsim/core/twin.hpp"

namespace skillsim::test {

/// Variable `name` of `r` at replicate `rep`, time `t` and flat cell `k`.
inline double value(const Results& r, const std::string& name, std::size_t rep, std::size_t t, std::size_t k = 0) {
  const Variable& v = r.variable(name);
  const std::size_t times = r.dimension("time").size();
  const std::size_t per_time = v.size() / (r.dimension("replicate").size() * times);
  const std::size_t at = (rep * times + t) * per_time + k;
  return v.is_real ? v.real_data[at] : static_cast<double>(v.data[at]);
}

/// Variable `name` summed over the 12 months to `t` (t >= 12), as the `values` of
/// expect_mean_around.
inline auto yearly_total(const char* name, std::size_t t) {
  return [name, t](const Results& r, std::size_t rep, std::size_t k) {
    double total = 0;
    for (std::size_t u = t - 11; u <= t; ++u) total += value(r, name, rep, u, k);
    return total;
  };
}

/// How far the agents' mean may lie from the twin besides 4 standard errors.
struct MeanTolerance {
  double relative = 0; // of the twin's value (for what the twin approximates, e.g. near capacity)
  // Added to every allowance (4 standard errors, or the relative tolerance); where given, it is
  // also the whole allowance for rounding where the agents do not vary.
  double absolute = 0;
  // Where the agents do not vary, the twin may differ by up to 3 / replicates (the rule of
  // three: an event never seen in n replicates has a rate below 3 / n with 95% confidence).
  bool rare = false;
};

/// The agent model's mean over replicates against the twin, for `values(results, replicate, k)`
/// over k < `cells`: within 4 standard errors (or equal, where the agents do not vary), or the
/// tolerance: max(4 se, relative |twin|) + absolute. Returns the number of cells compared.
template <class Values>
int expect_mean_around(const Results& agents, const Results& twin, std::int64_t replicates, std::size_t cells,
                       Values values, const std::string& what, MeanTolerance tolerance = {}) {
  int compared = 0;
  for (std::size_t k = 0; k < cells; ++k) {
    double sum = 0, squares = 0;
    for (std::size_t rep = 0; rep < static_cast<std::size_t>(replicates); ++rep) {
      const double x = values(agents, rep, k);
      sum += x;
      squares += x * x;
    }
    const auto n = static_cast<double>(replicates);
    const double mean = sum / n, variance = std::max(0.0, (squares - n * mean * mean) / (n - 1));
    const double se = std::sqrt(variance / n), expected = values(twin, 0, k);
    // Where the agents do not vary: equal to rounding (1e-6 + 1e-9 |twin|, unless an absolute
    // allowance is given), or the rule of three.
    const double spread = se != 0                  ? 4 * se
                          : tolerance.rare         ? 3 / n
                          : tolerance.absolute > 0 ? 0.0
                                                   : 1e-6 + 1e-9 * std::abs(expected);
    const double allowed = std::max(spread, tolerance.relative * std::abs(expected)) + tolerance.absolute;
    EXPECT_LE(std::abs(mean - expected), allowed)
        << what << " [" << k << "]: agents " << mean << " twin " << expected << " (se " << se << ")";
    ++compared;
  }
  return compared;
}

/// Every stock and flow of two projections the same to `relative` (1e-12 unless told) of the
/// larger of 1 and its value (two ways of holding the same state: TwinOptions). Returns the
/// largest difference seen, in those units (0 if a size differs).
inline double expect_same_projection(const TwinProjection& a, const TwinProjection& b, const std::string& what,
                                     double relative = 1e-12) {
  double largest = 0;
  EXPECT_EQ(a.stocks.size(), b.stocks.size()) << what;
  EXPECT_EQ(a.flows.size(), b.flows.size()) << what;
  if (a.stocks.size() != b.stocks.size() || a.flows.size() != b.flows.size()) return 0;
  const auto near = [&](double x, double y) {
    const double d = std::abs(x - y) / std::max(1.0, std::abs(y));
    largest = std::max(largest, d);
    return d <= relative;
  };
  const auto same = [&](const std::vector<double>& x, const std::vector<double>& y, const std::string& name) {
    ASSERT_EQ(x.size(), y.size()) << what << " " << name;
    for (std::size_t k = 0; k < x.size(); ++k)
      EXPECT_PRED2(near, x[k], y[k]) << what << " " << name << " [" << k << "]";
  };
  for (std::size_t t = 0; t < a.stocks.size(); ++t) {
    const TwinStocks &s = a.stocks[t], &z = b.stocks[t];
    const TwinFlows &f = a.flows[t], &h = b.flows[t];
    const std::string month = " month " + std::to_string(t);
    for (std::size_t l = 0; l < kLevelCount; ++l) {
      for (std::size_t st = 0; st < kStatusCount; ++st)
        EXPECT_PRED2(near, s.workers[l][st], z.workers[l][st]) << what << month << " workers " << l << st;
      for (std::size_t g = 0; g < kGroupCount; ++g)
        EXPECT_PRED2(near, s.by_group[g][l], z.by_group[g][l]) << what << month << " by group " << g << l;
      for (const auto member : {&TwinFlows::entries, &TwinFlows::exits, &TwinFlows::promotions,
                                &TwinFlows::promotions_out, &TwinFlows::assessments})
        EXPECT_PRED2(near, (f.*member)[l], (h.*member)[l]) << what << month << " level " << l;
    }
    for (std::size_t sector = 0; sector < kSectorCount; ++sector)
      EXPECT_PRED2(near, s.employed_by_sector[sector], z.employed_by_sector[sector]) << what << month;
    same(s.by_region, z.by_region, "by_region" + month);
    same(s.trainees, z.trainees, "trainees" + month);
    same(s.school_students, z.school_students, "school_students" + month);
    for (std::size_t g = 0; g < kGroupCount; ++g) {
      EXPECT_PRED2(near, f.entries_by_group[g], h.entries_by_group[g]) << what << month;
      EXPECT_PRED2(near, f.exits_by_group[g], h.exits_by_group[g]) << what << month;
      for (std::size_t to = 0; to < kGroupCount; ++to)
        EXPECT_PRED2(near, f.group_changes[g][to], h.group_changes[g][to]) << what << month;
    }
    for (const auto member :
         {&TwinFlows::retirements, &TwinFlows::job_finds, &TwinFlows::job_losses, &TwinFlows::newly_skilled})
      EXPECT_PRED2(near, f.*member, h.*member) << what << month;
    for (std::size_t k = 0; k < 2; ++k) {
      EXPECT_PRED2(near, f.appointed[k], h.appointed[k]) << what << month;
      EXPECT_PRED2(near, f.appointments_unfilled[k], h.appointments_unfilled[k]) << what << month;
    }
    const std::pair<std::vector<double> TwinFlows::*, const char*> vectors[] = {
        {&TwinFlows::applications, "applications"},
        {&TwinFlows::enrolments, "enrolments"},
        {&TwinFlows::no_seat, "no_seat"},
        {&TwinFlows::no_money, "no_money"},
        {&TwinFlows::completions, "completions"},
        {&TwinFlows::dropouts, "dropouts"},
        {&TwinFlows::certificates, "certificates"},
        {&TwinFlows::programme_assessments, "programme_assessments"},
        {&TwinFlows::followed_up, "followed_up"},
        {&TwinFlows::employed_after, "employed_after"},
        {&TwinFlows::paid, "paid"},
        {&TwinFlows::leaked, "leaked"},
        {&TwinFlows::audit, "audit"},
        {&TwinFlows::remaining, "remaining"},
        {&TwinFlows::committed, "committed"},
        {&TwinFlows::employer_paid, "employer_paid"},
        {&TwinFlows::seats_binding, "seats_binding"},
        {&TwinFlows::money_binding, "money_binding"},
        {&TwinFlows::fund_binding, "fund_binding"},
        {&TwinFlows::evaluations, "evaluations"},
        {&TwinFlows::evaluation_binding, "evaluation_binding"},
        {&TwinFlows::evaluation_queue, "evaluation_queue"},
        {&TwinFlows::evaluation_abandoned, "evaluation_abandoned"},
        {&TwinFlows::competition_entrants, "competition_entrants"},
        {&TwinFlows::competition_winners, "competition_winners"},
        {&TwinFlows::competition_promotions, "competition_promotions"},
        {&TwinFlows::competition_no_entrant, "competition_no_entrant"},
        {&TwinFlows::competition_no_winner, "competition_no_winner"},
        {&TwinFlows::school_enrolments, "school_enrolments"},
        {&TwinFlows::school_graduates, "school_graduates"},
        {&TwinFlows::school_dropouts, "school_dropouts"},
        {&TwinFlows::school_no_place, "school_no_place"}};
    for (const auto& [member, name] : vectors) same(f.*member, h.*member, name + month);
  }
  return largest;
}

/// How far the twin with its month's dying derived may lie from the dying pushed as a vector of
/// their own (TwinOptions::pushed_deaths), of the larger of 1 and each value: test_twin.cpp,
/// Twin.DerivedDeathsAsPushed, says why.
inline constexpr double kDerivedDeaths = 1e-9;

/// Projects `s` with the dying derived and pushed, expects every stock and flow the same to
/// kDerivedDeaths and no death count below 0; returns the largest difference
/// (expect_same_projection) and the derived projection's deaths over the run.
inline std::pair<double, double> expect_deaths_as_pushed(const Scenario& s, const std::string& what) {
  const TwinProjection derived = project_expected(s, {.check_buffers_cleared = true}),
                       pushed = project_expected(s, {.pushed_deaths = true});
  EXPECT_EQ(derived.rows, pushed.rows) << what;
  const double largest = expect_same_projection(derived, pushed, what, kDerivedDeaths);
  double deaths = 0;
  for (std::size_t t = 1; t < derived.flows.size(); ++t)
    for (std::size_t l = 0; l < kLevelCount; ++l) {
      EXPECT_GE(derived.flows[t].exits[l], 0) << what << " month " << t << " level " << l;
      deaths += derived.flows[t].exits[l];
    }
  return {largest, deaths};
}

} // namespace skillsim::test
