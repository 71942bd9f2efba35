#include "skillsim/core/sweep.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/random.hpp"

namespace skillsim {

namespace {

constexpr std::uint32_t kLatinHypercubeStream = stream_id("sweep.latin_hypercube");
static_assert(kSobolMaxAxes == BOOST_RANDOM_SOBOL_MAX_DIMENSION);

// Parameters every run of a sweep shares, and why. The results of a sweep are one cube whose
// time and replicate axes every run fills (results_layout.cpp: the other dimensions have the
// lengths of name lists, which cannot vary anyway), and replicate r of every run draws the same
// random numbers (common random numbers), so that differences between runs are policy, not noise.
struct SharedBySweep {
  std::string_view key, why;
};
constexpr SharedBySweep kSharedBySweep[] = {
    {"scenario.months", "every run shares the time axis; run sweeps of different lengths separately"},
    {"run.replicates", "every run shares the replicate axis; set it for the whole sweep in the base scenario or "
                       "with --replicates"},
    {"run.seed", "every run uses the same seed, so that replicate r of every run draws the same random numbers "
                 "(common random numbers); replicates already vary the random numbers: use --replicates for more"},
};

std::string design_name(SweepDesign d) { return std::string(kSweepDesignIds[static_cast<int>(d)]); }

// The names an index of `dim` may be given by (empty: by number only).
std::vector<std::string> dim_names(Dim dim, const Parameters& p) {
  const auto of = [](const auto& ids) { return std::vector<std::string>(ids.begin(), ids.end()); };
  switch (dim) {
  case Dim::Level:
    return of(kLevelIds);
  case Dim::Status:
    return of(kStatusIds);
  case Dim::Group:
    return of(kGroupIds);
  case Dim::Sector:
    return of(kSectorIds);
  case Dim::Sex:
    return of(kSexIds);
  case Dim::AgeBand:
    return of(kAgeBandIds);
  case Dim::Region:
    return p.population.regions;
  case Dim::Fund:
    return p.funds.names;
  case Dim::Programme:
    return p.programmes.names;
  case Dim::Evaluator:
    return p.evaluation.evaluators;
  case Dim::Tier:
    return p.competitions.tiers;
  case Dim::SchoolRoute:
    return p.schools.routes;
  case Dim::SizeClass:
    return p.employers.size_classes;
  case Dim::None:
  case Dim::MortalityBand:
  case Dim::CalendarMonth:
    return {};
  }
  return {};
}

// An index written as a name of `dim` or a number below its length.
std::variant<std::size_t, std::string> parse_index(std::string_view text, Dim dim, const Parameters& p,
                                                   std::string_view key) {
  const std::size_t length = dim_length(dim, p);
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (error == std::errc{} && end == text.data() + text.size()) {
    if (index < length) return index;
    return std::string(key) + ": index " + std::string(text) + " is out of range (" + std::to_string(length) +
           " entries, from 0)";
  }
  const std::vector<std::string> names = dim_names(dim, p);
  const auto found = std::find(names.begin(), names.end(), text);
  if (found != names.end()) return static_cast<std::size_t>(found - names.begin());
  std::string known;
  for (const auto& name : names) known += (known.empty() ? "" : ", ") + name;
  return std::string(key) + ": '" + std::string(text) + "' is not a " + dim_description(dim) +
         (known.empty() ? "; give an index from 0" : "; one of: " + known);
}

} // namespace

std::int64_t sweep_run_count(const SweepSpec& spec) {
  switch (spec.design) {
  case SweepDesign::List:
    return spec.axes.empty() ? 0 : static_cast<std::int64_t>(spec.axes.front().values.size());
  case SweepDesign::Grid: {
    if (spec.axes.empty()) return 0;
    std::int64_t runs = 1;
    for (const auto& axis : spec.axes) {
      const auto n = static_cast<std::int64_t>(axis.values.size());
      if (n != 0 && runs > std::numeric_limits<std::int64_t>::max() / n)
        return std::numeric_limits<std::int64_t>::max();
      runs *= n;
    }
    return runs;
  }
  case SweepDesign::LatinHypercube:
  case SweepDesign::Sobol:
    return spec.samples;
  }
  return 0;
}

std::vector<std::vector<double>> sweep_points(const SweepSpec& spec) {
  const std::size_t axes = spec.axes.size();
  if (axes == 0) throw Error("sweep: no parameter is varied");
  const std::string design = design_name(spec.design);
  for (const auto& axis : spec.axes)
    for (const double v : axis.values)
      if (!std::isfinite(v)) throw Error("sweep: " + axis.key + ": a value is not a finite number");
  std::vector<std::vector<double>> points;
  switch (spec.design) {
  case SweepDesign::List: {
    const std::size_t runs = spec.axes.front().values.size();
    for (const auto& axis : spec.axes)
      if (axis.values.size() != runs || runs == 0)
        throw Error("sweep: a list design needs the same, non-zero number of values for every key; " + axis.key +
                    " has " + std::to_string(axis.values.size()) + ", " + spec.axes.front().key + " has " +
                    std::to_string(runs));
    for (std::size_t r = 0; r < runs; ++r) {
      std::vector<double> point;
      for (const auto& axis : spec.axes) point.push_back(axis.values[r]);
      points.push_back(std::move(point));
    }
    return points;
  }
  case SweepDesign::Grid: {
    for (const auto& axis : spec.axes)
      if (axis.values.empty()) throw Error("sweep: " + axis.key + " lists no values");
    std::vector<std::size_t> at(axes, 0);
    for (;;) {
      std::vector<double> point;
      for (std::size_t a = 0; a < axes; ++a) point.push_back(spec.axes[a].values[at[a]]);
      points.push_back(std::move(point));
      std::size_t a = axes;
      while (a-- > 0) { // odometer, the last axis fastest
        if (++at[a] < spec.axes[a].values.size()) break;
        at[a] = 0;
      }
      if (a == static_cast<std::size_t>(-1)) return points;
    }
  }
  case SweepDesign::LatinHypercube:
  case SweepDesign::Sobol:
    break;
  }
  if (spec.samples < 1) throw Error("sweep: a " + design + " design needs samples >= 1");
  for (const auto& axis : spec.axes) {
    if (!std::isfinite(axis.low) || !std::isfinite(axis.high) || !std::isfinite(axis.high - axis.low))
      throw Error("sweep: " + axis.key + ": the range needs finite bounds no further apart than the largest number");
    if (!(axis.low <= axis.high))
      throw Error("sweep: " + axis.key + ": the range is empty (low " + std::to_string(axis.low) + " > high " +
                  std::to_string(axis.high) + ")");
  }
  if (spec.design == SweepDesign::Sobol && axes > kSobolMaxAxes)
    throw Error("sweep: a sobol design varies at most " + std::to_string(kSobolMaxAxes) + " parameters, not " +
                std::to_string(axes));
  const auto n = static_cast<std::size_t>(spec.samples);
  points.assign(n, std::vector<double>(axes));
  const auto scale = [&](std::size_t a, double u) { // u in [0, 1); rounding may not leave the range
    const double low = spec.axes[a].low, high = spec.axes[a].high;
    return std::clamp(low + u * (high - low), low, high);
  };
  if (spec.design == SweepDesign::Sobol) {
    // Boost.Random's Sobol generator (Joe-Kuo directions), one 64-bit integer per coordinate.
    // It starts after the origin; the origin is put first, so the first 2^k points form a net
    // (each axis has exactly one point in each of 2^k equal intervals).
    boost::random::sobol sequence(axes);
    for (std::size_t r = 1; r < n; ++r)
      for (std::size_t a = 0; a < axes; ++a) points[r][a] = scale(a, static_cast<double>(sequence()) * 0x1p-64);
    for (std::size_t a = 0; a < axes; ++a) points[0][a] = scale(a, 0.0);
    return points;
  }
  // Latin hypercube: for each axis, the n strata in an order set by agent-keyed style random
  // priorities (Philox keyed on the sampling seed), and a uniform position inside each stratum.
  const RandomStreams rng(spec.sampling_seed, 0);
  for (std::size_t a = 0; a < axes; ++a) {
    std::vector<std::pair<std::uint64_t, std::size_t>> order;
    for (std::size_t r = 0; r < n; ++r)
      order.emplace_back(streams::priority_of(rng.block(kLatinHypercubeStream, static_cast<std::int64_t>(a), r)), r);
    std::sort(order.begin(), order.end());
    for (std::size_t stratum = 0; stratum < n; ++stratum) {
      const std::size_t r = order[stratum].second;
      const double within = rng.block(kLatinHypercubeStream, static_cast<std::int64_t>(a), r).uniform(2);
      points[r][a] = scale(a, (static_cast<double>(stratum) + within) / static_cast<double>(n));
    }
  }
  return points;
}

std::variant<SweepTarget, std::string> resolve_sweep_key(const Parameters& base, std::string_view key) {
  const std::size_t open = key.find('[');
  const std::string_view name = key.substr(0, open);
  const ParameterSpec* spec = find_parameter(name);
  if (!spec) {
    std::string message = std::string(key) + ": unknown parameter";
    const auto suggestions = suggest_parameters(name);
    if (!suggestions.empty()) message += "; did you mean " + std::string(suggestions.front()) + "?";
    return message;
  }
  // The bracketed indices after the name.
  std::vector<std::string_view> indices;
  for (std::size_t at = open; at != std::string_view::npos && at < key.size();) {
    const std::size_t close = key.find(']', at);
    if (key[at] != '[' || close == std::string_view::npos)
      return std::string(key) + ": expected [row] or [row][column] after the parameter's name";
    indices.push_back(key.substr(at + 1, close - at - 1));
    at = close + 1;
    if (at == key.size()) break;
  }
  for (const auto& shared : kSharedBySweep)
    if (spec->key == shared.key) return std::string(key) + ": cannot vary in a sweep: " + std::string(shared.why);
  SweepTarget target{spec, std::nullopt};
  const std::size_t wanted = [&]() -> std::size_t {
    switch (spec->kind) {
    case ValueKind::Real:
    case ValueKind::Integer:
      return 0;
    case ValueKind::RealVector:
    case ValueKind::IntegerVector:
    case ValueKind::FlagVector:
      return 1;
    case ValueKind::RealMatrix:
    case ValueKind::FlagMatrix:
      return 2;
    case ValueKind::Month:
    case ValueKind::String:
    case ValueKind::StringList:
      break;
    }
    return 3;
  }();
  if (wanted == 3) return std::string(key) + ": a " + std::string(kind_name(spec->kind)) + " cannot be varied";
  if (indices.size() != wanted)
    return std::string(key) + ": " + std::string(name) + " is a " + std::string(kind_name(spec->kind)) +
           (wanted == 0   ? "; vary it without [ ]"
            : wanted == 1 ? "; vary one element: " + std::string(name) + "[" + dim_description(spec->dim) + "]"
                          : "; vary one cell: " + std::string(name) + "[row][column]");
  if (wanted == 0) return target;
  const auto row = parse_index(indices[0], spec->dim, base, key);
  if (const auto* message = std::get_if<std::string>(&row)) return *message;
  std::size_t flat = std::get<std::size_t>(row);
  if (wanted == 2) {
    const auto column = parse_index(indices[1], spec->col_dim, base, key);
    if (const auto* message = std::get_if<std::string>(&column)) return *message;
    flat = flat * dim_length(spec->col_dim, base) + std::get<std::size_t>(column);
  }
  target.element = flat;
  return target;
}

void apply_sweep_value(Parameters& p, const SweepTarget& target, double value) {
  Value v = get_value(p, *target.spec);
  const std::size_t k = target.element.value_or(0);
  std::visit(
      [&](auto& held) {
        using T = std::decay_t<decltype(held)>;
        if constexpr (std::is_same_v<T, double>)
          held = value;
        else if constexpr (std::is_same_v<T, std::int64_t>)
          held = std::llround(value);
        else if constexpr (std::is_same_v<T, std::vector<double>>)
          held.at(k) = value;
        else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>)
          held.at(k) = std::llround(value);
        else if constexpr (std::is_same_v<T, std::vector<std::uint8_t>>)
          held.at(k) = value >= 0.5 ? 1 : 0;
        else if constexpr (std::is_same_v<T, RealMatrix>)
          held.values.at(k) = value;
        else if constexpr (std::is_same_v<T, FlagMatrix>)
          held.values.at(k) = value >= 0.5 ? 1 : 0;
        else
          throw Error(std::string(target.spec->key) + ": a " + std::string(kind_name(target.spec->kind)) +
                      " cannot be varied");
      },
      v);
  if (const auto problem = set_value(p, *target.spec, v)) throw Error(std::string(target.spec->key) + ": " + *problem);
}

} // namespace skillsim
