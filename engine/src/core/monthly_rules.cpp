#include "skillsim/core/monthly_rules.hpp"

#include <omp.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>
#include <vector>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/promotion.hpp"

namespace skillsim {

namespace {

// The month's probabilities as integer thresholds for the per-agent loop (probability_threshold):
// comparing integers keeps the loop free of floating point and identical on every compiler.
struct Thresholds {
  // Death by age in whole months, 0 to the first month of the last mortality band (older ages
  // read its last entry): one load in the pass instead of the band's two divisions.
  static constexpr std::int32_t kDeathAges = (15 + 5 * (kMortalityBandCount - 1)) * 12 + 1;
  std::uint64_t death_by_age[kDeathAges];
  // A worker's month in its group by group and months in it (TransitionRates::start_month_in_group):
  // kMovedTo | the group it moves to, or its months in the group after the month. Only with
  // group_moves.
  static constexpr std::uint16_t kMovedTo = 0x8000;
  std::uint16_t group_month[kGroupCount][256];
  std::uint64_t job_loss[kLevelCount][kGroupCount][kSectorCount];
  std::uint64_t job_find[kLevelCount][kGroupCount];
  std::uint64_t find_or_inactive[kLevelCount][kGroupCount]; // job finding, then inactivity
  std::uint64_t reactivation;
  std::uint64_t insured[kGroupCount];
  std::uint64_t sit[kLevelCount][kStatusCount]; // by level sought
  std::uint64_t pass[kLevelCount];
  // sit and pass by person class (TransitionRates::sit_by_class), when some factor is not 1.
  std::vector<std::uint64_t> sit_by_class, pass_by_class;
  // The same pair for unemployed completers in their follow-up window (TransitionRates::follow_up_index).
  std::vector<std::uint64_t> follow_up_find, follow_up_find_or_inactive;
  // Job loss, job finding and finding-or-inactivity by region (TransitionRates::labour_index),
  // when a regional factor is not 1.
  std::vector<std::uint64_t> job_loss_by_region, job_find_by_region, find_or_inactive_by_region;
  // Job loss in the cells 以工代训 subsidises (TransitionRates::job_loss_subsidised), in months it is paid.
  std::vector<std::uint64_t> job_loss_subsidised;
  // Moving to another region at all, index (origin x kLevelCount + level) x kStatusCount + status,
  // when somebody may move (TransitionRates::migrating).
  std::vector<std::uint64_t> move;

  explicit Thresholds(const TransitionRates& r) {
    for (std::int32_t a = 0; a < kDeathAges; ++a)
      death_by_age[a] = probability_threshold(r.death[mortality_band(a / 12)]);
    if (r.group_moves)
      for (int g = 0; g < kGroupCount; ++g)
        for (int m = 0; m < 256; ++m) {
          const TransitionRates::GroupMonth next =
              r.start_month_in_group(static_cast<std::uint8_t>(g), static_cast<std::uint8_t>(m));
          group_month[g][m] = next.moved ? kMovedTo | next.group : next.months;
        }
    for (int l = 0; l < kLevelCount; ++l)
      for (int g = 0; g < kGroupCount; ++g) {
        for (int s = 0; s < kSectorCount; ++s) job_loss[l][g][s] = probability_threshold(r.job_loss[l][g][s]);
        job_find[l][g] = probability_threshold(r.job_find[l][g]);
        find_or_inactive[l][g] = probability_threshold(r.job_find[l][g] + r.inactivity);
      }
    for (double find : r.follow_up_job_find) {
      follow_up_find.push_back(probability_threshold(find));
      follow_up_find_or_inactive.push_back(probability_threshold(find + r.inactivity));
    }
    reactivation = probability_threshold(r.reactivation);
    for (int g = 0; g < kGroupCount; ++g) insured[g] = probability_threshold(r.insured[g]);
    for (int l = 0; l < kLevelCount; ++l) {
      for (int s = 0; s < kStatusCount; ++s) sit[l][s] = probability_threshold(r.sit[l][s]);
      pass[l] = probability_threshold(r.pass[l]);
    }
    for (double sit_p : r.sit_by_class) sit_by_class.push_back(probability_threshold(sit_p));
    for (double pass_p : r.pass_by_class) pass_by_class.push_back(probability_threshold(pass_p));
    for (double loss : r.job_loss_by_region) job_loss_by_region.push_back(probability_threshold(loss));
    for (double loss : r.job_loss_subsidised) job_loss_subsidised.push_back(probability_threshold(loss));
    for (double find : r.job_find_by_region) {
      job_find_by_region.push_back(probability_threshold(find));
      find_or_inactive_by_region.push_back(probability_threshold(find + r.inactivity));
    }
    if (r.migrating)
      for (std::size_t o = 0; o < r.regions; ++o)
        for (int l = 0; l < kLevelCount; ++l)
          for (int s = 0; s < kStatusCount; ++s)
            move.push_back(probability_threshold(r.migration_cumulative(o, r.regions - 1, r.migration_factor(l, s))));
  }
};

constexpr auto kRemoved = static_cast<std::uint8_t>(Status::Removed);
constexpr auto kEmployed = static_cast<std::uint8_t>(Status::Employed);
constexpr auto kUnemployed = static_cast<std::uint8_t>(Status::Unemployed);
constexpr auto kInactive = static_cast<std::uint8_t>(Status::Inactive);
constexpr auto kRetired = static_cast<std::uint8_t>(Status::Retired);
constexpr auto kStudent = static_cast<std::uint8_t>(Status::Student);
constexpr auto kMaxCounter = static_cast<std::uint8_t>(kMaxMonthsAtLevel);
constexpr auto kMaxInsurance = static_cast<std::uint8_t>(kMaxInsuranceMonths);
// The rules pass's chunks (monthly_pass): about this many per thread, of at least kMinChunk agents
// (a multiple of kBlockBatch), so that the last chunk's wait is a small share of a thread's work.
constexpr std::int64_t kChunksPerThread = 64, kMinChunk = 256 * kBlockBatch;

#ifdef SKILLSIM_PHILOX_AVX2
// The quiet screen (docs/model.md, "The quiet screen"): most agents, most months, only grow a
// month older at their level. The screen finds them kBlockBatch at a time with AVX2, from the
// same words and thresholds the rules read, so that the pass gives them only the passing of time
// and the rules proper run for the others. It may call an agent busy who is quiet (its tests are
// `word <= t`, where the rules' are `word < t`: a word equal to a threshold sends the agent
// through the rules), never the reverse, so its results are the rules' bit for bit.
struct QuietScreen {
  // A threshold of the rules (probability_threshold, up to 2^32) as the largest word for which
  // the event may happen: `word <= saturated(t)` holds whenever `word < t` does.
  static std::uint32_t saturated(std::uint64_t t) {
    return t >= (std::uint64_t{1} << 32) ? 0xFFFFFFFFu : static_cast<std::uint32_t>(t);
  }
  static constexpr int kLabourCells = kLevelCount * kGroupCount * kSectorCount * kStatusCount;

