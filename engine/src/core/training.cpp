#include "skillsim/core/training.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string_view>
#include <tuple>
#include <variant>

#include "skillsim/core/allocation.hpp"
#include "skillsim/core/employers.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/parallel.hpp"
#include "skillsim/core/promotion.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/results_layout.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim {

void TrainingTally::reset(std::size_t programmes, std::size_t funds, std::size_t regions) {
  for (auto* v : {&applications, &enrolments, &substitute_enrolments, &no_seat, &no_money, &completions, &dropouts,
                  &certificates, &money_binding, &followed_up, &employed_after, &no_place, &employer_paid})
    v->assign(programmes, 0);
  for (auto* v : {&paid, &leaked, &audit}) v->assign(funds * programmes, 0);
  remaining.assign(funds, 0);
  committed.assign(funds, 0);
  fund_binding.assign(funds, 0);
  seats_binding.assign(programmes * regions, 0);
  programme_assessments.assign(programmes * kLevelCount, 0);
  cell_places.clear();
  cell_apprentices.clear();
}

namespace {

std::vector<FundAccount> fund_accounts(const Parameters& p) {
  std::vector<FundAccount> funds;
  for (std::size_t f = 0; f < p.funds.names.size(); ++f)
    funds.push_back({p.funds.names[f], std::llround(p.funds.annual_envelope[f]), p.funds.carry_over[f] != 0});
  return funds;
}

constexpr auto kRemoved = static_cast<std::uint8_t>(Status::Removed);
constexpr auto kRetired = static_cast<std::uint8_t>(Status::Retired);
constexpr auto kInTraining = static_cast<std::uint8_t>(Status::InTraining);
constexpr auto kUnemployed = static_cast<std::uint8_t>(Status::Unemployed);
constexpr auto kEmployed = static_cast<std::uint8_t>(Status::Employed);

// The pool of apprenticeship places of an applicant who needs none (not an apprenticeship, or its
// employer's size class not limited).
constexpr std::uint32_t kNoPool = UINT32_MAX;

// An applicant in a demand cell: (programme, region, group) and which of the programme's
// substitutes they qualify for (a bit each); the pool of places it needs (region x employer cell,
// one past them for an employee without a cell yet, kNoPool for none), which splits the demand
// cells only when the places bind (admit_applicants).
struct Applicant {
  std::size_t cell;
  std::uint32_t substitutes;
  std::uint32_t pool = kNoPool; // in what was padding: 32 bytes an applicant, as the memory estimate counts
  std::uint64_t priority;
  std::size_t index;
  bool operator<(const Applicant& o) const {
    return std::tie(cell, substitutes, priority, index) < std::tie(o.cell, o.substitutes, o.priority, o.index);
  }
};
static_assert(sizeof(Applicant) <= 32, "the memory estimate counts 32 bytes an applicant");

} // namespace

double effective_leakage(double leakage_share, double share_audited, double deterrence) {
  return deterrence == 0 ? leakage_share : leakage_share * std::pow(1 - share_audited, deterrence);
}

double ApplicationRules::rate_of(const ProgrammesSection& pr, const EmployersSection& employers, std::size_t k,
                                 int level) {
  double rate = pr.application_rate[k];
  // (The optional columns are filled when a scenario is read; the pathway graph may see them short.)
  const bool subsidy =
      k < pr.reference_cost.size() && k < pr.subsidy_elasticity.size() && k < pr.cost_per_trainee.size();
  if (subsidy && pr.reference_cost[k] > 0 && pr.subsidy_elasticity[k] > 0)
    rate = std::min(1.0, rate * std::pow(pr.cost_per_trainee[k] / pr.reference_cost[k], pr.subsidy_elasticity[k]));
  // The choice model: exactly the rate above at elasticity 0 (an optional column: absent, 0).
  const double elasticity = k < pr.premium_elasticity.size() ? pr.premium_elasticity[k] : 0.0;
  if (elasticity == 0) return rate;
  return std::min(1.0, rate * premium_factor(employers, level, static_cast<int>(pr.target_level[k]), elasticity));
}

ApplicationRules::ApplicationRules(const Parameters& p) {
  const auto& pr = p.programmes;
  std::array<double, kGroupCount * kStatusCount> none_apply;
  none_apply.fill(1.0);
  for (std::size_t k = 0; k < pr.names.size(); ++k) {
    Programme rule;
    // By level held (the choice model); the bound below takes the highest over the eligible levels.
    for (int level = 0; level < kLevelCount; ++level) {
      rule.rate_by_level[static_cast<std::size_t>(level)] = rate_of(pr, p.employers, k, level);
      if (level >= pr.min_level[k] && level <= pr.max_level[k])
        rule.rate = std::max(rule.rate, rule.rate_by_level[static_cast<std::size_t>(level)]);
    }
    const double rate = rule.rate;
    for (int g = 0; g < kGroupCount; ++g)
      for (int st = 0; st < kStatusCount; ++st) {
        const bool ok = pr.eligible_groups(static_cast<int>(k), g) && pr.eligible_statuses(static_cast<int>(k), st);
        rule.eligible[static_cast<std::size_t>(g * kStatusCount + st)] = ok;
        if (ok && rate > 0) none_apply[static_cast<std::size_t>(g * kStatusCount + st)] *= 1 - rate;
      }
    for (std::size_t r = 0; r < p.population.regions.size(); ++r)
      rule.eligible_region.push_back(pr.eligible_regions(static_cast<int>(k), static_cast<int>(r)));
    rule.min_level = static_cast<int>(pr.min_level[k]);
    rule.max_level = static_cast<int>(pr.max_level[k]);
    // age_months / 12 >= min_age  <=>  age_months >= ceil(12 min_age), and likewise for max.
    rule.min_age_months = static_cast<std::int32_t>(std::ceil(12 * pr.min_age[k]));
    rule.max_age_months = static_cast<std::int32_t>(std::ceil(12 * pr.max_age[k]));
    rule.min_contribution_months = pr.min_contribution_months[k];
    // The route's waiting rule, from the ordinary minimum for the next level (docs/pathways.md).
    const WaitingRule waiting = waiting_of(pr, k);
    for (std::size_t level = 0; level + 1 < kLevelCount; ++level)
      rule.wait_months[level] =
          waiting_months(waiting, static_cast<std::uint32_t>(p.skills.min_months[level + 1]), pr.shorten_months[k]);
    for (std::size_t q = 0; q < pr.names.size(); ++q)
      if (q != k && pr.substitutes(static_cast<int>(k), static_cast<int>(q))) rule.substitutes.push_back(q);
    programmes.push_back(rule);
  }
  for (std::size_t gs = 0; gs < may_apply.size(); ++gs) may_apply[gs] = 1 - none_apply[gs];
}

