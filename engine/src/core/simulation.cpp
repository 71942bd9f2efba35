#include "skillsim/core/simulation.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/synthesis.hpp"
#include "skillsim/core/targets.hpp"
#include "skillsim/core/version.hpp"

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
  retirements += o.retirements;
  newly_skilled += o.newly_skilled;
  job_finds += o.job_finds;
  job_losses += o.job_losses;
  return *this;
}

StockTally count_stocks(const Population& pop, std::size_t regions, std::size_t programmes) {
  StockTally total;
  total.by_region.assign(regions * kLevelCount, 0);
  total.trainees.assign(programmes, 0);
  const auto removed = static_cast<std::uint8_t>(Status::Removed);
  const auto employed = static_cast<std::uint8_t>(Status::Employed);
  const std::int64_t n = static_cast<std::int64_t>(pop.size());
#pragma omp parallel
  {
    StockTally local;
    local.by_region.assign(regions * kLevelCount, 0);
    local.trainees.assign(programmes, 0);
#pragma omp for schedule(static) nowait
    for (std::int64_t i = 0; i < n; ++i) {
      const std::uint8_t st = pop.status[i];
      if (st == removed) continue;
      const std::uint8_t lv = pop.level[i];
      ++local.workers[lv][st];
      ++local.by_group[pop.group[i]][lv];
      ++local.by_region[pop.region[i] * kLevelCount + lv];
      if (st == employed) ++local.employed_by_sector[pop.sector[i]];
      if (pop.programme[i] != kNoProgramme) ++local.trainees[pop.programme[i]];
    }
#pragma omp critical(skillsim_count_stocks)
    {
      for (int l = 0; l < kLevelCount; ++l)
        for (int s = 0; s < kStatusCount; ++s) total.workers[l][s] += local.workers[l][s];
      for (int g = 0; g < kGroupCount; ++g)
        for (int l = 0; l < kLevelCount; ++l) total.by_group[g][l] += local.by_group[g][l];
      for (int s = 0; s < kSectorCount; ++s) total.employed_by_sector[s] += local.employed_by_sector[s];
      for (std::size_t k = 0; k < total.by_region.size(); ++k) total.by_region[k] += local.by_region[k];
      for (std::size_t k = 0; k < programmes; ++k) total.trainees[k] += local.trainees[k];
    }
  }
  return total;
}

namespace {

// The month's parameters turned into integer thresholds for the per-agent loop.
struct MonthlyRates {
  std::uint64_t death[kMortalityBandCount];
  std::int32_t retirement_age_months[kSexCount];
  std::uint64_t job_loss[kLevelCount][kGroupCount][kSectorCount];
  std::uint64_t job_find[kLevelCount][kGroupCount];
  std::uint64_t find_or_inactive[kLevelCount][kGroupCount]; // job finding, then inactivity
  std::uint64_t reactivation;
  std::uint64_t insured[kGroupCount];
  std::uint64_t sit[kLevelCount][kStatusCount]; // by level sought
  std::uint64_t pass[kLevelCount];
  std::uint16_t min_months[kLevelCount];
  bool queue_for_evaluation; // assessments wait for an evaluator (evaluation.hpp)
  // Job finding of unemployed completers in their follow-up window: programme x level x group.
  std::vector<std::uint64_t> follow_up_find, follow_up_find_or_inactive;

