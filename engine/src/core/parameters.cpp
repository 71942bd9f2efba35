#include "skillsim/core/parameters.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "skillsim/core/dates.hpp"
#include "skillsim/core/pathways.hpp"
#include "skillsim/core/population.hpp"

namespace skillsim {

namespace {

// Binders: turn a member path into the registry's ValueRef.
#define SKILLSIM_BIND(path) [](Parameters& p) -> ValueRef { return &p.path; }

constexpr double kInf = 1e300;

// The registry. Order is documentation order. Keys are "section.name". Each row names its fields;
// those left out take the defaults of ParameterSpec (no unit, no bounds, no dimension, fixed).
const ParameterSpec kSpecs[] = {
    // scenario
    {.key = "scenario.name",
     .kind = ValueKind::String,
     .doc = "Short identifier of the scenario.",
     .bind = SKILLSIM_BIND(scenario.name)},
    {.key = "scenario.description",
     .kind = ValueKind::String,
     .doc = "Free text describing the scenario.",
     .bind = SKILLSIM_BIND(scenario.description)},
    {.key = "scenario.start",
     .kind = ValueKind::Month,
     .unit = "date (first of a month)",
     .doc = "First month simulated.",
     .bind = SKILLSIM_BIND(scenario.start)},
    {.key = "scenario.months",
     .kind = ValueKind::Integer,
     .unit = "months",
     .doc = "Number of months simulated.",
     .min = 1,
     .max = 1200,
     .bind = SKILLSIM_BIND(scenario.months)},
    // run
    {.key = "run.seed",
     .kind = ValueKind::Integer,
     .doc = "Base seed of every random stream.",
     .min = 0,
     .max = 9.2e18,
     .bind = SKILLSIM_BIND(run.seed)},
    {.key = "run.replicates",
     .kind = ValueKind::Integer,
     .doc = "Number of replicates (independent runs).",
     .min = 1,
     .max = 100000,
     .bind = SKILLSIM_BIND(run.replicates)},
    {.key = "run.parameter_sets",
     .kind = ValueKind::String,
     .unit = "path",
     .doc = "A CSV file of parameter sets (a path relative to the scenario file; empty for none): the header names "
            "parameters as sweep files do, one row per set; replicate r runs under set r modulo the number of sets.",
     .bind = SKILLSIM_BIND(run.parameter_sets)},
    {.key = "run.parameter_set_columns",
     .kind = ValueKind::StringList,
     .doc = "The columns of run.parameter_sets to use, by their header names (empty for all): the other columns are "
            "ignored, so a sets file can be shared by scenarios that take only some of its parameters.",
     .bind = SKILLSIM_BIND(run.parameter_set_columns)},
    // population
    {.key = "population.size",
     .kind = ValueKind::Real,
     .unit = "persons",
     .doc = "Persons aged 16-64 at the start (the working-age pool).",
     .min = 0,
     .max = 2e9,
     .bind = SKILLSIM_BIND(population.size)},
    {.key = "population.scale",
     .kind = ValueKind::Integer,
     .unit = "persons per agent",
     .doc = "Persons one agent stands for (a whole number, so results in persons stay exact).",
     .min = 1,
     .max = 1e9,
     .bind = SKILLSIM_BIND(population.scale)},
    {.key = "population.regions",
     .kind = ValueKind::StringList,
     .doc = "Names of the regions.",
     .bind = SKILLSIM_BIND(population.regions)},
    {.key = "population.region_shares",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of the population in each region.",
     .min = 0,
     .max = 1,
     .dim = Dim::Region,
     .sums_to_one = true,
     .bind = SKILLSIM_BIND(population.region_shares)},
    {.key = "population.age_shares_male",
     .kind = ValueKind::RealVector,
     .unit = "relative weight",
     .doc = "Men by initial age band (16-19 ... 60-64); normalised together with the women's weights.",
     .min = 0,
     .dim = Dim::AgeBand,
     .bind = SKILLSIM_BIND(population.age_shares_male)},
    {.key = "population.age_shares_female",
     .kind = ValueKind::RealVector,
     .unit = "relative weight",
     .doc = "Women by initial age band (16-19 ... 60-64).",
     .min = 0,
     .dim = Dim::AgeBand,
     .bind = SKILLSIM_BIND(population.age_shares_female)},
    {.key = "population.group_shares",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of the population in each policy group.",
     .min = 0,
     .max = 1,
     .dim = Dim::Group,
     .sums_to_one = true,
     .bind = SKILLSIM_BIND(population.group_shares)},
    {.key = "population.level_shares",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of the population at each skill level.",
     .min = 0,
     .max = 1,
     .dim = Dim::Level,
     .sums_to_one = true,
     .bind = SKILLSIM_BIND(population.level_shares)},
    {.key = "population.status_shares",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of the population in each employment status at the start.",
     .min = 0,
     .max = 1,
     .dim = Dim::Status,
     .sums_to_one = true,
     .bind = SKILLSIM_BIND(population.status_shares)},
    {.key = "population.sector_shares",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of the population in each sector.",
     .min = 0,
     .max = 1,
     .dim = Dim::Sector,
     .sums_to_one = true,
     .bind = SKILLSIM_BIND(population.sector_shares)},
    {.key = "population.level_by_age_prior",
     .kind = ValueKind::RealMatrix,
     .unit = "relative weight",
     .doc = "Prior association of age band (rows) and level (columns) that the population synthesis keeps "
            "while matching the marginal shares; a 0 forbids a combination.",
     .min = 0,
     .dim = Dim::AgeBand,
     .col_dim = Dim::Level,
     .bind = SKILLSIM_BIND(population.level_by_age_prior)},
    {.key = "population.level_by_region_prior",
     .kind = ValueKind::RealMatrix,
     .unit = "relative weight",
     .doc = "Relative propensity of each level (columns) by region (rows) in the initial population: the synthesis "
            "keeps its ratios between regions while matching population.region_shares and population.level_shares "
            "exactly (IPF). 1 everywhere (the default): a worker's region does not depend on its level.",
     .min = 0,
     .max = 1e9,
     .dim = Dim::Region,
     .col_dim = Dim::Level,
     .bind = SKILLSIM_BIND(population.level_by_region_prior),
     .column_default = 1},
    {.key = "population.insured_share",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of each group with unemployment insurance (contributes while employed).",
     .min = 0,
     .max = 1,
     .dim = Dim::Group,
     .bind = SKILLSIM_BIND(population.insured_share)},
    {.key = "population.max_months_at_level",
     .kind = ValueKind::Integer,
     .unit = "months",
     .doc = "Upper bound of the months at the current level drawn for the initial population (a draw above 255 "
            "is held as 255, the longest wait skills.min_months allows).",
     .min = 0,
     .max = 600,
     .bind = SKILLSIM_BIND(population.max_months_at_level)},
    // demography
    {.key = "demography.mortality_annual",
     .kind = ValueKind::RealVector,
     .unit = "probability per year",
     .doc = "Probability of dying within a year, by age band 15-19, 20-24, ..., 95-99, 100+.",
     .min = 0,
     .max = 1,
     .dim = Dim::MortalityBand,
     .schedulable = true,
     .bind = SKILLSIM_BIND(demography.mortality_annual)},
    {.key = "demography.retirement_age_male",
     .kind = ValueKind::Real,
     .unit = "years",
     .doc = "Age at which men retire.",
     .min = 40,
     .max = 80,
     .schedulable = true,
     .bind = SKILLSIM_BIND(demography.retirement_age_male)},
    {.key = "demography.retirement_age_female",
     .kind = ValueKind::Real,
     .unit = "years",
     .doc = "Age at which women retire.",
     .min = 40,
     .max = 80,
     .schedulable = true,
     .bind = SKILLSIM_BIND(demography.retirement_age_female)},
    // entry
    {.key = "entry.school_leavers_per_year",
     .kind = ValueKind::Real,
     .unit = "persons per year",
     .doc = "School and college leavers entering the labour market each year, at level 0.",
     .min = 0,
     .max = 1e9,
     .schedulable = true,
     .bind = SKILLSIM_BIND(entry.school_leavers_per_year)},
    {.key = "entry.school_leaver_group_shares",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Groups of the school leavers.",
     .min = 0,
     .max = 1,
     .dim = Dim::Group,
     .sums_to_one = true,
     .schedulable = true,
     .bind = SKILLSIM_BIND(entry.school_leaver_group_shares)},
    {.key = "entry.technical_school_graduates_per_year",
     .kind = ValueKind::Real,
     .unit = "persons per year",
     .doc = "Technical-school (技工院校) graduates entering each year at their diploma level.",
     .min = 0,
     .max = 1e9,
     .schedulable = true,
     .bind = SKILLSIM_BIND(entry.technical_school_graduates_per_year)},
    {.key = "entry.technical_school_diploma_shares",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Levels at which technical-school graduates enter (中级工, 高级工; 预备技师 at 技师).",
     .min = 0,
     .max = 1,
     .dim = Dim::Level,
     .sums_to_one = true,
     .schedulable = true,
     .bind = SKILLSIM_BIND(entry.technical_school_diploma_shares)},
    {.key = "entry.month_shares",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of a year's entrants arriving in each calendar month.",
     .min = 0,
     .max = 1,
     .dim = Dim::CalendarMonth,
     .sums_to_one = true,
     .schedulable = true,
     .bind = SKILLSIM_BIND(entry.month_shares)},
    {.key = "entry.entry_age_min",
     .kind = ValueKind::Real,
     .unit = "years",
     .doc = "Youngest age of entrants.",
     .min = 14,
     .max = 40,
     .schedulable = true,
     .bind = SKILLSIM_BIND(entry.entry_age_min)},
    {.key = "entry.entry_age_max",
     .kind = ValueKind::Real,
     .unit = "years",
     .doc = "Oldest age of entrants (exclusive).",
     .min = 14,
     .max = 40,
     .schedulable = true,
     .bind = SKILLSIM_BIND(entry.entry_age_max)},
    {.key = "entry.male_share",
     .kind = ValueKind::Real,
     .unit = "share",
     .doc = "Share of men among entrants.",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(entry.male_share)},
    {.key = "entry.employed_share",
     .kind = ValueKind::Real,
     .unit = "share",
     .doc = "Share of entrants who start employed (the rest search).",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(entry.employed_share)},
    // labour
    {.key = "labour.job_loss_rate",
     .kind = ValueKind::Real,
     .unit = "probability per month",
     .doc = "Base monthly probability that an employed worker loses the job.",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_loss_rate)},
    {.key = "labour.job_loss_level_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Job-loss factor by skill level.",
     .min = 0,
     .dim = Dim::Level,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_loss_level_factor)},
    {.key = "labour.job_loss_group_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Job-loss factor by group.",
     .min = 0,
     .dim = Dim::Group,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_loss_group_factor)},
    {.key = "labour.job_loss_sector_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Job-loss factor by sector.",
     .min = 0,
     .dim = Dim::Sector,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_loss_sector_factor)},
    {.key = "labour.job_loss_region_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc =
         "Job-loss factor by region (one value per region of population.regions; default 1 each); multiplied with the "
         "other factors, capped at 1.",
     .min = 0,
     .dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_loss_region_factor),
     .column_default = 1},
    {.key = "labour.job_loss_multiplier",
     .kind = ValueKind::Real,
     .unit = "factor",
     .doc = "Macro multiplier of job loss (schedule it for shocks such as early 2020).",
     .min = 0,
     .max = 1000,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_loss_multiplier)},
    {.key = "labour.job_find_rate",
     .kind = ValueKind::Real,
     .unit = "probability per month",
     .doc = "Base monthly probability that an unemployed worker finds a job.",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_find_rate)},
    {.key = "labour.job_find_level_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Job-finding factor by skill level.",
     .min = 0,
     .dim = Dim::Level,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_find_level_factor)},
    {.key = "labour.job_find_group_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Job-finding factor by group.",
     .min = 0,
     .dim = Dim::Group,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_find_group_factor)},
    {.key = "labour.job_find_region_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc =
         "Job-finding factor by region (one value per region of population.regions; default 1 each); multiplied with "
         "the other factors, capped at 1.",
     .min = 0,
     .dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_find_region_factor),
     .column_default = 1},
    {.key = "labour.job_find_multiplier",
     .kind = ValueKind::Real,
     .unit = "factor",
     .doc = "Macro multiplier of job finding.",
     .min = 0,
     .max = 1000,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.job_find_multiplier)},
    {.key = "labour.inactivity_rate",
     .kind = ValueKind::Real,
     .unit = "probability per month",
     .doc = "Monthly probability that an unemployed worker stops searching (becomes inactive).",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.inactivity_rate)},
    {.key = "labour.reactivation_rate",
     .kind = ValueKind::Real,
     .unit = "probability per month",
     .doc = "Monthly probability that an inactive person starts searching again.",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(labour.reactivation_rate)},
    // groups
    {.key = "groups.after_job_found",
     .kind = ValueKind::StringList,
     .doc = "Group a member of each group belongs to after finding a job (e.g. \"urban_employee\" for "
            "\"unemployed\"); the group's own id keeps it.",
     .dim = Dim::Group,
     .schedulable = true,
     .bind = SKILLSIM_BIND(groups.after_job_found)},
    {.key = "groups.leave_after_months",
     .kind = ValueKind::IntegerVector,
     .unit = "months",
     .doc = "Months a member stays in each group before moving to groups.after_leaving (0: no limit). Counted "
            "while a limit is in force; members of the initial population have served a uniform part of it.",
     .min = 0,
     .max = 255,
     .dim = Dim::Group,
     .schedulable = true,
     .bind = SKILLSIM_BIND(groups.leave_after_months)},
    {.key = "groups.closed",
     .kind = ValueKind::FlagVector,
     .doc = "Groups that no longer exist (schedule it: true from the date a registration ends): their members move "
            "to groups.after_leaving at the start of every month in which it is true.",
     .dim = Dim::Group,
     .schedulable = true,
     .bind = SKILLSIM_BIND(groups.closed)},
    {.key = "groups.after_leaving",
     .kind = ValueKind::StringList,
     .doc = "Group a member of each group moves to when its time limit (groups.leave_after_months) is served or "
            "the group is closed (groups.closed).",
     .dim = Dim::Group,
     .schedulable = true,
     .bind = SKILLSIM_BIND(groups.after_leaving)},
    // skills
    {.key = "skills.min_months",
     .kind = ValueKind::IntegerVector,
     .unit = "months",
     .doc = "Minimum months at the level below before a worker may move up to each level (indexed by the level "
            "reached; the entry for level 0 is unused).",
     .min = 0,
     .max = kMaxMonthsAtLevel, // the months at a level are counted up to 255 (population.hpp)
     .dim = Dim::Level,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.min_months)},
    {.key = "skills.assessment_rate",
     .kind = ValueKind::RealVector,
     .unit = "probability per month",
     .doc = "Monthly probability that a worker eligible for a level sits its assessment (for 学徒工: starts an "
            "apprenticeship; 特级技师 and 首席技师 are appointed, not assessed, and must be 0).",
     .min = 0,
     .max = 1,
     .dim = Dim::Level,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.assessment_rate)},
    {.key = "skills.assessment_rate_trend",
     .kind = ValueKind::RealVector,
     .unit = "relative change per year",
     .doc = "Trend of the assessment rate by level: in a month starting at t the rate is min(1, assessment_rate x "
            "(1 + trend)^y), with y the years from skills.trend_reference_date to t (negative before it), counted "
            "in whole months and no further than skills.trend_end_date; it multiplies the scheduled rate.",
     .min = -0.5,
     .max = 2,
     .dim = Dim::Level,
     .bind = SKILLSIM_BIND(skills.assessment_rate_trend)},
    {.key = "skills.trend_reference_date",
     .kind = ValueKind::Month,
     .unit = "date (first of a month)",
     .doc = "The month at which skills.assessment_rate holds as given (the trend's factor is 1).",
     .bind = SKILLSIM_BIND(skills.trend_reference_date)},
    {.key = "skills.trend_end_date",
     .kind = ValueKind::Month,
     .unit = "date (first of a month)",
     .doc = "The month from which the trend stops: the factor keeps its value there (not before "
            "skills.trend_reference_date).",
     .bind = SKILLSIM_BIND(skills.trend_end_date)},
    {.key = "skills.assessment_status_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on the assessment rate by employment status.",
     .min = 0,
     .dim = Dim::Status,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.assessment_status_factor)},
    {.key = "skills.premium_elasticity",
     .kind = ValueKind::Real,
     .unit = "elasticity",
     .doc = "The choice model (docs/model.md, \"Pay and the choice to train or sit\"): the assessment rate for a "
            "level from 初级工 up is multiplied by (R / R_ref)^elasticity, R = employers.wage_per_month of the level "
            "/ that of the level below - 1 (the certificate's pay premium), R_ref the same of "
            "employers.reference_wage_per_month; 0 (the default): fixed rates.",
     .min = 0,
     .max = 5,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.premium_elasticity)},
    {.key = "skills.pass_probability",
     .kind = ValueKind::RealVector,
     .unit = "probability",
     .doc = "Probability of passing the assessment for each level.",
     .min = 0,
     .max = 1,
     .dim = Dim::Level,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.pass_probability)},
    {.key = "skills.assessment_factor_by_age_band",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on the monthly probability of sitting an assessment (and of starting an apprenticeship) by age "
            "band (16-19 ... 60-64; older workers take the last); multiplied with the other factors, capped at 1.",
     .min = 0,
     .dim = Dim::AgeBand,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.assessment_factor_by_age_band)},
    {.key = "skills.assessment_factor_by_sex",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on the monthly probability of sitting an assessment (and of starting an apprenticeship) by sex; "
            "multiplied with the other factors, capped at 1.",
     .min = 0,
     .dim = Dim::Sex,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.assessment_factor_by_sex)},
    {.key = "skills.assessment_factor_by_group",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on the monthly probability of sitting an assessment (and of starting an apprenticeship) by group; "
            "multiplied with the other factors, capped at 1.",
     .min = 0,
     .dim = Dim::Group,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.assessment_factor_by_group)},
    {.key = "skills.assessment_factor_by_region",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on the monthly probability of sitting an assessment (and of starting an apprenticeship) by region "
            "(one value per region of population.regions; default 1 each); multiplied with the other factors, capped "
            "at 1.",
     .min = 0,
     .dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.assessment_factor_by_region),
     .column_default = 1},
    {.key = "skills.pass_factor_by_age_band",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on the probability of passing an ordinary assessment (not a programme's) by age band (16-19 ... "
            "60-64; older workers take the last); multiplied with the other factors, capped at 1.",
     .min = 0,
     .dim = Dim::AgeBand,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.pass_factor_by_age_band)},
    {.key = "skills.pass_factor_by_sex",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on the probability of passing an ordinary assessment (not a programme's) by sex; multiplied with "
            "the other factors, capped at 1.",
     .min = 0,
     .dim = Dim::Sex,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.pass_factor_by_sex)},
    {.key = "skills.pass_factor_by_group",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on the probability of passing an ordinary assessment (not a programme's) by group; multiplied with "
            "the other factors, capped at 1.",
     .min = 0,
     .dim = Dim::Group,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.pass_factor_by_group)},
    {.key = "skills.pass_factor_by_region",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on the probability of passing an ordinary assessment (not a programme's) by region (one value per "
            "region of population.regions; default 1 each); multiplied with the other factors, capped at 1.",
     .min = 0,
     .dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.pass_factor_by_region),
     .column_default = 1},
    {.key = "skills.principal_technician_quota_per_year",
     .kind = ValueKind::Real,
     .unit = "persons per year",
     .doc = "特级技师 appointments per year, chosen among eligible employed 高级技师.",
     .min = 0,
     .max = 1e9,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.principal_technician_quota_per_year)},
    {.key = "skills.chief_technician_quota_per_year",
     .kind = ValueKind::Real,
     .unit = "persons per year",
     .doc = "首席技师 appointments per year, chosen among eligible employed 特级技师.",
     .min = 0,
     .max = 1e9,
     .schedulable = true,
     .bind = SKILLSIM_BIND(skills.chief_technician_quota_per_year)},
    {.key = "skills.may_be_unreachable",
     .kind = ValueKind::FlagVector,
     .doc =
         "Levels no route needs to lead to (true); validation reports any other level that no assessment, programme, "
         "diploma or appointment reaches from 无证 (docs/pathways.md).",
     .dim = Dim::Level,
     .bind = SKILLSIM_BIND(skills.may_be_unreachable)},
    // funds
    {.key = "funds.names",
     .kind = ValueKind::StringList,
     .doc = "Identifiers of the fund sources (none by default).",
     .bind = SKILLSIM_BIND(funds.names)},
    {.key = "funds.labels",
     .kind = ValueKind::StringList,
     .doc = "Names of the fund sources as users read them.",
     .dim = Dim::Fund,
     .bind = SKILLSIM_BIND(funds.labels)},
    {.key = "funds.annual_envelope",
     .kind = ValueKind::RealVector,
     .unit = "yuan per year",
     .doc = "Money granted to each fund at the start of each calendar year.",
     .min = 0,
     .max = 1e15,
     .dim = Dim::Fund,
     .schedulable = true,
     .bind = SKILLSIM_BIND(funds.annual_envelope)},
    {.key = "funds.carry_over",
     .kind = ValueKind::FlagVector,
     .doc = "Whether money left uncommitted at the end of a year passes to the next (true) or lapses (false).",
     .dim = Dim::Fund,
     .bind = SKILLSIM_BIND(funds.carry_over)},
    // programmes
    {.key = "programmes.names",
     .kind = ValueKind::StringList,
     .doc = "Identifiers of the training programmes (none by default).",
     .bind = SKILLSIM_BIND(programmes.names)},
    {.key = "programmes.labels",
     .kind = ValueKind::StringList,
     .doc = "Names of the programmes as users read them.",
     .dim = Dim::Programme,
     .bind = SKILLSIM_BIND(programmes.labels)},
    {.key = "programmes.eligible_groups",
     .kind = ValueKind::FlagMatrix,
     .doc = "Which groups each programme admits.",
     .dim = Dim::Programme,
     .col_dim = Dim::Group,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.eligible_groups)},
    {.key = "programmes.eligible_statuses",
     .kind = ValueKind::FlagMatrix,
     .doc = "Which employment statuses each programme admits.",
     .dim = Dim::Programme,
     .col_dim = Dim::Status,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.eligible_statuses)},
    {.key = "programmes.eligible_regions",
     .kind = ValueKind::FlagMatrix,
     .doc = "Which regions' workers each programme admits (all by default). A programme run by one province and "
            "paid from its own account admits that province's workers only.",
     .dim = Dim::Programme,
     .col_dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.eligible_regions),
     .column_default = 1},
    {.key = "programmes.min_level",
     .kind = ValueKind::IntegerVector,
     .unit = "level",
     .doc = "Lowest level a trainee may hold (0 = 无证).",
     .min = 0,
     .max = 8,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.min_level)},
    {.key = "programmes.max_level",
     .kind = ValueKind::IntegerVector,
     .unit = "level",
     .doc = "Highest level a trainee may hold.",
     .min = 0,
     .max = 8,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.max_level)},
    {.key = "programmes.min_age",
     .kind = ValueKind::RealVector,
     .unit = "years",
     .doc = "Youngest age admitted.",
     .min = 0,
     .max = 100,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.min_age)},
    {.key = "programmes.max_age",
     .kind = ValueKind::RealVector,
     .unit = "years",
     .doc = "Oldest age admitted (exclusive).",
     .min = 0,
     .max = 100,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.max_age)},
    {.key = "programmes.min_contribution_months",
     .kind = ValueKind::RealVector,
     .unit = "months",
     .doc = "Unemployment-insurance contribution months required (12 for the skill-upgrading subsidy); at most 255 "
            "(the engine counts them in one byte).",
     .min = 0,
     .max = kMaxInsuranceMonths,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.min_contribution_months)},
    {.key = "programmes.application_rate",
     .kind = ValueKind::RealVector,
     .unit = "probability per month",
     .doc = "Monthly probability that an eligible worker applies (a worker applies to at most one programme a month, "
            "trying them in the order listed).",
     .min = 0,
     .max = 1,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.application_rate)},
    {.key = "programmes.duration_months",
     .kind = ValueKind::IntegerVector,
     .unit = "months",
     .doc = "Length of the programme.",
     .min = 1,
     .max = 60,
     .dim = Dim::Programme,
     .bind = SKILLSIM_BIND(programmes.duration_months)},
    {.key = "programmes.full_time",
     .kind = ValueKind::FlagVector,
     .doc = "Whether trainees leave work or search (status in_training) and return to searching at the end.",
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.full_time)},
    {.key = "programmes.target_level",
     .kind = ValueKind::IntegerVector,
     .unit = "level",
     .doc = "Level of the certificate the programme prepares for (a trainee below it moves up to it on passing).",
     .min = 1,
     .max = 8,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.target_level)},
    {.key = "programmes.completion_probability",
     .kind = ValueKind::RealVector,
     .unit = "probability",
     .doc = "Probability that a trainee completes the programme.",
     .min = 0,
     .max = 1,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.completion_probability)},
    {.key = "programmes.pass_probability",
     .kind = ValueKind::RealVector,
     .unit = "probability",
     .doc = "Probability that a trainee who completes earns the certificate.",
     .min = 0,
     .max = 1,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.pass_probability)},
    {.key = "programmes.appraisal_share",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of the programme's completers who sit its certification assessment (鉴定/等级认定); the others "
            "complete with a training certificate only (培训合格证): no level change, no assessment, no evaluation "
            "queue, and nothing paid for them on \"certification\" payment.",
     .min = 0,
     .max = 1,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.appraisal_share),
     .column_default = 1},
    {.key = "programmes.cost_per_trainee",
     .kind = ValueKind::RealVector,
     .unit = "yuan",
     .doc = "Subsidy paid per trainee (per trainee and month when paid monthly).",
     .min = 0,
     .max = 1e9,
     .dim = Dim::Programme,
     .bind = SKILLSIM_BIND(programmes.cost_per_trainee)},
    {.key = "programmes.payment",
     .kind = ValueKind::StringList,
     .doc =
         "When the subsidy is paid: \"enrolment\" (at once), \"monthly\" (cost_per_trainee for each month in "
         "training, e.g. 以工代训) or \"certification\" (committed at enrolment, paid only for a certificate, e.g. the "
         "skill-upgrading subsidy).",
     .dim = Dim::Programme,
     .bind = SKILLSIM_BIND(programmes.payment)},
    {.key = "programmes.fund_shares",
     .kind = ValueKind::RealMatrix,
     .unit = "share",
     .doc = "Share of each programme's cost paid by each fund; each row sums to 1.",
     .min = 0,
     .max = 1,
     .dim = Dim::Programme,
     .col_dim = Dim::Fund,
     .bind = SKILLSIM_BIND(programmes.fund_shares)},
    {.key = "programmes.seats_per_month",
     .kind = ValueKind::RealMatrix,
     .unit = "persons per month",
     .doc = "New places each month, by programme and region.",
     .min = 0,
     .max = 1e9,
     .dim = Dim::Programme,
     .col_dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.seats_per_month)},
    {.key = "programmes.group_priority",
     .kind = ValueKind::IntegerVector,
     .unit = "rank",
     .doc = "Admission priority of each group when places or money bind: lower ranks are admitted first.",
     .min = 0,
     .max = 100,
     .dim = Dim::Group,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.group_priority)},
    {.key = "programmes.substitutes",
     .kind = ValueKind::FlagMatrix,
     .doc = "Whether applicants to the row's programme accept a place in the column's programme (when they qualify for "
            "it) if their own has no seat or money; their own programme comes first. At most 16 per programme.",
     .dim = Dim::Programme,
     .col_dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.substitutes),
     .column_default = 0},
    {.key = "programmes.reference_cost",
     .kind = ValueKind::RealVector,
     .unit = "yuan",
     .doc = "The subsidy at which application_rate was observed; with subsidy_elasticity, demand responds to "
            "cost_per_trainee / reference_cost (0: no response).",
     .min = 0,
     .max = 1e9,
     .dim = Dim::Programme,
     .bind = SKILLSIM_BIND(programmes.reference_cost),
     .column_default = 0},
    {.key = "programmes.subsidy_elasticity",
     .kind = ValueKind::RealVector,
     .unit = "elasticity",
     .doc = "Elasticity of applications to the subsidy: the application rate is multiplied by "
            "(cost_per_trainee / reference_cost)^elasticity, at most 1.",
     .min = 0,
     .max = 5,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.subsidy_elasticity),
     .column_default = 0},
    {.key = "programmes.premium_elasticity",
     .kind = ValueKind::RealVector,
     .unit = "elasticity",
     .doc = "The choice model: the application rate of a worker at level l is multiplied by (R / R_ref)^elasticity, "
            "at most 1, R = employers.wage_per_month at target_level / that at l - 1 (the certificate's pay "
            "premium), R_ref the same of employers.reference_wage_per_month; 0 (the default): fixed rates.",
     .min = 0,
     .max = 5,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.premium_elasticity),
     .column_default = 0},
    {.key = "programmes.leakage_share",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of subsidy claims for training that did not happen (paid from the same funds, no trainee), "
            "before audits.",
     .min = 0,
     .max = 0.9,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.leakage_share),
     .column_default = 0},
    {.key = "programmes.job_find_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Job-finding rate of unemployed completers, relative to others at their level and group, during "
            "programmes.follow_up_months after completion.",
     .min = 0,
     .max = 20,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.job_find_factor),
     .column_default = 1},
    {.key = "programmes.follow_up_months",
     .kind = ValueKind::Integer,
     .unit = "months",
     .doc = "Months after completion during which job_find_factor applies and employment after training is counted.",
     .min = 1,
     .max = 60,
     .bind = SKILLSIM_BIND(programmes.follow_up_months)},
    {.key = "programmes.waiting",
     .kind = ValueKind::StringList,
     .doc = "The waiting rule of the programme's route: the months at the level held a worker must have served "
            "before admission, \"none\", \"shortened\" (skills.min_months of the next level less shorten_months) or "
            "\"minimum\" (skills.min_months). Default \"shortened\" by 12 months: the national occupational "
            "standards let a worker who completed the level's formal training (正规培训) apply about a year earlier "
            "(docs/pathways.md, \"Waiting rules\").",
     .dim = Dim::Programme,
     .bind = SKILLSIM_BIND(programmes.waiting),
     .column_default_text = "shortened"},
    {.key = "programmes.shorten_months",
     .kind = ValueKind::IntegerVector,
     .unit = "months",
     .doc = "Months taken off the ordinary minimum wait when the waiting rule is \"shortened\" (the other rules "
            "ignore it).",
     .min = 0,
     .max = 600,
     .dim = Dim::Programme,
     .schedulable = true,
     .bind = SKILLSIM_BIND(programmes.shorten_months),
     .column_default = 12},
    {.key = "programmes.apprenticeship",
     .kind = ValueKind::FlagVector,
     .doc = "Whether the programme is an apprenticeship (企业新型学徒制): it admits employed workers only, holds an "
            "admitted worker below 学徒工 at 学徒工 (level 1) while enrolled, and ends in the assessment for "
            "target_level; an apprentice who fails or drops out stays 学徒工 (docs/levers.md, \"Apprenticeship\").",
     .dim = Dim::Programme,
     .bind = SKILLSIM_BIND(programmes.apprenticeship),
     .column_default = 0},
    {.key = "programmes.employer_share",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of each claim (cost_per_trainee, as paid) that the trainee's employer pays from its staff-education "
            "funds (职工教育经费); the funds pay the rest by fund_shares, and commit only their part. Above 0 only for "
            "programmes that admit employed workers only and are not full-time. Fixed for the run (commitments are "
            "made on it); 0 by default.",
     .min = 0,
     .max = 1,
     .dim = Dim::Programme,
     .bind = SKILLSIM_BIND(programmes.employer_share),
     .column_default = 0},
    // audit
    {.key = "audit.share_audited",
     .kind = ValueKind::Real,
     .unit = "share",
     .doc = "Share of subsidy claims audited; an audited fake claim is caught and not paid, so the leakage paid is "
            "leakage_share x (1 - share_audited)^deterrence x (1 - share_audited) per claim made.",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(audit.share_audited)},
    {.key = "audit.cost_per_audit",
     .kind = ValueKind::Real,
     .unit = "yuan",
     .doc = "Cost of auditing one claim, paid by the claim's funds.",
     .min = 0,
     .max = 1e7,
     .schedulable = true,
     .bind = SKILLSIM_BIND(audit.cost_per_audit)},
    {.key = "audit.deterrence",
     .kind = ValueKind::Real,
     .unit = "elasticity",
     .doc = "Deterrence: audits deter fraud, so the share of claims that are fake is programmes.leakage_share x (1 - "
            "share_audited)^deterrence (0, the default: audits only catch; docs/levers.md, \"Leakage and audits\").",
     .min = 0,
     .max = 20,
     .schedulable = true,
     .bind = SKILLSIM_BIND(audit.deterrence)},
    // evaluation
    {.key = "evaluation.evaluators",
     .kind = ValueKind::StringList,
     .doc = "Evaluator types (none by default: every assessment is held at once, without limit), in the order "
            "they take the candidates several types may assess (an employer's own capacity first).",
     .bind = SKILLSIM_BIND(evaluation.evaluators)},
    {.key = "evaluation.labels",
     .kind = ValueKind::StringList,
     .doc = "Names of the evaluator types as users read them.",
     .dim = Dim::Evaluator,
     .bind = SKILLSIM_BIND(evaluation.labels)},
    {.key = "evaluation.capacity_per_month",
     .kind = ValueKind::RealMatrix,
     .unit = "assessments per month",
     .doc = "Assessments each evaluator type can hold a month, by region.",
     .min = 0,
     .max = 1e9,
     .dim = Dim::Evaluator,
     .col_dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(evaluation.capacity_per_month)},
    {.key = "evaluation.eligible_statuses",
     .kind = ValueKind::FlagMatrix,
     .doc = "Whom each evaluator type may assess, by status (enterprises assess their own employees).",
     .dim = Dim::Evaluator,
     .col_dim = Dim::Status,
     .schedulable = true,
     .bind = SKILLSIM_BIND(evaluation.eligible_statuses)},
    {.key = "evaluation.max_level",
     .kind = ValueKind::IntegerVector,
     .unit = "level",
     .doc = "Highest level each evaluator type certifies (初级工 = 2 ... 高级技师 = 6; starting an apprenticeship "
            "needs no evaluator).",
     .min = 2,
     .max = 6,
     .dim = Dim::Evaluator,
     .schedulable = true,
     .bind = SKILLSIM_BIND(evaluation.max_level),
     .column_default = 6},
    {.key = "evaluation.max_wait_months",
     .kind = ValueKind::Integer,
     .unit = "months",
     .doc = "Candidates who have waited this long for an assessment give up (trainees lose the certificate).",
     .min = 1,
     .max = 120,
     .schedulable = true,
     .bind = SKILLSIM_BIND(evaluation.max_wait_months)},
    // competitions
    {.key = "competitions.tiers",
     .kind = ValueKind::StringList,
     .doc = "Identifiers of the competition tiers (技能竞赛: city, province, national, world; none by default).",
     .bind = SKILLSIM_BIND(competitions.tiers)},
    {.key = "competitions.labels",
     .kind = ValueKind::StringList,
     .doc = "Names of the competition tiers as users read them, e.g. 晋城市职业技能大赛.",
     .dim = Dim::Tier,
     .bind = SKILLSIM_BIND(competitions.labels)},
    {.key = "competitions.month_held",
     .kind = ValueKind::IntegerVector,
     .unit = "calendar month",
     .doc = "Calendar month (1 = January ... 12) in which each tier is held once a year; 0: held every month, the "
            "yearly entrants and winners spread evenly over the months.",
     .min = 0,
     .max = 12,
     .dim = Dim::Tier,
     .schedulable = true,
     .bind = SKILLSIM_BIND(competitions.month_held)},
    {.key = "competitions.entrants_per_year",
     .kind = ValueKind::RealVector,
     .unit = "persons per year",
     .doc = "Workers who enter each tier in a year, chosen at random among the eligible (fewer if fewer are eligible).",
     .min = 0,
     .max = 1e9,
     .dim = Dim::Tier,
     .schedulable = true,
     .bind = SKILLSIM_BIND(competitions.entrants_per_year)},
    {.key = "competitions.winners_per_year",
     .kind = ValueKind::RealVector,
     .unit = "persons per year",
     .doc = "Entrants who win a placing that carries the tier's award, in a year (at most the entrants).",
     .min = 0,
     .max = 1e9,
     .dim = Dim::Tier,
     .schedulable = true,
     .bind = SKILLSIM_BIND(competitions.winners_per_year)},
    {.key = "competitions.eligible_statuses",
     .kind = ValueKind::FlagMatrix,
     .doc = "Who may enter each tier, by status (employed workers; trainees in full-time training).",
     .dim = Dim::Tier,
     .col_dim = Dim::Status,
     .schedulable = true,
     .bind = SKILLSIM_BIND(competitions.eligible_statuses)},
    {.key = "competitions.min_level",
     .kind = ValueKind::IntegerVector,
     .unit = "level",
     .doc = "Lowest level an entrant may hold (0 = 无证 ... 7 = 特级技师).",
     .min = 0,
     .max = 7,
     .dim = Dim::Tier,
     .schedulable = true,
     .bind = SKILLSIM_BIND(competitions.min_level),
     .column_default = 0},
    {.key = "competitions.max_level",
     .kind = ValueKind::IntegerVector,
     .unit = "level",
     .doc = "Highest level an entrant may hold (at most 7 = 特级技师: a winner moves to the level above).",
     .min = 0,
     .max = 7,
     .dim = Dim::Tier,
     .schedulable = true,
     .bind = SKILLSIM_BIND(competitions.max_level),
     .column_default = 7},
    {.key = "competitions.award",
     .kind = ValueKind::StringList,
     .doc = "What winning gives: \"promote\" (one level up, 晋升职业技能等级) or \"shorten\" (the wait at the level "
            "is shortened by shorten_months, so the next assessment comes sooner).",
     .dim = Dim::Tier,
     .bind = SKILLSIM_BIND(competitions.award)},
    {.key = "competitions.waiting",
     .kind = ValueKind::StringList,
     .doc =
         "The waiting rule of the route: the months at the level an entrant must have served, \"none\", "
         "\"shortened\" (skills.min_months of the next level less shorten_months) or \"minimum\" (skills.min_months); "
         "a tier that shortens the wait has \"shortened\".",
     .dim = Dim::Tier,
     .bind = SKILLSIM_BIND(competitions.waiting)},
    {.key = "competitions.shorten_months",
     .kind = ValueKind::IntegerVector,
     .unit = "months",
     .doc = "Months taken off the ordinary minimum wait (waiting \"shortened\"), and credited to a winner's months at "
            "the level when the award is \"shorten\".",
     .min = 0,
     .max = 600,
     .dim = Dim::Tier,
     .schedulable = true,
     .bind = SKILLSIM_BIND(competitions.shorten_months),
     .column_default = 0},
    // schools
    {.key = "schools.routes",
     .kind = ValueKind::StringList,
     .doc =
         "Identifiers of the technical-school (技工院校) routes, one per class and entry level, e.g. \"intermediate\" "
         "(中级工班); none by default: no enrolment and no students.",
     .bind = SKILLSIM_BIND(schools.routes)},
    {.key = "schools.labels",
     .kind = ValueKind::StringList,
     .doc = "Names of the school routes as users read them, e.g. 中级工班.",
     .dim = Dim::SchoolRoute,
     .bind = SKILLSIM_BIND(schools.labels)},
    {.key = "schools.diploma_level",
     .kind = ValueKind::IntegerVector,
     .unit = "level",
     .doc = "Level at which a graduate enters the workforce (3 = 中级工, 4 = 高级工, 5 = 技师 for 预备技师 classes).",
     .min = 2,
     .max = 6,
     .dim = Dim::SchoolRoute,
     .bind = SKILLSIM_BIND(schools.diploma_level)},
    {.key = "schools.length_months",
     .kind = ValueKind::IntegerVector,
     .unit = "months",
     .doc = "Months in school before graduating (36: a 3-year class).",
     .min = 1,
     .max = 120,
     .dim = Dim::SchoolRoute,
     .bind = SKILLSIM_BIND(schools.length_months)},
    {.key = "schools.entry_age_min",
     .kind = ValueKind::RealVector,
     .unit = "years",
     .doc = "Youngest age at enrolment (15: from 初中; 18: from 高中).",
     .min = 12,
     .max = 40,
     .dim = Dim::SchoolRoute,
     .bind = SKILLSIM_BIND(schools.entry_age_min)},
    {.key = "schools.entry_age_max",
     .kind = ValueKind::RealVector,
     .unit = "years",
     .doc = "Oldest age at enrolment (exclusive); ages are uniform between the two.",
     .min = 12,
     .max = 40,
     .dim = Dim::SchoolRoute,
     .bind = SKILLSIM_BIND(schools.entry_age_max)},
    {.key = "schools.dropout_rate",
     .kind = ValueKind::RealVector,
     .unit = "probability per month",
     .doc = "Monthly probability that a student leaves school without a diploma (entering the workforce at level 0).",
     .min = 0,
     .max = 1,
     .dim = Dim::SchoolRoute,
     .schedulable = true,
     .bind = SKILLSIM_BIND(schools.dropout_rate),
     .column_default = 0},
    {.key = "schools.enrolment_plan_per_year",
     .kind = ValueKind::RealMatrix,
     .unit = "persons per year",
     .doc = "The enrolment plan (招生计划): persons enrolled a year, by route and region, spread over the months by "
            "schools.enrolment_month_shares (fewer when the capacity binds).",
     .min = 0,
     .max = 1e9,
     .dim = Dim::SchoolRoute,
     .col_dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(schools.enrolment_plan_per_year),
     .column_default = 0},
    {.key = "schools.capacity",
     .kind = ValueKind::RealMatrix,
     .unit = "persons",
     .doc = "Students a route may hold at once in a region (school places); enrolment stops there. Unlimited "
            "(1e9) by default.",
     .min = 0,
     .max = 1e9,
     .dim = Dim::SchoolRoute,
     .col_dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(schools.capacity),
     .column_default = 1e9},
    {.key = "schools.initial_students",
     .kind = ValueKind::RealMatrix,
     .unit = "persons",
     .doc = "Students in school at the start (在校生), by route and region, in addition to population.size; their "
            "months in school are drawn as in a steady state of the route (its length and dropout).",
     .min = 0,
     .max = 1e9,
     .dim = Dim::SchoolRoute,
     .col_dim = Dim::Region,
     .bind = SKILLSIM_BIND(schools.initial_students),
     .column_default = 0},
    {.key = "schools.enrolment_month_shares",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Share of a year's enrolment plan enrolled in each calendar month.",
     .min = 0,
     .max = 1,
     .dim = Dim::CalendarMonth,
     .sums_to_one = true,
     .schedulable = true,
     .bind = SKILLSIM_BIND(schools.enrolment_month_shares)},
    {.key = "schools.group_shares",
     .kind = ValueKind::RealVector,
     .unit = "share",
     .doc = "Policy groups of the students at enrolment (技工院校学生 unless, say, children of registered poor "
            "families are counted as 建档立卡贫困劳动力).",
     .min = 0,
     .max = 1,
     .dim = Dim::Group,
     .sums_to_one = true,
     .schedulable = true,
     .bind = SKILLSIM_BIND(schools.group_shares)},
    {.key = "schools.graduate_group",
     .kind = ValueKind::String,
     .doc = "Group of graduates and dropouts on leaving school (a group id; empty: they keep the group held in "
            "school, where the groups rules take over).",
     .bind = SKILLSIM_BIND(schools.graduate_group)},
    {.key = "schools.employed_share",
     .kind = ValueKind::Real,
     .unit = "share",
     .doc = "Graduates and dropouts who start employed on leaving school; the rest start unemployed.",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(schools.employed_share)},
    // studios
    {.key = "studios.count",
     .kind = ValueKind::RealVector,
     .unit = "studios",
     .doc = "Master studios (技能大师工作室) open in each region; schedulable, so a plan opens them by date (empty by "
            "default: none in any region).",
     .min = 0,
     .max = 1e7,
     .dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(studios.count),
     .column_default = 0},
    {.key = "studios.places_per_studio",
     .kind = ValueKind::Real,
     .unit = "persons",
     .doc = "Workers a studio mentors at once (带徒传技); a region's places are at most studios x this.",
     .min = 0,
     .max = 1e6,
     .schedulable = true,
     .bind = SKILLSIM_BIND(studios.places_per_studio)},
    {.key = "studios.places_per_master",
     .kind = ValueKind::Real,
     .unit = "persons",
     .doc = "Workers one master mentors at once; a region's places are at most its masters (employed at "
            "master_min_level or above) x this.",
     .min = 0,
     .max = 1e6,
     .schedulable = true,
     .bind = SKILLSIM_BIND(studios.places_per_master)},
    {.key = "studios.master_min_level",
     .kind = ValueKind::Integer,
     .unit = "level",
     .doc = "Lowest level of a master who leads or mentors in a studio (5 = 技师).",
     .min = 2,
     .max = 8,
     .schedulable = true,
     .bind = SKILLSIM_BIND(studios.master_min_level)},
    {.key = "studios.mentee_min_level",
     .kind = ValueKind::Integer,
     .unit = "level",
     .doc = "Lowest level of a mentored worker (1 = 学徒工); mentees are employed and below master_min_level.",
     .min = 0,
     .max = 7,
     .schedulable = true,
     .bind = SKILLSIM_BIND(studios.mentee_min_level)},
    {.key = "studios.pass_factor",
     .kind = ValueKind::Real,
     .unit = "factor",
     .doc = "Factor on the pass probability of a mentored worker's ordinary assessment (capped at 1).",
     .min = 1,
     .max = 100,
     .schedulable = true,
     .bind = SKILLSIM_BIND(studios.pass_factor)},
    {.key = "studios.waiting",
     .kind = ValueKind::String,
     .doc = "The waiting rule of a mentored worker's assessment: \"minimum\" (skills.min_months, as everybody), "
            "\"shortened\" (less shorten_months) or \"none\".",
     .schedulable = true,
     .bind = SKILLSIM_BIND(studios.waiting)},
    {.key = "studios.shorten_months",
     .kind = ValueKind::Integer,
     .unit = "months",
     .doc = "Months taken off the ordinary minimum for a mentored worker when studios.waiting is \"shortened\".",
     .min = 0,
     .max = 600,
     .schedulable = true,
     .bind = SKILLSIM_BIND(studios.shorten_months)},
    // migration
    {.key = "migration.rate",
     .kind = ValueKind::RealMatrix,
     .unit = "probability per month",
     .doc = "Monthly probability that a worker of the row's region moves to the column's region (origin x "
            "destination, in the order of population.regions); the diagonal is 0 and each row sums to at most 1. "
            "Default 0: nobody moves.",
     .min = 0,
     .max = 1,
     .dim = Dim::Region,
     .col_dim = Dim::Region,
     .schedulable = true,
     .bind = SKILLSIM_BIND(migration.rate),
     .column_default = 0},
    {.key = "migration.level_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on migration.rate by the level held (0: nobody at that level moves); the probability of moving "
            "is capped at 1.",
     .min = 0,
     .dim = Dim::Level,
     .schedulable = true,
     .bind = SKILLSIM_BIND(migration.level_factor)},
    {.key = "migration.status_factor",
     .kind = ValueKind::RealVector,
     .unit = "factor",
     .doc = "Factor on migration.rate by the status after the month's other moves (0: nobody of that status moves); "
            "students must have 0 (they stay with their school).",
     .min = 0,
     .dim = Dim::Status,
     .schedulable = true,
     .bind = SKILLSIM_BIND(migration.status_factor)},
    {.key = "migration.employed_on_arrival",
     .kind = ValueKind::String,
     .doc = "What an employed migrant is in the region of arrival: \"employed\" (moves with a job, as most "
            "外出农民工 do) or \"unemployed\" (looks for one there).",
     .schedulable = true,
     .bind = SKILLSIM_BIND(migration.employed_on_arrival)},
    // employers
    {.key = "employers.size_classes",
     .kind = ValueKind::StringList,
     .doc = "Identifiers of the employer size classes, e.g. \"large\" (300+ staff: may self-evaluate, 企业自主评价) "
            "and \"small\"; none by default: no employers, job finding is the hazard of labour.*.",
     .bind = SKILLSIM_BIND(employers.size_classes)},
    {.key = "employers.labels",
     .kind = ValueKind::StringList,
     .doc = "Names of the size classes as users read them, e.g. 大型企业.",
     .dim = Dim::SizeClass,
     .bind = SKILLSIM_BIND(employers.labels)},
    {.key = "employers.size_shares",
     .kind = ValueKind::RealMatrix,
     .unit = "share",
     .doc = "Share of each sector's employment in each size class (each sector's column sums to 1): the employer "
            "cell (region x sector x size class) of the initial employed and of every hire is drawn by it.",
     .min = 0,
     .max = 1,
     .dim = Dim::SizeClass,
     .col_dim = Dim::Sector,
     .bind = SKILLSIM_BIND(employers.size_shares)},
    {.key = "employers.matching",
     .kind = ValueKind::String,
     .doc = "Job finding: \"hazard\" (the hazards of labour.job_find_*, exactly as without employers), "
            "\"cobb_douglas\" (matches M = A U^alpha V^(1-alpha) per region, the finding probability M/U times the "
            "level and group factors) or \"cobb_douglas_by_level\" (one market per region x level: the unemployed of "
            "a level and the vacancies at that level, M/U times the group factor, no level factor; every row of "
            "employers.posts_per_1000 must then sum to 1000).",
     .schedulable = true,
     .bind = SKILLSIM_BIND(employers.matching)},
    {.key = "employers.matching_efficiency",
     .kind = ValueKind::Real,
     .unit = "per month",
     .doc = "A of the matching function (cobb_douglas): matches a month per job seeker when vacancies equal job "
            "seekers.",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(employers.matching_efficiency)},
    {.key = "employers.matching_elasticity",
     .kind = ValueKind::Real,
     .doc = "alpha of the matching function (cobb_douglas): the elasticity of matches with respect to job seekers.",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(employers.matching_elasticity)},
    {.key = "employers.vacancy_rate",
     .kind = ValueKind::Real,
     .unit = "share",
     .doc = "Vacant posts at the start per filled post: each cell starts with its employed x (1 + vacancy_rate) posts.",
     .min = 0,
     .max = 10,
     .bind = SKILLSIM_BIND(employers.vacancy_rate)},
    {.key = "employers.post_growth_per_year",
     .kind = ValueKind::Real,
     .unit = "share per year",
     .doc = "Relative growth of every cell's posts a year, compounded monthly from scenario.start.",
     .min = -0.5,
     .max = 1,
     .bind = SKILLSIM_BIND(employers.post_growth_per_year)},
    {.key = "employers.posts_per_1000",
     .kind = ValueKind::RealMatrix,
     .unit = "posts per 1000 posts",
     .doc = "The target level structure: posts at each level per 1000 posts of a cell, by size class (e.g. posts "
            "for 特级技师/首席技师 opening from 2022 by a schedule); 0 by default (no post reserved at a level). With "
            "employers.matching = \"cobb_douglas_by_level\" every post has a level: each row sums to 1000.",
     .min = 0,
     .max = 1000,
     .dim = Dim::SizeClass,
     .col_dim = Dim::Level,
     .schedulable = true,
     .bind = SKILLSIM_BIND(employers.posts_per_1000),
     .column_default = 0},
    {.key = "employers.appointment_needs_post",
     .kind = ValueKind::FlagVector,
     .doc = "Per level: an appointment to it needs a free post at that level in the worker's employer cell (only "
            "特级技师 and 首席技师, levels 7 and 8, may be true).",
     .dim = Dim::Level,
     .schedulable = true,
     .bind = SKILLSIM_BIND(employers.appointment_needs_post)},
    {.key = "employers.wage_per_month",
     .kind = ValueKind::RealVector,
     .unit = "yuan per month",
     .doc = "Pay by level at scenario.start for sector and region factors 1 (assumption: no wage data by level in "
            "data/; docs/model.md).",
     .min = 0,
     .max = 1e7,
     .dim = Dim::Level,
     .schedulable = true,
     .bind = SKILLSIM_BIND(employers.wage_per_month)},
    {.key = "employers.reference_wage_per_month",
     .kind = ValueKind::RealVector,
     .unit = "yuan per month",
     .doc = "The pay by level at which skills.assessment_rate and programmes.application_rate hold (the choice "
            "model: with an elasticity, a rate moves as the premium of employers.wage_per_month moves away from "
            "this ladder's); by default the default wage_per_month. Read without size classes too.",
     .min = 0,
     .max = 1e7,
     .dim = Dim::Level,
     .bind = SKILLSIM_BIND(employers.reference_wage_per_month)},
    {.key = "employers.wage_sector_factor",
     .kind = ValueKind::RealVector,
     .doc = "Pay factor by sector.",
     .min = 0,
     .max = 100,
     .dim = Dim::Sector,
     .schedulable = true,
     .bind = SKILLSIM_BIND(employers.wage_sector_factor)},
    {.key = "employers.wage_region_factor",
     .kind = ValueKind::RealVector,
     .doc = "Pay factor by region, one per region of population.regions; empty (the default): 1 everywhere.",
     .min = 0,
     .max = 100,
     .schedulable = true,
     .bind = SKILLSIM_BIND(employers.wage_region_factor)},
    {.key = "employers.wage_growth_per_year",
     .kind = ValueKind::Real,
     .unit = "share per year",
     .doc = "Relative growth of every wage a year, compounded monthly from scenario.start.",
     .min = -0.5,
     .max = 1,
     .bind = SKILLSIM_BIND(employers.wage_growth_per_year)},
    {.key = "employers.self_evaluation_per_1000",
     .kind = ValueKind::RealVector,
     .unit = "assessments per 1000 employees per month",
     .doc = "Self-evaluation capacity (企业自主评价) held by the employer cells of each size class for their own "
            "employees: floor(this x the cell's employed / 1000) assessments a month, in addition to "
            "evaluation.capacity_per_month; 0 (the default): none, e.g. for the classes below the size threshold.",
     .min = 0,
     .max = 1000,
     .dim = Dim::SizeClass,
     .schedulable = true,
     .bind = SKILLSIM_BIND(employers.self_evaluation_per_1000),
     .column_default = 0},
    {.key = "employers.self_evaluator",
     .kind = ValueKind::String,
     .doc = "The evaluator type (one of evaluation.evaluators, e.g. \"enterprise\") whose assessments the employers' "
            "self-evaluation capacity holds: its max_level applies and they count in its evaluations.",
     .bind = SKILLSIM_BIND(employers.self_evaluator)},
    {.key = "employers.apprentice_places_per_1000",
     .kind = ValueKind::RealVector,
     .unit = "places per 1000 employees",
     .doc = "Apprenticeship places (企业新型学徒制) the employer cells of each size class offer: a cell admits an "
            "apprentice of its own (programmes.apprenticeship) while its apprentices in training are fewer than "
            "floor(this x its employed / 1000); -1 (the default): places not limited by employers.",
     .min = -1,
     .max = 1000,
     .dim = Dim::SizeClass,
     .schedulable = true,
     .bind = SKILLSIM_BIND(employers.apprentice_places_per_1000),
     .column_default = -1},
    // work_based_training (以工代训 paid to employers)
    {.key = "work_based_training.fund",
     .kind = ValueKind::String,
     .doc = "The fund (one of funds.names) that pays 以工代训 to employers; empty (the default): no subsidy, nothing "
            "declared or paid. Needs employers.size_classes.",
     .bind = SKILLSIM_BIND(work_based_training.fund)},
    {.key = "work_based_training.retention_subsidy_per_month",
     .kind = ValueKind::Real,
     .unit = "yuan per worker per month",
     .doc = "Paid to an eligible employer cell for each worker it keeps through the month (以工代训 援企稳岗: 500 "
            "yuan a month was the common local rule in 2020). The subsidy is in force in the months this or "
            "hire_subsidy is above 0: schedule them to open and close it.",
     .min = 0,
     .max = 1e7,
     .schedulable = true,
     .bind = SKILLSIM_BIND(work_based_training.retention_subsidy_per_month)},
    {.key = "work_based_training.hire_subsidy",
     .kind = ValueKind::Real,
     .unit = "yuan per worker",
     .doc = "Paid once to an eligible employer cell for each worker it hires in a month the subsidy is in force.",
     .min = 0,
     .max = 1e7,
     .schedulable = true,
     .bind = SKILLSIM_BIND(work_based_training.hire_subsidy)},
    {.key = "work_based_training.eligible",
     .kind = ValueKind::FlagMatrix,
     .doc = "Size class x sector: employer cells that may claim (e.g. small and medium enterprises, 中小微企业, "
            "and the sectors hit by the epidemic); all by default.",
     .dim = Dim::SizeClass,
     .col_dim = Dim::Sector,
     .schedulable = true,
     .bind = SKILLSIM_BIND(work_based_training.eligible),
     .column_default = 1},
    {.key = "work_based_training.job_loss_factor",
     .kind = ValueKind::Real,
     .unit = "factor",
     .doc = "The retention effect: factor on the job-loss hazard of workers in eligible cells in the months the "
            "subsidy is paid (assumption: 1, none, unless a scenario states one; the texts report workers "
            "supported, not jobs kept).",
     .min = 0,
     .max = 1,
     .schedulable = true,
     .bind = SKILLSIM_BIND(work_based_training.job_loss_factor)},
    {.key = "work_based_training.max_months_per_worker",
     .kind = ValueKind::Integer,
     .unit = "months",
     .doc = "A cap of months per worker (the common rule: 6 months a person): a worker is claimed for (kept "
            "through a month, or hired, each claim one month) in at most this many months of the run, across "
            "employers; at the cap its cell claims nothing for it and it has no retention effect. 0 (the default): "
            "no cap. Each agent then carries a one-byte counter of the months claimed for. Fixed for the run.",
     .min = 0,
     .max = 255,
     .bind = SKILLSIM_BIND(work_based_training.max_months_per_worker)},
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
  case ValueKind::IntegerVector:
    return "array of integers";
  case ValueKind::FlagVector:
    return "array of booleans";
  case ValueKind::FlagMatrix:
    return "array of arrays of booleans";
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
  case Dim::Tier:
    return "competition tier (as listed in competitions.tiers)";
  case Dim::SchoolRoute:
    return "school route (as listed in schools.routes)";
  case Dim::SizeClass:
    return "employer size class (as listed in employers.size_classes)";
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
  case Dim::Tier:
    return p.competitions.tiers.size();
  case Dim::SchoolRoute:
    return p.schools.routes.size();
  case Dim::SizeClass:
    return p.employers.size_classes.size();
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

