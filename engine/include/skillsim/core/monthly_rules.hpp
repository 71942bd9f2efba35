// The per-agent monthly rules, in one parallel pass over the population: death, retirement at
// the statutory age, ordinary assessments after the minimum months at a level (held at once, or
// queued for an evaluator), the labour market (job loss, job finding, inactivity, reactivation)
// and insurance months. The same pass finds the agents the later steps need (applicants,
// trainees, queued candidates, competitors, those appointments may choose from), so those steps
// make no pass of their own, and counts the stocks of the state the month starts from, so the run
// makes no counting pass.
// Probabilities come from TransitionRates; see docs/model.md, "Monthly rules".
#pragma once

#include "skillsim/core/competitions.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/studios.hpp"
#include "skillsim/core/tallies.hpp"
#include "skillsim/core/training.hpp"

namespace skillsim {

/// Whether the pass screens out, kBlockBatch agents at a time with vector instructions, the
/// agents to whom nothing happens in the month but its passing (docs/model.md, "The quiet
/// screen"). The results are the same either way, bit for bit; `off` is for the tests that say so.
enum class QuietScreening : bool { off, on };

/// Applies the month's rules to every agent and returns the month's flows so far. `candidates`
/// is refilled, each list in agent order (for any thread count). `stocks` (sized for the regions
/// and programmes: empty_stocks) is set to the stocks of the population as the pass found it,
/// what count_stocks gives before the pass. `mentoring` (master studios, if any) gives its mentees
/// their shorter wait and higher pass. With `appointing` (the month has an appointment quota:
/// Appointments::open_month), `candidates.appointable` lists the agents the pass leaves at 高级技师 or
/// 特级技师; otherwise it is left empty. `screening`: with or without the quiet screen (the same
/// results).
MonthTally apply_monthly_rules(const TransitionRates& rates, const ApplicationRules& applications,
                               const CompetitionRules& competitions, bool appointing, Month month,
                               Population& population, const RandomStreams& rng, MonthlyCandidates& candidates,
                               StockTally& stocks, const Mentoring* mentoring = nullptr,
                               QuietScreening screening = QuietScreening::on);

/// How many agents the quiet screen would let through the pass with only the month's passing
/// (QuietScreening) in this month, of those in whole batches of the population (for tests; changes
/// nothing), or -1 where it does not run (no AVX2, or rules it does not cover:
/// regional factors or migration, 以工代训's retention, studios' mentees, factors by person class,
/// a competition held). `population` is not changed.
std::int64_t count_quiet_agents(const TransitionRates& rates, const ApplicationRules& applications,
                                const CompetitionRules& competitions, bool appointing, Month month,
                                Population& population, const RandomStreams& rng, const Mentoring* mentoring = nullptr);

} // namespace skillsim
