// Training programmes, their seats and the money that pays for them, month by month (see
// docs/levers.md). Each month:
//   1. trainees who died or retired leave their programme (their commitments are released);
//      monthly subsidies are paid for every month trained;
//   2. trainees whose programme ends complete it or drop out; completers are assessed at once
//      (without evaluation capacity) or join the evaluation queue (evaluation.hpp), and earn the
//      certificate with the programme's pass probability (moving up to its level); money
//      committed for them is paid (certificates) or released;
//   3. eligible workers apply (to at most one programme), the applicants are allocated to seats
//      and money at once (allocation.hpp), the admitted are chosen within each demand cell by an
//      agent-keyed random priority, and their subsidy is committed (and paid, if due at enrolment);
//      an apprenticeship (programmes.apprenticeship) sets an admitted worker below 学徒工 at 学徒工,
//      and, with employers.apprentice_places_per_1000, needs a free place in its employer cell.
// A claim of a programme co-funded by employers (programmes.employer_share s) is paid s by the
// trainee's employer and 1 - s by the funds, which commit only their part.
// Every claim paid may bring leakage (claims for training that did not happen) and audit costs
// with it, paid from the same funds while money remains.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "skillsim/core/carry.hpp"
#include "skillsim/core/ledger.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/random.hpp"
#include "skillsim/core/ranks.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/tallies.hpp"

namespace skillsim {

class Employers;
class Scenario;
class ResultsWriter;

/// The month's application rules in a form the per-agent loops can use cheaply. Each eligible
/// worker tries the programmes in order and applies to the first whose draw succeeds
/// (probability application_rate, adjusted by subsidy_elasticity and, by the level held, by the
/// choice model's premium_factor: rate_of). One uniform number u decides
/// all the tries: u < rate applies; otherwise (u - rate) / (1 - rate) is again uniform and goes on
/// to the next programme. So a worker applies somewhere iff u < 1 - prod(1 - rate) over the
/// programmes it is eligible for; `may_apply` is that bound over the programmes open to its
/// group and status, and the monthly rules keep only the workers below it as candidates, and of
/// those outside every programme only the ones who apply (`choose`; monthly_rules.cpp).
struct ApplicationRules {
  struct Programme {
    std::array<bool, kGroupCount * kStatusCount> eligible{}; // group x status (whatever the rate)
    std::vector<std::uint8_t> eligible_region;               // by region (programmes.eligible_regions)
    int min_level = 0, max_level = 0;
    std::int32_t min_age_months = 0, max_age_months = 0; // [min, max)
    double min_contribution_months = 0;
    std::array<std::uint32_t, kLevelCount> wait_months{}; // by level held: months there before admission
    std::array<double, kLevelCount> rate_by_level{};      // by level held: the monthly probability of applying
    double rate = 0;                                      // the highest of them over the eligible levels
    std::vector<std::size_t> substitutes; // programmes its applicants also accept (programmes.substitutes)

    /// The eligibility a worker's group, status, level and months at the level decide (the
    /// expected-value twin's state holds these; twin.cpp).
    bool admits_state(std::size_t group_status, int level, std::uint32_t months_at_level) const {
      return eligible[group_status] && level >= min_level && level <= max_level &&
             months_at_level >= wait_months[static_cast<std::size_t>(level)];
    }
    /// Enough unemployment-insurance months (the twin keeps them where a programme asks for some).
    bool insured_enough(double ui_months) const { return ui_months >= min_contribution_months; }
    /// The whole rule: the state's part, age and contribution months.
    bool admits(std::size_t group_status, int level, std::int32_t age_months, double ui_months,
                std::uint32_t months_at_level) const {
      return admits_state(group_status, level, months_at_level) && age_months >= min_age_months &&
             age_months < max_age_months && insured_enough(ui_months);
    }
    /// The substitutes an applicant qualifies for, as a mask (bit j: substitutes[j]), listed in order:
    /// what a demand cell of the allocation holds (the agents' and the twin's alike).
    std::vector<int> substitutes_in(std::uint32_t mask) const {
      std::vector<int> in;
      for (std::size_t j = 0; j < substitutes.size(); ++j)
        if (mask >> j & 1) in.push_back(static_cast<int>(substitutes[j]));
      return in;
    }
  };
  std::vector<Programme> programmes;
  std::array<double, kGroupCount * kStatusCount> may_apply{}; // group x status

