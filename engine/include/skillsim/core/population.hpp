// The agent population as columns (structure of arrays): one contiguous vector per attribute,
// so the monthly loop streams through memory and columns can later be handed to NumPy without
// copies or split across processes by region.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <vector>

#include "skillsim/core/column_allocator.hpp"
#include "skillsim/core/types.hpp"

namespace skillsim {

/// Value of the `programme` column for an agent in no programme (so at most 254 programmes:
/// kMaxProgrammes in parameters.hpp).
inline constexpr std::uint8_t kNoProgramme = 0xFF;
/// Value of the `employer` column for an agent with no employer cell (not employed); the column
/// exists only with employers declared. An employer cell is sector x size class within the agent's
/// region (employers.hpp).
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
/// Months at the current level are counted in one byte too, saturating here. Safe for the same
/// reason: every rule that reads them compares them with a wait derived from skills.min_months
/// (the promotion, programme, competition and studio waits) or with schools.length_months, which
/// validation keeps at or below this; the initial draw (population.max_months_at_level, up to 600)
/// is held as min(draw, 255).
inline constexpr int kMaxMonthsAtLevel = 255;

/// An agent's position in its population, in the month's lists (MonthlyCandidates): 32 bits, half
/// of a size_t. Safe: every agent has a distinct id below 2^32 (validation refuses a run that would
/// need more), so no population, nor a rank's share of one, holds more than 2^32 agents.
using AgentIndex = std::uint32_t;

/// Whether a column is stored for every scenario (`always`) or only for the scenarios that use it
/// (`optional`: allocated when the Population is made with it, empty otherwise; agent_columns in
/// synthesis.hpp says which a scenario needs). An optional column costs nothing when off: no
/// memory, no copy in compaction or checkpoints, and the code that reads it runs only when on.
enum class ColumnUse : std::uint8_t { always, optional };

/// The one list of agent columns: X(column type, type in Agent, name, default, use). The Agent
/// struct, the Population's vectors, push_back/get, reserve/compact, bytes_per_agent and the
/// checkpoint datasets are all generated from it, so a new column is one line here (and
/// docs/model.md's table); an optional one also needs its condition in agent_columns.
#define SKILLSIM_AGENT_COLUMNS(X)                                                                                      \
  X(std::uint32_t, std::uint64_t, id, 0, always)        /* below kAgentIdLimit; the random draws use its value */      \
  X(std::int16_t, std::int32_t, birth_month, 0, always) /* Month::index of the month of birth (kBirthMonthRange) */    \
  X(std::uint8_t, std::uint8_t, months_at_level, 0, always) /* saturating at kMaxMonthsAtLevel */                      \
  X(std::uint8_t, std::uint16_t, region, 0,                                                                            \
    optional) /* with more than one region: index into population.regions, below kMaxRegions */                        \
  X(std::uint8_t, Level, level, Level::None, always)                                                                   \
  X(std::uint8_t, Status, status, Status::Unemployed, always)                                                          \
  X(std::uint8_t, Group, group, Group::UrbanEmployee, always)                                                          \
  X(std::uint8_t, std::uint8_t, months_in_group, 0, always) /* counted only where groups.leave_after_months is set */  \
  X(std::uint8_t, std::uint8_t, sex, 0, always)             /* index into kSexIds */                                   \
  X(std::uint8_t, std::uint8_t, sector, 0, always)          /* index into kSectorIds */                                \
  X(std::uint8_t, std::uint8_t, programme_months_left, 0,                                                              \
    always) /* 0 with a programme: trained, awaiting assessment; a student's school route */                           \
  X(std::uint8_t, std::uint16_t, ui_months, 0,                                                                         \
    optional) /* with programmes: insurance months, saturating at kMaxInsuranceMonths */                               \
  X(std::uint8_t, std::uint8_t, programme, kNoProgramme,                                                               \
    optional) /* with programmes or evaluators: training programme enrolled in */                                      \
  X(std::uint8_t, std::uint8_t, evaluation_wait, 0,                                                                    \
    optional) /* with programmes or evaluators: 0 not awaiting assessment; else months waited + 1 */                   \
  X(std::uint8_t, std::uint8_t, follow_up_programme, kNoProgramme,                                                     \
    optional) /* with programmes: programme completed within the follow-up window */                                   \
  X(std::uint8_t, std::uint8_t, follow_up_months_left, 0, optional) /* with programmes */                              \
  X(std::uint8_t, std::uint8_t, employer, kNoEmployer,                                                                 \
    optional) /* with [employers]: the employer cell within the region; only while employed */                         \
  X(std::uint8_t, std::uint8_t, subsidised_months, 0,                                                                  \
    optional) /* with work_based_training.max_months_per_worker: months claimed for under 以工代训 */

/// The columns by name, in the order of the list.
enum class Column : std::uint8_t {
#define SKILLSIM_COLUMN_ENUM(column_type, agent_type, name, default_value, use) name,
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_COLUMN_ENUM)
#undef SKILLSIM_COLUMN_ENUM
};