  std::uint32_t death[Thresholds::kDeathAges];
  // Months at a level from which the next level's assessment may be sought (256: never, at the top).
  std::int32_t min_months[kLevelCount];
  std::uint32_t sit[kLevelCount * kStatusCount];         // by level held x status
  std::uint32_t labour[kLabourCells];                    // ((level x group) x sector) x status
  std::uint32_t application[kGroupCount * kStatusCount]; // by group x status, with programmes
  // An employed worker's insurance month, for one who keeps its job: exactly when its labour word
  // is at most this, by (level x group) x sector (the rules' nested threshold less 1, or 0 where
  // that is 0: a quiet worker's word is above 0 then, as it is above the job-loss threshold).
  std::uint32_t insured[kLevelCount * kGroupCount * kSectorCount];
  std::uint32_t group_month[kGroupCount * 256]; // Thresholds::group_month, with group rules
  std::int32_t retirement_age_months[kSexCount];

  QuietScreen(const TransitionRates& r, const Thresholds& th, const ApplicationRules& applications) {
    for (int a = 0; a < Thresholds::kDeathAges; ++a) death[a] = saturated(th.death_by_age[a]);
    for (int lv = 0; lv < kLevelCount; ++lv) {
      const int target = lv + 1;
      min_months[lv] = target < kLevelCount ? r.min_months[static_cast<std::size_t>(target)] : kMaxMonthsAtLevel + 1;
      for (int st = 0; st < kStatusCount; ++st)
        sit[lv * kStatusCount + st] = target < kLevelCount ? saturated(th.sit[target][st]) : 0;
      for (int g = 0; g < kGroupCount; ++g)
        for (int sector = 0; sector < kSectorCount; ++sector)
          for (int st = 0; st < kStatusCount; ++st) {
            std::uint32_t& t = labour[((lv * kGroupCount + g) * kSectorCount + sector) * kStatusCount + st];
            if (st == kEmployed)
              t = saturated(th.job_loss[lv][g][sector]);
            else if (st == kUnemployed)
              t = saturated(std::max(th.job_find[lv][g], th.find_or_inactive[lv][g]));
            else if (st == kInactive)
              t = saturated(th.reactivation);
            else
              t = 0xFFFFFFFFu; // (students, trainees, the retired: never screened through the labour market)
          }
      for (int g = 0; g < kGroupCount; ++g)
        for (int sector = 0; sector < kSectorCount; ++sector) {
          const std::uint64_t n = nested_threshold(th.job_loss[lv][g][sector], th.insured[g]);
          insured[(lv * kGroupCount + g) * kSectorCount + sector] = n == 0 ? 0 : static_cast<std::uint32_t>(n - 1);
        }
    }
    for (int g = 0; g < kGroupCount; ++g)
      for (int m = 0; m < 256; ++m) group_month[g * 256 + m] = r.group_moves ? th.group_month[g][m] : 0;
    // The rules apply when uniform(word) < p, that is word + 0.5 < p 2^32 (exact in doubles), so
    // only for words up to floor(p 2^32).
    for (std::size_t k = 0; k < applications.may_apply.size(); ++k) {
      const double p = applications.may_apply[k];
      application[k] = !(p > 0) ? 0 : saturated(static_cast<std::uint64_t>(std::floor(p * 0x1p32)));
    }
    for (int s = 0; s < kSexCount; ++s) retirement_age_months[s] = r.retirement_age_months[static_cast<std::size_t>(s)];
  }
};

// The screen's vector steps (AVX2, eight agents a vector).
#define SKILLSIM_AVX2_HELPER [[gnu::target("avx2"), gnu::always_inline]] inline
// A byte column's eight values from agent `first` on, as 32-bit lanes.
SKILLSIM_AVX2_HELPER __m256i byte_lanes(const std::uint8_t* column, std::int64_t first) {
  return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(column + first)));
}
SKILLSIM_AVX2_HELPER __m256i same_lanes(std::int32_t v) { return _mm256_set1_epi32(v); }
SKILLSIM_AVX2_HELPER __m256i gather(const void* table, __m256i index) {
  return _mm256_i32gather_epi32(static_cast<const int*>(table), index, 4);
}
// word <= t, unsigned: the event whose threshold t was saturated may happen.
SKILLSIM_AVX2_HELPER __m256i may_happen(__m256i word, __m256i t) {
  return _mm256_cmpeq_epi32(_mm256_max_epu32(word, t), t);
}
// The bytes of a column's 32 values from `first` that are `v`.
SKILLSIM_AVX2_HELPER __m256i bytes_equal(const std::uint8_t* column, std::int64_t first, std::uint8_t v) {
  return _mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(column + first)),
                           _mm256_set1_epi8(static_cast<char>(v)));
}
// Four vectors of eight 32-bit lanes (each -1, 0 or a value up to 255) as 32 bytes, in order.
SKILLSIM_AVX2_HELPER __m256i as_bytes(const __m256i (&v)[4]) {
  const __m256i words = _mm256_packus_epi16(_mm256_packs_epi32(v[0], v[1]), _mm256_packs_epi32(v[2], v[3]));
  return _mm256_permutevar8x32_epi32(words, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}
SKILLSIM_AVX2_HELPER __m256i masks_as_bytes(const __m256i (&v)[4]) {
  const __m256i words = _mm256_packs_epi16(_mm256_packs_epi32(v[0], v[1]), _mm256_packs_epi32(v[2], v[3]));
  return _mm256_permutevar8x32_epi32(words, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}
// Adds 1, saturating at 255, to the bytes of a column's 32 values from `first` where `where` is set.
SKILLSIM_AVX2_HELPER void add_one(std::uint8_t* column, std::int64_t first, __m256i where) {
  auto* at = reinterpret_cast<__m256i*>(column + first);
  const __m256i old = _mm256_loadu_si256(at);
  _mm256_storeu_si256(at, _mm256_blendv_epi8(old, _mm256_adds_epu8(old, _mm256_set1_epi8(1)), where));
}
// Words `lane` of the blocks of agents j .. j + 7 of a batch.
SKILLSIM_AVX2_HELPER __m256i batch_words(const BlockBatch& words, int lane, int j) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(words.words[lane] + j));
}
#undef SKILLSIM_AVX2_HELPER