  explicit MonthlyRates(const Parameters& p) : queue_for_evaluation(!p.evaluation.evaluators.empty()) {
    const auto& d = p.demography;
    for (int b = 0; b < kMortalityBandCount; ++b)
      death[b] = probability_threshold(1 - std::pow(1 - d.mortality_annual[b], 1.0 / 12));
    retirement_age_months[0] = static_cast<std::int32_t>(std::lround(d.retirement_age_male * 12));
    retirement_age_months[1] = static_cast<std::int32_t>(std::lround(d.retirement_age_female * 12));

    const auto& lab = p.labour;
    for (int l = 0; l < kLevelCount; ++l)
      for (int g = 0; g < kGroupCount; ++g) {
        for (int s = 0; s < kSectorCount; ++s)
          job_loss[l][g][s] =
              probability_threshold(lab.job_loss_rate * lab.job_loss_multiplier * lab.job_loss_level_factor[l] *
                                    lab.job_loss_group_factor[g] * lab.job_loss_sector_factor[s]);
        const double find = std::min(1.0, lab.job_find_rate * lab.job_find_multiplier * lab.job_find_level_factor[l] *
                                              lab.job_find_group_factor[g]);
        job_find[l][g] = probability_threshold(find);
        find_or_inactive[l][g] = probability_threshold(find + lab.inactivity_rate);
        for (double factor : p.programmes.job_find_factor) {
          const double boosted = std::min(1.0, find * factor);
          follow_up_find.push_back(probability_threshold(boosted));
          follow_up_find_or_inactive.push_back(probability_threshold(boosted + lab.inactivity_rate));
        }
      }
    reactivation = probability_threshold(lab.reactivation_rate);
    for (int g = 0; g < kGroupCount; ++g) insured[g] = probability_threshold(p.population.insured_share[g]);

    const auto& sk = p.skills;
    for (int l = 0; l < kLevelCount; ++l) {
      for (int s = 0; s < kStatusCount; ++s) {
        double rate = sk.assessment_rate[l] * sk.assessment_status_factor[s];
        // An apprenticeship needs an employer: only the employed start one.
        if (l == static_cast<int>(Level::Apprentice) && s != static_cast<int>(Status::Employed)) rate = 0;
        sit[l][s] = probability_threshold(rate);
      }
      pass[l] = probability_threshold(sk.pass_probability[l]);
      min_months[l] = static_cast<std::uint16_t>(sk.min_months[l]);
    }
  }
};

constexpr auto kRemoved = static_cast<std::uint8_t>(Status::Removed);
constexpr auto kEmployed = static_cast<std::uint8_t>(Status::Employed);
constexpr auto kUnemployed = static_cast<std::uint8_t>(Status::Unemployed);
constexpr auto kInactive = static_cast<std::uint8_t>(Status::Inactive);
constexpr auto kRetired = static_cast<std::uint8_t>(Status::Retired);
constexpr std::uint16_t kMaxCounter = 0xFFFF;

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

ReplicateState::ReplicateState(const Scenario& scenario, std::uint64_t seed, std::uint32_t replicate,
                               const std::atomic<bool>* cancel)
    : scenario_(&scenario), rng_(seed, replicate), month_(scenario.start()), training_(scenario.parameters()),
      evaluation_(scenario.parameters()) {
  population_ = synthesize_population(scenario.parameters(), rng_, cancel);
  next_id_ = population_.size();
}

void ReplicateState::apply_monthly_rules(const Parameters& p, const ApplicationRules& applications) {
  const MonthlyRates rates(p);
  const std::int32_t month = month_.index;
  Population& pop = population_;
  const std::int64_t n = static_cast<std::int64_t>(pop.size());
  MonthTally total;
  // Workers who may apply to a programme, by their status after this month's moves (the draw
  // comes from the same block, a spare lane; see ApplicationRules), and the trainees and queued
  // candidates the training and evaluation steps look at (MonthlyCandidates).
  const bool programmes = !applications.programmes.empty();
  const bool tracked = programmes || rates.queue_for_evaluation;
  candidates_.applicants.clear();
  candidates_.trainees.clear();
  candidates_.queued.clear();

#pragma omp parallel
  {
    MonthTally local;
    MonthlyCandidates found;
    const auto track = [&](std::int64_t i) {
      if (!tracked) return;
      if (pop.programme[i] != kNoProgramme || pop.follow_up_months_left[i] != 0)
        found.trainees.push_back(static_cast<std::size_t>(i));
      if (pop.evaluation_wait[i] != 0) found.queued.push_back(static_cast<std::size_t>(i));
    };
#pragma omp for schedule(static) nowait
    for (std::int64_t i = 0; i < n; ++i) {
      const std::uint8_t st = pop.status[i];
      if (st == kRemoved) continue;
      const DrawBlock d = rng_.block(streams::kMonthly, month, pop.id[i]);
      const std::int32_t age_months = month - pop.birth_month[i];
      const std::uint8_t lv = pop.level[i];

      // Demography: death, then retirement at the statutory age.
      // (Trainees and queued candidates who leave are still tracked: their places and money go.)
      if (d.below(streams::kMortality, rates.death[mortality_band(age_months / 12)])) {
        pop.status[i] = kRemoved;
        ++local.exits[lv];
        track(i);
        continue;
      }
      if (st == kRetired) continue;
      if (age_months >= rates.retirement_age_months[pop.sex[i]]) {
        pop.status[i] = kRetired;
        ++local.retirements;
        track(i);
        continue;
      }

      // Skills: after the minimum time at the level, seek the next level's assessment (not while
      // training or already waiting for one); held at once, or queued for an evaluator.
      const int target = lv + 1;
      bool promoted = false;
      if (target < kLevelCount && pop.programme[i] == kNoProgramme && pop.evaluation_wait[i] == 0 &&
          pop.months_at_level[i] >= rates.min_months[target] &&
          d.below(streams::kAssessmentSit, rates.sit[target][st])) {
        // Starting an apprenticeship (学徒工) is the employer's decision, not an assessment.
        if (rates.queue_for_evaluation && target > static_cast<int>(Level::Apprentice)) {
          pop.evaluation_wait[i] = 1;
        } else {
          ++local.assessments[target];
          if (d.below(streams::kAssessmentPass, rates.pass[target])) {
            pop.level[i] = static_cast<std::uint8_t>(target);
            pop.months_at_level[i] = 0;
            local.promote(lv, target);
            promoted = true;
          }
        }
      }
      if (!promoted && pop.months_at_level[i] < kMaxCounter) ++pop.months_at_level[i];

      // Labour market, by the level and status held at the start of the month.
      const std::uint8_t g = pop.group[i];
      if (st == kEmployed) {
        if (d.below(streams::kLabour, rates.job_loss[lv][g][pop.sector[i]])) {
          pop.status[i] = kUnemployed;
          ++local.job_losses;
        } else if (d.below(streams::kInsurance, rates.insured[g]) && pop.ui_months[i] < kMaxCounter) {
          ++pop.ui_months[i];
        }
      } else if (st == kUnemployed) {
        std::uint64_t find = rates.job_find[lv][g], find_or_inactive = rates.find_or_inactive[lv][g];
        if (const std::uint8_t after = pop.follow_up_programme[i]; after != kNoProgramme) {
          const std::size_t k = (static_cast<std::size_t>(after) * kLevelCount + lv) * kGroupCount + g;
          find = rates.follow_up_find[k];
          find_or_inactive = rates.follow_up_find_or_inactive[k];
        }
        if (d.below(streams::kLabour, find)) {
          pop.status[i] = kEmployed;
          ++local.job_finds;
        } else if (d.below(streams::kLabour, find_or_inactive)) {
          pop.status[i] = kInactive;
        }
      } else if (st == kInactive) {
        if (d.below(streams::kLabour, rates.reactivation)) pop.status[i] = kUnemployed;
      }
      if (programmes && ApplicationRules::uniform(d.words[streams::kApplication]) <
                            applications.may_apply[g * kStatusCount + pop.status[i]])
        found.applicants.push_back({static_cast<std::size_t>(i), d.words[streams::kApplication]});
      track(i);
    }
#pragma omp critical(skillsim_monthly_rules)
    {
      total += local;
      auto& c = candidates_;
      c.applicants.insert(c.applicants.end(), found.applicants.begin(), found.applicants.end());
      c.trainees.insert(c.trainees.end(), found.trainees.begin(), found.trainees.end());
      c.queued.insert(c.queued.end(), found.queued.begin(), found.queued.end());
    }
  }
  // Agent order, for any thread count.
  std::sort(candidates_.applicants.begin(), candidates_.applicants.end());
  std::sort(candidates_.trainees.begin(), candidates_.trainees.end());
  std::sort(candidates_.queued.begin(), candidates_.queued.end());
  flows_ = total;
  for (std::int64_t e : flows_.exits) removed_ += e;
}

void ReplicateState::appoint(const Parameters& p) {
  // 特级技师 from 高级技师 and 首席技师 from 特级技师, within yearly quotas spread over the months.
  // Among the eligible (employed, long enough at the level below), the lowest agent-keyed
  // priorities win, so the choice does not depend on thread count or agent order.
  const double quota_per_year[2] = {p.skills.principal_technician_quota_per_year,
                                    p.skills.chief_technician_quota_per_year};
  Population& pop = population_;
  for (int k = 0; k < 2; ++k) {
    const int target = static_cast<int>(Level::PrincipalTechnician) + k;
    appointments_due_[k] += quota_per_year[k] / 12.0 / static_cast<double>(p.population.scale);
    const auto quota = static_cast<std::size_t>(appointments_due_[k]);
    appointments_due_[k] -= static_cast<double>(quota); // unused quota is not carried over
    if (quota == 0) continue;
    const auto below = static_cast<std::uint8_t>(target - 1);
    const auto min_months = static_cast<std::uint16_t>(p.skills.min_months[target]);
    std::vector<std::pair<std::uint64_t, std::size_t>> eligible; // (priority, index)
    for (std::size_t i = 0; i < pop.size(); ++i)
      if (pop.level[i] == below && pop.status[i] == kEmployed && pop.months_at_level[i] >= min_months) {
        const DrawBlock d = rng_.block(streams::kAppointment, month_.index, pop.id[i]);
        const std::uint64_t priority = (std::uint64_t{d.words[0]} << 32) | d.words[1];
        eligible.emplace_back(priority, i);
      }
    const std::size_t chosen = std::min(quota, eligible.size());
    std::nth_element(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(chosen), eligible.end());
    for (std::size_t c = 0; c < chosen; ++c) {
      const std::size_t i = eligible[c].second;
      pop.level[i] = static_cast<std::uint8_t>(target);
      pop.months_at_level[i] = 0;
      flows_.promote(target - 1, target);
    }
  }
}

void ReplicateState::add_entrants(const Parameters& p) {
  const auto& e = p.entry;
  const double month_share = e.month_shares[static_cast<std::size_t>(month_.month() - 1)];
  const double per_year[2] = {e.school_leavers_per_year, e.technical_school_graduates_per_year};
  for (int kind = 0; kind < 2; ++kind) {
    entrants_due_[kind] += per_year[kind] * month_share / static_cast<double>(p.population.scale);
    const auto count = static_cast<std::uint64_t>(entrants_due_[kind]);
    entrants_due_[kind] -= static_cast<double>(count);
    const bool graduate = kind == 1;
    for (std::uint64_t k = 0; k < count; ++k) {
      Agent a;
      a.id = next_id_++;
      const DrawBlock d = rng_.block(streams::kEntry, month_.index, a.id);
      const double age_years = e.entry_age_min + d.uniform(0) * (e.entry_age_max - e.entry_age_min);
      a.birth_month = month_.index - static_cast<std::int32_t>(age_years * 12);
      a.sex = d.uniform(1) < e.male_share ? 0 : 1;
      a.group =
          graduate ? Group::TechnicalStudent : static_cast<Group>(pick(e.school_leaver_group_shares, d.uniform(2)));
      a.level = graduate ? static_cast<Level>(pick(e.technical_school_diploma_shares, d.uniform(3))) : Level::None;
      a.status = d.uniform(4) < e.employed_share ? Status::Employed : Status::Unemployed;
      a.region = static_cast<std::uint16_t>(pick(p.population.region_shares, d.uniform(5)));
      a.sector = static_cast<std::uint8_t>(pick(p.population.sector_shares, d.uniform(6)));
      population_.push_back(a);
      ++flows_.entries[static_cast<int>(a.level)];
      if (static_cast<int>(a.level) >= kFirstSkilledLevel) ++flows_.newly_skilled;
    }
  }
}

void ReplicateState::step() {
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
  };
  const Parameters p = scenario_->parameters_at(month_);
  const auto t0 = Clock::now();
  const ApplicationRules applications(p);
  apply_monthly_rules(p, applications);
  const auto t1 = Clock::now();
  training_.step(p, month_, population_, rng_, flows_, evaluation_.limited(), applications, candidates_);
  const auto t2 = Clock::now();
  // The queue: those waiting when the rules ran, and the completers who joined since.
  const auto& joined = training_.newly_queued();
  candidates_.queued.insert(candidates_.queued.end(), joined.begin(), joined.end());
  std::inplace_merge(candidates_.queued.begin(), candidates_.queued.end() - static_cast<std::ptrdiff_t>(joined.size()),
                     candidates_.queued.end());
  evaluation_.step(p, month_, population_, rng_, flows_, training_, candidates_.queued);
  training_.close_month();
  const auto t3 = Clock::now();
  appoint(p);
  add_entrants(p);
  // Dead agents are skipped until they are a sizeable share; compaction keeps the order, so
  // results do not depend on when it happens.
  if (removed_ * 32 > static_cast<std::int64_t>(population_.size())) {
    population_.compact();
    removed_ = 0;
  }
  const auto t4 = Clock::now();
  times_.rules += seconds(t0, t1);
  times_.training += seconds(t1, t2);
  times_.evaluation += seconds(t2, t3);
  times_.other += seconds(t3, t4);
  month_ = month_ + 1;
}

