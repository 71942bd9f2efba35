#include "skillsim/core/population.hpp"

#include <omp.h>

#include <limits>
#include <string>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/parallel.hpp"

namespace skillsim {

namespace {

// The narrow columns' guard: a value that does not fit is refused, never wrapped (scenario
// validation refuses such scenarios first; this catches what it cannot foresee).
[[gnu::cold, noreturn]] void refuse(const Agent& a) {
  if (a.id >= kAgentIdLimit)
    throw Error("agent id " + std::to_string(a.id) + " does not fit the 32-bit id column (at most " +
                std::to_string(kAgentIdLimit - 1) +
                "): the replicate has given more ids than that (agents and entrants); raise population.scale");
  if (a.region > kMaxRegions)
    throw Error("region index " + std::to_string(a.region) + " does not fit the one-byte region column (at most " +
                std::to_string(kMaxRegions) + " regions in population.regions)");
  if (a.ui_months > kMaxInsuranceMonths)
    throw Error("insurance months " + std::to_string(a.ui_months) +
                " do not fit the one-byte ui_months column (at most " + std::to_string(kMaxInsuranceMonths) + ")");
  throw Error("birth month " + std::to_string(a.birth_month) +
              " (months since year 0) does not fit the 16-bit birth_month column; the run's start must be within " +
              std::to_string(kMinStartYear) + " to " + std::to_string(kMaxStartYear));
}

} // namespace

std::string_view column_name(Column c) {
  static constexpr std::string_view kNames[] = {
#define SKILLSIM_COLUMN_NAME(column_type, agent_type, name, default_value, use) #name,
      SKILLSIM_AGENT_COLUMNS(SKILLSIM_COLUMN_NAME)
#undef SKILLSIM_COLUMN_NAME
  };
  return kNames[static_cast<std::size_t>(c)];
}

void Population::reserve(std::size_t n) {
  for_each_column([n](auto& column) { column.reserve(n); });
}

void Population::push_back(const Agent& a) {
  if (a.id >= kAgentIdLimit || a.region > kMaxRegions || a.ui_months > kMaxInsuranceMonths ||
      a.birth_month < std::numeric_limits<std::int16_t>::min() ||
      a.birth_month > std::numeric_limits<std::int16_t>::max()) [[unlikely]]
    refuse(a);
    // An optional column not stored is skipped: a test per column and agent added, not in a hot loop.
#define SKILLSIM_PUSH(column_type, agent_type, name, default_value, use)                                               \
  if (ColumnUse::use == ColumnUse::always || optional_.has(Column::name))                                              \
    name.push_back(static_cast<column_type>(a.name));
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_PUSH)
#undef SKILLSIM_PUSH
}

Agent Population::get(std::size_t i) const {
  Agent a;
#define SKILLSIM_GET(column_type, agent_type, name, default_value, use)                                                \
  if (ColumnUse::use == ColumnUse::always || optional_.has(Column::name)) a.name = static_cast<agent_type>(name[i]);
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_GET)
#undef SKILLSIM_GET
  return a;
}

void Population::compact() {
  // In place, keyed on the status column, which is compacted last (no flag per agent).
  constexpr auto removed = static_cast<std::uint8_t>(Status::Removed);
  const std::uint8_t* const state = status.data();
  const auto keep = [state](std::size_t i) { return state[i] != removed; };
  const OrderedCompaction compaction(size(), static_cast<std::size_t>(omp_get_max_threads()), keep);
  const auto squeeze = [&](auto& column) {
    compaction.apply(column.data(), keep);
    column.resize(compaction.kept());
  };
  for_each_column([&](auto& column) {
    if (static_cast<const void*>(&column) != static_cast<const void*>(&status)) squeeze(column);
  });
  squeeze(status);
}

} // namespace skillsim