// A flag set through the C++ API may hold any byte; readers store only 0 and 1.
void check_flag(const std::string& key, std::uint8_t v, std::vector<Issue>& issues) {
  if (v > 1) issues.push_back({key, "must be true or false (1 or 0), got " + std::to_string(v)});
}

void check_element(const ParameterSpec& spec, const std::string& key, double v, std::vector<Issue>& issues) {
  check_number(spec, key, v, issues);
}
void check_element(const ParameterSpec& spec, const std::string& key, std::int64_t v, std::vector<Issue>& issues) {
  check_number(spec, key, static_cast<double>(v), issues);
}
void check_element(const ParameterSpec&, const std::string& key, std::uint8_t v, std::vector<Issue>& issues) {
  check_flag(key, v, issues);
}

template <class T>
void check_vector(const ParameterSpec& spec, const std::vector<T>& values, const Parameters& p,
                  std::vector<Issue>& issues) {
  const std::string key(spec.key);
  const std::size_t expected = dim_length(spec.dim, p);
  // A column by region with a default (the regional factors) may be empty: the default for every
  // region (fill_column_defaults), as in data/defaults.toml, which cannot know the regions.
  if (values.empty() && spec.dim == Dim::Region && !std::isnan(spec.column_default)) return;
  // A vector without a dimension (employers.wage_region_factor: empty or one per region) has its
  // length checked by its own cross-field rule.
  if (spec.dim != Dim::None && values.size() != expected) {
    issues.push_back({key, "expected " + std::to_string(expected) + " values, one per " + dim_description(spec.dim) +
                               ", got " + std::to_string(values.size())});
    return;
  }
  for (std::size_t i = 0; i < values.size(); ++i)
    check_element(spec, key + "[" + std::to_string(i) + "]", values[i], issues);
  if constexpr (std::is_same_v<T, double>) {
    if (spec.sums_to_one && !values.empty()) {
      const double sum = std::accumulate(values.begin(), values.end(), 0.0);
      if (std::abs(sum - 1.0) > 1e-6)
        issues.push_back({key, "shares must sum to 1, they sum to " + format_number(sum)});
    }
  }
}