namespace {
// The optional column: 0 where a scenario was not filled (the pathway graph may see it short).
double employer_share_of(const ProgrammesSection& pr, std::size_t programme) {
  return programme < pr.employer_share.size() ? pr.employer_share[programme] : 0.0;
}
} // namespace

std::int64_t claim_yuan(const Parameters& p, std::size_t programme, std::size_t fund) {
  // x (1 - 0) is exact: without co-funding the amounts of before, bit for bit.
  return std::llround(p.programmes.cost_per_trainee[programme] *
                      p.programmes.fund_shares(static_cast<int>(programme), static_cast<int>(fund)) *
                      (1 - employer_share_of(p.programmes, programme)) * static_cast<double>(p.population.scale));
}

std::int64_t employer_claim_yuan(const Parameters& p, std::size_t programme) {
  return std::llround(p.programmes.cost_per_trainee[programme] * employer_share_of(p.programmes, programme) *
                      static_cast<double>(p.population.scale));
}

std::int64_t claims_committed(const Parameters& p, std::size_t programme) {
  return payment_of(p.programmes, programme) == Payment::Monthly
             ? static_cast<std::int64_t>(p.programmes.duration_months[programme])
             : 1;
}

ClaimOverheads claim_overheads(const Parameters& p, std::size_t programme) {
  // For each genuine claim L / (1 - L) fake ones are made; audits look at a share s of all claims,
  // cost cost_per_audit each and stop the fakes they see. Audits deter, too: L = leakage_share x
  // (1 - s)^deterrence (leakage_share itself at deterrence 0, bit for bit).
  const double audited = p.audit.share_audited;
  const double leakage = effective_leakage(p.programmes.leakage_share[programme], audited, p.audit.deterrence);
  return {leakage * (1 - audited) / (1 - leakage), audited / (1 - leakage)};
}

void MonthlyCandidates::add_queued(std::span<const AgentIndex> joined) {
  queued.insert(queued.end(), joined.begin(), joined.end());
  std::inplace_merge(queued.begin(), queued.end() - static_cast<std::ptrdiff_t>(joined.size()), queued.end());
}

TrainingSystem::TrainingSystem(const Parameters& p)
    : scale_(p.population.scale), funds_(p.funds.names.size()), state_{Ledger(fund_accounts(p)), -1, {}, {}} {
  const auto& pr = p.programmes;
  for (std::size_t k = 0; k < pr.names.size(); ++k) {
    for (std::size_t f = 0; f < funds_; ++f) claim_yuan_.push_back(claim_yuan(p, k, f));
    payment_.push_back(payment_of(pr, k));
    claims_committed_.push_back(claims_committed(p, k));
    apprenticeship_.push_back(k < pr.apprenticeship.size() ? pr.apprenticeship[k] : 0);
    employer_claim_.push_back(employer_claim_yuan(p, k));
  }
  state_.seats_due.assign(pr.names.size() * p.population.regions.size(), Carry{});
  state_.overhead_due.assign(2 * funds_ * pr.names.size(), Carry{});
}

void TrainingSystem::check_fits(const State& state) const {
  if (state.ledger.size() != state_.ledger.size() || state.seats_due.size() != state_.seats_due.size() ||
      state.overhead_due.size() != state_.overhead_due.size())
    throw Error("training state of " + std::to_string(state.ledger.size()) + " funds and " +
                std::to_string(state.seats_due.size()) + " programme-regions does not fit this scenario's " +
                std::to_string(state_.ledger.size()) + " funds and " + std::to_string(state_.seats_due.size()) +
                " programme-regions");
}

void TrainingSystem::restore(const State& state) {
  check_fits(state);
  state_ = state;
}

void TrainingSystem::pay_claims(const Parameters& p, std::size_t programme, std::int64_t claims) {
  if (claims == 0) return;
  const std::size_t programmes = p.programmes.names.size(), funds = p.funds.names.size();
  const auto [fakes_paid_per_claim, audits_per_claim] = claim_overheads(p, programme);
  // The employer's part of every claim (职工教育经费), on the same terms as the funds': it is not
  // drawn from a ledger (an employer pays what its trainees' claims come to).
  tally_.employer_paid[programme] += employer_claim_[programme] * claims;
  for (std::size_t f = 0; f < funds; ++f) {
    const std::size_t k = f * programmes + programme;
    const std::int64_t due = amount(programme, f) * claims;
    if (due > 0) {
      state_.ledger.pay(f, due);
      tally_.paid[k] += due;
    }
    const double share = p.programmes.fund_shares(static_cast<int>(programme), static_cast<int>(f));
    const double overheads[2] = {static_cast<double>(due) * fakes_paid_per_claim,
                                 p.audit.cost_per_audit * share * static_cast<double>(scale_ * claims) *
                                     audits_per_claim};
    for (int kind = 0; kind < 2; ++kind) {
      // Paid from the uncommitted money while it lasts; what cannot be paid is not owed.
      const std::int64_t whole = state_.overhead_due[(2 * k) + static_cast<std::size_t>(kind)].take(overheads[kind]);
      const std::int64_t paid = std::min(whole, state_.ledger.fund(f).remaining);
      if (paid <= 0) continue;
      state_.ledger.commit(f, paid);
      state_.ledger.pay(f, paid, kind == 0 ? paid : 0);
      tally_.paid[k] += paid;
      (kind == 0 ? tally_.leaked : tally_.audit)[k] += paid;
    }
  }
}

