// The command line's text: display widths (汉字 take two columns), the summary's tables and the
// pathways table, whose columns must line up on a terminal whatever the labels and figures.
#include <gtest/gtest.h>

#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "pathways_table.hpp"
#include "skillsim/io/scenario_toml.hpp"
#include "text.hpp"

using namespace skillsim;
using cli::display_width;

namespace {

std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    if (line.starts_with(prefix)) out.push_back(line);
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

Route route(RouteKind kind, int from, int to, std::string label, double months) {
  Route r;
  r.kind = kind;
  r.from = from;
  r.to = to;
  r.label = std::move(label);
  r.expected_months = months;
  return r;
}

// From `from_level`: level 5 in 84 months through a programme (from 无证), level 6 beyond a
// working life, the levels between without a route, 特级技师 closed by its quota until a
// scheduled month and 首席技师 behind it, a route with a Chinese label among the routes considered.
PathwayReport report(int from_level) {
  PathwayReport r;
  r.from_level = from_level;
  r.at = Month::of(2020, 1);
  const std::vector<Route> to_technician = {route(RouteKind::Assessment, 0, 1, "apprenticeship", 12),
                                            route(RouteKind::Assessment, 1, 2, "assessment", 52),
                                            route(RouteKind::Programme, 2, 5, "upgrading", 20)};
  r.levels[static_cast<std::size_t>(from_level)].expected_months = 0;
  r.levels[static_cast<std::size_t>(from_level)].within_working_life = 1;
  if (from_level == 0) {
    r.levels[5].expected_months = 84.0;
    r.levels[5].route = to_technician;
    r.levels[5].within_working_life = 0.9;
    r.levels[6].expected_months = 600.0;
    r.levels[6].route = {route(RouteKind::Assessment, 0, 6, "assessment", 600)};
    r.levels[6].within_working_life = 0.6;
  }
  Blocker quota;
  quota.closure = Closure::QuotaZero;
  quota.kind = RouteKind::Appointment;
  quota.key = "skills.principal_technician_quota_per_year";
  r.levels[7].blocked = {quota};
  r.levels[7].reachable_from = Month::of(2022, 1);
  Blocker behind;
  behind.closure = Closure::OnlyFrom;
  behind.kind = RouteKind::Appointment;
  behind.levels = {7};
  r.levels[8].blocked = {behind};
  r.routes = to_technician;
  r.routes.push_back(route(RouteKind::Programme, 3, 4, "高级工培训", 7.5));
  r.routes.push_back(route(RouteKind::Diploma, 0, 3, "technical-school diploma", 36));
  return r;
}

// The defaults over 2020-2021.
Scenario test_scenario() {
  Parameters p = io::default_parameters();
  p.scenario.start = Month::of(2020, 1);
  p.scenario.months = 24;
  return Scenario::make(p, {}, {});
}

} // namespace

TEST(DisplayWidth, CountsWideCharactersTwice) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("技师"), 4u);
  EXPECT_EQ(display_width("岗位技能提升培训(初级) upgrading_junior"), 16u + 6u + 1u + 16u);
  EXPECT_EQ(display_width("（全角）"), 8u);    // fullwidth parentheses are wide too
  EXPECT_EQ(display_width("é–·"), 3u);         // two-byte and three-byte characters that are narrow
  EXPECT_EQ(display_width("就业率 30%"), 10u); // 3 wide, 4 narrow
}

TEST(Table, KeepsItsUsualWidthsWhenEverythingFits) {
  cli::Table t("Funds", 12);
  t.column("spent", 10).column("left", 8).tail("   note");
  t.row("专账", {"1,000", "0"}, "   a");
  EXPECT_EQ(t.text(), "Funds              spent    left   note\n"
                      "  专账             1,000       0   a\n");
}

TEST(Table, ColumnsWidenToTheirWidestCellWithTwoSpacesBefore) {
  cli::Table t("Programmes", 6);
  t.column("enrolled", 10).column("no seat", 9);
  t.row("短", {"10,714,000", "1,679,000"});
  t.row("一个很长的名字 long", {"0", "17,259,000"});
  // Labels: 一个很长的名字 long is 19 columns wide; figures: 10 + 2 and 10 + 2.
  EXPECT_EQ(t.text(), "Programmes               enrolled     no seat\n"
                      "  短                   10,714,000   1,679,000\n"
                      "  一个很长的名字 long           0  17,259,000\n");
  // Every line ends at the same display column.
  const auto lines = lines_starting(t.text(), "");
  for (const std::string& line : lines) EXPECT_EQ(display_width(line), display_width(lines[0])) << line;
}

TEST(Table, TitleWiderThanTheLabelsWidensTheLabelColumn) {
  cli::Table t("Stocks and flows", 4, 0);
  t.column("n", 3);
  t.row("a", {"1"});
  EXPECT_EQ(t.text(), "Stocks and flows  n\n"
                      "a                 1\n");
  EXPECT_THROW(t.row("b", {"1", "2"}), std::invalid_argument);
}