StepTimes ReplicateState::step_times() const {
  StepTimes t = times_;
  t.allocation = training_.allocation_seconds() + evaluation_.allocation_seconds();
  return t;
}

namespace {

Dimension label_dimension(std::string name, auto ids, auto labels_zh) {
  Dimension d;
  d.name = std::move(name);
  d.labels.assign(ids.begin(), ids.end());
  d.labels_zh.assign(labels_zh.begin(), labels_zh.end());
  return d;
}

// Adds a variable of the given dims (sizes looked up in results) filled with zeros.
Variable& add_variable(Results& r, std::string name, std::vector<std::string> dims, std::string long_name,
                       std::string units = "persons") {
  Variable v;
  v.name = std::move(name);
  v.dims = std::move(dims);
  v.units = std::move(units);
  v.long_name = std::move(long_name);
  std::size_t size = 1;
  for (const auto& dim : v.dims) size *= r.dimension(dim).size();
  v.data.assign(size, 0);
  r.variables.push_back(std::move(v));
  return r.variables.back();
}

// Results layout: every variable starts with (replicate, time).
struct ResultsWriter {
  Results& r;
  std::size_t times;
  std::size_t regions;
  std::int64_t scale;

  std::int64_t* at(const std::string& name, std::size_t rep, std::size_t t) {
    Variable& v = r.variable(name);
    const std::size_t per_time = v.data.size() / (r.dimension("replicate").size() * times);
    return v.data.data() + (rep * times + t) * per_time;
  }

