// The expected-value twin (docs/twin.md). The state of the active (not retired) population is a
// vector over sex x group x sector class x status x (level, months at level), the months at a
// level kept exactly up to the longest minimum wait out of it and pooled beyond. Every rule the
// twin models but death and retirement is the same for every age, so one monthly kernel K_u moves
// every cohort; death is a factor per cohort and retirement takes whole cohorts out. The active
// state after month t is then
//
//   A(t) = K_t(... K_2(K_1(V_0) + E_1) ...) + E_t,
//
// with V_0 the initial population and E_u the entrants of month u, each weighted by its cohorts'
// chance of being alive and active after month t. The retirements of month t are the same sum
// with other weights, to month t - 1; its deaths A(t - 1) less the surviving and the retiring
// (Projector::derive_dying). So each month is a few vectors pushed through the kernels of the
// months before it: exact for the linear rules, with no state per cohort but the retired (level
// x group per month of birth).
#include "skillsim/core/twin.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <new>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "skillsim/core/allocation.hpp"
#include "skillsim/core/carry.hpp"
#include "skillsim/core/competitions.hpp"
#include "skillsim/core/entrants.hpp"
#include "skillsim/core/promotion.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/results_layout.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/core/statistics.hpp"
#include "skillsim/core/studios.hpp"
#include "skillsim/core/synthesis.hpp"
#include "skillsim/core/targets.hpp"
#include "skillsim/core/training.hpp"
#include "skillsim/core/twin_competitions.hpp"
#include "skillsim/core/twin_evaluation.hpp"
#include "skillsim/core/twin_studios.hpp"
#include "twin_groups.hpp"
#include "twin_schools.hpp"

namespace skillsim {

namespace {

std::string refusal_message(const std::vector<Issue>& issues) {
  std::string text = "the scenario uses what the expected-value twin does not model yet (run the agent model, "
                     "skillsim run, or leave these out):";
  for (const auto& issue : issues) text += "\n  " + issue.key + ": " + issue.message;
  return text;
}

constexpr int kRetired = static_cast<int>(Status::Retired);
constexpr int kEmployed = static_cast<int>(Status::Employed);
constexpr int kUnemployed = static_cast<int>(Status::Unemployed);
constexpr int kInactive = static_cast<int>(Status::Inactive);

// A vector of doubles that is zero when it grows. calloc takes a large block from the system,
// whose pages are zero already and are faulted in only when first touched: many cells of a large
// state never hold anybody (national_2019_2021's vectors are 154 MB a column; over its first 12
// months three quarters of the buffers' pages are never touched), and a page fault costs
// microseconds, so zeroing whole buffers cost more than the projection's arithmetic there.
// (This pays with several projections side by side too, since the record pass reads and writes
// only the segments that hold somebody: find_live.)
class ZeroBuffer {
public:
  // At least `size` doubles; all zero when it grows (its users keep it zero otherwise).
  double* at_least(std::size_t size) {
    if (size > size_) {
      data_.reset(); // (before the new block: the two are not held at once)
      data_.reset(static_cast<double*>(std::calloc(size, sizeof(double))));
      if (!data_) throw std::bad_alloc();
      size_ = size;
    }
    return data_.get();
  }

  // What it holds (for TwinOptions::check_buffers_cleared).
  const double* data() const { return data_.get(); }
  std::size_t size() const { return size_; }

private:
  struct Free {
    void operator()(double* p) const { std::free(p); }
  };
  std::unique_ptr<double, Free> data_;
  std::size_t size_ = 0;
};

// The vectors a projection works in (Projector::view), zero between uses. A thread projecting
// several parameter sets hands them from one set's projection to the next, whose state is the
// same size or close: the pages are faulted in once a thread, not once a set.
struct TwinBuffers {
  std::array<ZeroBuffer, 7> vectors;
};

// Most copies of the cells (tracks) the twin's state may hold: about 40,000 cells each at the
// defaults, so 1,024 of them are some 330 MB a vector of address space. The buffers' pages are
// faulted in only where somebody is (ZeroBuffer), and a month's end reads the state once
// (find_live), so the bound is on the address space and that read more than on memory.
constexpr std::int64_t kMaxTracks = 1024;
// Most (level, months, insurance months) entries over all copies: as many copies as the most of
// Jincheng's 1,785 with its insurance months, some 2 GB a vector of address space (its plan's
// evaluation queue needs 44 x 1,785 = 78,540; with a job-finding factor, 476 x 1,785 = 849,660).
constexpr std::int64_t kMaxEntries = kMaxTracks * 1785;
// Most vectors of kMaxEntries pushed side by side: some 22 GB of address space a buffer, under
// the 24 GB of memory of the machines the twin is run on (Linux refuses a calloc larger than the
// memory by default); only the pages of the rows that hold somebody are touched (ZeroBuffer).
// national_2019_2021 pushes 11 of 1,574,370 entries (its followed crossings in proportion).
constexpr std::int64_t kMaxSideBySide = 11;

// The vectors of `entries` (level, months, insurance months) entries (as twin_refusals counts
// them) pushed side by side (Projector::run): the surviving, the retiring (a column per month of
// birth, one a sex at fixed retirement ages) and the crossings of the age limits, counted as 4,
// and a column following the completers of each of the `untracked` programmes whose windows are
// not tracks (Follow); with the band over the maximum age and its followed crossings held
// exactly, one such column more per later month a window can end in (`window` of them).
std::int64_t side_by_side(std::int64_t untracked, std::int64_t window, bool exact_across_band) {
  return 4 + untracked * (exact_across_band ? window : 1);
}
// The (level, months, insurance months) entries of `tracks` copies of `buckets` such entries,
// counted as for 8 groups (`group_states` of them: twin_groups.hpp), as the bounds above count.
std::int64_t entries_counted(std::int64_t tracks, std::int64_t buckets, std::int64_t group_states) {
  return tracks * buckets * group_states / kGroupCount;
}
bool fits_side_by_side(std::int64_t entries, std::int64_t side) {
  return entries * side <= kMaxEntries * kMaxSideBySide;
}

// Whether a certificate's queue holds the follow-up window of its own programme with `left`
// months to go after `wait` months waited: a completion starts the window as it queues the
// completer at wait 1, and both go on a month at a time in the same month (Kernel::train counts
// the window down, then Kernel::evaluate the wait up), so wait + left is a window's length + 1
// after the training step and + 2 after the evaluation step. `lengths` holds every window's
// length in the run.
bool queue_window_reached(std::int64_t wait, std::int64_t left, const std::vector<std::int64_t>& lengths) {
  return std::any_of(lengths.begin(), lengths.end(),
                     [&](std::int64_t n) { return wait + left == n + 1 || wait + left == n + 2; });
}

// Every factor is 1.
bool all_one(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return x == 1; });
}

// Where the active state's cells are: sex x group x sector class x status slot x bucket, a
// bucket being (level, insurance months, months at level up to cap[level], the last one pooling
// the longer waits). Insurance months are kept (0 to ins[level] - 1, the last pooling the
// longer) only where a programme reads them (Projector::build_layout); elsewhere ins[level] = 1.
struct Layout {
  std::array<int, kLevelCount> cap{}, offset{}, ins{};
  int buckets = 0;
  // Rows of one level: its insurance months, each over its months at the level.
  int span(int level) const { return cap[static_cast<std::size_t>(level)] + 1; }
  int rows(int level) const { return span(level) * ins[static_cast<std::size_t>(level)]; }
  // The row within `level` of insurance months i and months at the level m.
  int row(int level, int i, int m) const { return i * span(level) + m; }
  // Insurance months i at another level (promotion): kept there, or not (a level no programme
  // asking for them admits, nor any below it).
  int carried(int i, int to_level) const {
    return ins[static_cast<std::size_t>(to_level)] > 1 ? std::min(i, ins[static_cast<std::size_t>(to_level)] - 1) : 0;
  }
  // Group states (twin_groups.hpp): a group with a time limit once per month in it. The cells'
  // "group" is a state; the rules read its group (gstates.group).
  twin::GroupStates gstates;
  int groups() const { return gstates.count(); }
  std::vector<int> statuses;               // the status of each slot
  std::array<int, kStatusCount> slot_of{}; // -1: no slot (retired)
  // The cells' "class" is a pair (region class, sector class), class = region class x
  // sector_classes + sector class. Sectors whose job-loss factor is the same in every month move
  // alike and share a sector class, each keeping its share of it. Regions are each a region class
  // where anything depends on the region, else one class holds them all, each region its share
  // of every cell (region_part; Projector::build_region_classes).
  std::array<int, kSectorCount> sector_class_of{};
  int sector_classes = 0, region_classes = 1, classes = 0;
  std::vector<double> sector_class_share;                      // of everybody
  std::array<double, kSectorCount> share_in_class{};           // a sector's share of its sector class
  std::vector<std::vector<double>> region_part;                // per region class: each region's share of it
  std::vector<double> region_class_share;                      // per region class: of the entrants
  std::vector<std::vector<double>> initial_region_class_share; // per level, per region class: of the initial population
  // A class's share of the entrants (region and sector drawn independently), and of the
  // initial population at `level` (its region drawn given the level).
  double class_share(int c) const {
    return region_class_share[static_cast<std::size_t>(region_class(c))] *
           sector_class_share[static_cast<std::size_t>(sector_class(c))];
  }
  double initial_class_share(int c, int level) const {
    return initial_region_class_share[static_cast<std::size_t>(level)][static_cast<std::size_t>(region_class(c))] *
           sector_class_share[static_cast<std::size_t>(sector_class(c))];
  }
  int sector_class(int c) const { return c % sector_classes; }
  int region_class(int c) const { return c / sector_classes; }
  // The region whose rules a class's workers follow.
  int region_of(int c) const { return region_classes > 1 ? region_class(c) : 0; }
  // The region class of region r: its own, or the one class.
  int region_class_of(std::size_t r) const { return region_classes > 1 ? static_cast<int>(r) : 0; }
  // `n` persons of region class rc added to `by_region` (per region) by its regions' parts.
  void add_by_region(std::vector<double>& by_region, int rc, double n) const {
    const std::vector<double>& part = region_part[static_cast<std::size_t>(rc)];
    for (std::size_t r = 0; r < by_region.size(); ++r) by_region[r] += n * part[r];
  }
  std::size_t cells = 0; // in all tracks
  // Tracks (with programmes): the programme a worker is in and its months left, times the
  // follow-up window it is in (a completer may enrol again while followed up) where the window
  // changes the kernel: only after a programme whose job_find_factor is not 1 (a "tracked"
  // window). Elsewhere a window changes nothing but followed_up and employed_after, which the
  // pushes count apart (Follow). Track 0 is neither; each track holds a copy of the cells above
  // (per_track of them; an age class only the segments its workers can reach: place).
  struct Track {
    int prog = -1, left = 0;   // in programme prog with left months to go (1..duration)
    int fprog = -1, fleft = 0; // followed up after programme fprog, fleft months to go (1..window)
    // Waiting for an evaluator (evaluation.evaluators): `wait` months (1..waits; 0: not queued),
    // for an ordinary assessment (qprog -1) or programme qprog's certificate (twin_evaluation.hpp).
    int wait = 0, qprog = -1;
    // Age class of a worker younger than the programmes' minimum age (Layout::young_age): 1 to
    // young_classes; 0 for everybody else (old enough for every programme).
    int young = 0;
    // Age band (Layout::over_age): 1 for a copy of a main track whose workers are at or over the
    // programmes' maximum age; 0 for everybody else.
    int over = 0;
  };
  std::vector<Track> tracks{Track{}};
  std::size_t per_track = 0;
  std::vector<int> prog_first; // the programme part's index of (k, 1)
  std::vector<int> tracked;    // per programme: its index among those whose windows are tracks, or -1
  int tracked_count = 0;       // programmes whose windows are tracks
  int window = 0;              // longest follow-up window of the run
  // The evaluation queue (Projector::build_queue): tracks from queue_first on, per (qprog -1..K-1,
  // months waited 1..waits, follow-up part); waits = the longest max_wait_months + 1 (those past
  // the month's limit leave in its evaluation step), 0 without evaluators.
  std::size_t queue_first = 0;
  int waits = 0;
  std::size_t queued(int qprog, int wait, int fprog, int fleft) const {
    return queue_first +
           static_cast<std::size_t>(((qprog + 1) * waits + wait - 1) * follow_parts() + follow_part(fprog, fleft));
  }
  // Workers younger than the programmes' minimum age (docs/twin.md, "Age"), `young_age` months
  // (every programme open asks for the same: twin_refusals). The tracks such a worker may reach
  // (young_main: in no programme, no follow-up window held as a track, queued for no certificate:
  // every programme turns them away) are held again once per age class c = 1..young_classes,
  // from young_first on: a worker of class c is young_age - c months old in the month, once the
  // month's kernel has begun (Kernel::market moves class c to c - 1, class 1 to the main track).
  std::int32_t young_age = 0;
  int young_classes = 0;
  // The initial population under the minimum age (docs/twin.md, "What the twin refuses",
  // programmes.min_age): one more class, young_classes + 1, that does not age (its workers are
  // under young_age until their cohort crosses it: Projector::run moves them to the main
  // tracks); 0 where nobody of the initial population is under it. It holds every segment.
  int under_class = 0;
  // The class a track's workers are in once the month's kernel has begun (Kernel::market).
  int next_class(const Track& t) const { return t.young > 0 && t.young == under_class ? t.young : t.young - 1; }
  int last_class() const { return under_class > 0 ? under_class : young_classes; }
  std::size_t young_first = 0;
  std::vector<std::size_t> young_main; // the main tracks held per class, in order
  std::vector<int> young_slot;         // per main track: its index in young_main, or -1
  // Track `tr` (main or young) in age class `cls` (0 or below: the main track).
  std::size_t in_class(std::size_t tr, int cls) const {
    const std::size_t home = tracks[tr].young > 0 ? young_main[(tr - young_first) % young_main.size()] : tr;
    if (cls <= 0) return home;
    return young_first + static_cast<std::size_t>(cls - 1) * young_main.size() +
           static_cast<std::size_t>(young_slot[home]);
  }
  // Where track `tr`'s workers are once a month older (the main track's stay there).
  std::size_t aged(std::size_t tr) const {
    return tracks[tr].young > 0 && tracks[tr].young != under_class ? in_class(tr, tracks[tr].young - 1) : tr;
  }
  // The age in months of track `tr`'s workers in the month (after Kernel::market), or -1 for a
  // main track (old enough for every programme, and under the maximum age); over_age for the
  // band over the maximum age (every programme with that maximum turns it away).
  std::int32_t age_of(std::size_t tr) const {
    if (tracks[tr].over > 0) return over_age;
    if (tracks[tr].young > 0 && tracks[tr].young == under_class) return young_age - 1;
    return tracks[tr].young > 0 ? young_age - tracks[tr].young : -1;
  }
  // The age band over a programme maximum age below the retirement age (docs/twin.md, "What
  // the twin refuses", programmes.max_age; every programme with such a maximum asks for the same
  // one, over_age months: twin_refusals): the main tracks [0, main_count) are held again from
  // over_first on, in the same order and whole. 0: no band (the state is unchanged).
  std::int32_t over_age = 0;
  std::size_t over_first = 0, main_count = 0;
  // Main track `tr` (not an age class) in band `band` (0: under the maximum age; 1: over it).
  std::size_t in_band(std::size_t tr, int band) const { return band > 0 ? over_first + tr : tr; }

  // The track of `t`'s queue part with another follow-up part.
  std::size_t with_follow(const Track& t, int fprog, int fleft) const {
    return t.wait > 0 ? queued(t.qprog, t.wait, fprog, fleft) : track(-1, 0, fprog, fleft);
  }

  int programme_part(int prog, int left) const {
    return prog < 0 ? 0 : prog_first[static_cast<std::size_t>(prog)] + left - 1;
  }
  int follow_part(int fprog, int fleft) const {
    return fprog < 0 || fleft <= 0 ? 0 : 1 + tracked[static_cast<std::size_t>(fprog)] * window + fleft - 1;
  }
  int follow_parts() const { return 1 + tracked_count * window; }
  std::size_t track(int prog, int left, int fprog, int fleft) const {
    return static_cast<std::size_t>(programme_part(prog, left) * follow_parts() + follow_part(fprog, fleft));
  }
  std::size_t segments() const {
    return tracks.size() * kSexCount * static_cast<std::size_t>(groups()) * static_cast<std::size_t>(classes) *
           statuses.size() * kLevelCount;
  }
  std::size_t segment(std::size_t tr, int sex, int g, int c, int k, int level) const {
    return ((((tr * kSexCount + static_cast<std::size_t>(sex)) * static_cast<std::size_t>(groups()) +
              static_cast<std::size_t>(g)) *
                 static_cast<std::size_t>(classes) +
             static_cast<std::size_t>(c)) *
                statuses.size() +
            static_cast<std::size_t>(k)) *
               kLevelCount +
           static_cast<std::size_t>(level);
  }

  // Where the segments' rows are (place): a main track holds every segment, per_track rows in
  // the order of index(); an age class only the segments its workers can reach
  // (Projector::young_segments), in the same order. The rows of a block (and of a track) are
  // consecutive.
  static constexpr std::size_t kNotHeld = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> seg_first;   // per segment: its first row, or kNotHeld
  std::vector<std::size_t> block_first; // per block, and one past the last: its first row
  void place(const std::vector<std::uint8_t>& held) {
    seg_first.assign(segments(), kNotHeld);
    block_first.assign(blocks() + 1, 0);
    const std::size_t per_block = segments_per_block();
    std::size_t row = 0;
    for (std::size_t id = 0; id < seg_first.size(); ++id) {
      if (id % per_block == 0) block_first[id / per_block] = row;
      if (!held[id]) continue;
      seg_first[id] = row;
      row += static_cast<std::size_t>(rows(static_cast<int>(id % kLevelCount)));
    }
    block_first[blocks()] = row;
    cells = row;
  }
  bool holds(std::size_t tr, int sex, int g, int c, int k, int level) const {
    return seg_first[segment(tr, sex, g, c, k, level)] != kNotHeld;
  }
  // The first row of a segment the state holds (a move to one it does not hold is a bug of the
  // reachability of the age classes' rows or the certificate queues' windows: an error, not a
  // write elsewhere).
  std::size_t first(std::size_t tr, int sex, int g, int c, int k, int level) const {
    const std::size_t at = seg_first[segment(tr, sex, g, c, k, level)];
    if (at == kNotHeld)
      throw Error(tracks[tr].young > 0 ? "the twin's age class " + std::to_string(tracks[tr].young) +
                                             " holds no row for a move it makes (Projector::young_segments)"
                                       : "the twin's certificate queue holds no row for a move it makes (Projector::"
                                         "hold_reachable_queue_windows)");
    return at;
  }
  std::size_t at(std::size_t tr, int sex, int g, int c, int k, int level, int row) const {
    return first(tr, sex, g, c, k, level) + static_cast<std::size_t>(row);
  }

  // Blocks: the rows of one (track, sex, group), numbered in row order.
  std::size_t blocks() const { return tracks.size() * kSexCount * static_cast<std::size_t>(groups()); }
  std::size_t block_start(std::size_t b) const { return block_first[b]; }
  std::size_t block_size(std::size_t b) const { return block_first[b + 1] - block_first[b]; }
  // The rows of track tr: [track_start(tr), track_start(tr + 1)).
  std::size_t track_start(std::size_t tr) const { return block_first[block_of(tr, 0, 0)]; }
  // A block's track, sex and group state.
  std::size_t track_of_block(std::size_t b) const { return b / (kSexCount * static_cast<std::size_t>(groups())); }
  int sex_of_block(std::size_t b) const { return static_cast<int>(b / static_cast<std::size_t>(groups()) % kSexCount); }
  int group_of_block(std::size_t b) const { return static_cast<int>(b % static_cast<std::size_t>(groups())); }
  std::size_t block_of(std::size_t tr, int sex, int group) const {
    return (tr * kSexCount + static_cast<std::size_t>(sex)) * static_cast<std::size_t>(groups()) +
           static_cast<std::size_t>(group);
  }
  // Segments (segment ids) per block; a segment's block, class, status slot and level.
  static constexpr auto kLevels = static_cast<std::size_t>(kLevelCount);
  std::size_t segments_per_block() const { return static_cast<std::size_t>(classes) * statuses.size() * kLevels; }
  std::size_t block_of_segment(std::size_t id) const { return id / segments_per_block(); }
  int class_of_segment(std::size_t id) const {
    return static_cast<int>(id / (statuses.size() * kLevels) % static_cast<std::size_t>(classes));
  }
  int slot_of_segment(std::size_t id) const { return static_cast<int>(id / kLevels % statuses.size()); }
  int level_of_segment(std::size_t id) const { return static_cast<int>(id % kLevels); }
  // The rows of a segment the state holds: [seg_first[id], + rows(level)).
  Eigen::Index segment_start(std::size_t id) const { return static_cast<Eigen::Index>(seg_first[id]); }
  Eigen::Index segment_rows(std::size_t id) const { return rows(level_of_segment(id)); }
  int max_rows() const {
    int most = 0;
    for (int l = 0; l < kLevelCount; ++l) most = std::max(most, rows(l));
    return most;
  }
  // The row of (sex, group, class, slot, level, m) in the initial population's vector (track 0,
  // which every layout holds whole).
  std::size_t index(int sex, int group, int cls, int slot, int level, int m) const {
    return ((static_cast<std::size_t>(sex * groups() + group) * static_cast<std::size_t>(classes) +
             static_cast<std::size_t>(cls)) *
                statuses.size() +
            static_cast<std::size_t>(slot)) *
               static_cast<std::size_t>(buckets) +
           static_cast<std::size_t>(offset[static_cast<std::size_t>(level)] + m);
  }
};

// Whether any of the n values from `x` is other than 0 (or -0). The bits of each chunk are OR-ed
// (the sign masked), which the compiler vectorises, with an exit after the first chunk that holds
// somebody: Eigen's isZero walked a row-major block column by column, one compare at a time,
// and was a fifth of a projection's time (perf, jincheng_plan_2020_2021, 2026-12-05). A NaN
// counts as somebody, so a fault shows in the results rather than vanishing.
bool holds_somebody(const double* x, std::size_t n) {
  constexpr std::size_t kChunk = 64;
  constexpr std::uint64_t kMagnitude = ~(std::uint64_t{1} << 63);
  std::size_t i = 0;
  for (; i + kChunk <= n; i += kChunk) {
    std::uint64_t bits = 0;
    for (std::size_t j = 0; j < kChunk; ++j) bits |= std::bit_cast<std::uint64_t>(x[i + j]) & kMagnitude;
    if (bits != 0) return true;
  }
  std::uint64_t bits = 0;
  for (; i < n; ++i) bits |= std::bit_cast<std::uint64_t>(x[i]) & kMagnitude;
  return bits != 0;
}

// Whether rows of a row-major batch (Batch, View, or a middleRows or row of one: contiguous)
// hold somebody, as holds_somebody.
template <class Rows>
bool rows_hold_somebody(const Rows& x) {
  static_assert(Rows::IsRowMajor || Rows::RowsAtCompileTime == 1, "the rows must be contiguous");
  assert(x.rows() <= 1 || x.outerStride() == x.cols());
  return holds_somebody(x.data(), static_cast<std::size_t>(x.size()));
}

// The segments (Layout::segment) that hold somebody at one point of a month's kernel, and of each
// the insurance months that do, lo..hi (rows lo * span to (hi + 1) * span of the segment: a
// trainee of a course that asks for 12 insurance months has 12 or more, so of the 13 kept only
// the last holds somebody). The record pass finds them (find); every vector pushed through the
// month later holds a part of the same cohorts (non-negative weights), so it holds nobody outside
// them and the pushes move, copy and zero only those rows (TwinOptions::whole_segments: every
// row of a live segment, as before).
struct LiveSegments {
  std::vector<std::uint8_t> held;    // per segment
  std::vector<std::uint16_t> lo, hi; // per held segment: its first and last insurance months with somebody
  void reset(std::size_t segments) {
    held.assign(segments, 0);
    lo.assign(segments, 0);
    hi.assign(segments, 0);
  }
  bool operator[](std::size_t id) const { return held[id] != 0; }
  // Notes whether segment `id` (its rows `x`: `ins` insurance months of `span` rows each) holds
  // somebody, and which of its insurance months do (all, with `whole`); returns whether it does.
  template <class Rows>
  bool find(std::size_t id, const Rows& x, Eigen::Index span, int ins, bool whole) {
    int first = 0, last = ins - 1;
    while (first < ins && !rows_hold_somebody(x.middleRows(first * span, span))) ++first;
    held[id] = first < ins;
    if (first == ins) return false;
    while (last > first && !rows_hold_somebody(x.middleRows(last * span, span))) --last;
    lo[id] = static_cast<std::uint16_t>(whole ? 0 : first);
    hi[id] = static_cast<std::uint16_t>(whole ? ins - 1 : last);
    return true;
  }
  // The rows of a held segment to push: the first (from the segment's first row) and how many.
  std::pair<Eigen::Index, Eigen::Index> rows(std::size_t id, Eigen::Index span) const {
    return {lo[id] * span, (hi[id] - lo[id] + 1) * span};
  }
};

// One month's rules: the parameters in force, their rates, and what the month's appointments
// took (the share of the eligible appointed, found once and applied to every vector after).
struct MonthRules {
  Month month;
  Parameters p;
  TransitionRates rates;
  std::array<double, 2> appointed_share{};
  ApplicationRules applications;
  // The applicants of a programme are told apart, as the agents' demand cells are, by the
  // substitutes they qualify for (programmes.substitutes): a mask of substitute_bits bits, bit j
  // for the programme's substitute j. 0 bits without substitutes.
  std::size_t substitute_bits;
  // Per applicant cell (applicant_cell: programme, region class, group, mask), admitted to the
  // programme (admit_share) and to its substitute j (substitute_share, x substitute_bits + j); the
  // record pass finds them.
  std::vector<double> admit_share, substitute_share;
  // The segments (Layout::segment) that hold somebody at points of the month's kernel, and their
  // insurance months that do (LiveSegments): its input, the training step's, the applications'
  // and the evaluation step's. The record pass finds them; every vector pushed through the month
  // later holds a part of the same cohorts (non-negative weights), so its segments are among
  // them and the others need not be looked at.
  LiveSegments live_in, live_migrate, live_train, live_admit, live_eval;
  std::vector<double> assessed_share; // evaluation cell: assessed per candidate (twin_evaluate)
  // The rows (first, count) of the live segments of the record pass's input (live_in; their
  // insurance months that hold somebody): every vector pushed through the month holds nobody
  // elsewhere, so zeroing these clears it (Kernel::clear), without the rest of their blocks
  // (most of a track's cells hold nobody).
  std::vector<std::pair<Eigen::Index, Eigen::Index>> rows_in;
  // Skills competitions held this month (the agents' rules) and each held tier's shares (the
  // record pass finds them: twin_competition_shares), and the segments that hold somebody then.
  CompetitionRules competitions;
  std::vector<TwinCompetitionShares> contest;
  LiveSegments live_contest;
  // Master studios open this month: what mentoring gives (the agents' terms), and the share of
  // every eligible cell of a region class mentored, per region class (the record pass finds it:
  // Kernel::mentor).
  bool studios = false;
  Mentoring mentoring;
  std::vector<double> mentored_share;
  // Region classes of the layout (Layout::region_classes): the applicant cells and the mentored
  // shares are per region class (hold_region_classes, once the layout is built).
  std::size_t region_classes = 1;
  MonthRules(const Scenario& s, Month m)
      : month(m), p(s.parameters_at(m)), rates(p, m), applications(p), substitute_bits(substitutes_at_most()),
        competitions(p, rates, m), studios(studios_open(p.studios)) {
    if (studios) mentoring.set_terms(p.studios, rates);
    hold_region_classes(1);
  }
  void hold_region_classes(std::size_t n) {
    region_classes = n;
    admit_share.assign((p.programmes.names.size() * n * kGroupCount) << substitute_bits, 0.0);
    substitute_share.assign(admit_share.size() * substitute_bits, 0.0);
    mentored_share.assign(n, 0.0);
  }
  // The most substitutes a programme anybody applies to has (twin_refusals bounds it).
  std::size_t substitutes_at_most() const {
    std::size_t most = 0;
    for (const ApplicationRules::Programme& rule : applications.programmes)
      if (rule.rate > 0) most = std::max(most, rule.substitutes.size());
    return most;
  }
  // Where the applicants of (programme k, region class rc, group g) with substitute mask `mask`
  // are counted.
  std::size_t applicant_cell(std::size_t k, std::size_t rc, std::size_t g, std::uint32_t mask) const {
    return (((k * region_classes + rc) * kGroupCount + g) << substitute_bits) | mask;
  }
  // The substitute mask of an applicant cell (the inverse of applicant_cell's last part).
  std::uint32_t mask_of(std::size_t cell) const {
    return static_cast<std::uint32_t>(cell & ((std::size_t{1} << substitute_bits) - 1));
  }
  // The share of a worker of `status` at `level` in region class `rc`, in a track outside
  // programmes, mentored this month (0: none).
  double mentored(int status, int level, int rc) const {
    const bool mentee =
        studios && status == kEmployed && level >= p.studios.mentee_min_level && level < p.studios.master_min_level;
    return mentee ? mentored_share[static_cast<std::size_t>(rc)] : 0.0;
  }
};

