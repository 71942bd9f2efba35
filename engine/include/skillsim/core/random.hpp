// Counter-based random numbers (Random123's Philox4x64-10, and Philox4x32-10 for the per-agent
// monthly pass). A draw is a pure function of (seed, replicate, stream, month, agent id): no
// generator state, no shared global generator, the same numbers for any thread count or
// iteration order, and any process split.
#pragma once

#include <Random123/philox.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SKILLSIM_PHILOX_AVX2 1
#endif

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

/// Four independent 32-bit uniform words: one Philox4x32-10 block (the monthly pass's draws).
struct DrawBlock4 {
  std::array<std::uint32_t, 4> words;

  /// True with probability threshold / 2^32 (see probability_threshold).
  bool below(int lane, std::uint64_t threshold) const { return words[lane] < threshold; }
  /// A uniform double in (0, 1) from one lane.
  double uniform(int lane) const { return (static_cast<double>(words[lane]) + 0.5) * 0x1p-32; }
};

/// Agents whose monthly blocks RandomStreams::Monthly4x32::blocks computes at once: four AVX2
/// vectors of eight, whose independent rounds the processor overlaps (16 measured about 5%
/// slower in the rules pass, 64 no faster: bench/README.md).
inline constexpr int kBlockBatch = 32;

/// The blocks of kBlockBatch agents, lane by lane: words[lane][j] is lane `lane` of agent j's.
struct alignas(32) BlockBatch {
  std::uint32_t words[4][kBlockBatch];
  DrawBlock4 operator[](int j) const { return {{words[0][j], words[1][j], words[2][j], words[3][j]}}; }
};

namespace detail {
#ifdef SKILLSIM_PHILOX_AVX2
/// Philox4x32-10 (Random123's rounds and constants) of the counters (ids[j], c1, c2, c3) under
/// key (k0, k1), eight agents per AVX2 vector: the same words as r123::Philox4x32, with about a
/// third of the instructions of one scalar block per agent (integer arithmetic only, so the words
/// do not depend on which path computed them; tested against Random123).
[[gnu::target("avx2")]] inline void philox4x32_avx2(const std::uint32_t* ids, std::uint32_t k0, std::uint32_t k1,
                                                    std::uint32_t c1, std::uint32_t c2, std::uint32_t c3,
                                                    BlockBatch& out) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53u)); // PHILOX_M4x32_0
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57u)); // PHILOX_M4x32_1
  for (int j = 0; j < kBlockBatch; j += 8) {
    __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ids + j));
    __m256i x1 = _mm256_set1_epi32(static_cast<int>(c1)), x2 = _mm256_set1_epi32(static_cast<int>(c2)),
            x3 = _mm256_set1_epi32(static_cast<int>(c3));
    std::uint32_t a = k0, b = k1;
    for (int round = 0; round < 10; ++round) {
      // High words of the 64-bit products from the even and odd lanes; low words at once.
      const __m256i even0 = _mm256_mul_epu32(x0, m0), odd0 = _mm256_mul_epu32(_mm256_srli_epi64(x0, 32), m0);
      const __m256i even1 = _mm256_mul_epu32(x2, m1), odd1 = _mm256_mul_epu32(_mm256_srli_epi64(x2, 32), m1);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(even0, 32), odd0, 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(even1, 32), odd1, 0xAA);
      const __m256i lo0 = _mm256_mullo_epi32(x0, m0), lo1 = _mm256_mullo_epi32(x2, m1);
      x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), _mm256_set1_epi32(static_cast<int>(a)));
      x1 = lo1;
      x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), _mm256_set1_epi32(static_cast<int>(b)));
      x3 = lo0;
      a += 0x9E3779B9u; // PHILOX_W32_0: the key's bump between rounds
      b += 0xBB67AE85u; // PHILOX_W32_1
    }
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[0] + j), x0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[1] + j), x1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[2] + j), x2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.words[3] + j), x3);
  }
}
inline bool has_avx2() { return __builtin_cpu_supports("avx2"); }
#else
inline bool has_avx2() { return false; }
#endif
} // namespace detail

