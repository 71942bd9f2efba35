#include "summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "skillsim/core/dates.hpp"
#include "skillsim/core/statistics.hpp"
#include "skillsim/core/twin.hpp"
#include "text.hpp"

namespace skillsim::cli {

namespace {

// A statistic over replicates of a variable at `cell` (the index after `replicate`), in whole
// persons or yuan (halves away from zero).
std::int64_t rounded(const Results& r, const std::string& name, Statistic s, std::size_t cell) {
  return std::llround(replicate_statistic(r, name, s, cell));
}

// Median over replicates of a variable's total over time and every dimension after the third,
// for entry `index` of its third dimension (e.g. one programme of enrolments(replicate, time,
// programme), one fund of spending(replicate, time, fund, programme)): the totals are derived
// per replicate here, their median is the statistics' (replicate_statistics). kEveryEntry: the
// total over every entry of the third dimension too.
constexpr std::size_t kEveryEntry = static_cast<std::size_t>(-1);

// The same along any dimension `axis` (its position in the variable's dimensions, 2 or after):
// e.g. one size class of employer_self_evaluations(replicate, time, region, sector, size_class).
std::int64_t median_total_along(const Results& r, const std::string& name, std::size_t axis, std::size_t index) {
  const Variable& v = r.variable(name);
  const std::size_t replicates = r.dimension("replicate").size();
  const std::size_t per_replicate = v.size() / replicates;
  const std::size_t width = r.dimension(v.dims[axis]).size();
  std::size_t inner = 1; // entries of the dimensions after `axis`
  for (std::size_t d = axis + 1; d < v.dims.size(); ++d) inner *= r.dimension(v.dims[d]).size();
  std::vector<double> totals;
  for (std::size_t rep = 0; rep < replicates; ++rep) {
    double sum = 0; // counts (exact in a double up to 2^53) or the twin's expectations
    for (std::size_t k = 0; k < per_replicate; ++k)
      if (index == kEveryEntry || (k / inner) % width == index)
        sum += v.is_real ? v.real_data[rep * per_replicate + k] : static_cast<double>(v.data[rep * per_replicate + k]);
    totals.push_back(sum);
  }
  return std::llround(replicate_statistics(totals)[static_cast<std::size_t>(Statistic::P50)]);
}

std::int64_t median_total(const Results& r, const std::string& name, std::size_t index) {
  return median_total_along(r, name, 2, index);
}

// Months (in replicate 0) in which a binding record was 1 for entry `index` of its third
// dimension, in any entry of the dimensions after it (e.g. seats_binding in any region).
std::int64_t months_bound(const Results& r, const std::string& name, std::size_t index) {
  const Variable& v = r.variable(name);
  const std::size_t times = r.dimension("time").size();
  // The twin's records are reals (is_real), a run's are counts.
  const std::size_t size = v.is_real ? v.real_data.size() : v.data.size();
  const std::size_t per_time = size / (r.dimension("replicate").size() * times);
  const std::size_t inner = per_time / r.dimension(v.dims[2]).size();
  std::int64_t months = 0;
  for (std::size_t t = 1; t < times; ++t) {
    const std::size_t at = t * per_time + index * inner;
    if (v.is_real)
      months +=
          std::any_of(v.real_data.begin() + static_cast<std::ptrdiff_t>(at),
                      v.real_data.begin() + static_cast<std::ptrdiff_t>(at + inner), [](double x) { return x != 0; });
    else
      months +=
          std::any_of(v.data.begin() + static_cast<std::ptrdiff_t>(at),
                      v.data.begin() + static_cast<std::ptrdiff_t>(at + inner), [](std::int64_t x) { return x != 0; });
  }
  return months;
}

// "岗位技能提升培训(初级) upgrading_junior": the Chinese label, if any, and the identifier.
std::vector<std::string> entry_labels(const Dimension& d) {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < d.size(); ++k)
    out.push_back(d.labels_zh.empty() ? d.labels[k] : d.labels_zh[k] + " " + d.labels[k]);
  return out;
}

// Money is shown to the nearest 1,000 yuan (halves away from zero). Persons are counted in
// agents of population.scale persons, so their figures end in as many zeros as the scale has
// (but for percentiles, which interpolate between replicates: the median of an even number is
// halfway between the middle two); money also carries the odd digits of envelopes
// (33,333,333,333 a year), which mean nothing at the precision of a simulation. One rule for
// every money figure of the summary.
std::int64_t money(std::int64_t yuan) { return (yuan >= 0 ? yuan + 500 : yuan - 500) / 1000 * 1000; }

// Programmes (enrolled, turned away and why, months in which seats or money bound) and funds
// (spent, left at the end, in yuan).
std::string training_summary(const Results& r) {
  const Dimension& programmes = r.dimension("programme");
  const Dimension& funds = r.dimension("fund");
  const std::size_t replicates = r.dimension("replicate").size(), times = r.dimension("time").size();
  const std::vector<std::string> programme_labels = entry_labels(programmes);
  Table table("Programmes (totals over the run)", 42);
  table.column("enrolled", 10).column("certified", 12).column("no seat", 10).column("no money", 11);
  table.tail("   months seats/money bound");
  for (std::size_t k = 0; k < programmes.size(); ++k)
    table.row(programme_labels[k],
              {thousands(median_total(r, "enrolments", k)), thousands(median_total(r, "certificates", k)),
               thousands(median_total(r, "turned_away_no_seat", k)),
               thousands(median_total(r, "turned_away_no_money", k))},
              fmt::format("   {} / {}", months_bound(r, "seats_binding", k), months_bound(r, "money_binding", k)));
  std::string out = "\n" + table.text();
  // Apprenticeship places offered by employers (employers.apprentice_places_per_1000): applicants
  // refused for want of a place in their employer's cell, a bound besides seats and money.
  if (r.has_variable("apprenticeship_no_place"))
    for (std::size_t k = 0; k < programmes.size(); ++k)
      if (const std::int64_t refused = median_total(r, "apprenticeship_no_place", k); refused > 0)
        out += fmt::format("  {}: {} refused for want of an apprenticeship place in their employer's cell\n",
                           programme_labels[k], thousands(refused));

  const std::vector<std::string> fund_labels = funds.labels_zh.empty() ? funds.labels : funds.labels_zh;
  Table money_table("Funds", 42);
  money_table.column("spent (yuan)", 18).column("left at end", 18);
  for (std::size_t f = 0; f < funds.size(); ++f) {
    const std::int64_t left = rounded(r, "fund_remaining", Statistic::P50, (times - 1) * funds.size() + f);
    // A fund's outlay: its programmes' spending and, with 以工代训, the subsidies it paid employers.
    const std::int64_t spent =
        median_total(r, "spending", f) +
        (r.has_variable("work_based_training_paid") ? median_total(r, "work_based_training_paid", f) : 0);
    money_table.row(fund_labels[f], {thousands(money(spent)), thousands(money(left))});
  }
  // Co-funding (programmes.employer_share): the employers' part, paid besides the funds'.
  if (r.has_variable("employer_funding"))
    money_table.row("paid by employers (programmes.employer_share)",
                    {thousands(money(median_total(r, "employer_funding", kEveryEntry))), "-"});
  out += money_table.text();
  out += replicates > 1
             ? "(medians over replicates; months bound counted in replicate 0; money to the nearest 1,000 yuan)\n"
             : "(money to the nearest 1,000 yuan)\n";
  return out;
}

// Whether the run has appointment quotas: above 0 at the start or set so by the schedule.
bool has_quotas(const Scenario& scenario) {
  const auto quotas = [](const Parameters& p) {
    return p.skills.principal_technician_quota_per_year > 0 || p.skills.chief_technician_quota_per_year > 0;
  };
  if (quotas(scenario.parameters())) return true;
  for (const auto& [month, changes] : scenario.effective_schedule())
    if (Month{month} < scenario.end() && quotas(scenario.parameters_at(Month{month}))) return true;
  return false;
}

// Appointments of 特级技师 and 首席技师: places filled, and places left for lack of candidates.
std::string appointments_summary(const Results& r) {
  const std::size_t replicates = r.dimension("replicate").size();
  Table table("Appointments (totals over the run)", 42);
  table.column("appointed", 12).column("unfilled", 11);
  for (const Level level : {Level::PrincipalTechnician, Level::ChiefTechnician}) {
    const auto l = static_cast<std::size_t>(level);
    table.row(fmt::format("{} {}", kLevelLabelsZh[l], kLevelIds[l]),
              {thousands(median_total(r, "appointments", l)), thousands(median_total(r, "appointments_unfilled", l))});
  }
  return "\n" + table.text() + (replicates > 1 ? "(medians over replicates; " : "(") +
         "unfilled: quota places with no eligible candidate that month, not carried over)\n";
}

// Evaluators (assessments held, months their capacity bound) and the queue.
std::string evaluation_summary(const Results& r) {
  const Dimension& evaluators = r.dimension("evaluator");
  const std::size_t times = r.dimension("time").size(), regions = r.dimension("region").size();
  const std::vector<std::string> labels = entry_labels(evaluators);
  Table table("Evaluation (totals over the run)", 42);
  table.column("held", 12).column("months bound", 15);
  for (std::size_t e = 0; e < evaluators.size(); ++e)
    table.row(labels[e],
              {thousands(median_total(r, "evaluations", e)), std::to_string(months_bound(r, "evaluation_binding", e))});
  std::int64_t gave_up = 0;
  for (std::size_t g = 0; g < regions; ++g) gave_up += median_total(r, "evaluation_abandoned", g);
  const Variable& queue = r.variable("evaluation_queue");
  std::int64_t waiting = 0; // replicate 0, end of the run
  for (std::size_t g = 0; g < regions; ++g) waiting += queue.data[(times - 1) * regions + g];
  return "\n" + table.text() +
         fmt::format("  waiting at the end: {} (replicate 0); gave up waiting: {}{}\n", thousands(waiting),
                     thousands(gave_up), regions > 1 ? " (sum of regional medians)" : "");
}

// 以工代训 paid to employers: the persons claimed for, the money paid and not paid, and the months
// the subsidy was suspended for lack of money.
std::string work_based_training_summary(const Results& r) {
  const std::size_t replicates = r.dimension("replicate").size();
  std::int64_t suspended = 0; // replicate 0
  const Variable& v = r.variable("work_based_training_suspended");
  for (std::size_t t = 0; t < r.dimension("time").size(); ++t)
    suspended += v.is_real ? (v.real_data[t] > 0 ? 1 : 0) : (v.data[t] > 0 ? 1 : 0);
  return fmt::format("\n以工代训 paid to employers (totals over the run): {} worker-months kept, {} hires; paid {} "
                     "yuan, not paid for lack of money {} yuan; suspended {} months{}\n",
                     thousands(median_total(r, "work_based_training_retained", kEveryEntry)),
                     thousands(median_total(r, "work_based_training_hired", kEveryEntry)),
                     thousands(money(median_total(r, "work_based_training_paid", kEveryEntry))),
                     thousands(money(median_total(r, "work_based_training_unpaid", kEveryEntry))), suspended,
                     replicates > 1 ? " (medians over replicates; months in replicate 0)" : "");
}

// Skills competitions, per tier: entrants, winners, promotions, and places left for lack of
// eligible workers or entrants.
std::string competitions_summary(const Results& r) {
  const Dimension& tiers = r.dimension("tier");
  const std::size_t replicates = r.dimension("replicate").size();
  const std::vector<std::string> labels = entry_labels(tiers);
  Table table("Competitions (totals over the run)", 42);
  table.column("entrants", 12).column("winners", 11).column("promoted", 11).column("places left", 14);
  for (std::size_t k = 0; k < tiers.size(); ++k)
    table.row(labels[k], {thousands(median_total(r, "competition_entrants", k)),
                          thousands(median_total(r, "competition_winners", k)),
                          thousands(median_total(r, "competition_promotions", k)),
                          thousands(median_total(r, "competition_no_entrant", k)) + " / " +
                              thousands(median_total(r, "competition_no_winner", k))});
  return "\n" + table.text() + (replicates > 1 ? "(medians over replicates; " : "(") +
         "places left: entrant / winner places with nobody eligible)\n";
}

// Technical schools, per route: enrolments, plan places left for lack of capacity, graduates,
// dropouts, and the students at the start and the end.
std::string schools_summary(const Results& r) {
  const Dimension& routes = r.dimension("school_route");
  const std::size_t replicates = r.dimension("replicate").size(), times = r.dimension("time").size();
  const std::vector<std::string> labels = entry_labels(routes);
  const Variable& students = r.variable("school_students");
  // Counts in a run, the twin's expectations (is_real) in a projection.
  const std::size_t size = students.is_real ? students.real_data.size() : students.data.size();
  const std::size_t per_time = size / (replicates * times), regions = per_time / routes.size();
  // The median over replicates of a route's students (summed over regions) at time point t.
  const auto students_at = [&](std::size_t k, std::size_t t) {
    std::vector<double> values;
    for (std::size_t rep = 0; rep < replicates; ++rep) {
      double sum = 0;
      for (std::size_t g = 0; g < regions; ++g) {
        const std::size_t at = (rep * times + t) * per_time + k * regions + g;
        sum += students.is_real ? students.real_data[at] : static_cast<double>(students.data[at]);
      }
      values.push_back(sum);
    }
    return std::llround(replicate_statistics(values)[static_cast<std::size_t>(Statistic::P50)]);
  };
  Table table("Technical schools (totals over the run)", 42);
  table.column("enrolled", 12).column("no place", 11).column("graduated", 11).column("dropped out", 13);
  table.tail("   students start -> end");
  for (std::size_t k = 0; k < routes.size(); ++k)
    table.row(labels[k],
              {thousands(median_total(r, "school_enrolments", k)), thousands(median_total(r, "school_no_place", k)),
               thousands(median_total(r, "school_graduates", k)), thousands(median_total(r, "school_dropouts", k))},
              fmt::format("   {} -> {}", thousands(students_at(k, 0)), thousands(students_at(k, times - 1))));
  return "\n" + table.text() + (replicates > 1 ? "(medians over replicates; " : "(") +
         "no place: plan places refused at capacity; students at the start and the end)\n";
}

// Master studios, per region, in the last month: studios open, masters, mentoring places
// (min(studios x places per studio, masters x places per master)) and workers mentored.
std::string studios_summary(const Results& r) {
  const Dimension& regions = r.dimension("region");
  const std::size_t replicates = r.dimension("replicate").size(), times = r.dimension("time").size();
  Table table("Master studios (in the last month)", 42);
  table.column("studios", 12).column("masters", 11).column("places", 11).column("mentored", 11);
  for (std::size_t g = 0; g < regions.size(); ++g) {
    const std::size_t cell = (times - 1) * regions.size() + g;
    table.row(regions.labels[g], {thousands(rounded(r, "studios", Statistic::P50, cell)),
                                  thousands(rounded(r, "studio_masters", Statistic::P50, cell)),
                                  thousands(rounded(r, "mentoring_places", Statistic::P50, cell)),
                                  thousands(rounded(r, "mentored", Statistic::P50, cell))});
  }
  return "\n" + table.text() + (replicates > 1 ? "(medians over replicates; " : "(") +
         "places: min(studios x places per studio, masters x places per master))\n";
}

// Migration between regions, in one line: the moves over the run and each region's net flow
// (moves in less moves out), medians over replicates.
std::string migration_summary(const Results& r) {
  const Dimension& regions = r.dimension("region");
  std::int64_t moves = 0;
  std::string net;
  for (std::size_t k = 0; k < regions.size(); ++k) {
    const std::int64_t in = median_total(r, "migration_in", k), out = median_total(r, "migration_out", k);
    moves += out;
    net += fmt::format("{}{} {}{}", k ? ", " : "", regions.labels[k], in - out >= 0 ? "+" : "", thousands(in - out));
  }
  return fmt::format("\nMigration between regions (totals over the run{}): {} moves; net {}\n",
                     r.dimension("replicate").size() > 1 ? ", medians over replicates" : "", thousands(moves), net);
}

// Employers: posts, filled posts and vacancies by level at the end, appointment places refused
// for want of a post, and the line "unfilled posts at the end of the run", with the wage bill.
// Self-evaluation by employers (企业自主评价), per size class: assessments held with the cells' own
// capacity, and that capacity, over the run.
std::string self_evaluation_summary(const Results& r) {
  const Dimension& sizes = r.dimension("size_class");
  const Variable& held = r.variable("employer_self_evaluations");
  const std::size_t axis =
      static_cast<std::size_t>(std::find(held.dims.begin(), held.dims.end(), "size_class") - held.dims.begin());
  const std::vector<std::string> labels = entry_labels(sizes);
  Table table("Self-evaluation (企业自主评价)", 42);
  table.column("held", 12).column("capacity", 12);
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const std::int64_t capacity = median_total_along(r, "employer_self_capacity", axis, k);
    if (capacity == 0) continue; // a size class below the threshold evaluates nobody
    table.row(labels[k], {thousands(median_total_along(r, "employer_self_evaluations", axis, k)), thousands(capacity)});
  }
  return "\n" + table.text() + (r.dimension("replicate").size() > 1 ? "(medians over replicates; " : "(") +
         "assessments held with employers' own capacity, for their own employees, totals over the run)\n";
}