/// Whether each column (by Column) is always stored or optional.
inline constexpr ColumnUse kColumnUse[] = {
#define SKILLSIM_COLUMN_USE(column_type, agent_type, name, default_value, use) ColumnUse::use,
    SKILLSIM_AGENT_COLUMNS(SKILLSIM_COLUMN_USE)
#undef SKILLSIM_COLUMN_USE
};
inline constexpr std::size_t kColumnCount = std::size(kColumnUse);

/// A set of optional columns (the columns stored always are never in it).
class ColumnSet {
public:
  constexpr ColumnSet() = default;
  /// The set with `c` added (a column stored always is not added: it needs no asking).
  constexpr ColumnSet with(Column c) const {
    ColumnSet s = *this;
    if (kColumnUse[static_cast<std::size_t>(c)] == ColumnUse::optional) s.bits_ |= bit(c);
    return s;
  }
  constexpr bool has(Column c) const { return (bits_ & bit(c)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool operator==(const ColumnSet&) const = default;

private:
  static constexpr std::uint32_t bit(Column c) { return std::uint32_t{1} << static_cast<unsigned>(c); }
  std::uint32_t bits_ = 0;
};
static_assert(kColumnCount <= 32, "ColumnSet holds 32 columns");

/// A column's name as in the list ("employer").
std::string_view column_name(Column c);

/// One agent's attributes, for building and inspecting (the population stores columns). An optional
/// column the population does not store reads back as its default.
struct Agent {
#define SKILLSIM_AGENT_FIELD(column_type, agent_type, name, default_value, use) agent_type name = default_value;
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_AGENT_FIELD)
#undef SKILLSIM_AGENT_FIELD
};

/// How many entries ahead a loop over a candidate list asks for the next agents' values
/// (prefetch_agent).
inline constexpr std::int64_t kPrefetchAhead = 8;

/// Asks for the cache lines of agent i's values in `columns` (Population vectors). A month's
/// candidate lists are scattered over the columns, a cache miss per value; asked for a few
/// candidates ahead, the misses overlap (national_2019_2021: the training step 15% -> 13% of the
/// step, bench/README.md).
template <class... Columns>
inline void prefetch_agent(std::size_t i, const Columns&... columns) {
  (__builtin_prefetch(columns.data() + i), ...);
}

/// The population's columns as plain pointers (null for an optional column not stored), for a
/// loop over the agents that also stores bytes: a byte store may alias anything, so a loop that
/// reads `pop.status[i]` must load the vector's pointer again after every store, where a local
/// copy of these is loaded once (monthly_rules.cpp). Valid until the population is resized.
struct ColumnPointers {
#define SKILLSIM_COLUMN_POINTER(column_type, agent_type, name, default_value, use) column_type* name = nullptr;
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_COLUMN_POINTER)
#undef SKILLSIM_COLUMN_POINTER
  /// Agent i's region, as Population::region_of.
  std::uint8_t region_of(std::size_t i) const { return region != nullptr ? region[i] : std::uint8_t{0}; }
};