/// Integer threshold t with P(word < t) = p for a uniform 32-bit word (exact for p = 0 and 1).
/// Comparing integers keeps the hot loop free of floating point and identical on every compiler.
inline std::uint64_t probability_threshold(double p) {
  if (!(p > 0)) return 0;
  if (p >= 1) return std::uint64_t{1} << 32;
  return static_cast<std::uint64_t>(p * 0x1p32);
}

/// Two decisions from one word, the second taken only when the first does not happen: the
/// threshold t2 such that `word < first` is the first event (probability first / 2^32) and
/// `first <= word < t2` the second, with probability `then` / 2^32 given that the first did not
/// happen (the words at or above `first` are uniform over what is left). Exact when `then` is 0
/// or 2^32; otherwise the conditional probability is within 2^-32 / (1 - first / 2^32) of it.
/// Both thresholds at most 2^32 (probability_threshold), so the product cannot overflow.
inline std::uint64_t nested_threshold(std::uint64_t first, std::uint64_t then) {
  const std::uint64_t rest = (std::uint64_t{1} << 32) - first;
  return first + (then >= (std::uint64_t{1} << 32) ? rest : (rest * then) >> 32);
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

  /// The Philox4x32-10 draws of one (stream, month) for the per-agent monthly pass: a small value
  /// to copy into the loop (block4(agent) is then a pure function of local values, which the
  /// compiler keeps in registers, where a reference to the streams would be reloaded after every
  /// byte store to the population).
  class Monthly4x32 {
  public:
    /// The block of one agent: counter (agent id, month, replicate, stream), key the seed. Every
    /// input has a word of its own (ids are below 2^32: kAgentIdLimit), so different
    /// (seed, replicate, stream, month, agent) always give different Philox inputs.
    [[gnu::always_inline]] inline DrawBlock4 block(std::uint32_t agent) const {
      const r123::Philox4x32::ctr_type counter = {{agent, month_, replicate_, stream_}};
      const r123::Philox4x32::ctr_type out = r123::Philox4x32()(counter, key_);
      DrawBlock4 b;
      for (int i = 0; i < 4; ++i) b.words[i] = out.v[i];
      return b;
    }
    /// The blocks of the kBlockBatch agents ids[0 .. kBlockBatch - 1] at once, word for word
    /// block(ids[j]): with AVX2 when the processor has it (checked once, when the streams are
    /// made), else one block at a time.
    void blocks(const std::uint32_t* ids, BlockBatch& out) const {
#ifdef SKILLSIM_PHILOX_AVX2
      if (avx2_) {
        detail::philox4x32_avx2(ids, key_[0], key_[1], month_, replicate_, stream_, out);
        return;
      }
#endif
      blocks_one_by_one(ids, out);
    }
    /// blocks() without vector instructions (what it does on a processor without AVX2; tests).
    void blocks_one_by_one(const std::uint32_t* ids, BlockBatch& out) const {
      for (int j = 0; j < kBlockBatch; ++j) {
        const DrawBlock4 b = block(ids[j]);
        for (int lane = 0; lane < 4; ++lane) out.words[lane][j] = b.words[lane];
      }
    }
    /// Whether blocks() uses AVX2 here.
    bool vectorised() const { return avx2_; }

  private:
    friend class RandomStreams;
    Monthly4x32(std::uint64_t seed, std::uint32_t replicate, std::uint32_t stream, std::int32_t month)
        : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
          month_(static_cast<std::uint32_t>(month)), replicate_(replicate), stream_(stream), avx2_(detail::has_avx2()) {
    }
    r123::Philox4x32::key_type key_;
    std::uint32_t month_, replicate_, stream_;
    bool avx2_;
  };
  Monthly4x32 monthly4x32(std::uint32_t stream, std::int32_t month) const {
    return Monthly4x32(seed_, replicate_, stream, month);
  }

  std::uint64_t seed() const { return seed_; }
  std::uint32_t replicate() const { return replicate_; }

private:
  std::uint64_t seed_;
  std::uint32_t replicate_;
};

