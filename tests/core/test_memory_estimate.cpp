// The narrow agent columns (id, birth month, region) and their guards, and the memory estimate
// made before a run allocates anything (memory_estimate.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/memory_estimate.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/core/schools.hpp"
#include "skillsim/core/synthesis.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace skillsim {
using test::has_issue;

namespace {

const std::string kNational = std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/national_2016.toml";

// 14 bytes with no optional column (every scenario), one more for each optional column in use.
TEST(Columns, FourteenBytesPerAgentAndOneMorePerOptionalColumnInUse) {
  EXPECT_EQ(Population::bytes_per_agent(), 14u);
  EXPECT_EQ(Population::bytes_per_agent(ColumnSet{}.with(Column::employer)), 15u);
  EXPECT_EQ(Population::bytes_per_agent(ColumnSet{}.with(Column::employer).with(Column::subsidised_months)), 16u);
  EXPECT_TRUE(ColumnSet{}.with(Column::level).empty()) << "a column stored always is not optional";
  EXPECT_EQ(Population().column_bytes_per_agent(), 14u);
}

// Which optional columns a scenario's population stores: region with more than one region,
// employer with employers declared, the
// months of 以工代训 with a cap, a worker's programme and wait for an assessment with programmes or
// evaluators, the follow-up window and insurance months with programmes; synthesis allocates
// those and leaves the others empty.
TEST(Columns, OptionalColumnsExistOnlyWhenTheScenarioUsesThem) {
  const Scenario plain = test::small_scenario({}, 20000);
  EXPECT_TRUE(agent_columns(plain.parameters()).empty());
  const ReplicateState a(plain, 1, 0);
  EXPECT_TRUE(a.population().optional_columns().empty());
  EXPECT_TRUE(a.population().employer.empty());
  EXPECT_TRUE(a.population().subsidised_months.empty());
  EXPECT_TRUE(a.population().region.empty()) << "one region: every agent's is 0, and not stored";
  EXPECT_EQ(a.population().region_of(a.population().size() / 2), 0);
  EXPECT_FALSE(a.population().has(Column::employer));
  EXPECT_TRUE(a.population().has(Column::level));

  const std::vector<std::string> employers = {R"(employers.size_classes=["large", "small"])",
                                              R"(employers.labels=["大型企业", "中小企业"])",
                                              "employers.size_shares=[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]"};
  const Scenario with = test::small_scenario(employers, 20000);
  EXPECT_EQ(agent_columns(with.parameters()), ColumnSet{}.with(Column::employer));
  ReplicateState b(with, 1, 0);
  EXPECT_EQ(b.population().employer.size(), b.population().size());
  EXPECT_TRUE(b.population().subsidised_months.empty());
  EXPECT_EQ(b.population().column_bytes_per_agent(), 15u);
  // Entrants and compaction keep every stored column the same length, the others empty.
  for (int m = 0; m < 14; ++m) b.step();
  EXPECT_EQ(b.population().employer.size(), b.population().size());
  EXPECT_TRUE(b.population().subsidised_months.empty());
  EXPECT_TRUE(b.population().programme.empty());
  EXPECT_TRUE(b.population().ui_months.empty());

  const ColumnSet programme_columns = ColumnSet{}
                                          .with(Column::programme)
                                          .with(Column::evaluation_wait)
                                          .with(Column::follow_up_programme)
                                          .with(Column::follow_up_months_left)
                                          .with(Column::ui_months);
  const Scenario trained = test::small_scenario(test::funded_upgrading({}), 20000);
  EXPECT_EQ(agent_columns(trained.parameters()), programme_columns);
  ReplicateState c(trained, 1, 0);
  for (int m = 0; m < 3; ++m) c.step();
  EXPECT_EQ(c.population().ui_months.size(), c.population().size());
  EXPECT_EQ(c.population().column_bytes_per_agent(), 19u);
  const auto enrolled = std::count_if(c.population().programme.begin(), c.population().programme.end(),
                                      [](std::uint8_t k) { return k != kNoProgramme; });
  EXPECT_GT(enrolled, 0) << "the column is used";

  const Scenario evaluated =
      test::small_scenario({R"(evaluation.evaluators=["agency"])", R"(evaluation.labels=["社会培训评价组织"])",
                            "evaluation.capacity_per_month=[[5]]", "evaluation.eligible_statuses=[[1, 1, 1, 1, 1, 0]]",
                            "evaluation.max_level=[6]", "evaluation.max_wait_months=12"},
                           20000);
  EXPECT_EQ(agent_columns(evaluated.parameters()), ColumnSet{}.with(Column::programme).with(Column::evaluation_wait));
  ReplicateState d(evaluated, 1, 0);
  for (int m = 0; m < 3; ++m) d.step();
  EXPECT_EQ(d.population().evaluation_wait.size(), d.population().size());
  EXPECT_TRUE(d.population().follow_up_programme.empty());
  const auto waiting = std::count_if(d.population().evaluation_wait.begin(), d.population().evaluation_wait.end(),
                                     [](std::uint8_t w) { return w != 0; });
  EXPECT_GT(waiting, 0) << "5 assessments a month keep candidates waiting";

  const Scenario regional =
      test::small_scenario({R"(population.regions=["east", "west"])", "population.region_shares=[0.3, 0.7]"}, 20000);
  EXPECT_EQ(agent_columns(regional.parameters()), ColumnSet{}.with(Column::region));
  ReplicateState r(regional, 1, 0);
  for (int m = 0; m < 3; ++m) r.step();
  const Population& two = r.population();
  ASSERT_EQ(two.region.size(), two.size());
  EXPECT_EQ(two.column_bytes_per_agent(), 15u);
  const auto west = std::count(two.region.begin(), two.region.end(), std::uint8_t{1});
  EXPECT_GT(west, static_cast<std::ptrdiff_t>(two.size() / 2)) << "70% drawn into the second region";
  for (std::size_t i = 0; i < two.size(); i += 997) EXPECT_EQ(two.region_of(i), two.region[i]);
}

// Each large column starts at its own offset within a page (column_allocator.hpp): without it,
// the same agent's entries in two one-byte columns were a whole number of pages apart, and a load
// of one waited for a store to the other (4K aliasing). Small columns are left as they come.
TEST(Columns, LargeColumnsStartAtDistinctOffsetsWithinAPage) {
  const Scenario s = test::small_scenario({}, 200000, 1);
  const Population pop = synthesize_population(s.parameters(), RandomStreams(3, 0));
  ASSERT_GE(pop.size() * sizeof(std::uint8_t), ColumnAllocator<std::uint8_t>::kStaggerFrom);
  std::vector<std::uintptr_t> offsets;
  pop.for_each_named_column([&](std::string_view, const auto& column) {
    offsets.push_back(reinterpret_cast<std::uintptr_t>(column.data()) % ColumnAllocator<std::uint8_t>::kPage);
  });
  ASSERT_EQ(offsets.size(), 10u) << "the columns stored always";
  std::sort(offsets.begin(), offsets.end());
  EXPECT_EQ(std::adjacent_find(offsets.begin(), offsets.end()), offsets.end()) << "two columns share an offset";
  for (std::uintptr_t at : offsets) EXPECT_EQ(at % ColumnAllocator<std::uint8_t>::kLine, 0u) << "on a cache line";
  // A copy, a reallocation and a small column go through the same allocator and free what they took.
  Population copy = pop;
  copy.level.reserve(copy.level.capacity() * 2);
  EXPECT_TRUE(std::equal(copy.level.begin(), copy.level.end(), pop.level.begin(), pop.level.end()));
  ColumnVector<std::uint8_t> small(100, 7);
  EXPECT_EQ(small.back(), 7);
}

TEST(Columns, PushGetAndCompactHandleOptionalColumns) {
  Population without;
  Population with(ColumnSet{}.with(Column::employer));
  for (std::uint64_t k = 0; k < 5; ++k) {
    Agent a;
    a.id = k;
    a.employer = static_cast<std::uint8_t>(10 + k);
    a.subsidised_months = 3;
    a.status = k % 2 == 0 ? Status::Removed : Status::Employed;
    without.push_back(a);
    with.push_back(a);
  }
  EXPECT_TRUE(without.employer.empty());
  EXPECT_EQ(with.employer.size(), 5u);
  EXPECT_TRUE(with.subsidised_months.empty());
  EXPECT_EQ(without.get(1).employer, kNoEmployer) << "not stored: reads back as the default";
  EXPECT_EQ(with.get(1).employer, 11);
  EXPECT_EQ(with.get(1).subsidised_months, 0);
  without.compact();
  with.compact();
  EXPECT_EQ(without.size(), 2u);
  EXPECT_TRUE(without.employer.empty());
  EXPECT_EQ(with.employer, (ColumnVector<std::uint8_t>{11, 13}));
  EXPECT_EQ(with.id, (ColumnVector<std::uint32_t>{1, 3}));
  std::vector<std::string> names;
  with.for_each_named_column([&](std::string_view name, const auto&) { names.emplace_back(name); });
  EXPECT_EQ(names.size(), 11u) << "the 10 stored always and employer";
  EXPECT_EQ(names.back(), "employer");
  EXPECT_FALSE(with == Population(ColumnSet{}.with(Column::employer).with(Column::subsidised_months)));
}

TEST(Columns, NarrowColumnsKeepTheirValues) {
  Population pop(ColumnSet{}.with(Column::region));
  Agent a;
  a.id = kAgentIdLimit - 1;
  a.birth_month = Month::of(1930, 7).index;
  a.region = kMaxRegions;
  pop.push_back(a);
  const Agent back = pop.get(0);
  EXPECT_EQ(back.id, kAgentIdLimit - 1);
  EXPECT_EQ(back.birth_month, Month::of(1930, 7).index);
  EXPECT_EQ(back.region, kMaxRegions);
  // The latest start and an entrant born then fit the 16-bit birth month.
  a.birth_month = Month::of(kMaxStartYear, 12).index + 1200;
  EXPECT_NO_THROW(pop.push_back(a));
}

TEST(Columns, ValuesThatDoNotFitAreRefusedNotWrapped) {
  Population pop;
  Agent a;
  a.id = kAgentIdLimit;
  try {
    pop.push_back(a);
    FAIL() << "an id of 2^32 was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("32-bit id column"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("population.scale"), std::string::npos) << e.what();
  }
  a.id = 0;
  a.region = kMaxRegions + 1;
  EXPECT_THROW(pop.push_back(a), Error);
  a.region = 0;
  a.birth_month = 40000;
  EXPECT_THROW(pop.push_back(a), Error);
  a.birth_month = 0;
  a.ui_months = kMaxInsuranceMonths + 1;
  EXPECT_THROW(pop.push_back(a), Error);
  EXPECT_EQ(pop.size(), 0u) << "nothing half-added";
}

TEST(Columns, ValidationRefusesScenariosThatWouldOverflowThem) {
  Parameters p = io::load_scenario(kNational).parameters();
  p.population.scale = 1;
  p.scenario.months = 120;
  EXPECT_FALSE(has_issue(check(p), "population.scale", "agent ids")) << "1:1 for ten years fits 32-bit ids";
  p.population.size = 4.2e9;
  EXPECT_TRUE(has_issue(check(p), "population.scale", "32-bit id")) << "4.2e9 agents and ten years of entrants";
  p.population.size = 9e8;
  p.scenario.months = 1200;
  p.entry.school_leavers_per_year = 4e7;
  EXPECT_TRUE(has_issue(check(p), "population.scale", "raise population.scale or shorten the run"))
      << "a century of entrants";

  Parameters plan =
      io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml").parameters();
  plan.programmes.min_contribution_months.assign(plan.programmes.names.size(), 256);
  EXPECT_TRUE(has_issue(check(plan), "programmes.min_contribution_months[0]", "must be in [0, 255]"))
      << "the one-byte counter";

  Parameters q = io::load_scenario(kNational).parameters();
  q.scenario.start = Month::of(1850, 1);
  EXPECT_TRUE(has_issue(check(q), "scenario.start", "1900 to 2600"));
  q.scenario.start = Month::of(2016, 1);
  q.population.regions.assign(256, "r");
  for (std::size_t r = 0; r < q.population.regions.size(); ++r) q.population.regions[r] += std::to_string(r);
  EXPECT_TRUE(has_issue(check(q), "population.regions", "at most 255 regions"));
}

TEST(MemoryEstimate, CountsColumnsEntrantsResultsAndReplicates) {
  const Scenario s = io::load_scenario(kNational, {"population.scale=100", "scenario.months=24"});
  const MemoryEstimate one = estimate_memory(s, 1, 2);
  // 9 million synthesised and the technical schools' students at the start: 1,916,490, 685,170,
  // 443,540 and 264,800 on the four routes, at scale 100 19,165 + 6,852 + 4,435 + 2,648 agents.
  EXPECT_EQ(one.agents_initial, 9'000'000 + 33'100);
  // Two years of entrants (school leavers and graduates) and of the schools' enrolment plan
  // (826,800 + 190,800 + 190,800 + 63,600 a year), at scale 100.
  const auto& e = s.parameters().entry;
  const double entrants = 2 * (e.school_leavers_per_year + e.technical_school_graduates_per_year) / 100 +
                          2 * (826'800 + 190'800 + 190'800 + 63'600) / 100.0;
  EXPECT_NEAR(static_cast<double>(one.agents_peak - one.agents_initial), entrants, 60);
  EXPECT_EQ(one.bytes_per_agent, 14) << "one region, no employers, programmes or evaluators: none of their columns";
  EXPECT_EQ(one.population, one.agents_peak * 14);
  EXPECT_NE(describe_memory(one).find("at 14 bytes each"), std::string::npos) << describe_memory(one);
  EXPECT_EQ(one.growth, 0) << "synthesis reserves room for every entrant";
  EXPECT_GT(one.candidates, 0) << "students and the eligible for appointment are listed every month";

  // Results grow with replicates by exactly one replicate's worth each; the population does not.
  const MemoryEstimate four = estimate_memory(s, 4, 2);
  const MemoryEstimate seven = estimate_memory(s, 7, 2);
  EXPECT_EQ(four.population, one.population);
  EXPECT_GT(four.results, one.results);
  EXPECT_EQ(seven.results - four.results, (four.results - one.results));
  // One replicate's results: every variable over (replicate, time, ...) of the layout.
  const Results layout = make_results_layout(s, 1);
  std::int64_t per_replicate = 0;
  for (const Variable& v : layout.variables)
    if (!v.dims.empty() && v.dims[0] == "replicate") per_replicate += static_cast<std::int64_t>(v.size()) * 8;
  EXPECT_EQ(four.results - one.results, 3 * per_replicate);
  EXPECT_GT(estimate_memory(s, 1, 8).fixed, one.fixed) << "per-thread buffers";
  // Compaction on T threads sets aside up to T - 1 times the dead (2/32 of the agents allowed) of
  // the widest column (4 bytes); on one thread, nothing.
  EXPECT_EQ(estimate_memory(s, 1, 1).compaction, 0);
  EXPECT_NEAR(static_cast<double>(one.compaction), static_cast<double>(one.agents_peak) * 2 / 32 * 4, 1);
  EXPECT_NEAR(static_cast<double>(estimate_memory(s, 1, 3).compaction), 2.0 * static_cast<double>(one.compaction), 1);
}

// Synthesis reserves room for every entrant and every school enrolee of a run at the rates of its
// start, so no column grows by copying (which briefly holds a column twice: before this was so, a
// 1:1 national_2016 of ten years peaked above this machine's 24 GiB and was killed, and at scale 20
// it peaked at 1.30 GB against the 1.1 GB estimated); the estimate bounds the largest population.
TEST(MemoryEstimate, SynthesisReservesRoomForEveryEntrantAndSchoolEnrolee) {
  const Scenario s = io::load_scenario(kNational, {"population.scale=20000", "scenario.months=120"});
  ASSERT_FALSE(s.parameters().schools.routes.empty()) << "the test needs a scenario with schools";
  ReplicateState a(s, 1, 0);
  const std::size_t reserved = a.population().id.capacity();
  EXPECT_EQ(reserved, initial_capacity(s.parameters()));
  const std::size_t initial = a.population().size();
  std::size_t largest = initial;
  for (int m = 0; m < 120; ++m) {
    a.step();
    largest = std::max(largest, a.population().size());
  }
  EXPECT_GT(largest, initial + initial / 20) << "the run added agents (entrants, enrolees)";
  EXPECT_EQ(a.population().id.capacity(), reserved) << "a column grew by copying during the run";
  const MemoryEstimate e = estimate_memory(s, 1, 1);
  EXPECT_GE(e.agents_peak, static_cast<std::int64_t>(largest)) << "the estimate bounds the population";
  EXPECT_LE(e.agents_peak, static_cast<std::int64_t>(reserved)) << "and fits in what synthesis reserves";
  EXPECT_EQ(e.growth, 0);
}

// Every month the rules pass lists the students (Schools::step reads them) and those at 高级技师
// and 特级技师 (Appointments::step reads them): 4 bytes each, in a chunk's list (up to twice that
// as it grows) and in the joined list; Appointments lists the eligible among the latter, 16 bytes
// each (up to twice that as it grows). At 1:1 they are millions (national_2016: 3.9M
// students, 1.9M 高级技师): the estimate counts the students at once (in each route, those at
// the start and a route length's enrolees) and twice the agents at the start at the levels
// appointed from, and both bound what a run holds.
TEST(MemoryEstimate, CountsTheStudentsAndTheEligibleForAppointmentListedEveryMonth) {
  const std::vector<std::string> base = {"population.scale=20000", "scenario.months=120"};
  std::vector<std::string> no_quotas = base;
  no_quotas.emplace_back("skills.principal_technician_quota_per_year=0");
  no_quotas.emplace_back("skills.chief_technician_quota_per_year=0");
  const Scenario s = io::load_scenario(kNational, base);
  const Scenario schools_only = io::load_scenario(kNational, no_quotas);
  const MemoryEstimate e = estimate_memory(s, 1, 2);
  const MemoryEstimate students = estimate_memory(schools_only, 1, 2);
  ASSERT_GT(students.candidates, 0);
  const double at_once = static_cast<double>(students.candidates) / 12;                 // 12 bytes a student
  const double eligible = static_cast<double>(e.candidates - students.candidates) / 44; // 44 an eligible
  EXPECT_GT(eligible, 0) << "national_2016 appoints 特级技师 and 首席技师 by default";

  // The four routes are 36, 60, 36 and 72 months long, and their plans enrol 826,800, 190,800,
  // 190,800 and 63,600 a year. In each route at most the students at the start and a length's
  // enrolment are in school at once (in its month length - 1), with one carry per route.
  const auto at_start = static_cast<double>(initial_student_agents(s.parameters()));
  const double plans = (3 * 826'800 + 5 * 190'800 + 3 * 190'800 + 6 * 63'600) / 20'000.0;
  EXPECT_NEAR(at_once, at_start + plans + 4, 1.0 / 12) << "(the bytes are rounded up: at most one byte in 12)";

  // A run holds no more of either than counted.
  ReplicateState run(s, 1, 0);
  std::int64_t most_students = 0, most_eligible = 0;
  for (int m = 0; m < 120; ++m) {
    run.step();
    const Population& pop = run.population();
    std::int64_t in_school = 0, at_levels = 0;
    for (std::size_t i = 0; i < pop.size(); ++i) {
      in_school += pop.status[i] == static_cast<std::uint8_t>(Status::Student);
      at_levels += pop.level[i] == static_cast<std::uint8_t>(Level::SeniorTechnician) ||
                   pop.level[i] == static_cast<std::uint8_t>(Level::PrincipalTechnician);
    }
    most_students = std::max(most_students, in_school);
    most_eligible = std::max(most_eligible, at_levels);
  }
  EXPECT_GT(most_students, at_start) << "the plan enrols more than leave";
  EXPECT_LE(static_cast<double>(most_students), at_once);
  EXPECT_GT(most_eligible, 0);
  EXPECT_LE(static_cast<double>(most_eligible), eligible);

  // At 1:1 the estimate is at least what the ten-year run peaked at on 2 threads: 14,684,340 kB
  // resident at 14 bytes an agent (docs/architecture.md, "Memory"; 15,759,488 kB at 15; 16,802,584
  // kB at 16; 21,937,096 kB at 21, when the estimate was 40 MB short before the lists were counted).
  const Scenario full = io::load_scenario(kNational, {"population.scale=1", "scenario.months=120"});
  EXPECT_GE(estimate_memory(full, 1, 2).total(), std::int64_t{14'684'340} * 1024);
}

// Split over ranks, a run that writes checkpoints gathers every rank's agents on rank 0 to write
// one (gather_population): rank 0's estimate counts the whole population's columns, the merge's
// index and one gathered column twice, besides its own share; the other parts are unchanged, and
// one process (which writes its own columns) or a run without checkpoints counts nothing for it.
TEST(MemoryEstimate, CountsEveryRanksAgentsGatheredOnRankZeroAtACheckpoint) {
  const Scenario s = io::load_scenario(kNational, {"population.scale=100", "scenario.months=24"});
  const MemoryEstimate whole = estimate_memory(s, 1, 2);
  const MemoryEstimate share = estimate_memory(s, 1, 2, 4);
  const MemoryEstimate rank0 = estimate_memory(s, 1, 2, 4, true);
  EXPECT_EQ(whole.checkpoint, 0);
  EXPECT_EQ(estimate_memory(s, 1, 2, 1, true).checkpoint, 0) << "one process writes its own columns";
  EXPECT_EQ(share.checkpoint, 0) << "no checkpoints, nothing gathered";
  // Every agent of the run (one process's agents_peak) at 14 bytes, 8 for the index and twice
  // the widest column (4 bytes, the ids).
  EXPECT_EQ(rank0.checkpoint, whole.agents_peak * (14 + 8 + 2 * 4));
  EXPECT_GT(rank0.checkpoint, whole.population) << "more than the whole population's columns";
  EXPECT_EQ(rank0.total(), share.total() + rank0.checkpoint);
  EXPECT_EQ(rank0.agents_peak, share.agents_peak) << "its own share is unchanged";
  EXPECT_NE(describe_memory(rank0).find("every rank's agents gathered on rank 0 at a checkpoint"), std::string::npos)
      << describe_memory(rank0);
  EXPECT_EQ(describe_memory(share).find("gathered"), std::string::npos) << describe_memory(share);

  // Refused, the scale it proposes for rank 0 fits with the gathered agents counted.
  const Scenario full = io::load_scenario(kNational, {"population.scale=1", "scenario.months=120"});
  const MemoryEstimate big = estimate_memory(full, 1, 2, 4, true);
  const std::string text = memory_refusal(full, big, 4'000'000'000, "--no-memory-check");
  const auto at = text.find("population.scale=") + 17;
  const std::string scale = text.substr(at, text.find(')', at) - at);
  const Scenario smaller = io::load_scenario(kNational, {"population.scale=" + scale, "scenario.months=120"});
  EXPECT_LE(estimate_memory(smaller, 1, 2, 4, true).total(), 4'000'000'000) << scale;
}

// Only the columns in use are counted: employers add their column, a cap of 以工代训 months its
// counter.
TEST(MemoryEstimate, CountsOnlyTheColumnsInUse) {
  const std::vector<std::string> base = {"population.scale=100", "scenario.months=24"};
  std::vector<std::string> employers = base;
  for (const char* setting :
       {R"(employers.size_classes=["large", "small"])", R"(employers.labels=["大型企业", "中小企业"])",
        "employers.size_shares=[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]"})
    employers.emplace_back(setting);
  std::vector<std::string> capped = employers;
  for (const char* setting :
       {R"(funds.names=["account"])", R"(funds.labels=["专账"])", "funds.annual_envelope=[1e9]", "funds.carry_over=[0]",
        R"(work_based_training.fund="account")", "work_based_training.max_months_per_worker=6"})
    capped.emplace_back(setting);
  const MemoryEstimate none = estimate_memory(io::load_scenario(kNational, base), 1, 2);
  const MemoryEstimate one = estimate_memory(io::load_scenario(kNational, employers), 1, 2);
  const MemoryEstimate two = estimate_memory(io::load_scenario(kNational, capped), 1, 2);
  EXPECT_EQ(none.bytes_per_agent, 14);
  EXPECT_EQ(one.bytes_per_agent, 15);
  EXPECT_EQ(two.bytes_per_agent, 16);
  EXPECT_EQ(one.population - none.population, none.agents_peak);
  EXPECT_EQ(two.population - one.population, none.agents_peak);
  EXPECT_NE(describe_memory(two).find("at 16 bytes each"), std::string::npos) << describe_memory(two);
}

TEST(MemoryEstimate, RefusalSaysNeededAvailableAndTheScaleThatFits) {
  const Scenario s = io::load_scenario(kNational, {"population.scale=1", "scenario.months=120"});
  const MemoryEstimate e = estimate_memory(s, 1, 2);
  EXPECT_GT(e.total(), 15'000'000'000) << describe_memory(e);
  const std::string text = memory_refusal(s, e, 4'000'000'000, "--no-memory-check");
  for (const char* part : {"the run needs about", "4.0 GB is available", "Raise population.scale to at least",
                           "--set population.scale=", "--no-memory-check"})
    EXPECT_NE(text.find(part), std::string::npos) << part << " in: " << text;
  // The scale it proposes fits the memory it was given.
  const auto at = text.find("population.scale=") + 17;
  const std::string scale = text.substr(at, text.find(')', at) - at);
  const Scenario smaller = io::load_scenario(kNational, {"population.scale=" + scale, "scenario.months=120"});
  EXPECT_LE(estimate_memory(smaller, 1, 2).total(), 4'000'000'000) << scale;
}

} // namespace
} // namespace skillsim
