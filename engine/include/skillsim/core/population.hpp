// The agent population as columns (structure of arrays): one contiguous vector per attribute,
// so the monthly loop streams through memory and columns can later be handed to NumPy without
// copies or split across processes by region.
#pragma once

#include <cstdint>
#include <vector>

#include "skillsim/core/types.hpp"

namespace skillsim {

/// Value of the `programme` column for an agent in no programme (so at most 254 programmes:
/// kMaxProgrammes in parameters.hpp).
inline constexpr std::uint8_t kNoProgramme = 0xFF;

/// One agent's attributes, for building and inspecting (the population stores columns).
struct Agent {
  std::uint64_t id = 0;
  std::int32_t birth_month = 0; // Month::index of the month of birth
  std::uint16_t months_at_level = 0;
  std::uint16_t ui_months = 0; // months of unemployment-insurance contributions
  std::uint16_t region = 0;
  Level level = Level::None;
  Status status = Status::Unemployed;
  Group group = Group::UrbanEmployee;
  std::uint8_t sex = 0;                            // index into kSexIds
  std::uint8_t sector = 0;                         // index into kSectorIds
  std::uint8_t programme = kNoProgramme;           // training programme enrolled in
  std::uint8_t programme_months_left = 0;          // 0 with a programme: trained, awaiting assessment
  std::uint8_t evaluation_wait = 0;                // 0: not awaiting assessment; else months waited + 1
  std::uint8_t follow_up_programme = kNoProgramme; // programme completed within the follow-up window
  std::uint8_t follow_up_months_left = 0;
};

class Population {
public:
  std::vector<std::uint64_t> id;
  std::vector<std::int32_t> birth_month;
  std::vector<std::uint16_t> months_at_level;
  std::vector<std::uint16_t> ui_months;
  std::vector<std::uint16_t> region;
  std::vector<std::uint8_t> level;
  std::vector<std::uint8_t> status;
  std::vector<std::uint8_t> group;
  std::vector<std::uint8_t> sex;
  std::vector<std::uint8_t> sector;
  std::vector<std::uint8_t> programme;
  std::vector<std::uint8_t> programme_months_left;
  std::vector<std::uint8_t> evaluation_wait;
  std::vector<std::uint8_t> follow_up_programme;
  std::vector<std::uint8_t> follow_up_months_left;

  std::size_t size() const { return id.size(); }
  void reserve(std::size_t n);
  void push_back(const Agent& a);
  Agent get(std::size_t i) const;

  /// Removes agents whose status is Status::Removed, keeping the order of the others.
  void compact();

  /// Bytes of column storage per agent.
  static constexpr std::size_t bytes_per_agent() {
    return sizeof(std::uint64_t) + sizeof(std::int32_t) + 3 * sizeof(std::uint16_t) + 10 * sizeof(std::uint8_t);
  }
};

} // namespace skillsim
