// Counter-based random numbers (Random123's Philox4x64-10). A draw is a pure function of
// (seed, replicate, stream, month, agent id): no generator state, no shared global generator,
// the same numbers for any thread count or iteration order, and (later) any process split.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace skillsim {

/// Stable 32-bit identity of a named stream (FNV-1a), so a stream's numbers do not depend on
/// which other streams exist or in which order they are declared.
constexpr std::uint32_t stream_id(std::string_view name) {
  std::uint32_t hash = 2166136261u;
  for (char c : name) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 16777619u;
  }
  return hash;
}

/// Eight independent 32-bit uniform words: one Philox block.
struct DrawBlock {
  std::array<std::uint32_t, 8> words;

  /// True with probability threshold / 2^32 (see probability_threshold).
  bool below(int lane, std::uint64_t threshold) const { return words[lane] < threshold; }
  /// A uniform double in (0, 1) from one lane.
  double uniform(int lane) const { return (static_cast<double>(words[lane]) + 0.5) * 0x1p-32; }
};

/// Integer threshold t with P(word < t) = p for a uniform 32-bit word (exact for p = 0 and 1).
/// Comparing integers keeps the hot loop free of floating point and identical on every compiler.
inline std::uint64_t probability_threshold(double p) {
  if (!(p > 0)) return 0;
  if (p >= 1) return std::uint64_t{1} << 32;
  return static_cast<std::uint64_t>(p * 0x1p32);
}

/// The index whose share interval holds u in [0, 1) (shares sum to 1): a categorical draw from
/// one uniform. Rounding that leaves u above the last cumulative share gives the last index with
/// a positive share.
inline std::size_t pick_by_share(const std::vector<double>& shares, double u) {
  double cumulative = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    cumulative += shares[i];
    if (u < cumulative) return i;
  }
  for (std::size_t i = shares.size(); i-- > 0;)
    if (shares[i] > 0) return i;
  return 0;
}

/// Random streams of one replicate of one run.
class RandomStreams {
public:
  RandomStreams(std::uint64_t seed, std::uint32_t replicate) : seed_(seed), replicate_(replicate) {}

  /// The block for (stream, month, agent). Different arguments give independent blocks; the same
  /// arguments always give the same block. Always inlined: it is the innermost call of the
  /// per-agent loop (a call costs about a quarter of the step).
  [[gnu::always_inline]] inline DrawBlock block(std::uint32_t stream, std::int64_t month, std::uint64_t agent) const {
    using Philox = r123::Philox4x64;
    const Philox::key_type key = {{seed_, (std::uint64_t{replicate_} << 32) | stream}};
    const Philox::ctr_type counter = {{agent, static_cast<std::uint64_t>(month), 0, 0}};
    const Philox::ctr_type out = Philox()(counter, key);
    DrawBlock b;
    for (int i = 0; i < 4; ++i) {
      b.words[2 * i] = static_cast<std::uint32_t>(out.v[i] >> 32);
      b.words[2 * i + 1] = static_cast<std::uint32_t>(out.v[i]);
    }
    return b;
  }

  std::uint64_t seed() const { return seed_; }
  std::uint32_t replicate() const { return replicate_; }

private:
  std::uint64_t seed_;
  std::uint32_t replicate_;
};