  // One time point of a variable from agent counts (times the scale) or as they are (yuan, flags).
  void persons(const char* name, std::size_t rep, std::size_t t, const std::vector<std::int64_t>& agents) {
    std::int64_t* out = at(name, rep, t);
    for (std::size_t k = 0; k < agents.size(); ++k) out[k] = agents[k] * scale;
  }
  void as_is(const char* name, std::size_t rep, std::size_t t, const std::vector<std::int64_t>& values) {
    std::copy(values.begin(), values.end(), at(name, rep, t));
  }

  void store_stocks(std::size_t rep, std::size_t t, const StockTally& s) {
    std::int64_t skilled = 0, high = 0;
    std::int64_t* workers = at("workers", rep, t);
    for (int l = 0; l < kLevelCount; ++l)
      for (int st = 0; st < kStatusCount; ++st) {
        workers[l * kStatusCount + st] = s.workers[l][st] * scale;
        if (st == static_cast<int>(Status::Retired)) continue;
        if (l >= kFirstSkilledLevel) skilled += s.workers[l][st];
        if (l >= kFirstHighSkilledLevel) high += s.workers[l][st];
      }
    *at("skilled_workers", rep, t) = skilled * scale;
    *at("high_skilled_workers", rep, t) = high * scale;
    std::int64_t* by_group = at("workers_by_group", rep, t);
    for (int g = 0; g < kGroupCount; ++g)
      for (int l = 0; l < kLevelCount; ++l) by_group[g * kLevelCount + l] = s.by_group[g][l] * scale;
    std::int64_t* by_region = at("workers_by_region", rep, t);
    for (std::size_t k = 0; k < s.by_region.size(); ++k) by_region[k] = s.by_region[k] * scale;
    std::int64_t* by_sector = at("employed_by_sector", rep, t);
    for (int k = 0; k < kSectorCount; ++k) by_sector[k] = s.employed_by_sector[k] * scale;
  }