// Several vectors over the layout's cells at once (rows: cells, columns: vectors).
using Batch = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// A batch over memory kept for the whole projection (Projector::view): allocating and zeroing the
// whole state for every month pushed cost more than the pushes themselves. The memory is all
// zero between uses, so a view of any number of columns starts at zero; each user zeroes again
// only what it wrote.
using View = Eigen::Map<Batch>;

// The programmes' terms fixed for the run (as TrainingSystem's), and the record-only state the
// month's record pass changes: the carries of appointment places and seats, and the funds' money
// (expectations in yuan, as the ledger's, with no whole-yuan rounding).
struct Terms {
  std::size_t programmes = 0, funds = 0, regions = 1;
  std::vector<double> claim;            // programme x fund: yuan of one claim (claim_yuan)
  std::vector<double> employer_claim;   // per programme: the employer's part of a claim (employer_claim_yuan)
  std::vector<Payment> payment;         // per programme
  std::vector<double> claims_committed; // per programme
  std::vector<std::uint8_t> apprenticeship;
  std::vector<int> duration; // per programme
};

struct Book {
  std::array<Carry, 2> appointments_due{};
  std::vector<double> remaining, committed; // per fund
  int budget_year = -1;
  std::vector<Carry> seats_due;                                 // programme x region
  std::vector<Carry> evaluation_due;                            // evaluator x region
  std::vector<Carry> contest_entrants_due, contest_winners_due; // per competition tier
};

// Calls f(id) for every segment the state holds in block b, in row order.
template <class F>
void for_held_segments(const Layout& lay, std::size_t b, F&& f) {
  for (std::size_t id = b * lay.segments_per_block(); id < (b + 1) * lay.segments_per_block(); ++id)
    if (lay.seg_first[id] != Layout::kNotHeld) f(id);
}

// The segments of `x` that hold somebody (segment ids, in row order) into `segments`: among
// `candidates` (segment ids the state holds, in row order) where given, else among all. What the
// record pass reads, copies and zeroes at a month's start and end is then these segments' rows,
// not their blocks', most of whose cells hold nobody.
void find_live(const Layout& lay, const View& x, std::vector<std::size_t>& segments,
               const std::vector<std::size_t>* candidates = nullptr) {
  segments.clear();
  const auto width = static_cast<std::size_t>(x.cols());
  const auto look = [&](std::size_t id) {
    if (holds_somebody(x.data() + lay.seg_first[id] * width, static_cast<std::size_t>(lay.segment_rows(id)) * width))
      segments.push_back(id);
  };
  if (candidates != nullptr)
    for (std::size_t id : *candidates) look(id);
  else
    for (std::size_t b = 0; b < lay.blocks(); ++b)
      if (lay.block_size(b) > 0) for_held_segments(lay, b, look);
}

// The blocks `segments` (in row order) are in, in order.
std::vector<std::size_t> blocks_of(const Layout& lay, const std::vector<std::size_t>& segments) {
  std::vector<std::size_t> blocks;
  for (std::size_t id : segments)
    if (const std::size_t b = lay.block_of_segment(id); blocks.empty() || blocks.back() != b) blocks.push_back(b);
  return blocks;
}

// Every segment the state holds in `blocks` (in row order).
std::vector<std::size_t> segments_of(const Layout& lay, const std::vector<std::size_t>& blocks) {
  std::vector<std::size_t> segments;
  for (std::size_t b : blocks) for_held_segments(lay, b, [&](std::size_t id) { segments.push_back(id); });
  return segments;
}

// Zeroes the rows of `segments` in `x`.
void clear_segments(const Layout& lay, const std::vector<std::size_t>& segments, View& x) {
  for (std::size_t id : segments) x.middleRows(lay.segment_start(id), lay.segment_rows(id)).setZero();
}

// Follow-up windows that are not tracks (Layout::tracked): their completers are followed in
// columns of their own. In the vectors pushed to the start of month t, column first + j holds the
// completers of programme programme[j] taken from column source[j] (extract[j]: in the month
// pushed) of the months whose windows end in month end[j], from their completion on, as long as
// they complete no programme again (a completion starts a new window: Kernel::train drops them).
// The first `counted` columns are column 0's completers of the windows ending in month t: their
// number after month t's labour market is followed_up, the employed of them employed_after
// (Projector::count_followed), as the tracks count a window ending. The others follow a crossing
// vector's completers of windows that end later (Projector::keep_crossing: the part of a later
// month's followed columns the crossing moves).
struct Follow {
  Eigen::Index first = 0, count = 0, counted = 0;
  std::vector<int> programme, end;
  std::vector<Eigen::Index> source;
  std::vector<std::uint8_t> extract;
  void add(int prog, int end_month, Eigen::Index from) {
    programme.push_back(prog);
    end.push_back(end_month);
    source.push_back(from);
    extract.push_back(0);
    ++count;
  }
};

// The allocation of expected applicants is solved on the agent model's flow network (allocate) in
// fixed point: counts times 2^20, so a fraction of an agent down to 1e-6 is kept.
constexpr double kFixedPoint = 1048576.0;

// The derived dying of a row (Projector::derive_dying) may fall below 0 by rounding by at most
// this share of the row's active: measured at most 2.2e-15 of it (2026-12-05, a scenario where
// nobody dies: Twin.DerivedDeathsAsPushed), while the fewest dying, the youngest band's at the
// defaults (0.0003 a year), are 2.5e-5 of a row a month.
constexpr double kDyingRounding = 1e-9;

// The monthly kernel K_u applied to `in` (the active vectors after the month's deaths and
// retirements): group closures, ordinary assessments, the labour market, the training step
// (programmes' ends, then applications and admissions), appointments. With `record`, `in` is the
// one vector of the active population and the month's flows are found, with the shares the
// capacities leave (admitted per applicant, appointed per eligible); without, the shares found
// before are applied.
class Kernel {
public:
  // `whole_segments`: push every row of a live segment (TwinOptions::whole_segments).
  Kernel(const Layout& layout, const Terms& terms, bool whole_segments)
      : layout_(layout), terms_(terms), whole_(whole_segments) {}

  // `out` is zero on entry (a View of the zeroed memory). `follow`: the columns of `in` that follow
  // completers (pushes only).
  void apply(MonthRules& rules, const View& in, View& out, TwinFlows* record, Book* book,
             const Follow* follow = nullptr) const {
    market(rules, in, out, record);
    if (rules.rates.migrating) migrate(rules, out, record);
    if (terms_.programmes > 0) train(rules, out, record, book, follow);
    if (layout_.waits > 0) evaluate(rules, out, record, book);
    appoint(rules, out, record, book);
    if (rules.competitions.any_held()) compete(rules, out, record, book);
  }

  // Master studios (Studios::select), before the month's record pass: the expected masters
  // (employed at studios.master_min_level or above, in any track) and eligible (employed from
  // mentee_min_level to below it, in no programme nor a certificate's queue, as the agents'
  // programme column) among everybody active at the month's start (the first `columns` of `x`:
  // the month's dying and retiring too, as the agents count them before the monthly rules) give
  // each region's places (twin_mentoring); every eligible cell of a region class is mentored in
  // the same share (twin_studios.hpp).
  void mentor(MonthRules& rules, const View& x, Eigen::Index columns, TwinFlows& record) const {
    const Layout& lay = layout_;
    const StudiosSection& st = rules.p.studios;
    const int employed = lay.slot_of[kEmployed];
    std::vector<double> masters(static_cast<std::size_t>(lay.region_classes), 0.0), eligible(masters);
    for (std::size_t tr = 0; tr < lay.tracks.size(); ++tr) {
      const bool outside = lay.tracks[tr].prog < 0 && lay.tracks[tr].qprog < 0;
      for (int sex = 0; sex < kSexCount; ++sex)
        for (int g = 0; g < lay.groups(); ++g)
          for (int c = 0; c < lay.classes; ++c)
            for (int level = static_cast<int>(st.mentee_min_level); level < kLevelCount; ++level) {
              const bool master = level >= st.master_min_level;
              if (!master && !outside) continue;
              const std::size_t first = lay.seg_first[lay.segment(tr, sex, g, c, employed, level)];
              if (first == Layout::kNotHeld) continue; // an age class's unreachable row
              const double n = x.block(static_cast<Eigen::Index>(first), 0, lay.rows(level), columns).sum();
              (master ? masters : eligible)[static_cast<std::size_t>(lay.region_class(c))] += n;
            }
    }
    const TwinMentoring m =
        twin_mentoring(st, masters, eligible, lay.region_part, static_cast<double>(rules.p.population.scale));
    rules.mentored_share = m.share;
    record.studios = m.studios;
    record.studio_masters = m.masters;
    record.mentoring_places = m.places;
    record.mentored = m.mentored;
  }

  // The month's kernel up to the training step (closures, assessments, the labour market), where
  // a follow-up window's end is counted; `out` is zero on entry.
  void market(MonthRules& rules, const View& in, View& out, TwinFlows* record) const {
    const Layout& lay = layout_;
    const TransitionRates& r = rules.rates;
    const Eigen::Index columns = in.cols();
    const int slots = static_cast<int>(lay.statuses.size());
    Batch& scratch = scratch_;
    scratch.resize(lay.max_rows(), columns);
    Batch& up_rows = up_;
    up_rows.resize(*std::max_element(lay.ins.begin(), lay.ins.end()), columns);
    if (record) {
      rules.live_in.reset(lay.segments());
      rules.rows_in.clear();
    }
    for (std::size_t tr = 0; tr < lay.tracks.size(); ++tr) {
      const Layout::Track& track = lay.tracks[tr];
      const std::size_t aged = lay.aged(tr);
      for (int sex = 0; sex < kSexCount; ++sex)
        for (int from = 0; from < lay.groups(); ++from) {
          const std::size_t b = lay.block_of(tr, sex, from);
          const auto first = static_cast<Eigen::Index>(lay.block_start(b));
          const auto block_size = static_cast<Eigen::Index>(lay.block_size(b));
          if (record && !rows_hold_somebody(in.middleRows(first, block_size))) continue;
          // The month starts with the closure of groups and their time limits (monthly_rules:
          // before the rest). `group` and `after_job` are group states (Layout::gstates), `g` and
          // `g_job` their groups, which the rules read.
          const int group = lay.gstates.start_month(r, from), g = lay.gstates.group(group);
          const int g_from = lay.gstates.group(from);
          if (record && g != g_from)
            record->group_changes[static_cast<std::size_t>(g_from)][static_cast<std::size_t>(g)] +=
                in.middleRows(first, block_size).sum();
          const int after_job = lay.gstates.after_job(r, group), g_job = lay.gstates.group(after_job);
          // The factors by age band are 1 (twin_refusals), so band 0 stands for every age.
          const int cls = person_class(kMinAge, sex, g);
          for (int c = 0; c < lay.classes; ++c) {
            int sector = 0;
            while (lay.sector_class_of[static_cast<std::size_t>(sector)] != lay.sector_class(c)) ++sector;
            const int region = lay.region_of(c);
            for (int k = 0; k < slots; ++k) {
              const int status = lay.statuses[static_cast<std::size_t>(k)];
              for (int level = 0; level < kLevelCount; ++level) {
                // Labour market by the level and status at the start of the month: up to two moves.
                struct Move {
                  int slot, group;
                  double p;
                };
                std::array<Move, 2> moves{};
                int n_moves = 0;
                if (status == kEmployed) {
                  moves[n_moves++] = {lay.slot_of[kUnemployed], group, r.job_loss_in(region, level, g, sector)};
                } else if (status == kUnemployed) {
                  // A completer in its follow-up window finds work with the programme's factor.
                  const double find = track.fprog >= 0 ? r.follow_up_job_find[r.follow_up_index(
                                                             static_cast<std::size_t>(track.fprog), level, g, region)]
                                                       : r.job_find_in(region, level, g);
                  moves[n_moves++] = {lay.slot_of[kEmployed], after_job, find};
                  moves[n_moves++] = {lay.slot_of[kInactive], group, r.inactive_given(find)};
                } else if (status == kInactive) {
                  moves[n_moves++] = {lay.slot_of[kUnemployed], group, r.reactivation};
                }
                double stay = 1;
                for (int j = 0; j < n_moves; ++j) stay -= moves[static_cast<std::size_t>(j)].p;
                const int target = level + 1;
                // Workers in a programme, or waiting for an evaluator, seek no assessment (monthly_rules).
                const bool may_sit = target < kLevelCount && track.prog < 0 && track.wait == 0;
                // With evaluators the sitters queue (wait 1) instead of being assessed at once.
                const bool queues = may_sit && r.queue_for_evaluation && needs_evaluator(target);
                const double sit = may_sit ? r.sit_probability(target, status, cls, region) : 0.0;
                const double pass = may_sit ? r.pass_probability(target, cls, region) : 0.0;
                // The rows of the months at the level: from m to m + 1 (the last pools), or up to
                // the next level at 0 months once the minimum wait is served.
                // Each insurance month's rows (`span` of them) in turn.
                const int insured_rows = lay.ins[static_cast<std::size_t>(level)];
                const Eigen::Index span = lay.span(level), n = lay.rows(level);
                const std::size_t id = lay.segment(tr, sex, from, c, k, level);
                if (lay.seg_first[id] == Layout::kNotHeld) continue; // an age class's unreachable row
                const auto at_in = static_cast<Eigen::Index>(lay.seg_first[id]);
                if (record && rules.live_in.find(id, in.middleRows(at_in, n), span, insured_rows, whole_))
                  rules.rows_in.emplace_back(at_in + rules.live_in.rows(id, span).first,
                                             rules.live_in.rows(id, span).second);
                if (!rules.live_in[id]) continue;
                // Only the insurance months lo..hi hold somebody (LiveSegments): `x`, `rest` and
                // `sat` hold those, insurance month i at rows (i - lo) * span.
                const int lo = rules.live_in.lo[id], hi = rules.live_in.hi[id];
                const auto [skip, held_rows] = rules.live_in.rows(id, span);
                const auto x = in.middleRows(at_in + skip, held_rows);
                const auto in_rows = [&](int i) { return static_cast<Eigen::Index>(i - lo) * span; };
                // The months at the level that may sit, in bands of one sitting and one passing
                // probability: from the minimum wait on; with master studios, the mentored share
                // (Kernel::mentor) passes more often and may sit from the studios' wait.
                struct Band {
                  Eigen::Index from, to;
                  double sit, promoted;
                };
                std::array<Band, 2> bands{};
                int n_bands = 0;
                if (may_sit) {
                  const auto eligible_from = static_cast<Eigen::Index>(r.min_months[static_cast<std::size_t>(target)]);
                  double pass_served = pass;
                  // (may_sit: in no programme, not queued)
                  if (const double s = rules.mentored(status, level, lay.region_class(c)); s > 0) {
                    const double mentored = rules.mentoring.pass_probability(pass);
                    pass_served = (1 - s) * pass + s * mentored;
                    const Eigen::Index mentee_from =
                        std::min<Eigen::Index>(eligible_from, rules.mentoring.wait[static_cast<std::size_t>(target)]);
                    if (mentee_from < eligible_from)
                      bands[static_cast<std::size_t>(n_bands++)] = {mentee_from, eligible_from, s * sit,
                                                                    s * sit * mentored};
                  }
                  if (eligible_from < span)
                    bands[static_cast<std::size_t>(n_bands++)] = {eligible_from, span, sit, sit * pass_served};
                }
                const auto band_rows = [&](auto& rows, int i, const Band& band) {
                  return rows.middleRows(in_rows(i) + band.from, band.to - band.from);
                };
                auto rest = scratch.topRows(held_rows);
                rest = x;
                Batch& sat = queued_;
                const bool queuing = queues && n_bands > 0 && sit > 0;
                if (queuing) {
                  sat.setZero(held_rows, columns);
                  for (int i = lo; i <= hi; ++i)
                    for (int j = 0; j < n_bands; ++j) {
                      const Band& band = bands[static_cast<std::size_t>(j)];
                      auto waited = band_rows(rest, i, band);
                      band_rows(sat, i, band) = waited * band.sit;
                      waited *= 1 - band.sit;
                    }
                }
                auto up = up_rows.topRows(insured_rows);
                up.setZero();
                const bool promotes = !queues && n_bands > 0 && sit * pass > 0;
                if (promotes)
                  for (int i = lo; i <= hi; ++i)
                    for (int j = 0; j < n_bands; ++j) {
                      const Band& band = bands[static_cast<std::size_t>(j)];
                      auto waited = band_rows(rest, i, band);
                      up.row(i) += waited.colwise().sum() * band.promoted;
                      waited *= 1 - band.promoted;
                    }
                // `more` insurance months (0 or 1, saturating at the last kept). `from` (rows as
                // `rest`) to track `to` (`ups`: with the promoted). The young are a month older:
                // their next age class (Layout::aged).
                std::size_t to = aged;
                bool with_up = promotes;
                // An age class holds only the segments its workers can reach (Projector::
                // young_segments): the sitters of a segment who cannot have served the wait yet
                // (none) are neither queued nor promoted into one it does not hold.
                const auto none_to = [&](const auto& rows, int to_group, int to_slot, int lv) {
                  if (lay.holds(to, sex, to_group, c, to_slot, lv)) return false;
                  if (rows_hold_somebody(rows))
                    throw Error("the twin moves workers of age class " + std::to_string(track.young) +
                                " to a segment it does not hold (Projector::young_segments)");
                  return true;
                };
                const auto move = [&](const auto& src, int to_group, int to_slot, double p, int more) {
                  if (p == 0 || to_slot < 0) return;
                  if (to != aged && none_to(src, to_group, to_slot, level)) return; // the queue
                  const auto at = static_cast<Eigen::Index>(lay.first(to, sex, to_group, c, to_slot, level));
                  const bool ups = with_up && !none_to(up, to_group, to_slot, target);
                  for (int i = lo; i <= hi; ++i) {
                    const int j = std::min(i + more, insured_rows - 1);
                    auto d = out.middleRows(at + j * span, span);
                    const auto from_rows = src.middleRows(in_rows(i), span);
                    if (span > 1) d.bottomRows(span - 1) += p * from_rows.topRows(span - 1);
                    d.row(span - 1) += p * from_rows.row(span - 1);
                    if (ups)
                      out.row(static_cast<Eigen::Index>(
                          lay.at(to, sex, to_group, c, to_slot, target, lay.row(target, lay.carried(j, target), 0)))) +=
                          p * up.row(i);
                  }
                };
                // An employed worker who keeps the job adds an insurance month with probability
                // insured[group] (monthly_rules), where they are kept.
                const double insured = insured_rows > 1 && status == kEmployed ? r.insured[g] : 0.0;
                const auto market_moves = [&](const auto& src) {
                  if (insured > 0) {
                    move(src, group, k, stay * (1 - insured), 0);
                    move(src, group, k, stay * insured, 1);
                  } else {
                    move(src, group, k, stay, 0);
                  }
                  for (int j = 0; j < n_moves; ++j)
                    move(src, moves[static_cast<std::size_t>(j)].group, moves[static_cast<std::size_t>(j)].slot,
                         moves[static_cast<std::size_t>(j)].p, 0);
                };
                market_moves(rest);
                // The sitters join the queue (their months at the level go on, as the agents'),
                // keeping their follow-up window, and meet the month's labour market there.
                if (queuing) {
                  to = lay.in_band(lay.in_class(lay.queued(-1, 1, track.fprog, track.fleft), lay.next_class(track)),
                                   track.over);
                  with_up = false;
                  market_moves(sat.topRows(held_rows));
                }
                if (record) {
                  const double total = x.col(0).sum();
                  if (!queues) // queued: counted when held (evaluate)
                    for (int i = lo; i <= hi; ++i)
                      for (int j = 0; j < n_bands; ++j) {
                        const Band& band = bands[static_cast<std::size_t>(j)];
                        record->assessments[static_cast<std::size_t>(target)] +=
                            x.col(0).segment(in_rows(i) + band.from, band.to - band.from).sum() * band.sit;
                      }
                  if (promotes) {
                    const double ups = up.col(0).sum();
                    record->promotions[static_cast<std::size_t>(target)] += ups;
                    record->promotions_out[static_cast<std::size_t>(level)] += ups;
                    if (level < kFirstSkilledLevel && target >= kFirstSkilledLevel) record->newly_skilled += ups;
                  }
                  if (status == kEmployed) record->job_losses += total * moves[0].p;
                  if (status == kUnemployed) {
                    record->job_finds += total * moves[0].p;
                    if (g_job != g)
                      record->group_changes[static_cast<std::size_t>(g)][static_cast<std::size_t>(g_job)] +=
                          total * moves[0].p;
                  }
                }
              }
            }
          }
        }
    }
  }

  // Migration between regions (monthly_rules' migrate), after the month's labour market and
  // assessments, by the level and status they reached: with migration every region is a region
  // class of its own (build_region_classes), so a mover goes to its destination's class (the same
  // sector class, track, sex, group state, level and rows), unemployed on arrival where migrants
  // do not keep their job (migration.employed_on_arrival). Each destination has the agents'
  // probability: the difference of the cumulative rates (TransitionRates::migration_cumulative).
  void migrate(MonthRules& rules, View& out, TwinFlows* record) const {
    const Layout& lay = layout_;
    const TransitionRates& r = rules.rates;
    const auto regions = static_cast<std::size_t>(lay.region_classes);
    const auto slots = static_cast<int>(lay.statuses.size());
    const int unemployed = lay.slot_of[kUnemployed];
    const Eigen::Index columns = out.cols();
    if (record) rules.live_migrate.reset(lay.segments());
    // The (region, slot) parts of a segment group that hold somebody: their insurance months'
    // rows that do (LiveSegments::rows: `skip` rows after the segment's first, `n` of them), and
    // where their copy is.
    struct Mover {
      std::size_t region;
      int k;
      Eigen::Index skip, n, copy;
    };
    std::vector<Mover> movers;
    for (std::size_t tr = 0; tr < lay.tracks.size(); ++tr)
      for (int sex = 0; sex < kSexCount; ++sex)
        for (int g = 0; g < lay.groups(); ++g)
          for (int sc = 0; sc < lay.sector_classes; ++sc)
            for (int level = 0; level < kLevelCount; ++level) {
              const Eigen::Index span = lay.span(level);
              const auto class_of = [&](std::size_t region) {
                return lay.region_class_of(region) * lay.sector_classes + sc;
              };
              movers.clear();
              Eigen::Index copied = 0;
              for (std::size_t region = 0; region < regions; ++region)
                for (int k = 0; k < slots; ++k) {
                  const std::size_t id = lay.segment(tr, sex, g, class_of(region), k, level);
                  if (lay.seg_first[id] == Layout::kNotHeld) continue; // an age class's unreachable row
                  if (record)
                    rules.live_migrate.find(
                        id, out.middleRows(static_cast<Eigen::Index>(lay.seg_first[id]), lay.rows(level)), span,
                        lay.ins[static_cast<std::size_t>(level)], whole_);
                  if (!rules.live_migrate[id] ||
                      r.migration_factor(level, lay.statuses[static_cast<std::size_t>(k)]) <= 0)
                    continue;
                  const auto [skip, n] = rules.live_migrate.rows(id, span);
                  movers.push_back({region, k, skip, n, copied});
                  copied += n;
                }
              if (movers.empty()) continue;
              // Copied first, so that no arrival moves again; the stayers are scaled in place.
              movers_.resize(copied, columns);
              for (const Mover& m : movers)
                movers_.middleRows(m.copy, m.n) = out.middleRows(
                    static_cast<Eigen::Index>(lay.seg_first[lay.segment(tr, sex, g, class_of(m.region), m.k, level)]) +
                        m.skip,
                    m.n);
              for (const Mover& m : movers) {
                const int status = lay.statuses[static_cast<std::size_t>(m.k)];
                const double factor = r.migration_factor(level, status);
                const auto x = movers_.middleRows(m.copy, m.n);
                const double total = record ? x.col(0).sum() : 0.0;
                const int slot = status == kEmployed && !r.migrants_keep_job ? unemployed : m.k;
                for (std::size_t to = 0; to < regions; ++to) {
                  const double p = to == m.region ? 0.0 : r.migration_probability(m.region, to, factor);
                  if (p <= 0) continue;
                  out.middleRows(static_cast<Eigen::Index>(lay.first(tr, sex, g, class_of(to), slot, level)) + m.skip,
                                 m.n) += p * x;
                  if (record) record->migrations[m.region * regions + to] += p * total;
                }
                out.middleRows(
                    static_cast<Eigen::Index>(lay.seg_first[lay.segment(tr, sex, g, class_of(m.region), m.k, level)]) +
                        m.skip,
                    m.n) -= r.migration_leaving(m.region, factor) * x;
              }
            }
  }

  // Zeroes `in`, a vector pushed through the month (its rows are in the record pass's live segments).
  void clear(const MonthRules& rules, View& in) const {
    for (const auto& [first, n] : rules.rows_in) in.middleRows(first, n).setZero();
  }