TEST(PathwaysTable, ShowsMonthsYearsAndRoutes) {
  const std::string text = cli::format_pathway_report(report(0));
  EXPECT_NE(text.find("Fastest routes from 无证 (none) for a typical worker who is employed (就业), under the "
                      "parameters in force on 2020-01-01.\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("level                    label      months   years  in 45 y  route\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("0 none                   无证          0.0     0.0     100%  (start)\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("5 technician             技师         84.0     7.0      90%  "
                      "无证 -(apprenticeship)-> 学徒工 -(assessment)-> 初级工 -(upgrading)-> 技师\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("7 principal_technician   特级技师        -       -        -  unreachable\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  初级工   -> 技师      programme    upgrading                    20.0\n"), std::string::npos)
      << text;

  const std::string from_senior = cli::format_pathway_report(report(4));
  EXPECT_NE(from_senior.find("3 intermediate           中级工          -       -        -  below the start level\n"),
            std::string::npos)
      << from_senior;
}

TEST(PathwaysTable, MarksTimesBeyondAWorkingLife) {
  const std::string text = cli::format_pathway_report(report(0));
  EXPECT_NE(text.find("6 senior_technician      高级技师    600.0    50.0*     60%  无证 -(assessment)-> 高级技师\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n* expected beyond a working life (45 years)."), std::string::npos) << text;
  EXPECT_NE(text.find("\"in 45 y\" is the chance of"), std::string::npos) << text;
  // Without such a level, no mark and no note.
  PathwayReport quick = report(0);
  quick.levels[6] = {};
  EXPECT_EQ(cli::format_pathway_report(quick).find("working life"), std::string::npos);
}

TEST(PathwaysTable, SaysWhyALevelIsUnreachableAndFromWhenItOpens) {
  const std::string text = cli::format_pathway_report(report(0));
  EXPECT_NE(text.find("\n  特级技师: unreachable at 2020-01-01 (skills.principal_technician_quota_per_year is 0); "
                      "reachable from 2022-01-01 with --at 2022-01-01\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("\n  首席技师: unreachable at 2020-01-01 (its open routes start only at 特级技师, out of reach)\n"),
      std::string::npos)
      << text;
  // Levels reached, or below the start, have no line; without a date, none is named.
  EXPECT_EQ(text.find("  技师: unreachable"), std::string::npos) << text;
  PathwayReport undated = report(4);
  undated.at.reset();
  const std::string from_senior = cli::format_pathway_report(undated);
  EXPECT_NE(from_senior.find("\n  特级技师: unreachable (skills.principal_technician_quota_per_year is 0)"),
            std::string::npos)
      << from_senior;
  EXPECT_EQ(from_senior.find("中级工: unreachable"), std::string::npos) << from_senior;
}

TEST(PathwaysTable, DatesForAt) {
  const Scenario s = test_scenario();
  EXPECT_EQ(cli::pathway_month(s, "2021-06-01"), Month::of(2021, 6));
  EXPECT_EQ(cli::pathway_month(s, "2020-01-01"), Month::of(2020, 1));
  const auto problem = [&s](const std::string& date) {
    try {
      cli::pathway_month(s, date);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(problem("2021-06-15"), "dates must be the first day of a month, got 2021-06-15");
  EXPECT_EQ(problem("2022-01-01"), "2022-01-01 is not a month of the run (2020-01-01 to 2021-12-01)");
  EXPECT_EQ(problem("2019-12-01"), "2019-12-01 is not a month of the run (2020-01-01 to 2021-12-01)");
  EXPECT_EQ(problem("2021-13-01"), "expects a date YYYY-MM-DD, got '2021-13-01'");
  EXPECT_EQ(problem("soon"), "expects a date YYYY-MM-DD, got 'soon'");
  EXPECT_EQ(problem("+202-01-01"), "expects a date YYYY-MM-DD, got '+202-01-01'");
}

TEST(PathwaysTable, ColumnsLineUpWithChineseLabels) {
  const std::string text = cli::format_pathway_report(report(0));
  // Each level row: the last column before the route ("100%", "90%" or "-", then two spaces and
  // the route) ends at display column 25 + 8 + 9 + 8 + 1 + 8 = 59, a "*" after the years or not.
  int level_rows = 0;
  for (const std::string& line : lines_starting(text, "")) {
    if (line.empty() || line[0] < '0' || line[0] > '8' || line[1] != ' ') continue;
    ++level_rows;
    std::size_t end = 0;
    for (std::size_t i = 1; i + 3 < line.size() && end == 0; ++i)
      if ((line[i] == '%' || line[i] == '-') && line.compare(i + 1, 2, "  ") == 0 && line[i + 3] != ' ') end = i + 1;
    EXPECT_EQ(display_width(line.substr(0, end)), 59u) << line;
  }
  EXPECT_EQ(level_rows, 9);
  // Each route considered: the months end at the same column, whatever the label's script.
  const std::string considered = text.substr(text.find("Routes considered"));
  const auto routes = lines_starting(considered, "  ");
  ASSERT_EQ(routes.size(), 5u) << text;
  for (const std::string& line : routes) EXPECT_EQ(display_width(line), display_width(routes[0])) << line;
}