  // Training results exist only for scenarios with programmes.
  void store_training(std::size_t rep, std::size_t t, const TrainingTally& tr, const StockTally& s) {
    if (!r.has_variable("trainees")) return;
    persons("trainees", rep, t, s.trainees);
    if (t == 0) return; // no flows and no money before the first month
    persons("applications", rep, t, tr.applications);
    persons("enrolments", rep, t, tr.enrolments);
    persons("substitute_enrolments", rep, t, tr.substitute_enrolments);
    persons("turned_away_no_seat", rep, t, tr.no_seat);
    persons("turned_away_no_money", rep, t, tr.no_money);
    persons("completions", rep, t, tr.completions);
    persons("dropouts", rep, t, tr.dropouts);
    persons("certificates", rep, t, tr.certificates);
    as_is("spending", rep, t, tr.paid);
    as_is("fund_remaining", rep, t, tr.remaining);
    as_is("fund_committed", rep, t, tr.committed);
    as_is("seats_binding", rep, t, tr.seats_binding);
    as_is("money_binding", rep, t, tr.money_binding);
    as_is("fund_binding", rep, t, tr.fund_binding);
    as_is("leakage", rep, t, tr.leaked);
    as_is("audit_spending", rep, t, tr.audit);
    persons("followed_up", rep, t, tr.followed_up);
    persons("employed_after_training", rep, t, tr.employed_after);
  }

