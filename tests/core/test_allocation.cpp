// The flow network and the allocation of applicants to seats and money: hand-computed optima,
// binding reasons, and capacities never exceeded on randomised problems.
#include <gtest/gtest.h>

#include <random>

#include "skillsim/core/allocation.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/flow_network.hpp"

using namespace skillsim;

TEST(FlowNetwork, FindsTheMaximumFlowOfLeastCost) {
  // s->a (3, cost 1), s->b (2, cost 4), a->b (2, cost 1), a->t (2, cost 5), b->t (3, cost 1).
  // The cuts around s and t both carry 5, so the maximum flow is 5 and saturates a->t and b->t;
  // then s->a = 3, a->b = 1, s->b = 2: cost 3 + 8 + 1 + 10 + 3 = 25.
  FlowNetwork net;
  const int s = net.add_node("s"), a = net.add_node("a"), b = net.add_node("b"), t = net.add_node("t");
  const int sa = net.add_arc(s, a, 3, 1), sb = net.add_arc(s, b, 2, 4), ab = net.add_arc(a, b, 2, 1);
  const int at = net.add_arc(a, t, 2, 5), bt = net.add_arc(b, t, 3, 1);
  net.solve(s, t);
  EXPECT_EQ(net.total_flow(), 5);
  EXPECT_EQ(net.total_cost(), 25);
  EXPECT_EQ(net.flow(sa), 3);
  EXPECT_EQ(net.flow(sb), 2);
  EXPECT_EQ(net.flow(ab), 1);
  EXPECT_EQ(net.flow(at), 2);
  EXPECT_EQ(net.flow(bt), 3);
}

TEST(FlowNetwork, PrefersTheCheaperOfTwoRoutesWhenCapacityBinds) {
  // Two sources of demand compete for one arc of capacity 4: the cheaper one gets it all.
  FlowNetwork net;
  const int s = net.add_node("s"), x = net.add_node("x"), y = net.add_node("y"), m = net.add_node("m"),
            t = net.add_node("t");
  const int sx = net.add_arc(s, x, 3, 7), sy = net.add_arc(s, y, 3, 2);
  net.add_arc(x, m, FlowNetwork::kUnlimited);
  net.add_arc(y, m, FlowNetwork::kUnlimited);
  const int mt = net.add_arc(m, t, 4);
  net.solve(s, t);
  EXPECT_EQ(net.flow(sy), 3);
  EXPECT_EQ(net.flow(sx), 1);
  EXPECT_TRUE(net.saturated(mt));
  EXPECT_EQ(net.total_cost(), 3 * 2 + 1 * 7);
}

TEST(FlowNetwork, RejectsNegativeCapacitiesAndCostsByName) {
  FlowNetwork net;
  const int a = net.add_node("fund A"), b = net.add_node("programme B");
  try {
    net.add_arc(a, b, -1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "flow network: arc fund A -> programme B has negative capacity -1");
  }
  EXPECT_THROW(net.add_arc(a, b, 1, -2), Error);
  EXPECT_THROW(net.add_arc(a, 7, 1), Error);
}

TEST(Allocation, HandComputedCaseWithPriorityAndBindingSeatsAndMoney) {
  // Programme 0: seats 10 in region 0 and 5 in region 1, money for 12 trainees.
  // Programme 1: 8 seats in region 0, money for 100.
  AllocationProblem problem;
  problem.programmes = 2;
  problem.regions = 2;
  problem.seats = {10, 5, 8, 0};
  problem.affordable = {12, 100};
  problem.cells = {
      {0, 0, /*poverty*/ 7, 6, 0, {}}, // served first
      {0, 0, /*urban*/ 0, 9, 10, {}},  // gets what the money leaves
      {0, 1, /*poverty*/ 7, 4, 0, {}}, // served first
      {1, 0, /*urban*/ 0, 20, 5, {}},  // more applicants than seats
  };
  const Allocation a = allocate(problem);
  // Programme 0 can take min(12 money, min(15, 10) + min(5, 4) seats) = 12: the 10 poverty-registered
  // applicants first, then 2 of the 9 others; the money binds, not the seats.
  EXPECT_EQ(a.cells[0].admitted, 6);
  EXPECT_EQ(a.cells[2].admitted, 4);
  EXPECT_EQ(a.cells[1].admitted, 2);
  EXPECT_EQ(a.cells[1].turned_away_no_money, 7);
  EXPECT_EQ(a.cells[1].turned_away_no_seat, 0);
  EXPECT_TRUE(a.money_binding[0]);
  EXPECT_FALSE(a.seats_binding[0 * 2 + 0]);
  EXPECT_FALSE(a.seats_binding[0 * 2 + 1]);
  // Programme 1: 8 seats for 20 applicants.
  EXPECT_EQ(a.cells[3].admitted, 8);
  EXPECT_EQ(a.cells[3].turned_away_no_seat, 12);
  EXPECT_TRUE(a.seats_binding[1 * 2 + 0]);
  EXPECT_FALSE(a.money_binding[1]);
  EXPECT_EQ(a.admitted, 20);
}

