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
         sized(p.groups.closed, kGroupCount) && sized(p.groups.after_leaving, kGroupCount);
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

} // namespace

double pass_probability_of(const SkillsSection& sk, int level, int cls) {
  return std::min(1.0,
                  sk.pass_probability[static_cast<std::size_t>(level)] *
                      class_factor(sk.pass_factor_by_age_band, sk.pass_factor_by_sex, sk.pass_factor_by_group, cls));
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
  inactivity = lab.inactivity_rate;
  reactivation = lab.reactivation_rate;
  for (int g = 0; g < kGroupCount; ++g) insured[g] = p.population.insured_share[g];
  const std::size_t programmes = p.programmes.job_find_factor.size();
  follow_up_job_find.resize(programmes * kLevelCount * kGroupCount);
  for (std::size_t k = 0; k < programmes; ++k)
    for (int l = 0; l < kLevelCount; ++l)
      for (int g = 0; g < kGroupCount; ++g)
        follow_up_job_find[follow_up_index(k, l, g)] = std::min(1.0, job_find[l][g] * p.programmes.job_find_factor[k]);

  const auto& sk = p.skills;
  // sit before its cap at 1, which the factors by person class multiply.
  double uncapped_sit[kLevelCount][kStatusCount] = {};
  for (int l = 0; l < kLevelCount; ++l) {
    // The trend's factor, once a month (exactly 1 without a trend, so the rate is then the
    // parameter itself, bit for bit).
    const double rate = std::min(1.0, sk.assessment_rate[l] * assessment_trend_factor(sk, l, month));
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
  if (!all_one({&sk.assessment_factor_by_age_band, &sk.assessment_factor_by_sex, &sk.assessment_factor_by_group,
                &sk.pass_factor_by_age_band, &sk.pass_factor_by_sex, &sk.pass_factor_by_group})) {
    sit_by_class.resize(std::size_t{kLevelCount} * kStatusCount * kPersonClassCount);
    pass_by_class.resize(std::size_t{kLevelCount} * kPersonClassCount);
    for (int c = 0; c < kPersonClassCount; ++c) {
      const double f =
          class_factor(sk.assessment_factor_by_age_band, sk.assessment_factor_by_sex, sk.assessment_factor_by_group, c);
      for (int l = 0; l < kLevelCount; ++l) {
        for (int s = 0; s < kStatusCount; ++s)
          sit_by_class[static_cast<std::size_t>((l * kStatusCount + s) * kPersonClassCount + c)] =
              std::min(1.0, uncapped_sit[l][s] * f);
        pass_by_class[static_cast<std::size_t>(l * kPersonClassCount + c)] = pass_probability_of(sk, l, c);
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
}

} // namespace skillsim