template <class M>
void check_matrix(const ParameterSpec& spec, const M& m, const Parameters& p, std::vector<Issue>& issues) {
  const std::string key(spec.key);
  const std::size_t rows = dim_length(spec.dim, p), cols = dim_length(spec.col_dim, p);
  if (m.values.empty() && spec.dim == Dim::Region && !std::isnan(spec.column_default)) return; // as check_vector
  const bool no_rows = rows == 0 && m.values.empty(); // with no rows the column count is moot
  if (!no_rows &&
      (m.rows != static_cast<int>(rows) || m.cols != static_cast<int>(cols) || m.values.size() != rows * cols)) {
    issues.push_back({key, "expected " + std::to_string(rows) + " rows (one per " + dim_description(spec.dim) +
                               ") of " + std::to_string(cols) + " values (one per " + dim_description(spec.col_dim) +
                               ")"});
    return;
  }
  for (int r = 0; r < m.rows; ++r)
    for (int c = 0; c < m.cols; ++c)
      check_element(spec, key + "[" + std::to_string(r) + "][" + std::to_string(c) + "]",
                    m.values[static_cast<std::size_t>(r * m.cols + c)], issues);
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

// Entry i of a route's `waiting` and `shorten_months` columns (SECTION.waiting, SECTION.shorten_months)
// for `what` (e.g. "tier 'city'"): a known rule, and months off when it shortens (and, if
// `strict`, none when it does not: where the column has no default, a value there is a mistake).
// Returns whether the rule is known (false also when a column has the wrong length, reported
// elsewhere).
bool check_waiting_rule(const std::string& section, const std::vector<std::string>& waiting,
                        const std::vector<std::int64_t>& shorten_months, std::size_t i, const std::string& what,
                        bool strict, std::vector<Issue>& issues) {
  const std::string at = "[" + std::to_string(i) + "]";
  if (i >= waiting.size()) return false;
  const bool known = std::find(kWaitingRuleIds.begin(), kWaitingRuleIds.end(), waiting[i]) != kWaitingRuleIds.end();
  if (!known) {
    issues.push_back({section + ".waiting" + at,
                      "unknown waiting rule '" + waiting[i] + "'; expected \"none\", \"shortened\" or \"minimum\""});
    return false;
  }
  if (i >= shorten_months.size()) return true;
  if (waiting[i] == "shortened" && shorten_months[i] == 0)
    issues.push_back(
        {section + ".shorten_months" + at, "must be above 0 for " + what + ", whose waiting rule is \"shortened\""});
  if (strict && waiting[i] != "shortened" && shorten_months[i] != 0)
    issues.push_back({section + ".shorten_months" + at,
                      what + " has waiting rule \"" + waiting[i] + "\", which takes no months off; must be 0"});
  return true;
}

// An apprenticeship (企业新型学徒制, programmes.apprenticeship[i]): employees only, at work, ending in
// an assessment for a level above 学徒工.
void check_apprenticeship(const Parameters& p, std::size_t i, std::vector<Issue>& issues) {
  const auto& pr = p.programmes;
  const std::size_t n = pr.names.size();
  const std::string at = "[" + std::to_string(i) + "]";
  const std::string what = "apprenticeship '" + pr.names[i] + "' (programmes.apprenticeship" + at + ")";
  const auto& statuses = pr.eligible_statuses;
  if (statuses.rows == static_cast<int>(n) && statuses.cols == kStatusCount) {
    for (int s = 0; s < kStatusCount; ++s)
      if (s != static_cast<int>(Status::Employed) && statuses(static_cast<int>(i), s))
        issues.push_back({"programmes.eligible_statuses" + at + "[" + std::to_string(s) + "]",
                          what +
                              " admits employed workers only (企业新型学徒制 trains a firm's own employees); "
                              "status '" +
                              std::string(kStatusIds[static_cast<std::size_t>(s)]) + "' must be 0"});
    if (!statuses(static_cast<int>(i), static_cast<int>(Status::Employed)))
      issues.push_back({"programmes.eligible_statuses" + at + "[" + std::to_string(int(Status::Employed)) + "]",
                        what + " admits employed workers: status 'employed' must be 1"});
  }
  if (pr.target_level.size() == n && pr.target_level[i] <= static_cast<std::int64_t>(Level::Apprentice))
    issues.push_back({"programmes.target_level" + at,
                      what + " ends in the assessment for its target level, which must be above 学徒工 (1), got " +
                          std::to_string(pr.target_level[i])});
  if (pr.full_time.size() == n && pr.full_time[i])
    issues.push_back({"programmes.full_time" + at, what + " trains apprentices at work, who keep their job: must be "
                                                          "false"});
}

// Rules between the programme columns (each column's length and range is checked on its own).
void check_programmes(const Parameters& p, std::vector<Issue>& issues) {
  const auto& pr = p.programmes;
  const std::size_t n = pr.names.size();
  const auto sized = [n](const auto& v) { return v.size() == n; };
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    if (sized(pr.min_level) && sized(pr.max_level) && pr.min_level[i] > pr.max_level[i])
      issues.push_back({"programmes.max_level" + at,
                        "is below programmes.min_level" + at + " (" + std::to_string(pr.min_level[i]) + ")"});
    if (sized(pr.min_age) && sized(pr.max_age) && pr.min_age[i] >= pr.max_age[i])
      issues.push_back({"programmes.max_age" + at,
                        "must be greater than programmes.min_age" + at + " (" + format_number(pr.min_age[i]) + ")"});
    check_waiting_rule("programmes", pr.waiting, pr.shorten_months, i, "programme '" + pr.names[i] + "'", false,
                       issues);
    if (pr.payment.size() == n && std::find(kPaymentIds.begin(), kPaymentIds.end(), pr.payment[i]) == kPaymentIds.end())
      issues.push_back({"programmes.payment" + at, "unknown payment '" + pr.payment[i] +
                                                       "'; expected \"enrolment\", \"monthly\" or \"certification\""});
    // Eligibility nobody can meet: a programme that could never admit anybody is a mistake.
    const auto none_of_row = [&](const FlagMatrix& m, int columns, int skip) {
      if (m.rows != static_cast<int>(n) || m.cols != columns) return false;
      for (int c = 0; c < columns; ++c)
        if (c != skip && m(static_cast<int>(i), c)) return false;
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
      for (std::size_t q = 0; q < n; ++q) count += q != i && pr.substitutes(static_cast<int>(i), static_cast<int>(q));
      if (count > 16)
        issues.push_back({"programmes.substitutes" + at,
                          "programme '" + pr.names[i] + "' has " + std::to_string(count) + " substitutes; at most 16"});
    }
    if (sized(pr.apprenticeship) && pr.apprenticeship[i]) check_apprenticeship(p, i, issues);
    // Co-funding by the trainee's employer (职工教育经费): every trainee must have been employed at
    // admission and stay at work while trained, so that the employer is known without a column.
    if (sized(pr.employer_share) && pr.employer_share[i] > 0) {
      const std::string what = "programme '" + pr.names[i] + "' is co-funded by employers (programmes.employer_share" +
                               at + " = " + format_number(pr.employer_share[i]) + ")";
      const auto& statuses = pr.eligible_statuses;
      if (statuses.rows == static_cast<int>(n) && statuses.cols == kStatusCount)
        for (int st = 0; st < kStatusCount; ++st)
          if (st != static_cast<int>(Status::Employed) && statuses(static_cast<int>(i), st))
            issues.push_back(
                {"programmes.employer_share" + at, what + ", so it must admit employed workers only; status '" +
                                                       std::string(kStatusIds[static_cast<std::size_t>(st)]) +
                                                       "' is eligible (programmes.eligible_statuses" + at + ")"});
      if (sized(pr.full_time) && pr.full_time[i])
        issues.push_back({"programmes.employer_share" + at,
                          what + ", so its trainees stay at work: programmes.full_time" + at + " must be false"});
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

// The group rules name groups by id; a group that loses members must send them elsewhere.
void check_groups(const Parameters& p, std::vector<Issue>& issues) {
  const auto& gr = p.groups;
  const auto index_of = [](const std::string& id) {
    const auto found = std::find(kGroupIds.begin(), kGroupIds.end(), id);
    return found == kGroupIds.end() ? -1 : static_cast<int>(found - kGroupIds.begin());
  };
  const auto known = [&](const std::vector<std::string>& column, std::string_view name) {
    if (column.size() != kGroupCount) return false;
    bool all = true;
    for (std::size_t g = 0; g < column.size(); ++g) {
      if (index_of(column[g]) >= 0) continue;
      all = false;
      std::string best;
      for (const auto id : kGroupIds)
        if (edit_distance(column[g], id) <= std::max<std::size_t>(2, id.size() / 3)) best = id;
      issues.push_back({std::string(name) + "[" + std::to_string(g) + "]",
                        "unknown group '" + column[g] + "'" + (best.empty() ? "" : "; did you mean '" + best + "'?") +
                            " (groups: " + list_names(kGroupIds) + ")"});
    }
    return all;
  };
  known(gr.after_job_found, "groups.after_job_found");
  if (!known(gr.after_leaving, "groups.after_leaving") || gr.leave_after_months.size() != kGroupCount ||
      gr.closed.size() != kGroupCount)
    return;
  // Reported at the rule that makes members leave, so that a schedule setting it is told.
  for (std::size_t g = 0; g < kGroupCount; ++g) {
    const auto to = static_cast<std::size_t>(index_of(gr.after_leaving[g]));
    const std::string group = "group '" + std::string(kGroupIds[g]) + "'";
    const std::string at = "[" + std::to_string(g) + "]";
    if (gr.closed[g] && to == g)
      issues.push_back({"groups.closed" + at, group + " is closed, so groups.after_leaving" + at +
                                                  " must name another group for its members"});
    else if (gr.closed[g] && gr.closed[to])
      issues.push_back({"groups.closed" + at, group + " is closed and sends its members to '" + gr.after_leaving[g] +
                                                  "' (groups.after_leaving" + at + "), which is closed too"});
    if (gr.leave_after_months[g] > 0 && to == g)
      issues.push_back({"groups.leave_after_months" + at, group + " has a time limit, so groups.after_leaving" + at +
                                                              " must name another group for its members"});
  }
}

// Rules between the competition columns (each column's length and range is checked on its own).
void check_competitions(const Parameters& p, std::vector<Issue>& issues) {
  const auto& c = p.competitions;
  const std::size_t n = c.tiers.size();
  const auto sized = [n](const auto& v) { return v.size() == n; };
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    const std::string tier = "tier '" + c.tiers[i] + "'";
    if (sized(c.min_level) && sized(c.max_level) && c.min_level[i] > c.max_level[i])
      issues.push_back({"competitions.max_level" + at,
                        "is below competitions.min_level" + at + " (" + std::to_string(c.min_level[i]) + ")"});
    if (sized(c.entrants_per_year) && sized(c.winners_per_year) && c.winners_per_year[i] > c.entrants_per_year[i])
      issues.push_back({"competitions.winners_per_year" + at,
                        tier + " has more winners (" + format_number(c.winners_per_year[i]) + ") than entrants (" +
                            format_number(c.entrants_per_year[i]) + ")"});
    const bool known_award = sized(c.award) && std::find(kCompetitionAwardIds.begin(), kCompetitionAwardIds.end(),
                                                         c.award[i]) != kCompetitionAwardIds.end();
    if (sized(c.award) && !known_award)
      issues.push_back(
          {"competitions.award" + at, "unknown award '" + c.award[i] + "'; expected \"promote\" or \"shorten\""});
    const bool known_waiting = check_waiting_rule("competitions", c.waiting, c.shorten_months, i, tier, true, issues);
    if (known_award && known_waiting && c.award[i] == "shorten" && c.waiting[i] != "shortened")
      issues.push_back({"competitions.waiting" + at,
                        tier + " shortens the wait (award \"shorten\"), so its waiting rule is \"shortened\", not \"" +
                            c.waiting[i] + "\""});
    const auto& statuses = c.eligible_statuses;
    if (statuses.rows == static_cast<int>(n) && statuses.cols == kStatusCount) {
      bool anybody = false;
      for (int s = 0; s < kStatusCount; ++s)
        anybody = anybody || (s != static_cast<int>(Status::Retired) && statuses(static_cast<int>(i), s));
      if (!anybody)
        issues.push_back(
            {"competitions.eligible_statuses" + at, tier + " admits nobody: no status other than retired is eligible"});
    }
  }
}

// Rules between the school columns (each column's length and range is checked on its own).
void check_schools(const Parameters& p, std::vector<Issue>& issues) {
  const auto& sc = p.schools;
  const std::size_t n = sc.routes.size();
  if (n > kMaxSchoolRoutes)
    issues.push_back({"schools.routes", "at most " + std::to_string(kMaxSchoolRoutes) +
                                            " school routes are supported, got " + std::to_string(n)});
  if (!sc.graduate_group.empty() &&
      std::find(kGroupIds.begin(), kGroupIds.end(), sc.graduate_group) == kGroupIds.end()) {
    std::string best;
    for (const auto id : kGroupIds)
      if (edit_distance(sc.graduate_group, id) <= std::max<std::size_t>(2, id.size() / 3)) best = id;
    issues.push_back({"schools.graduate_group", "unknown group '" + sc.graduate_group + "'" +
                                                    (best.empty() ? "" : "; did you mean '" + best + "'?") +
                                                    " (groups: " + list_names(kGroupIds) +
                                                    ", or empty to keep the "
                                                    "group held in school)"});
  }
  if (n > 0 && p.population.status_shares.size() == kStatusCount &&
      p.population.status_shares[static_cast<int>(Status::Student)] > 0)
    issues.push_back({"population.status_shares[0]",
                      "with school routes declared, students come from schools.initial_students and the "
                      "enrolment plan; the initial pool's student share must be 0"});
  if (n > 0 && p.entry.technical_school_graduates_per_year > 0)
    issues.push_back({"entry.technical_school_graduates_per_year",
                      "school routes are declared, so graduates come out of the schools; the direct graduate flow "
                      "would count them twice: set it to 0"});
  if (sc.entry_age_min.size() != n || sc.entry_age_max.size() != n) return;
  const double retirement = std::min(p.demography.retirement_age_male, p.demography.retirement_age_female);
  for (std::size_t k = 0; k < n; ++k) {
    const std::string at = "[" + std::to_string(k) + "]";
    const std::string route = "route '" + sc.routes[k] + "'";
    if (sc.entry_age_max[k] <= sc.entry_age_min[k])
      issues.push_back({"schools.entry_age_max" + at, "must be greater than schools.entry_age_min" + at + " (" +
                                                          format_number(sc.entry_age_min[k]) + ") for " + route});
    else if (sc.length_months.size() == n &&
             sc.entry_age_max[k] + static_cast<double>(sc.length_months[k]) / 12.0 >= retirement)
      issues.push_back(
          {"schools.entry_age_max" + at,
           route + " would graduate students at or past the retirement age (" + format_number(retirement) + ")"});
  }
  const auto& initial = sc.initial_students;
  const auto& capacity = sc.capacity;
  const std::size_t regions = p.population.regions.size();
  if (initial.rows == static_cast<int>(n) && capacity.rows == static_cast<int>(n) &&
      initial.cols == static_cast<int>(regions) && capacity.cols == static_cast<int>(regions) &&
      initial.values.size() == n * regions && capacity.values.size() == n * regions)
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t r = 0; r < regions; ++r)
        if (initial(static_cast<int>(k), static_cast<int>(r)) > capacity(static_cast<int>(k), static_cast<int>(r)))
          issues.push_back({"schools.initial_students[" + std::to_string(k) + "][" + std::to_string(r) + "]",
                            "route '" + sc.routes[k] + "' starts with more students (" +
                                format_number(initial(static_cast<int>(k), static_cast<int>(r))) +
                                ") than its capacity in region '" + p.population.regions[r] + "' (" +
                                format_number(capacity(static_cast<int>(k), static_cast<int>(r))) + ")"});
}

// Rules between the studio keys (each key's range is checked on its own).
void check_studios(const Parameters& p, std::vector<Issue>& issues) {
  const auto& st = p.studios;
  for (std::size_t r = 0; r < st.count.size(); ++r)
    if (std::isfinite(st.count[r]) && st.count[r] != std::floor(st.count[r]))
      issues.push_back(
          {"studios.count[" + std::to_string(r) + "]", "studios are counted whole, got " + format_number(st.count[r])});
  if (st.mentee_min_level >= st.master_min_level)
    issues.push_back({"studios.mentee_min_level",
                      "must be below studios.master_min_level (" + std::to_string(st.master_min_level) +
                          "): mentees are below the masters, got " + std::to_string(st.mentee_min_level)});
  if (std::find(kWaitingRuleIds.begin(), kWaitingRuleIds.end(), st.waiting) == kWaitingRuleIds.end()) {
    std::string best;
    for (const auto id : kWaitingRuleIds)
      if (edit_distance(st.waiting, id) <= 2) best = id;
    issues.push_back({"studios.waiting", "unknown waiting rule '" + st.waiting + "'" +
                                             (best.empty() ? "" : "; did you mean '" + best + "'?") +
                                             " (expected \"none\", \"shortened\" or \"minimum\")"});
  } else if (st.waiting == "shortened" && st.shorten_months == 0)
    issues.push_back({"studios.shorten_months", "must be above 0 when studios.waiting is \"shortened\""});
  else if (st.waiting != "shortened" && st.shorten_months != 0)
    issues.push_back(
        {"studios.shorten_months", "studios.waiting is \"" + st.waiting + "\", which takes no months off; must be 0"});
}

// Rules of the migration matrix (each cell's range is checked on its own): nobody moves to the
// region it is in, no row sends more than everybody, students stay with their school, and an
// employed migrant arrives employed or unemployed.
void check_migration(const Parameters& p, std::vector<Issue>& issues) {
  const auto& mg = p.migration;
  const auto& regions = p.population.regions;
  const std::size_t n = regions.size();
  if (mg.rate.rows == static_cast<int>(n) && mg.rate.cols == static_cast<int>(n) && mg.rate.values.size() == n * n)
    for (std::size_t o = 0; o < n; ++o) {
      const std::string row = "migration.rate[" + std::to_string(o) + "]";
      if (mg.rate(static_cast<int>(o), static_cast<int>(o)) != 0)
        issues.push_back({row + "[" + std::to_string(o) + "]",
                          "the diagonal must be 0 (a move from region '" + regions[o] + "' to itself), got " +
                              format_number(mg.rate(static_cast<int>(o), static_cast<int>(o)))});
      double sum = 0;
      for (std::size_t d = 0; d < n; ++d) sum += mg.rate(static_cast<int>(o), static_cast<int>(d));
      if (sum > 1)
        issues.push_back({row, "the probabilities of leaving region '" + regions[o] +
                                   "' sum to more than 1 in a month: " + format_number(sum)});
    }
  if (mg.status_factor.size() == kStatusCount && mg.status_factor[static_cast<int>(Status::Student)] != 0)
    issues.push_back({"migration.status_factor[0]",
                      "students stay with their school (its places and stock are by region); must be 0, got " +
                          format_number(mg.status_factor[static_cast<int>(Status::Student)])});
  if (std::find(kArrivalStatusIds.begin(), kArrivalStatusIds.end(), mg.employed_on_arrival) == kArrivalStatusIds.end())
    issues.push_back({"migration.employed_on_arrival", "unknown status on arrival '" + mg.employed_on_arrival +
                                                           "'; expected \"employed\" or \"unemployed\""});
}

} // namespace

