#include "skillsim/core/entrants.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace skillsim {

std::vector<double> Entrants::pick_probabilities(const std::vector<double>& shares) {
  std::vector<double> out(shares.size(), 0.0);
  double below = 0, cumulative = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    cumulative += shares[i];
    const double upto = std::min(cumulative, 1.0);
    out[i] = std::max(0.0, upto - below);
    below = std::max(below, upto);
  }
  for (std::size_t i = shares.size(); i-- > 0;)
    if (shares[i] > 0) {
      out[i] += 1.0 - below;
      break;
    }
  return out;
}

std::vector<std::pair<std::int32_t, double>> Entrants::age_months_distribution(const EntrySection& e) {
  return age_months_distribution(e.entry_age_min, e.entry_age_max);
}

std::vector<std::pair<std::int32_t, double>> Entrants::age_months_distribution(double min_years, double max_years) {
  const double low = min_years * 12, high = max_years * 12;
  if (!(high > low)) return {{static_cast<std::int32_t>(low), 1.0}};
  std::vector<std::pair<std::int32_t, double>> out;
  for (auto k = static_cast<std::int32_t>(std::floor(low)); k < high; ++k) {
    const double overlap = std::min<double>(k + 1, high) - std::max<double>(k, low);
    if (overlap > 0) out.emplace_back(k, overlap / (high - low));
  }
  return out;
}

double Entrants::due(const Parameters& p, Month month, std::size_t kind) {
  const auto& e = p.entry;
  const double per_year = kind == 0 ? e.school_leavers_per_year : e.technical_school_graduates_per_year;
  return per_year * e.month_shares[static_cast<std::size_t>(month.month() - 1)] /
         static_cast<double>(p.population.scale);
}

void Entrants::step(const Parameters& p, Month month, Population& population, const RandomStreams& rng,
                    std::uint64_t& next_id, MonthTally& flows, const RankGroup* ranks) {
  const auto& e = p.entry;
  for (std::size_t kind = 0; kind < kKinds; ++kind) {
    const std::int64_t count = state_.due[kind].take(due(p, month, kind));
    const bool graduate = kind == 1;
    for (std::int64_t k = 0; k < count; ++k) {
      Agent a;
      a.id = next_id++;
      if (!holds_new(ranks, a.id)) continue; // another rank's
      const DrawBlock d = rng.block(streams::kEntry, month.index, a.id);
      const double age_years = e.entry_age_min + d.uniform(streams::kEntryAge) * (e.entry_age_max - e.entry_age_min);
      a.birth_month = birth_month(month, age_years);
      a.sex = d.uniform(streams::kEntrySex) < e.male_share ? 0 : 1;
      a.group = graduate
                    ? Group::TechnicalStudent
                    : static_cast<Group>(pick_by_share(e.school_leaver_group_shares, d.uniform(streams::kEntryGroup)));
      a.level =
          graduate
              ? static_cast<Level>(pick_by_share(e.technical_school_diploma_shares, d.uniform(streams::kEntryDiploma)))
              : Level::None;
      a.status = d.uniform(streams::kEntryEmployed) < e.employed_share ? Status::Employed : Status::Unemployed;
      a.region =
          static_cast<std::uint16_t>(pick_by_share(p.population.region_shares, d.uniform(streams::kEntryRegion)));
      a.sector = static_cast<std::uint8_t>(pick_by_share(p.population.sector_shares, d.uniform(streams::kEntrySector)));
      population.push_back(a);
      flows.record_entry(static_cast<int>(a.level), static_cast<int>(a.group), static_cast<int>(a.region));
    }
  }
}

} // namespace skillsim
