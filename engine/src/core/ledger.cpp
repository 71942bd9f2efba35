#include "skillsim/core/ledger.hpp"

#include "skillsim/core/errors.hpp"

namespace skillsim {

Ledger::Ledger(std::vector<FundAccount> funds) : funds_(std::move(funds)) {
  for (const auto& f : funds_)
    if (f.annual_envelope < 0) throw Error("fund '" + f.name + "' has a negative annual envelope");
}

void Ledger::set_envelope(std::size_t f, std::int64_t amount) {
  FundAccount& fund = funds_.at(f);
  if (amount < 0) throw Error("fund '" + fund.name + "' has a negative annual envelope");
  fund.annual_envelope = amount;
}

void Ledger::start_year() {
  for (auto& f : funds_) {
    if (!f.carry_over) {
      f.lapsed += f.remaining;
      f.remaining = 0;
    }
    f.granted += f.annual_envelope;
    f.remaining += f.annual_envelope;
  }
}

bool Ledger::commit(std::size_t f, std::int64_t amount) {
  FundAccount& fund = funds_.at(f);
  if (amount < 0) throw Error("fund '" + fund.name + "': cannot commit a negative amount");
  if (amount > fund.remaining) return false;
  fund.remaining -= amount;
  fund.committed += amount;
  return true;
}

void Ledger::pay(std::size_t f, std::int64_t amount, std::int64_t leaked) {
  FundAccount& fund = funds_.at(f);
  if (amount < 0 || leaked < 0 || leaked > amount)
    throw Error("fund '" + fund.name + "': invalid payment of " + std::to_string(amount) + " (leaked " +
                std::to_string(leaked) + ")");
  if (amount > fund.committed)
    throw Error("fund '" + fund.name + "': paying " + std::to_string(amount) + " yuan but only " +
                std::to_string(fund.committed) + " are committed");
  fund.committed -= amount;
  fund.paid += amount;
  fund.leaked += leaked;
}

void Ledger::release(std::size_t f, std::int64_t amount) {
  FundAccount& fund = funds_.at(f);
  if (amount < 0 || amount > fund.committed)
    throw Error("fund '" + fund.name + "': releasing " + std::to_string(amount) + " yuan but " +
                std::to_string(fund.committed) + " are committed");
  fund.committed -= amount;
  fund.remaining += amount;
}

bool Ledger::balanced() const {
  for (const auto& f : funds_) {
    if (f.paid < 0 || f.committed < 0 || f.remaining < 0 || f.lapsed < 0 || f.leaked < 0 || f.leaked > f.paid)
      return false;
    if (f.granted != f.paid + f.committed + f.remaining + f.lapsed) return false;
  }
  return true;
}

} // namespace skillsim