TEST(Allocation, CapacitiesAreNeverExceededAndEveryApplicantIsAccountedFor) {
  std::mt19937_64 gen(12345); // fixed seed: a reproducible set of random problems
  for (int trial = 0; trial < 200; ++trial) {
    AllocationProblem problem;
    problem.programmes = 1 + static_cast<int>(gen() % 4);
    problem.regions = 1 + static_cast<int>(gen() % 3);
    const auto n = static_cast<std::size_t>(problem.programmes * problem.regions);
    for (std::size_t k = 0; k < n; ++k) problem.seats.push_back(static_cast<std::int64_t>(gen() % 50));
    for (int p = 0; p < problem.programmes; ++p) problem.affordable.push_back(static_cast<std::int64_t>(gen() % 80));
    const int cells = 1 + static_cast<int>(gen() % 12);
    for (int c = 0; c < cells; ++c) {
      const int programme = static_cast<int>(gen() % static_cast<unsigned>(problem.programmes));
      std::vector<int> substitutes; // each other programme with probability 1/3
      for (int q = 0; q < problem.programmes; ++q)
        if (q != programme && gen() % 3 == 0) substitutes.push_back(q);
      problem.cells.push_back({programme, static_cast<int>(gen() % static_cast<unsigned>(problem.regions)), c % 8,
                               static_cast<std::int64_t>(gen() % 40), static_cast<std::int64_t>(gen() % 3),
                               substitutes});
    }
    const Allocation a = allocate(problem);
    std::vector<std::int64_t> seats_used(n, 0), money_used(static_cast<std::size_t>(problem.programmes), 0);
    for (std::size_t c = 0; c < problem.cells.size(); ++c) {
      const auto& cell = problem.cells[c];
      const auto& o = a.cells[c];
      ASSERT_EQ(o.admitted + o.turned_away_no_seat + o.turned_away_no_money, cell.applicants);
      ASSERT_GE(o.admitted, 0);
      ASSERT_EQ(o.admitted_to.size(), cell.substitutes.size());
      std::int64_t own = o.admitted;
      for (std::size_t j = 0; j < cell.substitutes.size(); ++j) {
        ASSERT_GE(o.admitted_to[j], 0);
        own -= o.admitted_to[j];
        seats_used[static_cast<std::size_t>(cell.substitutes[j] * problem.regions + cell.region)] += o.admitted_to[j];
        money_used[static_cast<std::size_t>(cell.substitutes[j])] += o.admitted_to[j];
      }
      ASSERT_GE(own, 0);
      seats_used[static_cast<std::size_t>(cell.programme * problem.regions + cell.region)] += own;
      money_used[static_cast<std::size_t>(cell.programme)] += own;
    }
    for (std::size_t k = 0; k < n; ++k) {
      ASSERT_LE(seats_used[k], problem.seats[k]);
      ASSERT_EQ(a.seats_binding[k], seats_used[k] == problem.seats[k]);
    }
    for (std::size_t p = 0; p < money_used.size(); ++p) ASSERT_LE(money_used[p], problem.affordable[p]);
    // Maximum flow: an applicant is turned away only where a bound is reached.
    for (std::size_t c = 0; c < problem.cells.size(); ++c) {
      const auto& cell = problem.cells[c];
      const auto k = static_cast<std::size_t>(cell.programme * problem.regions + cell.region);
      if (a.cells[c].turned_away_no_seat > 0) {
        ASSERT_TRUE(a.seats_binding[k]);
      }
      if (a.cells[c].turned_away_no_money > 0) {
        ASSERT_TRUE(a.money_binding[static_cast<std::size_t>(cell.programme)]);
      }
    }
    // The same problem gives the same allocation.
    const Allocation again = allocate(problem);
    for (std::size_t c = 0; c < problem.cells.size(); ++c) ASSERT_EQ(again.cells[c].admitted, a.cells[c].admitted);
  }
}

TEST(Allocation, InconsistentSizesAreErrors) {
  AllocationProblem problem;
  problem.programmes = 2;
  problem.regions = 1;
  problem.seats = {1};
  problem.affordable = {1, 1};
  EXPECT_THROW(allocate(problem), Error);
}