  /// Whether the worker is eligible for programme k: its region, group and status, level, age
  /// (months), insurance months and months at its level.
  bool eligible(std::size_t k, std::size_t region, std::size_t group_status, int level, std::int32_t age_months,
                double ui_months, std::uint32_t months_at_level) const {
    const Programme& rule = programmes[k];
    return rule.eligible_region[region] != 0 &&
           rule.admits(group_status, level, age_months, ui_months, months_at_level);
  }
  /// The programme a worker applies to with its draw `word` (the kApplication lane): the first
  /// eligible one whose try succeeds, as above; -1 if none. The one place the choice is made
  /// (the monthly rules and the training step both ask).
  int choose(std::size_t region, std::size_t group_status, int level, std::int32_t age_months, double ui_months,
             std::uint32_t months_at_level, std::uint32_t word) const {
    double u = uniform(word);
    for (std::size_t k = 0; k < programmes.size(); ++k) {
      const Programme& rule = programmes[k];
      if (rule.rate <= 0 || !eligible(k, region, group_status, level, age_months, ui_months, months_at_level)) continue;
      const double rate = rule.rate_by_level[static_cast<std::size_t>(level)]; // rule.rate at elasticity 0
      if (u < rate) return static_cast<int>(k);
      if (rate > 0) u = (u - rate) / (1 - rate); // rate < 1 here, since u < 1
    }
    return -1;
  }

  explicit ApplicationRules(const Parameters& p);
  /// The monthly probability that an eligible worker at `level` applies to `programme`:
  /// min(1, application_rate x (cost_per_trainee / reference_cost)^subsidy_elasticity x
  /// premium_factor(level, target_level, premium_elasticity)), the one place it is computed (the
  /// application rules and the pathway graph read it).
  static double rate_of(const ProgrammesSection& programmes, const EmployersSection& employers, std::size_t programme,
                        int level);
  static double uniform(std::uint32_t word) { return (static_cast<double>(word) + 0.5) * 0x1p-32; }
};

/// The share of a programme's claims that are fake under audits that deter (docs/levers.md,
/// "Leakage and audits"): leakage_share x (1 - share_audited)^deterrence; leakage_share itself,
/// bit for bit, at deterrence 0 (audits that only catch).
double effective_leakage(double leakage_share, double share_audited, double deterrence);
/// Yuan of one claim of `programme` charged to `fund`: one trainee, or one trainee-month if paid
/// monthly, for one agent (population.scale persons): cost_per_trainee x fund share x (1 -
/// employer_share) x scale, to the nearest yuan. Shared by the training step and the twin.
std::int64_t claim_yuan(const Parameters& p, std::size_t programme, std::size_t fund);
/// Yuan of one claim of `programme` paid by the trainee's employer (职工教育经费): cost_per_trainee x
/// employer_share x scale, to the nearest yuan (0 without co-funding). Shared with the twin.
std::int64_t employer_claim_yuan(const Parameters& p, std::size_t programme);
/// Claims a trainee commits at enrolment: duration_months if paid monthly, else 1.
std::int64_t claims_committed(const Parameters& p, std::size_t programme);
/// What each genuine claim brings with it (docs/levers.md, "Leakage and audits"): the share of
/// its amount paid for fake claims, and the audits (each cost_per_audit yuan per person).
struct ClaimOverheads {
  double fakes_paid_per_claim = 0, audits_per_claim = 0;
};
ClaimOverheads claim_overheads(const Parameters& p, std::size_t programme);

/// A worker who may apply this month, with its draw (the monthly block's application lane).
struct ApplicationCandidate {
  AgentIndex index;
  std::uint32_t draw;
  bool operator<(const ApplicationCandidate& o) const { return index < o.index; }
};
static_assert(sizeof(ApplicationCandidate) == 8, "the memory estimate counts 8 bytes an applicant in a list");

/// The agents the training and evaluation steps need to look at this month, found by the
/// monthly rules in their pass over everybody (so those steps need no pass of their own). Each
/// list is in agent order.
struct MonthlyCandidates {
  std::vector<ApplicationCandidate> applicants; ///< may apply to a programme
  std::vector<AgentIndex> trainees;             ///< in a programme or its follow-up window
  std::vector<AgentIndex> queued;               ///< waiting for an assessment
  std::vector<AgentIndex> competitors;          ///< may enter a skills competition held this month
  std::vector<AgentIndex> students;             ///< in a technical school (Schools::step reads them)
  /// At 高级技师 or 特级技师 after the month's moves, in a month with an appointment quota
  /// (whatever their status: Appointments::step checks them again, after training and evaluation).
  std::vector<AgentIndex> appointable;

