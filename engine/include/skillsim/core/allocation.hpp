// Monthly allocation of training places: applicants, grouped into demand cells (programme,
// region, group), are matched to seats (per programme and region) and to the trainees the money
// allows (per programme) at once, as a minimum-cost maximum flow:
//
//   source --(applicants, priority cost)--> cell --> seats(programme, region)
//          --(seats)--> money(programme) --(affordable trainees)--> sink
//
// with an arc from a cell also to the seats of each substitute programme its applicants accept
// (cost kSubstituteCost: their own programme first). The maximum number of applicants is
// admitted; among the allocations that do so, the one that prefers cells with lower priority
// cost (e.g. poverty-registered workers first) and places in the programme applied to. Each
// turned-away applicant gets the reason that bound the programme applied to: no seat, or no
// money.
//
// Apprenticeship places offered by employers (employers.apprentice_places_per_1000) are pools of
// places, one per employer cell, shared by every apprenticeship: a demand cell that needs places
// (its applicants all from one employer cell) is fed from its pool rather than from the source,
//
//   source --(free places)--> pool --(applicants, priority cost)--> cell --> ...
//
// so the applicants admitted from a pool, to any programme, never exceed its places. Its
// turned-away applicants are refused for want of a place when the pool is full.
#pragma once

#include <cstdint>
#include <vector>

namespace skillsim {

struct DemandCell {
  int programme = 0;
  int region = 0;
  int group = 0;
  std::int64_t applicants = 0;
  std::int64_t priority_cost = 0; ///< lower is served first when capacity binds; >= 0
  std::vector<int> substitutes;   ///< other programmes these applicants accept (and qualify for)
  int place = -1;                 ///< the pool of places its applicants need (AllocationProblem::places); -1: none
};

/// Cost of placing an applicant in a substitute programme rather than the one applied to, on top
/// of the spread of the cells' priority costs (allocate): so a substitute never takes a seat from
/// an applicant of its own, whatever their groups' priorities.
inline constexpr std::int64_t kSubstituteCost = 1;

struct AllocationProblem {
  int programmes = 0;
  int regions = 0;
  std::vector<DemandCell> cells;
  std::vector<std::int64_t> seats;      ///< programme x region, row-major
  std::vector<std::int64_t> affordable; ///< per programme: trainees the remaining money pays for
  std::vector<std::int64_t> places;     ///< per pool: free places (empty: no cell needs places)
};

struct CellOutcome {
  std::int64_t admitted = 0;             ///< in all, own programme first
  std::vector<std::int64_t> admitted_to; ///< of them, in each substitute (the cell's order)
  std::int64_t turned_away_no_seat = 0;
  std::int64_t turned_away_no_money = 0;
  std::int64_t turned_away_no_place = 0; ///< its pool of places was full
};

struct Allocation {
  std::vector<CellOutcome> cells;  ///< per demand cell, in the problem's order
  std::vector<bool> seats_binding; ///< programme x region: all seats taken
  std::vector<bool> money_binding; ///< per programme: all affordable places taken
  std::int64_t admitted = 0;
};

/// Solves the allocation. Deterministic: the same problem always gives the same allocation.
/// @throws Error if the problem's sizes are inconsistent or a count or cost is negative
Allocation allocate(const AllocationProblem& problem);

} // namespace skillsim