  // Money (record pass only), as TrainingSystem::pay_claims and release_claims, in expectation:
  // `claims` claims of a programme paid from what was committed, with the leakage and audits they
  // bring while uncommitted money remains; or released.
  void pay_claims(const Parameters& p, Book& book, TwinFlows& flows, std::size_t k, double claims) const {
    if (claims <= 0) return;
    const auto [fakes_paid_per_claim, audits_per_claim] = claim_overheads(p, k);
    flows.employer_paid[k] += terms_.employer_claim[k] * claims;
    for (std::size_t f = 0; f < terms_.funds; ++f) {
      const std::size_t at = f * terms_.programmes + k;
      const double due = terms_.claim[k * terms_.funds + f] * claims;
      book.committed[f] -= due;
      flows.paid[at] += due;
      const double share = p.programmes.fund_shares(static_cast<int>(k), static_cast<int>(f));
      const double overheads[2] = {due * fakes_paid_per_claim, p.audit.cost_per_audit * share *
                                                                   static_cast<double>(p.population.scale) * claims *
                                                                   audits_per_claim};
      for (int kind = 0; kind < 2; ++kind) {
        const double paid = std::min(overheads[kind], book.remaining[f]);
        if (paid <= 0) continue;
        book.remaining[f] -= paid;
        flows.paid[at] += paid;
        (kind == 0 ? flows.leaked : flows.audit)[at] += paid;
      }
    }
  }
  void release_claims(Book& book, std::size_t k, double claims) const {
    if (claims <= 0) return;
    for (std::size_t f = 0; f < terms_.funds; ++f) {
      const double due = terms_.claim[k * terms_.funds + f] * claims;
      book.committed[f] -= due;
      book.remaining[f] += due;
    }
  }

private:
  // Calls f(sex, group state, class, slot, level, first row, rows, skip) for every segment (the
  // months at one level) of track tr that holds somebody: its rows of the insurance months that
  // do (LiveSegments), from `first row` on, `skip` rows (whole insurance months) after the
  // segment's first.
  template <class F>
  void for_segments(const View& x, std::size_t tr, LiveSegments& live, bool find, F&& f) const {
    for_segments(
        x, tr, live, find, [](int, int, int) { return true; }, f);
  }
  // The same for the segments whose (group, status, level) `wanted` accepts (checked before the
  // rows are looked at).
  // With `find`, `live` (reset to Layout::segments) is set to the segments that hold somebody;
  // without, it says which do (MonthRules::live_in).
  template <class W, class F>
  void for_segments(const View& x, std::size_t tr, LiveSegments& live, bool find, W&& wanted, F&& f) const {
    const Layout& lay = layout_;
    for (int sex = 0; sex < kSexCount; ++sex)
      for (int g = 0; g < lay.groups(); ++g) {
        const std::size_t b = lay.block_of(tr, sex, g);
        if (find && !rows_hold_somebody(x.middleRows(static_cast<Eigen::Index>(lay.block_start(b)),
                                                     static_cast<Eigen::Index>(lay.block_size(b)))))
          continue;
        for (int c = 0; c < lay.classes; ++c)
          for (int k = 0; k < static_cast<int>(lay.statuses.size()); ++k)
            for (int level = 0; level < kLevelCount; ++level) {
              const std::size_t id = lay.segment(tr, sex, g, c, k, level);
              if (lay.seg_first[id] == Layout::kNotHeld) continue; // an age class's unreachable row
              if (!wanted(g, lay.statuses[static_cast<std::size_t>(k)], level)) continue;
              const auto row = static_cast<Eigen::Index>(lay.seg_first[id]);
              const Eigen::Index span = lay.span(level);
              if (find)
                live.find(id, x.middleRows(row, lay.rows(level)), span, lay.ins[static_cast<std::size_t>(level)],
                          whole_);
              if (!live[id]) continue;
              const auto [skip, n] = live.rows(id, span);
              f(sex, g, c, k, level, row + skip, n, skip);
            }
      }
  }

  // The training step (training.cpp): trainees' months go on and the programmes that end give
  // their outcomes (complete or drop out; sit or not; pass: up to the target level); follow-up
  // windows go on; then the eligible apply, the applicants are allocated to seats and money and
  // the admitted enter their programme.
  void train(MonthRules& rules, View& out, TwinFlows* record, Book* book, const Follow* follow) const {
    const Layout& lay = layout_;
    const Parameters& p = rules.p;
    const auto& pr = p.programmes;
    const std::size_t K = terms_.programmes;
    const int in_training = lay.slot_of[static_cast<int>(Status::InTraining)];
    const int unemployed = lay.slot_of[kUnemployed];
    // In place: every move of step 2 goes to a track of a lower index (fewer months left, or out
    // of a programme), so the tracks taken in increasing order never see a row twice.
    View& next = out;
    held_.clear(); // ended full-time: not candidates this month, added after the admissions
    held_values_.clear();
    const Eigen::Index columns = out.cols();
    segment_.resize(lay.max_rows(), columns);
    row_x_.resize(columns);
    row_admitted_.resize(columns);
    if (record) {
      rules.live_train.reset(lay.segments());
      rules.live_admit.reset(lay.segments());
    }
    // 1. Monthly subsidies for every month trained (before the ends' payments, as the agents').
    if (record) {
      std::vector<double> monthly_claims(K, 0.0);
      for (std::size_t tr = 0; tr < lay.tracks.size(); ++tr)
        if (const int prog = lay.tracks[tr].prog;
            prog >= 0 && terms_.payment[static_cast<std::size_t>(prog)] == Payment::Monthly)
          monthly_claims[static_cast<std::size_t>(prog)] +=
              out.col(0)
                  .segment(static_cast<Eigen::Index>(lay.track_start(tr)),
                           static_cast<Eigen::Index>(lay.track_start(tr + 1) - lay.track_start(tr)))
                  .sum();
      for (std::size_t k = 0; k < K; ++k) pay_claims(p, *book, *record, k, monthly_claims[k]);
    }
    // 2. Ends of programmes and follow-up windows.
    for (std::size_t tr = 0; tr < lay.tracks.size(); ++tr) {
      const Layout::Track& t = lay.tracks[tr];
      if (t.prog < 0 && t.fprog < 0) continue; // nothing to move

      const bool followed = t.fprog >= 0 && t.fleft == 1;
      const int fprog = t.fprog >= 0 && !followed ? t.fprog : -1, fleft = fprog >= 0 ? t.fleft - 1 : 0;
      const auto band = [&](std::size_t to_track) { return lay.in_band(to_track, t.over); }; // the same age band
      for_segments(out, tr, rules.live_train, record,
                   [&](int sex, int g, int c, int k, int level, Eigen::Index row, Eigen::Index n, Eigen::Index skip) {
                     segment_.topRows(n) = out.middleRows(row, n);
                     const auto x = segment_.topRows(n);
                     out.middleRows(row, n).setZero();
                     const int status = lay.statuses[static_cast<std::size_t>(k)];
                     // The rows of `x` in a segment of the same level (the same insurance months).
                     const auto dest_row = [&](std::size_t to_track, int slot, int lv) {
                       return static_cast<Eigen::Index>(lay.first(band(to_track), sex, g, c, slot, lv)) + skip;
                     };
                     if (record && followed) {
                       record->followed_up[static_cast<std::size_t>(t.fprog)] += x.col(0).sum();
                       if (status == kEmployed)
                         record->employed_after[static_cast<std::size_t>(t.fprog)] += x.col(0).sum();
                     }
                     if (t.prog < 0) { // a follow-up window goes on (in the queue, if queued)
                       next.middleRows(dest_row(lay.with_follow(t, fprog, fleft), k, level), n) += x;
                       return;
                     }
                     const auto prog = static_cast<std::size_t>(t.prog);
                     if (t.left > 1) {
                       next.middleRows(dest_row(lay.track(t.prog, t.left - 1, fprog, fleft), k, level), n) += x;
                       return;
                     }
                     // The programme ends: full-time trainees search again (and apply from next month).
                     const bool full_time = status == static_cast<int>(Status::InTraining);
                     const int slot = k == in_training ? unemployed : k;
                     const auto to_rows = [&](Eigen::Index at, Eigen::Index rows, const auto& value) {
                       if (!full_time) {
                         next.middleRows(at, rows) += value;
                         return;
                       }
                       // Kept row by row (row-major, `columns` a row) until after the admissions.
                       const std::size_t start = held_values_.size();
                       held_values_.resize(start + static_cast<std::size_t>(rows * columns));
                       View(held_values_.data() + start, rows, columns) = value;
                       held_.emplace_back(at, rows);
                     };
                     const double completes = pr.completion_probability[prog], sits = pr.appraisal_share[prog],
                                  passes = pr.pass_probability[prog];
                     const int target = static_cast<int>(pr.target_level[prog]);
                     const auto window = static_cast<int>(std::min<std::int64_t>(pr.follow_up_months, 255));
                     const std::size_t dropped = lay.track(-1, 0, fprog, fleft);
                     const std::size_t completed = window > 0 && lay.tracked[prog] >= 0
                                                       ? lay.track(-1, 0, t.prog, window)
                                                       : lay.track(-1, 0, -1, 0);
                     to_rows(dest_row(dropped, slot, level), n, (1 - completes) * x);
                     // With evaluators the completers who sit queue for one (wait 1) and are
                     // certified when assessed (evaluate); none is certified now.
                     const bool queues = rules.rates.queue_for_evaluation;
                     const double queued = queues ? completes * sits : 0.0;
                     const double certified = queues ? 0.0 : completes * sits * passes;
                     const bool moves_up = level < target && !queues;
                     // Completers start a new window: the columns following earlier completers
                     // lose them, and the columns of this programme's take them (from their
                     // source columns) if their windows are the ones followed.
                     const auto completers = [&](const auto& value) -> const Batch& {
                       done_ = value;
                       done_.middleCols(follow->first, follow->count).setZero();
                       for (Eigen::Index j = 0; j < follow->count; ++j)
                         if (const auto i = static_cast<std::size_t>(j);
                             follow->extract[i] != 0 && follow->programme[i] == t.prog && window > 0)
                           done_.col(follow->first + j) = done_.col(follow->source[i]);
                       return done_;
                     };
                     const bool followed_apart = follow && follow->count > 0;
                     const auto completed_value = (moves_up ? completes - certified : completes - queued) * x;
                     if (followed_apart)
                       to_rows(dest_row(completed, slot, level), n, completers(completed_value));
                     else
                       to_rows(dest_row(completed, slot, level), n, completed_value);
                     if (queued > 0) {
                       // Kept until after the admissions (a queue track comes later in this loop).
                       const Layout::Track& done = lay.tracks[completed];
                       const Eigen::Index at = dest_row(lay.queued(t.prog, 1, done.fprog, done.fleft), slot, level);
                       const auto hold = [&](const auto& value) {
                         const std::size_t start = held_values_.size();
                         held_values_.resize(start + static_cast<std::size_t>(n * columns));
                         View(held_values_.data() + start, n, columns) = value;
                         held_.emplace_back(at, n);
                       };
                       if (followed_apart)
                         hold(completers(queued * x));
                       else
                         hold(queued * x);
                     }
                     if (moves_up) {
                       const Eigen::Index span = lay.span(level);
                       const auto lo = static_cast<int>(skip / span);
                       for (int i = lo; i < lo + static_cast<int>(n / span); ++i) {
                         const Eigen::Index at =
                             static_cast<Eigen::Index>(lay.first(band(completed), sex, g, c, slot, target)) +
                             lay.row(target, lay.carried(i, target), 0);
                         const auto value = certified * x.middleRows((i - lo) * span, span).colwise().sum();
                         if (followed_apart)
                           to_rows(at, 1, completers(value));
                         else
                           to_rows(at, 1, value);
                       }
                     }
                     if (record) {
                       const double total = x.col(0).sum();
                       record->dropouts[prog] += (1 - completes) * total;
                       record->completions[prog] += completes * total;
                       if (!queues)
                         record->programme_assessments[prog * kLevelCount + static_cast<std::size_t>(target)] +=
                             completes * sits * total;
                       record->certificates[prog] += certified * total;
                       if (moves_up) {
                         record->promotions[static_cast<std::size_t>(target)] += certified * total;
                         record->promotions_out[static_cast<std::size_t>(level)] += certified * total;
                         if (level < kFirstSkilledLevel && target >= kFirstSkilledLevel)
                           record->newly_skilled += certified * total;
                       }
                       if (terms_.payment[prog] == Payment::Certification) {
                         release_claims(*book, prog, (1 - certified - queued) * total); // the queued's stays

                         pay_claims(p, *book, *record, prog, certified * total);
                       }
                     }
                   });
    }
    // 3. Applications: each eligible worker tries the programmes in order (ApplicationRules).
    const ApplicationRules& rules_of = rules.applications;
    // `row`: of the level's rows (insurance months, months at the level); `g`: a group state;
    // `region`: the region whose rules the row's class follows (Layout::region_of).
    // `age`: the age in months of a young track's workers (Layout::age_of), -1 on a main track.
    // Whether programme k admits the row's workers: the parts of the agents' `eligible` the state
    // holds (all of it but age, which excludes nobody in the main tracks); the young by the whole
    // rule, their age in whole months in [min_age, max_age): under every open programme's minimum
    // (twin_refusals), so none admits them.
    const auto admits = [&](std::size_t k, int g, int region, int status, int level, int row, std::int32_t age) {
      const ApplicationRules::Programme& rule = rules_of.programmes[k];
      const std::size_t gs = static_cast<std::size_t>(lay.gstates.group(g) * kStatusCount + status);
      const auto m = static_cast<std::uint32_t>(row % lay.span(level));
      const int insured = row / lay.span(level);
      return rule.eligible_region[static_cast<std::size_t>(region)] != 0 && rule.admits_state(gs, level, m) &&
             rule.insured_enough(insured) && (age < 0 || rule.admits(gs, level, age, insured, m));
    };
    const auto chances = [&](int g, int region, int status, int level, int row, std::int32_t age,
                             std::vector<double>& pi) {
      double none = 1;
      for (std::size_t k = 0; k < K; ++k) {
        const ApplicationRules::Programme& rule = rules_of.programmes[k];
        pi[k] = 0;
        if (rule.rate <= 0 || !admits(k, g, region, status, level, row, age)) continue;
        const double rate = rule.rate_by_level[static_cast<std::size_t>(level)]; // the choice model's, as the agents'
        pi[k] = none * rate;
        none *= 1 - rate;
      }
    };
    std::vector<double> pi(K);
    // The substitutes of programme k a worker of the row qualifies for (bit j: substitute j), by
    // the eligibility `chances` asks of a programme, whatever its rate (the agents' mask).
    const auto substitute_mask = [&](std::size_t k, int g, int region, int status, int level, int row,
                                     std::int32_t age) {
      std::uint32_t mask = 0;
      const std::vector<std::size_t>& substitutes = rules_of.programmes[k].substitutes;
      for (std::size_t j = 0; j < substitutes.size(); ++j)
        if (admits(substitutes[j], g, region, status, level, row, age)) mask |= std::uint32_t{1} << j;
      return mask;
    };
    // Segments no programme may admit, whatever the months at the level, are not looked at.
    const auto may_apply = [&](int g, int status, int level) {
      const std::size_t gs = static_cast<std::size_t>(lay.gstates.group(g) * kStatusCount + status);
      for (const ApplicationRules::Programme& rule : rules_of.programmes)
        if (rule.rate > 0 && rule.eligible[gs] && level >= rule.min_level && level <= rule.max_level) return true;
      return false;
    };
    if (record) {
      std::vector<double> demand(rules.admit_share.size(), 0.0); // by applicant cell (MonthRules)
      for (std::size_t tr = 0; tr < lay.tracks.size(); ++tr) {
        if (lay.tracks[tr].prog >= 0 || lay.tracks[tr].wait > 0) continue; // the queued apply to none
        for_segments(next, tr, rules.live_admit, true, may_apply,
                     [&](int, int g, int c, int k, int level, Eigen::Index row, Eigen::Index n, Eigen::Index skip) {
                       const int status = lay.statuses[static_cast<std::size_t>(k)];
                       const auto group = static_cast<std::size_t>(lay.gstates.group(g));
                       const auto rc = static_cast<std::size_t>(lay.region_class(c));
                       const int region = lay.region_of(c);
                       for (Eigen::Index m = 0; m < n; ++m) {
                         const double x = next(row + m, 0);
                         if (x == 0) continue;
                         const auto at = static_cast<int>(skip + m);
                         chances(g, region, status, level, at, lay.age_of(tr), pi);
                         for (std::size_t q = 0; q < K; ++q)
                           if (pi[q] > 0)
                             demand[rules.applicant_cell(
                                 q, rc, group, substitute_mask(q, g, region, status, level, at, lay.age_of(tr)))] +=
                                 x * pi[q];
                       }
                     });
      }
      allocate_places(rules, demand, *record, *book);
    }
    // 4. Admissions: the same share of each applicant cell's applicants (MonthRules), to the
    // programme applied to and to each of its substitutes.
    for (std::size_t tr = 0; tr < lay.tracks.size(); ++tr) {
      const Layout::Track& t = lay.tracks[tr];
      if (t.prog >= 0 || t.wait > 0) continue;
      for_segments(
          next, tr, rules.live_admit, false, may_apply,
          [&](int sex, int g, int c, int k, int level, Eigen::Index row, Eigen::Index n, Eigen::Index skip) {
            const int status = lay.statuses[static_cast<std::size_t>(k)];
            const auto group = static_cast<std::size_t>(lay.gstates.group(g));
            const auto rc = static_cast<std::size_t>(lay.region_class(c));
            const int region = lay.region_of(c);
            for (Eigen::Index held = 0; held < n; ++held) {
              if (!rows_hold_somebody(next.row(row + held))) continue;
              const Eigen::Index m = skip + held; // of the level's rows
              Eigen::RowVectorXd& x = row_x_;
              x = next.row(row + held);
              // A young track's share is 0 (chances): its workers stay in their age class.
              chances(g, region, status, level, static_cast<int>(m), lay.age_of(tr), pi);
              // The row's admissions (programme taken, share): to each programme applied to, then to
              // its substitutes.
              admissions_.clear();
              for (std::size_t applied = 0; applied < K; ++applied) {
                if (pi[applied] <= 0) continue;
                const std::size_t cell = rules.applicant_cell(
                    applied, rc, group,
                    substitute_mask(applied, g, region, status, level, static_cast<int>(m), lay.age_of(tr)));
                admissions_.push_back({applied, pi[applied] * rules.admit_share[cell]});
                const std::vector<std::size_t>& substitutes = rules_of.programmes[applied].substitutes;
                for (std::size_t j = 0; j < substitutes.size(); ++j)
                  admissions_.push_back(
                      {substitutes[j], pi[applied] * rules.substitute_share[cell * rules.substitute_bits + j]});
              }
              for (const auto& [q, share] : admissions_) {
                if (share <= 0) continue;
                Eigen::RowVectorXd& admitted = row_admitted_;
                admitted = x * share;
                next.row(row + held) -= admitted;
                // Full-time trainees leave work; an apprentice below 学徒工 holds 学徒工 (at 0 months).
                const int slot = pr.full_time[q] ? in_training : k;
                const bool apprentice = terms_.apprenticeship[q] && level < static_cast<int>(Level::Apprentice);
                const int lv = apprentice ? static_cast<int>(Level::Apprentice) : level;
                const auto to = static_cast<Eigen::Index>(
                    lay.at(lay.in_band(lay.track(static_cast<int>(q), terms_.duration[q], t.fprog, t.fleft), t.over),
                           sex, g, c, slot, lv,
                           apprentice ? lay.row(lv, lay.carried(static_cast<int>(m) / lay.span(level), lv), 0)
                                      : static_cast<int>(m)));
                next.row(to) += admitted;
                if (record && apprentice) {
                  record->promotions[static_cast<std::size_t>(lv)] += admitted(0);
                  record->promotions_out[static_cast<std::size_t>(level)] += admitted(0);
                }
              }
            }
          });
    }
    std::size_t held_at = 0;
    for (const auto& [at, rows] : held_) {
      out.middleRows(at, rows) += View(held_values_.data() + held_at, rows, columns);
      held_at += static_cast<std::size_t>(rows * columns);
    }
  }