void TrainingSystem::release_claims(std::size_t programme, std::int64_t claims) {
  if (claims == 0) return;
  for (std::size_t f = 0; f < funds_; ++f)
    if (const std::int64_t a = amount(programme, f); a > 0) state_.ledger.release(f, a * claims);
}

void TrainingSystem::step(const Parameters& p, Month month, Population& pop, const RandomStreams& rng,
                          MonthTally& flows, bool evaluation_limited, const ApplicationRules& rules,
                          const MonthlyCandidates& candidates, const Employers* employers, const RankGroup* ranks) {
  const std::size_t programmes = p.programmes.names.size(), funds = p.funds.names.size();
  const std::size_t regions = p.population.regions.size();
  ranks_ = split(ranks) ? ranks : nullptr;
  tally_.reset(programmes, funds, regions);
  newly_queued_.clear();
  open_year(p, month);
  if (programmes == 0) return;
  // Apprentices are counted by employer cell (their places, and the results) when there are
  // employers and an apprenticeship; the places bind only when a size class limits them.
  const bool apprenticeships = std::any_of(apprenticeship_.begin(), apprenticeship_.end(), [](auto a) { return a; });
  employer_cells_ = employers != nullptr && employers->enabled() && apprenticeships ? employers->cells() : 0;
  free_places_.clear();
  if (employer_cells_ > 0) {
    tally_.cell_apprentices.assign(regions * employer_cells_, 0);
    tally_.cell_places.assign(regions * employer_cells_, 0);
    if (p.employers.limits_apprentice_places()) {
      free_places_ = employers->per_1000_employed(p.employers.apprentice_places_per_1000);
      for (std::size_t rc = 0; rc < free_places_.size(); ++rc)
        tally_.cell_places[rc] = std::max<std::int64_t>(0, free_places_[rc]);
    }
  }
  end_trainees(p, month, pop, rng, flows, evaluation_limited, candidates.trainees);
  // A cell's free places: its places less its apprentices still in training (end_trainees counted them).
  for (std::size_t rc = 0; rc < free_places_.size(); ++rc)
    if (free_places_[rc] >= 0)
      free_places_[rc] = std::max<std::int64_t>(0, free_places_[rc] - tally_.cell_apprentices[rc]);
  admit_applicants(p, month, pop, rng, rules, candidates.applicants, flows);
}

void TrainingSystem::open_year(const Parameters& p, Month month) {
  if (month.year() == state_.budget_year) return;
  for (std::size_t f = 0; f < p.funds.names.size(); ++f)
    state_.ledger.set_envelope(f, std::llround(p.funds.annual_envelope[f]));
  state_.ledger.start_year();
  state_.budget_year = month.year();
}

void TrainingSystem::close_month() {
  for (std::size_t f = 0; f < state_.ledger.size(); ++f) {
    tally_.remaining[f] = state_.ledger.fund(f).remaining;
    tally_.committed[f] = state_.ledger.fund(f).committed;
  }
}

void TrainingSystem::leave_programme(Population& pop, std::size_t i) {
  pop.programme[i] = kNoProgramme;
  pop.programme_months_left[i] = 0;
}

void TrainingSystem::assessed(const Parameters& p, Population& pop, std::size_t i, bool passed, MonthTally& flows) {
  assessed(p, pop, i, pop.programme[i], pop.level[i], passed, flows);
}

void TrainingSystem::assessed(const Parameters& p, Population& pop, std::size_t i, std::uint8_t prog,
                              std::uint8_t level, bool passed, MonthTally& flows) {
  settle_assessment(p, prog, passed);
  if (i != kNotHere) finish_assessment(p, pop, i, prog, level, passed, flows);
}

void TrainingSystem::settle_assessment(const Parameters& p, std::uint8_t prog, bool passed) {
  const auto target = static_cast<std::size_t>(p.programmes.target_level[prog]);
  ++tally_.programme_assessments[prog * std::size_t{kLevelCount} + target]; // passed or failed, once
  if (passed) ++tally_.certificates[prog];
  if (payment_[prog] == Payment::Certification) {
    if (passed)
      pay_claims(p, prog, 1);
    else
      release_claims(prog, 1);
  }
}

void TrainingSystem::finish_assessment(const Parameters& p, Population& pop, std::size_t i, std::uint8_t prog,
                                       std::uint8_t level, bool passed, MonthTally& flows) {
  const auto target = static_cast<int>(p.programmes.target_level[prog]);
  if (passed && level < target) promote(pop, i, target, flows);
  leave_programme(pop, i);
}

void TrainingSystem::leave_evaluation_queue(Population& pop, std::size_t i) {
  leave_evaluation_queue(pop, i, pop.programme[i]);
}

void TrainingSystem::leave_evaluation_queue(Population& pop, std::size_t i, std::uint8_t prog) {
  if (payment_[prog] == Payment::Certification) release_claims(prog, 1);
  if (i != kNotHere) leave_programme(pop, i);
}

