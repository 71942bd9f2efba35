#include "skillsim/core/entrants.hpp"

#include <vector>

namespace skillsim {

namespace {

// The index whose share interval holds u (shares sum to 1).
std::size_t pick(const std::vector<double>& shares, double u) {
  double cumulative = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    cumulative += shares[i];
    if (u < cumulative) return i;
  }
  // Rounding left u above the last cumulative share: take the last index with a positive share.
  for (std::size_t i = shares.size(); i-- > 0;)
    if (shares[i] > 0) return i;
  return 0;
}

} // namespace

void Entrants::step(const Parameters& p, Month month, Population& population, const RandomStreams& rng,
                    std::uint64_t& next_id, MonthTally& flows) {
  const auto& e = p.entry;
  const double month_share = e.month_shares[static_cast<std::size_t>(month.month() - 1)];
  const double per_year[2] = {e.school_leavers_per_year, e.technical_school_graduates_per_year};
  for (std::size_t kind = 0; kind < 2; ++kind) {
    const std::int64_t count =
        state_.due[kind].take(per_year[kind] * month_share / static_cast<double>(p.population.scale));
    const bool graduate = kind == 1;
    for (std::int64_t k = 0; k < count; ++k) {
      Agent a;
      a.id = next_id++;
      const DrawBlock d = rng.block(streams::kEntry, month.index, a.id);
      const double age_years = e.entry_age_min + d.uniform(streams::kEntryAge) * (e.entry_age_max - e.entry_age_min);
      a.birth_month = month.index - static_cast<std::int32_t>(age_years * 12);
      a.sex = d.uniform(streams::kEntrySex) < e.male_share ? 0 : 1;
      a.group = graduate ? Group::TechnicalStudent
                         : static_cast<Group>(pick(e.school_leaver_group_shares, d.uniform(streams::kEntryGroup)));
      a.level = graduate
                    ? static_cast<Level>(pick(e.technical_school_diploma_shares, d.uniform(streams::kEntryDiploma)))
                    : Level::None;
      a.status = d.uniform(streams::kEntryEmployed) < e.employed_share ? Status::Employed : Status::Unemployed;
      a.region = static_cast<std::uint16_t>(pick(p.population.region_shares, d.uniform(streams::kEntryRegion)));
      a.sector = static_cast<std::uint8_t>(pick(p.population.sector_shares, d.uniform(streams::kEntrySector)));
      population.push_back(a);
      flows.record_entry(static_cast<int>(a.level), static_cast<int>(a.group));
    }
  }
}

} // namespace skillsim