  // The allocation of the month's expected applicants (by applicant cell: programme, group and
  // substitute mask; MonthRules) to seats and money, as TrainingSystem::admit_applicants: demand
  // cells (programme, region, group, mask) on the same flow network (allocate), then the money
  // committed cell by cell in priority order, for each cell the programme applied to first, then
  // its substitutes. Sets the month's admitted shares and records the flows and binding.
  void allocate_places(MonthRules& rules, const std::vector<double>& demand, TwinFlows& flows, Book& book) const {
    const Parameters& p = rules.p;
    const auto& pr = p.programmes;
    const std::size_t K = terms_.programmes, R = terms_.regions;
    AllocationProblem problem;
    problem.programmes = static_cast<int>(K);
    problem.regions = static_cast<int>(R);
    std::vector<double> seats(K * R);
    for (std::size_t k = 0; k < K * R; ++k) {
      seats[k] = static_cast<double>(
          book.seats_due[k].take(pr.seats_per_month(static_cast<int>(k / R), static_cast<int>(k % R)) /
                                 static_cast<double>(p.population.scale)));
      problem.seats.push_back(static_cast<std::int64_t>(seats[k] * kFixedPoint));
    }
    const auto affordable_now = [&](std::size_t k) {
      double a = std::numeric_limits<double>::infinity();
      for (std::size_t f = 0; f < terms_.funds; ++f)
        if (const double due = terms_.claim[k * terms_.funds + f] * terms_.claims_committed[k]; due > 0)
          a = std::min(a, std::max(0.0, book.remaining[f]) / due);
      return a;
    };
    double total = 0;
    for (double d : demand) total += d;
    for (std::size_t k = 0; k < K; ++k)
      problem.affordable.push_back(static_cast<std::int64_t>(std::min(total, affordable_now(k)) * kFixedPoint));
    std::vector<double> applicants;
    std::vector<std::size_t> cell_of; // each demand cell's applicant cell
    const std::uint32_t masks = std::uint32_t{1} << rules.substitute_bits;
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t reg = 0; reg < R; ++reg)
        for (int g = 0; g < kGroupCount; ++g)
          for (std::uint32_t mask = 0; mask < masks; ++mask) {
            // The region's part of its class's applicants (Layout::region_part).
            const auto rc = static_cast<std::size_t>(layout_.region_class_of(reg));
            const std::size_t at = rules.applicant_cell(k, rc, static_cast<std::size_t>(g), mask);
            const double n = demand[at] * layout_.region_part[rc][reg];
            flows.applications[k] += n;
            const std::int64_t fixed = std::llround(n * kFixedPoint);
            if (fixed <= 0) continue; // below a millionth of an agent
            problem.cells.push_back({static_cast<int>(k), static_cast<int>(reg), g, fixed,
                                     pr.group_priority[static_cast<std::size_t>(g)],
                                     rules.applications.programmes[k].substitutes_in(mask)});
            applicants.push_back(n);
            cell_of.push_back(at);
          }
    const Allocation allocation = allocate(problem);
    std::vector<std::size_t> order(problem.cells.size());
    for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return problem.cells[a].priority_cost < problem.cells[b].priority_cost;
    });
    // Admitted per applicant cell: to the programme applied to, and to each substitute.
    std::vector<double> admitted_in(rules.admit_share.size(), 0.0), substituted_in(rules.substitute_share.size(), 0.0);
    const double tiny = 1e-9;
    for (std::size_t c : order) {
      const DemandCell& cell = problem.cells[c];
      const auto k = static_cast<std::size_t>(cell.programme);
      const CellOutcome& outcome = allocation.cells[c];
      const double n = applicants[c];
      // The flow's counts back to expected persons (the whole cell when nobody was turned away).
      const auto persons = [&](std::int64_t count) {
        return count == cell.applicants ? n : n * static_cast<double>(count) / static_cast<double>(cell.applicants);
      };
      const double no_seat =
          n * static_cast<double>(outcome.turned_away_no_seat) / static_cast<double>(cell.applicants);
      flows.no_seat[k] += no_seat;
      flows.no_money[k] += n - persons(outcome.admitted) - no_seat;
      if (no_seat > tiny * n) flows.seats_binding[k * R + static_cast<std::size_t>(cell.region)] = 1;
      if (n - persons(outcome.admitted) - no_seat > tiny * n) flows.money_binding[k] = 1;
      // The money of `admitted` placed in programme `taken`: shared by programmes, it is committed
      // in priority order, and what is short by now turns away, counted where they applied.
      // Returns those it pays for.
      const auto commit = [&](std::size_t taken, double admitted) {
        const double affordable = affordable_now(taken);
        if (admitted > affordable) {
          flows.no_money[k] += admitted - affordable;
          flows.money_binding[taken] = 1;
          admitted = affordable;
        }
        for (std::size_t f = 0; f < terms_.funds; ++f) {
          const double due = terms_.claim[taken * terms_.funds + f] * terms_.claims_committed[taken] * admitted;
          book.remaining[f] -= due;
          book.committed[f] += due;
        }
        if (terms_.payment[taken] == Payment::Enrolment) pay_claims(p, book, flows, taken, admitted);
        flows.enrolments[taken] += admitted;
        return admitted;
      };
      // The programme applied to takes its share, then each substitute of the cell's mask in order
      // (`slot`: its place among the programme's substitutes; the cell's own list holds the masked).
      const std::int64_t to_substitutes =
          std::accumulate(outcome.admitted_to.begin(), outcome.admitted_to.end(), std::int64_t{0});
      admitted_in[cell_of[c]] += commit(k, persons(outcome.admitted - to_substitutes));
      const std::uint32_t mask = rules.mask_of(cell_of[c]);
      const std::vector<std::size_t>& accepted = rules.applications.programmes[k].substitutes;
      for (std::size_t slot = 0, j = 0; slot < accepted.size(); ++slot) {
        if ((mask >> slot & 1) == 0) continue;
        const double admitted = commit(accepted[slot], persons(outcome.admitted_to[j++]));
        flows.substitute_enrolments[accepted[slot]] += admitted;
        substituted_in[cell_of[c] * rules.substitute_bits + slot] += admitted;
      }
    }
    for (std::size_t at = 0; at < admitted_in.size(); ++at) {
      const bool any = demand[at] > 0;
      rules.admit_share[at] = any ? std::min(1.0, admitted_in[at] / demand[at]) : 0.0;
      for (std::size_t j = 0; j < rules.substitute_bits; ++j)
        rules.substitute_share[at * rules.substitute_bits + j] =
            any ? std::min(1.0, substituted_in[at * rules.substitute_bits + j] / demand[at]) : 0.0;
    }
    for (std::size_t k = 0; k < K; ++k) {
      if (flows.money_binding[k] != 0.0)
        for (std::size_t f = 0; f < terms_.funds; ++f)
          if (const double due = terms_.claim[k * terms_.funds + f] * terms_.claims_committed[k];
              due > 0 && book.remaining[f] < due)
            flows.fund_binding[f] = 1;
    }
  }

  // The evaluation step (EvaluationSystem::step) on the queue tracks: those who waited past the
  // month's max_wait_months give up; the others are matched to the evaluators (twin_evaluate, in
  // the record pass: the share of each (level sought, status, months waited) cell assessed), the
  // assessed pass or fail (an ordinary assessment by the sit-and-pass rules' pass probability, a
  // programme's by its pass_probability, paid or released as the agents'), the rest wait a
  // month more. The queue's tracks are taken longest wait first, so a move never meets a track
  // twice.
  void evaluate(MonthRules& rules, View& out, TwinFlows* record, Book* book) const {
    const Layout& lay = layout_;
    const Parameters& p = rules.p;
    const std::int64_t max_wait = p.evaluation.max_wait_months;
    const auto sought_of = [&](const Layout::Track& t, int level) {
      return t.qprog >= 0 ? static_cast<int>(p.programmes.target_level[static_cast<std::size_t>(t.qprog)]) : level + 1;
    };
    if (record) {
      rules.live_eval.reset(lay.segments());
      const std::size_t cells = twin_evaluation_cells(max_wait); // per region class
      std::vector<double> candidates(static_cast<std::size_t>(lay.region_classes) * cells, 0.0);
      for (std::size_t tr = lay.queue_first; tr < lay.tracks.size(); ++tr) {
        const Layout::Track& t = lay.tracks[tr];
        if (t.wait == 0) continue; // a young copy of a track outside the queue
        for_segments(
            out, tr, rules.live_eval, true,
            [&](int, int, int c, int k, int level, Eigen::Index row, Eigen::Index n, Eigen::Index) {
              const int sought = sought_of(t, level);
              if (t.wait > max_wait || sought >= kLevelCount) return; // leaving; a top level seeks none
              candidates[static_cast<std::size_t>(lay.region_class(c)) * cells +
                         twin_evaluation_cell(sought, lay.statuses[static_cast<std::size_t>(k)], t.wait, max_wait)] +=
                  out.col(0).segment(row, n).sum();
            });
      }
      const TwinEvaluationMonth month = twin_evaluate(p, candidates, lay.region_part, book->evaluation_due);
      rules.assessed_share = month.assessed_share;
      record->evaluations = month.held;
      record->evaluation_binding = month.binding;
      record->evaluation_queue = month.queue;
    }
    // Sized here too: without programmes the training step (which sizes it) does not run.
    segment_.resize(lay.max_rows(), out.cols());
    // Each age class's queue apart (the young's: the ordinary assessment's, Layout::young_main),
    // and the band over the maximum age's (Layout::over_age: class 0 only).
    const int bands = lay.over_age > 0 ? 2 : 1;
    for (int over = 0; over < bands; ++over)
      for (int cls = 0; cls <= (over > 0 ? 0 : lay.last_class()); ++cls)
        for (int qprog = -1; qprog < static_cast<int>(terms_.programmes); ++qprog)
          for (int wait = lay.waits; wait >= 1; --wait)
            for (int fp = 0; fp < lay.follow_parts(); ++fp) {
              const std::size_t home =
                  lay.queue_first +
                  static_cast<std::size_t>(((qprog + 1) * lay.waits + wait - 1) * lay.follow_parts() + fp);
              if (cls > 0 && lay.young_slot[home] < 0) continue;
              const std::size_t tr = lay.in_band(lay.in_class(home, cls), over);
              const Layout::Track& t = lay.tracks[tr];
              const std::size_t none = lay.in_band(lay.in_class(lay.track(-1, 0, t.fprog, t.fleft), cls), over);
              for_segments(
                  out, tr, rules.live_eval, false,
                  [&](int sex, int g, int c, int k, int level, Eigen::Index row, Eigen::Index n, Eigen::Index skip) {
                    segment_.topRows(n) = out.middleRows(row, n);
                    const auto x = segment_.topRows(n);
                    out.middleRows(row, n).setZero();
                    const int status = lay.statuses[static_cast<std::size_t>(k)];
                    // A segment's first row (of another level); at_x: the rows of `x` at this level.
                    const auto at = [&](std::size_t to_track, int lv) {
                      return static_cast<Eigen::Index>(lay.first(to_track, sex, g, c, k, lv));
                    };
                    const auto at_x = [&](std::size_t to_track) { return at(to_track, level) + skip; };
                    const int sought = sought_of(t, level);
                    // Gave up waiting, or appointed to the top level while waiting (nothing left to
                    // seek: out of the queue, counted with those who gave up, as the agents).
                    if (wait > max_wait || sought >= kLevelCount) {
                      out.middleRows(at_x(none), n) += x;
                      if (record) {
                        const double total = x.col(0).sum();
                        lay.add_by_region(record->evaluation_abandoned, lay.region_class(c), total);
                        if (qprog >= 0 && terms_.payment[static_cast<std::size_t>(qprog)] == Payment::Certification)
                          release_claims(*book, static_cast<std::size_t>(qprog), total);
                      }
                      return;
                    }
                    const double a = rules.assessed_share[static_cast<std::size_t>(lay.region_class(c)) *
                                                              twin_evaluation_cells(max_wait) +
                                                          twin_evaluation_cell(sought, status, wait, max_wait)];
                    if (a < 1)
                      out.middleRows(
                          at_x(lay.in_band(lay.in_class(lay.queued(qprog, wait + 1, t.fprog, t.fleft), cls), over)),
                          n) += (1 - a) * x;
                    if (a <= 0) return;
                    // The factors by age band are 1 (twin_refusals), so band 0 stands for every age.
                    double pass = qprog >= 0
                                      ? p.programmes.pass_probability[static_cast<std::size_t>(qprog)]
                                      : rules.rates.pass_probability(
                                            sought, person_class(kMinAge, sex, lay.gstates.group(g)), lay.region_of(c));
                    // A mentee's ordinary assessment passes more often (EvaluationSystem's
                    // pass_ordinary): the mentored share of the employed at the month's end stands
                    // for the agents' mentees, employed at its start (docs/twin.md).
                    if (const double s = qprog < 0 ? rules.mentored(status, level, lay.region_class(c)) : 0.0; s > 0) {
                      pass = (1 - s) * pass + s * rules.mentoring.pass_probability(pass);
                    }
                    const bool moves_up = level < sought;
                    out.middleRows(at_x(none), n) += (moves_up ? a * (1 - pass) : a) * x;
                    if (moves_up) {
                      const Eigen::Index span = lay.span(level);
                      const auto lo = static_cast<int>(skip / span);
                      for (int i = lo; i < lo + static_cast<int>(n / span); ++i)
                        out.row(at(none, sought) + lay.row(sought, lay.carried(i, sought), 0)) +=
                            a * pass * x.middleRows((i - lo) * span, span).colwise().sum();
                    }
                    if (!record) return;
                    const double assessed = a * x.col(0).sum(), passed = assessed * pass;
                    if (qprog >= 0) {
                      const auto q = static_cast<std::size_t>(qprog);
                      record->programme_assessments[q * kLevelCount + static_cast<std::size_t>(sought)] += assessed;
                      record->certificates[q] += passed;
                      if (terms_.payment[q] == Payment::Certification) {
                        pay_claims(p, *book, *record, q, passed);
                        release_claims(*book, q, assessed - passed);
                      }
                    } else {
                      record->assessments[static_cast<std::size_t>(sought)] += assessed;
                    }
                    if (moves_up) {
                      record->promotions[static_cast<std::size_t>(sought)] += passed;
                      record->promotions_out[static_cast<std::size_t>(level)] += passed;
                      if (level < kFirstSkilledLevel && sought >= kFirstSkilledLevel) record->newly_skilled += passed;
                    }
                  });
            }
  }

  // Skills competitions (Competitions::step), after the appointments: the tiers held this month
  // in order, each taking min(places, eligible) entrants among the eligible not yet entered this
  // month (anybody not waiting for an evaluator whom CompetitionRules::Tier::admits) by the
  // month's one entry priority a worker, shared by the tiers (twin_competitions.hpp: a threshold
  // on its quantile, less what earlier tiers took), and min(winners, entrants) winners among them, promoted one level
  // or credited months at the level (the award).
  void compete(MonthRules& rules, View& out, TwinFlows* record, Book* book) const {
    const Layout& lay = layout_;
    const auto& held = rules.competitions.held;
    const auto& c = rules.p.competitions;
    const auto admits = [&](const CompetitionRules::Tier& tier, int status, int level, int months) {
      return tier.admits(static_cast<std::uint8_t>(status), static_cast<std::uint8_t>(level),
                         static_cast<std::uint8_t>(months)); // below layout_.cap, a min_months: at most 255
    };
    const auto wanted = [&](int, int status, int level) {
      return std::any_of(held.begin(), held.end(), [&](const CompetitionRules::Tier& tier) {
        return tier.status[static_cast<std::size_t>(status)] &&
               tier.wait[static_cast<std::size_t>(level)] != CompetitionRules::kClosed;
      });
    };
    // Of a row, the largest priority threshold of the tiers before j it may enter (those below
    // it entered one of them: twin_competitions.hpp).
    const auto taken_before = [&](std::size_t j, int status, int level, int months) {
      double taken = 0;
      for (std::size_t i = 0; i < j; ++i)
        if (admits(held[i], status, level, months)) taken = std::max(taken, rules.contest[i].threshold);
      return taken;
    };
    const auto queued = [&](std::size_t tr) { return lay.tracks[tr].wait > 0; }; // no competition for them
    if (record) {
      rules.live_contest.reset(lay.segments());
      rules.contest.assign(held.size(), {});
      const auto scale = static_cast<double>(rules.p.population.scale);
      for (std::size_t j = 0; j < held.size(); ++j) {
        const CompetitionRules::Tier& tier = held[j];
        std::map<double, double> eligible; // by the threshold taken before
        for (std::size_t tr = 0; tr < lay.tracks.size(); ++tr)
          if (!queued(tr))
            for_segments(out, tr, rules.live_contest, true, wanted,
                         [&](int, int, int, int k, int level, Eigen::Index row, Eigen::Index n, Eigen::Index) {
                           const int status = lay.statuses[static_cast<std::size_t>(k)];
                           for (Eigen::Index m = 0; m < n; ++m) // `row` starts an insurance month
                             if (const int months = static_cast<int>(m) % lay.span(level);
                                 admits(tier, status, level, months))
                               eligible[taken_before(j, status, level, months)] += out(row + m, 0);
                         });
        const std::int64_t entrants_due = book->contest_entrants_due[tier.index].take(tier.entrants / scale);
        const std::int64_t winners_due = book->contest_winners_due[tier.index].take(tier.winners / scale);
        rules.contest[j] = twin_competition_shares(entrants_due, winners_due, {eligible.begin(), eligible.end()});
        record->competition_no_entrant[tier.index] += static_cast<double>(entrants_due) - rules.contest[j].entrants;
        record->competition_no_winner[tier.index] += static_cast<double>(winners_due) - rules.contest[j].winners;
      }
    }
    // The winners' moves, kept until every row is done (a promotion goes to a row not yet seen).
    held_.clear();
    held_values_.clear();
    const Eigen::Index columns = out.cols();
    row_x_.resize(columns);
    for (std::size_t tr = 0; tr < lay.tracks.size(); ++tr)
      if (!queued(tr))
        for_segments(
            out, tr, rules.live_contest, false, wanted,
            [&](int sex, int g, int cl, int k, int level, Eigen::Index row, Eigen::Index n, Eigen::Index skip) {
              const int status = lay.statuses[static_cast<std::size_t>(k)];
              const Eigen::Index span = lay.span(level);
              for (Eigen::Index m = 0; m < n; ++m) {
                const int months = static_cast<int>(m % span), insured = static_cast<int>((skip + m) / span);
                double taken = 0;
                bool any = false;
                for (std::size_t j = 0; j < held.size(); ++j) {
                  const CompetitionRules::Tier& tier = held[j];
                  if (!admits(tier, status, level, months)) continue;
                  const double entering = std::max(0.0, rules.contest[j].threshold - taken),
                               winning = entering * rules.contest[j].win;
                  taken = std::max(taken, rules.contest[j].threshold);
                  if (entering <= 0) continue;
                  if (!any) {
                    row_x_ = out.row(row + m);
                    any = true;
                  }
                  const std::size_t at = tier.index * kLevelCount + static_cast<std::size_t>(level);
                  if (record) {
                    record->competition_entrants[at] += row_x_(0) * entering;
                    record->competition_winners[at] += row_x_(0) * winning;
                  }
                  if (winning <= 0) continue;
                  const bool promotes = award_of(c, tier.index) == CompetitionAward::Promote;
                  const int to_level = promotes ? level + 1 : level;
                  const int to_row =
                      promotes ? lay.row(to_level, lay.carried(insured, to_level), 0)
                               : lay.row(level, insured,
                                         std::min<int>(months + static_cast<int>(c.shorten_months[tier.index]),
                                                       static_cast<int>(span) - 1));
                  out.row(row + m) -= row_x_ * winning;
                  const std::size_t start = held_values_.size();
                  held_values_.resize(start + static_cast<std::size_t>(columns));
                  View(held_values_.data() + start, 1, columns) = row_x_ * winning;
                  held_.emplace_back(static_cast<Eigen::Index>(lay.at(tr, sex, g, cl, k, to_level, to_row)), 1);
                  if (record && promotes) {
                    const double won = row_x_(0) * winning;
                    record->competition_promotions[at + 1] += won;
                    record->promotions[static_cast<std::size_t>(to_level)] += won;
                    record->promotions_out[static_cast<std::size_t>(level)] += won;
                    if (level < kFirstSkilledLevel && to_level >= kFirstSkilledLevel) record->newly_skilled += won;
                  }
                }
              }
            });
    std::size_t held_at = 0;
    for (const auto& [at, rows] : held_) {
      out.middleRows(at, rows) += View(held_values_.data() + held_at, rows, columns);
      held_at += static_cast<std::size_t>(rows * columns);
    }
    held_.clear();
    held_values_.clear();
  }

  // Appointments within quotas (promotion.cpp): the quota against the expected eligible, the
  // same share of every eligible cell appointed (agent-keyed priorities pick uniformly), in every
  // track (a trainee may be appointed).
  void appoint(MonthRules& rules, View& out, TwinFlows* record, Book* book) const {
    const Layout& lay = layout_;
    const int employed = lay.slot_of[kEmployed];
    for (std::size_t k = 0; k < 2; ++k) {
      const int target = static_cast<int>(Level::PrincipalTechnician) + static_cast<int>(k), below = target - 1;
      const auto eligible_cells = [&](auto&& f) {
        for (std::size_t tr = 0; tr < lay.tracks.size(); ++tr)
          for (int sex = 0; sex < kSexCount; ++sex)
            for (int g = 0; g < lay.groups(); ++g)
              for (int c = 0; c < lay.classes; ++c) {
                if (!lay.holds(tr, sex, g, c, employed, below)) continue; // an age class's unreachable row
                for (int row = 0; row < lay.rows(below); ++row)
                  if (appointment_eligible(rules.rates, target, below, kEmployed, row % lay.span(below)))
                    f(static_cast<Eigen::Index>(lay.at(tr, sex, g, c, employed, below, row)),
                      static_cast<Eigen::Index>(
                          lay.at(tr, sex, g, c, employed, target,
                                 lay.row(target, lay.carried(row / lay.span(below), target), 0))));
              }
      };
      if (record) {
        const auto quota = static_cast<double>(book->appointments_due[k].take(appointment_quota(rules.p, k)));
        double eligible = 0;
        eligible_cells([&](Eigen::Index at, Eigen::Index) { eligible += out(at, 0); });
        const double chosen = std::min(quota, eligible);
        rules.appointed_share[k] = eligible > 0 ? chosen / eligible : 0.0;
        record->appointed[k] += chosen;
        record->appointments_unfilled[k] += quota - chosen;
        record->promotions[static_cast<std::size_t>(target)] += chosen;
        record->promotions_out[static_cast<std::size_t>(below)] += chosen;
      }
      const double share = rules.appointed_share[k];
      if (share <= 0) continue;
      eligible_cells([&](Eigen::Index at, Eigen::Index to) {
        for (Eigen::Index col = 0; col < out.cols(); ++col) {
          const double moved = out(at, col) * share;
          out(at, col) -= moved;
          out(to, col) += moved;
        }
      });
    }
  }

  const Layout& layout_;
  const Terms& terms_;
  const bool whole_; // TwinOptions::whole_segments
  // Scratch kept between calls (no allocation per segment): apply()'s months at a level and its
  // promoted row; train()'s segment, ended full-time trainees' rows (where, how many; their
  // values row-major), and an admission's row.
  mutable Batch scratch_, segment_, up_, done_, queued_, movers_;
  mutable Eigen::RowVectorXd row_x_, row_admitted_;
  mutable std::vector<std::pair<std::size_t, double>> admissions_; // a row's: (programme taken, share)
  mutable std::vector<std::pair<Eigen::Index, Eigen::Index>> held_;
  mutable std::vector<double> held_values_;
};

// A cohort of the initial population (one month of birth in an initial age band, one sex) or of
// one month's entrants (one month of birth, one sex), with its chance of being alive and active.
struct Cohort {
  std::int32_t birth = 0;
  int sex = 0;
  int band = -1;       // initial population: the age band
  int origin = 0;      // 0: initial population; u: entrants of month u
  double weight = 0;   // initial: 1 / the band's months; entrants: P(age) x P(sex)
  double survival = 1; // alive and active at the end of the month last stepped
  bool active = true;
  // School leavers of month `origin` (twin_schools.hpp; weight: their number in agents): the
  // level and group they join at; -1 for the others.
  int leaver_level = -1, leaver_group = -1;
  std::size_t leaver_region = 0;
  // Entrants younger than the programmes' minimum age: the age class they join in
  // (Layout::young_age less their age in their month of entry; 0: the main tracks).
  int young = 0;
  // With a maximum age (Layout::over_age): whether the cohort is in the band over it from the
  // start (the initial population) or from its entry; else the month of the run in which it
  // reaches it (0: not in the run), and its weight then (Projector::run: Cohort::weight x its
  // survival to the start of that month).
  bool over = false;
  // The initial population under the minimum age (Layout::under_class) in month 1.
  bool under = false;
  // The month of the run in which the cohort crosses the maximum age (kind 0) or, of the
  // initial population under it, the minimum age (kind 1) (0: not in the run), and its weight
  // then (Projector::run: Cohort::weight x its survival to the start of that month).
  std::array<int, 2> cross{};
  std::array<double, 2> cross_weight{};
};

class Projector {
public:
  // `buffers`, if given, are all zero and left so (run() zeroes what it writes): a projection
  // before may have used them.
  Projector(const Scenario& scenario, const TwinOptions& options, TwinBuffers* buffers = nullptr)
      : p0_(scenario.parameters()), options_(options), studios_(Studios::in_scenario(scenario)),
        buffers_(buffers != nullptr ? *buffers : own_buffers_) {
    const auto months = static_cast<int>(p0_.scenario.months);
    for (int u = 1; u <= months; ++u) rules_.emplace_back(scenario, scenario.start() + (u - 1));
    layout_.over_age = maximum_age();
    build_layout();
    build_initial();
    build_entrants();
    build_school_leavers();
    build_young();
    build_over();
    std::vector<std::uint8_t> held = young_segments();
    hold_reachable_queue_windows(held);
    layout_.place(held);
    followed_in_proportion_ = follow_crossings_in_proportion();
  }

  // (Not copied or moved: buffers_ may refer to its own_buffers_.)
  Projector(const Projector&) = delete;
  Projector& operator=(const Projector&) = delete;

  TwinProjection run() {
    const auto months = static_cast<int>(p0_.scenario.months);
    TwinProjection out;
    out.rows = layout_.cells;
    out.followed_in_proportion = followed_in_proportion_;
    out.flows.assign(static_cast<std::size_t>(months) + 1, empty_flows());
    // The month's dying taken from the active population at the end of the month before (buffer
    // 6, live_segments_; derive_dying) rather than pushed as a vector of their own (TwinOptions::
    // pushed_deaths).
    const bool derive_deaths = !options_.pushed_deaths;
    crossings_.assign(static_cast<std::size_t>(months) + 1, {});
    // Time 0: everybody active with weight 1.
    {
      std::vector<std::vector<double>> table(1, std::vector<double>(cohorts_.size(), 0.0));
      for (std::size_t i = 0; i < cohorts_.size(); ++i)
        if (cohorts_[i].origin == 0) table[0][i] = cohorts_[i].weight;
      View v0 = view(0, 1);
      initial_state(table, v0);
      find_live(layout_, v0, live_segments_);
      out.stocks.push_back(stocks_of(v0, live_segments_));
      schools_.add_stocks(0, out.stocks.back());
      if (derive_deaths) keep_active(v0);
      clear_segments(layout_, live_segments_, v0);
    }
    for (int t = 1; t <= months; ++t) {
      if (options_.cancel != nullptr && options_.cancel->load()) throw Cancelled();
      MonthRules& now = rules_[static_cast<std::size_t>(t - 1)];
      TwinFlows& flows = out.flows[static_cast<std::size_t>(t)];
      // The weights of month t's vectors: each cohort alive and active at the start of the month
      // and still so after it (vector 0), dying in it (1, only with TwinOptions::pushed_deaths),
      // or retiring in it (2 on; 1 on when the dying are derived). The cohorts retiring this
      // month, by sex: the j-th of each sex share vector first_retiring + j (their halves of the
      // vector are apart).
      std::array<std::vector<std::int32_t>, kSexCount> retiring;
      for (const Cohort& c : cohorts_) {
        auto& list = retiring[static_cast<std::size_t>(c.sex)];
        if (c.origin < t && c.active && retires(c, now) && std::find(list.begin(), list.end(), c.birth) == list.end())
          list.push_back(c.birth);
      }
      for (auto& list : retiring) std::sort(list.begin(), list.end());
      const std::size_t retiring_columns = std::max(retiring[0].size(), retiring[1].size());
      std::vector<std::function<double(const Cohort&)>> weights;
      weights.emplace_back(
          [&](const Cohort& c) { return c.active && !retires(c, now) ? c.survival * (1 - death(c, now)) : 0.0; });
      if (!derive_deaths)
        weights.emplace_back([&](const Cohort& c) { return c.active ? c.survival * death(c, now) : 0.0; });
      const Eigen::Index first_retiring = derive_deaths ? 1 : 2;
      for (std::size_t j = 0; j < retiring_columns; ++j)
        weights.emplace_back([&, j](const Cohort& c) {
          const auto& list = retiring[static_cast<std::size_t>(c.sex)];
          return j < list.size() && c.birth == list[j] && c.active && retires(c, now) ? c.survival * (1 - death(c, now))
                                                                                      : 0.0;
        });
      // Each cohort's weight in each vector, once.
      std::vector<std::vector<double>> table(weights.size(), std::vector<double>(cohorts_.size(), 0.0));
      for (std::size_t col = 0; col < weights.size(); ++col)
        for (std::size_t i = 0; i < cohorts_.size(); ++i)
          if (cohorts_[i].origin < t) table[col][i] = weights[col](cohorts_[i]) * cohorts_[i].weight;
      // The cohorts that reach the maximum age this month (Layout::over_age), both sexes in one
      // vector (their halves apart), each with its weight at the start of the month: pushed to
      // it, the vector is X_t, kept to move their part of every later month's vectors at their
      // start (move_crossing).
      // (Kind 0: the maximum age; kind 1: the initial population's minimum age, crossed out of
      // Layout::under_class into the main tracks, the same way.)
      const bool crossings = layout_.over_age > 0 || layout_.under_class > 0;
      std::array<Eigen::Index, 2> crossing_column{-1, -1};
      for (std::size_t kind = 0; kind < 2 && crossings; ++kind) {
        std::vector<double> column(cohorts_.size(), 0.0);
        bool any = false;
        for (std::size_t i = 0; i < cohorts_.size(); ++i) {
          Cohort& c = cohorts_[i];
          if (c.cross[kind] != t) continue;
          c.cross_weight[kind] = c.origin < t && c.active && !retires(c, now) ? c.weight * c.survival : 0.0;
          column[i] = c.cross_weight[kind];
          any = any || c.cross_weight[kind] > 0;
        }
        if (any) {
          crossing_column[kind] = static_cast<Eigen::Index>(table.size());
          table.push_back(std::move(column));
        }
      }
      // Each earlier crossing's factor in each vector, by kind and sex (crossing_factors).
      std::vector<std::array<std::array<std::vector<double>, kSexCount>, 2>> factors(static_cast<std::size_t>(t) + 1);
      for (int u = 1; u <= t && crossings; ++u)
        for (std::size_t kind = 0; kind < 2; ++kind)
          if (u < t ? !crossings_[static_cast<std::size_t>(u)][kind].rows.empty() : crossing_column[kind] >= 0)
            factors[static_cast<std::size_t>(u)][kind] = crossing_factors(u, kind, table, crossing_column);
      // The completers followed apart (Follow), a column per programme whose window is not a
      // track: column 0's of the months whose windows end in month t (counted); and with a
      // crossing of the maximum age this month, the crossing vector's of the months whose windows
      // end later, per month of end (kept with the crossing: move_followed). (The class under the
      // minimum age, crossing into the main tracks, is in no programme: it follows nobody.)
      const auto columns = static_cast<Eigen::Index>(table.size());
      const auto window_of = [&](int u) {
        return static_cast<int>(
            std::min<std::int64_t>(rules_[static_cast<std::size_t>(u - 1)].p.programmes.follow_up_months, 255));
      };
      std::vector<int> ends; // t, then the later months, in which windows started before t end
      for (int u = 1; u < t; ++u)
        if (window_of(u) > 0 && u + window_of(u) == t) ends.assign(1, t);
      for (int u = 1; u < t; ++u)
        if (const int end = u + window_of(u); end > t && crossing_column[0] >= 0 && !followed_in_proportion_ &&
                                              std::find(ends.begin(), ends.end(), end) == ends.end())
          ends.push_back(end);
      Follow follow;
      follow.first = columns;
      for (const int end : ends)
        for (std::size_t k = 0; k < terms_.programmes; ++k)
          if (layout_.tracked[k] < 0) follow.add(static_cast<int>(k), end, end == t ? 0 : crossing_column[0]);
      follow.counted = static_cast<Eigen::Index>(std::count(follow.end.begin(), follow.end.end(), t));
      const std::vector<int> follow_programme(follow.programme.begin(), follow.programme.begin() + follow.counted);
      int widen_at = 0; // the first month that takes completers into a column
      for (int u = 1; u < t && widen_at == 0; ++u)
        if (window_of(u) > 0 && std::find(ends.begin(), ends.end(), u + window_of(u)) != ends.end()) widen_at = u;
      // The vectors to the start of month t, in the two buffers taken in turn (each zero again
      // once pushed); the followed columns are added to them when the first of them starts.
      std::size_t from = 0, to = 1;
      Eigen::Index width = columns;
      {
        View v0 = view(from, width);
        initial_state(table, v0);
      }
      // Zeroes what month u's vectors `x` held: the record pass's rows, and the rows the crossing
      // moves left a rounding's residue in (outside the record pass's live segments).
      const auto clear_month = [&](int u, const MonthRules& month, View& x) {
        kernel_.clear(month, x);
        if (crossings)
          for (const Crossing& crossing : crossings_[static_cast<std::size_t>(u)])
            for (std::size_t j = 0; j < crossing.rows.size(); ++j) {
              x.row(crossing.rows[j]).setZero();
              x.row(crossing.over[j]).setZero();
            }
      };
      for (int u = 1; u < t; ++u) {
        MonthRules& month = rules_[static_cast<std::size_t>(u - 1)];
        // The month's crossings first: the record pass's rows (MonthRules::rows_in) are those after them.
        if (crossings)
          for (std::size_t kind = 0; kind < 2; ++kind)
            if (const Crossing& crossing = crossings_[static_cast<std::size_t>(u)][kind]; !crossing.rows.empty()) {
              View in = view(from, width);
              // (The followed first: in proportion, they read column 0 before its move.)
              if (width > columns && followed_in_proportion_)
                move_followed_in_proportion(crossing, factors[static_cast<std::size_t>(u)][kind], follow, in);
              else if (width > columns)
                move_followed(crossing, factors[static_cast<std::size_t>(u)][kind], t, follow, in);
              move_crossing(crossing, factors[static_cast<std::size_t>(u)][kind], columns, in);
            }
        if (u == widen_at && follow.count > 0) {
          View narrow = view(from, width), wide = view(to, width + follow.count);
          for (const auto& [first, n] : month.rows_in) wide.block(first, 0, n, width) = narrow.middleRows(first, n);
          clear_month(u, month, narrow);
          width += follow.count;
          std::swap(from, to);
        }
        for (std::size_t j = 0; j < follow.end.size(); ++j)
          follow.extract[j] = window_of(u) > 0 && u + window_of(u) == follow.end[j] ? 1 : 0;
        View in = view(from, width), pushed = view(to, width);
        kernel_.apply(month, in, pushed, nullptr, nullptr, width > columns ? &follow : nullptr);
        add_entrants(u, table, pushed);
        clear_month(u, month, in);
        std::swap(from, to);
      }
      View start = view(from, width);
      // The cohorts reaching the maximum age this month: X_t kept, their part of every vector
      // (and of the active at the end of the month before, for the dying) moved to the band over it.
      for (std::size_t kind = 0; kind < 2; ++kind) {
        if (crossing_column[kind] < 0) continue;
        keep_crossing(t, kind, start, crossing_column[kind], width > columns ? &follow : nullptr);
        const Crossing& crossing = crossings_[static_cast<std::size_t>(t)][kind];
        move_crossing(crossing, factors[static_cast<std::size_t>(t)][kind], columns, start);
        if (derive_deaths) {
          View kept = view(6, 1);
          for (std::size_t j = 0; j < crossing.rows.size(); ++j) {
            kept(crossing.rows[j], 0) -= crossing.x[j];
            kept(crossing.over[j], 0) += crossing.x[j];
          }
        }
        // (Every segment of the blocks the moves reach: more than hold somebody, which is safe.)
        std::vector<std::size_t> over_segments = segments_of(layout_, crossing.over_blocks);
        over_segments.insert(over_segments.end(), live_segments_.begin(), live_segments_.end());
        std::sort(over_segments.begin(), over_segments.end());
        over_segments.erase(std::unique(over_segments.begin(), over_segments.end()), over_segments.end());
        live_segments_ = std::move(over_segments);
      }
      std::vector<std::size_t> segments; // of the start, among the end of the month before's
      find_live(layout_, start, segments, &live_segments_);
      const std::vector<std::size_t> blocks = blocks_of(layout_, segments);
      start_month(now);
      // Master studios find their masters and mentees among everybody active at the month's start:
      // the active at the end of the month before (kept for the derived dying), or the pushed
      // vectors of the surviving, dying and retiring.
      if (now.studios) {
        if (derive_deaths)
          kernel_.mentor(now, view(6, 1), 1, flows);
        else
          kernel_.mentor(now, start, first_retiring + static_cast<Eigen::Index>(retiring_columns), flows);
      }
      // Deaths of the active, by level and group held (before any move); trainees among them
      // leave their programme (as do those retiring).
      if (derive_deaths) {
        View dying = derive_dying(start, first_retiring, retiring_columns);
        count_deaths(dying, 0, live_segments_, flows);
        trainees_leave(dying, 0, blocks_of(layout_, live_segments_), flows);
        clear_segments(layout_, live_segments_, dying);
      } else {
        count_deaths(start, 1, segments, flows);
        trainees_leave(start, 1, blocks, flows);
      }
      for (std::size_t j = 0; j < retiring_columns; ++j)
        trainees_leave(start, first_retiring + static_cast<Eigen::Index>(j), blocks, flows);
      // Retired before: death, then the closure of groups; then the month's retirements join.
      step_retired(now, flows);
      for (std::size_t j = 0; j < retiring_columns; ++j)
        for (int sex = 0; sex < kSexCount; ++sex)
          if (const auto& list = retiring[static_cast<std::size_t>(sex)]; j < list.size())
            retire(now, sex, list[j], start, first_retiring + static_cast<Eigen::Index>(j), segments, flows);
      if (now.rates.migrating) migrate_retired(now, flows);
      // The active: the month's rules, then the entrants.
      View active = view(2, 1), next = view(3, 1);
      for (std::size_t id : segments)
        active.middleRows(layout_.segment_start(id), layout_.segment_rows(id)) =
            start.col(0).segment(layout_.segment_start(id), layout_.segment_rows(id));
      const bool count_apart = width > columns && follow.counted > 0;
      if (count_apart) {
        View followed = view(4, follow.counted);
        for (std::size_t id : segments)
          followed.middleRows(layout_.segment_start(id), layout_.segment_rows(id)) =
              start.block(layout_.segment_start(id), follow.first, layout_.segment_rows(id), follow.counted);
      }
      clear_segments(layout_, segments, start);
      kernel_.apply(now, active, next, &flows, &book_);
      kernel_.clear(now, active);
      if (count_apart) count_followed(now, follow_programme, flows);
      add_month_entrants(t, next, flows);
      flows.remaining = book_.remaining;
      flows.committed = book_.committed;
      find_live(layout_, next, live_segments_);
      out.stocks.push_back(stocks_of(next, live_segments_));
      schools_.add_stocks(static_cast<std::size_t>(t), out.stocks.back());
      if (derive_deaths && t < months) keep_active(next);
      clear_segments(layout_, live_segments_, next);
      // The cohorts' weights move on.
      for (Cohort& c : cohorts_) {
        if (c.origin >= t || !c.active) continue;
        if (retires(c, now)) {
          c.active = false;
          c.survival = 0;
        } else {
          c.survival *= 1 - death(c, now);
        }
      }
      if (options_.check_buffers_cleared) check_buffers_cleared(t, derive_deaths && t < months);
      if (options_.month_done) options_.month_done();
    }
    // Persons, not agents.
    const auto scale = static_cast<double>(p0_.population.scale);
    for (auto& s : out.stocks) scale_stocks(s, scale);
    for (auto& f : out.flows) scale_flows(f, scale);
    return out;
  }

private:
  std::int32_t age_months(const Cohort& c, const MonthRules& m) const { return m.month.index - c.birth; }
  double death(const Cohort& c, const MonthRules& m) const {
    return m.rates.death[static_cast<std::size_t>(mortality_band(age_months(c, m) / 12))];
  }
  bool retires(const Cohort& c, const MonthRules& m) const {
    return age_months(c, m) >= m.rates.retirement_age_months[static_cast<std::size_t>(c.sex)];
  }