void TrainingSystem::end_trainees(const Parameters& p, Month month, Population& pop, const RandomStreams& rng,
                                  MonthTally& flows, bool evaluation_limited, std::span<const AgentIndex> trainees) {
  const auto& pr = p.programmes;
  const std::size_t programmes = pr.names.size();
  // kNotSitting: completed with a training certificate only (programmes.appraisal_share).
  enum Outcome : std::uint8_t { kPassed, kFailed, kNotSitting, kDroppedOut, kLeft };
  // What settling and finishing need of a trainee whose programme ends, read while its columns
  // are in cache.
  struct Ending {
    std::size_t index;
    std::uint8_t outcome, programme, months_left, level;
  };
  const std::int64_t n = static_cast<std::int64_t>(trainees.size());
  std::vector<std::vector<Ending>> outcomes_by_thread(static_cast<std::size_t>(omp_get_max_threads()));
  std::vector<std::int64_t> months_trained(programmes, 0); // monthly claims due this month
#pragma omp parallel
  {
    std::vector<Ending> local;
    std::vector<std::int64_t> local_months(programmes, 0), local_followed(programmes, 0), local_employed(programmes, 0);
    std::vector<std::int64_t> local_apprentices(tally_.cell_apprentices.size(), 0);
#pragma omp for schedule(static) nowait
    for (std::int64_t c = 0; c < n; ++c) {
      if (c + kPrefetchAhead < n)
        prefetch_agent(trainees[static_cast<std::size_t>(c + kPrefetchAhead)], pop.status, pop.follow_up_months_left,
                       pop.programme, pop.programme_months_left, pop.level);
      const std::size_t i = trainees[static_cast<std::size_t>(c)];
      const std::uint8_t st = pop.status[i];
      if (pop.follow_up_months_left[i] > 0) {
        if (st == kRemoved || st == kRetired) {
          pop.follow_up_months_left[i] = 0; // not followed up
        } else if (--pop.follow_up_months_left[i] == 0) {
          ++local_followed[pop.follow_up_programme[i]];
          if (st == kEmployed) ++local_employed[pop.follow_up_programme[i]];
        }
        if (pop.follow_up_months_left[i] == 0) pop.follow_up_programme[i] = kNoProgramme;
      }
      const std::uint8_t prog = pop.programme[i];
      if (prog == kNoProgramme || pop.programme_months_left[i] == 0) continue; // none, or awaiting assessment
      const auto ending = [&](Outcome outcome) {
        local.push_back({i, outcome, prog, pop.programme_months_left[i], pop.level[i]});
      };
      if (st == kRemoved || st == kRetired) {
        ending(kLeft);
        continue;
      }
      if (payment_[prog] == Payment::Monthly) ++local_months[prog];
      if (--pop.programme_months_left[i] > 0) {
        // An apprentice in training holds a place of the cell that employs it (at the start of
        // the month); one who lost the job holds none.
        if (employer_cells_ > 0 && apprenticeship_[prog] && st == kEmployed && pop.employer[i] != kNoEmployer)
          ++local_apprentices[pop.region_of(i) * employer_cells_ + pop.employer[i]];
        continue;
      }
      const DrawBlock d = rng.block(streams::kTrainingOutcome, month.index, pop.id[i]);
      if (!d.below(streams::kCompletes, probability_threshold(pr.completion_probability[prog])))
        ending(kDroppedOut);
      else if (!d.below(streams::kSitsAppraisal, probability_threshold(pr.appraisal_share[prog])))
        ending(kNotSitting); // never for a share of 1: every word is below 2^32
      else
        ending(d.below(streams::kPassesProgramme, probability_threshold(pr.pass_probability[prog])) ? kPassed
                                                                                                    : kFailed);
    }
    outcomes_by_thread[static_cast<std::size_t>(omp_get_thread_num())] = std::move(local);
#pragma omp critical(skillsim_training_outcomes)
    {
      for (std::size_t k = 0; k < programmes; ++k) {
        months_trained[k] += local_months[k];
        tally_.followed_up[k] += local_followed[k];
        tally_.employed_after[k] += local_employed[k];
      }
      for (std::size_t rc = 0; rc < local_apprentices.size(); ++rc)
        tally_.cell_apprentices[rc] += local_apprentices[rc];
    }
  }
  if (ranks_ != nullptr) { // split over ranks: every rank pays for every trainee-month
    ranks_->sum(months_trained);
    ranks_->sum(tally_.followed_up);
    ranks_->sum(tally_.employed_after);
    ranks_->sum(tally_.cell_apprentices); // the cells' free places read them (empty without employers)
  }
  for (std::size_t k = 0; k < programmes; ++k) pay_claims(p, k, months_trained[k]);
  // Ledger operations in agent order, for any thread count: `trainees` is in agent order.
  const std::vector<Ending> outcomes = join_in_thread_order(outcomes_by_thread);
  // An ending's tallies and money, which every rank keeps alike (split over ranks, the ending may
  // be of another rank's agent).
  const auto settle = [&](const Ending& e) {
    const Payment payment = payment_[e.programme];
    if (e.outcome == kLeft || e.outcome == kDroppedOut) {
      ++tally_.dropouts[e.programme];
      if (payment == Payment::Certification) release_claims(e.programme, 1);
      if (payment == Payment::Monthly) release_claims(e.programme, e.months_left);
      return;
    }
    ++tally_.completions[e.programme];
    if (e.outcome == kNotSitting) { // training certificate only: no assessment, no queue, nothing paid
      if (payment == Payment::Certification) release_claims(e.programme, 1);
    } else if (!evaluation_limited) {
      settle_assessment(p, e.programme, e.outcome == kPassed);
    }
  };
  // The agent's part of an ending: it changes only agent i, `to` and `queued`.
  const auto finish = [&](std::size_t i, const Ending& e, MonthTally& to, std::vector<AgentIndex>& queued) {
    if (pop.status[i] == kInTraining) pop.status[i] = kUnemployed; // full-time trainees search again
    if (e.outcome == kLeft || e.outcome == kDroppedOut) {
      leave_programme(pop, i);
      return;
    }
    pop.follow_up_programme[i] = e.programme;
    pop.follow_up_months_left[i] = static_cast<std::uint8_t>(std::min<std::int64_t>(pr.follow_up_months, 255));
    if (e.outcome == kNotSitting) {
      leave_programme(pop, i);
    } else if (evaluation_limited) { // assessed when an evaluator is free (evaluation.hpp)
      pop.evaluation_wait[i] = 1;
      queued.push_back(static_cast<AgentIndex>(i));
    } else {
      finish_assessment(p, pop, i, e.programme, e.level, e.outcome == kPassed, to);
    }
  };
  if (ranks_ == nullptr) {
    for (const Ending& e : outcomes) settle(e);
    // The agents on all threads; the queue's newcomers stay in agent order (a static schedule,
    // joined in thread order).
    const auto count = static_cast<std::int64_t>(outcomes.size());
    std::vector<std::vector<AgentIndex>> queued_by_thread(static_cast<std::size_t>(omp_get_max_threads()));
#pragma omp parallel
    {
      MonthTally local;
      std::vector<AgentIndex> queued;
#pragma omp for schedule(static) nowait
      for (std::int64_t k = 0; k < count; ++k) {
        const Ending& e = outcomes[static_cast<std::size_t>(k)];
        finish(e.index, e, local, queued);
      }
      queued_by_thread[static_cast<std::size_t>(omp_get_thread_num())] = std::move(queued);
#pragma omp critical(skillsim_training_endings)
      flows += local; // sums of integers: the same in any order
    }
    newly_queued_ = join_in_thread_order(queued_by_thread);
    return;
  }
  // Every rank's outcomes, in agent order (by id): (id, outcome | programme << 8 | months left <<
  // 16 | level << 24).
  std::vector<std::uint64_t> mine;
  mine.reserve(2 * outcomes.size());
  for (const Ending& e : outcomes)
    mine.insert(mine.end(), {pop.id[e.index], std::uint64_t{e.outcome} | std::uint64_t{e.programme} << 8 |
                                                  std::uint64_t{e.months_left} << 16 | std::uint64_t{e.level} << 24});
  std::vector<std::uint64_t> all = ranks_->join(mine);
  sort_by_id(all, 2);
  for (std::size_t k = 0; k + 1 < all.size(); k += 2) {
    const std::uint64_t w = all[k + 1];
    const std::size_t i = local_index(pop, all[k]);
    const Ending e{i, static_cast<std::uint8_t>(w & 0xFF), static_cast<std::uint8_t>(w >> 8 & 0xFF),
                   static_cast<std::uint8_t>(w >> 16 & 0xFF), static_cast<std::uint8_t>(w >> 24 & 0xFF)};
    settle(e);
    if (i != kNotHere) finish(i, e, flows, newly_queued_);
  }
}

