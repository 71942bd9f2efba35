#include "skillsim/core/employers.hpp"

#include <omp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "skillsim/core/dates.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/ranks.hpp"
#include "skillsim/core/results_layout.hpp"
#include "skillsim/core/scenario.hpp"
#include "skillsim/core/training.hpp"

namespace skillsim {

namespace {

constexpr auto kEmployed = static_cast<std::uint8_t>(Status::Employed);
constexpr auto kUnemployed = static_cast<std::uint8_t>(Status::Unemployed);
constexpr int kFirstPostLevel = static_cast<int>(Level::PrincipalTechnician); // 特级技师, then 首席技师

// Growth compounded over the whole months from scenario.start to `month`.
double growth(double per_year, Month start, Month month) {
  return std::pow(1 + per_year, static_cast<double>(month.index - start.index) / 12.0);
}

// The size class of a hire whose cumulative shares (one per size class) are `cumulative`.
std::size_t size_class_of(const double* cumulative, std::size_t sizes, double u) {
  for (std::size_t k = 0; k + 1 < sizes; ++k)
    if (u < cumulative[k]) return k;
  return sizes - 1;
}

// The shortest text that reads back as `v` (for messages).
std::string number_text(double v) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  return std::string(buffer, end);
}

} // namespace

double cobb_douglas_matches(double efficiency, double elasticity, double seekers, double vacancies) {
  if (!(seekers > 0) || !(vacancies > 0)) return 0;
  const double m = efficiency * std::pow(seekers, elasticity) * std::pow(vacancies, 1 - elasticity);
  return std::min({m, seekers, vacancies});
}

double matched_job_find(const Parameters& p, double per_seeker, int level, int group) {
  const auto& lab = p.labour;
  return std::min(1.0, per_seeker * lab.job_find_multiplier *
                           lab.job_find_level_factor[static_cast<std::size_t>(level)] *
                           lab.job_find_group_factor[static_cast<std::size_t>(group)]);
}

double matched_job_find_by_level(const Parameters& p, double per_seeker, int group, std::size_t region) {
  const auto& lab = p.labour;
  const double region_factor = lab.job_find_region_factor.empty() ? 1.0 : lab.job_find_region_factor[region];
  return std::min(1.0, per_seeker * lab.job_find_multiplier *
                           lab.job_find_group_factor[static_cast<std::size_t>(group)] * region_factor);
}

Employers::Employers(const Parameters& p)
    : sizes_(p.employers.size_classes.size()), regions_(p.population.regions.size()),
      cells_(kSectorCount * p.employers.size_classes.size()) {
  tally_.no_post.assign(kLevelCount, 0);
  const auto& funds = p.funds.names;
  funds_ = funds.size();
  subsidy_fund_ =
      static_cast<std::size_t>(std::find(funds.begin(), funds.end(), p.work_based_training.fund) - funds.begin());
  tally_.subsidy_retained.assign(regions_ * cells_, 0);
  tally_.subsidy_hired.assign(regions_ * cells_, 0);
}

double Employers::posts(const Parameters& p, Month month, std::size_t rc) const {
  return static_cast<double>(state_.initial_posts[rc]) *
         growth(p.employers.post_growth_per_year, p.scenario.start, month);
}

std::int64_t Employers::posts_at_level(const Parameters& p, Month month, std::size_t rc, int level) const {
  const auto size = static_cast<int>((rc % cells_) % sizes_);
  const double per_1000 = p.employers.posts_per_1000(size, level);
  return static_cast<std::int64_t>(std::floor(posts(p, month, rc) * per_1000 / 1000.0 + 1e-9));
}

std::vector<std::int64_t> Employers::per_1000_employed(const std::vector<double>& per_1000) const {
  const std::size_t lg = static_cast<std::size_t>(kLevelCount) * kGroupCount;
  std::vector<std::int64_t> places(regions_ * cells_, -1);
  for (std::size_t rc = 0; rc < regions_ * cells_; ++rc) {
    const double rate = per_1000[(rc % cells_) % sizes_];
    if (rate < 0) continue;
    std::int64_t employed = 0;
    for (std::size_t k = 0; k < lg; ++k) employed += tally_.employed[rc * lg + k];
    places[rc] = static_cast<std::int64_t>(std::floor(rate * static_cast<double>(employed) / 1000.0 + 1e-9));
  }
  return places;
}

double Employers::wage(const Parameters& p, Month month, int level, int sector, std::size_t region) {
  const auto& e = p.employers;
  return e.wage_per_month[static_cast<std::size_t>(level)] * e.wage_sector_factor[static_cast<std::size_t>(sector)] *
         (e.wage_region_factor.empty() ? 1.0 : e.wage_region_factor[region]) *
         growth(e.wage_growth_per_year, p.scenario.start, month);
}