/// Streams used by the engine, and the lanes of their blocks. Each named decision has its own
/// stream (a stream's numbers never shift when another is added); within a stream, one block per
/// (agent, month) serves every decision of that agent that month, each with a fixed lane.
///
/// The per-agent monthly pass (monthly_rules.cpp) draws Philox4x32-10 blocks of four lanes
/// (RandomStreams::monthly4x32, the kMonthly blocks kBlockBatch agents at a time with AVX2; the
/// pass drew one Philox4x64-10 block of eight lanes per agent-month until 2026-12, although most
/// agents need 4 words, and the block was the largest single cost of the pass): kMonthly, drawn
/// for every agent every month, holds the decisions of nearly everybody (death, the labour market with the
/// insurance month nested in the employed's labour word, sitting an assessment, applying to a
/// programme); kMonthlyRare, drawn only on the branches that need it, holds passing (only for
/// those who sit) and migration (only when somebody may move). kMonthly is full; kMonthlyRare has
/// 2 and 3 spare, for a coming decision taken by few agents (docs/architecture.md, "Random numbers").
/// Decisions taken for few agents or at another moment take a stream of their own, with
/// Philox4x64-10 blocks of eight lanes (RandomStreams::block: school enrolment at entry, kEntry's
/// spare lane 7; skills competitions: kCompetition, drawn only for the workers who may enter a
/// tier held that month), which costs a Philox call only for the agents concerned.
namespace streams {
inline constexpr std::uint32_t kMonthly = stream_id("agent.monthly");          // Philox4x32: MonthlyLane
inline constexpr std::uint32_t kMonthlyRare = stream_id("agent.monthly.rare"); // Philox4x32: MonthlyRareLane
inline constexpr std::uint32_t kSynthesis = stream_id("population.synthesis");
inline constexpr std::uint32_t kEntry = stream_id("entry.attributes");
inline constexpr std::uint32_t kAppointment = stream_id("skills.appointment_priority");
inline constexpr std::uint32_t kTrainingOutcome = stream_id("training.outcome");
inline constexpr std::uint32_t kAdmissionPriority = stream_id("training.admission_priority");
inline constexpr std::uint32_t kEvaluationPriority = stream_id("evaluation.priority");
inline constexpr std::uint32_t kEvaluationOutcome = stream_id("evaluation.outcome");
// One block a month (lane 0): the draw of proportional rationing among equally waiting cells.
inline constexpr std::uint32_t kEvaluationRationing = stream_id("evaluation.rationing");
inline constexpr std::uint32_t kCompetition = stream_id("competition.priority");
inline constexpr std::uint32_t kSchool = stream_id("school.progress");           // students, monthly (schools.cpp)
inline constexpr std::uint32_t kSchoolSynthesis = stream_id("school.synthesis"); // the initial students
inline constexpr std::uint32_t kStudio = stream_id("studio.priority"); // master studios' mentees (studios.cpp)

/// Lanes of the kMonthly block (monthly_rules.cpp): every agent, every month.
enum MonthlyLane : int {
  kMortality = 0,
  // One uniform, nested thresholds (nested_threshold): the employed lose their job, or else
  // contribute an insurance month; the unemployed find a job, or else become inactive; the
  // inactive return to the labour force.
  kLabour = 1,
  kAssessmentSit = 2, // seeking the next level's assessment (most agents at level 0 may, every month)
  kApplication = 3,   // which programme, if any, a worker applies to (ApplicationRules; kept with the candidate)
};
/// Lanes of the kMonthlyRare block (monthly_rules.cpp), drawn only for an agent who needs one.
enum MonthlyRareLane : int {
  kAssessmentPass = 0, // only for those who sit an assessment held at once
  kMigration = 1,      // moving to another region, and which (migration.*), only when somebody may move
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