void TrainingSystem::admit_applicants(const Parameters& p, Month month, Population& pop, const RandomStreams& rng,
                                      const ApplicationRules& rules, std::span<const ApplicationCandidate> candidates,
                                      MonthTally& flows) {
  const auto& pr = p.programmes;
  const std::size_t programmes = pr.names.size(), funds = p.funds.names.size();
  const std::size_t regions = p.population.regions.size();

  const auto cell_of = [&](std::size_t prog, std::size_t region, std::size_t group) {
    return (prog * regions + region) * kGroupCount + group;
  };
  // The pool of apprenticeship places an applicant to programme k needs (kNoPool: none). An
  // employee hired this month has no cell until the month's end: its pool (one past the cells)
  // has no place, so it is refused for want of one and may apply again next month.
  const auto no_cell_pool = static_cast<std::uint32_t>(free_places_.size());
  const auto pool_of = [&](std::size_t i, std::size_t k) -> std::uint32_t {
    if (free_places_.empty() || !apprenticeship_[k]) return kNoPool;
    if (pop.employer[i] == kNoEmployer) return no_cell_pool;
    const std::size_t rc = pop.region_of(i) * employer_cells_ + pop.employer[i];
    return free_places_[rc] < 0 ? kNoPool : static_cast<std::uint32_t>(rc);
  };
  // Applications, from the candidates the monthly rules found (see ApplicationRules).
  const std::int64_t n = static_cast<std::int64_t>(candidates.size());
  std::vector<std::vector<Applicant>> applicants_by_thread(static_cast<std::size_t>(omp_get_max_threads()));
#pragma omp parallel
  {
    std::vector<Applicant> local;
#pragma omp for schedule(static) nowait
    for (std::int64_t c = 0; c < n; ++c) {
      if (c + kPrefetchAhead < n)
        prefetch_agent(candidates[static_cast<std::size_t>(c + kPrefetchAhead)].index, pop.status, pop.programme,
                       pop.evaluation_wait, pop.group, pop.level, pop.birth_month, pop.ui_months, pop.months_at_level,
                       pop.id);
      const std::size_t i = candidates[static_cast<std::size_t>(c)].index;
      const std::uint8_t st = pop.status[i];
      if (pop.programme[i] != kNoProgramme || pop.evaluation_wait[i] != 0 || st == kRemoved || st == kRetired) continue;
      const int group = pop.group[i], level = pop.level[i];
      const std::size_t group_status = static_cast<std::size_t>(group * kStatusCount + st);
      const std::int32_t age_months = month.index - pop.birth_month[i];
      const std::size_t region = pop.region_of(i);
      const int chosen = rules.choose(region, group_status, level, age_months, pop.ui_months[i], pop.months_at_level[i],
                                      candidates[static_cast<std::size_t>(c)].draw);
      if (chosen < 0) continue;
      const auto k = static_cast<std::size_t>(chosen);
      const ApplicationRules::Programme& rule = rules.programmes[k];
      std::uint32_t mask = 0;
      for (std::size_t j = 0; j < rule.substitutes.size(); ++j)
        if (rules.eligible(rule.substitutes[j], region, group_status, level, age_months, pop.ui_months[i],
                           pop.months_at_level[i]))
          mask |= std::uint32_t{1} << j;
      const DrawBlock priority = rng.block(streams::kAdmissionPriority, month.index, pop.id[i]);
      local.push_back({cell_of(k, region, static_cast<std::size_t>(group)), mask, pool_of(i, k),
                       streams::priority_of(priority), i});
    }
    applicants_by_thread[static_cast<std::size_t>(omp_get_thread_num())] = std::move(local);
  }
  // The applicants by demand cell (below), in the order of (cell, substitutes); the allocation
  // needs only how many each has.
  std::size_t substitute_bits = 0;
  for (const ApplicationRules::Programme& rule : rules.programmes)
    substitute_bits = std::max(substitute_bits, rule.substitutes.size());
  const std::size_t key_limit = (programmes * regions * kGroupCount) << substitute_bits;
  const auto key_of = [&](const Applicant& a) { return (a.cell << substitute_bits) | a.substitutes; };
  std::vector<Applicant> applicants;
  if (ranks_ == nullptr) { // each thread's list grouped on its thread, straight into one
    group_blocks_by_key(
        applicants_by_thread.size(), key_limit, [&](std::size_t b) { return applicants_by_thread[b].size(); },
        [&](std::size_t b, std::size_t j) { return std::optional<Applicant>(applicants_by_thread[b][j]); }, key_of,
        applicants);
    applicants_by_thread.clear();
  } else {
    // Every rank's applicants, by id: the admitted are ordered below as one process orders them
    // (the id, in agent order, breaks every tie), and every rank allocates and admits alike.
    applicants = join_in_thread_order(applicants_by_thread);
    applicants_by_thread.clear();
    std::vector<std::uint64_t> mine;
    mine.reserve(4 * applicants.size());
    for (const Applicant& a : applicants)
      mine.insert(mine.end(),
                  {a.cell, std::uint64_t{a.substitutes} | std::uint64_t{a.pool} << 32, a.priority, pop.id[a.index]});
    const std::vector<std::uint64_t> all = ranks_->join(mine);
    applicants.resize(all.size() / 4);
    for (std::size_t k = 0; k < applicants.size(); ++k)
      applicants[k] = {static_cast<std::size_t>(all[4 * k]), static_cast<std::uint32_t>(all[4 * k + 1]),
                       static_cast<std::uint32_t>(all[4 * k + 1] >> 32), all[4 * k + 2],
                       static_cast<std::size_t>(all[4 * k + 3])};
    group_by_key(applicants, key_limit, key_of);
  }

  // Allocation of seats and money to the demand cells, all at once. A trainee commits one claim,
  // or one per month of the programme if paid monthly.
  AllocationProblem problem;
  problem.programmes = static_cast<int>(programmes);
  problem.regions = static_cast<int>(regions);
  for (std::size_t k = 0; k < programmes * regions; ++k) {
    // Fractions carry; unused seats do not.
    problem.seats.push_back(
        state_.seats_due[k].take(pr.seats_per_month(static_cast<int>(k / regions), static_cast<int>(k % regions)) /
                                 static_cast<double>(scale_)));
  }
  for (std::size_t k = 0; k < programmes; ++k) {
    std::int64_t affordable = static_cast<std::int64_t>(applicants.size());
    for (std::size_t f = 0; f < funds; ++f)
      if (const std::int64_t a = amount(k, f) * claims_committed_[k]; a > 0)
        affordable = std::min(affordable, state_.ledger.fund(f).remaining / a);
    problem.affordable.push_back(affordable);
  }
  for (const Applicant& a : applicants) ++tally_.applications[a.cell / (regions * kGroupCount)];
  // The demand cells: applicants of one (programme, region, group) who qualify for the same
  // substitutes, and, `by_pool`, who need the same pool of apprenticeship places.
  std::vector<std::pair<std::size_t, std::size_t>> cell_ranges; // [begin, end) in applicants
  const auto demand_cells = [&](bool by_pool) {
    problem.cells.clear();
    cell_ranges.clear();
    for (std::size_t b = 0; b < applicants.size();) {
      std::size_t e = b;
      while (e < applicants.size() && applicants[e].cell == applicants[b].cell &&
             applicants[e].substitutes == applicants[b].substitutes &&
             (!by_pool || applicants[e].pool == applicants[b].pool))
        ++e;
      const std::size_t cell = applicants[b].cell;
      const std::size_t prog = cell / (regions * kGroupCount), group = cell % kGroupCount;
      const int pool = by_pool && applicants[b].pool != kNoPool ? static_cast<int>(applicants[b].pool) : -1;
      problem.cells.push_back({static_cast<int>(prog), static_cast<int>((cell / kGroupCount) % regions),
                               static_cast<int>(group), static_cast<std::int64_t>(e - b), pr.group_priority[group],
                               rules.programmes[prog].substitutes_in(applicants[b].substitutes), pool});
      cell_ranges.emplace_back(b, e);
      b = e;
    }
  };
  demand_cells(false);
  const auto solve_start = std::chrono::steady_clock::now();
  Allocation allocation = allocate(problem);
  // Each cell's admitted: its lowest agent-keyed priorities, lowest first ((priority, index) are
  // distinct); the order of the rest does not matter.
  std::vector<std::int64_t> admitted_by_cell(problem.cells.size());
  for (std::size_t c = 0; c < admitted_by_cell.size(); ++c) admitted_by_cell[c] = allocation.cells[c].admitted;
  sort_lowest_first(applicants, cell_ranges, admitted_by_cell);
  // Apprenticeship places (employers.apprentice_places_per_1000): the allocation of before stands
  // if those it admits (the first of each cell, lowest priorities first) fit within their cells'
  // free places, so places that do not bind change nothing. Otherwise the applicants who need
  // places are split by pool and the allocation solved again with the pools in the network.
  if (!free_places_.empty()) {
    std::vector<std::int64_t> taken(free_places_.size() + 1, 0);
    bool fits = true;
    for (std::size_t c = 0; c < problem.cells.size() && fits; ++c) {
      const auto [begin, end] = cell_ranges[c];
      const std::size_t admitted = static_cast<std::size_t>(allocation.cells[c].admitted);
      for (std::size_t a = begin; a < begin + admitted && a < end && fits; ++a) {
        const std::uint32_t pool = applicants[a].pool;
        if (pool == kNoPool) continue;
        fits = pool < free_places_.size() && ++taken[pool] <= free_places_[pool];
      }
    }
    if (!fits) {
      std::sort(applicants.begin(), applicants.end(), [](const Applicant& x, const Applicant& y) {
        return std::tie(x.cell, x.substitutes, x.pool, x.priority, x.index) <
               std::tie(y.cell, y.substitutes, y.pool, y.priority, y.index);
      });
      problem.places.assign(free_places_.size() + 1, 0); // the last: employees without a cell yet
      for (std::size_t rc = 0; rc < free_places_.size(); ++rc)
        problem.places[rc] = std::max<std::int64_t>(0, free_places_[rc]);
      demand_cells(true);
      allocation = allocate(problem);
    }
  }
  allocation_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - solve_start).count();

  // Split over ranks, each rank counts the apprentices it admits (its own agents know their cell):
  // the admitted of every rank are summed after the admissions.
  std::vector<std::int64_t> apprentices_before;
  if (ranks_ != nullptr) apprentices_before = tally_.cell_apprentices;
  // Admissions: cells in priority order (money shared between programmes goes to the higher
  // priority first), the lowest agent-keyed priorities within each cell.
  // The money is committed here, in that order, on one thread; the enrolled agents change below.
  struct Enrolled {
    std::size_t index;
    std::uint8_t programme;
  };
  std::vector<Enrolled> enrolled;
  std::int64_t places_given = 0;
  for (const CellOutcome& outcome : allocation.cells) places_given += outcome.admitted;
  enrolled.reserve(static_cast<std::size_t>(places_given)); // at most the admitted
  std::vector<std::size_t> order(problem.cells.size());
  for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return problem.cells[a].priority_cost < problem.cells[b].priority_cost;
  });
  for (std::size_t c : order) {
    const DemandCell& cell = problem.cells[c];
    const auto prog = static_cast<std::size_t>(cell.programme);
    const CellOutcome& outcome = allocation.cells[c];
    tally_.no_seat[prog] += outcome.turned_away_no_seat;
    tally_.no_money[prog] += outcome.turned_away_no_money;
    tally_.no_place[prog] += outcome.turned_away_no_place;
    if (outcome.turned_away_no_seat > 0)
      tally_.seats_binding[prog * regions + static_cast<std::size_t>(cell.region)] = 1;
    if (outcome.turned_away_no_money > 0) tally_.money_binding[prog] = 1;
    const auto [begin, end] = cell_ranges[c];
    // The admitted, lowest priorities first: those the programme applied to takes, then each
    // substitute's share in order.
    std::vector<std::pair<std::size_t, std::int64_t>> places = {
        {prog,
         outcome.admitted - std::accumulate(outcome.admitted_to.begin(), outcome.admitted_to.end(), std::int64_t{0})}};
    for (std::size_t j = 0; j < cell.substitutes.size(); ++j)
      places.emplace_back(static_cast<std::size_t>(cell.substitutes[j]), outcome.admitted_to[j]);
    std::size_t a = begin;
    for (const auto& [taken, count] : places) {
      const std::int64_t claims = claims_committed_[taken];
      for (std::int64_t placed = 0; placed < count && a < end; ++placed, ++a) {
        bool affordable = true;
        for (std::size_t f = 0; f < funds; ++f)
          affordable = affordable && state_.ledger.fund(f).remaining >= amount(taken, f) * claims;
        if (!affordable) { // turned away for lack of money, counted where they applied
          ++tally_.no_money[prog];
          tally_.money_binding[taken] = 1;
          continue;
        }
        for (std::size_t f = 0; f < funds; ++f)
          if (const std::int64_t due = amount(taken, f) * claims; due > 0) state_.ledger.commit(f, due);
        if (payment_[taken] == Payment::Enrolment) pay_claims(p, taken, 1);
        ++tally_.enrolments[taken];
        if (taken != prog) ++tally_.substitute_enrolments[taken];
        enrolled.push_back({applicants[a].index, static_cast<std::uint8_t>(taken)});
      }
    }
  }
  // The enrolled themselves, on all threads: each changes only its own agent (split over ranks,
  // `index` is an id, and the agent may be another rank's).
  const auto count = static_cast<std::int64_t>(enrolled.size());