// Bit j set: agent first + j is quiet this month (QuietScreen), for the kBlockBatch agents from
// `first`, whose blocks are `words`; with kPassTime, the quiet are given their month too (what the
// rules would do to them: QuietScreen). kProgrammes: the programme columns exist and applications
// are drawn; `tracked`: the programme and evaluation-wait columns exist; `appointing`: agents at
// 高级技师 and 特级技师 are listed for appointments; `group_moves`: a group rule is in force.
template <bool kProgrammes, bool kPassTime>
[[gnu::target("avx2")]] std::uint32_t quiet_month(const QuietScreen& q, const ColumnPointers& a, std::int64_t first,
                                                  const BlockBatch& words, std::int32_t month, bool tracked,
                                                  bool appointing, bool group_moves) {
  __m256i quiet[4], ageing[4], insured[4], group_month[4];
  static_assert(kLevelCount == 9, "min_months: levels 0-7 in one vector, the top level apart");
  const __m256i min_months = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q.min_months));
  for (int j = 0; j < kBlockBatch; j += 8) {
    const int v = j / 8;
    const std::int64_t at = first + j;
    const __m256i status = byte_lanes(a.status, at);
    // Indices clamped to their tables (a removed agent's columns are not read by the rules).
    const __m256i st = _mm256_min_epu32(status, same_lanes(kStatusCount - 1));
    const __m256i lv = _mm256_min_epu32(byte_lanes(a.level, at), same_lanes(kLevelCount - 1));
    const __m256i g = _mm256_min_epu32(byte_lanes(a.group, at), same_lanes(kGroupCount - 1));
    const __m256i sector = _mm256_min_epu32(byte_lanes(a.sector, at), same_lanes(kSectorCount - 1));
    const __m256i birth = _mm256_cvtepi16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a.birth_month + at)));
    const __m256i age = _mm256_sub_epi32(same_lanes(month), birth);
    const __m256i age_index =
        _mm256_max_epi32(_mm256_min_epi32(age, same_lanes(Thresholds::kDeathAges - 1)), same_lanes(0));
    const __m256i dies = may_happen(batch_words(words, streams::kMortality, j), gather(q.death, age_index));
    const __m256i retired = _mm256_cmpeq_epi32(status, same_lanes(kRetired));
    // Employed, unemployed or inactive (1 to 3): the statuses the labour market screens.
    const __m256i working =
        _mm256_and_si256(_mm256_cmpgt_epi32(status, same_lanes(0)), _mm256_cmpgt_epi32(same_lanes(4), status));
    const __m256i retirement =
        _mm256_blendv_epi8(same_lanes(q.retirement_age_months[0]), same_lanes(q.retirement_age_months[1]),
                           _mm256_cmpeq_epi32(byte_lanes(a.sex, at), same_lanes(1)));
    const __m256i retires = _mm256_cmpgt_epi32(_mm256_add_epi32(age, same_lanes(1)), retirement); // age >= retirement
    // (min_months by level from a register: levels 0-7; level 8, the top, seeks nothing)
    const __m256i served =
        _mm256_andnot_si256(_mm256_cmpeq_epi32(lv, same_lanes(kLevelCount - 1)),
                            _mm256_cmpgt_epi32(_mm256_add_epi32(byte_lanes(a.months_at_level, at), same_lanes(1)),
                                               _mm256_permutevar8x32_epi32(min_months, lv)));
    const __m256i lv_st = _mm256_add_epi32(_mm256_mullo_epi32(lv, same_lanes(kStatusCount)), st);
    const __m256i sits =
        _mm256_and_si256(served, may_happen(batch_words(words, streams::kAssessmentSit, j), gather(q.sit, lv_st)));
    const __m256i lv_g = _mm256_add_epi32(_mm256_mullo_epi32(lv, same_lanes(kGroupCount)), g);
    const __m256i lv_g_sector = _mm256_add_epi32(_mm256_mullo_epi32(lv_g, same_lanes(kSectorCount)), sector);
    const __m256i labour_cell = _mm256_add_epi32(_mm256_mullo_epi32(lv_g_sector, same_lanes(kStatusCount)), st);
    const __m256i moves = may_happen(batch_words(words, streams::kLabour, j), gather(q.labour, labour_cell));
    __m256i busy = _mm256_or_si256(_mm256_or_si256(retires, sits), moves);
    if constexpr (kProgrammes) {
      const __m256i g_st = _mm256_add_epi32(_mm256_mullo_epi32(g, same_lanes(kStatusCount)), st);
      busy =
          _mm256_or_si256(busy, may_happen(batch_words(words, streams::kApplication, j), gather(q.application, g_st)));
    }
    if (appointing) { // at 高级技师 or 特级技师: listed for the appointments
      const __m256i from = _mm256_sub_epi32(lv, same_lanes(kAppointedFrom));
      busy = _mm256_or_si256(
          busy, _mm256_and_si256(_mm256_cmpgt_epi32(from, same_lanes(-1)), _mm256_cmpgt_epi32(same_lanes(2), from)));
    }
    __m256i stays = _mm256_xor_si256(dies, same_lanes(-1)); // alive, and in its group where it has a time limit
    group_month[v] = _mm256_setzero_si256();
    if (group_moves) {
      const __m256i in_group = _mm256_add_epi32(_mm256_slli_epi32(g, 8), byte_lanes(a.months_in_group, at));
      const __m256i next = gather(q.group_month, in_group);
      group_month[v] = _mm256_and_si256(next, same_lanes(0xFF));
      stays = _mm256_andnot_si256(_mm256_cmpeq_epi32(_mm256_and_si256(next, same_lanes(Thresholds::kMovedTo)),
                                                     same_lanes(Thresholds::kMovedTo)),
                                  stays);
    }
    ageing[v] = _mm256_and_si256(stays, _mm256_andnot_si256(busy, working));
    quiet[v] = _mm256_or_si256(ageing[v], _mm256_and_si256(stays, retired));
    insured[v] = _mm256_setzero_si256();
    if constexpr (kProgrammes) // exact for the quiet employed (QuietScreen::insured)
      insured[v] =
          _mm256_and_si256(_mm256_and_si256(ageing[v], _mm256_cmpeq_epi32(status, same_lanes(kEmployed))),
                           may_happen(batch_words(words, streams::kLabour, j), gather(q.insured, lv_g_sector)));
  }
  // Not in a programme, its follow-up window or the evaluation queue (each listed for the training
  // and evaluation steps; unemployed completers find jobs at their programme's rates): 32 bytes at once.
  __m256i untracked = _mm256_set1_epi8(-1);
  if (tracked)
    untracked =
        _mm256_and_si256(bytes_equal(a.programme, first, kNoProgramme), bytes_equal(a.evaluation_wait, first, 0));
  if constexpr (kProgrammes)
    untracked = _mm256_and_si256(untracked, _mm256_and_si256(bytes_equal(a.follow_up_programme, first, kNoProgramme),
                                                             bytes_equal(a.follow_up_months_left, first, 0)));
  const __m256i quiet_bytes = _mm256_and_si256(masks_as_bytes(quiet), untracked);
  if constexpr (kPassTime) {
    add_one(a.months_at_level, first, _mm256_and_si256(masks_as_bytes(ageing), untracked));
    if constexpr (kProgrammes) add_one(a.ui_months, first, _mm256_and_si256(masks_as_bytes(insured), untracked));
    if (group_moves) {
      auto* at = reinterpret_cast<__m256i*>(a.months_in_group + first);
      _mm256_storeu_si256(at, _mm256_blendv_epi8(_mm256_loadu_si256(at), as_bytes(group_month), quiet_bytes));
    }
  }
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(quiet_bytes));
}
#endif

