#include "skillsim/core/parameters.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "skillsim/core/pathways.hpp"

namespace skillsim {

namespace {

// Binders: turn a member path into the registry's ValueRef.
#define SKILLSIM_BIND(path) [](Parameters& p) -> ValueRef { return &p.path; }

constexpr double kInf = 1e300;

// The registry. Order is documentation order. Keys are "section.name".
const ParameterSpec kSpecs[] = {
    // scenario
    {"scenario.name", ValueKind::String, "", "Short identifier of the scenario.", -kInf, kInf, Dim::None, Dim::None,
     false, false, SKILLSIM_BIND(scenario.name)},
    {"scenario.description", ValueKind::String, "", "Free text describing the scenario.", -kInf, kInf, Dim::None,
     Dim::None, false, false, SKILLSIM_BIND(scenario.description)},
    {"scenario.start", ValueKind::Month, "date (first of a month)", "First month simulated.", -kInf, kInf, Dim::None,
     Dim::None, false, false, SKILLSIM_BIND(scenario.start)},
    {"scenario.months", ValueKind::Integer, "months", "Number of months simulated.", 1, 1200, Dim::None, Dim::None,
     false, false, SKILLSIM_BIND(scenario.months)},
    // run
    {"run.seed", ValueKind::Integer, "", "Base seed of every random stream.", 0, 9.2e18, Dim::None, Dim::None, false,
     false, SKILLSIM_BIND(run.seed)},
    {"run.replicates", ValueKind::Integer, "", "Number of replicates (independent runs).", 1, 100000, Dim::None,
     Dim::None, false, false, SKILLSIM_BIND(run.replicates)},
    // population
    {"population.size", ValueKind::Real, "persons", "Persons aged 16-64 at the start (the working-age pool).", 0, 2e9,
     Dim::None, Dim::None, false, false, SKILLSIM_BIND(population.size)},
    {"population.scale", ValueKind::Integer, "persons per agent",
     "Persons one agent stands for (a whole number, so results in persons stay exact).", 1, 1e9, Dim::None, Dim::None,
     false, false, SKILLSIM_BIND(population.scale)},
    {"population.regions", ValueKind::StringList, "", "Names of the regions.", -kInf, kInf, Dim::None, Dim::None, false,
     false, SKILLSIM_BIND(population.regions)},
    {"population.region_shares", ValueKind::RealVector, "share", "Share of the population in each region.", 0, 1,
     Dim::Region, Dim::None, true, false, SKILLSIM_BIND(population.region_shares)},
    {"population.age_shares_male", ValueKind::RealVector, "relative weight",
     "Men by initial age band (16-19 ... 60-64); normalised together with the women's weights.", 0, kInf, Dim::AgeBand,
     Dim::None, false, false, SKILLSIM_BIND(population.age_shares_male)},
    {"population.age_shares_female", ValueKind::RealVector, "relative weight",
     "Women by initial age band (16-19 ... 60-64).", 0, kInf, Dim::AgeBand, Dim::None, false, false,
     SKILLSIM_BIND(population.age_shares_female)},
    {"population.group_shares", ValueKind::RealVector, "share", "Share of the population in each policy group.", 0, 1,
     Dim::Group, Dim::None, true, false, SKILLSIM_BIND(population.group_shares)},
    {"population.level_shares", ValueKind::RealVector, "share", "Share of the population at each skill level.", 0, 1,
     Dim::Level, Dim::None, true, false, SKILLSIM_BIND(population.level_shares)},
    {"population.status_shares", ValueKind::RealVector, "share",
     "Share of the population in each employment status at the start.", 0, 1, Dim::Status, Dim::None, true, false,
     SKILLSIM_BIND(population.status_shares)},
    {"population.sector_shares", ValueKind::RealVector, "share", "Share of the population in each sector.", 0, 1,
     Dim::Sector, Dim::None, true, false, SKILLSIM_BIND(population.sector_shares)},
    {"population.level_by_age_prior", ValueKind::RealMatrix, "relative weight",
     "Prior association of age band (rows) and level (columns) that the population synthesis keeps "
     "while matching the marginal shares; a 0 forbids a combination.",
     0, kInf, Dim::AgeBand, Dim::Level, false, false, SKILLSIM_BIND(population.level_by_age_prior)},
    {"population.insured_share", ValueKind::RealVector, "share",
     "Share of each group with unemployment insurance (contributes while employed).", 0, 1, Dim::Group, Dim::None,
     false, false, SKILLSIM_BIND(population.insured_share)},
    {"population.max_months_at_level", ValueKind::Integer, "months",
     "Upper bound of the months at the current level drawn for the initial population.", 0, 600, Dim::None, Dim::None,
     false, false, SKILLSIM_BIND(population.max_months_at_level)},
    // demography
    {"demography.mortality_annual", ValueKind::RealVector, "probability per year",
     "Probability of dying within a year, by age band 15-19, 20-24, ..., 95-99, 100+.", 0, 1, Dim::MortalityBand,
     Dim::None, false, true, SKILLSIM_BIND(demography.mortality_annual)},
    {"demography.retirement_age_male", ValueKind::Real, "years", "Age at which men retire.", 40, 80, Dim::None,
     Dim::None, false, true, SKILLSIM_BIND(demography.retirement_age_male)},
    {"demography.retirement_age_female", ValueKind::Real, "years", "Age at which women retire.", 40, 80, Dim::None,
     Dim::None, false, true, SKILLSIM_BIND(demography.retirement_age_female)},
    // entry
    {"entry.school_leavers_per_year", ValueKind::Real, "persons per year",
     "School and college leavers entering the labour market each year, at level 0.", 0, 1e9, Dim::None, Dim::None,
     false, true, SKILLSIM_BIND(entry.school_leavers_per_year)},
    {"entry.school_leaver_group_shares", ValueKind::RealVector, "share", "Groups of the school leavers.", 0, 1,
     Dim::Group, Dim::None, true, true, SKILLSIM_BIND(entry.school_leaver_group_shares)},
    {"entry.technical_school_graduates_per_year", ValueKind::Real, "persons per year",
     "Technical-school (技工院校) graduates entering each year at their diploma level.", 0, 1e9, Dim::None, Dim::None,
     false, true, SKILLSIM_BIND(entry.technical_school_graduates_per_year)},
    {"entry.technical_school_diploma_shares", ValueKind::RealVector, "share",
     "Levels at which technical-school graduates enter (中级工, 高级工; 预备技师 at 技师).", 0, 1, Dim::Level,
     Dim::None, true, true, SKILLSIM_BIND(entry.technical_school_diploma_shares)},
    {"entry.month_shares", ValueKind::RealVector, "share",
     "Share of a year's entrants arriving in each calendar month.", 0, 1, Dim::CalendarMonth, Dim::None, true, true,
     SKILLSIM_BIND(entry.month_shares)},
    {"entry.entry_age_min", ValueKind::Real, "years", "Youngest age of entrants.", 14, 40, Dim::None, Dim::None, false,
     true, SKILLSIM_BIND(entry.entry_age_min)},
    {"entry.entry_age_max", ValueKind::Real, "years", "Oldest age of entrants (exclusive).", 14, 40, Dim::None,
     Dim::None, false, true, SKILLSIM_BIND(entry.entry_age_max)},
    {"entry.male_share", ValueKind::Real, "share", "Share of men among entrants.", 0, 1, Dim::None, Dim::None, false,
     true, SKILLSIM_BIND(entry.male_share)},
    {"entry.employed_share", ValueKind::Real, "share", "Share of entrants who start employed (the rest search).", 0, 1,
     Dim::None, Dim::None, false, true, SKILLSIM_BIND(entry.employed_share)},
    // labour
    {"labour.job_loss_rate", ValueKind::Real, "probability per month",
     "Base monthly probability that an employed worker loses the job.", 0, 1, Dim::None, Dim::None, false, true,
     SKILLSIM_BIND(labour.job_loss_rate)},
    {"labour.job_loss_level_factor", ValueKind::RealVector, "factor", "Job-loss factor by skill level.", 0, kInf,
     Dim::Level, Dim::None, false, true, SKILLSIM_BIND(labour.job_loss_level_factor)},
    {"labour.job_loss_group_factor", ValueKind::RealVector, "factor", "Job-loss factor by group.", 0, kInf, Dim::Group,
     Dim::None, false, true, SKILLSIM_BIND(labour.job_loss_group_factor)},
    {"labour.job_loss_sector_factor", ValueKind::RealVector, "factor", "Job-loss factor by sector.", 0, kInf,
     Dim::Sector, Dim::None, false, true, SKILLSIM_BIND(labour.job_loss_sector_factor)},
    {"labour.job_loss_multiplier", ValueKind::Real, "factor",
     "Macro multiplier of job loss (schedule it for shocks such as early 2020).", 0, 1000, Dim::None, Dim::None, false,
     true, SKILLSIM_BIND(labour.job_loss_multiplier)},
    {"labour.job_find_rate", ValueKind::Real, "probability per month",
     "Base monthly probability that an unemployed worker finds a job.", 0, 1, Dim::None, Dim::None, false, true,
     SKILLSIM_BIND(labour.job_find_rate)},
    {"labour.job_find_level_factor", ValueKind::RealVector, "factor", "Job-finding factor by skill level.", 0, kInf,
     Dim::Level, Dim::None, false, true, SKILLSIM_BIND(labour.job_find_level_factor)},
    {"labour.job_find_group_factor", ValueKind::RealVector, "factor", "Job-finding factor by group.", 0, kInf,
     Dim::Group, Dim::None, false, true, SKILLSIM_BIND(labour.job_find_group_factor)},
    {"labour.job_find_multiplier", ValueKind::Real, "factor", "Macro multiplier of job finding.", 0, 1000, Dim::None,
     Dim::None, false, true, SKILLSIM_BIND(labour.job_find_multiplier)},
    {"labour.inactivity_rate", ValueKind::Real, "probability per month",
     "Monthly probability that an unemployed worker stops searching (becomes inactive).", 0, 1, Dim::None, Dim::None,
     false, true, SKILLSIM_BIND(labour.inactivity_rate)},
    {"labour.reactivation_rate", ValueKind::Real, "probability per month",
     "Monthly probability that an inactive person starts searching again.", 0, 1, Dim::None, Dim::None, false, true,
     SKILLSIM_BIND(labour.reactivation_rate)},
    // skills
    {"skills.min_months", ValueKind::RealVector, "months",
     "Minimum months at the level below before a worker may move up to each level (indexed by the level "
     "reached; the entry for level 0 is unused).",
     0, 600, Dim::Level, Dim::None, false, true, SKILLSIM_BIND(skills.min_months)},
    {"skills.assessment_rate", ValueKind::RealVector, "probability per month",
     "Monthly probability that a worker eligible for a level sits its assessment (for 学徒工: starts an "
     "apprenticeship; 特级技师 and 首席技师 are appointed, not assessed, and must be 0).",
     0, 1, Dim::Level, Dim::None, false, true, SKILLSIM_BIND(skills.assessment_rate)},
    {"skills.assessment_status_factor", ValueKind::RealVector, "factor",
     "Factor on the assessment rate by employment status.", 0, kInf, Dim::Status, Dim::None, false, true,
     SKILLSIM_BIND(skills.assessment_status_factor)},
    {"skills.pass_probability", ValueKind::RealVector, "probability",
     "Probability of passing the assessment for each level.", 0, 1, Dim::Level, Dim::None, false, true,
     SKILLSIM_BIND(skills.pass_probability)},
    {"skills.principal_technician_quota_per_year", ValueKind::Real, "persons per year",
     "特级技师 appointments per year, chosen among eligible employed 高级技师.", 0, 1e9, Dim::None, Dim::None, false,
     true, SKILLSIM_BIND(skills.principal_technician_quota_per_year)},
    {"skills.chief_technician_quota_per_year", ValueKind::Real, "persons per year",
     "首席技师 appointments per year, chosen among eligible employed 特级技师.", 0, 1e9, Dim::None, Dim::None, false,
     true, SKILLSIM_BIND(skills.chief_technician_quota_per_year)},
    {"skills.may_be_unreachable", ValueKind::RealVector, "0 or 1",
     "Levels no route needs to lead to (1); validation reports any other level that no assessment, programme, "
     "diploma or appointment reaches from 无证 (docs/pathways.md).",
     0, 1, Dim::Level, Dim::None, false, false, SKILLSIM_BIND(skills.may_be_unreachable)},
    // funds
    {"funds.names", ValueKind::StringList, "", "Identifiers of the fund sources (none by default).", -kInf, kInf,
     Dim::None, Dim::None, false, false, SKILLSIM_BIND(funds.names)},
    {"funds.labels", ValueKind::StringList, "", "Names of the fund sources as users read them.", -kInf, kInf, Dim::Fund,
     Dim::None, false, false, SKILLSIM_BIND(funds.labels)},
    {"funds.annual_envelope", ValueKind::RealVector, "yuan per year",
     "Money granted to each fund at the start of each calendar year.", 0, 1e15, Dim::Fund, Dim::None, false, true,
     SKILLSIM_BIND(funds.annual_envelope)},
    {"funds.carry_over", ValueKind::RealVector, "0 or 1",
     "1 if money left uncommitted at the end of a year passes to the next, 0 if it lapses.", 0, 1, Dim::Fund, Dim::None,
     false, false, SKILLSIM_BIND(funds.carry_over)},
    // programmes
    {"programmes.names", ValueKind::StringList, "", "Identifiers of the training programmes (none by default).", -kInf,
     kInf, Dim::None, Dim::None, false, false, SKILLSIM_BIND(programmes.names)},
    {"programmes.labels", ValueKind::StringList, "", "Names of the programmes as users read them.", -kInf, kInf,
     Dim::Programme, Dim::None, false, false, SKILLSIM_BIND(programmes.labels)},
    {"programmes.eligible_groups", ValueKind::RealMatrix, "0 or 1", "Which groups each programme admits.", 0, 1,
     Dim::Programme, Dim::Group, false, true, SKILLSIM_BIND(programmes.eligible_groups)},
    {"programmes.eligible_statuses", ValueKind::RealMatrix, "0 or 1",
     "Which employment statuses each programme admits.", 0, 1, Dim::Programme, Dim::Status, false, true,
     SKILLSIM_BIND(programmes.eligible_statuses)},
    {"programmes.min_level", ValueKind::RealVector, "level", "Lowest level a trainee may hold (0 = 无证).", 0, 8,
     Dim::Programme, Dim::None, false, true, SKILLSIM_BIND(programmes.min_level)},
    {"programmes.max_level", ValueKind::RealVector, "level", "Highest level a trainee may hold.", 0, 8, Dim::Programme,
     Dim::None, false, true, SKILLSIM_BIND(programmes.max_level)},
    {"programmes.min_age", ValueKind::RealVector, "years", "Youngest age admitted.", 0, 100, Dim::Programme, Dim::None,
     false, true, SKILLSIM_BIND(programmes.min_age)},
    {"programmes.max_age", ValueKind::RealVector, "years", "Oldest age admitted (exclusive).", 0, 100, Dim::Programme,
     Dim::None, false, true, SKILLSIM_BIND(programmes.max_age)},
    {"programmes.min_contribution_months", ValueKind::RealVector, "months",
     "Unemployment-insurance contribution months required (12 for the skill-upgrading subsidy).", 0, 600,
     Dim::Programme, Dim::None, false, true, SKILLSIM_BIND(programmes.min_contribution_months)},
    {"programmes.application_rate", ValueKind::RealVector, "probability per month",
     "Monthly probability that an eligible worker applies (a worker applies to at most one programme a month, "
     "trying them in the order listed).",
     0, 1, Dim::Programme, Dim::None, false, true, SKILLSIM_BIND(programmes.application_rate)},
    {"programmes.duration_months", ValueKind::RealVector, "months", "Length of the programme.", 1, 60, Dim::Programme,
     Dim::None, false, false, SKILLSIM_BIND(programmes.duration_months)},
    {"programmes.full_time", ValueKind::RealVector, "0 or 1",
     "1 if trainees leave work or search (status in_training) and return to searching at the end.", 0, 1,
     Dim::Programme, Dim::None, false, true, SKILLSIM_BIND(programmes.full_time)},
    {"programmes.target_level", ValueKind::RealVector, "level",
     "Level of the certificate the programme prepares for (a trainee below it moves up to it on passing).", 1, 8,
     Dim::Programme, Dim::None, false, true, SKILLSIM_BIND(programmes.target_level)},
    {"programmes.completion_probability", ValueKind::RealVector, "probability",
     "Probability that a trainee completes the programme.", 0, 1, Dim::Programme, Dim::None, false, true,
     SKILLSIM_BIND(programmes.completion_probability)},
    {"programmes.pass_probability", ValueKind::RealVector, "probability",
     "Probability that a trainee who completes earns the certificate.", 0, 1, Dim::Programme, Dim::None, false, true,
     SKILLSIM_BIND(programmes.pass_probability)},
    {"programmes.cost_per_trainee", ValueKind::RealVector, "yuan",
     "Subsidy paid per trainee (per trainee and month when paid monthly).", 0, 1e9, Dim::Programme, Dim::None, false,
     false, SKILLSIM_BIND(programmes.cost_per_trainee)},
    {"programmes.payment", ValueKind::StringList, "",
     "When the subsidy is paid: \"enrolment\" (at once), \"monthly\" (cost_per_trainee for each month in "
     "training, e.g. 以工代训) or \"certification\" (committed at enrolment, paid only for a certificate, e.g. the "
     "skill-upgrading subsidy).",
     -kInf, kInf, Dim::Programme, Dim::None, false, false, SKILLSIM_BIND(programmes.payment)},
    {"programmes.fund_shares", ValueKind::RealMatrix, "share",
     "Share of each programme's cost paid by each fund; each row sums to 1.", 0, 1, Dim::Programme, Dim::Fund, false,
     false, SKILLSIM_BIND(programmes.fund_shares)},
    {"programmes.seats_per_month", ValueKind::RealMatrix, "persons per month",
     "New places each month, by programme and region.", 0, 1e9, Dim::Programme, Dim::Region, false, true,
     SKILLSIM_BIND(programmes.seats_per_month)},
    {"programmes.group_priority", ValueKind::RealVector, "rank",
     "Admission priority of each group when places or money bind: lower ranks are admitted first.", 0, 100, Dim::Group,
     Dim::None, false, true, SKILLSIM_BIND(programmes.group_priority)},
    {"programmes.substitutes", ValueKind::RealMatrix, "0 or 1",
     "1 if applicants to the row's programme accept a place in the column's programme (when they qualify for "
     "it) if their own has no seat or money; their own programme comes first. At most 16 per programme.",
     0, 1, Dim::Programme, Dim::Programme, false, true, SKILLSIM_BIND(programmes.substitutes), 0},
    {"programmes.reference_cost", ValueKind::RealVector, "yuan",
     "The subsidy at which application_rate was observed; with subsidy_elasticity, demand responds to "
     "cost_per_trainee / reference_cost (0: no response).",
     0, 1e9, Dim::Programme, Dim::None, false, false, SKILLSIM_BIND(programmes.reference_cost), 0},
    {"programmes.subsidy_elasticity", ValueKind::RealVector, "elasticity",
     "Elasticity of applications to the subsidy: the application rate is multiplied by "
     "(cost_per_trainee / reference_cost)^elasticity, at most 1.",
     0, 5, Dim::Programme, Dim::None, false, true, SKILLSIM_BIND(programmes.subsidy_elasticity), 0},
    {"programmes.leakage_share", ValueKind::RealVector, "share",
     "Share of subsidy claims for training that did not happen (paid from the same funds, no trainee), "
     "before audits.",
     0, 0.9, Dim::Programme, Dim::None, false, true, SKILLSIM_BIND(programmes.leakage_share), 0},
    {"programmes.job_find_factor", ValueKind::RealVector, "factor",
     "Job-finding rate of unemployed completers, relative to others at their level and group, during "
     "programmes.follow_up_months after completion.",
     0, 20, Dim::Programme, Dim::None, false, true, SKILLSIM_BIND(programmes.job_find_factor), 1},
    {"programmes.follow_up_months", ValueKind::Integer, "months",
     "Months after completion during which job_find_factor applies and employment after training is counted.", 1, 60,
     Dim::None, Dim::None, false, false, SKILLSIM_BIND(programmes.follow_up_months)},
    // audit
    {"audit.share_audited", ValueKind::Real, "share",
     "Share of subsidy claims audited; an audited fake claim is caught and not paid, so the leakage paid is "
     "leakage_share x (1 - share_audited).",
     0, 1, Dim::None, Dim::None, false, true, SKILLSIM_BIND(audit.share_audited)},
    {"audit.cost_per_audit", ValueKind::Real, "yuan", "Cost of auditing one claim, paid by the claim's funds.", 0, 1e7,
     Dim::None, Dim::None, false, true, SKILLSIM_BIND(audit.cost_per_audit)},
    // evaluation
    {"evaluation.evaluators", ValueKind::StringList, "",
     "Evaluator types (none by default: every assessment is held at once, without limit).", -kInf, kInf, Dim::None,
     Dim::None, false, false, SKILLSIM_BIND(evaluation.evaluators)},
    {"evaluation.labels", ValueKind::StringList, "", "Names of the evaluator types as users read them.", -kInf, kInf,
     Dim::Evaluator, Dim::None, false, false, SKILLSIM_BIND(evaluation.labels)},
    {"evaluation.capacity_per_month", ValueKind::RealMatrix, "assessments per month",
     "Assessments each evaluator type can hold a month, by region.", 0, 1e9, Dim::Evaluator, Dim::Region, false, true,
     SKILLSIM_BIND(evaluation.capacity_per_month)},
    {"evaluation.eligible_statuses", ValueKind::RealMatrix, "0 or 1",
     "Whom each evaluator type may assess, by status (enterprises assess their own employees).", 0, 1, Dim::Evaluator,
     Dim::Status, false, true, SKILLSIM_BIND(evaluation.eligible_statuses)},
    {"evaluation.max_level", ValueKind::RealVector, "level",
     "Highest level each evaluator type certifies (初级工 = 2 ... 高级技师 = 6; starting an apprenticeship needs no "
     "evaluator).",
     2, 6, Dim::Evaluator, Dim::None, false, true, SKILLSIM_BIND(evaluation.max_level), 6},
    {"evaluation.max_wait_months", ValueKind::Integer, "months",
     "Candidates who have waited this long for an assessment give up (trainees lose the certificate).", 1, 120,
     Dim::None, Dim::None, false, true, SKILLSIM_BIND(evaluation.max_wait_months)},
};
#undef SKILLSIM_BIND

template <class Names>
std::string list_names(const Names& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + std::string(names[i]);
  return out;
}

} // namespace

std::span<const ParameterSpec> parameter_specs() { return kSpecs; }

const ParameterSpec* find_parameter(std::string_view key) {
  for (const auto& spec : kSpecs)
    if (spec.key == key) return &spec;
  return nullptr;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string_view> suggest_parameters(std::string_view key) {
  // Compare whole keys, and also the last component alone (a right name in the wrong section).
  const auto last = [](std::string_view k) { return k.substr(k.rfind('.') + 1); };
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  for (const auto& spec : kSpecs) {
    const std::size_t d = std::min(edit_distance(key, spec.key), edit_distance(last(key), last(spec.key)));
    const std::size_t limit = std::max<std::size_t>(2, last(key).size() / 3);
    if (d <= limit) scored.emplace_back(d, spec.key);
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto& x, auto& y) { return x.first < y.first; });
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
  return out;
}

std::string_view kind_name(ValueKind kind) {
  switch (kind) {
  case ValueKind::Real:
    return "number";
  case ValueKind::Integer:
    return "integer";
  case ValueKind::Month:
    return "date (YYYY-MM-01)";
  case ValueKind::String:
    return "string";
  case ValueKind::StringList:
    return "array of strings";
  case ValueKind::RealVector:
    return "array of numbers";
  case ValueKind::RealMatrix:
    return "array of arrays of numbers";
  }
  return "?";
}

std::string dim_description(Dim dim) {
  switch (dim) {
  case Dim::None:
    return "";
  case Dim::Level:
    return "level (" + list_names(kLevelIds) + ")";
  case Dim::Status:
    return "status (" + list_names(kStatusIds) + ")";
  case Dim::Group:
    return "group (" + list_names(kGroupIds) + ")";
  case Dim::Sector:
    return "sector (" + list_names(kSectorIds) + ")";
  case Dim::Sex:
    return "sex (" + list_names(kSexIds) + ")";
  case Dim::AgeBand:
    return "age band (" + list_names(kAgeBandIds) + ")";
  case Dim::MortalityBand:
    return "age band (15-19, 20-24, ..., 95-99, 100+)";
  case Dim::CalendarMonth:
    return "calendar month (January ... December)";
  case Dim::Region:
    return "region (as listed in population.regions)";
  case Dim::Fund:
    return "fund (as listed in funds.names)";
  case Dim::Programme:
    return "programme (as listed in programmes.names)";
  case Dim::Evaluator:
    return "evaluator type (as listed in evaluation.evaluators)";
  }
  return "";
}

std::size_t dim_length(Dim dim, const Parameters& p) {
  switch (dim) {
  case Dim::None:
    return 0;
  case Dim::Level:
    return kLevelCount;
  case Dim::Status:
    return kStatusCount;
  case Dim::Group:
    return kGroupCount;
  case Dim::Sector:
    return kSectorCount;
  case Dim::Sex:
    return kSexCount;
  case Dim::AgeBand:
    return kAgeBandCount;
  case Dim::MortalityBand:
    return kMortalityBandCount;
  case Dim::CalendarMonth:
    return 12;
  case Dim::Region:
    return p.population.regions.size();
  case Dim::Fund:
    return p.funds.names.size();
  case Dim::Programme:
    return p.programmes.names.size();
  case Dim::Evaluator:
    return p.evaluation.evaluators.size();
  }
  return 0;
}

Value get_value(const Parameters& p, const ParameterSpec& spec) {
  // bind() takes a mutable object; reading through it does not modify p.
  const ValueRef ref = spec.bind(const_cast<Parameters&>(p));
  return std::visit([](auto* ptr) -> Value { return *ptr; }, ref);
}

std::optional<std::string> set_value(Parameters& p, const ParameterSpec& spec, const Value& value) {
  const ValueRef ref = spec.bind(p);
  // Integers are accepted where reals are expected; nothing else converts.
  if (auto* real = std::get_if<double*>(&ref)) {
    if (auto* v = std::get_if<double>(&value)) {
      **real = *v;
      return std::nullopt;
    }
    if (auto* v = std::get_if<std::int64_t>(&value)) {
      **real = static_cast<double>(*v);
      return std::nullopt;
    }
  } else {
    bool stored = false;
    std::visit(
        [&](auto* target) {
          using T = std::remove_pointer_t<decltype(target)>;
          if (auto* v = std::get_if<T>(&value)) {
            *target = *v;
            stored = true;
          }
        },
        ref);
    if (stored) return std::nullopt;
  }
  return "expected " + std::string(kind_name(spec.kind));
}

namespace {

std::string format_number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

std::string range_text(const ParameterSpec& spec) {
  if (spec.min == 0 && spec.max == 1) return "must be in [0, 1]";
  if (spec.max >= kInf) return "must be >= " + format_number(spec.min);
  return "must be in [" + format_number(spec.min) + ", " + format_number(spec.max) + "]";
}

void check_number(const ParameterSpec& spec, const std::string& key, double v, std::vector<Issue>& issues) {
  if (!std::isfinite(v)) {
    issues.push_back({key, "must be a finite number, got " + format_number(v)});
  } else if (v < spec.min || v > spec.max) {
    const bool is_count = spec.min == 0 && (spec.unit.find("persons") != std::string_view::npos);
    issues.push_back({key, std::string(is_count && v < 0 ? "a count cannot be negative; " : "") + range_text(spec) +
                               ", got " + format_number(v)});
  }
}

void check_vector(const ParameterSpec& spec, const std::vector<double>& values, const Parameters& p,
                  std::vector<Issue>& issues) {
  const std::string key(spec.key);
  const std::size_t expected = dim_length(spec.dim, p);
  if (values.size() != expected) {
    issues.push_back({key, "expected " + std::to_string(expected) + " values, one per " + dim_description(spec.dim) +
                               ", got " + std::to_string(values.size())});
    return;
  }
  for (std::size_t i = 0; i < values.size(); ++i)
    check_number(spec, key + "[" + std::to_string(i) + "]", values[i], issues);
  if (spec.sums_to_one && !values.empty()) {
    const double sum = std::accumulate(values.begin(), values.end(), 0.0);
    if (std::abs(sum - 1.0) > 1e-6) issues.push_back({key, "shares must sum to 1, they sum to " + format_number(sum)});
  }
}

void check_names(const std::string& key, const std::string& what, const std::vector<std::string>& names,
                 std::vector<Issue>& issues) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty())
      issues.push_back({key + "[" + std::to_string(i) + "]", "a " + what + " name cannot be empty"});
    for (std::size_t j = 0; j < i; ++j)
      if (names[i] == names[j])
        issues.push_back({key + "[" + std::to_string(i) + "]", what + " '" + names[i] + "' is listed twice"});
  }
}