// Rules between the employer columns (each column's length and range is checked on its own).
void check_employers(const Parameters& p, std::vector<Issue>& issues) {
  const auto& e = p.employers;
  const std::size_t n = e.size_classes.size();
  if (n > kMaxSizeClasses)
    issues.push_back({"employers.size_classes", "at most " + std::to_string(kMaxSizeClasses) +
                                                    " size classes are supported (an employer cell, sector x size "
                                                    "class, is stored in one byte), got " +
                                                    std::to_string(n)});
  if (std::find(kMatchingIds.begin(), kMatchingIds.end(), e.matching) == kMatchingIds.end()) {
    std::string best, expected;
    std::size_t best_distance = 0;
    for (std::size_t k = 0; k < kMatchingIds.size(); ++k) {
      const auto id = kMatchingIds[k];
      const std::size_t d = edit_distance(e.matching, id);
      if (d <= std::max<std::size_t>(2, id.size() / 3) && (best.empty() || d < best_distance)) {
        best = id;
        best_distance = d;
      }
      expected += (k == 0 ? "" : k + 1 == kMatchingIds.size() ? " or " : ", ") + ("\"" + std::string(id) + "\"");
    }
    issues.push_back({"employers.matching", "unknown matching '" + e.matching + "'" +
                                                (best.empty() ? "" : "; did you mean '" + best + "'?") + " (expected " +
                                                expected + ")"});
  }
  // Matching by level counts the vacancies at each level, so every post must have one. Reported
  // under the posts (a schedule changing them is told) and under the matching (a schedule that
  // switches to it is told).
  const auto& posts = e.posts_per_1000;
  if (matching_by_level(e) && n > 0 && posts.rows == static_cast<int>(n) && posts.cols == kLevelCount &&
      posts.values.size() == n * kLevelCount) {
    std::string first;
    for (int k = 0; k < posts.rows; ++k) {
      double sum = 0;
      for (int l = 0; l < kLevelCount; ++l) sum += posts(k, l);
      if (std::abs(sum - 1000) <= kLevelledPostsTolerance) continue;
      const std::string which = "size class '" + e.size_classes[static_cast<std::size_t>(k)] + "'";
      issues.push_back({"employers.posts_per_1000[" + std::to_string(k) + "]",
                        "the posts of " + which + " sum to " + format_number(sum) +
                            " per 1000, not 1000: with employers.matching = \"cobb_douglas_by_level\" every post "
                            "has a level"});
      if (first.empty()) first = which + " sums to " + format_number(sum);
    }
    if (!first.empty())
      issues.push_back({"employers.matching", "\"cobb_douglas_by_level\" needs every row of employers.posts_per_1000 "
                                              "to sum to 1000 (every post has a level); " +
                                                  first});
  }
  if (e.appointment_needs_post.size() == kLevelCount)
    for (int l = 0; l < int(Level::PrincipalTechnician); ++l)
      if (e.appointment_needs_post[static_cast<std::size_t>(l)] != 0)
        issues.push_back({"employers.appointment_needs_post[" + std::to_string(l) + "]",
                          std::string(kLevelLabelsZh[static_cast<std::size_t>(l)]) +
                              " is not appointed (only 特级技师 and 首席技师 are); must be false"});
  const std::size_t regions = p.population.regions.size();
  if (!e.wage_region_factor.empty() && e.wage_region_factor.size() != regions)
    issues.push_back({"employers.wage_region_factor",
                      "expected " + std::to_string(regions) + " values, one per " + dim_description(Dim::Region) +
                          ", or none (1 everywhere), got " + std::to_string(e.wage_region_factor.size())});
  const auto& evaluators = p.evaluation.evaluators;
  if (!e.self_evaluator.empty() &&
      std::find(evaluators.begin(), evaluators.end(), e.self_evaluator) == evaluators.end())
    issues.push_back(
        {"employers.self_evaluator",
         "no evaluator type named '" + e.self_evaluator + "' in evaluation.evaluators" +
             (evaluators.empty() ? std::string(" (none declared)") : " (" + list_names(evaluators) + ")")});
  if (std::any_of(e.self_evaluation_per_1000.begin(), e.self_evaluation_per_1000.end(),
                  [](double v) { return v > 0; }) &&
      e.self_evaluator.empty())
    issues.push_back({"employers.self_evaluation_per_1000",
                      "self-evaluation capacity needs employers.self_evaluator, the evaluator type it counts under"});
  // Apprenticeship places: -1 (not limited) or a rate; only with employer cells to offer them.
  const auto& places = e.apprentice_places_per_1000;
  if (n == 0 && !places.empty())
    issues.push_back({"employers.apprentice_places_per_1000",
                      "apprenticeship places are offered by employer cells: needs employers.size_classes"});
  for (std::size_t k = 0; k < places.size(); ++k)
    if (places[k] < 0 && places[k] != -1)
      issues.push_back({"employers.apprentice_places_per_1000[" + std::to_string(k) + "]",
                        "must be -1 (places not limited by employers) or at least 0, got " + format_number(places[k])});
  if (e.limits_apprentice_places()) {
    // A place is needed by the applicants of an apprenticeship, whichever apprenticeship admits
    // them (allocation.hpp): a substitute must need a place exactly when the programme applied to does.
    const auto& pr = p.programmes;
    const std::size_t k = pr.names.size();
    if (pr.substitutes.rows == static_cast<int>(k) && pr.substitutes.cols == static_cast<int>(k) &&
        pr.apprenticeship.size() == k)
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = 0; b < k; ++b)
          if (a != b && pr.substitutes(static_cast<int>(a), static_cast<int>(b)) &&
              pr.apprenticeship[a] != pr.apprenticeship[b])
            issues.push_back({"programmes.substitutes[" + std::to_string(a) + "][" + std::to_string(b) + "]",
                              "with apprenticeship places limited (employers.apprentice_places_per_1000), an "
                              "apprenticeship and a programme that is not one cannot substitute for each other ('" +
                                  pr.names[a] + "' and '" + pr.names[b] + "')"});
  }
  const auto& s = e.size_shares;
  if (n > 0 && s.rows == static_cast<int>(n) && s.cols == kSectorCount && s.values.size() == n * kSectorCount)
    for (int sector = 0; sector < kSectorCount; ++sector) {
      double sum = 0;
      for (int k = 0; k < s.rows; ++k) sum += s(k, sector);
      if (std::abs(sum - 1) > 1e-9)
        issues.push_back({"employers.size_shares",
                          "the shares of sector '" + std::string(kSectorIds[static_cast<std::size_t>(sector)]) +
                              "' (column " + std::to_string(sector) + ") sum to " + format_number(sum) + ", not 1"});
    }
}

