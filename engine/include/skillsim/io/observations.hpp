// Published statistics (data/national_statistics.csv and files like it): a catalogue of the
// indicators the project knows, a validating loader that reports every problem of a file at
// once (file:line, column, what is wrong), and the honest cut-off for fitting. The observation
// model (which model output each indicator corresponds to) is documented in docs/calibration.md.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skillsim/core/errors.hpp"

namespace skillsim::io {

/// What an indicator measures: a stock at the end of the year, a flow over the calendar year
/// (or the window its name says), a share or ratio, or a policy rule, budget or target.
enum class IndicatorKind { stock, flow, structure, policy };

/// What a fit may do with an indicator. `observation`: an outcome of the process the model
/// simulates, to be compared with model output (never used after a cut-off). `policy_input`: a
/// budget, volume, rule or target that a scenario may use at any date. `context`: a published
/// outcome the model does not simulate (labour-market totals, institutions), kept as a
/// reference for scales and plausibility; like observations, not used after a cut-off.
enum class IndicatorRole { observation, policy_input, context };

/// How a published figure is qualified. `exact`: stated as a figure; `approx`: rounded or
/// "about"; `lower_bound`: "more than", "over"; `upper_bound`: "under", "less than"; `target`: a
/// planned value, not an outcome; `cap`: a maximum set by a rule (a subsidy ceiling).
enum class Qualifier { exact, approx, lower_bound, upper_bound, target, cap };

/// One indicator of the catalogue.
struct IndicatorSpec {
  std::string_view name;
  IndicatorKind kind;
  /// The unit every row must use, as published: "10k persons", "10k person-times", "percent",
  /// "count", "10k yuan", "yuan per certificate".
  std::string_view unit;
  IndicatorRole role;
  /// The model output it maps to (docs/calibration.md), or "" when the model has none yet.
  std::string_view model_output;
  std::string_view description;
};

/// The catalogue, in documentation order (the one place indicators are defined).
std::span<const IndicatorSpec> indicator_catalogue();

/// Looks up an indicator by name; nullptr if it is not in the catalogue.
const IndicatorSpec* find_indicator(std::string_view name);

/// "stock", "flow", "structure", "policy"; "observation", "policy input", "context".
std::string_view indicator_kind_name(IndicatorKind kind);
std::string_view indicator_role_name(IndicatorRole role);
/// As written in data files: "exact", "approx", "lower bound", "upper bound", "target", "cap".
std::string_view qualifier_name(Qualifier qualifier);

/// One row of a data file, validated.
struct Observation {
  IndicatorKind kind = IndicatorKind::stock;
  std::string indicator;
  int year = 0;
  double value = 0.0;
  std::string unit;
  Qualifier qualifier = Qualifier::exact;
  std::string quality; // "official", "news" or "secondary"
  std::string source;  // page address (or seed file) the figure was read from
  std::string note;
  std::string file; // where the row was read (for messages downstream)
  int line = 0;
};

/// A data file is invalid. Holds every problem found, each located (file:line:column, field).
class DataError : public Error {
public:
  explicit DataError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
  std::vector<Diagnostic> diagnostics_;
};

/// The columns a data file must have, in this order.
inline constexpr std::string_view kObservationColumns[] = {"kind",      "indicator", "year",   "value", "unit",
                                                           "qualifier", "quality",   "source", "note"};

/// Parses CSV text (RFC 4180: fields in double quotes may hold commas, newlines and doubled
/// quotes) named `file` in messages. Checks every row against the catalogue: unknown indicator
/// (with a suggestion), kind or unit that differs from the indicator's, duplicate (indicator,
/// year), missing or non-numeric year or value, unknown qualifier or quality, wrong number of
/// fields, empty source. Throws DataError listing every problem; returns the rows in file order.
std::vector<Observation> parse_observations(std::string_view text, const std::string& file);

/// Reads and parses a file (DataError if it cannot be read).
std::vector<Observation> load_observations(const std::string& path);

/// The honest cut-off: the rows with year <= cutoff_year, in their order. No published outcome
/// after the cut-off may enter a fit, a prior or a default; policy inputs may (select them with
/// `policy_inputs_after`).
std::vector<Observation> observations_up_to(const std::vector<Observation>& records, int cutoff_year);

/// The policy-input rows (role policy_input) dated after the cut-off: budgets, volumes, rules and
/// targets a forecast from the cut-off may use.
std::vector<Observation> policy_inputs_after(const std::vector<Observation>& records, int cutoff_year);

} // namespace skillsim::io
