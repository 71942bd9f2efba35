#include "skillsim/core/tallies.hpp"

#include <omp.h>

#include <algorithm>
#include <iterator>

#include "skillsim/core/results_layout.hpp"

namespace skillsim {

std::int64_t StockTally::total() const {
  std::int64_t sum = 0;
  for (const auto& row : workers)
    for (std::int64_t v : row) sum += v;
  return sum;
}

MonthTally& MonthTally::operator+=(const MonthTally& o) {
  for (int l = 0; l < kLevelCount; ++l) {
    entries[l] += o.entries[l];
    exits[l] += o.exits[l];
    promotions[l] += o.promotions[l];
    promotions_out[l] += o.promotions_out[l];
    assessments[l] += o.assessments[l];
  }
  for (int g = 0; g < kGroupCount; ++g) {
    entries_by_group[g] += o.entries_by_group[g];
    exits_by_group[g] += o.exits_by_group[g];
    for (int to = 0; to < kGroupCount; ++to) group_changes[g][to] += o.group_changes[g][to];
  }
  const auto add = [](std::vector<std::int64_t>& to, const std::vector<std::int64_t>& from) {
    for (std::size_t k = from.size(); k-- > 0;) count_at(to, k, from[k]);
  };
  add(entries_by_region, o.entries_by_region);
  add(exits_by_region, o.exits_by_region);
  add(migrations, o.migrations);
  retirements += o.retirements;
  newly_skilled += o.newly_skilled;
  job_finds += o.job_finds;
  job_losses += o.job_losses;
  return *this;
}

namespace {

// Sums a tally's integers over the ranks: `visit(f)` calls f(pointer, count) for each of its arrays.
template <class Visit>
void sum_fields(const RankGroup& ranks, Visit visit) {
  std::vector<std::int64_t> flat;
  visit([&](std::int64_t* v, std::size_t n) { flat.insert(flat.end(), v, v + n); });
  ranks.sum(flat);
  std::size_t at = 0;
  visit([&](std::int64_t* v, std::size_t n) {
    std::copy_n(flat.begin() + static_cast<std::ptrdiff_t>(at), n, v);
    at += n;
  });
}

} // namespace

void sum_over_ranks(const RankGroup& ranks, MonthTally& f, std::size_t regions) {
  f.entries_by_region.resize(std::max(f.entries_by_region.size(), regions), 0);
  f.exits_by_region.resize(std::max(f.exits_by_region.size(), regions), 0);
  f.migrations.resize(std::max(f.migrations.size(), regions * regions), 0);
  sum_fields(ranks, [&](auto&& add) {
    add(f.entries, kLevelCount);
    add(f.exits, kLevelCount);
    add(f.promotions, kLevelCount);
    add(f.promotions_out, kLevelCount);
    add(f.assessments, kLevelCount);
    add(&f.retirements, 1);
    add(&f.job_finds, 1);
    add(&f.job_losses, 1);
    add(&f.newly_skilled, 1);
    add(f.entries_by_group, kGroupCount);
    add(f.exits_by_group, kGroupCount);
    add(&f.group_changes[0][0], kGroupCount * kGroupCount);
    add(f.entries_by_region.data(), f.entries_by_region.size());
    add(f.exits_by_region.data(), f.exits_by_region.size());
    add(f.migrations.data(), f.migrations.size());
  });
}

void sum_over_ranks(const RankGroup& ranks, StockTally& s) {
  sum_fields(ranks, [&](auto&& add) {
    add(&s.workers[0][0], kLevelCount * kStatusCount);
    add(&s.by_group[0][0], kGroupCount * kLevelCount);
    add(s.employed_by_sector, kSectorCount);
    add(s.by_region.data(), s.by_region.size());
    add(s.trainees.data(), s.trainees.size());
  });
}

void StockCounter::add_to(StockTally& total) const {
  const int employed = static_cast<int>(Status::Employed);
  // With one region, by region is by level: summed from the cells (nothing counted apart).
  const bool one_region = by_region_.empty() && total.by_region.size() == kLevelCount;
  for (int g = 0; g < kGroupCount; ++g)
    for (int l = 0; l < kLevelCount; ++l)
      for (int s = 0; s < kStatusCount; ++s)
        for (int k = 0; k < kSectorCount; ++k) {
          std::int64_t c = 0;
          for (const auto& copy : cells_) c += copy[((g * kLevelCount + l) * kStatusCount + s) * kSectorCount + k];
          total.workers[l][s] += c;
          total.by_group[g][l] += c;
          if (s == employed) total.employed_by_sector[k] += c;
          if (one_region) total.by_region[static_cast<std::size_t>(l)] += c;
        }
  for (std::size_t k = 0; k < by_region_.size(); ++k) total.by_region[k] += by_region_[k];
  for (std::size_t k = 0; k < trainees_.size(); ++k) total.trainees[k] += trainees_[k];
}

StockTally empty_stocks(std::size_t regions, std::size_t programmes) {
  StockTally s;
  s.by_region.assign(regions * kLevelCount, 0);
  s.trainees.assign(programmes, 0);
  return s;
}

StockTally count_stocks(const Population& pop, std::size_t regions, std::size_t programmes) {
  StockTally total = empty_stocks(regions, programmes);
  const auto removed = static_cast<std::uint8_t>(Status::Removed);
  const std::int64_t n = static_cast<std::int64_t>(pop.size());
#pragma omp parallel
  {
    StockCounter mine(regions, programmes);
    const StockCounter::Counters counters = mine.counters();
#pragma omp for schedule(static) nowait
    for (std::int64_t i = 0; i < n; ++i)
      if (const std::uint8_t st = pop.status[i]; st != removed)
        counters.count(pop, static_cast<std::size_t>(i), pop.level[i], st);
#pragma omp critical(skillsim_count_stocks)
    mine.add_to(total);
  }
  return total;
}

void declare_stock_results(Results& r) {
  add_variable(r, "skilled_workers", over_time(), "skilled workers (技能劳动者): level 初级工 or above, not retired");
  add_variable(r, "high_skilled_workers", over_time(),
               "high-skilled workers (高技能人才): level 高级工 or above, not retired");
  add_variable(r, "workers", over_time({"level", "status"}), "persons by level and status");
  add_variable(r, "workers_by_group", over_time({"group", "level"}), "persons by group and level");
  add_variable(r, "workers_by_region", over_time({"region", "level"}), "persons by region and level");
  add_variable(r, "employed_by_sector", over_time({"sector"}), "employed persons by sector");
}

void declare_flow_results(Results& r) {
  add_variable(r, "entries", over_time(),
               "entrants during the month: school leavers, technical-school graduates without [schools], and "
               "technical-school enrolees with it");
  add_variable(r, "exits", over_time(), "deaths during the month");
  add_variable(r, "entries_by_level", over_time({"level"}), "entrants during the month by level at entry");
  add_variable(r, "exits_by_level", over_time({"level"}), "deaths during the month by level held");
  add_variable(r, "promotions", over_time({"level"}), "promotions during the month, by level reached");
  add_variable(r, "promotions_out", over_time({"level"}), "the same promotions, by level left");
  add_variable(r, "assessments", over_time({"level"}), "assessments sat during the month, by level sought");
  add_variable(r, "retirements", over_time(), "retirements during the month");
  add_variable(r, "job_finds", over_time(), "unemployed persons who found a job during the month");
  add_variable(r, "job_losses", over_time(), "employed persons who lost their job during the month");
  add_variable(r, "entries_by_group", over_time({"group"}), "entrants during the month by group at entry");
  add_variable(r, "exits_by_group", over_time({"group"}), "deaths during the month by group held");
  add_variable(r, "group_changes", over_time({"group", "to_group"}),
               "persons who moved from one group to another during the month (groups.*), by group left and "
               "group joined");
  add_variable(r, "new_skilled_workers", over_time(),
               "persons who became skilled (初级工 or above) during the month: promoted from below, or entered");
}

void declare_region_flow_results(Results& r, const Parameters& p) {
  const std::size_t regions = p.population.regions.size();
  if (regions < 2) return;
  if (std::none_of(r.dimensions.begin(), r.dimensions.end(),
                   [](const Dimension& d) { return d.name == "to_region"; })) {
    Dimension to = r.dimension("region");
    to.name = "to_region";
    r.dimensions.push_back(std::move(to));
  }
  add_variable(r, "entries_by_region", over_time({"region"}),
               "entrants during the month by region of arrival (school leavers, graduates, school enrolees)");
  add_variable(r, "exits_by_region", over_time({"region"}), "deaths during the month by region held");
  add_variable(r, "migrations", over_time({"region", "to_region"}),
               "persons who moved from one region to another during the month (migration.*), by region left and "
               "region joined");
  add_variable(r, "migration_in", over_time({"region"}), "persons who moved into the region during the month");
  add_variable(r, "migration_out", over_time({"region"}), "persons who moved out of the region during the month");
}

void store_stocks(ResultsWriter& out, std::size_t rep, std::size_t t, const StockTally& s) {
  const std::int64_t scale = out.scale();
  std::int64_t skilled = 0, high = 0;
  std::int64_t* workers = out.at("workers", rep, t);
  for (int l = 0; l < kLevelCount; ++l)
    for (int st = 0; st < kStatusCount; ++st) {
      workers[l * kStatusCount + st] = s.workers[l][st] * scale;
      if (st == static_cast<int>(Status::Retired)) continue;
      if (l >= kFirstSkilledLevel) skilled += s.workers[l][st];
      if (l >= kFirstHighSkilledLevel) high += s.workers[l][st];
    }
  *out.at("skilled_workers", rep, t) = skilled * scale;
  *out.at("high_skilled_workers", rep, t) = high * scale;
  std::int64_t* by_group = out.at("workers_by_group", rep, t);
  for (int g = 0; g < kGroupCount; ++g)
    for (int l = 0; l < kLevelCount; ++l) by_group[g * kLevelCount + l] = s.by_group[g][l] * scale;
  out.persons("workers_by_region", rep, t, s.by_region);
  std::int64_t* by_sector = out.at("employed_by_sector", rep, t);
  for (int k = 0; k < kSectorCount; ++k) by_sector[k] = s.employed_by_sector[k] * scale;
  if (out.has("trainees")) out.persons("trainees", rep, t, s.trainees);
}

void store_flows(ResultsWriter& out, std::size_t rep, std::size_t t, const MonthTally& f) {
  const std::int64_t scale = out.scale();
  std::int64_t entries = 0, exits = 0;
  std::int64_t* by_level[] = {out.at("entries_by_level", rep, t), out.at("exits_by_level", rep, t),
                              out.at("promotions", rep, t), out.at("promotions_out", rep, t),
                              out.at("assessments", rep, t)};
  for (int l = 0; l < kLevelCount; ++l) {
    const std::int64_t values[] = {f.entries[l], f.exits[l], f.promotions[l], f.promotions_out[l], f.assessments[l]};
    for (std::size_t v = 0; v < std::size(values); ++v) by_level[v][l] = values[v] * scale;
    entries += f.entries[l];
    exits += f.exits[l];
  }
  *out.at("entries", rep, t) = entries * scale;
  *out.at("exits", rep, t) = exits * scale;
  *out.at("retirements", rep, t) = f.retirements * scale;
  *out.at("job_finds", rep, t) = f.job_finds * scale;
  *out.at("job_losses", rep, t) = f.job_losses * scale;
  *out.at("new_skilled_workers", rep, t) = f.newly_skilled * scale;
  std::int64_t* entries_by_group = out.at("entries_by_group", rep, t);
  std::int64_t* exits_by_group = out.at("exits_by_group", rep, t);
  std::int64_t* changes = out.at("group_changes", rep, t);
  for (int g = 0; g < kGroupCount; ++g) {
    entries_by_group[g] = f.entries_by_group[g] * scale;
    exits_by_group[g] = f.exits_by_group[g] * scale;
    for (int to = 0; to < kGroupCount; ++to) changes[g * kGroupCount + to] = f.group_changes[g][to] * scale;
  }
  if (!out.has("migrations")) return;
  // The tallies by region grow as counted: entries past their end are 0.
  const auto at = [](const std::vector<std::int64_t>& v, std::size_t k) { return k < v.size() ? v[k] : 0; };
  std::int64_t* entries_by_region = out.at("entries_by_region", rep, t);
  std::int64_t* exits_by_region = out.at("exits_by_region", rep, t);
  std::int64_t* moves = out.at("migrations", rep, t);
  std::int64_t* in = out.at("migration_in", rep, t);
  std::int64_t* out_of = out.at("migration_out", rep, t);
  const std::size_t regions = out.dimension_size("region");
  for (std::size_t o = 0; o < regions; ++o) {
    entries_by_region[o] = at(f.entries_by_region, o) * scale;
    exits_by_region[o] = at(f.exits_by_region, o) * scale;
    in[o] = out_of[o] = 0;
  }
  for (std::size_t o = 0; o < regions; ++o)
    for (std::size_t d = 0; d < regions; ++d) {
      const std::int64_t n = at(f.migrations, o * regions + d) * scale;
      moves[o * regions + d] = n;
      out_of[o] += n;
      in[d] += n;
    }
}

} // namespace skillsim