#pragma omp parallel
  {
    MonthTally local;
    std::vector<std::int64_t> local_apprentices(tally_.cell_apprentices.size(), 0);
#pragma omp for schedule(static) nowait
    for (std::int64_t k = 0; k < count; ++k) {
      const auto [index, taken] = enrolled[static_cast<std::size_t>(k)];
      const std::size_t i = ranks_ != nullptr ? local_index(pop, index) : index;
      if (i == kNotHere) continue;
      pop.programme[i] = taken;
      pop.programme_months_left[i] = static_cast<std::uint8_t>(pr.duration_months[taken]);
      if (pr.full_time[taken]) pop.status[i] = kInTraining;
      // An apprentice holds the 学徒工 position while enrolled (and after: a failed or departed
      // apprentice stays 学徒工, docs/levers.md "Apprenticeship").
      if (apprenticeship_[taken] && pop.level[i] < static_cast<std::uint8_t>(Level::Apprentice))
        promote(pop, i, static_cast<int>(Level::Apprentice), local);
      if (employer_cells_ > 0 && apprenticeship_[taken] && pop.employer[i] != kNoEmployer)
        ++local_apprentices[pop.region_of(i) * employer_cells_ + pop.employer[i]];
    }
#pragma omp critical(skillsim_training_enrolled)
    {
      flows += local; // sums of integers: the same in any order
      for (std::size_t rc = 0; rc < local_apprentices.size(); ++rc)
        tally_.cell_apprentices[rc] += local_apprentices[rc];
    }
  }
  if (ranks_ != nullptr) {
    std::vector<std::int64_t>& cells = tally_.cell_apprentices;
    for (std::size_t rc = 0; rc < cells.size(); ++rc) cells[rc] -= apprentices_before[rc];
    ranks_->sum(cells);
    for (std::size_t rc = 0; rc < cells.size(); ++rc) cells[rc] += apprentices_before[rc];
  }
  // The funds that were short: for each programme that turned applicants away for lack of
  // money, every fund that cannot pay one more of its trainees.
  for (std::size_t k = 0; k < programmes; ++k)
    if (tally_.money_binding[k])
      for (std::size_t f = 0; f < funds; ++f)
        if (const std::int64_t due = amount(k, f) * claims_committed_[k];
            due > 0 && state_.ledger.fund(f).remaining < due)
          tally_.fund_binding[f] = 1;
}

} // namespace skillsim