TEST(Allocation, SubstitutesTakeWhoTheirOwnProgrammeCannotAndOnlyThen) {
  // Programme 0 has 2 seats for 5 applicants who also accept programme 1 (6 seats); 3
  // applicants of programme 1 itself. The flow admits all 8: programme 1's own applicants and
  // the 2 that programme 0 seats stay where they applied; 3 go to programme 1 as substitutes.
  AllocationProblem problem;
  problem.programmes = 2;
  problem.regions = 1;
  problem.seats = {2, 6};
  problem.affordable = {100, 100};
  problem.cells = {{0, 0, 0, 5, 0, {1}}, {1, 0, 0, 3, 0, {}}};
  Allocation a = allocate(problem);
  EXPECT_EQ(a.cells[0].admitted, 5);
  EXPECT_EQ(a.cells[0].admitted_to, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(a.cells[1].admitted, 3);
  EXPECT_EQ(a.admitted, 8);
  // With room in programme 0 nobody is sent to the substitute.
  problem.seats = {10, 6};
  a = allocate(problem);
  EXPECT_EQ(a.cells[0].admitted_to, (std::vector<std::int64_t>{0}));
  // Substitution never takes a place from an applicant of the substitute programme: with 4
  // seats in programme 1, its own 3 applicants keep theirs and 1 substitute is placed.
  problem.seats = {2, 4};
  a = allocate(problem);
  EXPECT_EQ(a.cells[1].admitted, 3);
  EXPECT_EQ(a.cells[0].admitted, 3);
  EXPECT_EQ(a.cells[0].admitted_to, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(a.cells[0].turned_away_no_seat, 2);
  // Nor where the substitutes' group goes first (priority cost 0 against 5): a priority serves a
  // cell first among the applicants to the same seats, not before the programme's own.
  problem.cells[1].priority_cost = 5;
  a = allocate(problem);
  EXPECT_EQ(a.cells[1].admitted, 3);
  EXPECT_EQ(a.cells[0].admitted_to, (std::vector<std::int64_t>{1}));
  // Among the substitutes, the priority still decides: two cells of programme 0's applicants
  // (which has no seat), priority 5 and 0, for the one seat programme 1's own leave.
  problem.cells = {{0, 0, 0, 2, 5, {1}}, {0, 0, 1, 2, 0, {1}}, {1, 0, 0, 3, 5, {}}};
  problem.seats = {0, 4};
  a = allocate(problem);
  EXPECT_EQ(a.cells[2].admitted, 3);
  EXPECT_EQ(a.cells[1].admitted_to, (std::vector<std::int64_t>{1})) << "the higher priority takes the seat left";
  EXPECT_EQ(a.cells[0].admitted_to, (std::vector<std::int64_t>{0}));
}

// Apprenticeship places (employers.apprentice_places_per_1000): pool 0 has 3 free places shared by
// two demand cells of two programmes (priority 0 and 1), pool 1 has 10; seats are ample in
// programme 0 (10) and tight in programme 1 (2). Pool 0's cells get 3 in all, the higher priority
// first (cell 0: 3 of 4; cell 1: none of its 2, refused for want of a place); pool 1's cell of
// programme 1 gets the 2 seats (refused for want of a seat: its pool has room); a cell that needs
// no place (programme 0, no pool) takes 5 of the seats.
TEST(Allocation, PoolsOfPlacesBindAcrossProgrammes) {
  AllocationProblem p;
  p.programmes = 2;
  p.regions = 1;
  p.seats = {10, 2};
  p.affordable = {100, 100};
  p.places = {3, 10};
  p.cells = {{0, 0, 0, 4, 0, {}, 0}, {1, 0, 1, 2, 1, {}, 0}, {1, 0, 2, 5, 0, {}, 1}, {0, 0, 3, 5, 0, {}, -1}};
  const Allocation a = allocate(p);
  EXPECT_EQ(a.cells[0].admitted, 3);
  EXPECT_EQ(a.cells[0].turned_away_no_place, 1);
  EXPECT_EQ(a.cells[1].admitted, 0);
  EXPECT_EQ(a.cells[1].turned_away_no_place, 2);
  EXPECT_EQ(a.cells[2].admitted, 2);
  EXPECT_EQ(a.cells[2].turned_away_no_seat, 3);
  EXPECT_EQ(a.cells[2].turned_away_no_place, 0);
  EXPECT_EQ(a.cells[3].admitted, 5);
  EXPECT_EQ(a.cells[3].turned_away_no_place, 0);
  EXPECT_EQ(a.admitted, 10);
  p.cells[0].place = 2;
  EXPECT_THROW(allocate(p), Error) << "an unknown pool";
}