namespace {

// The choice model reads the pay ladders (rates.hpp, premium_factor): with a premium elasticity,
// every wage must be positive (the premium is relative to the pay held), and the reference ladder
// must give every certificate from 初级工 up a positive premium over every level below it (the
// premium it is compared with).
void check_choice(const Parameters& p, std::vector<Issue>& issues) {
  const auto& e = p.employers;
  std::string by = p.skills.premium_elasticity != 0 ? "skills.premium_elasticity" : "";
  for (std::size_t k = 0; k < p.programmes.premium_elasticity.size() && by.empty(); ++k)
    if (p.programmes.premium_elasticity[k] != 0) by = "programmes.premium_elasticity[" + std::to_string(k) + "]";
  if (by.empty() || e.wage_per_month.size() != kLevelCount || e.reference_wage_per_month.size() != kLevelCount) return;
  const auto label = [](std::size_t l) { return std::string(kLevelLabelsZh[l]); };
  for (const auto& [key, wages] : {std::pair{"employers.wage_per_month", &e.wage_per_month},
                                   std::pair{"employers.reference_wage_per_month", &e.reference_wage_per_month}})
    for (std::size_t l = 0; l < kLevelCount; ++l)
      if (!((*wages)[l] > 0))
        issues.push_back({std::string(key) + "[" + std::to_string(l) + "]",
                          "pay at " + label(l) + " must be positive while " + by +
                              " is not 0 (the choice model's premium is relative to the pay held), got " +
                              format_number((*wages)[l])});
  const auto& ref = e.reference_wage_per_month;
  for (std::size_t l = static_cast<std::size_t>(Level::Junior); l < kLevelCount; ++l) {
    const auto below = static_cast<std::size_t>(
        std::max_element(ref.begin(), ref.begin() + static_cast<std::ptrdiff_t>(l)) - ref.begin());
    if (!(ref[l] > ref[below]))
      issues.push_back({"employers.reference_wage_per_month[" + std::to_string(l) + "]",
                        "pay at " + label(l) + " (" + format_number(ref[l]) +
                            ") must exceed the pay at every level "
                            "below it (" +
                            format_number(ref[below]) + " at " + label(below) + ") while " + by +
                            " is not 0: the choice model compares each certificate's premium with this ladder's"});
  }
}

} // namespace