bool Employers::post_needed(const Parameters& p, int level) const {
  return enabled() && level >= kFirstPostLevel &&
         p.employers.appointment_needs_post[static_cast<std::size_t>(level)] != 0;
}

std::int64_t Employers::free_posts(std::size_t region, std::uint8_t cell, int level) const {
  return cell == kNoEmployer ? 0 : free_posts_[level - kFirstPostLevel][region * cells_ + cell];
}

bool Employers::take_post(std::size_t region, std::uint8_t cell, int level) {
  if (cell == kNoEmployer) return false; // hired this month: gets its cell at the month's end
  std::int64_t& free = free_posts_[level - kFirstPostLevel][region * cells_ + cell];
  if (free <= 0) return false;
  --free;
  return true;
}

void Employers::assign_initial(const Parameters& p, Population& pop, const RandomStreams& rng, const RankGroup* ranks) {
  if (!enabled()) return;
  const Month before = p.scenario.start + (-1);
  // Hires of the pass are spread by the size shares (there are no vacancies yet).
  hire_levels_ = 1;
  hire_shares_.assign(regions_ * kSectorCount * sizes_, 0);
  for (std::size_t r = 0; r < regions_; ++r)
    for (int s = 0; s < kSectorCount; ++s) {
      double cumulative = 0;
      for (std::size_t k = 0; k < sizes_; ++k) {
        cumulative += p.employers.size_shares(static_cast<int>(k), s);
        hire_shares_[(r * kSectorCount + static_cast<std::size_t>(s)) * sizes_ + k] = cumulative;
      }
    }
  state_.initial_posts.assign(regions_ * cells_, 0);
  count_pass<false>(before, pop, &rng, true, ranks);
  std::vector<std::int64_t> employed(regions_ * cells_, 0);
  for (std::size_t rc = 0; rc < regions_ * cells_; ++rc)
    for (std::size_t lg = 0; lg < static_cast<std::size_t>(kLevelCount * kGroupCount); ++lg)
      employed[rc] += tally_.employed[rc * kLevelCount * kGroupCount + lg];
  for (std::size_t rc = 0; rc < regions_ * cells_; ++rc)
    state_.initial_posts[rc] =
        static_cast<std::int64_t>(std::llround(static_cast<double>(employed[rc]) * (1 + p.employers.vacancy_rate)));
  // The start is reported as the state at scenario.start, with no flows.
  tally_.hires.assign(regions_, 0);
  tally_.hires_by_cell.assign(regions_ * cells_, 0);
  tally_.separations.assign(regions_, 0);
  summarise(p, p.scenario.start);
}

void Employers::count(const Parameters& p, Month month, const Population& pop, const RankGroup* ranks) {
  if (!enabled()) return;
  // count_pass does not write the population when it does not assign.
  count_pass<false>(month, const_cast<Population&>(pop), nullptr, false, ranks);
  summarise(p, month);
}