  // The state at the start of month s of the cohorts that reach the maximum age in it (X_s: the
  // rows that hold somebody, in the band under it), the same rows in the band over it (B), each
  // row's sex, and the blocks over it they reach.
  // With followed columns (Follow), also the crossing cohorts' completers followed in them: of
  // each programme whose windows are not tracks, per month their windows end (F, on X's rows).
  struct Followed {
    int programme = 0, end = 0;
    std::vector<double> x;
  };
  struct Crossing {
    std::vector<Eigen::Index> rows, over;
    std::vector<int> sex;
    std::vector<double> x;
    std::vector<std::size_t> over_blocks;
    std::vector<Followed> followed;
  };
  std::vector<std::array<Crossing, 2>> crossings_; // by month of the run and kind (Cohort::cross)

  // X_t: column `col` of `start` (the vectors pushed to the start of month t; it holds nobody
  // outside the blocks of live_segments_), kept; its rows moved to the band over the maximum age (kind 0) or
  // out of the initial population's class under the minimum age into the main tracks (kind 1).
  // With `follow`, the columns following completers from `col` are kept too (Crossing::followed).
  void keep_crossing(int t, std::size_t kind, const View& start, Eigen::Index col, const Follow* follow) {
    Crossing& c = crossings_[static_cast<std::size_t>(t)][kind];
    std::vector<Eigen::Index> followed; // the columns of `start` kept in c.followed
    for (Eigen::Index j = 0; follow != nullptr && j < follow->count; ++j)
      if (const auto i = static_cast<std::size_t>(j); follow->source[i] == col) {
        c.followed.push_back({follow->programme[i], follow->end[i], {}});
        followed.push_back(follow->first + j);
      }
    for (std::size_t b : blocks_of(layout_, live_segments_)) {
      const std::size_t tr = layout_.track_of_block(b);
      const auto first = static_cast<Eigen::Index>(layout_.block_start(b));
      const auto rows = static_cast<Eigen::Index>(layout_.block_size(b));
      bool any = false;
      std::size_t over_block = 0;
      for (Eigen::Index r = 0; r < rows; ++r) {
        const double x = start(first + r, col);
        if (x == 0) {
          // The followed are a part of the crossing cohorts (non-negative): none where X_t holds none.
          for (Eigen::Index f : followed)
            if (start(first + r, f) != 0)
              throw Error("the twin's followed completers of the cohorts reaching an age limit are outside "
                          "those cohorts (Projector::keep_crossing)");
          continue;
        }
        const Layout::Track& track = layout_.tracks[tr];
        const bool from_main = track.young == 0 && track.over == 0;
        const bool from_under = layout_.under_class > 0 && track.young == layout_.under_class;
        if (kind == 0 ? !from_main : !from_under)
          throw Error("the twin's cohorts reaching an age limit are outside the tracks it moves them from "
                      "(Projector::run)");
        if (!any) {
          const std::size_t to = kind == 0 ? layout_.in_band(tr, 1) : layout_.in_class(tr, 0);
          over_block = layout_.block_of(to, layout_.sex_of_block(b), layout_.group_of_block(b));
          c.over_blocks.push_back(over_block);
          any = true;
        }
        c.rows.push_back(first + r);
        c.over.push_back(static_cast<Eigen::Index>(layout_.block_start(over_block)) + r);
        c.sex.push_back(layout_.sex_of_block(b));
        c.x.push_back(x);
        for (std::size_t i = 0; i < followed.size(); ++i) c.followed[i].x.push_back(start(first + r, followed[i]));
      }
    }
  }

  // Month s's crossing cohorts' factor in each vector of `table` (month t's), by sex: their
  // weight in the vector over their weight at the start of month s (Cohort::cross_weight), the
  // same for every cohort of the month of birth (the survival from month s on and the month's
  // weights depend only on it); 0 in the crossing vector itself (crossing_column).
  std::array<std::vector<double>, kSexCount>
  crossing_factors(int s, std::size_t kind, const std::vector<std::vector<double>>& table,
                   const std::array<Eigen::Index, 2>& crossing_column) const {
    std::array<std::vector<double>, kSexCount> f;
    std::array<double, kSexCount> total{};
    for (auto& v : f) v.assign(table.size(), 0.0);
    for (std::size_t i = 0; i < cohorts_.size(); ++i) {
      const Cohort& c = cohorts_[i];
      if (c.cross[kind] != s || c.cross_weight[kind] <= 0) continue;
      const auto sex = static_cast<std::size_t>(c.sex);
      total[sex] += c.cross_weight[kind];
      for (std::size_t col = 0; col < table.size(); ++col)
        if (static_cast<Eigen::Index>(col) != crossing_column[0] &&
            static_cast<Eigen::Index>(col) != crossing_column[1])
          f[sex][col] += table[col][i];
    }
    for (std::size_t sex = 0; sex < kSexCount; ++sex)
      for (double& v : f[sex]) v = total[sex] > 0 ? v / total[sex] : 0.0;
    return f;
  }

  // Moves `moved` of column `col` from crossing row j to its row over the limit; a row left at a
  // rounding's residue of what it held (the crossing cohorts were all it held) is set to 0.
  static void move_part(const Crossing& c, std::size_t j, Eigen::Index col, double moved, View& x) {
    const double held = x(c.rows[j], col), left = held - moved;
    x(c.rows[j], col) = std::abs(left) <= 1e-12 * std::abs(held) ? 0.0 : left;
    x(c.over[j], col) += moved;
  }

  // Adds factor x (B - I) X_s to each of the first `columns` vectors of `x` (at the start of
  // month s): the crossing cohorts' part moved to the band over the maximum age, by linearity
  // (the kernels hold no death; the weights do). A row the move leaves at a rounding's residue
  // of what it held (the crossing cohorts were all it held) is set to 0.
  static void move_crossing(const Crossing& c, const std::array<std::vector<double>, kSexCount>& factor,
                            Eigen::Index columns, View& x) {
    for (std::size_t j = 0; j < c.rows.size(); ++j) {
      const std::vector<double>& f = factor[static_cast<std::size_t>(c.sex[j])];
      for (Eigen::Index col = 0; col < columns; ++col)
        if (const double g = f[static_cast<std::size_t>(col)]; g != 0) move_part(c, j, col, g * c.x[j], x);
    }
  }

  // Month s's crossing (at the start of month s of month t's vectors, s < t) in the columns
  // following completers whose windows end in month t (follow's counted): they hold column 0's
  // completers, so its factor times the crossing cohorts' completers followed (Crossing::
  // followed), moved as move_crossing moves X_s.
  static void move_followed(const Crossing& c, const std::array<std::vector<double>, kSexCount>& factor, int t,
                            const Follow& follow, View& x) {
    for (const Followed& part : c.followed) {
      if (part.end != t) continue;
      for (Eigen::Index j = 0; j < follow.counted; ++j) {
        if (follow.programme[static_cast<std::size_t>(j)] != part.programme) continue;
        const Eigen::Index col = follow.first + j;
        for (std::size_t i = 0; i < c.rows.size(); ++i)
          if (const double g = factor[static_cast<std::size_t>(c.sex[i])][0]; g != 0 && part.x[i] != 0)
            move_part(c, i, col, g * part.x[i], x);
      }
    }
  }

  // The same in proportion (TwinOptions::followed_crossing), with no followed columns kept per
  // later month of end: the followed columns hold a part of column 0's completers, and each row's
  // part is moved as the crossing moves column 0's row, by the share of the row it moves (exact
  // where the crossing cohorts are as likely to be followed as the rest of the row).
  static void move_followed_in_proportion(const Crossing& c, const std::array<std::vector<double>, kSexCount>& factor,
                                          const Follow& follow, View& x) {
    for (std::size_t i = 0; i < c.rows.size(); ++i) {
      const double g = factor[static_cast<std::size_t>(c.sex[i])][0], held = x(c.rows[i], 0);
      if (g == 0 || held <= 0) continue;
      const double share = std::min(1.0, g * c.x[i] / held);
      for (Eigen::Index col = follow.first; col < follow.first + follow.count; ++col)
        if (const double v = x(c.rows[i], col); v != 0) move_part(c, i, col, share * v, x);
    }
  }

  // Throws if a buffer holds anything at the end of month t: every user of view() zeroes what it
  // wrote before it lets the buffer go (but buffer 6, the active kept for the next month's dying,
  // while `keeping`).
  void check_buffers_cleared(int t, bool keeping) const {
    for (std::size_t i = 0; i < buffers_.vectors.size(); ++i) {
      const ZeroBuffer& buffer = buffers_.vectors[i];
      if ((i == 6 && keeping) || !holds_somebody(buffer.data(), buffer.size())) continue;
      const double* at = std::find_if(buffer.data(), buffer.data() + buffer.size(), [](double v) { return v != 0; });
      throw std::logic_error("twin: buffer " + std::to_string(i) + " holds something at element " +
                             std::to_string(at - buffer.data()) + " at the end of month " + std::to_string(t) +
                             ": a vector was let go without being zeroed (Projector::view)");
    }
  }

  // Buffer `i` seen as `columns` vectors over the cells: all zero (the users zero what they wrote
  // before they let it go). Kept for the whole projection.
  View view(std::size_t i, Eigen::Index columns) {
    const std::size_t size = layout_.cells * static_cast<std::size_t>(columns);
    return View(buffers_.vectors[i].at_least(size), static_cast<Eigen::Index>(layout_.cells), columns);
  }

  // The active population at the end of a month (live_segments_ holds its segments that hold
  // somebody), kept in buffer 6 for the next month's dying (derive_dying).
  void keep_active(const View& x) {
    View kept = view(6, 1);
    for (std::size_t id : live_segments_) {
      const Eigen::Index first = layout_.segment_start(id), rows = layout_.segment_rows(id);
      kept.middleRows(first, rows) = x.middleRows(first, rows);
    }
  }

  // The active dying in the month (buffer 6, in live_segments_; the caller zeroes them): the
  // active at the end of the month before (keep_active) less, in `start` (the vectors pushed to
  // the start of the month, which hold nobody outside live_segments_), the surviving (column 0) and the
  // retiring (the `retiring` columns from first_retiring). Every cohort alive and active at
  // the start of the month is in exactly one of the three, with its weight (survival x (1 -
  // death), survival x death, or survival x (1 - death) retiring, which add up to its survival);
  // these are the weights the record pass of the month before had in column 0 (or an entrant's or
  // school leaver's 1, as add_month_entrants), and every kernel is linear, the pushes applying
  // the shares the record pass found: so the difference is the pushed dying to rounding (docs/
  // twin.md, "Speed"). The rounding of two different sums of the same numbers can leave a row a
  // little below 0 where nobody (or very few) dies: a row below 0 by at most kDyingRounding of
  // its active (of one person, in a row of fewer) is taken as 0; by more is a fault of the
  // projection, not rounding, and throws.
  View derive_dying(const View& start, Eigen::Index first_retiring, std::size_t retiring) {
    View dying = view(6, 1);
    const Eigen::Index surviving_and_retiring = first_retiring + static_cast<Eigen::Index>(retiring);
    for (std::size_t id : live_segments_) {
      const Eigen::Index first = layout_.segment_start(id), rows = layout_.segment_rows(id);
      auto d = dying.col(0).segment(first, rows);
      for (Eigen::Index i = 0; i < rows; ++i) {
        const double active = d(i);
        double n = active - start(first + i, 0);
        for (Eigen::Index col = first_retiring; col < surviving_and_retiring; ++col) n -= start(first + i, col);
        if (n < 0) {
          if (n < -kDyingRounding * std::max(active, 1.0)) // (a row of no one: a person's share)
            throw Error("the twin's derived deaths: " + std::to_string(n) + " dying in a row of " +
                        std::to_string(active) + " active (more than rounding)");
          n = 0;
        }
        d(i) = n;
      }
    }
    return dying;
  }

  void build_layout() {
    // Months at a level matter up to the longest minimum wait for the next level in the run.
    for (const MonthRules& m : rules_)
      for (int l = 0; l + 1 < kLevelCount; ++l)
        layout_.cap[static_cast<std::size_t>(l)] = std::max<int>(layout_.cap[static_cast<std::size_t>(l)],
                                                                 m.rates.min_months[static_cast<std::size_t>(l + 1)]);
    for (int l = 0; l + 1 < kLevelCount; ++l)
      layout_.cap[static_cast<std::size_t>(l)] =
          std::max<int>(layout_.cap[static_cast<std::size_t>(l)],
                        static_cast<int>(p0_.skills.min_months[static_cast<std::size_t>(l + 1)]));
    // Insurance months matter up to the most a programme asks for (T; T stands for T or more),
    // at the levels up to the highest such a programme admits (levels only go up), if any does.
    int most = 0, highest = -1;
    const auto asks = [&](const Parameters& q) {
      for (std::size_t k = 0; k < q.programmes.min_contribution_months.size(); ++k)
        if (const double months = q.programmes.min_contribution_months[k]; months > 0) {
          most = std::max(most, static_cast<int>(std::ceil(months)));
          highest = std::max(highest, static_cast<int>(q.programmes.max_level[k]));
        }
    };
    asks(p0_);
    for (const MonthRules& m : rules_) asks(m.p);
    for (int l = 0; l < kLevelCount; ++l) {
      layout_.ins[static_cast<std::size_t>(l)] = most > 0 && l <= highest ? most + 1 : 1;
      layout_.offset[static_cast<std::size_t>(l)] = layout_.buckets;
      layout_.buckets += layout_.rows(l);
    }
    // Statuses: the labour market's three, and any other the initial population holds (but retired).
    if (auto issues = fit_joint_table(p0_, joint_); !issues.empty()) { // as synthesize_population
      std::vector<Diagnostic> diagnostics;
      for (auto& issue : issues) diagnostics.push_back({"", 0, 0, issue.key, issue.message});
      throw ScenarioError(std::move(diagnostics));
    }
    counts_ = initial_cell_counts(joint_, initial_agent_count(p0_.population));
    std::array<bool, kStatusCount> present{};
    present[kEmployed] = present[kUnemployed] = present[kInactive] = true;
    // Full-time trainees are in training (a status of their own).
    for (const MonthRules& m : rules_)
      for (std::uint8_t full_time : m.p.programmes.full_time)
        if (full_time) present[static_cast<std::size_t>(Status::InTraining)] = true;
    for (int c = 0; c < JointTable::kCells; ++c)
      if (counts_[static_cast<std::size_t>(c)] > 0) present[static_cast<std::size_t>(c % kStatusCount)] = true;
    layout_.slot_of.fill(-1);
    for (int st = 0; st < kStatusCount; ++st)
      if (present[static_cast<std::size_t>(st)] && st != kRetired) {
        layout_.slot_of[static_cast<std::size_t>(st)] = static_cast<int>(layout_.statuses.size());
        layout_.statuses.push_back(st);
      }
    // Sector classes: sectors whose job-loss factor is the same in every month move alike.
    const auto column = [&](int s) {
      std::vector<double> v;
      for (const MonthRules& m : rules_) v.push_back(m.p.labour.job_loss_sector_factor[static_cast<std::size_t>(s)]);
      v.push_back(p0_.labour.job_loss_sector_factor[static_cast<std::size_t>(s)]);
      return v;
    };
    for (int s = 0; s < kSectorCount; ++s) {
      int cls = -1;
      for (int o = 0; o < s && cls < 0; ++o)
        if (column(o) == column(s)) cls = layout_.sector_class_of[static_cast<std::size_t>(o)];
      layout_.sector_class_of[static_cast<std::size_t>(s)] = cls >= 0 ? cls : layout_.sector_classes++;
    }
    // Sector shares (the synthesis picks by the normalised shares; entrants by the shares, which
    // sum to 1).
    double total = 0;
    for (double v : p0_.population.sector_shares) total += v;
    layout_.sector_class_share.assign(static_cast<std::size_t>(layout_.sector_classes), 0.0);
    for (int s = 0; s < kSectorCount; ++s)
      layout_.sector_class_share[static_cast<std::size_t>(layout_.sector_class_of[static_cast<std::size_t>(s)])] +=
          p0_.population.sector_shares[static_cast<std::size_t>(s)] / total;
    for (int s = 0; s < kSectorCount; ++s) {
      const double cs =
          layout_.sector_class_share[static_cast<std::size_t>(layout_.sector_class_of[static_cast<std::size_t>(s)])];
      layout_.share_in_class[static_cast<std::size_t>(s)] =
          cs > 0 ? p0_.population.sector_shares[static_cast<std::size_t>(s)] / total / cs : 0.0;
    }
    build_region_classes();
    layout_.classes = layout_.region_classes * layout_.sector_classes;
    // Groups with a time limit in the run: once per month in them (twin_groups.hpp).
    {
      std::vector<const Parameters*> months;
      for (const MonthRules& m : rules_) months.push_back(&m.p);
      std::array<int, kGroupCount> initial{};
      for (std::size_t g = 0; g < kGroupCount; ++g) initial[g] = static_cast<int>(p0_.groups.leave_after_months[g]);
      layout_.gstates = twin::GroupStates(twin::longest_group_limits(p0_, months), initial);
    }
    layout_.per_track = static_cast<std::size_t>(kSexCount * layout_.groups() * layout_.classes) *
                        layout_.statuses.size() * static_cast<std::size_t>(layout_.buckets);
    build_programmes();
    build_queue();
  }

  // Whether anything in the run depends on the region: a regional factor of the labour market
  // or the assessments, a level structure by region (population.level_by_region_prior), a
  // programme open to some regions only, migration, or a capacity held by region (programmes'
  // seats, evaluators, master studios, technical schools' plans), which may bind in one region
  // and not another.
  bool regional_rules() const {
    const auto regional = [](const Parameters& q) {
      const bool factors = !all_one(q.labour.job_loss_region_factor) || !all_one(q.labour.job_find_region_factor) ||
                           !all_one(q.skills.assessment_factor_by_region) || !all_one(q.skills.pass_factor_by_region);
      return factors || !all_one(q.population.level_by_region_prior.values) || !q.programmes.names.empty() ||
             !q.evaluation.evaluators.empty() || studios_open(q.studios) || !q.schools.routes.empty() ||
             std::any_of(q.migration.rate.values.begin(), q.migration.rate.values.end(),
                         [](double v) { return v > 0; });
    };
    return regional(p0_) ||
           std::any_of(rules_.begin(), rules_.end(), [&](const MonthRules& m) { return regional(m.p); });
  }

  // Region classes (Layout): with more than one region, every region is a class of its own where
  // anything in the run depends on the region (regional_rules); otherwise region is independent
  // of everything the twin holds and one class holds every region, each its share of every cell
  // (the state is then the same as with one region).
  void build_region_classes() {
    const std::size_t regions = std::max<std::size_t>(1, p0_.population.regions.size());
    const std::vector<double> share = Entrants::pick_probabilities(p0_.population.region_shares);
    Layout& lay = layout_;
    const bool apart = regions > 1 && regional_rules();
    lay.region_classes = apart ? static_cast<int>(regions) : 1;
    // Each region's part of its class: the whole of its own, or its share of the one class.
    if (apart) {
      lay.region_part.assign(regions, std::vector<double>(regions, 0.0));
      for (std::size_t r = 0; r < regions; ++r) lay.region_part[r][r] = 1;
      lay.region_class_share = share;
    } else {
      lay.region_part = {share};
      lay.region_class_share = {1.0};
    }
    // The initial population's region classes by level (the synthesis's joint region and level).
    lay.initial_region_class_share.assign(kLevelCount, lay.region_class_share);
    if (!joint_.region_cdf_by_level.empty())
      for (int l = 0; l < kLevelCount; ++l) {
        std::vector<double>& by_class = lay.initial_region_class_share[static_cast<std::size_t>(l)];
        std::fill(by_class.begin(), by_class.end(), 0.0);
        const std::vector<double>& cdf = joint_.region_cdf_by_level[static_cast<std::size_t>(l)];
        for (std::size_t r = 0; r < regions; ++r)
          by_class[static_cast<std::size_t>(lay.region_class_of(r))] += cdf[r] - (r > 0 ? cdf[r - 1] : 0.0);
      }
    for (MonthRules& m : rules_) m.hold_region_classes(static_cast<std::size_t>(lay.region_classes));
  }

  // The programmes' terms (fixed for the run, as TrainingSystem's), the funds, and the tracks.
  void build_programmes() {
    const auto& pr = p0_.programmes;
    Terms& t = terms_;
    t.programmes = pr.names.size();
    t.funds = p0_.funds.names.size();
    t.regions = p0_.population.regions.size();
    for (std::size_t k = 0; k < t.programmes; ++k) {
      for (std::size_t f = 0; f < t.funds; ++f) t.claim.push_back(static_cast<double>(claim_yuan(p0_, k, f)));
      t.payment.push_back(payment_of(pr, k));
      t.claims_committed.push_back(static_cast<double>(claims_committed(p0_, k)));
      t.employer_claim.push_back(static_cast<double>(employer_claim_yuan(p0_, k)));
      t.apprenticeship.push_back(k < pr.apprenticeship.size() ? pr.apprenticeship[k] : 0);
      t.duration.push_back(static_cast<int>(pr.duration_months[k]));
    }
    book_.remaining.assign(t.funds, 0.0);
    book_.committed.assign(t.funds, 0.0);
    book_.seats_due.assign(t.programmes * t.regions, Carry{});
    if (t.programmes == 0) return;
    // Tracks: (none or programme k with 1..duration months left) x (none or the follow-up of
    // programme k with 1..window months left).
    std::vector<std::pair<int, int>> parts = {{-1, 0}};
    for (std::size_t k = 0; k < t.programmes; ++k) {
      layout_.prog_first.push_back(static_cast<int>(parts.size()));
      for (int j = 1; j <= t.duration[k]; ++j) parts.emplace_back(static_cast<int>(k), j);
    }
    for (const MonthRules& m : rules_)
      layout_.window =
          std::max(layout_.window, static_cast<int>(std::min<std::int64_t>(m.p.programmes.follow_up_months, 255)));
    // A follow-up window is a track only where it changes job finding (TransitionRates::
    // follow_up_job_find is min(1, find x factor): the find itself, bit for bit, for a factor 1).
    layout_.tracked.assign(t.programmes, -1);
    std::vector<int> tracked_programme;
    for (std::size_t k = 0; k < t.programmes; ++k) {
      bool changes = pr.job_find_factor[k] != 1;
      for (const MonthRules& m : rules_) changes = changes || m.p.programmes.job_find_factor[k] != 1;
      if ((!changes && !options_.windows_as_tracks) || layout_.window == 0) continue;
      layout_.tracked[k] = layout_.tracked_count++;
      tracked_programme.push_back(static_cast<int>(k));
    }
    layout_.tracks.clear();
    for (const auto& [prog, left] : parts)
      for (int fp = 0; fp < layout_.follow_parts(); ++fp) {
        Layout::Track track{prog, left, -1, 0};
        if (fp > 0) {
          track.fprog = tracked_programme[static_cast<std::size_t>((fp - 1) / layout_.window)];
          track.fleft = (fp - 1) % layout_.window + 1;
        }
        layout_.tracks.push_back(track);
      }
  }

  // The evaluation queue's tracks (Layout::queued), after the others: for an ordinary assessment
  // and for each programme's certificate, each month waited 1..the longest max_wait_months + 1,
  // each follow-up part.
  void build_queue() {
    book_.contest_entrants_due.assign(p0_.competitions.tiers.size(), Carry{});
    book_.contest_winners_due.assign(p0_.competitions.tiers.size(), Carry{});
    if (p0_.evaluation.evaluators.empty()) return;
    std::int64_t longest = p0_.evaluation.max_wait_months;
    for (const MonthRules& m : rules_) longest = std::max(longest, m.p.evaluation.max_wait_months);
    layout_.waits = static_cast<int>(longest) + 1;
    book_.evaluation_due.assign(p0_.evaluation.evaluators.size() * terms_.regions, Carry{});
    layout_.queue_first = layout_.tracks.size();
    std::vector<Layout::Track> follow(static_cast<std::size_t>(layout_.follow_parts()));
    for (std::size_t tr = 0; tr < follow.size(); ++tr) follow[tr] = layout_.tracks[tr]; // programme part 0
    for (int qprog = -1; qprog < static_cast<int>(terms_.programmes); ++qprog)
      for (int wait = 1; wait <= layout_.waits; ++wait)
        for (const Layout::Track& f : follow) {
          Layout::Track t = f;
          t.wait = wait;
          t.qprog = qprog;
          layout_.tracks.push_back(t);
        }
  }