/// A column of the population: a vector whose block starts at its own offset in a page
/// (column_allocator.hpp).
template <class T>
using ColumnVector = std::vector<T, ColumnAllocator<T>>;

class Population {
public:
  // Every column is a member; an optional column not in use stays empty (and is never read).
#define SKILLSIM_COLUMN(column_type, agent_type, name, default_value, use) ColumnVector<column_type> name;
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_COLUMN)
#undef SKILLSIM_COLUMN

  /// A population with the columns stored always and no optional one.
  Population() = default;
  /// ... and the optional columns `optional`.
  explicit Population(ColumnSet optional) : optional_(optional) {}

  std::size_t size() const { return id.size(); }
  /// The optional columns this population stores.
  ColumnSet optional_columns() const { return optional_; }
  /// Does it store column `c` (always, or optional and in use)?
  bool has(Column c) const { return kColumnUse[static_cast<std::size_t>(c)] == ColumnUse::always || optional_.has(c); }

  /// Agent i's region: its column, or 0 where the scenario has one region and the column is not
  /// stored (agent_columns).
  std::uint8_t region_of(std::size_t i) const { return optional_.has(Column::region) ? region[i] : std::uint8_t{0}; }

  /// The columns as plain pointers (ColumnPointers).
  ColumnPointers pointers() {
    ColumnPointers p;
#define SKILLSIM_POINT(column_type, agent_type, name, default_value, use)                                              \
  if (has(Column::name)) p.name = name.data();
    SKILLSIM_AGENT_COLUMNS(SKILLSIM_POINT)
#undef SKILLSIM_POINT
    return p;
  }

  void reserve(std::size_t n);
  void push_back(const Agent& a);
  Agent get(std::size_t i) const;

  /// Removes agents whose status is Status::Removed, keeping the order of the others.
  void compact();

  /// Applies f(name, column) to every column stored (e.g. to save, compare or resize them all).
  template <class F>
  void for_each_named_column(F&& f) {
#define SKILLSIM_VISIT(column_type, agent_type, name, default_value, use)                                              \
  if (has(Column::name)) f(std::string_view(#name), name);
    SKILLSIM_AGENT_COLUMNS(SKILLSIM_VISIT)
#undef SKILLSIM_VISIT
  }
  template <class F>
  void for_each_named_column(F&& f) const {
#define SKILLSIM_VISIT(column_type, agent_type, name, default_value, use)                                              \
  if (has(Column::name)) f(std::string_view(#name), name);
    SKILLSIM_AGENT_COLUMNS(SKILLSIM_VISIT)
#undef SKILLSIM_VISIT
  }
  /// Applies f(column) to every column stored.
  template <class F>
  void for_each_column(F&& f) {
    for_each_named_column([&f](std::string_view, auto& column) { f(column); });
  }
  template <class F>
  void for_each_column(F&& f) const {
    for_each_named_column([&f](std::string_view, const auto& column) { f(column); });
  }

  /// Bytes of column storage per agent with the columns stored always and the optional ones in
  /// `optional` (14 with none: what every scenario pays).
  static constexpr std::size_t bytes_per_agent(ColumnSet optional = {}) {
    return 0
#define SKILLSIM_COLUMN_BYTES(column_type, agent_type, name, default_value, use)                                       \
  +(ColumnUse::use == ColumnUse::always || optional.has(Column::name) ? sizeof(column_type) : 0)
        SKILLSIM_AGENT_COLUMNS(SKILLSIM_COLUMN_BYTES)
#undef SKILLSIM_COLUMN_BYTES
            ;
  }
  /// Bytes per agent of this population's columns.
  std::size_t column_bytes_per_agent() const { return bytes_per_agent(optional_); }

  bool operator==(const Population&) const = default;

private:
  ColumnSet optional_;
};

} // namespace skillsim