// Moves agent i to another region if its migration draw `word` says so (docs/model.md, "Migration
// between regions"): below the threshold of moving at all, the destination is the first whose
// cumulative probability exceeds the word (the same comparison with the cumulative thresholds,
// so each destination has its own probability exactly). An employed migrant stays employed or,
// with migration.employed_on_arrival = "unemployed", looks for a job on arrival. (Only with
// more than one region, where the region column is stored: agent_columns.)
void migrate(const TransitionRates& rates, const Thresholds& th, const ColumnPointers& pop, std::int64_t i,
             std::uint32_t word, MonthTally& tally) {
  const std::size_t origin = pop.region[i];
  const std::uint8_t lv = pop.level[i], st = pop.status[i];
  if (word >= th.move[(origin * kLevelCount + lv) * kStatusCount + st]) return;
  const double factor = rates.migration_factor(lv, st);
  std::size_t to = 0;
  while (to + 1 < rates.regions && word >= probability_threshold(rates.migration_cumulative(origin, to, factor))) ++to;
  pop.region[i] = static_cast<std::uint8_t>(to);
  if (st == kEmployed && !rates.migrants_keep_job) pop.status[i] = kUnemployed;
  if (tally.migrations.size() < rates.regions * rates.regions)
    tally.migrations.resize(rates.regions * rates.regions, 0);
  ++tally.migrations[origin * rates.regions + to];
}

// Moves agent i to group `to`, where its months in the group start again.
void change_group(const ColumnPointers& pop, std::int64_t i, std::uint8_t to, MonthTally& tally) {
  ++tally.group_changes[pop.group[i]][to];
  pop.group[i] = to;
  pop.months_in_group[i] = 0;
}

