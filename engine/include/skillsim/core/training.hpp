// Training programmes, their seats and the money that pays for them, month by month (see
// docs/levers.md). Each month:
//   1. trainees who died or retired leave their programme (their commitments are released);
//   2. trainees whose programme ends complete it or drop out, and completers earn the
//      certificate with the programme's pass probability (moving up to its level); money
//      committed for them is paid (certificates) or released;
//   3. eligible workers apply (to at most one programme), the applicants are allocated to seats
//      and money at once (allocation.hpp), the admitted are chosen within each demand cell by an
//      agent-keyed random priority, and their subsidy is committed (and paid, if due at enrolment).
#pragma once

#include <cstdint>
#include <vector>

#include "skillsim/core/ledger.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"

namespace skillsim {

struct MonthTally;

/// What the training system did in one month, in agents (money in yuan).
struct TrainingTally {
  std::vector<std::int64_t> applications, enrolments, no_seat, no_money; // per programme
  std::vector<std::int64_t> completions, dropouts, certificates;         // per programme
  std::vector<std::int64_t> paid;                                        // fund x programme, yuan paid this month
  std::vector<std::int64_t> remaining;                                   // per fund, yuan at the end of the month
  std::vector<std::int64_t> committed;                                   // per fund, yuan at the end of the month
  std::vector<std::int64_t> seats_binding; // programme x region: 1 if every seat was taken
  std::vector<std::int64_t> money_binding; // per programme: 1 if money turned anybody away

  void reset(std::size_t programmes, std::size_t funds, std::size_t regions);
};

class TrainingSystem {
public:
  /// @param p the parameters at the start; fixes the catalogue of programmes and funds.
  explicit TrainingSystem(const Parameters& p);

  /// Runs one month (see the file comment); level changes are added to `flows`.
  void step(const Parameters& p, Month month, Population& population, const RandomStreams& rng, MonthTally& flows);

  const TrainingTally& tally() const { return tally_; }
  const Ledger& ledger() const { return ledger_; }

private:
  std::int64_t amount(const Parameters& p, std::size_t programme, std::size_t fund) const;
  void settle(std::size_t fund_count, std::size_t programme, bool pay, const Parameters& p);

  std::int64_t scale_;
  Ledger ledger_;
  int budget_year_ = -1;
  std::vector<double> seats_due_; // programme x region: fractional agents carried
  TrainingTally tally_;
};

} // namespace skillsim
