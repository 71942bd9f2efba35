#include "skillsim/core/monthly_rules.hpp"

#include <omp.h>

#include <algorithm>
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
                        const Mentoring* mentoring) {
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
#pragma omp for schedule(dynamic, 1) nowait
    for (std::int64_t chunk = 0; chunk < chunks; ++chunk) {
      found = &by_chunk[static_cast<std::size_t>(chunk)];
      ahead_from = -kBlockBatch; // (a chunk starts on a whole batch: kBlockBatch divides chunk_size)
      for (std::int64_t i = chunk * chunk_size, end = std::min(n, i + chunk_size); i < end; ++i) {
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
        const DrawBlock4 d = ahead[static_cast<int>(i - ahead_from)];
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
          continue;
        }
        // Students (技工院校, schools.cpp) take part in nothing else while in school; the schools'
        // step reads them from this list, with no pass of its own over every agent.
        if (st == kStudent) [[unlikely]] {
          found->students.push_back(static_cast<AgentIndex>(i));
          continue;
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
          continue;
        }
        if (age_months >= rates.retirement_age_months[agents.sex[i]]) {
          agents.status[i] = kRetired;
          ++local.retirements;
          if (migrating) [[unlikely]]
            migrate(rates, th, agents, i, rare_word(streams::kMigration), local);
          track(i);
          continue;
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
        if (programmes && ApplicationRules::uniform(d.words[streams::kApplication]) <
                              applications.may_apply[g * kStatusCount + agents.status[i]])
          found->applicants.push_back({static_cast<AgentIndex>(i), d.words[streams::kApplication]});
        if (competing && (!tracked || agents.evaluation_wait[i] == 0) &&
            competitions.may_enter(agents.status[i], agents.level[i], agents.months_at_level[i]))
          found->competitors.push_back(static_cast<AgentIndex>(i));
        // Those appointments may choose from (the dead, retired and students above cannot be), by
        // the level the pass leaves them at (a promotion here is one level up).
        if (appointing && static_cast<unsigned>(lv + promoted - kAppointedFrom) < 2u) [[unlikely]]
          found->appointable.push_back(static_cast<AgentIndex>(i));
        track(i);
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
                               const Mentoring* mentoring) {
  const bool regional = rates.migrating || !rates.job_loss_by_region.empty() || !rates.job_find_by_region.empty() ||
                        rates.class_regions > 1;
  const bool retaining = !rates.job_loss_subsidised.empty();
  const auto pick = [&]<bool kProgrammes>() {
    return regional ? (retaining ? monthly_pass<true, true, kProgrammes> : monthly_pass<true, false, kProgrammes>)
                    : (retaining ? monthly_pass<false, true, kProgrammes> : monthly_pass<false, false, kProgrammes>);
  };
  const auto pass =
      applications.programmes.empty() ? pick.template operator()<false>() : pick.template operator()<true>();
  return pass(rates, applications, competitions, appointing, current, pop, rng, candidates, stocks, mentoring);
}

} // namespace skillsim