// Rules by region are in force (regional factors, migration): the pass compiled with kRegional.
bool regional_rules(const TransitionRates& rates) {
  return rates.migrating || !rates.job_loss_by_region.empty() || !rates.job_find_by_region.empty() ||
         rates.class_regions > 1;
}

// Whether the quiet screen (QuietScreen) runs this month: it covers the rules without regional
// factors, 以工代训's retention, studios' mentees, factors by person class and competitions, and
// needs AVX2.
bool screen_applies(const TransitionRates& rates, const CompetitionRules& competitions, const Mentoring* mentoring,
                    const RandomStreams::Monthly4x32& monthly) {
#ifdef SKILLSIM_PHILOX_AVX2
  return monthly.vectorised() && !regional_rules(rates) && rates.job_loss_subsidised.empty() &&
         (mentoring == nullptr || !mentoring->any()) && rates.sit_by_class.empty() && !competitions.any_held();
#else
  (void)rates, (void)competitions, (void)mentoring, (void)monthly;
  return false;
#endif
}

// The pass itself. kRegional: some regional rule is in force (regional factors, migration);
// kRetaining: 以工代训's retention effect is paid this month. The pass without them is compiled
// apart, so that the rules of before cost what they cost before. kProgrammes: the scenario has
// programmes, and so the columns of a worker's programme, follow-up window and insurance months
// (agent_columns): a scenario without them reads none of these, and one with them tests nothing
// more for it.
template <bool kRegional, bool kRetaining, bool kProgrammes>
MonthTally monthly_pass(const TransitionRates& rates, const ApplicationRules& applications,
                        const CompetitionRules& competitions, bool appointing, Month current, Population& pop,
                        const RandomStreams& rng, MonthlyCandidates& candidates, StockTally& stocks,
                        const Mentoring* mentoring, QuietScreening screening) {
  // Master studios' mentees (studios.hpp): looked up only for workers who may seek a level.
  const bool mentors = mentoring != nullptr && mentoring->any();
  // Read once: the loop's byte stores could alias them, and the compiler would reload them.
  const bool group_moves = rates.group_moves, by_class = !rates.sit_by_class.empty();
  const bool loss_by_region = kRegional && !rates.job_loss_by_region.empty();
  const bool find_by_region = kRegional && !rates.job_find_by_region.empty(); // regional factors or employers' matching
  const bool migrating = kRegional && rates.migrating;
  constexpr bool retaining = kRetaining; // 以工代训's retention effect (th.job_loss_subsidised)
  const std::uint8_t* subsidised = rates.subsidised_cell.data();
  const std::size_t employer_cells = rates.employer_cells;
  // With a cap of months per worker, those at the cap are no longer subsidised (the counter exists
  // only then): a loop-invariant test in the pass with the retention effect alone.
  const std::uint8_t* claimed_months = rates.subsidised_months_cap > 0 ? pop.subsidised_months.data() : nullptr;
  const std::int64_t months_cap = rates.subsidised_months_cap;
  const bool class_by_region = kRegional && rates.class_regions > 1;
  const std::int32_t month = current.index;
  const std::int64_t n = static_cast<std::int64_t>(pop.size());
  // The month's two Philox4x32 streams (random.hpp, MonthlyLane and MonthlyRareLane), as local
  // values: every agent draws a kMonthly block (computed kBlockBatch agents at a time, with vector
  // instructions), and a kMonthlyRare block only on the branches that need one (passing an
  // assessment held at once, migration).
  const RandomStreams::Monthly4x32 monthly = rng.monthly4x32(streams::kMonthly, month);
  const RandomStreams::Monthly4x32 rare = rng.monthly4x32(streams::kMonthlyRare, month);
  MonthTally total;
  // The stocks of the state the month starts from (the last month's end): each agent is counted
  // as the pass reaches it, before any change, so the run needs no counting pass of its own
  // (ReplicateState::store_results). The tally comes sized; its counts start at zero.
  const std::size_t stock_regions = stocks.by_region.size() / kLevelCount, stock_programmes = stocks.trainees.size();
  stocks = empty_stocks(stock_regions, stock_programmes);
  // Workers who may apply to a programme, by their status after this month's moves (the draw
  // comes from the kMonthly block, lane kApplication; see ApplicationRules), and the trainees and queued
  // candidates the training and evaluation steps look at (MonthlyCandidates).
  constexpr bool programmes = kProgrammes;
  const bool tracked = programmes || rates.queue_for_evaluation;
  // The columns of a worker's programme and wait for an assessment exist only with programmes or
  // evaluators, those of the follow-up window and insurance months only with programmes
  // (agent_columns): every read of them below is behind one of these two tests.
  if (tracked != pop.has(Column::programme) || programmes != pop.has(Column::follow_up_programme))
    throw Error("monthly rules: the population's columns do not match the scenario's programmes and evaluators "
                "(make the population with agent_columns)");
  candidates.applicants.clear();
  candidates.trainees.clear();
  candidates.queued.clear();
  candidates.competitors.clear();
  candidates.students.clear();
  candidates.appointable.clear();
  // Workers who may enter a competition held this month, by their state after this month's moves
  // (not while waiting for an assessment); the competition step draws their priorities.
  const bool competing = competitions.any_held();
  const bool screened = screening == QuietScreening::on && screen_applies(rates, competitions, mentoring, monthly);
  // The agents in chunks, handed to the threads as they come free (schedule(dynamic)): agents cost
  // unequally (the retired little, the dead nothing), and halves fixed in advance left one thread
  // waiting for the other. Each chunk has its own lists, joined in chunk order below, which is
  // agent order with no sort and no serial pass, however the chunks fell to the threads.
  const std::int64_t threads = omp_get_max_threads();
  const std::int64_t chunk_size =
      threads == 1
          ? std::max<std::int64_t>(n, 1)
          : std::max(kMinChunk, (n / (threads * kChunksPerThread) + kBlockBatch - 1) / kBlockBatch * kBlockBatch);
  std::vector<MonthlyCandidates> by_chunk(static_cast<std::size_t>((n + chunk_size - 1) / chunk_size));
  const auto chunks = static_cast<std::int64_t>(by_chunk.size());

#pragma omp parallel
  {
    // Thread-private copies of what the loop reads for every agent: a shared variable is reached
    // through the parallel region's closure, and a byte store may alias anything, so every read
    // of one after a store would load its address again (and the columns' pointers twice over).
    const Thresholds th(rates);
#ifdef SKILLSIM_PHILOX_AVX2
    const std::unique_ptr<const QuietScreen> screen =
        screened ? std::make_unique<const QuietScreen>(rates, th, applications) : nullptr;
#endif
    const ColumnPointers agents = pop.pointers();
    MonthTally local;
    StockCounter counted(stock_regions, stock_programmes);
    const StockCounter::Counters count = counted.counters();
    MonthlyCandidates* found = nullptr; // the lists of the chunk at hand
    // The kMonthly blocks of agents ahead_from .. ahead_from + kBlockBatch - 1. Each block is a
    // pure function of its agent's id, so where a batch starts changes no number.
    BlockBatch ahead;
    std::int64_t ahead_from = -kBlockBatch;
    const auto track = [&](std::int64_t i) {
      if (!tracked) return;
      // Most agents are neither: one test for both lists.
      const unsigned in_programme = agents.programme[i] ^ kNoProgramme,
                     following_up = programmes ? agents.follow_up_months_left[i] : 0u;
      const unsigned waiting = agents.evaluation_wait[i];
      if ((in_programme | following_up | waiting) == 0) [[likely]]
        return;
      if ((in_programme | following_up) != 0) found->trainees.push_back(static_cast<AgentIndex>(i));
      if (waiting != 0) found->queued.push_back(static_cast<AgentIndex>(i));
    };
    // Whether a worker below the bound may_apply is listed for the training step. Until that step
    // reads the list only trainees change (end_trainees), so a worker outside every programme has
    // now the state it will apply with: its choice is made here, where its columns are in cache,
    // and it is listed only if it applies. A trainee is listed unless its programme cannot end
    // this month (two months or more left); the training step decides.
    const auto may_apply_now = [&](std::int64_t i, std::uint32_t word) {
      if constexpr (programmes) {
        if (agents.programme[i] != kNoProgramme) return agents.programme_months_left[i] < 2;
        if (agents.evaluation_wait[i] != 0) return false;
        const std::uint8_t st = agents.status[i];
        return applications.choose(agents.region_of(i), std::size_t{agents.group[i]} * kStatusCount + st,
                                   agents.level[i], month - agents.birth_month[i], agents.ui_months[i],
                                   agents.months_at_level[i], word) >= 0;
      } else {
        (void)i, (void)word;
        return false;
      }
    };
    // The month's rules for agent i (alive at its start), of status st and level lv, with its
    // block d: what the steps of docs/model.md, "The monthly step", do to it.
    const auto rules = [&](std::int64_t i, std::uint8_t st, std::uint8_t lv, const DrawBlock4& d)
        __attribute__((always_inline)) {
      const auto rare_word = [&](int lane) { return rare.block(agents.id[i]).words[lane]; };
      const std::int32_t age_months = month - agents.birth_month[i];

      // Demography: death, then retirement at the statutory age.
      // (Trainees and queued candidates who leave are still tracked: their places and money go.)
      if (d.below(streams::kMortality, th.death_by_age[std::clamp(age_months, 0, Thresholds::kDeathAges - 1)])) {
        agents.status[i] = kRemoved;
        ++local.exits[lv];
        ++local.exits_by_group[agents.group[i]];
        MonthTally::count_at(local.exits_by_region, agents.region_of(i));
        track(i);
        return;
      }
      // Students (技工院校, schools.cpp) take part in nothing else while in school; the schools'
      // step reads them from this list, with no pass of its own over every agent.
      if (st == kStudent) [[unlikely]] {
        found->students.push_back(static_cast<AgentIndex>(i));
        return;
      }
      // Groups: a closed group's members, and those who have served its time limit, move on.
      if (group_moves) [[unlikely]] {
        const std::uint16_t next = th.group_month[agents.group[i]][agents.months_in_group[i]];
        if (next & Thresholds::kMovedTo)
          change_group(agents, i, static_cast<std::uint8_t>(next), local);
        else
          agents.months_in_group[i] = static_cast<std::uint8_t>(next);
      }
      if (st == kRetired) {
        if (migrating) [[unlikely]]
          migrate(rates, th, agents, i, rare_word(streams::kMigration), local);
        return;
      }
      if (age_months >= rates.retirement_age_months[agents.sex[i]]) {
        agents.status[i] = kRetired;
        ++local.retirements;
        if (migrating) [[unlikely]]
          migrate(rates, th, agents, i, rare_word(streams::kMigration), local);
        track(i);
        return;
      }

      // Skills: after the minimum time at the level, seek the next level's assessment (not while
      // training or already waiting for one); held at once, or queued for an evaluator.
      const int target = lv + 1;
      bool promoted = false;
      // A mentee of a master studio may seek it after the studios' wait and passes more often.
      const bool mentored = mentors && st == kEmployed && target < kLevelCount &&
                            mentoring->mentored(static_cast<std::size_t>(i)); // mentees are employed at the start
      if (target < kLevelCount &&
          (!tracked || (agents.programme[i] == kNoProgramme && agents.evaluation_wait[i] == 0)) &&
          (rates.served_minimum(target, agents.months_at_level[i]) ||
           (mentored && agents.months_at_level[i] >= mentoring->wait[static_cast<std::size_t>(target)]))) {
        std::uint64_t sit = th.sit[target][st], pass = th.pass[target];
        if (mentored) [[unlikely]]
          pass = mentoring->pass[static_cast<std::size_t>(target)];
        if (by_class) [[unlikely]] {
          const int c = person_class(age_months / 12, agents.sex[i], agents.group[i]);
          const int r = class_by_region ? agents.region_of(i) : 0;
          sit = th.sit_by_class[rates.sit_index(target, st, c, r)];
          const std::size_t k = rates.pass_index(target, c, r);
          pass = mentored ? mentoring->pass_by_class[k] : th.pass_by_class[k];
        }
        if (d.below(streams::kAssessmentSit, sit)) {
          if (rates.queue_for_evaluation && needs_evaluator(target)) {
            agents.evaluation_wait[i] = 1;
          } else {
            ++local.assessments[target];
            if (rare_word(streams::kAssessmentPass) < pass) {
              promote(agents, static_cast<std::size_t>(i), target, local);
              promoted = true;
            }
          }
        }
      }
      if (!promoted && agents.months_at_level[i] < kMaxCounter) ++agents.months_at_level[i];

      // Labour market, by the level and status held at the start of the month.
      const std::uint8_t g = agents.group[i];
      if (st == kEmployed) {
        std::uint64_t loss = th.job_loss[lv][g][agents.sector[i]];
        if (loss_by_region) [[unlikely]]
          loss = th.job_loss_by_region[TransitionRates::labour_index(agents.region_of(i), lv, g) * kSectorCount +
                                       agents.sector[i]];
        if constexpr (retaining) {
          const std::size_t r = agents.region_of(i);
          const std::uint8_t cell = agents.employer[i]; // every employed worker has one at the start of the month
          if (cell != kNoEmployer && subsidised[r * employer_cells + cell] != 0 &&
              (claimed_months == nullptr || claimed_months[i] < months_cap))
            loss = th.job_loss_subsidised[TransitionRates::labour_index(static_cast<int>(r), lv, g) * kSectorCount +
                                          agents.sector[i]];
        }
        // One word: job loss, or else an insurance month (random.hpp, kLabour).
        if (d.below(streams::kLabour, loss)) {
          agents.status[i] = kUnemployed;
          ++local.job_losses;
        } else if (programmes && d.below(streams::kLabour, nested_threshold(loss, th.insured[g])) &&
                   agents.ui_months[i] < kMaxInsurance) { // (read only by the programmes' admission)
          ++agents.ui_months[i];
        }
      } else if (st == kUnemployed) {
        std::uint64_t find = th.job_find[lv][g], find_or_inactive = th.find_or_inactive[lv][g];
        if (find_by_region) [[unlikely]] {
          const std::size_t k = TransitionRates::labour_index(agents.region_of(i), lv, g);
          find = th.job_find_by_region[k];
          find_or_inactive = th.find_or_inactive_by_region[k];
        }
        if (const std::uint8_t after = programmes ? agents.follow_up_programme[i] : kNoProgramme;
            after != kNoProgramme) {
          const std::size_t k = rates.follow_up_index(after, lv, g, agents.region_of(i));
          find = th.follow_up_find[k];
          find_or_inactive = th.follow_up_find_or_inactive[k];
        }
        if (d.below(streams::kLabour, find)) {
          agents.status[i] = kEmployed;
          ++local.job_finds;
          if (group_moves && rates.group_after_job[g] != g) change_group(agents, i, rates.group_after_job[g], local);
        } else if (d.below(streams::kLabour, find_or_inactive)) {
          agents.status[i] = kInactive;
        }
      } else if (st == kInactive) {
        if (d.below(streams::kLabour, th.reactivation)) agents.status[i] = kUnemployed;
      }
      // Migration, after the month's other moves, by the level and status they left.
      if (migrating) [[unlikely]]
        migrate(rates, th, agents, i, rare_word(streams::kMigration), local);
      if (programmes &&
          ApplicationRules::uniform(d.words[streams::kApplication]) <
              applications.may_apply[g * kStatusCount + agents.status[i]] &&
          may_apply_now(i, d.words[streams::kApplication]))
        found->applicants.push_back({static_cast<AgentIndex>(i), d.words[streams::kApplication]});
      if (competing && (!tracked || agents.evaluation_wait[i] == 0) &&
          competitions.may_enter(agents.status[i], agents.level[i], agents.months_at_level[i]))
        found->competitors.push_back(static_cast<AgentIndex>(i));
      // Those appointments may choose from (the dead, retired and students above cannot be), by
      // the level the pass leaves them at (a promotion here is one level up).
      if (appointing && static_cast<unsigned>(lv + promoted - kAppointedFrom) < 2u) [[unlikely]]
        found->appointable.push_back(static_cast<AgentIndex>(i));
      track(i);
    };
#pragma omp for schedule(dynamic, 1) nowait
    for (std::int64_t chunk = 0; chunk < chunks; ++chunk) {
      found = &by_chunk[static_cast<std::size_t>(chunk)];
      ahead_from = -kBlockBatch; // (a chunk starts on a whole batch: kBlockBatch divides chunk_size)
      std::int64_t i = chunk * chunk_size;
      const std::int64_t end = std::min(n, i + chunk_size);
#ifdef SKILLSIM_PHILOX_AVX2
      // Whole batches with the quiet screen: each agent counted as the month finds it, then the
      // quiet given their month (quiet_month), then the rules for the others, in agent order.
      for (; screened && end - i >= kBlockBatch; i += kBlockBatch) {
        monthly.blocks(agents.id + i, ahead);
        ahead_from = i;
        for (std::int64_t k = i; k < i + kBlockBatch; ++k)
          if (const std::uint8_t st = agents.status[k]; st != kRemoved)
            count.count(agents, static_cast<std::size_t>(k), agents.level[k], st);
        const std::uint32_t quiet =
            quiet_month<kProgrammes, true>(*screen, agents, i, ahead, month, tracked, appointing, group_moves);
        for (std::uint32_t busy = ~quiet; busy != 0; busy &= busy - 1) {
          const int j = std::countr_zero(busy);
          const std::int64_t k = i + j;
          if (const std::uint8_t st = agents.status[k]; st != kRemoved) rules(k, st, agents.level[k], ahead[j]);
        }
      }
#endif
      // One agent at a time: without the screen, or the last agents.
      for (; i < end; ++i) {
        const std::uint8_t st = agents.status[i];
        if (st == kRemoved) continue;
        const std::uint8_t lv = agents.level[i];
        count.count(agents, static_cast<std::size_t>(i), lv, st);
        if (i - ahead_from >= kBlockBatch) {
          ahead_from = i;
          if (n - i >= kBlockBatch) {
            monthly.blocks(agents.id + i, ahead);
          } else { // the last agents: the rest of the batch is blocks of id 0, never read
            std::uint32_t ids[kBlockBatch] = {};
            std::copy_n(agents.id + i, n - i, ids);
            monthly.blocks(ids, ahead);
          }
        }
        rules(i, st, lv, ahead[static_cast<int>(i - ahead_from)]);
      }
    }
#pragma omp critical(skillsim_monthly_rules)
    {
      total += local; // sums of integers: the same in any order
      counted.add_to(stocks);
    }
  }
  auto& c = candidates;
  // Each joined list is reserved at its exact size first: at 1:1 a list holds millions of agents,
  // and growing it by doubling would hold up to twice that (the memory estimate counts one).
  const auto join = [&](auto list) {
    std::size_t size = 0;
    for (const MonthlyCandidates& found : by_chunk) size += (found.*list).size();
    (c.*list).reserve(size);
    for (const MonthlyCandidates& found : by_chunk)
      (c.*list).insert((c.*list).end(), (found.*list).begin(), (found.*list).end());
  };
  join(&MonthlyCandidates::applicants);
  join(&MonthlyCandidates::trainees);
  join(&MonthlyCandidates::queued);
  join(&MonthlyCandidates::competitors);
  join(&MonthlyCandidates::students);
  join(&MonthlyCandidates::appointable);
  // A safeguard: the join is in agent order as long as each chunk is an ascending range of agents.
  const auto in_order = [](auto& list) {
    if (!std::is_sorted(list.begin(), list.end())) std::sort(list.begin(), list.end());
  };
  in_order(c.applicants);
  in_order(c.trainees);
  in_order(c.queued);
  in_order(c.competitors);
  in_order(c.students);
  in_order(c.appointable);
  return total;
}

} // namespace