// 以工代训 paid to employers: a named fund, and employers to pay. The rules on the subsidies are
// reported under the subsidy keys, so that a schedule that opens the subsidy is checked too.
void check_work_based_training(const Parameters& p, std::vector<Issue>& issues) {
  const auto& w = p.work_based_training;
  const auto& funds = p.funds.names;
  if (!w.fund.empty() && std::find(funds.begin(), funds.end(), w.fund) == funds.end())
    issues.push_back({"work_based_training.fund",
                      "no fund named '" + w.fund + "' in funds.names" +
                          (funds.empty() ? std::string(" (none declared)") : " (" + list_names(funds) + ")")});
  for (const auto& [key, amount] : {std::pair<const char*, double>{"work_based_training.retention_subsidy_per_month",
                                                                   w.retention_subsidy_per_month},
                                    {"work_based_training.hire_subsidy", w.hire_subsidy}}) {
    if (!(amount > 0)) continue;
    if (w.fund.empty()) issues.push_back({key, "a subsidy needs work_based_training.fund, the fund that pays it"});
    if (p.employers.size_classes.empty())
      issues.push_back({key, "a subsidy is paid to employer cells: needs employers.size_classes"});
  }
  if (w.job_loss_factor < 1 && p.employers.size_classes.empty())
    issues.push_back({"work_based_training.job_loss_factor",
                      "acts on workers in eligible employer cells: needs employers.size_classes"});
  if (w.max_months_per_worker > 0) {
    if (w.fund.empty())
      issues.push_back({"work_based_training.max_months_per_worker",
                        "caps the months 以工代训 is claimed for a worker: needs work_based_training.fund"});
    if (p.employers.size_classes.empty())
      issues.push_back({"work_based_training.max_months_per_worker",
                        "counts the months employer cells claim for a worker: needs employers.size_classes"});
  }
}

