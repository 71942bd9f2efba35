#include "skillsim/core/rates.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>

#include "skillsim/core/errors.hpp"

namespace skillsim {

bool TransitionRates::fits(const Parameters& p) {
  const auto sized = [](const auto& v, int n) { return v.size() == static_cast<std::size_t>(n); };
  const auto& lab = p.labour;
  const auto& sk = p.skills;
  // A column by region: empty (1 for every region) or one value per region.
  const auto by_region = [&p](const std::vector<double>& v) {
    return v.empty() || v.size() == p.population.regions.size();
  };
  return sized(p.demography.mortality_annual, kMortalityBandCount) && sized(lab.job_loss_level_factor, kLevelCount) &&
         sized(lab.job_loss_group_factor, kGroupCount) && sized(lab.job_loss_sector_factor, kSectorCount) &&
         sized(lab.job_find_level_factor, kLevelCount) && sized(lab.job_find_group_factor, kGroupCount) &&
         sized(p.population.insured_share, kGroupCount) && sized(sk.assessment_rate, kLevelCount) &&
         sized(sk.assessment_status_factor, kStatusCount) && sized(sk.pass_probability, kLevelCount) &&
         sized(sk.min_months, kLevelCount) && sized(sk.assessment_rate_trend, kLevelCount) &&
         sized(sk.assessment_factor_by_age_band, kAgeBandCount) && sized(sk.assessment_factor_by_sex, kSexCount) &&
         sized(sk.assessment_factor_by_group, kGroupCount) && sized(sk.pass_factor_by_age_band, kAgeBandCount) &&
         sized(sk.pass_factor_by_sex, kSexCount) && sized(sk.pass_factor_by_group, kGroupCount) &&
         sized(p.groups.after_job_found, kGroupCount) && sized(p.groups.leave_after_months, kGroupCount) &&
         sized(p.groups.closed, kGroupCount) && sized(p.groups.after_leaving, kGroupCount) &&
         by_region(lab.job_loss_region_factor) && by_region(lab.job_find_region_factor) &&
         by_region(sk.assessment_factor_by_region) && by_region(sk.pass_factor_by_region);
}

double assessment_trend_factor(const SkillsSection& skills, int level, Month month) {
  const double trend = skills.assessment_rate_trend[static_cast<std::size_t>(level)];
  if (trend == 0) return 1.0;
  const int months = std::min(month - skills.trend_reference_date, skills.trend_end_date - skills.trend_reference_date);
  return std::pow(1 + trend, months / 12.0);
}

namespace {

// The product of the age-band, sex and group factors of a person class (exactly 1 if they are 1).
double class_factor(const std::vector<double>& by_age_band, const std::vector<double>& by_sex,
                    const std::vector<double>& by_group, int cls) {
  const int group = cls % kGroupCount, sex = cls / kGroupCount % kSexCount, band = cls / (kGroupCount * kSexCount);
  return by_age_band[static_cast<std::size_t>(band)] * by_sex[static_cast<std::size_t>(sex)] *
         by_group[static_cast<std::size_t>(group)];
}

bool all_one(std::initializer_list<const std::vector<double>*> columns) {
  for (const auto* column : columns)
    for (double v : *column)
      if (v != 1) return false;
  return true;
}

// A group's index; an unknown id (which check() reports) keeps the member in `fallback`.
std::uint8_t group_index(const std::string& id, int fallback) {
  for (int g = 0; g < kGroupCount; ++g)
    if (kGroupIds[static_cast<std::size_t>(g)] == id) return static_cast<std::uint8_t>(g);
  return static_cast<std::uint8_t>(fallback);
}

// The factor of region `region` in a column by region; an empty column (the default) is 1 for
// every region.
double region_factor(const std::vector<double>& by_region, std::size_t region) {
  return by_region.empty() ? 1.0 : by_region[region];
}

} // namespace

double pass_probability_of(const SkillsSection& sk, int level, int cls, int region) {
  return std::min(1.0,
                  sk.pass_probability[static_cast<std::size_t>(level)] *
                      class_factor(sk.pass_factor_by_age_band, sk.pass_factor_by_sex, sk.pass_factor_by_group, cls) *
                      region_factor(sk.pass_factor_by_region, static_cast<std::size_t>(region)));
}

double premium_factor(const EmployersSection& e, int held, int target, double elasticity) {
  if (elasticity == 0 || target <= static_cast<int>(Level::Apprentice)) return 1.0;
  if (held >= target) return 0.0;
  if (e.wage_per_month.size() != kLevelCount || e.reference_wage_per_month.size() != kLevelCount)
    return 1.0; // validation reports the length
  const auto premium = [held, target](const std::vector<double>& w) {
    return w[static_cast<std::size_t>(target)] / w[static_cast<std::size_t>(held)] - 1;
  };
  const double r = premium(e.wage_per_month), reference = premium(e.reference_wage_per_month);
  if (!(reference > 0)) return 1.0; // validation requires a positive reference premium
  return r > 0 ? std::pow(r / reference, elasticity) : 0.0;
}

TransitionRates::TransitionRates(const Parameters& p, Month month)
    : queue_for_evaluation(!p.evaluation.evaluators.empty()) {
  if (!fits(p)) throw Error("transition rates: a demography, labour or skills vector has the wrong length");
  const auto& d = p.demography;
  for (int b = 0; b < kMortalityBandCount; ++b) death[b] = 1 - std::pow(1 - d.mortality_annual[b], 1.0 / 12);
  retirement_age_months[0] = static_cast<std::int32_t>(std::lround(d.retirement_age_male * 12));
  retirement_age_months[1] = static_cast<std::int32_t>(std::lround(d.retirement_age_female * 12));

  const auto& lab = p.labour;
  for (int l = 0; l < kLevelCount; ++l)
    for (int g = 0; g < kGroupCount; ++g) {
      for (int s = 0; s < kSectorCount; ++s)
        job_loss[l][g][s] = std::min(1.0, lab.job_loss_rate * lab.job_loss_multiplier * lab.job_loss_level_factor[l] *
                                              lab.job_loss_group_factor[g] * lab.job_loss_sector_factor[s]);
      job_find[l][g] = std::min(1.0, lab.job_find_rate * lab.job_find_multiplier * lab.job_find_level_factor[l] *
                                         lab.job_find_group_factor[g]);
    }
  // Regional factors, once a month: tables by region only when some factor is not 1, so the
  // per-agent loop keeps its small tables (and its numbers) otherwise. The regional factor
  // multiplies the product above before its cap, as the other factors do.
  regions = std::max<std::size_t>(1, p.population.regions.size());
  if (!all_one({&lab.job_loss_region_factor, &lab.job_find_region_factor})) {
    job_loss_by_region.resize(regions * kLevelCount * kGroupCount * kSectorCount);
    job_find_by_region.resize(regions * kLevelCount * kGroupCount);
    for (std::size_t r = 0; r < regions; ++r) {
      const double loss = region_factor(lab.job_loss_region_factor, r),
                   find = region_factor(lab.job_find_region_factor, r);
      for (int l = 0; l < kLevelCount; ++l)
        for (int g = 0; g < kGroupCount; ++g) {
          const std::size_t k = labour_index(static_cast<int>(r), l, g);
          for (int s = 0; s < kSectorCount; ++s)
            job_loss_by_region[k * kSectorCount + static_cast<std::size_t>(s)] =
                std::min(1.0, lab.job_loss_rate * lab.job_loss_multiplier * lab.job_loss_level_factor[l] *
                                  lab.job_loss_group_factor[g] * lab.job_loss_sector_factor[s] * loss);
          job_find_by_region[k] = std::min(1.0, lab.job_find_rate * lab.job_find_multiplier *
                                                    lab.job_find_level_factor[l] * lab.job_find_group_factor[g] * find);
        }
    }
  }
  inactivity = lab.inactivity_rate;
  reactivation = lab.reactivation_rate;
  for (int g = 0; g < kGroupCount; ++g) insured[g] = p.population.insured_share[g];
  const std::size_t programmes = p.programmes.job_find_factor.size();
  follow_up_regions = job_find_by_region.empty() ? 1 : regions;
  follow_up_job_find.resize(programmes * follow_up_regions * kLevelCount * kGroupCount);
  for (std::size_t k = 0; k < programmes; ++k)
    for (std::size_t r = 0; r < follow_up_regions; ++r)
      for (int l = 0; l < kLevelCount; ++l)
        for (int g = 0; g < kGroupCount; ++g) {
          follow_up_job_find[follow_up_index(k, l, g, static_cast<int>(r))] =
              std::min(1.0, job_find_in(static_cast<int>(r), l, g) * p.programmes.job_find_factor[k]);
        }

  const auto& sk = p.skills;
  // sit before its cap at 1, which the factors by person class multiply.
  double uncapped_sit[kLevelCount][kStatusCount] = {};
  for (int l = 0; l < kLevelCount; ++l) {
    // The trend's and the choice model's factors, once a month (each exactly 1 without a trend
    // and at premium elasticity 0, so the rate is then the parameter itself, bit for bit).
    const double choice = premium_factor(p.employers, l - 1, l, sk.premium_elasticity);
    const double rate = std::min(1.0, sk.assessment_rate[l] * assessment_trend_factor(sk, l, month) * choice);
    for (int s = 0; s < kStatusCount; ++s) {
      const bool needs_employer = l == static_cast<int>(Level::Apprentice) && s != static_cast<int>(Status::Employed);
      uncapped_sit[l][s] = needs_employer ? 0.0 : rate * sk.assessment_status_factor[s];
      sit[l][s] = std::min(1.0, uncapped_sit[l][s]);
    }
    pass[l] = sk.pass_probability[l];
    min_months[l] = static_cast<std::uint16_t>(sk.min_months[l]);
  }
  // Tables by person class only when some factor differs from 1, so the per-agent loop keeps its
  // small table (and its numbers) otherwise.
  // (and by region only when a regional factor is not 1).
  const bool by_region = !all_one({&sk.assessment_factor_by_region, &sk.pass_factor_by_region});
  class_regions = by_region ? regions : 1;
  if (by_region ||
      !all_one({&sk.assessment_factor_by_age_band, &sk.assessment_factor_by_sex, &sk.assessment_factor_by_group,
                &sk.pass_factor_by_age_band, &sk.pass_factor_by_sex, &sk.pass_factor_by_group})) {
    sit_by_class.resize(class_regions * kLevelCount * kStatusCount * kPersonClassCount);
    pass_by_class.resize(class_regions * kLevelCount * kPersonClassCount);
    for (std::size_t r = 0; r < class_regions; ++r) {
      const int region = static_cast<int>(r);
      const double in_region = region_factor(sk.assessment_factor_by_region, r);
      for (int c = 0; c < kPersonClassCount; ++c) {
        const double f = class_factor(sk.assessment_factor_by_age_band, sk.assessment_factor_by_sex,
                                      sk.assessment_factor_by_group, c) *
                         in_region;
        for (int l = 0; l < kLevelCount; ++l) {
          for (int s = 0; s < kStatusCount; ++s)
            sit_by_class[sit_index(l, s, c, region)] = std::min(1.0, uncapped_sit[l][s] * f);
          pass_by_class[pass_index(l, c, region)] = pass_probability_of(sk, l, c, region);
        }
      }
    }
  }

  const auto& gr = p.groups;
  for (int g = 0; g < kGroupCount; ++g) {
    const auto k = static_cast<std::size_t>(g);
    group_after_job[k] = group_index(gr.after_job_found[k], g);
    group_after_leaving[k] = group_index(gr.after_leaving[k], g);
    leave_after_months[k] = static_cast<std::uint16_t>(gr.leave_after_months[k]);
    group_closed[k] = gr.closed[k] != 0 && group_after_leaving[k] != g;
    group_moves = group_moves || group_after_job[k] != g || group_closed[k] ||
                  (leave_after_months[k] > 0 && group_after_leaving[k] != g);
  }

  // Migration: drawn only when somebody can move (a positive rate and a positive factor).
  const auto& mg = p.migration;
  const std::size_t n = p.population.regions.size();
  if (n > 1 && mg.rate.values.size() == n * n) {
    const bool any_rate = std::any_of(mg.rate.values.begin(), mg.rate.values.end(), [](double v) { return v > 0; });
    if (any_rate) {
      if (mg.level_factor.size() != kLevelCount || mg.status_factor.size() != kStatusCount)
        throw Error("transition rates: a migration factor vector has the wrong length");
      migration_rate = mg.rate.values;
      for (int l = 0; l < kLevelCount; ++l) migration_level_factor[static_cast<std::size_t>(l)] = mg.level_factor[l];
      for (int s = 0; s < kStatusCount; ++s) migration_status_factor[static_cast<std::size_t>(s)] = mg.status_factor[s];
      // Students stay with their school (validation requires their factor 0; enforced here too).
      migration_status_factor[static_cast<std::size_t>(Status::Student)] = 0;
      const auto positive = [](const auto& v) {
        return std::any_of(v.begin(), v.end(), [](double x) { return x > 0; });
      };
      migrating = positive(migration_level_factor) && positive(migration_status_factor);
    }
  }
  migrants_keep_job = mg.employed_on_arrival != kArrivalStatusIds[1];
}

} // namespace skillsim