/// Streams used by the engine, and the lanes of their blocks. Each named decision has its own
/// stream (a stream's numbers never shift when another is added); within a stream, one block of
/// eight 32-bit lanes per (agent, month) serves every decision of that agent that month, each
/// with a fixed lane. The per-agent monthly decisions share the kMonthly block, so the hot loop
/// makes one Philox call per agent-month.
///
/// Lane budget (docs/architecture.md, "Random numbers"): a block has 8 lanes. kMonthly uses 6 and
/// and lane 6 (migration between regions) and keeps lane 7 spare for a coming monthly decision.
/// Decisions taken for few agents or at another moment take a stream of their own (school
/// enrolment at entry: kEntry's spare lane 7; skills competitions: kCompetition, drawn only for
/// the workers who may enter a tier held that month), which costs a Philox call only for the
/// agents concerned.
namespace streams {
inline constexpr std::uint32_t kMonthly = stream_id("agent.monthly");
inline constexpr std::uint32_t kSynthesis = stream_id("population.synthesis");
inline constexpr std::uint32_t kEntry = stream_id("entry.attributes");
inline constexpr std::uint32_t kAppointment = stream_id("skills.appointment_priority");
inline constexpr std::uint32_t kTrainingOutcome = stream_id("training.outcome");
inline constexpr std::uint32_t kAdmissionPriority = stream_id("training.admission_priority");
inline constexpr std::uint32_t kEvaluationPriority = stream_id("evaluation.priority");
inline constexpr std::uint32_t kEvaluationOutcome = stream_id("evaluation.outcome");
inline constexpr std::uint32_t kCompetition = stream_id("competition.priority");
inline constexpr std::uint32_t kSchool = stream_id("school.progress");           // students, monthly (schools.cpp)
inline constexpr std::uint32_t kSchoolSynthesis = stream_id("school.synthesis"); // the initial students
inline constexpr std::uint32_t kStudio = stream_id("studio.priority"); // master studios' mentees (studios.cpp)

/// Lanes of the kMonthly block (monthly_rules.cpp, training.cpp).
enum MonthlyLane : int {
  kMortality = 0,
  kLabour = 1, // job loss, or job finding then inactivity, or reactivation: one uniform, nested thresholds
  kInsurance = 2,
  kAssessmentSit = 3,
  kAssessmentPass = 4,
  kApplication = 5, // which programme, if any, a worker applies to (ApplicationRules)
  kMigration = 6,   // moving to another region, and which (migration.*; monthly_rules.cpp)
  kMonthlySpare = 7,
};

/// Lanes of the kEntry block (entrants.cpp).
enum EntryLane : int {
  kEntryAge = 0,
  kEntrySex = 1,
  kEntryGroup = 2,
  kEntryDiploma = 3,
  kEntryEmployed = 4,
  kEntryRegion = 5,
  kEntrySector = 6,
  kEntrySpareSchool = 7,
};

/// Lanes of the kSchool block (schools.cpp), drawn only for students: leaving without a diploma,
/// and the status on leaving (graduates and dropouts).
enum SchoolLane : int { kSchoolDropout = 0, kSchoolEmployed = 1 };
/// Lanes of the kSchoolSynthesis block (schools.cpp): the initial students' attributes.
enum SchoolSynthesisLane : int {
  kSchoolMonthsIn = 0,
  kSchoolAge = 1,
  kSchoolSex = 2,
  kSchoolGroup = 3,
  kSchoolSector = 4,
};

/// Lanes of the kSynthesis block (synthesis.cpp); 7 is spare.
enum SynthesisLane : int {
  kSynthesisAge = 0,
  kSynthesisMonthsAtLevel = 1,
  kSynthesisInsured = 2,
  kSynthesisInsuranceMonths = 3,
  kSynthesisRegion = 4,
  kSynthesisSector = 5,
  kSynthesisMonthsInGroup = 6, // months already in a group with a time limit (groups.leave_after_months)
};

/// Lanes of the kTrainingOutcome block (training.cpp). kSitsAppraisal (programmes.appraisal_share)
/// is a lane of its own, so a share below 1 changes no other draw, and a share of 1 (threshold
/// 2^32) always sits.
enum TrainingOutcomeLane : int { kCompletes = 0, kPassesProgramme = 1, kSitsAppraisal = 2 };
/// Lane of the kEvaluationOutcome block (evaluation.cpp).
enum EvaluationOutcomeLane : int { kPassesAssessment = 0 };
/// The priority streams (kAppointment, kAdmissionPriority, kEvaluationPriority, kStudio) use lanes 0 and 1
/// as one 64-bit priority: priority_of(block).
inline std::uint64_t priority_of(const DrawBlock& d) { return (std::uint64_t{d.words[0]} << 32) | d.words[1]; }
/// kCompetition uses lanes 0-1 as the entry priority (priority_of) and lanes 2-3 as the result's
/// (competitions.cpp): who enters, and which entrants win.
inline std::uint64_t result_priority_of(const DrawBlock& d) { return (std::uint64_t{d.words[2]} << 32) | d.words[3]; }
} // namespace streams

} // namespace skillsim