void Employers::begin_month(const Parameters& p, Month month, TransitionRates& rates, const Ledger* ledger) {
  if (!enabled()) return;
  tally_.no_post.assign(kLevelCount, 0);
  begin_work_based_training(p, rates, ledger);
  const std::size_t lg = static_cast<std::size_t>(kLevelCount) * kGroupCount;
  const bool by_level = matching_by_level(p.employers);
  if (by_level) check_levelled_posts(p, month);
  // Vacancies by cell: posts less the employed (at the start of the month, the counts of the
  // month before), and the free posts at 特级技师 and 首席技师; by matching by level also the
  // vacancies at each level, region x cell x level.
  std::vector<double> vacancies(regions_ * cells_, 0), level_vacancies;
  if (by_level) level_vacancies.assign(regions_ * cells_ * kLevelCount, 0);
  for (int k = 0; k < 2; ++k) free_posts_[k].assign(regions_ * cells_, 0);
  for (std::size_t rc = 0; rc < regions_ * cells_; ++rc) {
    std::int64_t employed = 0;
    std::int64_t at_level[kLevelCount] = {};
    for (int l = 0; l < kLevelCount; ++l)
      for (int g = 0; g < kGroupCount; ++g) {
        const std::int64_t e = tally_.employed[rc * lg + static_cast<std::size_t>(l * kGroupCount + g)];
        employed += e;
        at_level[l] += e;
      }
    vacancies[rc] = std::max(0.0, posts(p, month, rc) - static_cast<double>(employed));
    for (int k = 0; k < 2; ++k)
      free_posts_[k][rc] =
          std::max<std::int64_t>(0, posts_at_level(p, month, rc, kFirstPostLevel + k) - at_level[kFirstPostLevel + k]);
    if (by_level)
      for (int l = 0; l < kLevelCount; ++l)
        level_vacancies[rc * kLevelCount + static_cast<std::size_t>(l)] =
            static_cast<double>(std::max<std::int64_t>(0, posts_at_level(p, month, rc, l) - at_level[l]));
  }
  // The month's hires go to the size classes of their sector in proportion to the vacancies there
  // (by the size shares where there are none).
  hire_levels_ = 1;
  hire_shares_.assign(regions_ * kSectorCount * sizes_, 0);
  for (std::size_t r = 0; r < regions_; ++r)
    for (int s = 0; s < kSectorCount; ++s) {
      double total = 0;
      for (std::size_t k = 0; k < sizes_; ++k)
        total += vacancies[r * cells_ + static_cast<std::size_t>(s) * sizes_ + k];
      double cumulative = 0;
      for (std::size_t k = 0; k < sizes_; ++k) {
        cumulative += total > 0 ? vacancies[r * cells_ + static_cast<std::size_t>(s) * sizes_ + k] / total
                                : p.employers.size_shares(static_cast<int>(k), s);
        hire_shares_[(r * kSectorCount + static_cast<std::size_t>(s)) * sizes_ + k] = cumulative;
      }
    }
  if (by_level) {
    // Matching by level: a hire goes to the size classes of its sector in proportion to their
    // vacancies at its own level (the level it holds at the end of the month); where its sector
    // has none at that level, by the shares above (all vacancies, else the size shares).
    std::vector<double> shares(regions_ * kSectorCount * kLevelCount * sizes_, 0);
    for (std::size_t r = 0; r < regions_; ++r)
      for (std::size_t s = 0; s < static_cast<std::size_t>(kSectorCount); ++s)
        for (std::size_t l = 0; l < static_cast<std::size_t>(kLevelCount); ++l) {
          const auto vacant = [&](std::size_t k) {
            return level_vacancies[(r * cells_ + s * sizes_ + k) * kLevelCount + l];
          };
          double total = 0;
          for (std::size_t k = 0; k < sizes_; ++k) total += vacant(k);
          double* out = &shares[((r * kSectorCount + s) * kLevelCount + l) * sizes_];
          const double* all = &hire_shares_[(r * kSectorCount + s) * sizes_];
          double cumulative = 0;
          for (std::size_t k = 0; k < sizes_; ++k) {
            cumulative += total > 0 ? vacant(k) / total : 0;
            out[k] = total > 0 ? cumulative : all[k];
          }
        }
    hire_shares_ = std::move(shares);
    hire_levels_ = kLevelCount;
  }
  tally_.market_seekers.clear();
  tally_.market_matches.clear();
  if (p.employers.matching == kMatchingIds[0]) return; // "hazard": today's hazards, exactly
  rates.job_find_by_region.assign(regions_ * lg, 0);
  if (!by_level) {
    for (std::size_t r = 0; r < regions_; ++r) {
      double v = 0;
      for (std::size_t c = 0; c < cells_; ++c) v += vacancies[r * cells_ + c];
      const auto u = static_cast<double>(tally_.seekers[r]);
      const double m = cobb_douglas_matches(p.employers.matching_efficiency, p.employers.matching_elasticity, u, v);
      const double per_seeker = u > 0 ? m / u : 0;
      for (int l = 0; l < kLevelCount; ++l)
        for (int g = 0; g < kGroupCount; ++g)
          rates.job_find_by_region[TransitionRates::labour_index(static_cast<int>(r), l, g)] =
              std::min(1.0, matched_job_find(p, per_seeker, l, g) * p.labour.job_find_region_factor[r]);
    }
    return;
  }
  // One market per region x level: the unemployed of the level (at the start of the month) and
  // the vacancies at the level summed over the region's cells.
  tally_.market_seekers.assign(regions_ * kLevelCount, 0);
  tally_.market_matches.assign(regions_ * kLevelCount, 0);
  for (std::size_t r = 0; r < regions_; ++r)
    for (int l = 0; l < kLevelCount; ++l) {
      const std::size_t rl = r * kLevelCount + static_cast<std::size_t>(l);
      double v = 0;
      for (std::size_t c = 0; c < cells_; ++c)
        v += level_vacancies[(r * cells_ + c) * kLevelCount + static_cast<std::size_t>(l)];
      const std::int64_t seekers = tally_.seekers_by_level[rl];
      const auto u = static_cast<double>(seekers);
      const double m = cobb_douglas_matches(p.employers.matching_efficiency, p.employers.matching_elasticity, u, v);
      tally_.market_seekers[rl] = seekers;
      tally_.market_matches[rl] = m;
      const double per_seeker = u > 0 ? m / u : 0;
      for (int g = 0; g < kGroupCount; ++g)
        rates.job_find_by_region[TransitionRates::labour_index(static_cast<int>(r), l, g)] =
            matched_job_find_by_level(p, per_seeker, g, r);
    }
}

