// The agent population as columns (structure of arrays): one contiguous vector per attribute,
// so the monthly loop streams through memory and columns can later be handed to NumPy without
// copies or split across processes by region.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "skillsim/core/types.hpp"

namespace skillsim {

/// Value of the `programme` column for an agent in no programme (so at most 254 programmes:
/// kMaxProgrammes in parameters.hpp).
inline constexpr std::uint8_t kNoProgramme = 0xFF;
/// Value of the `employer` column for an agent with no employer cell (not employed, or employers
/// off). An employer cell is sector x size class within the agent's region (employers.hpp).
inline constexpr std::uint8_t kNoEmployer = 0xFF;

/// Agent ids are stored in 32 bits: every id ever given in a replicate (the initial population,
/// then one per entrant, never reused) must be below this (a 1:1 national run of ten years needs
/// about 1.2e9). Population::push_back refuses a larger one; scenario validation refuses a
/// scenario whose agents and entrants would pass it (check in parameters.cpp).
inline constexpr std::uint64_t kAgentIdLimit = std::uint64_t{1} << 32;
/// Regions are stored in one byte: at most 255 (scenario validation, population.regions).
inline constexpr std::size_t kMaxRegions = 255;
/// Birth months are stored in 16 bits as Month::index itself (months since January of year 0, so
/// the epoch is year 0): births from year 0 to 2730. Scenario validation keeps the run's start
/// within kMinStartYear..kMaxStartYear, so every birth (at most 100 years before the start) and
/// every entrant's birth fit.
inline constexpr int kMinStartYear = 1900, kMaxStartYear = 2600;

/// Months of unemployment-insurance contributions are counted in one byte, saturating here. Safe:
/// the only rule that reads them compares them with programmes.min_contribution_months, which
/// validation keeps at or below this, and min(x, 255) >= t exactly when x >= t for t <= 255.
inline constexpr int kMaxInsuranceMonths = 255;

/// The one list of agent columns: X(column type, type in Agent, name, default). The Agent struct,
/// the Population's vectors, push_back/get, reserve/compact and bytes_per_agent are all generated
/// from it, so a new column is one line here (and docs/model.md's table).
#define SKILLSIM_AGENT_COLUMNS(X)                                                                                      \
  X(std::uint32_t, std::uint64_t, id, 0)        /* below kAgentIdLimit; the random draws use its value */              \
  X(std::int16_t, std::int32_t, birth_month, 0) /* Month::index of the month of birth (kBirthMonthRange) */            \
  X(std::uint16_t, std::uint16_t, months_at_level, 0)                                                                  \
  X(std::uint8_t, std::uint16_t, ui_months, 0) /* insurance months, saturating at kMaxInsuranceMonths */               \
  X(std::uint8_t, std::uint16_t, region, 0)    /* index into population.regions, below kMaxRegions */                  \
  X(std::uint8_t, Level, level, Level::None)                                                                           \
  X(std::uint8_t, Status, status, Status::Unemployed)                                                                  \
  X(std::uint8_t, Group, group, Group::UrbanEmployee)                                                                  \
  X(std::uint8_t, std::uint8_t, months_in_group, 0)       /* counted only where groups.leave_after_months is set */    \
  X(std::uint8_t, std::uint8_t, sex, 0)                   /* index into kSexIds */                                     \
  X(std::uint8_t, std::uint8_t, sector, 0)                /* index into kSectorIds */                                  \
  X(std::uint8_t, std::uint8_t, programme, kNoProgramme)  /* training programme enrolled in */                         \
  X(std::uint8_t, std::uint8_t, programme_months_left, 0) /* 0 with a programme: trained, awaiting assessment */       \
  X(std::uint8_t, std::uint8_t, evaluation_wait, 0)       /* 0: not awaiting assessment; else months waited + 1 */     \
  X(std::uint8_t, std::uint8_t, follow_up_programme,                                                                   \
    kNoProgramme) /* programme completed within the follow-up window */                                                \
  X(std::uint8_t, std::uint8_t, follow_up_months_left, 0)                                                              \
  X(std::uint8_t, std::uint8_t, employer, kNoEmployer) /* employer cell within the region; only while employed */

/// One agent's attributes, for building and inspecting (the population stores columns).
struct Agent {
#define SKILLSIM_AGENT_FIELD(column_type, agent_type, name, default_value) agent_type name = default_value;
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_AGENT_FIELD)
#undef SKILLSIM_AGENT_FIELD
};

class Population {
public:
#define SKILLSIM_COLUMN(column_type, agent_type, name, default_value) std::vector<column_type> name;
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_COLUMN)
#undef SKILLSIM_COLUMN

  std::size_t size() const { return id.size(); }
  void reserve(std::size_t n);
  void push_back(const Agent& a);
  Agent get(std::size_t i) const;

  /// Removes agents whose status is Status::Removed, keeping the order of the others.
  void compact();

  /// Applies f to every column (e.g. to save, compare or resize them all).
  template <class F>
  void for_each_column(F&& f) {
#define SKILLSIM_VISIT(column_type, agent_type, name, default_value) f(name);
    SKILLSIM_AGENT_COLUMNS(SKILLSIM_VISIT)
#undef SKILLSIM_VISIT
  }
  template <class F>
  void for_each_column(F&& f) const {
#define SKILLSIM_VISIT(column_type, agent_type, name, default_value) f(name);
    SKILLSIM_AGENT_COLUMNS(SKILLSIM_VISIT)
#undef SKILLSIM_VISIT
  }

  /// Bytes of column storage per agent.
  static constexpr std::size_t bytes_per_agent() {
    return 0
#define SKILLSIM_COLUMN_BYTES(column_type, agent_type, name, default_value) +sizeof(column_type)
        SKILLSIM_AGENT_COLUMNS(SKILLSIM_COLUMN_BYTES)
#undef SKILLSIM_COLUMN_BYTES
            ;
  }

  bool operator==(const Population&) const = default;
};

} // namespace skillsim