  /// Adds agents who joined the evaluation queue since (in agent order), keeping `queued` in order.
  void add_queued(std::span<const AgentIndex> joined);
};

/// What the training system did in one month, in agents (money in yuan).
struct TrainingTally {
  std::vector<std::int64_t> applications, enrolments, no_seat, no_money; // per programme
  std::vector<std::int64_t> substitute_enrolments; // per programme: of the enrolments, applicants to another
  std::vector<std::int64_t> completions, dropouts, certificates; // per programme
  std::vector<std::int64_t> programme_assessments; // programme x level sought: completers who sat the assessment
  std::vector<std::int64_t> paid;                  // fund x programme, yuan paid this month (incl. leakage and audits)
  std::vector<std::int64_t> leaked;                // fund x programme, yuan paid for training that did not happen
  std::vector<std::int64_t> audit;                 // fund x programme, yuan paid for audits
  std::vector<std::int64_t> followed_up, employed_after; // per programme: completers at the end of
                                                         // the follow-up window, and those employed then
  std::vector<std::int64_t> remaining;                   // per fund, yuan at the end of the month
  std::vector<std::int64_t> committed;                   // per fund, yuan at the end of the month
  std::vector<std::int64_t> seats_binding;               // programme x region: 1 if every seat was taken
  std::vector<std::int64_t> money_binding;               // per programme: 1 if money turned anybody away
  std::vector<std::int64_t> fund_binding;                // per fund: 1 if its money was short for somebody turned away
  std::vector<std::int64_t> no_place;      // per programme: turned away for want of an apprenticeship place
  std::vector<std::int64_t> employer_paid; // per programme: yuan paid by the trainees' employers (employer_share)
  std::vector<std::int64_t> cell_places;   // region x employer cell: the month's apprenticeship places (0: not limited)
  std::vector<std::int64_t> cell_apprentices; // region x employer cell: its apprentices in training after admissions

  void reset(std::size_t programmes, std::size_t funds, std::size_t regions);
  bool operator==(const TrainingTally&) const = default;
};

class TrainingSystem {
public:
  /// What must be saved to continue a run.
  struct State {
    Ledger ledger;
    int budget_year = -1;            ///< calendar year whose envelopes were granted last
    std::vector<Carry> seats_due;    ///< programme x region: fractional seats (agents)
    std::vector<Carry> overhead_due; ///< fund x programme x {leakage, audits}: fractional yuan
    bool operator==(const State&) const = default;
  };

  /// @param p the parameters at the start; fixes the catalogue of programmes and funds.
  explicit TrainingSystem(const Parameters& p);

  /// Declares the training results (programme and fund dimensions, enrolments, money, binding
  /// constraints, follow-up), for scenarios with programmes.
  static void declare_results(Results& results, const Parameters& p);
  /// Are apprentices counted by employer cell (employers and an apprenticeship programme)? Then
  /// the employer cells' places and apprentices are results.
  static bool has_apprentice_places(const Parameters& p);
  /// May employer cells' places refuse an apprentice in the run: has_apprentice_places, and
  /// employers.apprentice_places_per_1000 at 0 or above for some size class at the start, by
  /// schedule or in a parameter set (-1 everywhere: places not limited)?
  static bool apprentice_places_limited(const Scenario& scenario);
  /// Declares apprenticeship_no_place (by programme) when apprentice_places_limited: a variable
  /// that could only be 0 is left out.
  static void declare_place_results(Results& results, const Scenario& scenario);
  /// Stores one time point of them from the month last stepped (`trainees`, a stock, is stored
  /// with the stocks: store_stocks in tallies.hpp).
  void store_results(ResultsWriter& out, std::size_t replicate, std::size_t t) const;

  const State& state() const { return state_; }
  /// @throws Error if the state has other programme, fund or region counts (and changes nothing)
  void check_fits(const State& state) const;
  /// @throws Error as check_fits
  void restore(const State& state);

  /// Runs one month (see the file comment); level changes are added to `flows`. With
  /// `evaluation_limited`, completers queue for an assessment instead of being assessed at once.
  /// `candidates` are the agents the monthly rules found (trainees and those who may apply).
  /// `employers` (may be null: none) gives the employer cells their apprenticeship places.
  /// Split over `ranks` (ranks.hpp), the trainees' outcomes and the applicants of every rank
  /// are joined in agent order (by id), and every
  /// rank makes the same payments, allocation and admissions (the ledger is the same on every
  /// rank); each changes its own agents. Not with evaluation_limited or apprenticeship places.
  void step(const Parameters& p, Month month, Population& population, const RandomStreams& rng, MonthTally& flows,
            bool evaluation_limited, const ApplicationRules& rules, const MonthlyCandidates& candidates,
            const Employers* employers = nullptr, const RankGroup* ranks = nullptr);

