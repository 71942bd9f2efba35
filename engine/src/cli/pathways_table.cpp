#include "pathways_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "skillsim/core/dates.hpp"
#include "text.hpp"

namespace skillsim::cli {

namespace {

std::string_view zh(int level) { return kLevelLabelsZh[static_cast<std::size_t>(level)]; }

std::string_view kind_id(RouteKind kind) {
  switch (kind) {
  case RouteKind::Assessment:
    return "assessment";
  case RouteKind::Programme:
    return "programme";
  case RouteKind::Diploma:
    return "diploma";
  case RouteKind::Appointment:
    return "appointment";
  case RouteKind::Competition:
    return "competition";
  }
  return "";
}

// A chance as a whole percentage, never rounded to a certainty it is not.
std::string percent(double chance) {
  if (chance >= 1) return "100%";
  if (chance > 0.995) return ">99%";
  if (chance <= 0) return "0%";
  if (chance < 0.005) return "<1%";
  return fmt::format("{:.0f}%", 100 * chance);
}

std::string status_text(Status typical) {
  const int s = static_cast<int>(typical);
  if (s < 0 || s >= kStatusCount) return "of unknown status";
  return fmt::format("{} ({})", kStatusIds[static_cast<std::size_t>(s)], kStatusLabelsZh[static_cast<std::size_t>(s)]);
}

// "特级技师 and 首席技师", "技师".
std::string level_list(const std::vector<int>& levels) {
  std::string out;
  for (std::size_t i = 0; i < levels.size(); ++i)
    out += std::string(i == 0 ? "" : i + 1 == levels.size() ? " and " : ", ") + std::string(zh(levels[i]));
  return out;
}

// One closed way up, in words, naming the parameter that closes it.
std::string reason(const Blocker& b, int level, const PathwayReport& report) {
  switch (b.closure) {
  case Closure::NoAssessment:
    return b.key + " is 0 (no assessment)";
  case Closure::NoPass:
    return b.key + " is 0 (nobody passes)";
  case Closure::StatusNeverSits:
    return fmt::format("{} is 0 (a worker who is {} never sits)", b.key, status_text(report.typical));
  case Closure::NeedsEmployment:
    return b.kind == RouteKind::Appointment ? "appointments are for the employed only"
                                            : "an apprenticeship needs an employer";
  case Closure::NoEvaluator:
    return fmt::format("no evaluator with capacity assesses a worker who is {} up to {} (evaluation.max_level, "
                       "eligible_statuses, capacity_per_month)",
                       status_text(report.typical), zh(level));
  case Closure::NoProgramme:
    return fmt::format("no programme has target_level {}", level);
  case Closure::ProgrammesClosed: {
    std::string names;
    for (const std::string& n : b.programmes) names += (names.empty() ? "" : ", ") + n;
    return fmt::format("the programmes that lead to it ({}) are closed to this worker (status, groups, rates or "
                       "evaluator)",
                       names);
  }
  case Closure::QuotaZero:
    return b.key + " is 0";
  case Closure::OnlyFrom: {
    std::vector<int> below, unreachable;
    for (int l : b.levels) (l < report.from_level ? below : unreachable).push_back(l);
    std::string out = "its open routes start only at ";
    if (!unreachable.empty()) out += level_list(unreachable) + ", out of reach";
    if (!below.empty()) out += (unreachable.empty() ? "" : ", or at ") + level_list(below) + ", below the start level";
    return out;
  }
  }
  return "";
}

} // namespace

Month pathway_month(const Scenario& scenario, const std::string& date) {
  bool shaped = date.size() == 10;
  for (std::size_t i = 0; shaped && i < date.size(); ++i)
    shaped = i == 4 || i == 7 ? date[i] == '-' : std::isdigit(static_cast<unsigned char>(date[i])) != 0;
  const auto number = [&date](std::size_t at, std::size_t n) { return std::stoi(date.substr(at, n)); };
  const int year = shaped ? number(0, 4) : 0, month = shaped ? number(5, 2) : 0, day = shaped ? number(8, 2) : 0;
  if (!shaped || month < 1 || month > 12 || day < 1 || day > 31)
    throw std::invalid_argument("expects a date YYYY-MM-DD, got '" + date + "'");
  if (day != 1) throw std::invalid_argument("dates must be the first day of a month, got " + date);
  const Month m = Month::of(year, month);
  if (m < scenario.start() || m >= scenario.end())
    throw std::invalid_argument(fmt::format("{} is not a month of the run ({} to {})", date, iso_date(scenario.start()),
                                            iso_date(scenario.end() + -1)));
  return m;
}

// Columns are padded by fmt to display widths, so the Chinese labels line up.
std::string format_pathway_report(const PathwayReport& report) {
  const auto from = static_cast<std::size_t>(report.from_level);
  std::string out = fmt::format("Fastest routes from {} ({}) for a typical worker who is {}", kLevelLabelsZh[from],
                                kLevelIds[from], status_text(report.typical));
  out += report.at ? fmt::format(", under the parameters in force on {}.\n", iso_date(*report.at)) : ".\n";
  out += "Months add up the expected time of each step: a planning figure, not the mean of a simulation\n"
         "(no waiting for seats, money, evaluation or quota places; no job loss or exits).\n";
  if (report.assessment_trend)
    out += fmt::format("Assessment rates follow skills.assessment_rate_trend: these are those of {}, held constant.\n",
                       iso_date(report.rates_month));
  out += "\n";
  const int working_years = kWorkingLifeMonths / 12;
  out += fmt::format("level                    label      months   years {:>8}  route\n",
                     fmt::format("in {} y", working_years));
  bool beyond = false, unreachable = false;
  for (int level = 0; level < kLevelCount; ++level) {
    const LevelPathway& row = report.levels[static_cast<std::size_t>(level)];
    out +=
        fmt::format("{:<25}{:<8}", fmt::format("{} {}", level, kLevelIds[static_cast<std::size_t>(level)]), zh(level));
    if (!row.expected_months) {
      const bool below = level < report.from_level;
      unreachable = unreachable || !below;
      out += fmt::format("{:>9}{:>8} {:>8}  {}\n", "-", "-", "-", below ? "below the start level" : "unreachable");
      continue;
    }
    // A "*" after the years marks an expected time beyond a working life.
    beyond = beyond || row.beyond_working_life();
    out += fmt::format("{:>9.1f}{:>8.1f}{:1}{:>8}  ", *row.expected_months, *row.expected_months / 12,
                       row.beyond_working_life() ? "*" : "", percent(row.within_working_life.value_or(0)));
    if (row.route.empty()) {
      out += "(start)\n";
      continue;
    }
    out += zh(row.route.front().from);
    for (const Route& r : row.route) out += fmt::format(" -({})-> {}", r.label, zh(r.to));
    out += "\n";
  }
  if (beyond)
    out +=
        fmt::format("\n* expected beyond a working life ({} years). A step with a small chance a month has a long\n"
                    "  mean wait (1 / chance months), yet many get there sooner; \"in {} y\" is the chance of\n"
                    "  getting there along the route within {} years if nothing else happened. See docs/pathways.md.\n",
                    working_years, working_years, working_years);

  if (unreachable) {
    out += "\nUnreachable levels, and why (every way up that is closed, and what closes it):\n";
    for (int level = report.from_level + 1; level < kLevelCount; ++level) {
      const LevelPathway& row = report.levels[static_cast<std::size_t>(level)];
      if (row.expected_months) continue;
      std::string reasons;
      for (const Blocker& b : row.blocked) reasons += (reasons.empty() ? "" : "; ") + reason(b, level, report);
      out += fmt::format("  {}: unreachable{}{}", zh(level), report.at ? " at " + iso_date(*report.at) : "",
                         reasons.empty() ? "" : " (" + reasons + ")");
      if (row.reachable_from)
        out += fmt::format("; reachable from {} with --at {}", iso_date(*row.reachable_from),
                           iso_date(*row.reachable_from));
      out += "\n";
    }
  }

  out += "\nRoutes considered (expected months of each step):\n";
  std::size_t label_width = 0;
  for (const Route& r : report.routes) label_width = std::max(label_width, display_width(r.label));
  for (const Route& r : report.routes)
    out += fmt::format("  {:<8} -> {:<8}  {:<11}  {:<{}}{:>9.1f}\n", zh(r.from), zh(r.to), kind_id(r.kind), r.label,
                       label_width, r.expected_months);
  if (report.routes.empty()) out += "  (none)\n";
  return out;
}
} // namespace skillsim::cli
