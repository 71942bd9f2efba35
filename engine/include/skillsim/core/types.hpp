// Basic vocabulary of the model: the skill ladder, employment statuses, policy groups,
// sectors, sexes and calendar months. Every enum has English identifiers (used as keys and
// netCDF coordinate values) and, where users read them, Chinese labels.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace skillsim {

/// Skill level 0..8 on the new eight-level ladder (新八级工), with 0 = no certificate.
enum class Level : std::uint8_t {
  None = 0,            // 无证
  Apprentice,          // 学徒工
  Junior,              // 初级工 (五级)
  Intermediate,        // 中级工 (四级)
  Senior,              // 高级工 (三级)
  Technician,          // 技师 (二级)
  SeniorTechnician,    // 高级技师 (一级)
  PrincipalTechnician, // 特级技师
  ChiefTechnician,     // 首席技师
};
inline constexpr int kLevelCount = 9;
inline constexpr int kFirstSkilledLevel = 2;     // 初级工 and above are 技能劳动者
inline constexpr int kFirstHighSkilledLevel = 4; // 高级工 and above are 高技能人才
inline constexpr std::array<std::string_view, kLevelCount> kLevelIds = {"none",
                                                                        "apprentice",
                                                                        "junior",
                                                                        "intermediate",
                                                                        "senior",
                                                                        "technician",
                                                                        "senior_technician",
                                                                        "principal_technician",
                                                                        "chief_technician"};
inline constexpr std::array<std::string_view, kLevelCount> kLevelLabelsZh = {
    "无证", "学徒工", "初级工", "中级工", "高级工", "技师", "高级技师", "特级技师", "首席技师"};

/// Employment status. `Removed` is internal (a dead agent awaiting compaction) and never
/// appears in results.
enum class Status : std::uint8_t {
  Student = 0,
  Employed,
  Unemployed,
  Inactive,
  InTraining, // full-time training
  Retired,
  Removed = 255,
};
inline constexpr int kStatusCount = 6;
inline constexpr std::array<std::string_view, kStatusCount> kStatusIds = {"student",  "employed",    "unemployed",
                                                                          "inactive", "in_training", "retired"};
inline constexpr std::array<std::string_view, kStatusCount> kStatusLabelsZh = {"在校",       "就业",     "失业",
                                                                               "非经济活动", "脱产培训", "退休"};

/// Policy target groups named in the texts.
enum class Group : std::uint8_t {
  UrbanEmployee = 0, // 城镇职工
  MigrantWorker,     // 农民工
  RuralLabour,       // 农村劳动力
  CollegeGraduate,   // 高校毕业生
  TechnicalStudent,  // 技工院校学生
  Unemployed,        // 失业人员
  Veteran,           // 退役军人
  PovertyRegistered, // 建档立卡贫困劳动力
};
inline constexpr int kGroupCount = 8;
inline constexpr std::array<std::string_view, kGroupCount> kGroupIds = {
    "urban_employee",    "migrant_worker", "rural_labour", "college_graduate",
    "technical_student", "unemployed",     "veteran",      "poverty_registered"};
inline constexpr std::array<std::string_view, kGroupCount> kGroupLabelsZh = {
    "城镇职工", "农民工", "农村劳动力", "高校毕业生", "技工院校学生", "失业人员", "退役军人", "建档立卡贫困劳动力"};

/// Economic sector (一产, 二产, 三产), as the Jincheng plan counts technical posts.
inline constexpr int kSectorCount = 3;
inline constexpr std::array<std::string_view, kSectorCount> kSectorIds = {"primary", "secondary", "tertiary"};
inline constexpr std::array<std::string_view, kSectorCount> kSectorLabelsZh = {"第一产业", "第二产业", "第三产业"};

inline constexpr int kSexCount = 2;
inline constexpr std::array<std::string_view, kSexCount> kSexIds = {"male", "female"};

/// Initial-population age bands: 16-19, 20-24, ..., 60-64 (the working-age pool).
inline constexpr int kAgeBandCount = 10;
inline constexpr int kMinAge = 16;
inline constexpr int kMaxInitialAge = 64;
inline constexpr std::array<std::string_view, kAgeBandCount> kAgeBandIds = {
    "16-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64"};
/// First age (years) of each initial-population age band; the band ends before the next.
inline constexpr std::array<int, kAgeBandCount + 1> kAgeBandEdges = {16, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65};

/// Mortality age bands: 15-19, 20-24, ..., 95-99, 100+.
inline constexpr int kMortalityBandCount = 18;
inline constexpr int mortality_band(int age_years) {
  const int band = (age_years - 15) / 5;
  return band < 0 ? 0 : (band >= kMortalityBandCount ? kMortalityBandCount - 1 : band);
}

/// A calendar month, stored as months since January of year 0 (so ordering is arithmetic).
struct Month {
  std::int32_t index = 0;

  static constexpr Month of(int year, int month_1_to_12) { return Month{year * 12 + month_1_to_12 - 1}; }
  constexpr int year() const { return index / 12; }
  constexpr int month() const { return index % 12 + 1; }
  constexpr Month operator+(int months) const { return Month{index + months}; }
  constexpr int operator-(Month other) const { return index - other.index; }
  constexpr auto operator<=>(const Month&) const = default;
};

/// Days from 1970-01-01 to the first day of `m` (proleptic Gregorian), for netCDF time axes.
constexpr std::int64_t days_since_epoch(Month m) {
  // Howard Hinnant's days_from_civil, for day 1 of the month.
  int y = m.year();
  const unsigned mon = static_cast<unsigned>(m.month());
  y -= mon <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

} // namespace skillsim
