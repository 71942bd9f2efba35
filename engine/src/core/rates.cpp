#include "skillsim/core/rates.hpp"

#include <algorithm>
#include <cmath>

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
         sized(sk.min_months, kLevelCount) && sized(sk.assessment_rate_trend, kLevelCount);
}

double assessment_trend_factor(const SkillsSection& skills, int level, Month month) {
  const double trend = skills.assessment_rate_trend[static_cast<std::size_t>(level)];
  if (trend == 0) return 1.0;
  const int months = std::min(month - skills.trend_reference_date, skills.trend_end_date - skills.trend_reference_date);
  return std::pow(1 + trend, months / 12.0);
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
  for (int l = 0; l < kLevelCount; ++l) {
    // The trend's factor, once a month (exactly 1 without a trend, so the rate is then the
    // parameter itself, bit for bit).
    const double rate = std::min(1.0, sk.assessment_rate[l] * assessment_trend_factor(sk, l, month));
    for (int s = 0; s < kStatusCount; ++s) {
      const bool needs_employer = l == static_cast<int>(Level::Apprentice) && s != static_cast<int>(Status::Employed);
      sit[l][s] = needs_employer ? 0.0 : std::min(1.0, rate * sk.assessment_status_factor[s]);
    }
    pass[l] = sk.pass_probability[l];
    min_months[l] = static_cast<std::uint16_t>(sk.min_months[l]);
  }
}

} // namespace skillsim