void Employers::check_levelled_posts(const Parameters& p, Month month) const {
  // Validation requires it of the parameters at the start and of each scheduled change alone; a
  // schedule may still combine a switch to matching by level with posts set on another date.
  const auto& posts = p.employers.posts_per_1000;
  for (std::size_t k = 0; k < sizes_; ++k) {
    double sum = 0;
    for (int l = 0; l < kLevelCount; ++l) sum += posts(static_cast<int>(k), l);
    if (std::abs(sum - 1000) > kLevelledPostsTolerance)
      throw Error("in the month from " + iso_date(month) +
                  " employers.matching = \"cobb_douglas_by_level\" but the posts of size class '" +
                  p.employers.size_classes[k] + "' (employers.posts_per_1000[" + std::to_string(k) + "]) sum to " +
                  number_text(sum) +
                  " per 1000, not 1000: with matching by level every post has a level (check the "
                  "schedule)");
  }
}

void Employers::begin_work_based_training(const Parameters& p, TransitionRates& rates, const Ledger* ledger) {
  const auto& w = p.work_based_training;
  tally_.subsidy_retained.assign(regions_ * cells_, 0);
  tally_.subsidy_hired.assign(regions_ * cells_, 0);
  tally_.subsidy_paid = tally_.subsidy_unpaid = 0;
  tally_.subsidy_suspended = false;
  paying_ = false;
  if (!w.in_force()) return;
  // Paid while its fund has uncommitted money at the start of the month (after January's grant);
  // in a month it runs out the claims are paid pro rata, and from the next month, until new money
  // comes, the subsidy is suspended: no claims and no retention effect.
  paying_ = ledger != nullptr && ledger->fund(subsidy_fund_).remaining > 0;
  tally_.subsidy_suspended = !paying_;
  if (!paying_) return;
  eligible_.assign(cells_, 0);
  for (int s = 0; s < kSectorCount; ++s)
    for (std::size_t k = 0; k < sizes_; ++k)
      eligible_[static_cast<std::size_t>(s) * sizes_ + k] = w.eligible(static_cast<int>(k), s) ? 1 : 0;
  if (!(w.job_loss_factor < 1)) return; // no retention effect: the per-agent loop looks nothing up
  rates.employer_cells = cells_;
  rates.subsidised_months_cap = w.max_months_per_worker;
  rates.subsidised_cell.assign(regions_ * cells_, 0);
  for (std::size_t r = 0; r < regions_; ++r)
    std::copy(eligible_.begin(), eligible_.end(),
              rates.subsidised_cell.begin() + static_cast<std::ptrdiff_t>(r * cells_));
  rates.job_loss_subsidised.resize(regions_ * kLevelCount * kGroupCount * kSectorCount);
  for (std::size_t r = 0; r < regions_; ++r)
    for (int l = 0; l < kLevelCount; ++l)
      for (int g = 0; g < kGroupCount; ++g)
        for (int s = 0; s < kSectorCount; ++s) {
          const std::size_t k =
              TransitionRates::labour_index(static_cast<int>(r), l, g) * kSectorCount + static_cast<std::size_t>(s);
          rates.job_loss_subsidised[k] = rates.job_loss_in(static_cast<int>(r), l, g, s) * w.job_loss_factor;
        }
}

void Employers::pay_work_based_training(const Parameters& p, Ledger& ledger) {
  if (!enabled() || !paying_) return;
  const auto& w = p.work_based_training;
  const std::size_t lg = static_cast<std::size_t>(kLevelCount) * kGroupCount;
  // Whole yuan per agent, as a programme's claims (an agent stands for population.scale persons).
  const auto scale = static_cast<double>(p.population.scale);
  const std::int64_t per_kept = std::llround(w.retention_subsidy_per_month * scale),
                     per_hire = std::llround(w.hire_subsidy * scale);
  std::int64_t due = 0;
  for (std::size_t rc = 0; rc < regions_ * cells_; ++rc) {
    if (eligible_[rc % cells_] == 0) continue;
    if (w.max_months_per_worker > 0) { // counted worker by worker in the end-of-month pass (claims)
      due += per_kept * tally_.subsidy_retained[rc] + per_hire * tally_.subsidy_hired[rc];
      continue;
    }
    std::int64_t employed = 0;
    for (std::size_t k = 0; k < lg; ++k) employed += tally_.employed[rc * lg + k];
    // Those in the cell at the end of the month who were in it at the start: cells change only in
    // the end-of-month pass, where the month's hires get theirs.
    const std::int64_t hired = tally_.hires_by_cell[rc], kept = employed - hired;
    if (per_kept > 0) tally_.subsidy_retained[rc] = kept;
    if (per_hire > 0) tally_.subsidy_hired[rc] = hired;
    due += per_kept * kept + per_hire * hired;
  }
  const std::int64_t paid = std::min(due, ledger.fund(subsidy_fund_).remaining);
  if (paid > 0) {
    ledger.commit(subsidy_fund_, paid);
    ledger.pay(subsidy_fund_, paid);
  }
  tally_.subsidy_paid = paid;
  tally_.subsidy_unpaid = due - paid;
}