CompetitionAward award_of(const CompetitionsSection& competitions, std::size_t tier) {
  return competitions.award[tier] == kCompetitionAwardIds[1] ? CompetitionAward::Shorten : CompetitionAward::Promote;
}

namespace {
WaitingRule waiting_rule_of(const std::string& id) {
  for (std::size_t k = 0; k < kWaitingRuleIds.size(); ++k)
    if (id == kWaitingRuleIds[k]) return static_cast<WaitingRule>(k);
  return WaitingRule::Minimum; // unreachable for checked parameters
}
} // namespace

WaitingRule waiting_of(const CompetitionsSection& competitions, std::size_t tier) {
  return waiting_rule_of(competitions.waiting[tier]);
}

WaitingRule waiting_of(const ProgrammesSection& programmes, std::size_t programme) {
  return waiting_rule_of(programmes.waiting[programme]);
}

WaitingRule waiting_of(const StudiosSection& studios) { return waiting_rule_of(studios.waiting); }

Payment payment_of(const ProgrammesSection& programmes, std::size_t programme) {
  const auto& id = programmes.payment[programme];
  for (std::size_t k = 0; k < kPaymentIds.size(); ++k)
    if (id == kPaymentIds[k]) return static_cast<Payment>(k);
  return Payment::Enrolment; // unreachable for checked parameters
}