void check_whole(const std::string& key, const std::vector<double>& values, std::vector<Issue>& issues) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] != std::floor(values[i]))
      issues.push_back(
          {key + "[" + std::to_string(i) + "]", "must be a whole number, got " + format_number(values[i])});
}

// Rules between the programme columns (each column's length and range is checked on its own).
void check_programmes(const Parameters& p, std::vector<Issue>& issues) {
  const auto& pr = p.programmes;
  const std::size_t n = pr.names.size();
  const auto sized = [n](const std::vector<double>& v) { return v.size() == n; };
  const std::pair<const char*, const std::vector<double>*> levels[] = {
      {"programmes.min_level", &pr.min_level},
      {"programmes.max_level", &pr.max_level},
      {"programmes.target_level", &pr.target_level},
      {"programmes.duration_months", &pr.duration_months}};
  for (const auto& [key, values] : levels)
    if (sized(*values)) check_whole(key, *values, issues);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    if (sized(pr.min_level) && sized(pr.max_level) && pr.min_level[i] > pr.max_level[i])
      issues.push_back({"programmes.max_level" + at,
                        "is below programmes.min_level" + at + " (" + format_number(pr.min_level[i]) + ")"});
    if (sized(pr.min_age) && sized(pr.max_age) && pr.min_age[i] >= pr.max_age[i])
      issues.push_back({"programmes.max_age" + at,
                        "must be greater than programmes.min_age" + at + " (" + format_number(pr.min_age[i]) + ")"});
    if (pr.payment.size() == n && std::find(kPaymentIds.begin(), kPaymentIds.end(), pr.payment[i]) == kPaymentIds.end())
      issues.push_back({"programmes.payment" + at, "unknown payment '" + pr.payment[i] +
                                                       "'; expected \"enrolment\", \"monthly\" or \"certification\""});
    // Eligibility nobody can meet: a programme that could never admit anybody is a mistake.
    const auto none_of_row = [&](const RealMatrix& m, int columns, int skip) {
      if (m.rows != static_cast<int>(n) || m.cols != columns) return false;
      for (int c = 0; c < columns; ++c)
        if (c != skip && m(static_cast<int>(i), c) > 0.5) return false;
      return true;
    };
    if (none_of_row(pr.eligible_groups, kGroupCount, -1))
      issues.push_back({"programmes.eligible_groups" + at, "programme '" + pr.names[i] + "' admits no group"});
    if (none_of_row(pr.eligible_statuses, kStatusCount, static_cast<int>(Status::Retired)))
      issues.push_back({"programmes.eligible_statuses" + at,
                        "programme '" + pr.names[i] + "' admits nobody: no status other than retired is eligible"});
    if (sized(pr.min_age) &&
        pr.min_age[i] >= std::max(p.demography.retirement_age_male, p.demography.retirement_age_female))
      issues.push_back({"programmes.min_age" + at, "programme '" + pr.names[i] +
                                                       "' admits nobody: everybody retires before age " +
                                                       format_number(pr.min_age[i])});
    if (pr.substitutes.rows == static_cast<int>(n) && pr.substitutes.cols == static_cast<int>(n)) {
      int count = 0;
      for (std::size_t q = 0; q < n; ++q)
        count += q != i && pr.substitutes(static_cast<int>(i), static_cast<int>(q)) > 0.5;
      if (count > 16)
        issues.push_back({"programmes.substitutes" + at,
                          "programme '" + pr.names[i] + "' has " + std::to_string(count) + " substitutes; at most 16"});
    }
    const auto& shares = pr.fund_shares;
    if (shares.rows == static_cast<int>(n) && shares.cols == static_cast<int>(p.funds.names.size()) &&
        sized(pr.cost_per_trainee) && pr.cost_per_trainee[i] > 0) {
      double sum = 0;
      for (int f = 0; f < shares.cols; ++f) sum += shares(static_cast<int>(i), f);
      if (std::abs(sum - 1.0) > 1e-6)
        issues.push_back({"programmes.fund_shares" + at,
                          "programme '" + pr.names[i] +
                              "' costs money, so its fund shares must sum to 1; they sum to " + format_number(sum)});
    }
  }
}

} // namespace