void Employers::step(const Parameters& p, Month month, Population& pop, const RandomStreams& rng,
                     const RankGroup* ranks) {
  if (!enabled()) return;
  const auto& w = p.work_based_training;
  if (paying_ && w.max_months_per_worker > 0) {
    // 以工代训 with a cap of months per worker: the claims are counted worker by worker in the
    // same pass (a pass of its own, compiled apart, so the pass without a cap is that of before).
    Claims claims;
    claims.months_cap = w.max_months_per_worker;
    claims.kept = std::llround(w.retention_subsidy_per_month * static_cast<double>(p.population.scale)) > 0;
    claims.hired = std::llround(w.hire_subsidy * static_cast<double>(p.population.scale)) > 0;
    count_pass<true>(month, pop, &rng, true, ranks, &claims);
  } else {
    count_pass<false>(month, pop, &rng, true, ranks);
  }
  summarise(p, month + 1); // the state at the start of the next month
}

template <bool kClaiming>
void Employers::count_pass(Month month, Population& pop, const RandomStreams* rng, bool assign, const RankGroup* ranks,
                           const Claims* claims) {
  // The employer column is optional (agent_columns): a population made without it cannot be counted.
  if (!pop.has(Column::employer))
    throw Error("employers are declared (employers.size_classes) but the population has no 'employer' column; "
                "make it with agent_columns(parameters)");
  const std::size_t lg = static_cast<std::size_t>(kLevelCount) * kGroupCount;
  const std::size_t n_counts = regions_ * cells_ * lg;
  struct Counts {
    std::vector<std::int64_t> employed, seekers, hires, separations;
    std::vector<std::int64_t> claimed_kept, claimed_hired; // region x cell, with a cap of months (kClaiming)
  };
  const std::size_t region_cells = regions_ * cells_;
  std::vector<Counts> by_thread(static_cast<std::size_t>(omp_get_max_threads()));
  const auto n = static_cast<std::int64_t>(pop.size());
  const std::size_t sizes = sizes_, cells = cells_;
  const double* shares = hire_shares_.data();
  const std::size_t share_levels = hire_levels_; // kLevelCount: shares by the hire's level
  // Read once: the loop's byte stores could alias them, and the compiler would reload them.
  [[maybe_unused]] const std::uint8_t* eligible = eligible_.data();
  [[maybe_unused]] const std::int64_t months_cap = kClaiming ? claims->months_cap : 0;
  [[maybe_unused]] const bool claim_kept = kClaiming && claims->kept, claim_hired = kClaiming && claims->hired;
#pragma omp parallel
  {
    Counts c;
    c.employed.assign(n_counts, 0);
    c.seekers.assign(regions_ * kLevelCount, 0); // by region x level
    c.hires.assign(region_cells, 0);             // by region x cell
    c.separations.assign(regions_, 0);
    if constexpr (kClaiming) {
      c.claimed_kept.assign(region_cells, 0);
      c.claimed_hired.assign(region_cells, 0);
    }
#pragma omp for schedule(static) nowait
    for (std::int64_t i = 0; i < n; ++i) {
      const std::uint8_t st = pop.status[i];
      const std::size_t r = pop.region_of(i);
      std::uint8_t cell = pop.employer[i];
      if (st == kEmployed) {
        const bool hired = cell == kNoEmployer && assign;
        if (hired) {
          const std::size_t s = pop.sector[i];
          const double u = rng->block(streams::kEmployerCell, month.index, pop.id[i]).uniform(0);
          const std::size_t lv = share_levels > 1 ? pop.level[i] : 0;
          cell = static_cast<std::uint8_t>(
              s * sizes + size_class_of(shares + ((r * kSectorCount + s) * share_levels + lv) * sizes, sizes, u));
          pop.employer[i] = cell;
          ++c.hires[r * cells + cell];
        }
        if constexpr (kClaiming) {
          // Claimed for (kept through the month, or hired in it) in an eligible cell while below the
          // cap; each claim is one month of the worker's count, which follows it across employers.
          std::uint8_t& months = pop.subsidised_months[i];
          if (eligible[cell] != 0 && months < months_cap && (hired ? claim_hired : claim_kept)) {
            ++months;
            ++(hired ? c.claimed_hired : c.claimed_kept)[r * cells + cell];
          }
        }
        ++c.employed[(r * cells + cell) * lg + static_cast<std::size_t>(pop.level[i]) * kGroupCount + pop.group[i]];
      } else {
        if (cell != kNoEmployer && assign) {
          pop.employer[i] = kNoEmployer;
          ++c.separations[r];
        }
        if (st == kUnemployed) ++c.seekers[r * kLevelCount + pop.level[i]];
      }
    }
    by_thread[static_cast<std::size_t>(omp_get_thread_num())] = std::move(c);
  }
  // Integer sums, joined in thread order.
  tally_.employed.assign(n_counts, 0);
  tally_.seekers.assign(regions_, 0);
  tally_.seekers_by_level.assign(regions_ * kLevelCount, 0);
  tally_.hires.assign(regions_, 0);
  tally_.hires_by_cell.assign(region_cells, 0);
  tally_.separations.assign(regions_, 0);
  for (const Counts& c : by_thread) {
    if (c.employed.empty()) continue; // a thread the runtime did not start
    for (std::size_t k = 0; k < n_counts; ++k) tally_.employed[k] += c.employed[k];
    for (std::size_t r = 0; r < regions_; ++r) tally_.separations[r] += c.separations[r];
    for (std::size_t rl = 0; rl < regions_ * kLevelCount; ++rl) {
      tally_.seekers_by_level[rl] += c.seekers[rl];
      tally_.seekers[rl / kLevelCount] += c.seekers[rl];
    }
    for (std::size_t rc = 0; rc < region_cells; ++rc) {
      tally_.hires_by_cell[rc] += c.hires[rc];
      tally_.hires[rc / cells_] += c.hires[rc];
    }
    if constexpr (kClaiming)
      for (std::size_t rc = 0; rc < region_cells; ++rc) {
        tally_.subsidy_retained[rc] += c.claimed_kept[rc];
        tally_.subsidy_hired[rc] += c.claimed_hired[rc];
      }
  }
  if (split(ranks)) {
    // Every rank's counts, summed (integers: exact in any order) in one call: every decision read
    // from them (posts, vacancies, matching, places, capacity, 以工代训's claims) is then one
    // process's. The cells were drawn keyed on the id, so each rank's agents got the cells one
    // process gives them.
    std::vector<std::vector<std::int64_t>*> parts = {&tally_.employed, &tally_.seekers,       &tally_.seekers_by_level,
                                                     &tally_.hires,    &tally_.hires_by_cell, &tally_.separations};
    if constexpr (kClaiming) parts.insert(parts.end(), {&tally_.subsidy_retained, &tally_.subsidy_hired});
    std::vector<std::int64_t> flat;
    for (const auto* part : parts) flat.insert(flat.end(), part->begin(), part->end());
    ranks->sum(flat);
    auto at = flat.begin();
    for (auto* part : parts) {
      std::copy_n(at, part->size(), part->begin());
      at += static_cast<std::ptrdiff_t>(part->size());
    }
  }
}

