#include "pathways_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

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
  }
  return "";
}

} // namespace

// Columns are padded by fmt to display widths, so the Chinese labels line up.
std::string format_pathway_report(const PathwayReport& report) {
  const int s = static_cast<int>(report.typical);
  const auto from = static_cast<std::size_t>(report.from_level);
  const std::string status = s >= 0 && s < kStatusCount
                                 ? fmt::format("{} ({})", kStatusIds[static_cast<std::size_t>(s)],
                                               kStatusLabelsZh[static_cast<std::size_t>(s)])
                                 : std::string("of unknown status");
  std::string out = fmt::format("Fastest routes from {} ({}) for a typical worker who is {}.\n", kLevelLabelsZh[from],
                                kLevelIds[from], status);
  out += "Months add up the expected time of each step: a planning figure, not the mean of a simulation\n"
         "(no waiting for seats, money, evaluation or quota places; no job loss or exits).\n\n";
  out += "level                    label      months   years  route\n";
  for (int level = 0; level < kLevelCount; ++level) {
    const LevelPathway& row = report.levels[static_cast<std::size_t>(level)];
    out +=
        fmt::format("{:<25}{:<8}", fmt::format("{} {}", level, kLevelIds[static_cast<std::size_t>(level)]), zh(level));
    if (!row.expected_months) {
      out += fmt::format("{:>9}{:>8}  {}\n", "-", "-",
                         level < report.from_level ? "below the start level" : "unreachable");
      continue;
    }
    out += fmt::format("{:>9.1f}{:>8.1f}  ", *row.expected_months, *row.expected_months / 12);
    if (row.route.empty()) {
      out += "(start)\n";
      continue;
    }
    out += zh(row.route.front().from);
    for (const Route& r : row.route) out += fmt::format(" -({})-> {}", r.label, zh(r.to));
    out += "\n";
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