Payment payment_of(const ProgrammesSection& programmes, std::size_t programme) {
  const auto& id = programmes.payment[programme];
  for (std::size_t k = 0; k < kPaymentIds.size(); ++k)
    if (id == kPaymentIds[k]) return static_cast<Payment>(k);
  return Payment::Enrolment; // unreachable for checked parameters
}

void fill_column_defaults(Parameters& p) {
  for (const auto& spec : kSpecs) {
    if (std::isnan(spec.column_default)) continue;
    if (spec.kind == ValueKind::RealVector) {
      auto* column = std::get<std::vector<double>*>(spec.bind(p));
      if (column->empty()) column->assign(dim_length(spec.dim, p), spec.column_default);
    } else if (spec.kind == ValueKind::RealMatrix) {
      auto* matrix = std::get<RealMatrix*>(spec.bind(p));
      const std::size_t rows = dim_length(spec.dim, p), cols = dim_length(spec.col_dim, p);
      if (matrix->values.empty() && rows > 0)
        *matrix = RealMatrix{static_cast<int>(rows), static_cast<int>(cols),
                             std::vector<double>(rows * cols, spec.column_default)};
    }
  }
}

std::vector<Issue> check(const Parameters& p) {
  std::vector<Issue> issues;
  for (const auto& spec : kSpecs) {
    const std::string key(spec.key);
    const Value value = get_value(p, spec);
    switch (spec.kind) {
    case ValueKind::Real:
      check_number(spec, key, std::get<double>(value), issues);
      break;
    case ValueKind::Integer:
      check_number(spec, key, static_cast<double>(std::get<std::int64_t>(value)), issues);
      break;
    case ValueKind::RealVector:
      check_vector(spec, std::get<std::vector<double>>(value), p, issues);
      break;
    case ValueKind::RealMatrix: {
      const auto& m = std::get<RealMatrix>(value);
      const std::size_t rows = dim_length(spec.dim, p), cols = dim_length(spec.col_dim, p);
      const bool no_rows = rows == 0 && m.values.empty(); // with no rows the column count is moot
      if (!no_rows &&
          (m.rows != static_cast<int>(rows) || m.cols != static_cast<int>(cols) || m.values.size() != rows * cols)) {
        issues.push_back({key, "expected " + std::to_string(rows) + " rows (one per " + dim_description(spec.dim) +
                                   ") of " + std::to_string(cols) + " values (one per " +
                                   dim_description(spec.col_dim) + ")"});
        break;
      }
      for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c)
          check_number(spec, key + "[" + std::to_string(r) + "][" + std::to_string(c) + "]", m(r, c), issues);
      break;
    }
    case ValueKind::StringList: {
      const auto& names = std::get<std::vector<std::string>>(value);
      if (spec.dim != Dim::None && names.size() != dim_length(spec.dim, p))
        issues.push_back({key, "expected " + std::to_string(dim_length(spec.dim, p)) + " values, one per " +
                                   dim_description(spec.dim) + ", got " + std::to_string(names.size())});
      break;
    }
    case ValueKind::Month:
    case ValueKind::String:
      break;
    }
  }

  // Cross-field rules.
  if (p.population.regions.empty()) issues.push_back({"population.regions", "at least one region is required"});
  check_names("population.regions", "region", p.population.regions, issues);
  check_names("funds.names", "fund", p.funds.names, issues);
  check_names("programmes.names", "programme", p.programmes.names, issues);
  check_names("evaluation.evaluators", "evaluator type", p.evaluation.evaluators, issues);
  if (p.programmes.names.size() > kMaxProgrammes)
    issues.push_back({"programmes.names", "at most " + std::to_string(kMaxProgrammes) +
                                              " programmes are supported, got " +
                                              std::to_string(p.programmes.names.size())});
  if (p.population.regions.size() > 65535)
    issues.push_back({"population.regions", "at most 65535 regions are supported"});
  const auto positive_sum = [&](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) > 0; };
  if (p.population.age_shares_male.size() == kAgeBandCount && p.population.age_shares_female.size() == kAgeBandCount &&
      !positive_sum(p.population.age_shares_male) && !positive_sum(p.population.age_shares_female))
    issues.push_back({"population.age_shares_male", "age weights of men and women are all zero"});
  if (p.population.status_shares.size() == kStatusCount && p.population.status_shares[int(Status::Retired)] > 0)
    issues.push_back(
        {"population.status_shares[5]", "the initial population is the working-age pool; the retired share must be 0"});
  if (p.population.scale > 0 && p.population.size / static_cast<double>(p.population.scale) > 4.0e9)
    issues.push_back({"population.scale", "more than 4e9 agents; raise the scale"});
  if (p.entry.entry_age_max <= p.entry.entry_age_min)
    issues.push_back({"entry.entry_age_max",
                      "must be greater than entry.entry_age_min (" + format_number(p.entry.entry_age_min) + ")"});
  check_programmes(p, issues);
  const auto& sk = p.skills;
  if (sk.assessment_rate.size() == kLevelCount) {
    for (int level : {0, int(Level::PrincipalTechnician), int(Level::ChiefTechnician)})
      if (sk.assessment_rate[level] != 0)
        issues.push_back({"skills.assessment_rate[" + std::to_string(level) + "]",
                          level == 0 ? "nobody moves up to level 0; must be 0"
                                     : std::string(kLevelLabelsZh[level]) +
                                           " is appointed within a quota, not assessed; must be 0"});
  }
  // The ladder's routes, once every value is valid on its own (pathways.hpp).
  if (issues.empty()) {
    std::array<bool, kLevelCount> allowed{};
    for (int l = 0; l < kLevelCount; ++l) allowed[static_cast<std::size_t>(l)] = sk.may_be_unreachable[l] > 0.5;
    const auto routes = check_pathways(p, allowed);
    issues.insert(issues.end(), routes.begin(), routes.end());
  }
  return issues;
}

} // namespace skillsim