void Employers::summarise(const Parameters& p, Month month) {
  month_counted_ = month;
  const std::size_t lg = static_cast<std::size_t>(kLevelCount) * kGroupCount;
  const auto scale = static_cast<double>(p.population.scale);
  posts_by_level_.assign(kLevelCount, 0);
  filled_by_level_.assign(kLevelCount, 0);
  vacancies_by_level_.assign(kLevelCount, 0);
  cell_employed_.assign(regions_ * cells_, 0);
  cell_posts_.assign(regions_ * cells_, 0);
  cell_vacancies_.assign(regions_ * cells_, 0);
  tally_.pay_sum.assign(lg, 0);
  tally_.wage_bill = 0;
  // Wages of the month that ends at `month` (at the start: of the first month).
  const Month paid = month == p.scenario.start ? month : month + (-1);
  for (std::size_t r = 0; r < regions_; ++r)
    for (std::size_t c = 0; c < cells_; ++c) {
      const std::size_t rc = r * cells_ + c;
      const int sector = static_cast<int>(c / sizes_);
      for (int l = 0; l < kLevelCount; ++l) {
        std::int64_t at_level = 0;
        const double w = wage(p, paid, l, sector, r);
        for (int g = 0; g < kGroupCount; ++g) {
          const std::int64_t e = tally_.employed[rc * lg + static_cast<std::size_t>(l * kGroupCount + g)];
          at_level += e;
          tally_.pay_sum[static_cast<std::size_t>(l * kGroupCount + g)] += static_cast<double>(e) * w;
        }
        cell_employed_[rc] += at_level;
        const std::int64_t posts_l = posts_at_level(p, month, rc, l);
        posts_by_level_[static_cast<std::size_t>(l)] += posts_l;
        filled_by_level_[static_cast<std::size_t>(l)] += std::min(posts_l, at_level);
        vacancies_by_level_[static_cast<std::size_t>(l)] += std::max<std::int64_t>(0, posts_l - at_level);
      }
      cell_posts_[rc] = static_cast<std::int64_t>(std::floor(posts(p, month, rc) + 1e-9));
      cell_vacancies_[rc] = std::max<std::int64_t>(0, cell_posts_[rc] - cell_employed_[rc]);
    }
  for (double s : tally_.pay_sum) tally_.wage_bill += s * scale;
}