  // Whether the completers followed apart are moved across the maximum age in proportion
  // (TwinOptions::followed_crossing): where there is a band and a programme whose windows are not
  // tracks; automatically where holding them exactly would not fit the bound on the vectors side
  // by side (fits_side_by_side, as twin_refusals counts the entries; there on the layout).
  bool follow_crossings_in_proportion() const {
    std::int64_t untracked = 0;
    for (int tracked : layout_.tracked) untracked += tracked < 0 && layout_.window > 0 ? 1 : 0;
    if (layout_.over_age == 0 || untracked == 0) return false;
    if (options_.followed_crossing != TwinOptions::FollowedCrossing::automatic)
      return options_.followed_crossing == TwinOptions::FollowedCrossing::in_proportion;
    std::int64_t buckets = 0;
    for (int l = 0; l < kLevelCount; ++l) buckets += layout_.rows(l);
    const std::int64_t entries =
        entries_counted(static_cast<std::int64_t>(layout_.tracks.size()), buckets, layout_.groups());
    return !fits_side_by_side(entries, side_by_side(untracked, layout_.window, true));
  }

  // A programme's certificate queue (Layout::queued, qprog k) holds only the follow-up windows its
  // workers can be in: none, or k's own (where k's windows are tracks; never another programme's)
  // where queue_window_reached says so. The queue's other (wait, window) tracks are never reached
  // and hold no segment (a move to one is an error: Layout::first). So the windows multiply the
  // ordinary assessment's queue, not each certificate's (twin_refusals counts the same).
  void hold_reachable_queue_windows(std::vector<std::uint8_t>& held) const {
    if (layout_.waits == 0 || layout_.tracked_count == 0 || options_.every_queue_window) return;
    std::vector<std::int64_t> lengths; // every window's length in the run
    for (const MonthRules& m : rules_) lengths.push_back(std::min<std::int64_t>(m.p.programmes.follow_up_months, 255));
    const std::size_t per_track = layout_.segment(1, 0, 0, 0, 0, 0);
    for (std::size_t tr = 0; tr < layout_.tracks.size(); ++tr) {
      const Layout::Track& t = layout_.tracks[tr];
      if (t.qprog < 0 || t.fprog < 0) continue;
      const bool reached = t.fprog == t.qprog && queue_window_reached(t.wait, t.fleft, lengths);
      if (!reached) std::fill_n(held.begin() + static_cast<std::ptrdiff_t>(tr * per_track), per_track, std::uint8_t{0});
    }
  }

  // The initial cohorts, and the initially retired into their pools.
  void build_initial() {
    const std::int32_t start = p0_.scenario.start.index;
    for (int a = 0; a < kAgeBandCount; ++a)
      for (int s = 0; s < kSexCount; ++s) {
        const int months = initial_band_months(p0_, a, s);
        for (int j = 0; j < months; ++j) {
          Cohort c;
          c.birth = start - (kAgeBandEdges[static_cast<std::size_t>(a)] * 12 + j);
          c.sex = s;
          c.band = a;
          c.weight = 1.0 / months;
          cohorts_.push_back(c);
          for (int g = 0; g < kGroupCount; ++g)
            for (int l = 0; l < kLevelCount; ++l) {
              const auto n = counts_[static_cast<std::size_t>(JointTable::index(a, s, g, l, kRetired))];
              if (n > 0)
                for (int st : layout_.gstates.states_of(g))
                  for (int rc = 0; rc < layout_.region_classes; ++rc)
                    retired_pool(c.birth)[retired_at(rc, st, l)] +=
                        c.weight * static_cast<double>(n) * layout_.gstates.initial_share(st) *
                        layout_.initial_region_class_share[static_cast<std::size_t>(l)][static_cast<std::size_t>(rc)];
            }
        }
      }
  }

  // Cohorts of origin u are cohorts_[origin_begin_[u], origin_end_[u]).
  std::vector<std::size_t> origin_begin_, origin_end_;

  // The entrants of every month: their number (the carry, as Entrants::step), their cohorts and
  // the distribution of their attributes.
  void build_entrants() {
    std::array<Carry, Entrants::kKinds> due{};
    entrant_cells_.assign(rules_.size() + 1, {});
    origin_begin_.assign(rules_.size() + 1, 0);
    origin_end_.assign(rules_.size() + 1, 0);
    origin_end_[0] = cohorts_.size();
    for (std::size_t u = 1; u <= rules_.size(); ++u) {
      const MonthRules& m = rules_[u - 1];
      const EntrySection& e = m.p.entry;
      std::vector<double>& cells = entrant_cells_[u];
      cells.assign(static_cast<std::size_t>(kGroupCount * layout_.classes) * layout_.statuses.size() * kLevelCount,
                   0.0);
      const std::vector<double> groups = Entrants::pick_probabilities(e.school_leaver_group_shares);
      const std::vector<double> diplomas = Entrants::pick_probabilities(e.technical_school_diploma_shares);
      const double employed[2] = {e.employed_share, 1 - e.employed_share};
      const int status_slot[2] = {layout_.slot_of[kEmployed], layout_.slot_of[kUnemployed]};
      for (std::size_t kind = 0; kind < Entrants::kKinds; ++kind) {
        const auto n = static_cast<double>(due[kind].take(Entrants::due(m.p, m.month, kind)));
        if (n == 0) continue;
        for (int g = 0; g < kGroupCount; ++g)
          for (int l = 0; l < kLevelCount; ++l) {
            const double pg = kind == 1 ? (g == static_cast<int>(Group::TechnicalStudent) ? 1.0 : 0.0)
                                        : groups[static_cast<std::size_t>(g)];
            const double pl =
                kind == 1 ? diplomas[static_cast<std::size_t>(l)] : (l == static_cast<int>(Level::None) ? 1.0 : 0.0);
            if (pg * pl == 0) continue;
            for (int c = 0; c < layout_.classes; ++c)
              for (int k = 0; k < 2; ++k)
                cells[entrant_cell(g, c, status_slot[k], l)] += n * pg * pl * employed[k] * layout_.class_share(c);
          }
      }
      origin_begin_[u] = cohorts_.size();
      for (const auto& [age, pa] : Entrants::age_months_distribution(e))
        for (int s = 0; s < kSexCount; ++s) {
          Cohort c;
          c.birth = m.month.index - age;
          c.sex = s;
          c.origin = static_cast<int>(u);
          c.weight = pa * (s == 0 ? e.male_share : 1 - e.male_share);
          if (c.weight > 0) cohorts_.push_back(c);
        }
      origin_end_[u] = cohorts_.size();
    }
  }

  // Entrants younger than the programmes' minimum age (Layout::young_age; every programme open
  // asks for the same, twin_refusals): an entrant of month u, `age` months old then, is that age
  // plus one in month u + 1, the first whose programmes it may apply to. Class young_age - age
  // holds it until then (Kernel::market takes a class down a month at a time, class 1 to the
  // main tracks); one of class 1 or below is old enough from month u + 1 on and joins the main
  // tracks. The young tracks copy the tracks such a worker may reach (Layout::young_main).
  void build_young() {
    std::int32_t& age = layout_.young_age;
    for (const MonthRules& m : rules_)
      for (const ApplicationRules::Programme& rule : m.applications.programmes)
        if (rule.rate > 0) age = std::max(age, rule.min_age_months);
    int classes = 0;
    bool under = false;
    const auto months = static_cast<int>(rules_.size());
    for (Cohort& c : cohorts_) {
      if (c.origin == 0) {
        // An initial cohort under the minimum in month 1 is held in the class that does not age
        // (Layout::under_class) until the month of the run in which it reaches it (Cohort::
        // cross[1]: Projector::run moves it to the main tracks).
        if (age - (p0_.scenario.start.index - c.birth) > 0) {
          c.under = true;
          const int month = c.birth + age - p0_.scenario.start.index + 1;
          c.cross[1] = month <= months ? month : 0;
          under = true;
        }
        continue;
      }
      const int joined = age - (rules_[static_cast<std::size_t>(c.origin - 1)].month.index - c.birth);
      c.young = joined >= 2 ? joined : 0;
      classes = std::max(classes, c.young);
    }
    if (classes == 0 && !under) return; // nobody young: the state is unchanged
    layout_.young_classes = classes;
    if (under) layout_.under_class = classes + 1;
    layout_.young_slot.assign(layout_.tracks.size(), -1);
    for (std::size_t tr = 0; tr < layout_.tracks.size(); ++tr)
      if (const Layout::Track& t = layout_.tracks[tr]; t.prog < 0 && t.fprog < 0 && t.qprog < 0) {
        layout_.young_slot[tr] = static_cast<int>(layout_.young_main.size());
        layout_.young_main.push_back(tr);
      }
    layout_.young_first = layout_.tracks.size();
    for (int cls = 1; cls <= layout_.last_class(); ++cls)
      for (std::size_t tr : layout_.young_main) {
        Layout::Track t = layout_.tracks[tr];
        t.young = cls;
        layout_.tracks.push_back(t);
      }
  }

  // The programmes' maximum age (months) where it is below the retirement age: every open
  // programme that has one asks for the same (twin_refusals); 0 where none does.
  std::int32_t maximum_age() const {
    std::int32_t limit = 0;
    for (const MonthRules& m : rules_) {
      const std::int32_t oldest = std::max(m.rates.retirement_age_months[0], m.rates.retirement_age_months[1]);
      for (const ApplicationRules::Programme& rule : m.applications.programmes)
        if (rule.rate > 0 && rule.max_age_months < oldest) {
          if (limit != 0 && limit != rule.max_age_months)
            throw Error("the twin models one programme maximum age below the retirement age (twin_refusals)");
          limit = rule.max_age_months;
        }
    }
    return limit;
  }

  // The band over the maximum age (Layout::over_age; docs/twin.md, "What the twin refuses",
  // programmes.max_age): a cohort (a month of birth) is at or over it from the month of the run
  // in which it is over_age months old (the agents compare the age in whole months in the month,
  // month - birth_month, with max_age_months). The initial cohorts already over it start in the
  // band, and the entrants who are over it in their first month in the kernel (the month after
  // they join) join it; the others cross in their month `cross` (Projector::run). The band
  // holds the main tracks again, whole (an age class is under the minimum age, so under the
  // maximum).
  void build_over() {
    const std::int32_t limit = layout_.over_age;
    if (limit == 0) return;
    if (limit <= layout_.young_age)
      throw Error("the twin models no programme maximum age at or under the minimum age (twin_refusals)");
    const std::int32_t start = p0_.scenario.start.index;
    const auto months = static_cast<int>(rules_.size());
    for (Cohort& c : cohorts_) {
      const int month = c.birth + limit - start + 1; // the month of the run in which it is `limit` months old
      c.over = month <= c.origin + 1;
      c.cross[0] = !c.over && month <= months ? month : 0;
      if ((c.young > 0 && (c.over || (c.cross[0] > 0 && c.cross[0] <= c.origin + c.young))) ||
          (c.under && (c.over || (c.cross[0] > 0 && c.cross[0] <= c.cross[1]))))
        throw Error("the twin's age class reaches the programmes' maximum age (twin_refusals)");
    }
    layout_.main_count = !layout_.young_main.empty() ? layout_.young_first : layout_.tracks.size();
    layout_.over_first = layout_.tracks.size();
    for (std::size_t tr = 0; tr < layout_.main_count; ++tr) {
      Layout::Track t = layout_.tracks[tr];
      t.over = 1;
      layout_.tracks.push_back(t);
    }
  }

  // The segments (Layout::segment) the state holds (Layout::place): every one of a main track;
  // of an age class, those its workers can reach. Class c's workers joined it or a class above
  // (entrants and school leavers under the minimum age: their sex, group, sector class, status
  // and level, at 0 months) and have met since only the kernel's moves open to a worker no
  // programme admits (Kernel::train moves nobody of a class), one month per class: the labour
  // market (Kernel::market: status, group state by the closures, time limits and
  // groups.after_job_found, a month more at the level), the ordinary assessment once the minimum
  // wait is served (the next level at 0 months, or with evaluators the queue), and within the
  // month the evaluation queue (Kernel::evaluate), appointments (Kernel::appoint) and
  // competitions (Kernel::compete). So the rows (segment, months at the level) class c holds at
  // a month's start are the market's moves of class c + 1's, closed under the moves within the
  // month, and the entrants of class c; under every month's rules at once (the shortest minimum
  // wait of any month) and whatever the probabilities: never fewer than the kernel reaches. A
  // class holds the segments of those rows, whole (every months at the level and insurance
  // months). Kernel::market leaves out a promotion or queueing into a segment not held, which
  // carries nobody (checked); any other move to one is an error (Layout::first).
  // TwinOptions::whole_age_classes holds every segment.
  std::vector<std::uint8_t> young_segments() const {
    const Layout& lay = layout_;
    std::vector<std::uint8_t> held(lay.segments(), 1);
    if (lay.young_classes == 0 || options_.whole_age_classes) return held;
    // (The class of the initial population under the minimum age, after the others, is whole.)
    const std::size_t under_first =
        lay.under_class > 0 ? lay.segment(lay.in_class(lay.young_main[0], lay.under_class), 0, 0, 0, 0, 0) : 0;
    const std::size_t main_segments = lay.segment(lay.young_first, 0, 0, 0, 0, 0);
    // (The band over the maximum age, after the classes, holds every segment.)
    const std::size_t young_end = lay.under_class > 0 ? under_first
                                  : lay.over_age > 0  ? lay.segment(lay.over_first, 0, 0, 0, 0, 0)
                                                      : held.size();
    std::fill(held.begin() + static_cast<std::ptrdiff_t>(main_segments),
              held.begin() + static_cast<std::ptrdiff_t>(young_end), 0);
    // The rules of every month at once: the group states a month's start (closures, time limits)
    // and then a job found lead to; the shortest wait for each level; whether its sitters are
    // promoted at once or queue for an evaluator; whether any competition is held.
    std::vector<std::vector<std::pair<int, int>>> group_moves(static_cast<std::size_t>(lay.groups()));
    std::array<std::int64_t, kLevelCount> wait{};
    wait.fill(std::numeric_limits<std::int64_t>::max());
    std::array<bool, kLevelCount> promoted{}, queued{};
    bool competitions = false;
    for (const MonthRules& m : rules_) {
      for (int from = 0; from < lay.groups(); ++from) {
        const int group = lay.gstates.start_month(m.rates, from);
        const std::pair<int, int> move{group, lay.gstates.after_job(m.rates, group)};
        auto& moves = group_moves[static_cast<std::size_t>(from)];
        if (std::find(moves.begin(), moves.end(), move) == moves.end()) moves.push_back(move);
      }
      for (int l = 1; l < kLevelCount; ++l) {
        const auto at = static_cast<std::size_t>(l);
        wait[at] = std::min<std::int64_t>(wait[at], m.rates.min_months[at]);
        if (m.studios) wait[at] = std::min<std::int64_t>(wait[at], m.mentoring.wait[at]); // a mentee's
        const bool queues = m.rates.queue_for_evaluation && needs_evaluator(l) && lay.waits > 0;
        (queues ? queued : promoted)[at] = true;
      }
      competitions = competitions || m.competitions.any_held();
    }
    // A row of a main track a class copies (Layout::young_main): m months at the level.
    struct Row {
      std::size_t home;
      int sex, g, c, k, level, m;
    };
    const auto most = static_cast<std::size_t>(*std::max_element(lay.cap.begin(), lay.cap.end()) + 1);
    std::vector<std::uint8_t> reached(main_segments * most, 0);
    std::vector<Row> rows, before, todo; // this class's; the class above's; not yet moved within the month
    const auto reach = [&](const Row& r, bool moves_on) { // moves_on: moves again within the month
      if (r.k < 0 || r.level >= kLevelCount) return;      // no such status slot or level
      const std::size_t key = lay.segment(r.home, r.sex, r.g, r.c, r.k, r.level) * most + static_cast<std::size_t>(r.m);
      if (reached[key]) return;
      reached[key] = 1;
      rows.push_back(r);
      if (moves_on) todo.push_back(r);
    };
    const int employed = lay.slot_of[kEmployed], unemployed = lay.slot_of[kUnemployed];
    const std::size_t queue = lay.waits > 0 ? lay.queued(-1, 1, -1, 0) : 0;
    // A row the market reaches, and with migration (Kernel::migrate, after the market) the same
    // row in every region's class, employed or unemployed on arrival.
    const bool migrating =
        std::any_of(rules_.begin(), rules_.end(), [](const MonthRules& m) { return m.rates.migrating; });
    const auto arrive = [&](const Row& r) {
      reach(r, true);
      if (!migrating) return;
      for (int rc = 0; rc < lay.region_classes; ++rc) {
        Row moved = r;
        moved.c = rc * lay.sector_classes + lay.sector_class(r.c);
        reach(moved, true);
        if (moved.k == employed) {
          moved.k = unemployed;
          reach(moved, true);
        }
      }
    };
    // Kernel::market on a row of the class above.
    const auto market = [&](const Row& r) {
      const Layout::Track& t = lay.tracks[r.home];
      const int status = lay.statuses[static_cast<std::size_t>(r.k)], up = r.level + 1;
      const int later = std::min(r.m + 1, lay.cap[static_cast<std::size_t>(r.level)]);
      const bool sits = t.wait == 0 && up < kLevelCount && r.m >= wait[static_cast<std::size_t>(up)];
      for (const auto& [group, after_job] : group_moves[static_cast<std::size_t>(r.g)]) {
        std::array<std::pair<int, int>, 3> to{}; // (group state, slot): stay, then the moves
        int n = 0;
        to[static_cast<std::size_t>(n++)] = {group, r.k};
        if (status == kEmployed) to[static_cast<std::size_t>(n++)] = {group, unemployed};
        if (status == kUnemployed) {
          to[static_cast<std::size_t>(n++)] = {after_job, employed};
          to[static_cast<std::size_t>(n++)] = {group, lay.slot_of[kInactive]};
        }
        if (status == kInactive) to[static_cast<std::size_t>(n++)] = {group, unemployed};
        for (int j = 0; j < n; ++j) {
          const auto [g, k] = to[static_cast<std::size_t>(j)];
          arrive({r.home, r.sex, g, r.c, k, r.level, later});
          if (sits && promoted[static_cast<std::size_t>(up)]) arrive({r.home, r.sex, g, r.c, k, up, 0});
          if (sits && queued[static_cast<std::size_t>(up)]) arrive({queue, r.sex, g, r.c, k, r.level, later});
        }
      }
    };
    // The moves within the month, after the market.
    const auto within = [&](const Row& r) {
      const Layout::Track& t = lay.tracks[r.home];
      const int up = r.level + 1;
      if (t.wait > 0) { // out of the queue (gave up, failed; or passed), or a month more in it
        reach({0, r.sex, r.g, r.c, r.k, r.level, r.m}, true);
        reach({0, r.sex, r.g, r.c, r.k, up, 0}, true);
        if (t.wait < lay.waits) reach({lay.queued(-1, t.wait + 1, -1, 0), r.sex, r.g, r.c, r.k, r.level, r.m}, true);
      }
      if (competitions && t.wait == 0) { // promoted, or months at the level credited
        reach({r.home, r.sex, r.g, r.c, r.k, up, 0}, true);
        for (int m = r.m + 1; m <= lay.cap[static_cast<std::size_t>(r.level)]; ++m)
          reach({r.home, r.sex, r.g, r.c, r.k, r.level, m}, true);
      }
      if (r.k == employed && up >= static_cast<int>(Level::PrincipalTechnician)) // 特级技师, 首席技师
        reach({r.home, r.sex, r.g, r.c, r.k, up, 0}, true);
    };
    for (int cls = lay.young_classes; cls >= 1; --cls) {
      before.swap(rows);
      rows.clear();
      std::fill(reached.begin(), reached.end(), 0);
      for (const Row& r : before) market(r);
      while (!todo.empty()) {
        const Row r = todo.back();
        todo.pop_back();
        within(r);
      }
      // The entrants who join class cls at the month's end (add_entrant_cells, add_leavers).
      for (const Cohort& c : cohorts_) {
        if (c.young != cls) continue;
        if (c.leaver_level >= 0) {
          for (int sc = 0; sc < lay.classes; ++sc)
            for (int k : {employed, unemployed}) reach({0, c.sex, c.leaver_group, sc, k, c.leaver_level, 0}, false);
          continue;
        }
        const std::vector<double>& cells = entrant_cells_[static_cast<std::size_t>(c.origin)];
        for (int g = 0; g < kGroupCount; ++g)
          for (int sc = 0; sc < lay.classes; ++sc)
            for (int k = 0; k < static_cast<int>(lay.statuses.size()); ++k)
              for (int l = 0; l < kLevelCount; ++l)
                if (cells[entrant_cell(g, sc, k, l)] != 0) reach({0, c.sex, g, sc, k, l, 0}, false);
      }
      for (const Row& r : rows) held[lay.segment(lay.in_class(r.home, cls), r.sex, r.g, r.c, r.k, r.level)] = 1;
    }
    return held;
  }

  // Technical schools (twin_schools.hpp), stepped once for the run: each month's leavers are
  // cohorts of their own (a month of birth, a sex, a level and a group; weight: their number).
  void build_school_leavers() {
    leaver_begin_.assign(rules_.size() + 1, cohorts_.size());
    leaver_end_.assign(rules_.size() + 1, cohorts_.size());
    if (p0_.schools.routes.empty()) return;
    for (std::size_t u = 1; u <= rules_.size(); ++u) {
      const MonthRules& m = rules_[u - 1];
      schools_.step(m.p, m.rates, m.month);
      leaver_begin_[u] = cohorts_.size();
      for (const twin::SchoolLeavers& l : schools_.leavers(u)) {
        Cohort c;
        c.birth = l.birth;
        c.sex = l.sex;
        c.origin = static_cast<int>(u);
        c.weight = l.count;
        c.leaver_level = l.level;
        c.leaver_group = l.group;
        c.leaver_region = l.region;
        cohorts_.push_back(c);
      }
      leaver_end_[u] = cohorts_.size();
    }
  }

  // Month u's school leavers, `weight(i, col)` of cohort i in column col (of `columns`), added at
  // their level and group, 0 months, employed by schools.employed_share of the month.
  template <class Weight>
  void add_leavers(int u, Eigen::Index columns, Weight&& weight, View& x) const {
    const auto month = static_cast<std::size_t>(u);
    if (leaver_begin_[month] == leaver_end_[month]) return;
    const double employed = schools_.employed_share(month);
    const std::array<int, 2> slots = {layout_.slot_of[kEmployed], layout_.slot_of[kUnemployed]};
    const std::array<double, 2> shares = {employed, 1 - employed};
    for (std::size_t i = leaver_begin_[month]; i < leaver_end_[month]; ++i) {
      const Cohort& c = cohorts_[i];
      const std::size_t tr = entry_track(c); // the young: their age class; or the band over the maximum age
      for (Eigen::Index col = 0; col < columns; ++col) {
        const double n = weight(i, col);
        if (n == 0) continue;
        // Into their school's region's class, over the sector classes.
        const int rc = layout_.region_class_of(c.leaver_region);
        for (int sc = 0; sc < layout_.sector_classes; ++sc) {
          const int cls = rc * layout_.sector_classes + sc;
          for (std::size_t k = 0; k < 2; ++k)
            x(static_cast<Eigen::Index>(layout_.first(tr, c.sex, c.leaver_group, cls, slots[k], c.leaver_level)),
              col) += n * layout_.sector_class_share[static_cast<std::size_t>(sc)] * shares[k];
        }
      }
    }
  }

  std::size_t entrant_cell(int g, int c, int slot, int level) const {
    return ((static_cast<std::size_t>(g * layout_.classes + c) * layout_.statuses.size()) +
            static_cast<std::size_t>(slot)) *
               kLevelCount +
           static_cast<std::size_t>(level);
  }

  // The initial population's vectors under the cohorts' weights (one column each), each cohort
  // in its age band: under or over the maximum age (Layout::over_age), where there is one.
  void initial_state(const std::vector<std::vector<double>>& table, View& out) const {
    if (layout_.over_age == 0 && layout_.under_class == 0) {
      initial_vectors(table, out);
      return;
    }
    initial_vectors(table, out, 0);
    if (layout_.over_age > 0) initial_vectors(table, out, 1);
    if (layout_.under_class > 0) initial_vectors(table, out, 2);
  }