  /// Completers who joined the evaluation queue in the month last stepped, in agent order.
  const std::vector<AgentIndex>& newly_queued() const { return newly_queued_; }

  /// Grants the year's envelopes in the first month of a calendar year (and the first month of the
  /// run); nothing otherwise. step() calls it; the replicate calls it first, so that the money of
  /// the month is known at its start (以工代训, Employers::begin_month).
  void open_year(const Parameters& p, Month month);
  /// Records the funds' remaining and committed money once the month's payments are done.
  void close_month();

  /// A completer of agent i's programme was assessed: certificate (and level) if `passed`,
  /// money paid or released, follow-up begins.
  void assessed(const Parameters& p, Population& population, std::size_t i, bool passed, MonthTally& flows);
  /// A completer left the evaluation queue without an assessment (gave up, died, retired).
  void leave_evaluation_queue(Population& population, std::size_t i);

  /// Split over ranks (ranks.hpp): an agent of another rank, whose money and tallies every rank
  /// keeps alike while only its own rank changes it.
  static constexpr std::size_t kNotHere = skillsim::kNotHere;
  /// assessed() for a completer of `programme` at `level`; `i` may be kNotHere.
  void assessed(const Parameters& p, Population& pop, std::size_t i, std::uint8_t programme, std::uint8_t level,
                bool passed, MonthTally& flows);
  /// leave_evaluation_queue() for a completer of `programme`; `i` may be kNotHere.
  void leave_evaluation_queue(Population& pop, std::size_t i, std::uint8_t programme);
  /// assessed() in two parts, so that the agents' part can run on all threads while the money,
  /// whose order matters (pay_claims carries overheads), is settled in the step's order on one:
  /// settle_assessment counts the assessment and pays or releases its claim (no agent);
  void settle_assessment(const Parameters& p, std::uint8_t programme, bool passed);
  /// finish_assessment gives agent i the programme's level if it passed (and is below it) and
  /// ends its programme. It changes only agent i and `flows`.
  static void finish_assessment(const Parameters& p, Population& pop, std::size_t i, std::uint8_t programme,
                                std::uint8_t level, bool passed, MonthTally& flows);

  const TrainingTally& tally() const { return tally_; }
  /// Seconds spent building and solving the allocation flow networks so far.
  double allocation_seconds() const { return allocation_seconds_; }
  const Ledger& ledger() const { return state_.ledger; }
  /// The ledger, for payments other than the programmes' (以工代训 to employers).
  Ledger& ledger() { return state_.ledger; }

private:
  /// Yuan of one claim (one trainee, or one trainee-month if paid monthly) charged to a fund.
  std::int64_t amount(std::size_t programme, std::size_t fund) const { return claim_yuan_[programme * funds_ + fund]; }
  /// Pays `claims` claims of a programme from what was committed, with their leakage and audits.
  void pay_claims(const Parameters& p, std::size_t programme, std::int64_t claims);
  /// Releases `claims` committed claims that will not be paid.
  void release_claims(std::size_t programme, std::int64_t claims);
  static void leave_programme(Population& pop, std::size_t i);

  void end_trainees(const Parameters& p, Month month, Population& pop, const RandomStreams& rng, MonthTally& flows,
                    bool evaluation_limited, std::span<const AgentIndex> trainees);
  void admit_applicants(const Parameters& p, Month month, Population& pop, const RandomStreams& rng,
                        const ApplicationRules& rules, std::span<const ApplicationCandidate> candidates,
                        MonthTally& flows);

  std::int64_t scale_;
  // Fixed for the run (cost, fund shares, payment and duration cannot be scheduled: commitments
  // are made on those terms), so computed once.
  std::size_t funds_;
  std::vector<std::int64_t> claim_yuan_;       // programme x fund
  std::vector<Payment> payment_;               // per programme
  std::vector<std::int64_t> claims_committed_; // per programme: claims committed at enrolment
  std::vector<std::uint8_t> apprenticeship_;   // per programme: an apprenticeship (programmes.apprenticeship)
  std::vector<std::int64_t> employer_claim_;   // per programme: yuan of a claim paid by the employer
  // The month's apprenticeship places (employers.apprentice_places_per_1000): employer cells per
  // region (0: cells not counted), and per region x cell the free places, -1 where not limited
  // (empty: not limited anywhere this month).
  std::size_t employer_cells_ = 0;
  std::vector<std::int64_t> free_places_;
  State state_;
  TrainingTally tally_;
  double allocation_seconds_ = 0;
  std::vector<AgentIndex> newly_queued_;
  // The month's ranks (step()): null on one process.
  const RankGroup* ranks_ = nullptr;
};

} // namespace skillsim