void Employers::check_fits(const State& state) const {
  if (state.initial_posts.size() != regions_ * cells_)
    throw Error("employer state of " + std::to_string(state.initial_posts.size()) +
                " cells does not fit this scenario's " + std::to_string(regions_ * cells_));
}

void Employers::declare_results(Results& r, const Parameters& p) {
  const auto& e = p.employers;
  if (e.size_classes.empty()) return;
  r.dimensions.push_back(Dimension{"size_class", {}, e.size_classes, e.labels, {{"long_name", "employer size class"}}});
  add_variable(r, "employer_posts", over_time({"level"}),
               "posts at each level (employers.posts_per_1000 of every cell's posts), summed over cells");
  add_variable(r, "employer_filled_posts", over_time({"level"}),
               "posts at each level held by an employed worker of that level in the cell, summed over cells");
  add_variable(r, "employer_vacancies", over_time({"level"}),
               "posts at each level with nobody of that level in the cell, summed over cells");
  add_variable(r, "employer_employed", over_time({"region", "sector", "size_class"}),
               "employed workers by employer cell (region x sector x size class)");
  add_variable(r, "employer_cell_posts", over_time({"region", "sector", "size_class"}),
               "posts (filled and vacant) by employer cell");
  add_variable(r, "employer_cell_vacancies", over_time({"region", "sector", "size_class"}),
               "vacant posts by employer cell: posts less the employed, at least 0");
  add_variable(r, "employer_hires", over_time({"region"}),
               "workers who joined an employer cell during the month (found a job, or entered employed)");
  add_variable(r, "employer_separations", over_time({"region"}),
               "workers who left an employer cell during the month (job loss, retirement, death, full-time training)");
  add_variable(r, "appointments_no_post", over_time({"level"}),
               "places of the month's appointment quota refused for want of a free post in the candidates' cells "
               "(employers.appointment_needs_post), by level");
  if (!e.self_evaluator.empty() && !p.evaluation.evaluators.empty()) { // stored by the evaluation step
    add_variable(r, "employer_self_evaluations", over_time({"region", "sector", "size_class"}),
                 "assessments held during the month by employer cells for their own employees (企业自主评价, "
                 "employers.self_evaluation_per_1000); also in evaluations under employers.self_evaluator");
    add_variable(r, "employer_self_capacity", over_time({"region", "sector", "size_class"}),
                 "the month's self-evaluation capacity of each employer cell: floor(self_evaluation_per_1000 x its "
                 "employed at the start of the month / 1000)");
  }
  if (TrainingSystem::has_apprentice_places(p)) { // stored by the training step
    add_variable(r, "employer_apprentice_places", over_time({"region", "sector", "size_class"}),
                 "the month's apprenticeship places of each employer cell: floor(employers.apprentice_places_per_1000 "
                 "x its employed at the start of the month / 1000); 0 where the places are not limited (-1)");
    add_variable(r, "employer_apprentices", over_time({"region", "sector", "size_class"}),
                 "apprentices (programmes.apprenticeship) in training employed by each employer cell, after the "
                 "month's admissions");
  }
  if (!p.work_based_training.fund.empty()) {
    if (std::none_of(r.dimensions.begin(), r.dimensions.end(), [](const Dimension& d) { return d.name == "fund"; }))
      r.dimensions.push_back(Dimension{"fund", {}, p.funds.names, p.funds.labels, {}});
    add_variable(r, "work_based_training_retained", over_time({"region", "sector", "size_class"}),
                 "workers kept through the month by an employer cell paid 以工代训 for them "
                 "(work_based_training.retention_subsidy_per_month)");
    add_variable(r, "work_based_training_hired", over_time({"region", "sector", "size_class"}),
                 "workers hired during the month by an employer cell paid 以工代训 for them "
                 "(work_based_training.hire_subsidy)");
    add_variable(r, "work_based_training_paid", over_time({"fund"}),
                 "以工代训 paid to employers during the month, by the fund that pays it", "yuan");
    add_variable(r, "work_based_training_unpaid", over_time({"fund"}),
                 "以工代训 claimed during the month that the fund could not pay (its uncommitted money ran out; "
                 "the claims were paid pro rata)",
                 "yuan");
    add_variable(r, "work_based_training_suspended", over_time(),
                 "1 in a month 以工代训 was in force but its fund had no money at the start of the month "
                 "(no claims, no retention effect)",
                 "1");
  }
  add_variable(r, "wage_bill", over_time(), "pay of the employed workers in the month (yuan, to the nearest yuan)",
               "yuan");
  add_variable(r, "mean_pay", over_time({"level", "group"}),
               "mean monthly pay of the employed workers by level and group (yuan, to the nearest yuan; 0 where "
               "nobody is employed)",
               "yuan");
}