  // Evaluation results exist only for scenarios with evaluators.
  void store_evaluation(std::size_t rep, std::size_t t, const EvaluationTally& ev) {
    if (!r.has_variable("evaluations") || t == 0) return;
    persons("evaluations", rep, t, ev.held);
    persons("evaluation_queue", rep, t, ev.queue);
    persons("evaluation_abandoned", rep, t, ev.abandoned);
    as_is("evaluation_binding", rep, t, ev.binding);
  }

  void store_flows(std::size_t rep, std::size_t t, const MonthTally& f) {
    std::int64_t entries = 0, exits = 0;
    for (int l = 0; l < kLevelCount; ++l) {
      at("entries_by_level", rep, t)[l] = f.entries[l] * scale;
      at("exits_by_level", rep, t)[l] = f.exits[l] * scale;
      at("promotions", rep, t)[l] = f.promotions[l] * scale;
      at("promotions_out", rep, t)[l] = f.promotions_out[l] * scale;
      at("assessments", rep, t)[l] = f.assessments[l] * scale;
      entries += f.entries[l];
      exits += f.exits[l];
    }
    *at("entries", rep, t) = entries * scale;
    *at("exits", rep, t) = exits * scale;
    *at("retirements", rep, t) = f.retirements * scale;
    *at("job_finds", rep, t) = f.job_finds * scale;
    *at("job_losses", rep, t) = f.job_losses * scale;
    *at("new_skilled_workers", rep, t) = f.newly_skilled * scale;
  }
};

Results make_results_layout(const Scenario& scenario, std::int64_t replicates) {
  const Parameters& p = scenario.parameters();
  Results r;
  Dimension replicate{
      "replicate", {}, {}, {}, {{"long_name", "replicate (an independent run; same seed, own streams)"}}};
  for (std::int64_t k = 0; k < replicates; ++k) replicate.int_coords.push_back(k);
  Dimension time{"time", {}, {}, {}, {}};
  for (std::int64_t t = 0; t <= p.scenario.months; ++t)
    time.int_coords.push_back(days_since_epoch(scenario.start() + static_cast<int>(t)));
  time.attributes = {{"units", "days since 1970-01-01"},
                     {"calendar", "proleptic_gregorian"},
                     {"long_name", "first day of a month: stocks at that instant; flows over the month ending then"}};
  r.dimensions = {std::move(replicate),
                  std::move(time),
                  label_dimension("level", kLevelIds, kLevelLabelsZh),
                  label_dimension("status", kStatusIds, kStatusLabelsZh),
                  label_dimension("group", kGroupIds, kGroupLabelsZh),
                  label_dimension("sector", kSectorIds, kSectorLabelsZh)};
  Dimension region{"region", {}, p.population.regions, {}, {}};
  r.dimensions.push_back(std::move(region));

  const std::vector<std::string> rt = {"replicate", "time"};
  const auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> dims = rt;
    dims.insert(dims.end(), more.begin(), more.end());
    return dims;
  };
  add_variable(r, "skilled_workers", rt, "skilled workers (技能劳动者): level 初级工 or above, not retired");
  add_variable(r, "high_skilled_workers", rt, "high-skilled workers (高技能人才): level 高级工 or above, not retired");
  add_variable(r, "workers", with({"level", "status"}), "persons by level and status");
  add_variable(r, "workers_by_group", with({"group", "level"}), "persons by group and level");
  add_variable(r, "workers_by_region", with({"region", "level"}), "persons by region and level");
  add_variable(r, "employed_by_sector", with({"sector"}), "employed persons by sector");
  add_variable(r, "entries", rt, "entrants during the month (school leavers and technical-school graduates)");
  add_variable(r, "exits", rt, "deaths during the month");
  add_variable(r, "entries_by_level", with({"level"}), "entrants during the month by level at entry");
  add_variable(r, "exits_by_level", with({"level"}), "deaths during the month by level held");
  add_variable(r, "promotions", with({"level"}), "promotions during the month, by level reached");
  add_variable(r, "promotions_out", with({"level"}), "the same promotions, by level left");
  add_variable(r, "assessments", with({"level"}), "assessments sat during the month, by level sought");
  add_variable(r, "retirements", rt, "retirements during the month");
  add_variable(r, "job_finds", rt, "unemployed persons who found a job during the month");
  add_variable(r, "job_losses", rt, "employed persons who lost their job during the month");
  add_variable(r, "new_skilled_workers", rt,
               "persons who became skilled (初级工 or above) during the month: promoted from below, or entered");