std::string employers_summary(const Results& r, const Scenario& scenario) {
  const std::size_t replicates = r.dimension("replicate").size(), times = r.dimension("time").size();
  const std::size_t end = (times - 1) * kLevelCount; // the cell of level 0 at the last time point
  Table table("Employers (posts at the end of the run)", 42);
  table.column("posts", 12).column("filled", 12).column("vacant", 12).column("no post", 11);
  for (std::size_t l = 0; l < kLevelCount; ++l) {
    const std::int64_t posts = rounded(r, "employer_posts", Statistic::P50, end + l);
    const std::int64_t no_post = median_total(r, "appointments_no_post", l);
    if (posts == 0 && no_post == 0) continue;
    table.row(fmt::format("{} {}", kLevelLabelsZh[l], kLevelIds[l]),
              {thousands(posts), thousands(rounded(r, "employer_filled_posts", Statistic::P50, end + l)),
               thousands(rounded(r, "employer_vacancies", Statistic::P50, end + l)), thousands(no_post)});
  }
  std::string out = "\n" + table.text() + (replicates > 1 ? "(medians over replicates; " : "(") +
                    "no post: appointment places refused for want of a free post, over the run)\n";
  // Unfilled posts at each target's date (the question a planner asks of a target), else at the end.
  std::vector<Month> dates;
  for (const Target& target : scenario.targets())
    if (std::find(dates.begin(), dates.end(), target.month) == dates.end()) dates.push_back(target.month);
  if (dates.empty()) dates.push_back(scenario.end());
  std::sort(dates.begin(), dates.end());
  for (const Month date : dates) {
    const auto t = static_cast<std::size_t>(date - scenario.start());
    // The median over replicates of the unfilled posts summed over levels.
    std::vector<double> per_replicate;
    const Variable& v = r.variable("employer_vacancies");
    for (std::size_t rep = 0; rep < replicates; ++rep) {
      double sum = 0;
      for (std::size_t l = 0; l < kLevelCount; ++l) {
        const std::size_t k = (rep * times + t) * kLevelCount + l;
        sum += v.is_real ? v.real_data[k] : static_cast<double>(v.data[k]);
      }
      per_replicate.push_back(sum);
    }
    const auto vacant = std::llround(replicate_statistics(per_replicate)[static_cast<std::size_t>(Statistic::P50)]);
    out += fmt::format("  unfilled posts at {}: {} (posts of the level structure with nobody of the level)\n",
                       iso_date(date), thousands(vacant));
  }
  out += fmt::format("  wage bill in the last month: {} yuan\n",
                     thousands(money(rounded(r, "wage_bill", Statistic::P50, times - 1))));
  if (r.has_variable("employer_self_evaluations")) out += self_evaluation_summary(r);
  return out;
}

