// Every model parameter lives here: one struct with the values, and one registry that names each
// value by its dotted key path, says what it is, what range it may take and whether a schedule
// may change it during a run. Readers (TOML, Python, --set), the validator, schedules and the
// documentation all go through the registry, so a new parameter is added in exactly one place.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "skillsim/core/types.hpp"

namespace skillsim {

/// A row-major matrix of reals with fixed shape (used for the level-by-age prior).
struct RealMatrix {
  int rows = 0;
  int cols = 0;
  std::vector<double> values;
  double operator()(int r, int c) const { return values[static_cast<std::size_t>(r * cols + c)]; }
  bool operator==(const RealMatrix&) const = default;
};

/// A row-major matrix of yes/no flags with fixed shape (eligibility tables). Flags are stored one
/// byte each, 0 (false) or 1 (true), in matrices and in vectors (std::vector<std::uint8_t>, not
/// std::vector<bool>, whose elements are proxies).
struct FlagMatrix {
  int rows = 0;
  int cols = 0;
  std::vector<std::uint8_t> values; ///< 0 (false) or 1 (true)
  bool operator()(int r, int c) const { return values[static_cast<std::size_t>(r * cols + c)] != 0; }
  bool operator==(const FlagMatrix&) const = default;
};

struct ScenarioSection {
  std::string name;
  std::string description;
  Month start = Month::of(2020, 1);
  std::int64_t months = 12;
};

struct RunSection {
  std::int64_t seed = 1;
  std::int64_t replicates = 1;
  std::string parameter_sets; ///< a CSV file of parameter sets, one per replicate (cycling); "" for none
  std::vector<std::string> parameter_set_columns; ///< the columns of parameter_sets used; empty for all
};

struct PopulationSection {
  double size = 0;        // persons aged 16-64 at the start (the working-age pool)
  std::int64_t scale = 1; // persons represented by one agent
  std::vector<std::string> regions;
  std::vector<double> region_shares;
  std::vector<double> age_shares_male;   // per initial age band, relative weights
  std::vector<double> age_shares_female; // per initial age band, relative weights
  std::vector<double> group_shares;      // per group
  std::vector<double> level_shares;      // per level
  std::vector<double> status_shares;     // per status
  std::vector<double> sector_shares;     // per sector, of everybody
  RealMatrix level_by_age_prior;         // age band x level: the prior IPF starts from
  RealMatrix level_by_region_prior;      // region x level: the region given the level (1: independent)
  std::vector<double> insured_share;     // per group: share with unemployment insurance
  std::int64_t max_months_at_level = 120;
};

struct DemographySection {
  std::vector<double> mortality_annual; // per mortality band (15-19 ... 100+), annual probability
  double retirement_age_male = 60;
  double retirement_age_female = 50;
};

struct EntrySection {
  double school_leavers_per_year = 0;
  std::vector<double> school_leaver_group_shares; // per group
  double technical_school_graduates_per_year = 0;
  std::vector<double> technical_school_diploma_shares; // per level (where graduates enter)
  std::vector<double> month_shares;                    // per calendar month, sums to 1
  double entry_age_min = 16;
  double entry_age_max = 22;
  double male_share = 0.5;
  double employed_share = 0.3; // entrants who start employed; the rest start unemployed
};

struct LabourSection {
  double job_loss_rate = 0;                   // monthly probability, employed -> unemployed
  std::vector<double> job_loss_level_factor;  // per level
  std::vector<double> job_loss_group_factor;  // per group
  std::vector<double> job_loss_sector_factor; // per sector
  double job_loss_multiplier = 1;             // macro shock lever
  double job_find_rate = 0;                   // monthly probability, unemployed -> employed
  std::vector<double> job_find_level_factor;  // per level
  std::vector<double> job_find_group_factor;  // per group
  double job_find_multiplier = 1;             // macro shock lever
  std::vector<double> job_loss_region_factor; // per region (default 1 each)
  std::vector<double> job_find_region_factor; // per region (default 1 each)
  double inactivity_rate = 0;                 // unemployed -> inactive
  double reactivation_rate = 0;               // inactive -> unemployed
};

/// How members leave their policy group (docs/model.md, "Changing group"). Destinations are group
/// ids (kGroupIds); a group's own id means it is kept.
struct GroupsSection {
  std::vector<std::string> after_job_found;     // per group: the group of a member who finds a job
  std::vector<std::int64_t> leave_after_months; // per group: months in it before leaving (0: no limit)
  std::vector<std::uint8_t> closed;             // per group: true while the group no longer exists
  std::vector<std::string> after_leaving;       // per group: the group after the time limit or the closure
};

struct SkillsSection {
  std::vector<std::int64_t> min_months;            // per target level: months at the level below
  std::vector<double> assessment_rate;             // per target level: monthly probability of sitting
  std::vector<double> assessment_rate_trend;       // per target level: relative change of the rate per year
  Month trend_reference_date = Month::of(2016, 1); // the trend's factor is 1 here
  Month trend_end_date = Month::of(2100, 1);       // the trend's factor freezes here
  std::vector<double> assessment_status_factor;    // per status
  double premium_elasticity = 0; // elasticity of the assessment rate to the certificate's pay premium (choice model)
  std::vector<double> pass_probability; // per target level
  // Factors on the assessment rate and on the pass probability by the worker's age band, sex and
  // group (1: no difference), multiplied together and capped at probability 1.
  std::vector<double> assessment_factor_by_age_band, assessment_factor_by_sex, assessment_factor_by_group;
  std::vector<double> pass_factor_by_age_band, pass_factor_by_sex, pass_factor_by_group;
  // The same by the worker's region (default 1 each).
  std::vector<double> assessment_factor_by_region, pass_factor_by_region;
  double principal_technician_quota_per_year = 0; // 特级技师 appointments (persons)
  double chief_technician_quota_per_year = 0;     // 首席技师 appointments (persons)
  std::vector<std::uint8_t> may_be_unreachable;   // per level: true if no route need lead to it
};

/// Fund sources: who pays for training (columns indexed by fund).
struct FundsSection {
  std::vector<std::string> names;       // identifiers, e.g. "skills_upgrading_account"
  std::vector<std::string> labels;      // e.g. "职业技能提升行动专账"
  std::vector<double> annual_envelope;  // yuan granted at the start of each calendar year
  std::vector<std::uint8_t> carry_over; // true: uncommitted money passes to the next year; false: it lapses
};

/// Most programmes a scenario may declare (an agent's programme is stored in one byte, with 255
/// meaning none).
inline constexpr std::size_t kMaxProgrammes = 254;

/// Training programmes (columns indexed by programme). See docs/levers.md.
struct ProgrammesSection {
  std::vector<std::string> names;
  std::vector<std::string> labels;
  FlagMatrix eligible_groups;                     // programme x group: eligible or not
  FlagMatrix eligible_statuses;                   // programme x status
  FlagMatrix eligible_regions;                    // programme x region: admits workers of the region or not
  std::vector<std::int64_t> min_level, max_level; // levels 0..8 a trainee may hold
  std::vector<double> min_age, max_age;           // years
  std::vector<double> min_contribution_months;    // unemployment-insurance months
  std::vector<double> application_rate;           // monthly probability that an eligible worker applies
  std::vector<std::int64_t> duration_months;
  std::vector<std::uint8_t> full_time;    // true: trainees leave work (status in_training)
  std::vector<std::int64_t> target_level; // level the certificate gives
  std::vector<double> completion_probability;
  std::vector<double> pass_probability;     // certificate on completion
  std::vector<double> appraisal_share;      // share of completers who sit the certification assessment
  std::vector<double> cost_per_trainee;     // yuan per trainee (per trainee and month if paid monthly)
  std::vector<std::string> payment;         // "enrolment", "monthly" or "certification"
  RealMatrix fund_shares;                   // programme x fund: who pays; rows sum to 1
  RealMatrix seats_per_month;               // programme x region: new places each month
  std::vector<std::int64_t> group_priority; // per group: lower is admitted first when places bind
  FlagMatrix substitutes;                   // programme x programme: the row's applicants accept the column
  std::vector<double> reference_cost;       // yuan: the subsidy at which application_rate holds
  std::vector<double> subsidy_elasticity;   // demand response to cost_per_trainee / reference_cost
  std::vector<double> premium_elasticity;   // demand response to the certificate's pay premium (choice model)
  std::vector<double> leakage_share;        // share of claims for training that did not happen
  std::vector<double> job_find_factor;      // job finding of completers, relative, for follow_up_months
  std::int64_t follow_up_months = 6;        // window for the job-finding effect and employment after training
  std::vector<std::string> waiting;         // "none", "shortened" or "minimum": the wait at the level before admission
  std::vector<std::int64_t> shorten_months; // months taken off the ordinary minimum ("shortened")
  std::vector<std::uint8_t> apprenticeship; // true: 企业新型学徒制, trainees held at 学徒工 while enrolled
  std::vector<double> employer_share;       // share of each claim the trainee's employer pays (职工教育经费)
};

/// How a programme's subsidy is paid (the `programmes.payment` column).
enum class Payment { Enrolment, Monthly, Certification };
inline constexpr std::array<std::string_view, 3> kPaymentIds = {"enrolment", "monthly", "certification"};

/// The parsed `programmes.payment` column (call only on checked parameters).
Payment payment_of(const ProgrammesSection& programmes, std::size_t programme);

/// Audits of subsidy claims: an audited fake claim is caught and not paid.
struct AuditSection {
  double share_audited = 0;  // share of claims audited
  double cost_per_audit = 0; // yuan per audited claim, paid by the claim's funds
  double deterrence = 0;     // fraud's response to audits: leakage_share x (1 - share_audited)^deterrence
};

/// Evaluation capacity: who may certify whom, and how many assessments a month (see
/// docs/levers.md). With no evaluators declared, evaluation is unlimited and immediate.
struct EvaluationSection {
  std::vector<std::string> evaluators; // evaluator types, e.g. "enterprise", "social_organisation"
  std::vector<std::string> labels;     // e.g. "企业自主评价"
  RealMatrix capacity_per_month;       // evaluator x region: assessments a month
  FlagMatrix eligible_statuses;        // evaluator x status: whom each type may assess
  std::vector<std::int64_t> max_level; // per evaluator: highest level it certifies
  std::int64_t max_wait_months = 12;   // candidates give up after waiting this long
};

/// Skills competitions (技能竞赛) at named tiers, a route up the ladder (columns indexed by
/// tier). See docs/model.md, "Skills competitions". With no tiers declared nothing changes.
struct CompetitionsSection {
  std::vector<std::string> tiers;                 // identifiers, e.g. "city"
  std::vector<std::string> labels;                // e.g. "晋城市职业技能大赛"
  std::vector<std::int64_t> month_held;           // calendar month 1..12 (once a year); 0: every month
  std::vector<double> entrants_per_year;          // persons
  std::vector<double> winners_per_year;           // persons, among the entrants
  FlagMatrix eligible_statuses;                   // tier x status: who may enter
  std::vector<std::int64_t> min_level, max_level; // levels an entrant may hold
  std::vector<std::string> award;                 // "promote" (one level) or "shorten" (the wait at the level)
  std::vector<std::string> waiting;               // "none", "shortened" or "minimum": the wait before the award
  std::vector<std::int64_t> shorten_months;       // months taken off the ordinary minimum ("shortened")
};

/// What winning a tier gives (the `competitions.award` column).
enum class CompetitionAward { Promote, Shorten };
inline constexpr std::array<std::string_view, 2> kCompetitionAwardIds = {"promote", "shorten"};

/// The waiting rule of a route up the ladder (the `waiting` columns of programmes and
/// competitions): the months at the level held that a worker must have served before the route
/// opens: none, skills.min_months of the next level shortened by the route's shorten_months, or
/// skills.min_months itself (docs/pathways.md, "Waiting rules").
enum class WaitingRule { None, Shortened, Minimum };
inline constexpr std::array<std::string_view, 3> kWaitingRuleIds = {"none", "shortened", "minimum"};

/// The months a rule makes a worker wait, given the ordinary minimum for the next level.
constexpr std::uint32_t waiting_months(WaitingRule rule, std::uint32_t minimum, std::int64_t shorten_months) {
  switch (rule) {
  case WaitingRule::None:
    return 0;
  case WaitingRule::Shortened:
    return shorten_months >= static_cast<std::int64_t>(minimum) ? 0
                                                                : minimum - static_cast<std::uint32_t>(shorten_months);
  case WaitingRule::Minimum:
    break;
  }
  return minimum;
}

/// The parsed `competitions.award`, `competitions.waiting` and `programmes.waiting` columns (call
/// only on checked parameters).
CompetitionAward award_of(const CompetitionsSection& competitions, std::size_t tier);
WaitingRule waiting_of(const CompetitionsSection& competitions, std::size_t tier);
WaitingRule waiting_of(const ProgrammesSection& programmes, std::size_t programme);

/// Technical schools (技工院校): enrolment, students, dropout and graduation at a diploma level
/// (columns indexed by school route; docs/model.md, "Technical schools"). With no routes declared
/// nothing changes.
struct SchoolsSection {
  std::vector<std::string> routes;            // identifiers, e.g. "intermediate" (中级工班)
  std::vector<std::string> labels;            // e.g. "中级工班"
  std::vector<std::int64_t> diploma_level;    // level the diploma gives (3 中级工, 4 高级工, 5 技师)
  std::vector<std::int64_t> length_months;    // months in school before graduating
  std::vector<double> entry_age_min;          // years, at enrolment
  std::vector<double> entry_age_max;          // years, at enrolment (exclusive)
  std::vector<double> dropout_rate;           // probability per month of leaving without a diploma
  RealMatrix enrolment_plan_per_year;         // route x region: persons enrolled a year (the plan)
  RealMatrix capacity;                        // route x region: persons in school at once, at most
  RealMatrix initial_students;                // route x region: persons in school at the start
  std::vector<double> enrolment_month_shares; // per calendar month, sums to 1
  std::vector<double> group_shares;           // per group: the students' policy group
  std::string graduate_group;                 // group of graduates and dropouts ("": the group held in school)
  double employed_share = 0.3;                // graduates and dropouts who start employed; the rest unemployed
};

/// Master studios (技能大师工作室): counted per region, opened on a schedule; each month their
/// mentoring places are min(studios x places_per_studio, masters x places_per_master), masters
/// being the employed at master_min_level or above (docs/model.md, "Master studios"). With no
/// studios nothing changes.
struct StudiosSection {
  std::vector<double> count;         // per region: studios open (schedulable)
  double places_per_studio = 10;     // mentees a studio takes at once
  double places_per_master = 2;      // mentees a master takes at once
  std::int64_t master_min_level = 5; // lowest level of a master (技师)
  std::int64_t mentee_min_level = 1; // lowest level of a mentee (学徒工); mentees are below master_min_level
  double pass_factor = 1;            // on the pass probability of a mentored worker's assessment
  std::string waiting = "minimum";   // "none", "shortened" or "minimum": a mentee's wait before the assessment
  std::int64_t shorten_months = 0;   // months off skills.min_months ("shortened")
};

/// The parsed `studios.waiting` (call only on checked parameters).
WaitingRule waiting_of(const StudiosSection& studios);

/// Migration between regions (docs/model.md, "Migration between regions"). With a zero rate
/// matrix (the default) nobody moves and nothing is drawn.
struct MigrationSection {
  RealMatrix rate;                              // origin region x destination region: monthly probability
  std::vector<double> level_factor;             // per level held
  std::vector<double> status_factor;            // per status (after the month's other moves)
  std::string employed_on_arrival = "employed"; // "employed": keeps working; "unemployed": looks for a job
};

/// What an employed migrant is on arrival (the `migration.employed_on_arrival` key).
inline constexpr std::array<std::string_view, 2> kArrivalStatusIds = {"employed", "unemployed"};

/// Most school routes a scenario may declare (a student's route is stored in one byte).
inline constexpr std::size_t kMaxSchoolRoutes = 255;

/// Employers (the demand side: docs/model.md, "Employers, posts and pay"): employer cells of region
/// x sector x size class, each with posts, vacancies, hires and separations; job finding as
/// matching; posts for 特级技师/首席技师; pay by level. With no size classes declared (the
/// default) nothing is drawn and nothing changes.
struct EmployersSection {
  std::vector<std::string> size_classes; // identifiers, e.g. "large", "small"
  std::vector<std::string> labels;       // e.g. "大型企业"
  RealMatrix size_shares;                // size class x sector: share of the sector's employment
  std::string matching = "hazard";       // "hazard" (today's hazards), "cobb_douglas" or "cobb_douglas_by_level"
  double matching_efficiency = 0.1;      // A of M = A U^alpha V^(1-alpha), per month
  double matching_elasticity = 0.5;      // alpha
  double vacancy_rate = 0.05;            // posts at the start per filled post, less 1
  double post_growth_per_year = 0;       // relative growth of every cell's posts a year
  RealMatrix posts_per_1000;             // size class x level: posts at the level per 1000 posts of a cell
  std::vector<std::uint8_t>
      appointment_needs_post;         // per level (特级技师, 首席技师 only): appointment needs a free post
  std::vector<double> wage_per_month; // per level: yuan a month at the start (sector and region factor 1)
  std::vector<double> reference_wage_per_month; // per level: the pay at which the rates of seeking a level hold
  std::vector<double> wage_sector_factor;       // per sector
  std::vector<double> wage_region_factor;       // per region
  double wage_growth_per_year = 0;              // relative growth of every wage a year, from scenario.start
  std::vector<double> self_evaluation_per_1000; // per size class: assessments a month per 1000 employees (企业自主评价)
  std::string self_evaluator; // the evaluator type (evaluation.evaluators) those assessments count under
  // per size class: apprenticeship places per 1000 employees (企业新型学徒制); -1: not limited by employers
  std::vector<double> apprentice_places_per_1000;
  /// Do the employers limit apprenticeship places in the month these parameters are in force?
  bool limits_apprentice_places() const {
    for (double v : apprentice_places_per_1000)
      if (v >= 0) return true;
    return false;
  }
};

/// Employer cells are stored as (sector x size class) within the region in one byte, 255 meaning
/// "no employer": at most 254 / 3 size classes.
inline constexpr std::size_t kMaxSizeClasses = 254 / kSectorCount;
/// The matching rules (employers.matching): today's hazards, one market per region, one market
/// per region x level.
inline constexpr std::array<std::string_view, 3> kMatchingIds = {"hazard", "cobb_douglas", "cobb_douglas_by_level"};
/// Whether `matching` matches job seekers to vacancies by level (one market per region x level).
inline bool matching_by_level(const EmployersSection& e) { return e.matching == kMatchingIds[2]; }
/// How far a row of employers.posts_per_1000 may be from 1000 under matching by level (rows
/// written from shares rarely add up exactly; 0.01 per 1000 is less than a post in 100,000).
inline constexpr double kLevelledPostsTolerance = 0.01;

/// 以工代训 paid to employers (docs/levers.md, "Employers, posts and pay"): a subsidy per worker
/// retained and per worker hired in the eligible employer cells, from one fund, in the months the
/// subsidies are above 0, with a retention effect on job loss while it is paid. Off by default (no
/// fund named: nothing is declared, drawn or paid).
struct WorkBasedTrainingSection {
  std::string fund;                       // the fund that pays (one of funds.names); empty: off
  double retention_subsidy_per_month = 0; // yuan per worker in an eligible cell through the month
  double hire_subsidy = 0;                // yuan per worker hired into an eligible cell, once
  FlagMatrix eligible;                    // size class x sector: cells that may claim (default: all)
  double job_loss_factor = 1;             // on the job-loss hazard in eligible cells while paid
  std::int64_t max_months_per_worker = 0; // months a worker may be claimed for (kept or hired); 0: no cap
  /// Is the subsidy paid in the month these parameters are in force?
  bool in_force() const { return !fund.empty() && (retention_subsidy_per_month > 0 || hire_subsidy > 0); }
};

/// All parameter values of a scenario at one moment. Plain data: copy it freely.
struct Parameters {
  ScenarioSection scenario;
  RunSection run;
  PopulationSection population;
  DemographySection demography;
  EntrySection entry;
  LabourSection labour;
  GroupsSection groups;
  SkillsSection skills;
  FundsSection funds;
  ProgrammesSection programmes;
  AuditSection audit;
  EvaluationSection evaluation;
  CompetitionsSection competitions;
  SchoolsSection schools;
  StudiosSection studios;
  MigrationSection migration;
  EmployersSection employers;
  WorkBasedTrainingSection work_based_training;
};

/// What a parameter holds.
enum class ValueKind {
  Real,
  Integer,
  Month,
  String,
  StringList,
  RealVector,
  RealMatrix,
  IntegerVector, ///< levels, months, ranks: whole numbers only
  FlagVector,    ///< yes/no per element: true/false (or 1/0) in files
  FlagMatrix     ///< yes/no per cell
};

/// The named dimension a vector parameter is indexed by (its required length).
enum class Dim {
  None,
  Level,
  Status,
  Group,
  Sector,
  Sex,
  AgeBand,
  MortalityBand,
  CalendarMonth,
  Region,
  Fund,
  Programme,
  Evaluator,
  Tier,
  SchoolRoute,
  SizeClass
};

/// A parameter value as it travels between readers, schedules and the registry.
using Value = std::variant<double, std::int64_t, Month, std::string, std::vector<std::string>, std::vector<double>,
                           RealMatrix, std::vector<std::int64_t>, std::vector<std::uint8_t>, FlagMatrix>;

/// Reference to the storage of one parameter inside a Parameters object.
using ValueRef =
    std::variant<double*, std::int64_t*, Month*, std::string*, std::vector<std::string>*, std::vector<double>*,
                 RealMatrix*, std::vector<std::int64_t>*, std::vector<std::uint8_t>*, FlagMatrix*>;

/// One row of the registry. Rows name their fields (designated initializers) and leave out those
/// at their default: `{.key = "labour.job_loss_rate", .kind = ValueKind::Real, ..., .bind = ...}`.
/// key, kind and bind have no default, so a row without them does not compile (with -Werror).
struct ParameterSpec {
  std::string_view key; ///< dotted path, e.g. "labour.job_loss_rate"
  ValueKind kind;
  std::string_view unit = {}; ///< e.g. "probability per month", "persons"
  std::string_view doc = {};  ///< one sentence for the reference documentation
  double min = -1e300;        ///< inclusive bounds, for reals, integers and every vector element (not flags)
  double max = 1e300;
  Dim dim = Dim::None;     ///< for vectors: the index dimension (fixes the length)
  Dim col_dim = Dim::None; ///< for matrices: the column dimension (dim is the row dimension)
  bool sums_to_one = false;
  bool schedulable = false;      ///< may a [[schedule]] entry change it during a run?
  ValueRef (*bind)(Parameters&); ///< the storage of the value in a Parameters object
  /// For columns of a declared catalogue (programmes, funds, evaluators): the value every entry
  /// gets when a scenario leaves the column out (NaN: the column must be given; 0 or 1 for flags).
  double column_default = std::numeric_limits<double>::quiet_NaN();
  /// The same for a column of strings (empty: the column must be given).
  std::string_view column_default_text = {};
};

/// The registry, in documentation order.
std::span<const ParameterSpec> parameter_specs();

/// Looks up a spec by dotted key; nullptr if there is none.
const ParameterSpec* find_parameter(std::string_view key);

/// Up to three registered keys closest to `key` (edit distance), best first, for "did you mean".
std::vector<std::string_view> suggest_parameters(std::string_view key);

/// Edit distance between two strings (used for suggestions).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// Human-readable name of a kind ("number", "array of integers", ...) for error messages and docs.
std::string_view kind_name(ValueKind kind);

/// Name and labels of a vector dimension, for messages and docs ("level (none, apprentice, ...)").
std::string dim_description(Dim dim);

/// The required length of a vector along `dim`, given the parameters (regions are dynamic).
std::size_t dim_length(Dim dim, const Parameters& p);

/// Reads the current value of a parameter.
Value get_value(const Parameters& p, const ParameterSpec& spec);

/// Stores `value` into the parameter. Returns an error message if the value's kind does not
/// match the spec (integers are accepted for reals); range checks, and that flags are 0 or 1,
/// are left to `check`.
std::optional<std::string> set_value(Parameters& p, const ParameterSpec& spec, const Value& value);

/// One problem found in a scenario. `key` is the dotted path (with [i] for array elements).
struct Issue {
  std::string key;
  std::string message;
};

/// Fills the columns a scenario left out with their `column_default` (see ParameterSpec). Readers
/// call it before checking.
void fill_column_defaults(Parameters& p);

/// Checks every range, length, sum and cross-field rule. Returns all problems, not the first.
std::vector<Issue> check(const Parameters& p);

} // namespace skillsim
