// A replicate's state can be saved and restored: snapshot() holds everything the run needs to
// continue (population, month, next id, carries, ledger, queues), and nothing of the month's
// output, so a restored replicate continues bit for bit as the uninterrupted one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/synthesis.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace skillsim {
namespace {
using test::operator+;

// The Jincheng plan (programmes paid three ways, two funds, evaluators) at scale 70 (so seats and
// capacities are fractions of agents) with a tenth of its evaluation capacity (so candidates
// queue), leakage and audits (fractional yuan carried) and appointment quotas.
Scenario busy_scenario() {
  return io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml",
                           {"population.scale=70", "evaluation.capacity_per_month=[[300], [600], [100]]",
                            "programmes.leakage_share=[0.1, 0.1, 0.1, 0.1]", "audit.share_audited=0.3",
                            "audit.cost_per_audit=37", "skills.principal_technician_quota_per_year=500",
                            "skills.chief_technician_quota_per_year=70"});
}

// Everything a month produces and the state after it.
void expect_same_month(const ReplicateState& a, const ReplicateState& b, int month) {
  EXPECT_EQ(a.current_month(), b.current_month()) << "month " << month;
  EXPECT_TRUE(a.last_flows() == b.last_flows()) << "flows, month " << month;
  EXPECT_TRUE(a.training().tally() == b.training().tally()) << "training, month " << month;
  EXPECT_TRUE(a.evaluation().tally() == b.evaluation().tally()) << "evaluation, month " << month;
  EXPECT_TRUE(a.population() == b.population()) << "population, month " << month;
}

TEST(Snapshot, RestoredReplicateContinuesBitForBit) {
  const Scenario s = busy_scenario();
  ReplicateState uninterrupted(s, 11, 3);
  ReplicateState interrupted(s, 11, 3);
  for (int m = 0; m < 10; ++m) { // across nothing yet: 2020-01 .. 2020-10
    uninterrupted.step();
    interrupted.step();
  }
  const ReplicateSnapshot saved = interrupted.snapshot();
  // The snapshot holds state that matters: money paid and committed, waiting candidates, and
  // fractions carried in each kind of accumulator.
  EXPECT_GT(saved.training.ledger.fund(0).paid, 0);
  EXPECT_GT(saved.training.ledger.fund(0).committed, 0);
  std::int64_t waiting = 0;
  for (std::uint8_t w : saved.population.evaluation_wait) waiting += w != 0;
  EXPECT_GT(waiting, 0);
  const auto any_fraction = [](const auto& carries) {
    for (const Carry& c : carries)
      if (c.fraction != 0) return true;
    return false;
  };
  EXPECT_TRUE(any_fraction(saved.entrants.due));
  EXPECT_TRUE(any_fraction(saved.appointments.due));
  EXPECT_TRUE(any_fraction(saved.training.seats_due));
  EXPECT_TRUE(any_fraction(saved.training.overhead_due));
  EXPECT_TRUE(any_fraction(saved.evaluation.capacity_due));

  // Into a fresh object (no synthesis), and into one that has run elsewhere with other streams.
  ReplicateState fresh(s, saved);
  ReplicateState elsewhere(s, 99, 0);
  elsewhere.step();
  elsewhere.restore(saved);
  EXPECT_TRUE(fresh.snapshot() == saved);
  EXPECT_TRUE(elsewhere.snapshot() == saved);
  for (int m = 10; m < 24; ++m) { // on across the new budget year to the end of the run
    uninterrupted.step();
    fresh.step();
    elsewhere.step();
    expect_same_month(uninterrupted, fresh, m);
    expect_same_month(uninterrupted, elsewhere, m);
  }
  EXPECT_TRUE(uninterrupted.snapshot() == fresh.snapshot());
}

TEST(Snapshot, CarriedFractionsAreState) {
  // Changing the entrants' carried fractions changes when they enter: the carries belong in the
  // snapshot (a checkpoint without them would not continue the run).
  const Scenario s = busy_scenario();
  ReplicateState state(s, 5, 0);
  for (int m = 0; m < 3; ++m) state.step();
  const ReplicateSnapshot saved = state.snapshot();
  ReplicateSnapshot changed = saved;
  for (Carry& c : changed.entrants.due) c.fraction = c.fraction < 0.5 ? 0.999999 : 0.0;
  ReplicateState with(s, saved), without(s, changed);
  std::vector<std::int64_t> entries_with, entries_without;
  for (int m = 0; m < 12; ++m) {
    with.step();
    without.step();
    entries_with.push_back(with.last_flows().entries[0]);
    entries_without.push_back(without.last_flows().entries[0]);
  }
  EXPECT_NE(entries_with, entries_without);
}

TEST(Snapshot, SnapshotOfAnotherScenarioIsRefused) {
  const Scenario plan = busy_scenario();
  // The same months, but no programmes and no evaluators.
  const Scenario baseline = test::small_scenario({"scenario.start=2020-01-01", "scenario.months=24"}, 20000, 1, 24);
  const ReplicateSnapshot saved = ReplicateState(plan, 1, 0).snapshot();
  try {
    ReplicateState(baseline, saved);
    FAIL() << "a snapshot with four programmes was restored into a scenario with none";
  } catch (const Error& e) {
    // Its population's columns are the first part found not to fit.
    EXPECT_NE(std::string(e.what()).find("the saved population stores the 'programme' column, which this scenario "
                                         "does not use (programmes.names or evaluation.evaluators)"),
              std::string::npos)
        << e.what();
  }
  // With a programme of its own (the same columns), the plan's four programmes do not fit its one.
  const Scenario one_programme = test::small_scenario(
      test::funded_upgrading({}) + std::vector<std::string>{"scenario.start=2020-01-01", "scenario.months=24"}, 20000,
      1, 24);
  ASSERT_EQ(agent_columns(one_programme.parameters()), saved.population.optional_columns());
  try {
    ReplicateState(one_programme, saved);
    FAIL() << "a snapshot with four programmes was restored into a scenario with one";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not fit"), std::string::npos) << e.what();
  }
  ReplicateSnapshot late = saved;
  late.month = plan.start() + 25; // the run has 24 months
  try {
    ReplicateState(plan, late);
    FAIL() << "a snapshot after the end of the run was restored";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("outside the scenario's run"), std::string::npos) << e.what();
  }
}

} // namespace
} // namespace skillsim