MonthTally apply_monthly_rules(const TransitionRates& rates, const ApplicationRules& applications,
                               const CompetitionRules& competitions, bool appointing, Month current, Population& pop,
                               const RandomStreams& rng, MonthlyCandidates& candidates, StockTally& stocks,
                               const Mentoring* mentoring, QuietScreening screening) {
  const bool regional = regional_rules(rates);
  const bool retaining = !rates.job_loss_subsidised.empty();
  const auto pick = [&]<bool kProgrammes>() {
    return regional ? (retaining ? monthly_pass<true, true, kProgrammes> : monthly_pass<true, false, kProgrammes>)
                    : (retaining ? monthly_pass<false, true, kProgrammes> : monthly_pass<false, false, kProgrammes>);
  };
  const auto pass =
      applications.programmes.empty() ? pick.template operator()<false>() : pick.template operator()<true>();
  return pass(rates, applications, competitions, appointing, current, pop, rng, candidates, stocks, mentoring,
              screening);
}

std::int64_t count_quiet_agents(const TransitionRates& rates, const ApplicationRules& applications,
                                const CompetitionRules& competitions, bool appointing, Month month,
                                Population& population, const RandomStreams& rng, const Mentoring* mentoring) {
  const RandomStreams::Monthly4x32 monthly = rng.monthly4x32(streams::kMonthly, month.index);
  if (!screen_applies(rates, competitions, mentoring, monthly)) return -1;
  std::int64_t quiet = 0;
#ifdef SKILLSIM_PHILOX_AVX2
  const Thresholds th(rates);
  const QuietScreen screen(rates, th, applications);
  const ColumnPointers agents = population.pointers();
  const bool tracked = !applications.programmes.empty() || rates.queue_for_evaluation;
  const auto n = static_cast<std::int64_t>(population.size());
  BlockBatch words;
  for (std::int64_t first = 0; first + kBlockBatch <= n; first += kBlockBatch) {
    monthly.blocks(agents.id + first, words);
    const std::uint32_t lanes = applications.programmes.empty()
                                    ? quiet_month<false, false>(screen, agents, first, words, month.index, tracked,
                                                                appointing, rates.group_moves)
                                    : quiet_month<true, false>(screen, agents, first, words, month.index, tracked,
                                                               appointing, rates.group_moves);
    quiet += std::popcount(lanes);
  }
#else
  (void)applications, (void)appointing, (void)population;
#endif
  return quiet;
}

} // namespace skillsim