  if (!p.programmes.names.empty()) {
    r.dimensions.push_back(Dimension{"programme", {}, p.programmes.names, p.programmes.labels, {}});
    r.dimensions.push_back(Dimension{"fund", {}, p.funds.names, p.funds.labels, {}});
    add_variable(r, "trainees", with({"programme"}), "persons in each programme");
    add_variable(r, "applications", with({"programme"}), "applications during the month");
    add_variable(r, "enrolments", with({"programme"}), "enrolments during the month");
    add_variable(r, "substitute_enrolments", with({"programme"}),
                 "of the enrolments, applicants to another programme placed here (programmes.substitutes)");
    add_variable(r, "turned_away_no_seat", with({"programme"}), "applicants turned away for lack of a seat");
    add_variable(r, "turned_away_no_money", with({"programme"}), "applicants turned away for lack of money");
    add_variable(r, "completions", with({"programme"}), "trainees who completed the programme during the month");
    add_variable(r, "dropouts", with({"programme"}),
                 "trainees who left without completing (incl. deaths, retirements)");
    add_variable(r, "certificates", with({"programme"}), "certificates earned through the programme during the month");
    add_variable(r, "spending", with({"fund", "programme"}), "money paid during the month", "yuan");
    add_variable(r, "fund_remaining", with({"fund"}), "uncommitted money at the end of the month", "yuan");
    add_variable(r, "fund_committed", with({"fund"}), "money committed to trainees, not yet paid", "yuan");
    add_variable(r, "seats_binding", with({"programme", "region"}),
                 "1 if applicants were turned away for lack of seats in the month", "1");
    add_variable(r, "money_binding", with({"programme"}),
                 "1 if applicants were turned away for lack of money in the month", "1");
    add_variable(r, "fund_binding", with({"fund"}),
                 "1 if the fund's money was short for applicants turned away for lack of money in the month", "1");
    add_variable(r, "leakage", with({"fund", "programme"}),
                 "part of spending paid for training that did not happen (after audits)", "yuan");
    add_variable(r, "audit_spending", with({"fund", "programme"}), "part of spending paid for audits of claims",
                 "yuan");
    add_variable(r, "followed_up", with({"programme"}),
                 "completers whose follow-up window (programmes.follow_up_months) ended during the month");
    add_variable(r, "employed_after_training", with({"programme"}),
                 "of those followed up, the employed at the end of the window");
  }
  if (!p.evaluation.evaluators.empty()) {
    r.dimensions.push_back(Dimension{"evaluator", {}, p.evaluation.evaluators, p.evaluation.labels, {}});
    add_variable(r, "evaluations", with({"evaluator", "region"}), "assessments held during the month");
    add_variable(r, "evaluation_binding", with({"evaluator", "region"}),
                 "1 if the evaluator's capacity was used up while candidates it could assess were left waiting", "1");
    add_variable(r, "evaluation_queue", with({"region"}),
                 "candidates waiting for an assessment at the end of the month");
    add_variable(r, "evaluation_abandoned", with({"region"}),
                 "candidates who gave up waiting during the month (evaluation.max_wait_months)");
  }
  return r;
}

} // namespace