// Each target: its value, the median attained at its date, the gap, in how many replicates met.
// The rows read as sentences ("target ... attained ..."); each figure column is as wide as its
// widest figure (two spaces at least after its word), the label column as its widest label.
std::string targets_summary(const Results& r, const Scenario& scenario) {
  const std::size_t replicates = r.dimension("replicate").size(), n = scenario.targets().size();
  const Variable& met = r.variable("target_met");
  struct Line {
    std::string label, target, attained, gap;
    std::int64_t met_in;
  };
  std::vector<Line> lines;
  std::size_t label_width = 40, target_width = 12, attained_width = 12;
  for (std::size_t j = 0; j < n; ++j) {
    const Target& target = scenario.targets()[j];
    const bool rate = target_kind(target.series) == TargetKind::Rate;
    const auto text = [&](double v) {
      if (std::isnan(v)) return std::string("n/a");
      return rate ? fmt::format("{:.1f}%", 100 * v) : thousands(std::llround(v));
    };
    const auto gap_text = [&](double gap) {
      if (std::isnan(gap)) return std::string("n/a");
      if (rate) return fmt::format("{:+.1f} points", 100 * gap);
      return (gap >= 0 ? "+" : "") + thousands(std::llround(gap));
    };
    std::int64_t met_in = 0;
    for (std::size_t rep = 0; rep < replicates; ++rep) met_in += met.data[rep * n + j];
    // Over the replicates in which the series is defined (a rate is NaN without trainees).
    const double median = replicate_statistic(r, "target_attained", Statistic::P50, j);
    Line line{target.label, text(target.value), text(median), gap_text(median - target.value), met_in};
    label_width = std::max(label_width, display_width(line.label));
    target_width = std::max(target_width, display_width(line.target) + 1);
    attained_width = std::max(attained_width, display_width(line.attained) + 1);
    lines.push_back(std::move(line));
  }
  // One replicate is one outcome (the twin's is the expectation): met or not, no count.
  const bool twin = is_twin(r);
  const auto met_text = [&](std::int64_t met_in) {
    if (replicates > 1) return fmt::format("met in {}/{}", met_in, replicates);
    if (twin) return std::string(met_in > 0 ? "met by the expectation" : "not met by the expectation");
    return std::string(met_in > 0 ? "met" : "not met");
  };
  std::string out = "\nTargets\n";
  for (const Line& l : lines)
    out += fmt::format("  {:<{}} target {:>{}}  attained {:>{}} ({})  {}\n", l.label, label_width, l.target,
                       target_width, l.attained, attained_width, l.gap, met_text(l.met_in));
  return out;
}

} // namespace

