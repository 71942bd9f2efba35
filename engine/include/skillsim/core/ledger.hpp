// The money ledger: fund sources (the 2019-2021 dedicated account from the unemployment-insurance
// surplus, employment-subsidy funds, enterprise staff-education funds, workers' own fees, ...)
// with yearly envelopes. Money is committed when a trainee enrols (the programme's full expected
// cost), paid when due (at enrolment, monthly, or on certification), and released when a
// commitment will not be paid (dropout, no certificate). Amounts are whole yuan (int64), so the
// identity below holds exactly:
//
//   granted = paid + committed + remaining + lapsed      for every fund, at every moment
//
// where `granted` is every envelope received so far and `lapsed` the money left uncommitted at
// the end of a year by a fund that does not carry it over.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace skillsim {

struct FundAccount {
  std::string name;
  std::int64_t annual_envelope = 0; ///< yuan granted at the start of each year
  bool carry_over = true;           ///< does uncommitted money pass to the next year?
  std::int64_t granted = 0, paid = 0, committed = 0, remaining = 0, lapsed = 0;
  std::int64_t leaked = 0; ///< part of `paid` that bought no training (fraud, fake attendance)
  bool operator==(const FundAccount&) const = default;
};

class Ledger {
public:
  Ledger() = default; // no funds
  explicit Ledger(std::vector<FundAccount> funds);

  /// Sets the envelope granted at the next start_year (budgets can change by schedule).
  void set_envelope(std::size_t f, std::int64_t amount);

  /// A new budget year: lapses uncommitted money of funds without carry-over, then grants each
  /// fund its envelope.
  void start_year();

  /// Reserves `amount` of fund f. Returns false (and changes nothing) if the remaining money is
  /// short: the caller turns the applicant away for lack of money.
  bool commit(std::size_t f, std::int64_t amount);
  /// Pays `amount` of what was committed; `leaked` of it bought no training.
  /// @throws Error if more is paid than is committed
  void pay(std::size_t f, std::int64_t amount, std::int64_t leaked = 0);
  /// Returns committed money that will not be paid to the remaining money.
  /// @throws Error if more is released than is committed
  void release(std::size_t f, std::int64_t amount);

  const FundAccount& fund(std::size_t f) const { return funds_.at(f); }
  std::size_t size() const { return funds_.size(); }
  /// True if the identity granted = paid + committed + remaining + lapsed holds and no amount
  /// is negative, for every fund.
  bool balanced() const;

  bool operator==(const Ledger&) const = default;

private:
  std::vector<FundAccount> funds_;
};

} // namespace skillsim
