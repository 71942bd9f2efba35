// Published statistics: the shipped file loads, every class of problem in a data file is
// reported at its place with what is wrong (all at once), and the cut-off keeps later outcomes
// out of a fit.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "skillsim/io/observations.hpp"

namespace skillsim::io {
namespace {

const std::string kHeader = "kind,indicator,year,value,unit,qualifier,quality,source,note\n";

// The problems of `body` (after the header) as "file:line:column: key: message" lines.
std::vector<std::string> problems(const std::string& body) {
  try {
    parse_observations(kHeader + body, "stats.csv");
  } catch (const DataError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.to_string());
    return out;
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// The shipped data

TEST(Observations, TheShippedFileLoadsWithoutProblems) {
  const auto rows = load_observations(std::string(SKILLSIM_SOURCE_DIR) + "/data/national_statistics.csv");
  ASSERT_GT(rows.size(), 50u);
  std::set<std::string> indicators;
  for (const auto& r : rows) {
    indicators.insert(r.indicator);
    EXPECT_FALSE(r.source.empty()) << r.indicator << " " << r.year;
    const IndicatorSpec* spec = find_indicator(r.indicator);
    ASSERT_NE(spec, nullptr) << r.indicator;
    EXPECT_EQ(r.unit, spec->unit) << r.indicator;
  }
  for (const char* needed :
       {"skilled_workers", "high_skilled_workers", "certification_participants", "certified", "subsidized_training",
        "technical_school_enrollment", "technical_school_students", "technical_school_graduates"})
    EXPECT_TRUE(indicators.count(needed)) << needed;
}

TEST(Observations, TheCatalogueHasUniqueNamesAndPublishedUnits) {
  std::set<std::string_view> names;
  for (const auto& spec : indicator_catalogue()) {
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
    EXPECT_FALSE(spec.unit.empty()) << spec.name;
    // Training and certification counts say whether they are persons or person-times.
    if (spec.unit.starts_with("10k")) {
      EXPECT_TRUE(spec.unit == "10k persons" || spec.unit == "10k person-times" || spec.unit == "10k yuan")
          << spec.name;
    }
  }
  EXPECT_EQ(find_indicator("certified")->unit, "10k person-times");
  EXPECT_EQ(find_indicator("skilled_workers")->unit, "10k persons");
  EXPECT_EQ(find_indicator("nonsense"), nullptr);
}

TEST(Observations, ARowIsReadIntoTypedFields) {
  const auto rows =
      parse_observations(kHeader + "stock,skilled_workers,2021,20000,10k persons,lower bound,official,"
                                   "m.cyol.com/x,\"over 200M, 26% of the employed\"\n"
                                   "flow,certified,2016,1446,10k person-times,exact,news,www.qfhy.com.cn/news/"
                                   "11209.html,\n",
                         "stats.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].kind, IndicatorKind::stock);
  EXPECT_EQ(rows[0].indicator, "skilled_workers");
  EXPECT_EQ(rows[0].year, 2021);
  EXPECT_DOUBLE_EQ(rows[0].value, 20000);
  EXPECT_EQ(rows[0].qualifier, Qualifier::lower_bound);
  EXPECT_EQ(rows[0].quality, "official");
  EXPECT_EQ(rows[0].note, "over 200M, 26% of the employed");
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[1].qualifier, Qualifier::exact);
  EXPECT_EQ(rows[1].unit, "10k person-times");
  EXPECT_EQ(rows[1].line, 3);
}

// ---------------------------------------------------------------------------------------------
// Quoted fields

TEST(ObservationMessages, QuotedFieldsHoldCommasQuotesAndNewlines) {
  const auto rows = parse_observations(kHeader + "stock,technical_schools,2016,2526,count,exact,news,a.cn/1,"
                                                 "\"2526 schools, \"\"technician colleges\"\" included\nsecond line\"\n"
                                                 "stock,technical_schools,2017,2490,count,exact,news,a.cn/2,\n",
                                       "stats.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].note, "2526 schools, \"technician colleges\" included\nsecond line");
  EXPECT_EQ(rows[1].line, 4); // the quoted newline counts
}

TEST(ObservationMessages, AnUnclosedQuoteIsReportedWhereItOpens) {
  EXPECT_EQ(problems("stock,technical_schools,2016,2526,count,exact,news,a.cn/1,\"no end\n"),
            std::vector<std::string>{
                "stats.csv:2:59: a quoted field is not closed: a '\"' is missing before the end of the file"});
}

// ---------------------------------------------------------------------------------------------
// Each class of problem, with its place and message

TEST(ObservationMessages, UnknownIndicatorSuggestsTheNearestName) {
  EXPECT_EQ(problems("stock,skiled_workers,2015,16700,10k persons,approx,news,a.cn,\n"),
            std::vector<std::string>{
                "stats.csv:2:7: indicator: unknown indicator 'skiled_workers'; did you mean 'skilled_workers'?"});
  const auto far = problems("stock,population_of_mars,2015,1,10k persons,approx,news,a.cn,\n");
  ASSERT_EQ(far.size(), 1u);
  EXPECT_NE(far[0].find("unknown indicator 'population_of_mars'; the known indicators are in the catalogue"),
            std::string::npos)
      << far[0];
}

TEST(ObservationMessages, AUnitOtherThanTheIndicatorsIsMixedUnits) {
  EXPECT_EQ(problems("flow,certified,2016,1446,10k persons,exact,news,a.cn,\n"),
            std::vector<std::string>{"stats.csv:2:26: unit: 'certified' is in '10k person-times', got '10k persons' "
                                     "(mixed units: convert the figure, or use another indicator)"});
}

TEST(ObservationMessages, AKindOtherThanTheIndicatorsIsReported) {
  EXPECT_EQ(problems("stock,certified,2016,1446,10k person-times,exact,news,a.cn,\n"),
            std::vector<std::string>{"stats.csv:2:1: kind: 'certified' is a flow, got 'stock'"});
  EXPECT_EQ(problems("count,certified,2016,1446,10k person-times,exact,news,a.cn,\n"),
            std::vector<std::string>{
                "stats.csv:2:1: kind: unknown kind 'count'; allowed: 'stock', 'flow', 'structure', 'policy'"});
}

TEST(ObservationMessages, ADuplicateNamesTheFirstRow) {
  EXPECT_EQ(problems("stock,skilled_workers,2015,16700,10k persons,approx,news,a.cn,\n"
                     "stock,high_skilled_workers,2015,4501,10k persons,exact,official,b.cn,\n"
                     "stock,skilled_workers,2015,16500,10k persons,approx,news,c.cn,\n"),
            std::vector<std::string>{"stats.csv:4:7: indicator: duplicate: 'skilled_workers' for 2015 is already on "
                                     "line 2 (keep one row per indicator and year; put the other figure in the note)"});
}

TEST(ObservationMessages, AMissingOrNonNumericYearOrValue) {
  EXPECT_EQ(problems("stock,skilled_workers,,16700,10k persons,approx,news,a.cn,\n"),
            std::vector<std::string>{"stats.csv:2:23: year: missing"});
  EXPECT_EQ(
      problems("stock,skilled_workers,2015.5,16700,10k persons,approx,news,a.cn,\n"),
      std::vector<std::string>{"stats.csv:2:23: year: must be a year (a whole number such as 2016), got '2015.5'"});
  EXPECT_EQ(problems("stock,skilled_workers,2015,,10k persons,approx,news,a.cn,\n"),
            std::vector<std::string>{"stats.csv:2:28: value: missing"});
  EXPECT_EQ(problems("stock,skilled_workers,2015,\"16,700\",10k persons,approx,news,a.cn,\n"),
            std::vector<std::string>{"stats.csv:2:28: value: must be a number (a plain decimal, no thousands "
                                     "separators or units), got '16,700'"});
}

TEST(ObservationMessages, AnUnknownQualifierListsTheAllowedOnes) {
  EXPECT_EQ(problems("stock,skilled_workers,2015,16700,10k persons,about,news,a.cn,\n"),
            std::vector<std::string>{"stats.csv:2:46: qualifier: unknown qualifier 'about'; allowed: 'exact', "
                                     "'approx', 'lower bound', 'upper bound', 'target', 'cap'"});
}

TEST(ObservationMessages, AWrongNumberOfFieldsSaysWhichAndWhy) {
  EXPECT_EQ(problems("stock,skilled_workers,2015,16700,10k persons,approx,news,a.cn,over 160M, or so\n"),
            std::vector<std::string>{"stats.csv:2:1: expected 9 fields ('kind', 'indicator', 'year', 'value', "
                                     "'unit', 'qualifier', 'quality', 'source', 'note'), got 10; a field holding a "
                                     "comma must be in double quotes"});
}

TEST(ObservationMessages, AWrongHeaderIsReported) {
  try {
    parse_observations("indicator,year,value\nskilled_workers,2015,16700\n", "stats.csv");
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_NE(e.diagnostics()[0].to_string().find("stats.csv:1:1: the header must be the columns 'kind', "),
              std::string::npos);
  }
}

TEST(ObservationMessages, EveryProblemIsReportedAtOnce) {
  try {
    parse_observations(kHeader + "stock,skiled_workers,2015,16700,10k persons,approx,news,a.cn,\n"
                                 "flow,certified,2016,1446,10k persons,exact,news,a.cn,\n"
                                 "flow,certified,20x6,1446,10k person-times,roughly,blog,,\n",
                       "stats.csv");
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(e.diagnostics().size(), 6u);
    const std::string what = e.what();
    EXPECT_EQ(what.substr(0, what.find('\n')), "invalid data: 6 problems in stats.csv");
    EXPECT_NE(what.find("\n  stats.csv:4:16: year: must be a year"), std::string::npos) << what;
    EXPECT_NE(what.find("quality: unknown quality 'blog'; allowed: 'official', 'news', 'secondary'"), std::string::npos)
        << what;
    EXPECT_NE(what.find("source: missing"), std::string::npos) << what;
  }
}

TEST(ObservationMessages, AFileThatCannotBeReadSaysSo) {
  try {
    load_observations("/nonexistent/stats.csv");
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(e.diagnostics().at(0).to_string(), "/nonexistent/stats.csv: cannot read the file (does it exist?)");
  }
}

// ---------------------------------------------------------------------------------------------
// The cut-off

TEST(ObservationCutoff, KeepsOnlyYearsUpToTheCutoffAndPolicyInputsMayComeLater) {
  const auto rows =
      parse_observations(kHeader + "stock,high_skilled_workers,2015,4501,10k persons,exact,official,a,\n"
                                   "stock,high_skilled_workers,2016,4791,10k persons,exact,news,b,\n"
                                   "stock,high_skilled_workers,2021,6000,10k persons,lower bound,news,c,\n"
                                   "policy,skills_upgrading_action_fund,2019,10000000,10k yuan,exact,"
                                   "official,d,\n"
                                   "flow,subsidized_training,2021,3218.4,10k person-times,exact,"
                                   "secondary,e,\n",
                         "stats.csv");
  const auto upto = observations_up_to(rows, 2016);
  ASSERT_EQ(upto.size(), 2u);
  EXPECT_EQ(upto[0].year, 2015);
  EXPECT_EQ(upto[1].year, 2016);
  EXPECT_TRUE(observations_up_to(rows, 2014).empty());
  EXPECT_EQ(observations_up_to(rows, 2030).size(), rows.size());
  const auto later = policy_inputs_after(rows, 2016);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].indicator, "skills_upgrading_action_fund");
  EXPECT_EQ(later[1].indicator, "subsidized_training");
}

TEST(ObservationCutoff, TheShippedFileHasLaterPointsForABacktestFrom2016) {
  const auto rows = load_observations(std::string(SKILLSIM_SOURCE_DIR) + "/data/national_statistics.csv");
  const auto upto = observations_up_to(rows, 2016);
  for (const auto& r : upto) EXPECT_LE(r.year, 2016);
  int later_outcomes = 0;
  for (const auto& r : rows)
    if (r.year > 2016 && find_indicator(r.indicator)->role == IndicatorRole::observation) ++later_outcomes;
  EXPECT_GE(later_outcomes, 3);
}

} // namespace
} // namespace skillsim::io