  // The initial population's vectors under the cohorts' weights (one column each).
  // `table[col][i]`: cohort i's weight (times Cohort::weight) in vector col.
  // `out` is zero, with a column per vector. `band` 0, 1 or 2: only the cohorts between the
  // minimum and the maximum age, over the maximum (Cohort::over), or under the minimum
  // (Cohort::under), in track 0 of their band (Layout::over_first, under_class); -1: every
  // cohort in track 0.
  void initial_vectors(const std::vector<std::vector<double>>& table, View& out, int band = -1) const {
    const auto columns = static_cast<Eigen::Index>(table.size());
    // Track 0 of either band holds the same rows as track 0 (all whole).
    const std::size_t shift = band == 1   ? layout_.track_start(layout_.in_band(0, 1))
                              : band == 2 ? layout_.track_start(layout_.in_class(0, layout_.under_class))
                                          : 0;
    const std::int32_t start = p0_.scenario.start.index;
    // The bucket distribution of each (band, sex), weighted: W[col][(a, s)][bucket].
    std::vector<double> w(static_cast<std::size_t>(columns * kAgeBandCount * kSexCount * layout_.buckets), 0.0);
    const auto w_at = [&](Eigen::Index col, int a, int s, int bucket) -> double& {
      return w[static_cast<std::size_t>(((col * kAgeBandCount + a) * kSexCount + s) * layout_.buckets + bucket)];
    };
    // Where insurance months are kept: the insured's (a share insured_share[group], which the
    // last loop applies) months, uniform over 0..min(working months, 120) (synthesize_population),
    // jointly with the months at the level (drawn independently given the age): U[col][(a, s)][row].
    const bool insurance = *std::max_element(layout_.ins.begin(), layout_.ins.end()) > 1;
    std::vector<double> u(insurance ? w.size() : 0, 0.0);
    const auto u_at = [&](Eigen::Index col, int a, int s, int bucket) -> double& {
      return u[static_cast<std::size_t>(((col * kAgeBandCount + a) * kSexCount + s) * layout_.buckets + bucket)];
    };
    std::vector<double> months_share, insured_share;
    for (std::size_t i = 0; i < origin_end_[0]; ++i) {
      const Cohort& c = cohorts_[i];
      if (band >= 0 && (c.under ? 2 : c.over ? 1 : 0) != band) continue;
      const int max_at = initial_max_months_at_level(p0_.population, start - c.birth);
      const double per_month = 1.0 / (max_at + 1);
      const int most = std::min(start - c.birth - kMinAge * 12, 120); // the insured's months: 0..most
      for (Eigen::Index col = 0; col < columns; ++col) {
        const double cw = table[static_cast<std::size_t>(col)][i];
        if (cw == 0) continue;
        for (int l = 0; l < kLevelCount; ++l) {
          const int cap = layout_.cap[static_cast<std::size_t>(l)], off = layout_.offset[static_cast<std::size_t>(l)];
          for (int m = 0; m < cap && m <= max_at; ++m) w_at(col, c.band, c.sex, off + m) += cw * per_month;
          if (max_at >= cap) w_at(col, c.band, c.sex, off + cap) += cw * (max_at - cap + 1) * per_month;
          const int kept = layout_.ins[static_cast<std::size_t>(l)];
          if (kept == 1) continue;
          months_share.assign(static_cast<std::size_t>(cap + 1), 0.0);
          for (int m = 0; m < cap && m <= max_at; ++m) months_share[static_cast<std::size_t>(m)] = per_month;
          if (max_at >= cap) months_share[static_cast<std::size_t>(cap)] = (max_at - cap + 1) * per_month;
          insured_share.assign(static_cast<std::size_t>(kept), 0.0);
          for (int j = 0; j + 1 < kept && j <= most; ++j) insured_share[static_cast<std::size_t>(j)] = 1.0 / (most + 1);
          if (most >= kept - 1)
            insured_share[static_cast<std::size_t>(kept - 1)] = static_cast<double>(most - kept + 2) / (most + 1);
          for (int j = 0; j < kept; ++j)
            if (insured_share[static_cast<std::size_t>(j)] > 0)
              for (int m = 0; m <= cap; ++m)
                u_at(col, c.band, c.sex, off + layout_.row(l, j, m)) +=
                    cw * insured_share[static_cast<std::size_t>(j)] * months_share[static_cast<std::size_t>(m)];
        }
      }
    }
    // A group with a time limit: its members spread over their months in it (GroupStates::
    // initial_share, as synthesize_population draws them), independently of the rest.
    for (int a = 0; a < kAgeBandCount; ++a)
      for (int s = 0; s < kSexCount; ++s)
        for (int gs = 0; gs < layout_.groups(); ++gs)
          for (int l = 0; l < kLevelCount; ++l)
            for (int k = 0; k < static_cast<int>(layout_.statuses.size()); ++k) {
              const int g = layout_.gstates.group(gs);
              const double share = layout_.gstates.initial_share(gs);
              const auto n = static_cast<double>(counts_[static_cast<std::size_t>(
                                 JointTable::index(a, s, g, l, layout_.statuses[static_cast<std::size_t>(k)]))]) *
                             share;
              if (n == 0) continue;
              for (int c = 0; c < layout_.classes; ++c) {
                const double nc = n * layout_.initial_class_share(c, l);
                const int off = layout_.offset[static_cast<std::size_t>(l)];
                if (layout_.ins[static_cast<std::size_t>(l)] == 1) {
                  for (int m = 0; m <= layout_.cap[static_cast<std::size_t>(l)]; ++m) {
                    const auto at = static_cast<Eigen::Index>(shift + layout_.index(s, gs, c, k, l, m));
                    for (Eigen::Index col = 0; col < columns; ++col) out(at, col) += nc * w_at(col, a, s, off + m);
                  }
                  continue;
                }
                // The uninsured at 0 insurance months, the insured over theirs.
                const double insured = p0_.population.insured_share[static_cast<std::size_t>(g)];
                for (int row = 0; row < layout_.rows(l); ++row) {
                  const auto at = static_cast<Eigen::Index>(shift + layout_.index(s, gs, c, k, l, row));
                  const int m = row % layout_.span(l);
                  for (Eigen::Index col = 0; col < columns; ++col)
                    out(at, col) += nc * ((row == m ? (1 - insured) * w_at(col, a, s, off + m) : 0.0) +
                                          insured * u_at(col, a, s, off + row));
                }
              }
            }
  }

  // The entrants of month u, weighted per column of `table` (not in the followed columns after
  // them), added (at 0 months at their level).
  void add_entrants(int u, const std::vector<std::vector<double>>& table, View& x) const {
    const std::vector<double>& cells = entrant_cells_[static_cast<std::size_t>(u)];
    std::vector<std::array<double, kSexCount>> by_class;
    for (Eigen::Index col = 0; col < static_cast<Eigen::Index>(table.size()); ++col) {
      by_class.assign(entry_slots(), {});
      for (std::size_t i = origin_begin_[static_cast<std::size_t>(u)]; i < origin_end_[static_cast<std::size_t>(u)];
           ++i)
        by_class[entry_slot(cohorts_[i])][static_cast<std::size_t>(cohorts_[i].sex)] +=
            table[static_cast<std::size_t>(col)][i];
      add_entrant_cells(cells, by_class, x, col);
    }
    add_leavers(
        u, static_cast<Eigen::Index>(table.size()),
        [&](std::size_t i, Eigen::Index col) { return table[static_cast<std::size_t>(col)][i]; }, x);
  }

  // Where an entrant joins: slot 0 (track 0), its age class (Cohort::young), or the band over
  // the maximum age (slot young_classes + 1).
  std::size_t entry_slots() const {
    return static_cast<std::size_t>(layout_.young_classes) + (layout_.over_age > 0 ? 2 : 1);
  }
  std::size_t entry_slot(const Cohort& c) const {
    return c.over ? static_cast<std::size_t>(layout_.young_classes) + 1 : static_cast<std::size_t>(c.young);
  }
  std::size_t slot_track(std::size_t a) const {
    return a > static_cast<std::size_t>(layout_.young_classes) ? layout_.in_band(0, 1)
                                                               : layout_.in_class(0, static_cast<int>(a));
  }
  std::size_t entry_track(const Cohort& c) const { return slot_track(entry_slot(c)); }

  // `by_class[a][s]`: the entrants of entry slot a (entry_slot) and sex s.
  void add_entrant_cells(const std::vector<double>& cells, const std::vector<std::array<double, kSexCount>>& by_class,
                         View& x, Eigen::Index col) const {
    for (std::size_t a = 0; a < by_class.size(); ++a) {
      const std::size_t tr = slot_track(a);
      for (int s = 0; s < kSexCount; ++s) {
        const double by_sex = by_class[a][static_cast<std::size_t>(s)];
        if (by_sex == 0) continue;
        for (int g = 0; g < kGroupCount; ++g)
          for (int c = 0; c < layout_.classes; ++c)
            for (int k = 0; k < static_cast<int>(layout_.statuses.size()); ++k)
              for (int l = 0; l < kLevelCount; ++l)
                if (const double n = cells[entrant_cell(g, c, k, l)]; n != 0)
                  x(static_cast<Eigen::Index>(layout_.first(tr, s, g, c, k, l)), col) += n * by_sex;
      }
    }
  }

  // The entrants of month t join the active at the end of the month (weight 1), counted; and the
  // month's school leavers (the schools' flows are counted by the schools).
  void add_month_entrants(int t, View& x, TwinFlows& flows) const {
    add_leavers(
        t, 1, [&](std::size_t i, Eigen::Index) { return cohorts_[i].weight; }, x);
    schools_.add_flows(static_cast<std::size_t>(t), flows);
    std::array<double, kSexCount> by_sex{}; // every class
    std::vector<std::array<double, kSexCount>> by_class(entry_slots());
    for (std::size_t i = origin_begin_[static_cast<std::size_t>(t)]; i < origin_end_[static_cast<std::size_t>(t)];
         ++i) {
      by_sex[static_cast<std::size_t>(cohorts_[i].sex)] += cohorts_[i].weight;
      by_class[entry_slot(cohorts_[i])][static_cast<std::size_t>(cohorts_[i].sex)] += cohorts_[i].weight;
    }
    const std::vector<double>& cells = entrant_cells_[static_cast<std::size_t>(t)];
    add_entrant_cells(cells, by_class, x, 0);
    const double sexes = by_sex[0] + by_sex[1];
    for (int g = 0; g < kGroupCount; ++g)
      for (int c = 0; c < layout_.classes; ++c)
        for (int k = 0; k < static_cast<int>(layout_.statuses.size()); ++k)
          for (int l = 0; l < kLevelCount; ++l) {
            const double n = cells[entrant_cell(g, c, k, l)] * sexes;
            flows.entries[static_cast<std::size_t>(l)] += n;
            flows.entries_by_group[static_cast<std::size_t>(g)] += n;
            layout_.add_by_region(flows.entries_by_region, layout_.region_class(c), n);
            if (l >= kFirstSkilledLevel) flows.newly_skilled += n;
          }
  }

  // Column `col` of `x`: the month's deaths, in the segments that hold somebody (or more).
  void count_deaths(const View& x, Eigen::Index col, const std::vector<std::size_t>& segments, TwinFlows& flows) const {
    const auto dying = x.col(col);
    for (std::size_t id : segments) {
      const int g = layout_.group_of_block(layout_.block_of_segment(id)), l = layout_.level_of_segment(id);
      const Eigen::Index first = layout_.segment_start(id);
      double dead = 0;
      for (Eigen::Index m = 0; m < layout_.segment_rows(id); ++m) {
        const double n = dying(first + m);
        flows.exits[static_cast<std::size_t>(l)] += n;
        flows.exits_by_group[static_cast<std::size_t>(layout_.gstates.group(g))] += n;
        dead += n;
      }
      layout_.add_by_region(flows.exits_by_region, layout_.region_class(layout_.class_of_segment(id)), dead);
    }
  }

  // The followed columns of month t's start (buffer 4, a column per programme of `programmes`,
  // after the month's deaths and retirements): their windows end in the training step of month t
  // (Kernel::train), after the labour market, where they are counted as followed up and, if
  // employed, employed after training, as the tracks of a window count its last month.
  void count_followed(MonthRules& now, const std::vector<int>& programmes, TwinFlows& flows) {
    const auto n = static_cast<Eigen::Index>(programmes.size());
    View in = view(4, n), out = view(5, n);
    kernel_.market(now, in, out, nullptr);
    kernel_.clear(now, in);
    std::vector<std::size_t> segments;
    find_live(layout_, out, segments);
    const int employed = layout_.slot_of[kEmployed];
    for (std::size_t id : segments) {
      const auto sums = out.middleRows(layout_.segment_start(id), layout_.segment_rows(id)).colwise().sum();
      for (Eigen::Index j = 0; j < n; ++j) {
        const auto prog = static_cast<std::size_t>(programmes[static_cast<std::size_t>(j)]);
        flows.followed_up[prog] += sums(j);
        if (layout_.slot_of_segment(id) == employed) flows.employed_after[prog] += sums(j);
      }
    }
    clear_segments(layout_, segments, out);
  }

  // The retired of earlier months: death by their cohort's age, then the closure of groups.
  void step_retired(const MonthRules& now, TwinFlows& flows) {
    const TransitionRates& r = now.rates;
    std::vector<double> dead(static_cast<std::size_t>(layout_.region_classes), 0.0);
    for (auto& [birth, pool] : retired_) {
      const double d = r.death[static_cast<std::size_t>(mortality_band((now.month.index - birth) / 12))];
      std::vector<double>& next = retired_next_;
      next.assign(pool.size(), 0.0);
      for (int rc = 0; rc < layout_.region_classes; ++rc)
        for (int gs = 0; gs < layout_.groups(); ++gs) {
          // The retired too follow the closure of groups and their time limits (monthly_rules).
          const int to = layout_.gstates.start_month(r, gs);
          const auto g = static_cast<std::size_t>(layout_.gstates.group(gs)),
                     g_to = static_cast<std::size_t>(layout_.gstates.group(to));
          const double* from = pool.data() + retired_at(rc, gs, 0);
          double* into = next.data() + retired_at(rc, to, 0);
          double died = 0;
          for (int l = 0; l < kLevelCount; ++l) {
            const double n = from[l];
            flows.exits[static_cast<std::size_t>(l)] += n * d;
            flows.exits_by_group[g] += n * d;
            died += n * d;
            const double alive = n - n * d;
            if (g_to != g) flows.group_changes[g][g_to] += alive;
            into[l] += alive;
          }
          dead[static_cast<std::size_t>(rc)] += died;
        }
      pool.swap(next);
    }
    for (int rc = 0; rc < layout_.region_classes; ++rc)
      layout_.add_by_region(flows.exits_by_region, rc, dead[static_cast<std::size_t>(rc)]);
  }

  // The retired migrate too (monthly_rules: after death and the closure of groups, the month's
  // retirements among them), by their level and the retired's status factor, as Kernel::migrate.
  void migrate_retired(const MonthRules& now, TwinFlows& flows) {
    const TransitionRates& r = now.rates;
    const auto regions = static_cast<std::size_t>(layout_.region_classes); // one region each with migration
    std::vector<double> moved;
    for (auto& [birth, pool] : retired_) {
      moved.assign(pool.size(), 0.0);
      for (std::size_t origin = 0; origin < regions; ++origin)
        for (int gs = 0; gs < layout_.groups(); ++gs)
          for (int l = 0; l < kLevelCount; ++l) {
            const double factor = r.migration_factor(l, kRetired);
            const std::size_t from = retired_at(layout_.region_class_of(origin), gs, l);
            const double n = pool[from];
            if (factor <= 0 || n == 0) continue;
            for (std::size_t to = 0; to < regions; ++to) {
              const double p = to == origin ? 0.0 : r.migration_probability(origin, to, factor);
              if (p <= 0) continue;
              moved[retired_at(layout_.region_class_of(to), gs, l)] += p * n;
              flows.migrations[origin * regions + to] += p * n;
            }
            moved[from] -= r.migration_leaving(origin, factor) * n;
          }
      for (std::size_t i = 0; i < pool.size(); ++i) pool[i] += moved[i];
    }
  }

  // The month's retirements of cohort (`sex`, `birth`) (after death), through the closure of groups
  // and their time limits.
  // Column `col` of `v` (its `segments` hold somebody).
  void retire(const MonthRules& now, int s, std::int32_t birth, const View& v, Eigen::Index col,
              const std::vector<std::size_t>& segments, TwinFlows& flows) {
    const TransitionRates& r = now.rates;
    auto& pool = retired_pool(birth);
    const auto x = v.col(col);
    for (std::size_t id : segments) {
      const std::size_t b = layout_.block_of_segment(id);
      if (layout_.sex_of_block(b) != s) continue;
      const int gs = layout_.group_of_block(b), to_state = layout_.gstates.start_month(r, gs);
      const int g = layout_.gstates.group(gs), to = layout_.gstates.group(to_state);
      double& retired =
          pool[retired_at(layout_.region_class(layout_.class_of_segment(id)), to_state, layout_.level_of_segment(id))];
      const Eigen::Index first = layout_.segment_start(id);
      for (Eigen::Index m = 0; m < layout_.segment_rows(id); ++m) {
        const double n = x(first + m);
        if (n == 0) continue;
        if (to != g) flows.group_changes[static_cast<std::size_t>(g)][static_cast<std::size_t>(to)] += n;
        retired += n;
        flows.retirements += n;
      }
    }
  }

  // The stocks of the active in `active` (its `segments` hold somebody) and of the retired.
  TwinStocks stocks_of(const View& active, const std::vector<std::size_t>& segments) const {
    TwinStocks st;
    st.trainees.assign(terms_.programmes, 0.0);
    // The workers of each region class (level x status), for the stocks by region.
    std::vector<std::array<std::array<double, kStatusCount>, kLevelCount>> of_class(
        static_cast<std::size_t>(layout_.region_classes));
    for (std::size_t id : segments) {
      const std::size_t b = layout_.block_of_segment(id), tr = layout_.track_of_block(b);
      const int g = layout_.gstates.group(layout_.group_of_block(b)), c = layout_.class_of_segment(id);
      const int status = layout_.statuses[static_cast<std::size_t>(layout_.slot_of_segment(id))];
      const int l = layout_.level_of_segment(id);
      const Eigen::Index first = layout_.segment_start(id);
      double n = 0;
      for (Eigen::Index m = 0; m < layout_.segment_rows(id); ++m) n += active(first + m, 0);
      if (const int prog = layout_.tracks[tr].prog; prog >= 0)
        st.trainees[static_cast<std::size_t>(prog)] += n;
      else if (const int queued = layout_.tracks[tr].qprog; queued >= 0) // waiting for the certificate
        st.trainees[static_cast<std::size_t>(queued)] += n;
      st.workers[static_cast<std::size_t>(l)][static_cast<std::size_t>(status)] += n;
      of_class[static_cast<std::size_t>(layout_.region_class(c))][static_cast<std::size_t>(l)]
              [static_cast<std::size_t>(status)] += n;
      st.by_group[static_cast<std::size_t>(g)][static_cast<std::size_t>(l)] += n;
      if (status == kEmployed)
        for (int sector = 0; sector < kSectorCount; ++sector)
          if (layout_.sector_class_of[static_cast<std::size_t>(sector)] == layout_.sector_class(c))
            st.employed_by_sector[static_cast<std::size_t>(sector)] +=
                n * layout_.share_in_class[static_cast<std::size_t>(sector)];
    }
    for (const auto& [birth, pool] : retired_)
      for (int rc = 0; rc < layout_.region_classes; ++rc)
        for (int gs = 0; gs < layout_.groups(); ++gs) {
          const double* held = pool.data() + retired_at(rc, gs, 0);
          auto& by_group = st.by_group[static_cast<std::size_t>(layout_.gstates.group(gs))];
          auto& of_region = of_class[static_cast<std::size_t>(rc)];
          for (int l = 0; l < kLevelCount; ++l) {
            const double n = held[l];
            st.workers[static_cast<std::size_t>(l)][kRetired] += n;
            of_region[static_cast<std::size_t>(l)][kRetired] += n;
            by_group[static_cast<std::size_t>(l)] += n;
          }
        }
    // Each region class's workers by its regions' parts (within a class the regions' rules are
    // the same, so each keeps its part).
    st.by_region.assign(terms_.regions * kLevelCount, 0.0);
    std::vector<double> level_by_region(terms_.regions);
    for (int l = 0; l < kLevelCount; ++l) {
      std::fill(level_by_region.begin(), level_by_region.end(), 0.0);
      for (int rc = 0; rc < layout_.region_classes; ++rc) {
        double level_total = 0;
        for (int status = 0; status < kStatusCount; ++status)
          level_total +=
              of_class[static_cast<std::size_t>(rc)][static_cast<std::size_t>(l)][static_cast<std::size_t>(status)];
        layout_.add_by_region(level_by_region, rc, level_total);
      }
      for (std::size_t rg = 0; rg < terms_.regions; ++rg)
        st.by_region[rg * kLevelCount + static_cast<std::size_t>(l)] = level_by_region[rg];
    }
    return st;
  }

  static void scale_stocks(TwinStocks& s, double k) {
    for (auto& row : s.workers)
      for (double& v : row) v *= k;
    for (auto& row : s.by_group)
      for (double& v : row) v *= k;
    for (double& v : s.employed_by_sector) v *= k;
    for (double& v : s.by_region) v *= k;
    for (double& v : s.trainees) v *= k;
    for (double& v : s.school_students) v *= k;
  }
  static void scale_flows(TwinFlows& f, double k) {
    for (auto* a : {&f.entries, &f.exits, &f.promotions, &f.promotions_out, &f.assessments})
      for (double& v : *a) v *= k;
    for (double* v : {&f.retirements, &f.job_finds, &f.job_losses, &f.newly_skilled}) *v *= k;
    for (auto* a : {&f.entries_by_group, &f.exits_by_group})
      for (double& v : *a) v *= k;
    for (auto* a : {&f.entries_by_region, &f.exits_by_region, &f.migrations})
      for (double& v : *a) v *= k;
    for (auto& row : f.group_changes)
      for (double& v : row) v *= k;
    for (auto* a : {&f.appointed, &f.appointments_unfilled})
      for (double& v : *a) v *= k;
    // Persons, not money (yuan) or binding flags.
    for (auto* a : {&f.applications,
                    &f.enrolments,
                    &f.substitute_enrolments,
                    &f.no_seat,
                    &f.no_money,
                    &f.completions,
                    &f.dropouts,
                    &f.certificates,
                    &f.programme_assessments,
                    &f.followed_up,
                    &f.employed_after,
                    &f.evaluations,
                    &f.evaluation_queue,
                    &f.evaluation_abandoned,
                    &f.competition_entrants,
                    &f.competition_winners,
                    &f.competition_promotions,
                    &f.competition_no_entrant,
                    &f.competition_no_winner,
                    &f.school_enrolments,
                    &f.school_graduates,
                    &f.school_dropouts,
                    &f.school_no_place,
                    &f.studio_masters,
                    &f.mentoring_places,
                    &f.mentored})
      for (double& v : *a) v *= k;
  }

  TwinFlows empty_flows() const {
    TwinFlows f;
    const std::size_t K = terms_.programmes, F = terms_.funds;
    for (auto* a :
         {&f.applications, &f.enrolments, &f.substitute_enrolments, &f.no_seat, &f.no_money, &f.completions,
          &f.dropouts, &f.certificates, &f.followed_up, &f.employed_after, &f.money_binding, &f.employer_paid})
      a->assign(K, 0.0);
    f.programme_assessments.assign(K * kLevelCount, 0.0);
    for (auto* a : {&f.paid, &f.leaked, &f.audit}) a->assign(F * K, 0.0);
    for (auto* a : {&f.remaining, &f.committed, &f.fund_binding}) a->assign(F, 0.0);
    f.seats_binding.assign(K * terms_.regions, 0.0);
    for (auto* a : {&f.entries_by_region, &f.exits_by_region}) a->assign(terms_.regions, 0.0);
    f.migrations.assign(terms_.regions * terms_.regions, 0.0);
    if (layout_.waits > 0) {
      for (auto* a : {&f.evaluations, &f.evaluation_binding})
        a->assign(p0_.evaluation.evaluators.size() * terms_.regions, 0.0);
      for (auto* a : {&f.evaluation_queue, &f.evaluation_abandoned}) a->assign(terms_.regions, 0.0);
    }
    const std::size_t tiers = p0_.competitions.tiers.size();
    for (auto* a : {&f.competition_entrants, &f.competition_winners, &f.competition_promotions})
      a->assign(tiers * kLevelCount, 0.0);
    for (auto* a : {&f.competition_no_entrant, &f.competition_no_winner}) a->assign(tiers, 0.0);
    if (studios_)
      for (auto* a : {&f.studios, &f.studio_masters, &f.mentoring_places, &f.mentored}) a->assign(terms_.regions, 0.0);
    return f;
  }

  // A new budget year (TrainingSystem::step): money of funds without carry-over lapses, each fund
  // is granted its envelope in force.
  void start_month(const MonthRules& now) {
    if (terms_.funds == 0 || now.month.year() == book_.budget_year) return;
    for (std::size_t f = 0; f < terms_.funds; ++f) {
      if (p0_.funds.carry_over[f] == 0) book_.remaining[f] = 0;
      book_.remaining[f] += static_cast<double>(std::llround(now.p.funds.annual_envelope[f]));
    }
    book_.budget_year = now.month.year();
  }

  // Trainees who died or retired leave their programme: counted as dropouts, their commitments
  // released (one claim, or the months left if paid monthly; nothing if paid at enrolment).
  // Column `col` of `x` (its `blocks` hold somebody).
  void trainees_leave(const View& x, Eigen::Index col, const std::vector<std::size_t>& blocks, TwinFlows& flows) {
    std::vector<double> leaving(layout_.tracks.size(), 0.0);
    for (std::size_t b : blocks)
      if (const std::size_t tr = layout_.track_of_block(b);
          layout_.tracks[tr].prog >= 0 || layout_.tracks[tr].qprog >= 0)
        leaving[tr] += x.col(col)
                           .segment(static_cast<Eigen::Index>(layout_.block_start(b)),
                                    static_cast<Eigen::Index>(layout_.block_size(b)))
                           .sum();
    for (std::size_t tr = 0; tr < layout_.tracks.size(); ++tr) {
      const Layout::Track& t = layout_.tracks[tr];
      const double n = leaving[tr];
      if (n == 0) continue;
      if (t.qprog >= 0) { // waiting for the certificate: leaves the queue (leave_evaluation_queue)
        const auto k = static_cast<std::size_t>(t.qprog);
        if (terms_.payment[k] == Payment::Certification) kernel_.release_claims(book_, k, n);
        continue;
      }
      const auto k = static_cast<std::size_t>(t.prog);
      flows.dropouts[k] += n;
      if (terms_.payment[k] == Payment::Certification) kernel_.release_claims(book_, k, n);
      if (terms_.payment[k] == Payment::Monthly) kernel_.release_claims(book_, k, n * t.left);
    }
  }

  const Parameters& p0_;
  TwinOptions options_;
  bool studios_ = false;          // studios open in some month (their flows by region are kept)
  std::vector<MonthRules> rules_; // month u at u - 1
  Layout layout_;
  Terms terms_;
  Book book_;
  Kernel kernel_{layout_, terms_, options_.whole_segments};
  JointTable joint_;
  std::vector<std::size_t> counts_;
  std::vector<Cohort> cohorts_;
  twin::SchoolsProjection schools_{p0_};
  std::vector<std::size_t> leaver_begin_, leaver_end_; // month u's school leavers: cohorts_[begin[u], end[u])
  std::vector<std::vector<double>> entrant_cells_;     // month u: group x class x slot x level, agents
  // By month of birth: region class x group state x level (retired_at).
  std::map<std::int32_t, std::vector<double>> retired_;
  std::vector<double>& retired_pool(std::int32_t birth) {
    std::vector<double>& pool = retired_[birth];
    if (pool.empty())
      pool.assign(static_cast<std::size_t>(layout_.region_classes * layout_.groups() * kLevelCount), 0.0);
    return pool;
  }
  std::size_t retired_at(int rc, int gs, int level) const {
    return static_cast<std::size_t>((rc * layout_.groups() + gs) * kLevelCount + level);
  }
  // view(): the pushed vectors (two), the active and its next month, the followed columns and
  // their labour market (count_followed), the active at the end of the month before
  // (keep_active) and the month's dying derived from it (derive_dying).
  TwinBuffers own_buffers_;
  TwinBuffers& buffers_;
  // The segments that hold somebody at the end of the month before (the record pass's find_live;
  // at time 0, the initial population's; with a crossing, every segment of the blocks it reaches
  // too). The vectors pushed to a month's start hold parts of the same cohorts, with non-negative
  // weights, through the same linear kernels (whose pushes look only at the record pass's live
  // segments, MonthRules::live_in), so only these segments can hold any of them: the start's are
  // looked for among them. The end of a month's stocks, its copy for the dying (buffer 6), the
  // dying and the zeroing read only their rows.
  std::vector<std::size_t> live_segments_;
  // The crossing cohorts' followed completers moved in proportion (move_followed_in_proportion),
  // not held per month of end (move_followed).
  bool followed_in_proportion_ = false;
  std::vector<double> retired_next_; // step_retired's scratch
};

} // namespace

TwinUnsupported::TwinUnsupported(std::vector<Issue> issues)
    : Error(refusal_message(issues)), issues_(std::move(issues)) {}

