#include "skillsim/io/observations.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include "csv.hpp"
#include "skillsim/core/parameters.hpp"

namespace skillsim::io {

namespace {

using csv::parse_number;
using csv::Record;
using csv::split_records;
using csv::trim;

using K = IndicatorKind;
using R = IndicatorRole;

constexpr std::string_view kPersons = "10k persons";
constexpr std::string_view kPersonTimes = "10k person-times";
constexpr std::string_view kPercent = "percent";
constexpr std::string_view kCount = "count";

// The catalogue. docs/calibration.md explains each mapping; keep the two in step.
constexpr IndicatorSpec kCatalogue[] = {
    // --- stocks of certificate holders (end of year) -----------------------------------------
    {"skilled_workers", K::stock, kPersons, R::observation, "skilled_workers (December)",
     "技能劳动者: certificate holders at 初级工 or above"},
    {"high_skilled_workers", K::stock, kPersons, R::observation, "high_skilled_workers (December)",
     "高技能人才: certificate holders at 高级工 or above"},
    {"senior_workers", K::stock, kPersons, R::observation, "workers[level=senior], not retired (December)",
     "高级工 holders"},
    {"technicians", K::stock, kPersons, R::observation, "workers[level=technician], not retired (December)",
     "技师 holders"},
    {"senior_technicians", K::stock, kPersons, R::observation,
     "workers[level=senior_technician], not retired (December)", "高级技师 holders"},
    {"high_skilled_share_of_skilled_workers", K::structure, kPercent, R::observation,
     "100 x high_skilled_workers / skilled_workers (December)", "高技能人才占技能劳动者的比例"},
    {"skilled_share_of_employed", K::structure, kPercent, R::observation,
     "100 x skilled employed / employed (December)", "技能劳动者占就业人员的比例"},
    {"share_technician_and_senior_technician_of_skilled", K::structure, kPercent, R::observation,
     "100 x workers at 技师 or above / skilled_workers", "技师和高级技师占技术工人的比例"},
    {"share_junior_of_industrial_workers", K::structure, kPercent, R::context, "",
     "初级工 share of 70M industrial workers (2002)"},
    {"share_middle_of_industrial_workers", K::structure, kPercent, R::context, "",
     "中级工 share of 70M industrial workers (2002)"},
    {"share_senior_of_industrial_workers", K::structure, kPercent, R::context, "",
     "高级工 share of 70M industrial workers (2002)"},
    // --- certification flows (calendar year unless the name says otherwise) ------------------
    {"certification_participants", K::flow, kPersonTimes, R::observation,
     "sum over the year of assessments + programme_assessments at junior..senior_technician",
     "参加职业技能鉴定 (from 2020 also 职业技能等级认定)"},
    {"certified", K::flow, kPersonTimes, R::observation, "sum over the year of promotions at junior..senior_technician",
     "取得职业资格证书 / 职业技能等级证书"},
    {"certified_technician_and_senior_technician", K::flow, kPersonTimes, R::observation,
     "sum over the year of promotions at technician and senior_technician", "取得技师、高级技师职业资格"},
    {"new_high_skilled_workers", K::flow, kPersons, R::observation,
     "sum over the year of promotions into senior or above, plus entries at senior or above", "新增高技能人才"},
    {"certification_participants_h1", K::flow, kPersonTimes, R::observation,
     "sum over January-June of assessments + programme_assessments at junior..senior_technician",
     "first half-year only"},
    {"certified_h1", K::flow, kPersonTimes, R::observation,
     "sum over January-June of promotions at junior..senior_technician", "first half-year only"},
    {"certification_participants_cumulative_2012_2016", K::flow, kPersonTimes, R::observation,
     "sum over 2012-2016 of assessments + programme_assessments at junior..senior_technician",
     "five-year total (window end unclear)"},
    {"certified_cumulative_2012_2016", K::flow, kPersonTimes, R::observation,
     "sum over 2012-2016 of promotions at junior..senior_technician", "five-year total (window end unclear)"},
    {"grade_certificates_by_enterprises_and_orgs", K::flow, kPersons, R::context, "",
     "职业技能等级证书 issued by filed enterprises and social evaluation organisations, cumulative"},
    // --- subsidised training and technical schools (realised volumes: policy inputs) ----------
    {"subsidized_training", K::flow, kPersonTimes, R::policy_input, "sum over the year of enrolments",
     "补贴性职业(技能)培训"},
    {"subsidized_training_h1", K::flow, kPersonTimes, R::policy_input, "sum over January-June of enrolments",
     "first half-year only"},
    {"employment_skills_training", K::flow, kPersonTimes, R::policy_input, "enrolments in employment-skills programmes",
     "就业技能培训"},
    {"job_skills_upgrading_training", K::flow, kPersonTimes, R::policy_input,
     "enrolments in on-the-job upgrading programmes", "岗位技能提升培训"},
    {"vocational_training_organised", K::flow, kPersonTimes, R::policy_input, "sum over the year of enrolments",
     "全年共组织各类职业培训 (bulletin wording)"},
    {"subsidized_training_migrant_workers", K::flow, kPersonTimes, R::policy_input,
     "enrolments of group migrant_worker", "农民工培训"},
    {"subsidized_training_cumulative_2011_2015", K::flow, kPersonTimes, R::policy_input,
     "sum over 2011-2015 of enrolments", "十二五 total"},
    {"subsidized_training_cumulative_2012_2016", K::flow, kPersonTimes, R::policy_input,
     "sum over 2012-2016 of enrolments", "2012 onwards (window end unclear)"},
    {"subsidized_training_cumulative_2016_2020", K::flow, kPersonTimes, R::policy_input,
     "sum over 2016-2020 of enrolments", "十三五 total"},
    {"subsidized_training_cumulative_2019_2021", K::flow, kPersonTimes, R::policy_input,
     "sum over 2019-2021 of enrolments", "skills-upgrading action total"},
    {"work_in_lieu_of_training_workers", K::policy, kPersons, R::policy_input,
     "enrolments in a monthly-paid 以工代训 programme", "以工代训 workers supported"},
    {"work_in_lieu_of_training_cumulative_2019_2021", K::flow, kPersonTimes, R::policy_input,
     "enrolments in 以工代训 programmes over 2019-2021", "以工代训 total of the action"},
    {"online_training_100_days", K::policy, kPersonTimes, R::policy_input, "enrolments in an online programme",
     "互联网+职业技能培训, 100 days of 2020"},
    {"technical_school_enrollment", K::flow, kPersons, R::policy_input, "",
     "技工院校招生 (the model takes graduates, not entrants)"},
    {"technical_school_graduates", K::flow, kPersons, R::policy_input,
     "entry.technical_school_graduates_per_year (input)", "技工院校毕业生"},
    {"technical_school_graduates_cumulative_2012_2016", K::flow, kPersons, R::policy_input,
     "entry.technical_school_graduates_per_year summed over 2012-2016", "技工院校 graduates since 2012"},
    {"technical_school_social_training", K::flow, kPersonTimes, R::policy_input, "", "技工院校面向社会开展培训"},
    {"technical_school_students", K::stock, kPersons, R::context, "", "技工院校在校生 (outside the model's pool)"},
    {"technical_schools", K::stock, kCount, R::context, "", "技工院校 (schools)"},
    {"technical_school_full_time_teachers", K::stock, kPersons, R::context, "", "技工院校专任教师"},
    {"certification_institutions", K::stock, kCount, R::context, "",
     "职业技能鉴定机构 (evaluation capacity, not simulated as such)"},
    {"certification_examiners", K::stock, kPersons, R::context, "", "考评人员"},
    // --- labour market (context: scales and plausibility) --------------------------------------
    {"employed", K::stock, kPersons, R::context, "", "就业人员"},
    {"urban_employed", K::stock, kPersons, R::context, "", "城镇就业人员"},
    {"migrant_workers", K::stock, kPersons, R::context, "", "农民工总量"},
    {"urban_new_jobs", K::flow, kPersons, R::context, "", "城镇新增就业"},
    {"registered_unemployed", K::stock, kPersons, R::context, "", "城镇登记失业人员"},
    {"registered_unemployment_rate", K::structure, kPercent, R::context, "", "城镇登记失业率"},
    {"migrant_workers_ever_trained_share", K::structure, kPercent, R::context, "", "接受过技能培训的农民工占比"},
    {"migrant_workers_nonfarm_trained_share", K::structure, kPercent, R::context, "",
     "接受过非农职业技能培训的农民工占比"},
    // --- policy rules, budgets and targets ------------------------------------------------------
    {"skills_upgrading_action_fund", K::policy, "10k yuan", R::policy_input, "a fund's budget",
     "职业技能提升行动 money, 2019-2021"},
    {"skills_upgrading_action_training_target", K::policy, kPersonTimes, R::policy_input, "a target",
     "training target of one year"},
    {"skills_upgrading_action_training_target_2019_2021", K::policy, kPersonTimes, R::policy_input, "a target",
     "training target over 2019-2021"},
    {"target_skilled_share_of_employed", K::policy, kPercent, R::policy_input, "a target", "技能劳动者占就业人员"},
    {"target_high_skilled_share_of_skilled", K::policy, kPercent, R::policy_input, "a target",
     "高技能人才占技能劳动者"},
    {"skill_upgrading_subsidy_junior", K::policy, "yuan per certificate", R::policy_input,
     "a certification-paid programme's cost_per_trainee", "技能提升补贴 cap, 初级"},
    {"skill_upgrading_subsidy_intermediate", K::policy, "yuan per certificate", R::policy_input,
     "a certification-paid programme's cost_per_trainee", "技能提升补贴 cap, 中级"},
    {"skill_upgrading_subsidy_senior", K::policy, "yuan per certificate", R::policy_input,
     "a certification-paid programme's cost_per_trainee", "技能提升补贴 cap, 高级"},
    {"technical_school_enrollment_plan", K::policy, kPersons, R::policy_input, "", "技工院校招生计划"},
    {"target_subsidized_training_2021_2025", K::policy, kPersonTimes, R::policy_input, "a target",
     "14th five-year plan: subsidised training over 2021-2025"},
    {"target_new_certificates_2021_2025", K::policy, kPersonTimes, R::policy_input, "a target",
     "14th five-year plan: new qualification or grade certificates over 2021-2025"},
    {"target_new_high_skilled_certificates_2021_2025", K::policy, kPersonTimes, R::policy_input, "a target",
     "14th five-year plan: new 高级工/技师/高级技师 certificates over 2021-2025"},
};

constexpr std::pair<Qualifier, std::string_view> kQualifiers[] = {
    {Qualifier::exact, "exact"},
    {Qualifier::approx, "approx"},
    {Qualifier::lower_bound, "lower bound"},
    {Qualifier::upper_bound, "upper bound"},
    {Qualifier::target, "target"},
    {Qualifier::cap, "cap"},
};

constexpr std::pair<IndicatorKind, std::string_view> kKinds[] = {
    {K::stock, "stock"}, {K::flow, "flow"}, {K::structure, "structure"}, {K::policy, "policy"}};

constexpr std::string_view kQualities[] = {"official", "news", "secondary"};

template <class List>
std::string quoted_list(const List& names) {
  std::string out;
  for (std::string_view n : names) out += (out.empty() ? "'" : ", '") + std::string(n) + "'";
  return out;
}

// The closest catalogue name to `name` within a few edits, or "".
std::string_view closest_indicator(std::string_view name) {
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(3, name.size() / 3) + 1;
  for (const auto& spec : kCatalogue)
    if (const std::size_t d = edit_distance(name, spec.name); d < best_distance) {
      best = spec.name;
      best_distance = d;
    }
  return best;
}

std::string excerpt(std::string_view s, std::size_t limit = 60) {
  if (s.size() <= limit) return std::string(s);
  return std::string(s.substr(0, limit)) + "...";
}

std::optional<int> parse_year(const std::string& s) {
  int year = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return year;
}

std::string join(const std::vector<Diagnostic>& diagnostics) {
  std::string text = "invalid data: " + problem_count(diagnostics);
  for (const auto& d : diagnostics) text += "\n  " + d.to_string();
  return text;
}

} // namespace

DataError::DataError(std::vector<Diagnostic> diagnostics)
    : Error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

std::span<const IndicatorSpec> indicator_catalogue() { return kCatalogue; }

const IndicatorSpec* find_indicator(std::string_view name) {
  for (const auto& spec : kCatalogue)
    if (spec.name == name) return &spec;
  return nullptr;
}

std::string_view indicator_kind_name(IndicatorKind kind) {
  for (const auto& [k, name] : kKinds)
    if (k == kind) return name;
  return "?";
}

std::string_view indicator_role_name(IndicatorRole role) {
  switch (role) {
  case IndicatorRole::observation:
    return "observation";
  case IndicatorRole::policy_input:
    return "policy input";
  case IndicatorRole::context:
    return "context";
  }
  return "?";
}

std::string_view qualifier_name(Qualifier qualifier) {
  for (const auto& [q, name] : kQualifiers)
    if (q == qualifier) return name;
  return "?";
}

std::vector<Observation> parse_observations(std::string_view text, const std::string& file) {
  std::vector<Diagnostic> problems;
  const std::vector<Record> records = split_records(text, file, problems);
  constexpr std::size_t kColumns = std::size(kObservationColumns);

  if (records.empty()) {
    problems.push_back({file, 1, 1, "", "the file is empty: it needs the header " + quoted_list(kObservationColumns)});
    throw DataError(std::move(problems));
  }
  // The header.
  const Record& header = records.front();
  bool header_ok = header.fields.size() == kColumns;
  for (std::size_t c = 0; header_ok && c < kColumns; ++c)
    header_ok = trim(header.fields[c].text) == kObservationColumns[c];
  if (!header_ok) {
    std::string got;
    for (const auto& f : header.fields) got += (got.empty() ? "" : ",") + trim(f.text);
    problems.push_back({file, header.line, 1, "",
                        "the header must be the columns " + quoted_list(kObservationColumns) + " in this order, got '" +
                            excerpt(got, 120) + "'"});
    throw DataError(std::move(problems));
  }

  std::vector<Observation> out;
  std::map<std::pair<std::string, int>, int> first_line; // (indicator, year) -> line
  for (std::size_t r = 1; r < records.size(); ++r) {
    const Record& rec = records[r];
    const auto at = [&](std::size_t c, std::string key, std::string message) {
      problems.push_back({file, rec.line, rec.fields[c].column, std::move(key), std::move(message)});
    };
    if (rec.fields.size() != kColumns) {
      problems.push_back({file, rec.line, 1, "",
                          "expected " + std::to_string(kColumns) + " fields (" + quoted_list(kObservationColumns) +
                              "), got " + std::to_string(rec.fields.size()) +
                              "; a field holding a comma must be in double quotes"});
      continue;
    }
    const auto field = [&](std::size_t c) { return trim(rec.fields[c].text); };
    Observation obs;
    obs.file = file;
    obs.line = rec.line;
    obs.indicator = field(1);
    obs.unit = field(4);
    obs.quality = field(6);
    obs.source = field(7);
    obs.note = field(8);
    bool ok = true;

    // indicator (checked first: kind and unit are checked against it)
    const IndicatorSpec* spec = find_indicator(obs.indicator);
    if (obs.indicator.empty()) {
      at(1, "indicator", "missing");
      ok = false;
    } else if (spec == nullptr) {
      std::string message = "unknown indicator '" + excerpt(obs.indicator) + "'";
      if (const auto near = closest_indicator(obs.indicator); !near.empty())
        message += "; did you mean '" + std::string(near) + "'?";
      else
        message += "; the known indicators are in the catalogue (docs/calibration.md)";
      at(1, "indicator", message);
      ok = false;
    }
    // kind
    const std::string kind = field(0);
    const auto kind_it = std::find_if(std::begin(kKinds), std::end(kKinds), [&](auto& k) { return k.second == kind; });
    if (kind_it == std::end(kKinds)) {
      std::vector<std::string_view> names;
      for (const auto& k : kKinds) names.push_back(k.second);
      at(0, "kind", "unknown kind '" + excerpt(kind) + "'; allowed: " + quoted_list(names));
      ok = false;
    } else {
      obs.kind = kind_it->first;
      if (spec != nullptr && spec->kind != obs.kind) {
        at(0, "kind",
           "'" + obs.indicator + "' is a " + std::string(indicator_kind_name(spec->kind)) + ", got '" + kind + "'");
        ok = false;
      }
    }
    // year
    if (const std::string year = field(2); year.empty()) {
      at(2, "year", "missing");
      ok = false;
    } else if (const auto y = parse_year(year); !y || *y < 1900 || *y > 2100) {
      at(2, "year", "must be a year (a whole number such as 2016), got '" + excerpt(year) + "'");
      ok = false;
    } else {
      obs.year = *y;
    }
    // value
    if (const std::string value = field(3); value.empty()) {
      at(3, "value", "missing");
      ok = false;
    } else if (const auto v = parse_number(value); !v) {
      at(3, "value",
         "must be a number (a plain decimal, no thousands separators or units), got '" + excerpt(value) + "'");
      ok = false;
    } else {
      obs.value = *v;
    }
    // unit
    if (obs.unit.empty()) {
      at(4, "unit", "missing");
      ok = false;
    } else if (spec != nullptr && obs.unit != spec->unit) {
      at(4, "unit",
         "'" + obs.indicator + "' is in '" + std::string(spec->unit) + "', got '" + excerpt(obs.unit) +
             "' (mixed units: convert the figure, or use another indicator)");
      ok = false;
    }
    // qualifier
    const std::string qualifier = field(5);
    const auto q_it =
        std::find_if(std::begin(kQualifiers), std::end(kQualifiers), [&](auto& q) { return q.second == qualifier; });
    if (q_it == std::end(kQualifiers)) {
      std::vector<std::string_view> names;
      for (const auto& q : kQualifiers) names.push_back(q.second);
      at(5, "qualifier",
         (qualifier.empty() ? std::string("missing") : "unknown qualifier '" + excerpt(qualifier) + "'") +
             "; allowed: " + quoted_list(names));
      ok = false;
    } else {
      obs.qualifier = q_it->first;
    }
    // quality
    if (std::find(std::begin(kQualities), std::end(kQualities), obs.quality) == std::end(kQualities)) {
      at(6, "quality",
         (obs.quality.empty() ? std::string("missing") : "unknown quality '" + excerpt(obs.quality) + "'") +
             "; allowed: " + quoted_list(kQualities));
      ok = false;
    }
    // source
    if (obs.source.empty()) {
      at(7, "source", "missing: every figure needs the page (or seed file) it was read from");
      ok = false;
    }
    // duplicates
    if (spec != nullptr && obs.year != 0) {
      const auto [it, inserted] = first_line.try_emplace({obs.indicator, obs.year}, rec.line);
      if (!inserted) {
        at(1, "indicator",
           "duplicate: '" + obs.indicator + "' for " + std::to_string(obs.year) + " is already on line " +
               std::to_string(it->second) + " (keep one row per indicator and year; put the other figure in the note)");
        ok = false;
      }
    }
    if (ok) out.push_back(std::move(obs));
  }
  if (!problems.empty()) throw DataError(std::move(problems));
  return out;
}

std::vector<Observation> load_observations(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError({{path, 0, 0, "", "cannot read the file (does it exist?)"}});
  std::ostringstream text;
  text << in.rdbuf();
  return parse_observations(text.str(), path);
}

std::vector<Observation> observations_up_to(const std::vector<Observation>& records, int cutoff_year) {
  std::vector<Observation> out;
  std::copy_if(records.begin(), records.end(), std::back_inserter(out),
               [&](const Observation& o) { return o.year <= cutoff_year; });
  return out;
}

std::vector<Observation> policy_inputs_after(const std::vector<Observation>& records, int cutoff_year) {
  std::vector<Observation> out;
  std::copy_if(records.begin(), records.end(), std::back_inserter(out), [&](const Observation& o) {
    const IndicatorSpec* spec = find_indicator(o.indicator);
    return o.year > cutoff_year && spec != nullptr && spec->role == IndicatorRole::policy_input;
  });
  return out;
}

} // namespace skillsim::io