Results run_scenario(const Scenario& scenario, const RunOptions& options) {
  if (options.replicates < 1) throw Error("replicates must be at least 1, got " + std::to_string(options.replicates));
  if (options.seed < 0) throw Error("seed must be non-negative, got " + std::to_string(options.seed));
  const int previous_threads = omp_get_max_threads();
  if (options.threads > 0) omp_set_num_threads(options.threads);
  struct RestoreThreads {
    int n;
    ~RestoreThreads() { omp_set_num_threads(n); }
  } restore{previous_threads};

  const Parameters& p = scenario.parameters();
  const auto months = static_cast<std::size_t>(p.scenario.months);
  Results results = make_results_layout(scenario, options.replicates);
  ResultsWriter out{results, months + 1, p.population.regions.size(), p.population.scale};

  const std::int64_t total_months = options.replicates * static_cast<std::int64_t>(months);
  std::int64_t done = 0;
  for (std::int64_t rep = 0; rep < options.replicates; ++rep) {
    if (options.cancel && options.cancel->load()) throw Cancelled();
    ReplicateState state(scenario, static_cast<std::uint64_t>(options.seed), static_cast<std::uint32_t>(rep),
                         options.cancel);
    const auto r = static_cast<std::size_t>(rep);
    const std::size_t programmes = p.programmes.names.size();
    StockTally stocks = count_stocks(state.population(), out.regions, programmes);
    out.store_stocks(r, 0, stocks);
    out.store_training(r, 0, state.training().tally(), stocks);
    for (std::size_t t = 1; t <= months; ++t) {
      if (options.cancel && options.cancel->load()) throw Cancelled();
      state.step();
      out.store_flows(r, t, state.last_flows());
      stocks = count_stocks(state.population(), out.regions, programmes);
      out.store_stocks(r, t, stocks);
      out.store_training(r, t, state.training().tally(), stocks);
      out.store_evaluation(r, t, state.evaluation().tally());
      ++done;
      if (options.progress) options.progress(done, total_months);
    }
  }

  RunMetadata& m = results.metadata;
  m.scenario_name = p.scenario.name;
  m.scenario_source = scenario.source_name();
  m.scenario_text = scenario.source_text();
  m.seed = options.seed;
  for (std::int64_t rep = 0; rep < options.replicates; ++rep) m.replicate_seeds.push_back(rep);
  m.threads = options.threads > 0 ? options.threads : previous_threads;
  m.scale = p.population.scale;
  m.engine_version = kEngineVersion;
  m.git_commit = kGitCommit;
  add_target_results(results, scenario);
  return results;
}

} // namespace skillsim