namespace skillsim {

void TrainingSystem::declare_results(Results& r, const Parameters& p) {
  if (p.programmes.names.empty()) return;
  r.dimensions.push_back(Dimension{"programme", {}, p.programmes.names, p.programmes.labels, {}});
  r.dimensions.push_back(Dimension{"fund", {}, p.funds.names, p.funds.labels, {}});
  const auto by_programme = over_time({"programme"});
  const auto by_fund = over_time({"fund"});
  const auto by_fund_programme = over_time({"fund", "programme"});
  add_variable(r, "trainees", by_programme, "persons in each programme");
  add_variable(r, "applications", by_programme, "applications during the month");
  add_variable(r, "enrolments", by_programme, "enrolments during the month");
  add_variable(r, "substitute_enrolments", by_programme,
               "of the enrolments, applicants to another programme placed here (programmes.substitutes)");
  add_variable(r, "turned_away_no_seat", by_programme, "applicants turned away for lack of a seat");
  add_variable(r, "turned_away_no_money", by_programme, "applicants turned away for lack of money");
  add_variable(r, "completions", by_programme, "trainees who completed the programme during the month");
  add_variable(r, "dropouts", by_programme, "trainees who left without completing (incl. deaths, retirements)");
  add_variable(r, "certificates", by_programme, "certificates earned through the programme during the month");
  add_variable(r, "programme_assessments", over_time({"programme", "level"}),
               "completers who sat the programme's assessment during the month (passed or failed), by level sought");
  add_variable(r, "spending", by_fund_programme, "money paid during the month", "yuan");
  add_variable(r, "fund_remaining", by_fund, "uncommitted money at the end of the month", "yuan");
  add_variable(r, "fund_committed", by_fund, "money committed to trainees, not yet paid", "yuan");
  add_variable(r, "seats_binding", over_time({"programme", "region"}),
               "1 if applicants were turned away for lack of seats in the month", "1");
  add_variable(r, "money_binding", by_programme, "1 if applicants were turned away for lack of money in the month",
               "1");
  add_variable(r, "fund_binding", by_fund,
               "1 if the fund's money was short for applicants turned away for lack of money in the month", "1");
  add_variable(r, "leakage", by_fund_programme, "part of spending paid for training that did not happen (after audits)",
               "yuan");
  add_variable(r, "audit_spending", by_fund_programme, "part of spending paid for audits of claims", "yuan");
  add_variable(r, "followed_up", by_programme,
               "completers whose follow-up window (programmes.follow_up_months) ended during the month");
  add_variable(r, "employed_after_training", by_programme,
               "of those followed up, the employed at the end of the window");
  const auto& pr = p.programmes;
  if (std::any_of(pr.employer_share.begin(), pr.employer_share.end(), [](double v) { return v > 0; }))
    add_variable(r, "employer_funding", by_programme,
                 "money paid during the month by the trainees' employers (职工教育经费, programmes.employer_share), "
                 "besides spending by the funds",
                 "yuan");
}

void TrainingSystem::declare_place_results(Results& r, const Scenario& scenario) {
  if (!apprentice_places_limited(scenario)) return; // nobody could be refused: it would be 0 throughout
  add_variable(r, "apprenticeship_no_place", over_time({"programme"}),
               "applicants turned away for want of an apprenticeship place in their employer cell "
               "(employers.apprentice_places_per_1000)");
}

bool TrainingSystem::has_apprentice_places(const Parameters& p) {
  const auto& a = p.programmes.apprenticeship;
  return !p.employers.size_classes.empty() && std::any_of(a.begin(), a.end(), [](std::uint8_t v) { return v != 0; });
}

bool TrainingSystem::apprentice_places_limited(const Scenario& scenario) {
  const Parameters& p = scenario.parameters();
  if (!has_apprentice_places(p)) return false; // neither is schedulable
  if (p.employers.limits_apprentice_places()) return true;
  constexpr std::string_view kPlaces = "employers.apprentice_places_per_1000";
  const auto limits = [](double places) { return places >= 0; }; // -1: not limited
  for (const auto& change : scenario.schedule())
    if (change.key == kPlaces && change.month < scenario.end())
      if (const auto* places = std::get_if<std::vector<double>>(&change.value))
        if (std::any_of(places->begin(), places->end(), limits)) return true;
  // A parameter set may limit its replicates' places (a column of the key or of one size class).
  const auto& targets = scenario.parameter_set_targets();
  for (std::size_t k = 0; k < targets.size(); ++k)
    if (targets[k].spec != nullptr && targets[k].spec->key == kPlaces)
      for (const auto& row : scenario.parameter_sets().rows)
        if (limits(row[k])) return true;
  return false;
}

void TrainingSystem::store_results(ResultsWriter& out, std::size_t rep, std::size_t t) const {
  // (`trainees`, a stock, is stored with the stocks: store_stocks.)
  if (!out.has("trainees") || t == 0) return; // no flows and no money before the first month
  const TrainingTally& tr = tally_;
  out.persons("applications", rep, t, tr.applications);
  out.persons("enrolments", rep, t, tr.enrolments);
  out.persons("substitute_enrolments", rep, t, tr.substitute_enrolments);
  out.persons("turned_away_no_seat", rep, t, tr.no_seat);
  out.persons("turned_away_no_money", rep, t, tr.no_money);
  out.persons("completions", rep, t, tr.completions);
  out.persons("dropouts", rep, t, tr.dropouts);
  out.persons("certificates", rep, t, tr.certificates);
  out.persons("programme_assessments", rep, t, tr.programme_assessments);
  out.as_is("spending", rep, t, tr.paid);
  out.as_is("fund_remaining", rep, t, tr.remaining);
  out.as_is("fund_committed", rep, t, tr.committed);
  out.as_is("seats_binding", rep, t, tr.seats_binding);
  out.as_is("money_binding", rep, t, tr.money_binding);
  out.as_is("fund_binding", rep, t, tr.fund_binding);
  out.as_is("leakage", rep, t, tr.leaked);
  out.as_is("audit_spending", rep, t, tr.audit);
  out.persons("followed_up", rep, t, tr.followed_up);
  out.persons("employed_after_training", rep, t, tr.employed_after);
  if (out.has("employer_funding")) out.as_is("employer_funding", rep, t, tr.employer_paid);
  if (out.has("apprenticeship_no_place")) out.persons("apprenticeship_no_place", rep, t, tr.no_place);
  if (out.has("employer_apprentices")) {
    // Nothing written (0) in a month without employer cells counted (the tally is then empty).
    out.persons("employer_apprentice_places", rep, t, tr.cell_places);
    out.persons("employer_apprentices", rep, t, tr.cell_apprentices);
  }
}

} // namespace skillsim