void Employers::declare_matching_results(Results& r, const Scenario& scenario) {
  const auto& e = scenario.parameters().employers;
  if (e.size_classes.empty()) return;
  bool by_level = matching_by_level(e);
  for (const auto& change : scenario.schedule())
    if (const auto* value = std::get_if<std::string>(&change.value);
        value != nullptr && change.key == "employers.matching")
      by_level = by_level || *value == kMatchingIds[2];
  if (!by_level) return;
  add_variable(r, "employer_seekers", over_time({"region", "level"}),
               "job seekers (the unemployed) of each level at the start of the month: the seekers of the month's "
               "market of that region and level (employers.matching = \"cobb_douglas_by_level\"; 0 in a month "
               "without it)");
  add_variable(r, "employer_matches", over_time({"region", "level"}),
               "matches M = min(U, V, A U^alpha V^(1-alpha)) of the month's market of each region and level, to the "
               "nearest person (the expected job finds before the multiplier and the group and region factors; 0 in "
               "a month without matching by level)");
}

void Employers::store_results(ResultsWriter& out, std::size_t rep, std::size_t t) const {
  if (!enabled()) return;
  out.persons("employer_posts", rep, t, posts_by_level_);
  out.persons("employer_filled_posts", rep, t, filled_by_level_);
  out.persons("employer_vacancies", rep, t, vacancies_by_level_);
  out.persons("employer_employed", rep, t, cell_employed_);
  out.persons("employer_cell_posts", rep, t, cell_posts_);
  out.persons("employer_cell_vacancies", rep, t, cell_vacancies_);
  if (t > 0) {
    out.persons("employer_hires", rep, t, tally_.hires);
    out.persons("employer_separations", rep, t, tally_.separations);
    out.persons("appointments_no_post", rep, t, tally_.no_post);
    if (out.has("employer_matches")) {
      // A month without matching by level (a schedule switches it) reports 0.
      std::vector<std::int64_t> seekers(regions_ * kLevelCount, 0), matches(regions_ * kLevelCount, 0);
      for (std::size_t k = 0; k < tally_.market_matches.size(); ++k) {
        seekers[k] = tally_.market_seekers[k];
        matches[k] = std::llround(tally_.market_matches[k] * static_cast<double>(out.scale()));
      }
      out.persons("employer_seekers", rep, t, seekers);
      out.as_is("employer_matches", rep, t, matches);
    }
    if (out.has("work_based_training_paid")) {
      out.persons("work_based_training_retained", rep, t, tally_.subsidy_retained);
      out.persons("work_based_training_hired", rep, t, tally_.subsidy_hired);
      std::vector<std::int64_t> paid(funds_, 0), unpaid(funds_, 0);
      paid[subsidy_fund_] = tally_.subsidy_paid;
      unpaid[subsidy_fund_] = tally_.subsidy_unpaid;
      out.as_is("work_based_training_paid", rep, t, paid);
      out.as_is("work_based_training_unpaid", rep, t, unpaid);
      out.as_is("work_based_training_suspended", rep, t, {tally_.subsidy_suspended ? 1 : 0});
    }
  }
  out.as_is("wage_bill", rep, t, {static_cast<std::int64_t>(std::llround(tally_.wage_bill))});
  const std::size_t lg = static_cast<std::size_t>(kLevelCount) * kGroupCount;
  std::vector<std::int64_t> mean(lg, 0), employed(lg, 0);
  for (std::size_t rc = 0; rc < regions_ * cells_; ++rc)
    for (std::size_t k = 0; k < lg; ++k) employed[k] += tally_.employed[rc * lg + k];
  for (std::size_t k = 0; k < lg; ++k)
    if (employed[k] > 0) mean[k] = std::llround(tally_.pay_sum[k] / static_cast<double>(employed[k]));
  out.as_is("mean_pay", rep, t, mean);
}

} // namespace skillsim