std::string summarize(const Results& results, const Scenario& scenario) {
  const std::size_t times = results.dimension("time").size();
  const std::size_t replicates = results.dimension("replicate").size();
  const Month start = scenario.start();
  // The twin's replicates are its parameter sets' expectations (docs/twin.md).
  const std::string sample =
      is_twin(results) ? (replicates > 1 ? fmt::format("the expectation under each of {} replicates' parameter sets "
                                                       "(no sampling, no seed)",
                                                       replicates)
                                         : std::string("the expectation (no replicates, no seed)"))
                       : fmt::format("{} {}, seed {}", replicates, replicates == 1 ? "replicate" : "replicates",
                                     results.metadata.seed);
  std::string out = fmt::format("Scenario {} ({}): {} months from {}, {}\n\n", scenario.parameters().scenario.name,
                                scenario.source_name(), scenario.parameters().scenario.months, iso_date(start), sample);

  // Percentiles over one replicate (or over the twin's single expectation) say nothing.
  const bool spread = replicates > 1;
  Table stocks("", 32, 0);
  stocks.column(iso_date(start), 14).column(iso_date(scenario.end()), 14).column("change", 14);
  if (spread) stocks.tail("   p5 - p95 at end");
  const std::pair<const char*, const char*> rows[] = {{"skilled_workers", "skilled workers (初级工+)"},
                                                      {"high_skilled_workers", "high-skilled (高级工+)"}};
  for (const auto& [name, label] : rows) {
    const std::int64_t first = rounded(results, name, Statistic::P50, 0);
    const std::int64_t last = rounded(results, name, Statistic::P50, times - 1);
    const std::int64_t change = last - first;
    stocks.row(label, {thousands(first), thousands(last), (change >= 0 ? "+" : "") + thousands(change)},
               spread ? fmt::format("   {} - {}", thousands(rounded(results, name, Statistic::P5, times - 1)),
                                    thousands(rounded(results, name, Statistic::P95, times - 1)))
                      : std::string());
  }
  out += stocks.text();
  if (replicates > 1)
    out += is_twin(results) ? "(medians over replicates, each the expectation under its parameter set; p5 - p95: 5th "
                              "and 95th percentiles over them: parameter uncertainty alone)\n"
                            : "(medians over replicates; p5 - p95: 5th and 95th percentiles over replicates)\n";

  if (results.has_variable("enrolments")) out += training_summary(results);
  if (results.has_variable("evaluations")) out += evaluation_summary(results);
  if (results.has_variable("appointments") && has_quotas(scenario)) out += appointments_summary(results);
  if (results.has_variable("competition_entrants")) out += competitions_summary(results);
  if (results.has_variable("school_students")) out += schools_summary(results);
  if (results.has_variable("studios")) out += studios_summary(results);
  if (results.has_variable("migrations")) out += migration_summary(results);
  if (results.has_variable("employer_posts")) out += employers_summary(results, scenario);
  if (results.has_variable("work_based_training_paid")) out += work_based_training_summary(results);

  if (results.has_variable("target_attained")) out += targets_summary(results, scenario);
  return out;
}

} // namespace skillsim::cli