void fill_column_defaults(Parameters& p) {
  const auto fill_column = [&p](const ParameterSpec& spec, auto* column, auto value) {
    if (column->empty()) column->assign(dim_length(spec.dim, p), value);
  };
  const auto fill_matrix = [&p](const ParameterSpec& spec, auto* matrix, auto value) {
    const std::size_t rows = dim_length(spec.dim, p), cols = dim_length(spec.col_dim, p);
    if (matrix->values.empty() && rows > 0) {
      matrix->rows = static_cast<int>(rows);
      matrix->cols = static_cast<int>(cols);
      matrix->values.assign(rows * cols, value);
    }
  };
  for (const auto& spec : kSpecs) {
    if (!spec.column_default_text.empty()) {
      const ValueRef text_ref = spec.bind(p);
      if (auto* texts = std::get_if<std::vector<std::string>*>(&text_ref))
        fill_column(spec, *texts, std::string(spec.column_default_text));
    }
    if (std::isnan(spec.column_default)) continue;
    const ValueRef ref = spec.bind(p);
    if (auto* column = std::get_if<std::vector<double>*>(&ref))
      fill_column(spec, *column, spec.column_default);
    else if (auto* integers = std::get_if<std::vector<std::int64_t>*>(&ref))
      fill_column(spec, *integers, static_cast<std::int64_t>(spec.column_default));
    else if (auto* flags = std::get_if<std::vector<std::uint8_t>*>(&ref))
      fill_column(spec, *flags, static_cast<std::uint8_t>(spec.column_default != 0));
    else if (auto* matrix = std::get_if<RealMatrix*>(&ref))
      fill_matrix(spec, *matrix, spec.column_default);
    else if (auto* flag_matrix = std::get_if<FlagMatrix*>(&ref))
      fill_matrix(spec, *flag_matrix, static_cast<std::uint8_t>(spec.column_default != 0));
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
    case ValueKind::IntegerVector:
      check_vector(spec, std::get<std::vector<std::int64_t>>(value), p, issues);
      break;
    case ValueKind::FlagVector:
      check_vector(spec, std::get<std::vector<std::uint8_t>>(value), p, issues);
      break;
    case ValueKind::RealMatrix:
      check_matrix(spec, std::get<RealMatrix>(value), p, issues);
      break;
    case ValueKind::FlagMatrix:
      check_matrix(spec, std::get<FlagMatrix>(value), p, issues);
      break;
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
  check_names("competitions.tiers", "competition tier", p.competitions.tiers, issues);
  check_names("schools.routes", "school route", p.schools.routes, issues);
  check_names("employers.size_classes", "size class", p.employers.size_classes, issues);
  check_names("run.parameter_set_columns", "column", p.run.parameter_set_columns, issues);
  if (!p.run.parameter_set_columns.empty() && p.run.parameter_sets.empty())
    issues.push_back({"run.parameter_set_columns", "needs run.parameter_sets (the file whose columns it chooses)"});
  if (p.programmes.names.size() > kMaxProgrammes)
    issues.push_back({"programmes.names", "at most " + std::to_string(kMaxProgrammes) +
                                              " programmes are supported, got " +
                                              std::to_string(p.programmes.names.size())});
  if (p.population.regions.size() > kMaxRegions)
    issues.push_back({"population.regions", "at most " + std::to_string(kMaxRegions) +
                                                " regions are supported (the region column is one byte), got " +
                                                std::to_string(p.population.regions.size())});
  if (p.scenario.start.year() < kMinStartYear || p.scenario.start.year() > kMaxStartYear)
    issues.push_back(
        {"scenario.start", "must be within " + std::to_string(kMinStartYear) + " to " + std::to_string(kMaxStartYear) +
                               " (birth months are stored in 16 bits), got " + iso_date(p.scenario.start)});
  const auto positive_sum = [&](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) > 0; };
  if (p.population.age_shares_male.size() == kAgeBandCount && p.population.age_shares_female.size() == kAgeBandCount &&
      !positive_sum(p.population.age_shares_male) && !positive_sum(p.population.age_shares_female))
    issues.push_back({"population.age_shares_male", "age weights of men and women are all zero"});
  if (p.population.status_shares.size() == kStatusCount && p.population.status_shares[int(Status::Retired)] > 0)
    issues.push_back(
        {"population.status_shares[5]", "the initial population is the working-age pool; the retired share must be 0"});
  // Every agent and entrant of a replicate gets its own 32-bit id (population.hpp, kAgentIdLimit);
  // checked once the months are in range (otherwise their own message says so).
  if (p.population.scale > 0 && p.scenario.months >= 1 &&
      static_cast<double>(p.scenario.months) <= find_parameter("scenario.months")->max) {
    const double entrants = (p.entry.school_leavers_per_year + p.entry.technical_school_graduates_per_year) *
                            static_cast<double>(p.scenario.months) / 12.0;
    const double ids = (p.population.size + entrants) / static_cast<double>(p.population.scale) +
                       2.0 * static_cast<double>(p.scenario.months) + 1;
    if (ids >= static_cast<double>(kAgentIdLimit))
      issues.push_back({"population.scale", "the run would give about " + format_number(ids) +
                                                " agent ids (the initial agents and the entrants of " +
                                                std::to_string(p.scenario.months) + " months), more than the " +
                                                format_number(static_cast<double>(kAgentIdLimit)) +
                                                " a 32-bit id holds; raise population.scale or shorten the run"});
  }
  if (p.entry.entry_age_max <= p.entry.entry_age_min)
    issues.push_back({"entry.entry_age_max",
                      "must be greater than entry.entry_age_min (" + format_number(p.entry.entry_age_min) + ")"});
  check_programmes(p, issues);
  check_groups(p, issues);
  check_competitions(p, issues);
  check_schools(p, issues);
  check_studios(p, issues);
  check_migration(p, issues);
  check_employers(p, issues);
  check_choice(p, issues);
  check_work_based_training(p, issues);
  const auto& sk = p.skills;
  if (sk.assessment_rate.size() == kLevelCount) {
    for (int level : {0, int(Level::PrincipalTechnician), int(Level::ChiefTechnician)})
      if (sk.assessment_rate[level] != 0)
        issues.push_back({"skills.assessment_rate[" + std::to_string(level) + "]",
                          level == 0 ? "nobody moves up to level 0; must be 0"
                                     : std::string(kLevelLabelsZh[level]) +
                                           " is appointed within a quota, not assessed; must be 0"});
  }
  if (sk.trend_end_date < sk.trend_reference_date)
    issues.push_back({"skills.trend_end_date", "must not be before skills.trend_reference_date (" +
                                                   iso_date(sk.trend_reference_date) + "), got " +
                                                   iso_date(sk.trend_end_date)});
  // The ladder's routes, once every value is valid on its own (pathways.hpp).
  if (issues.empty()) {
    std::array<bool, kLevelCount> allowed{};
    for (int l = 0; l < kLevelCount; ++l) allowed[static_cast<std::size_t>(l)] = sk.may_be_unreachable[l] != 0;
    const auto routes = check_pathways(p, allowed);
    issues.insert(issues.end(), routes.begin(), routes.end());
  }
  return issues;
}

} // namespace skillsim