std::vector<Issue> twin_refusals(const Scenario& scenario) {
  const Parameters& p = scenario.parameters();
  std::vector<Issue> issues;
  // Evaluators are modelled (twin_evaluation.hpp), but not employer cells' own capacity, at the
  // start or by schedule (employers.self_evaluation_per_1000 may be scheduled).
  const auto self_evaluates = [](const Parameters& q) {
    return !q.evaluation.evaluators.empty() && !q.employers.size_classes.empty() &&
           !q.employers.self_evaluator.empty() &&
           std::any_of(q.employers.self_evaluation_per_1000.begin(), q.employers.self_evaluation_per_1000.end(),
                       [](double v) { return v > 0; });
  };
  bool self_evaluation = self_evaluates(p);
  for (std::int64_t u = 0; !self_evaluation && u < p.scenario.months; ++u)
    self_evaluation = self_evaluates(scenario.parameters_at(scenario.start() + static_cast<int>(u)));
  if (self_evaluation)
    issues.push_back({"employers.self_evaluation_per_1000",
                      "the twin does not model evaluation by employer cells for their own employees (at the start or "
                      "by schedule) yet"});
  // Keys that may also change by schedule: checked in every month of the run.
  bool by_age = false, posts = false, places = false;
  std::string matching; // the first matching other than "hazard" in force in some month
  // Programmes: what their eligibility reads that the twin's state does not hold.
  std::string substitutes, many_substitutes, in_training;
  // The applicants of a programme are held per mask of the substitutes they qualify for
  // (MonthRules::applicant_cell): 2^s cells for s substitutes, every month.
  constexpr std::size_t kMostSubstitutes = 6;
  // The youngest and oldest ages (months) an active worker may have in the run: the initial
  // population's youngest, the entrants' and school leavers' youngest; under the retirement age.
  std::int32_t youngest = kAgeBandEdges[0] * 12;
  // Age limits: the first programme whose maximum age excludes some active worker (its maximum),
  // and the first whose maximum differs from it (any month), and every open programme's minimum
  // age in every month.
  std::string max_age_programme, other_max_age_programme;
  std::int32_t max_age_months = 0, other_max_age_months = 0;
  std::vector<std::pair<std::size_t, std::int32_t>> min_ages;
  const auto first_of = [&](std::string& name, std::size_t k) {
    if (name.empty()) name = p.programmes.names[k];
  };
  const auto check = [&](const Parameters& q) {
    by_age = by_age || !all_one(q.skills.assessment_factor_by_age_band) || !all_one(q.skills.pass_factor_by_age_band);
    // Employers change job finding only by matching ("hazard" is today's hazards, exactly), and
    // appointments only where a post is needed.
    if (!q.employers.size_classes.empty()) {
      if (matching.empty() && q.employers.matching != "hazard") matching = q.employers.matching;
      for (std::uint8_t needs : q.employers.appointment_needs_post) posts = posts || needs != 0;
      places = places || (q.employers.limits_apprentice_places() && TrainingSystem::has_apprentice_places(q));
    }
    for (const auto& [age, share] : Entrants::age_months_distribution(q.entry))
      if (share > 0) youngest = std::min(youngest, age);
    // School leavers are at least as old as at enrolment.
    for (double age : q.schools.entry_age_min) youngest = std::min(youngest, static_cast<std::int32_t>(age * 12));
    const ApplicationRules rules(q);
    const auto& pr = q.programmes;
    // Active workers are younger than the retirement age (as TransitionRates rounds it).
    const auto oldest = static_cast<std::int32_t>(
        std::lround(std::max(q.demography.retirement_age_male, q.demography.retirement_age_female) * 12));
    for (std::size_t k = 0; k < pr.names.size(); ++k) {
      const ApplicationRules::Programme& rule = rules.programmes[k];
      if (rule.rate <= 0) continue;
      if (rule.max_age_months < oldest) {
        if (max_age_programme.empty()) {
          max_age_programme = pr.names[k];
          max_age_months = rule.max_age_months;
        } else if (rule.max_age_months != max_age_months && other_max_age_programme.empty()) {
          other_max_age_programme = pr.names[k];
          other_max_age_months = rule.max_age_months;
        }
      }
      min_ages.emplace_back(k, rule.min_age_months);
      // A substitute's eligibility is read from the state as the programme's own (substitute_mask),
      // which holds no age within the main tracks (its region it holds: Layout, region classes).
      if (rule.substitutes.size() > kMostSubstitutes) first_of(many_substitutes, k);
      for (std::size_t substitute : rule.substitutes) {
        const ApplicationRules::Programme& other = rules.programmes[substitute];
        if (other.min_age_months != rule.min_age_months || other.max_age_months != rule.max_age_months)
          first_of(substitutes, k);
      }
      for (int g = 0; g < kGroupCount; ++g)
        if (rule.eligible[static_cast<std::size_t>(g * kStatusCount + static_cast<int>(Status::InTraining))])
          first_of(in_training, k);
    }
  };
  check(p);
  for (std::int64_t u = 0; u < p.scenario.months; ++u)
    check(scenario.parameters_at(scenario.start() + static_cast<int>(u)));
  // The state holds a copy of the cells per track (programme and months left, times the follow-up
  // window and months left of the programmes whose job_find_factor is not 1: Layout::tracked):
  // a large catalogue does not fit yet.
  // The evaluation queue adds a copy per month waited for an ordinary assessment, times those
  // windows, and per month waited for each certificate, with the windows its workers can be in.
  // The months waited the state holds: the longest max_wait_months + 1 (0 without evaluators;
  // without programmes at most 121 copies of the cells, the parameter's bounds).
  std::int64_t waits = 0;
  if (!p.evaluation.evaluators.empty()) {
    std::int64_t longest = p.evaluation.max_wait_months;
    for (std::int64_t u = 0; u <= p.scenario.months; ++u)
      longest =
          std::max(longest, scenario.parameters_at(scenario.start() + static_cast<int>(u)).evaluation.max_wait_months);
    waits = longest + 1;
  }
  if (const std::size_t K = p.programmes.names.size(); K > 0) {
    std::int64_t months = 1 + waits, window = 0; // the ordinary assessment's queue
    for (std::int64_t d : p.programmes.duration_months) months += d;
    std::vector<std::uint8_t> factor(K, 0); // a job-finding factor other than 1 in some month
    std::vector<std::int64_t> lengths;      // every window's length in the run
    for (std::int64_t u = 0; u <= p.scenario.months; ++u) {
      const Parameters q = scenario.parameters_at(scenario.start() + static_cast<int>(u));
      lengths.push_back(std::min<std::int64_t>(q.programmes.follow_up_months, 255));
      window = std::max(window, lengths.back());
      for (std::size_t k = 0; k < K; ++k) factor[k] = factor[k] || q.programmes.job_find_factor[k] != 1;
    }
    // With a maximum age, one band of the state over it: the tracks twice.
    const bool band = !max_age_programme.empty();
    const auto with_factor = static_cast<std::int64_t>(std::count(factor.begin(), factor.end(), 1));
    // Each certificate's queue holds, per month waited, no window and the windows of its own
    // programme it reaches (Projector::hold_reachable_queue_windows).
    std::int64_t certificate = 0;
    for (std::int64_t wait = 1; wait <= waits; ++wait) {
      std::int64_t own = 0;
      for (std::int64_t left = 1; left <= window; ++left) own += queue_window_reached(wait, left, lengths);
      certificate += static_cast<std::int64_t>(K) + with_factor * own;
    }
    const std::int64_t tracks = (months * (1 + with_factor * window) + certificate) * (band ? 2 : 1);
    // Insurance months (Layout::ins) multiply the rows of the levels up to the highest a
    // programme asking for them admits: a track then holds more than the defaults' 297 buckets.
    std::int64_t most = 0, highest = -1, buckets = 0;
    std::array<std::int64_t, kLevelCount> cap{};
    // Time limits in a group hold a group once per month in it (twin_groups.hpp): more cells.
    std::array<std::int64_t, kGroupCount> longest{};
    for (std::size_t g = 0; g < kGroupCount; ++g) longest[g] = p.groups.leave_after_months[g];
    for (std::int64_t u = 0; u <= p.scenario.months; ++u) {
      const Parameters q = scenario.parameters_at(scenario.start() + static_cast<int>(u));
      for (std::size_t g = 0; g < kGroupCount; ++g) longest[g] = std::max(longest[g], q.groups.leave_after_months[g]);
      for (std::size_t k = 0; k < K; ++k)
        if (q.programmes.min_contribution_months[k] > 0) {
          most = std::max(most, static_cast<std::int64_t>(std::ceil(q.programmes.min_contribution_months[k])));
          highest = std::max(highest, q.programmes.max_level[k]);
        }
      for (int l = 0; l + 1 < kLevelCount; ++l)
        cap[static_cast<std::size_t>(l)] =
            std::max(cap[static_cast<std::size_t>(l)], q.skills.min_months[static_cast<std::size_t>(l + 1)]);
    }
    for (int l = 0; l < kLevelCount; ++l)
      buckets += (cap[static_cast<std::size_t>(l)] + 1) * (most > 0 && l <= highest ? most + 1 : 1);
    std::int64_t states = 0;
    for (std::int64_t v : longest) states += std::max<std::int64_t>(1, v);
    if (tracks <= kMaxTracks && tracks * buckets <= kMaxEntries &&
        tracks * buckets * states > kMaxEntries * kGroupCount)
      issues.push_back({"groups.leave_after_months",
                        "the twin does not model this many months in a group with this many programme months yet: "
                        "its state holds " +
                            std::to_string(states) +
                            " group states (a group with a time limit once per month in "
                            "it) instead of " +
                            std::to_string(kGroupCount) + " in every one of its " + std::to_string(tracks) +
                            " copies of the cells (programme month x follow-up month), " +
                            std::to_string(entries_counted(tracks, buckets, states)) +
                            " (level, months, insurance months) entries in all, counted as for 8 groups, more than " +
                            std::to_string(kMaxEntries)});
    if (tracks <= kMaxTracks && tracks * buckets > kMaxEntries)
      issues.push_back({"programmes.min_contribution_months",
                        "the twin does not model this many insurance months with this many programme months yet: "
                        "its state holds " +
                            std::to_string(most + 1) + " insurance months (0 to " + std::to_string(most) +
                            " or more) at levels 0 to " + std::to_string(highest) + " in every one of its " +
                            std::to_string(tracks) +
                            " copies of the cells ((programme month or month waited for an evaluator) x follow-up "
                            "month), " +
                            std::to_string(tracks * buckets) +
                            " (level, months, insurance months) entries in all, more than " +
                            std::to_string(kMaxEntries)});
    // The vectors pushed side by side (side_by_side): with a band over the maximum age, its
    // followed crossings held in proportion where they would not fit exactly (Projector::
    // follow_crossings_in_proportion), so a column per programme whose windows are not tracks.
    const std::int64_t untracked = window > 0 ? static_cast<std::int64_t>(K) - with_factor : 0;
    const std::int64_t side = side_by_side(untracked, window, false);
    const std::int64_t entries = entries_counted(tracks, buckets, states);
    if (tracks <= kMaxTracks && tracks * buckets <= kMaxEntries && entries <= kMaxEntries &&
        !fits_side_by_side(entries, side))
      issues.push_back({"programmes.follow_up_months",
                        "the twin does not model this many programmes followed up in a state this large yet: it "
                        "pushes " +
                            std::to_string(side) + " vectors side by side (4 + " + std::to_string(untracked) +
                            " programmes followed up) of " + std::to_string(entries) +
                            " (level, months, insurance months) entries each, counted as for 8 groups, more than " +
                            std::to_string(kMaxEntries) + " x " + std::to_string(kMaxSideBySide) + " in all"});
    if (tracks > kMaxTracks)
      issues.push_back({"programmes.names",
                        "the twin does not model this many programme months yet: its state holds a copy of every "
                        "cell per programme month (and month waited for an evaluator) and follow-up month of a "
                        "programme with a job_find_factor other than 1, " +
                            std::string(band ? "(" : "") + "(1 + " + std::to_string(months - 1) +
                            " programme months and months waited for an ordinary assessment) x (1 + " +
                            std::to_string(with_factor) + " such programmes x " + std::to_string(window) +
                            " follow-up months) + " + std::to_string(certificate) +
                            " (month waited for a certificate, follow-up month) pairs" +
                            (band ? ") x 2 (the band over the maximum age)" : "") + " = " + std::to_string(tracks) +
                            " copies, more than " + std::to_string(kMaxTracks)});
  }
  // A minimum age above the youngest entrants' is modelled (Layout::young_age: the workers under
  // it held by age class until they reach it) where every open programme asks for the same one,
  // so that those under it apply to none, and the initial population is all above it.
  const auto years = [](std::int32_t months) {
    return months % 12 == 0 ? std::to_string(months / 12) + " years" : std::to_string(months) + " months";
  };
  std::int32_t minimum = 0;
  for (const auto& [k, months] : min_ages) minimum = std::max(minimum, months);
  if (minimum > youngest) {
    const auto highest =
        std::find_if(min_ages.begin(), min_ages.end(), [&](const auto& m) { return m.second == minimum; });
    const auto differs =
        std::find_if(min_ages.begin(), min_ages.end(), [&](const auto& m) { return m.second != minimum; });
    const std::string& name = p.programmes.names[highest->first];
    // (Above the initial population's youngest age, 16, those under it are held apart until their
    // cohort reaches it: Layout::under_class.)
    if (differs != min_ages.end())
      issues.push_back({"programmes.min_age",
                        "the twin does not model different programme minimum ages yet where some entrant or school "
                        "leaver (from " +
                            years(youngest) +
                            ") is under the highest: it holds those under a minimum by age only where every programme "
                            "open in the run asks for the same one (they apply to none); programme " +
                            name + " admits only some ages: from " + years(minimum) + ", and programme " +
                            p.programmes.names[differs->first] + " from " + years(differs->second)});
  }
  // A maximum age below the retirement age is modelled (Layout::over_age: a band of the state
  // over it) where every open programme with one asks for the same one.
  if (!other_max_age_programme.empty())
    issues.push_back({"programmes.max_age",
                      "the twin does not model different programme maximum ages below the retirement age yet (it "
                      "holds one band of the state over a maximum age); programme " +
                          max_age_programme + " admits only some ages: under " + years(max_age_months) +
                          ", and programme " + other_max_age_programme + " under " + years(other_max_age_months)});
  else if (!max_age_programme.empty() && max_age_months <= minimum)
    issues.push_back({"programmes.max_age", "the twin does not model a programme maximum age at or under the "
                                            "programmes' minimum age yet; programme " +
                                                max_age_programme + " admits only some ages: under " +
                                                years(max_age_months) + ", from " + years(minimum)});
  if (!substitutes.empty())
    issues.push_back(
        {"programmes.substitutes",
         "the twin models a substitute programme only where it asks for the same ages (programmes.min_age, "
         "max_age) as the programme applied to; programme " +
             substitutes + " has one that does not"});
  if (!many_substitutes.empty())
    issues.push_back({"programmes.substitutes", "the twin models at most " + std::to_string(kMostSubstitutes) +
                                                    " substitutes a programme (it holds the applicants per set of "
                                                    "substitutes they qualify for); programme " +
                                                    many_substitutes + " has more"});
  if (!in_training.empty())
    issues.push_back({"programmes.eligible_statuses",
                      "the twin does not model applications from workers in training yet; programme " + in_training +
                          " admits them"});
  if (!matching.empty())
    issues.push_back({"employers.matching", "the twin does not model job finding by matching (employers.matching = \"" +
                                                matching + "\", only \"hazard\") yet"});
  if (posts)
    issues.push_back(
        {"employers.appointment_needs_post", "the twin does not model appointments that need a free post yet"});
  if (places)
    issues.push_back({"employers.apprentice_places_per_1000",
                      "the twin does not model apprenticeship places offered by employers (employer cells) yet"});
  if (!p.work_based_training.fund.empty())
    issues.push_back({"work_based_training.fund", "the twin does not model 以工代训 paid to employers yet"});
  if (by_age)
    issues.push_back({"skills.assessment_factor_by_age_band",
                      "the twin does not model assessment or pass factors by age band (skills.*_factor_by_age_band "
                      "other than 1) yet"});
  // Parameter sets: each set's scenario is projected (project_scenario), so what any of them
  // uses is refused too (once per key).
  const ParameterSets& sets = scenario.parameter_sets();
  for (std::size_t set = 0; set < sets.rows.size(); ++set)
    for (Issue& issue : twin_refusals(scenario.for_replicate(static_cast<std::int64_t>(set))))
      if (std::none_of(issues.begin(), issues.end(), [&](const Issue& i) { return i.key == issue.key; }))
        issues.push_back(std::move(issue));
  return issues;
}

double TwinStocks::skilled() const {
  double n = 0;
  for (int l = kFirstSkilledLevel; l < kLevelCount; ++l)
    for (int s = 0; s < kStatusCount; ++s)
      if (s != kRetired) n += workers[static_cast<std::size_t>(l)][static_cast<std::size_t>(s)];
  return n;
}

double TwinStocks::high_skilled() const {
  double n = 0;
  for (int l = kFirstHighSkilledLevel; l < kLevelCount; ++l)
    for (int s = 0; s < kStatusCount; ++s)
      if (s != kRetired) n += workers[static_cast<std::size_t>(l)][static_cast<std::size_t>(s)];
  return n;
}

TwinProjection project_expected(const Scenario& scenario, const TwinOptions& options) {
  if (!scenario.parameter_sets().empty())
    throw Error("project_expected projects one set of parameters: give it scenario.for_replicate(r), the scenario "
                "under replicate r's parameter set (project_scenario projects every replicate)");
  if (auto issues = twin_refusals(scenario); !issues.empty()) throw TwinUnsupported(std::move(issues));
  Projector projector(scenario, options);
  return projector.run();
}

std::int64_t twin_replicates(const Scenario& scenario, std::int64_t replicates) {
  if (scenario.parameter_sets().empty()) return 1;
  return replicates > 0 ? replicates : scenario.parameters().run.replicates;
}

Results project_scenario(const Scenario& scenario, std::int64_t replicates, int threads,
                         const std::atomic<bool>* cancel,
                         const std::function<void(std::int64_t done, std::int64_t total)>& progress) {
  // Checked once here, every set included (twin_refusals), so each set is projected without
  // being checked again.
  if (auto issues = twin_refusals(scenario); !issues.empty()) throw TwinUnsupported(std::move(issues));
  if (scenario.parameter_sets().empty() && replicates > 1)
    throw Error("the twin's replicates are its parameter sets (run.parameter_sets), and the scenario declares none: "
                "it projects one expectation, not " +
                std::to_string(replicates) + " replicates");
  replicates = twin_replicates(scenario, replicates);
  // One projection per set used (replicate r runs under set r mod sets, as the agents'), the
  // first replicate of each set standing for it.
  std::vector<std::int64_t> first_replicate;
  std::vector<std::size_t> projection_of(static_cast<std::size_t>(replicates), 0);
  if (scenario.parameter_sets().empty()) {
    first_replicate.push_back(-1);
  } else {
    std::map<std::int64_t, std::size_t> of_set;
    for (std::int64_t rep = 0; rep < replicates; ++rep) {
      const auto [at, added] = of_set.try_emplace(scenario.parameter_set_of(rep), first_replicate.size());
      if (added) first_replicate.push_back(rep);
      projection_of[static_cast<std::size_t>(rep)] = at->second;
    }
  }
  // The sets are projected side by side, one a thread: each projection is single-threaded and
  // its own (no state shared but the const scenario), so the results do not depend on the
  // threads. An exception leaves the parallel loop as an exception_ptr (one thrown out of an
  // OpenMP region ends the program), and no set starts after one: the first set's in order
  // rethrown.
  const auto count = static_cast<std::int64_t>(first_replicate.size());
  std::vector<TwinProjection> projections(first_replicate.size());
  std::vector<std::exception_ptr> failed(first_replicate.size());
  std::atomic<bool> stop{false};
  std::int64_t months_done = 0;
  const std::int64_t months_in_all = count * scenario.parameters().scenario.months;
  const int team = static_cast<int>(std::min<std::int64_t>(threads > 0 ? threads : default_threads(), count));
#pragma omp parallel num_threads(team)
  {
    TwinBuffers buffers; // this thread's, from one set to the next
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t j = 0; j < count; ++j) {
      const auto at = static_cast<std::size_t>(j);
      if (stop.load()) continue;
      try {
        TwinOptions options;
        options.cancel = cancel;
        if (progress)
          options.month_done = [&] { // (counted inside: the calls see 1, 2, 3, ... in order)
#pragma omp critical(skillsim_twin_progress)
            progress(++months_done, months_in_all);
          };
        if (cancel != nullptr && cancel->load()) throw Cancelled(); // (before building the next set's state)
        projections[at] = first_replicate[at] < 0
                              ? Projector(scenario, options, &buffers).run()
                              : Projector(scenario.for_replicate(first_replicate[at]), options, &buffers).run();
      } catch (...) {
        failed[at] = std::current_exception();
        stop.store(true);
        buffers.vectors = {}; // (a projection stopped midway leaves them not zero)
      }
    }
  }
  for (const std::exception_ptr& e : failed)
    if (e) std::rethrow_exception(e);
  Results r = make_results_layout(scenario, replicates);
  // Every count is an expectation: a real.
  for (Variable& v : r.variables) {
    v.is_real = true;
    v.real_data.assign(v.data.size(), 0.0);
    v.data.clear();
  }
  const std::size_t times = projections[0].stocks.size(), R = static_cast<std::size_t>(replicates);
  for (std::size_t rep = 0; rep < R; ++rep) {
    const TwinProjection& projection = projections[projection_of[rep]];
    const auto at = [&](const std::string& name, std::size_t t) {
      Variable& v = r.variable(name);
      return v.real_data.data() + (rep * times + t) * (v.real_data.size() / (R * times));
    };
    for (std::size_t t = 0; t < times; ++t) {
      const TwinStocks& s = projection.stocks[t];
      *at("skilled_workers", t) = s.skilled();
      *at("high_skilled_workers", t) = s.high_skilled();
      double* workers = at("workers", t);
      double* by_group = at("workers_by_group", t);
      for (int l = 0; l < kLevelCount; ++l) {
        for (int st = 0; st < kStatusCount; ++st)
          workers[l * kStatusCount + st] = s.workers[static_cast<std::size_t>(l)][static_cast<std::size_t>(st)];
        for (int g = 0; g < kGroupCount; ++g)
          by_group[g * kLevelCount + l] = s.by_group[static_cast<std::size_t>(g)][static_cast<std::size_t>(l)];
      }
      std::copy(s.by_region.begin(), s.by_region.end(), at("workers_by_region", t));
      if (r.has_variable("trainees")) std::copy(s.trainees.begin(), s.trainees.end(), at("trainees", t));
      std::copy(s.employed_by_sector.begin(), s.employed_by_sector.end(), at("employed_by_sector", t));
      if (t == 0) continue;
      const TwinFlows& f = projection.flows[t];
      double entries = 0, exits = 0;
      for (int l = 0; l < kLevelCount; ++l) {
        const auto k = static_cast<std::size_t>(l);
        at("entries_by_level", t)[l] = f.entries[k];
        at("exits_by_level", t)[l] = f.exits[k];
        at("promotions", t)[l] = f.promotions[k];
        at("promotions_out", t)[l] = f.promotions_out[k];
        at("assessments", t)[l] = f.assessments[k];
        entries += f.entries[k];
        exits += f.exits[k];
      }
      *at("entries", t) = entries;
      *at("exits", t) = exits;
      if (r.has_variable("entries_by_region")) { // more than one region
        std::copy(f.entries_by_region.begin(), f.entries_by_region.end(), at("entries_by_region", t));
        std::copy(f.exits_by_region.begin(), f.exits_by_region.end(), at("exits_by_region", t));
      }
      if (r.has_variable("migrations")) {
        const std::size_t regions = f.entries_by_region.size();
        double* moves = at("migrations", t);
        double* in = at("migration_in", t);
        double* out = at("migration_out", t);
        for (std::size_t from = 0; from < regions; ++from)
          for (std::size_t to = 0; to < regions; ++to) {
            const double n = f.migrations[from * regions + to];
            moves[from * regions + to] = n;
            in[to] += n;
            out[from] += n;
          }
      }
      *at("retirements", t) = f.retirements;
      *at("job_finds", t) = f.job_finds;
      *at("job_losses", t) = f.job_losses;
      *at("new_skilled_workers", t) = f.newly_skilled;
      for (int g = 0; g < kGroupCount; ++g) {
        const auto k = static_cast<std::size_t>(g);
        at("entries_by_group", t)[g] = f.entries_by_group[k];
        at("exits_by_group", t)[g] = f.exits_by_group[k];
        for (int to = 0; to < kGroupCount; ++to)
          at("group_changes", t)[g * kGroupCount + to] = f.group_changes[k][static_cast<std::size_t>(to)];
      }
      for (std::size_t k = 0; k < 2; ++k) {
        const auto level = static_cast<std::size_t>(Level::PrincipalTechnician) + k;
        at("appointments", t)[level] = f.appointed[k];
        at("appointments_unfilled", t)[level] = f.appointments_unfilled[k];
      }
      if (!r.has_variable("trainees")) continue;
      // Programmes and money.
      const std::pair<const char*, const std::vector<double>*> programme_flows[] = {
          {"applications", &f.applications},
          {"enrolments", &f.enrolments},
          {"substitute_enrolments", &f.substitute_enrolments},
          {"turned_away_no_seat", &f.no_seat},
          {"turned_away_no_money", &f.no_money},
          {"completions", &f.completions},
          {"dropouts", &f.dropouts},
          {"certificates", &f.certificates},
          {"programme_assessments", &f.programme_assessments},
          {"spending", &f.paid},
          {"fund_remaining", &f.remaining},
          {"fund_committed", &f.committed},
          {"seats_binding", &f.seats_binding},
          {"money_binding", &f.money_binding},
          {"fund_binding", &f.fund_binding},
          {"leakage", &f.leaked},
          {"audit_spending", &f.audit},
          {"followed_up", &f.followed_up},
          {"employed_after_training", &f.employed_after}};
      for (const auto& [name, values] : programme_flows) std::copy(values->begin(), values->end(), at(name, t));
      if (r.has_variable("employer_funding"))
        std::copy(f.employer_paid.begin(), f.employer_paid.end(), at("employer_funding", t));
    }
    if (r.has_variable("competition_entrants"))
      for (std::size_t t = 1; t < times; ++t) {
        const TwinFlows& f = projection.flows[t];
        const std::pair<const char*, const std::vector<double>*> contest[] = {
            {"competition_entrants", &f.competition_entrants},
            {"competition_winners", &f.competition_winners},
            {"competition_promotions", &f.competition_promotions},
            {"competition_no_entrant", &f.competition_no_entrant},
            {"competition_no_winner", &f.competition_no_winner}};
        for (const auto& [name, values] : contest) std::copy(values->begin(), values->end(), at(name, t));
      }
    if (r.has_variable("studios"))
      for (std::size_t t = 1; t < times; ++t) {
        const TwinFlows& f = projection.flows[t];
        const std::pair<const char*, const std::vector<double>*> studios[] = {{"studios", &f.studios},
                                                                              {"studio_masters", &f.studio_masters},
                                                                              {"mentoring_places", &f.mentoring_places},
                                                                              {"mentored", &f.mentored}};
        for (const auto& [name, values] : studios) std::copy(values->begin(), values->end(), at(name, t));
      }
    if (r.has_variable("school_students"))
      for (std::size_t t = 0; t < times; ++t) {
        const TwinStocks& s = projection.stocks[t];
        std::copy(s.school_students.begin(), s.school_students.end(), at("school_students", t));
        if (t == 0) continue;
        const TwinFlows& f = projection.flows[t];
        const std::pair<const char*, const std::vector<double>*> schools[] = {
            {"school_enrolments", &f.school_enrolments},
            {"school_graduates", &f.school_graduates},
            {"school_dropouts", &f.school_dropouts},
            {"school_no_place", &f.school_no_place}};
        for (const auto& [name, values] : schools) std::copy(values->begin(), values->end(), at(name, t));
      }
    if (!r.has_variable("evaluations")) continue;
    for (std::size_t t = 1; t < times; ++t) {
      const TwinFlows& f = projection.flows[t];
      std::copy(f.evaluations.begin(), f.evaluations.end(), at("evaluations", t));
      std::copy(f.evaluation_binding.begin(), f.evaluation_binding.end(), at("evaluation_binding", t));
      std::copy(f.evaluation_queue.begin(), f.evaluation_queue.end(), at("evaluation_queue", t));
      std::copy(f.evaluation_abandoned.begin(), f.evaluation_abandoned.end(), at("evaluation_abandoned", t));
    }
  }
  r.metadata = run_metadata(scenario, scenario.parameters().run.seed, replicates, team);
  r.metadata.attributes[kTwinAttribute] = "1";
  if (std::any_of(projections.begin(), projections.end(),
                  [](const TwinProjection& p) { return p.followed_in_proportion; }))
    r.metadata.attributes[kTwinApproximationsAttribute] =
        "the completers followed up of the cohorts reaching the programmes' maximum age moved across it in "
        "proportion to their share of each cell (docs/twin.md, \"Age limits as crossings\")";
  add_target_results(r, scenario);
  add_replicate_statistics(r);
  add_parameter_set_results(r, scenario, replicates);
  return r;
}

} // namespace skillsim
