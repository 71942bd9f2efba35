#include "skillsim/io/sweep_toml.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "toml.hpp"

namespace skillsim::io {

namespace {

// Collects located problems.
struct Problems {
  std::string file;
  std::vector<Diagnostic> list;

  void add(const toml::source_region& where, std::string key, std::string message) {
    list.push_back({file, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column), std::move(key),
                    std::move(message)});
  }
};

// The closest of `known` to `word`, as " (did you mean X?)", or nothing.
std::string did_you_mean(std::string_view word, std::initializer_list<std::string_view> known) {
  std::string_view best;
  std::size_t best_distance = 3; // suggest only near misses
  for (std::string_view k : known)
    if (const std::size_t d = edit_distance(word, k); d < best_distance) {
      best = k;
      best_distance = d;
    }
  return best.empty() ? "" : " (did you mean " + std::string(best) + "?)";
}

std::optional<double> number(const toml::node& node) {
  if (const auto* v = node.as_floating_point()) return v->get();
  if (const auto* v = node.as_integer()) return static_cast<double>(v->get());
  return std::nullopt;
}

// What a sweep file says about an unquoted word where a value goes (syntax_problem).
std::optional<std::pair<std::string, std::string>> sweep_bare_word(const BareWord& at) {
  const std::string got = ", got '" + excerpt(at.word) + "'";
  if (at.array_of_tables) return std::nullopt;
  if (at.table == "sweep" && (at.key == "base" || at.key == "design"))
    return std::pair{"sweep." + at.key,
                     "expected a string" + got + " (write text in quotes: \"" + excerpt(at.word) + "\")"};
  if (at.table == "sweep" && (at.key == "samples" || at.key == "sampling_seed" || at.key == "max_runs"))
    return std::pair{"sweep." + at.key, "expected an integer" + got};
  if (at.table == "vary" && at.in_array) return std::pair{"vary.\"" + at.key + "\"", "expected a number" + got};
  if (at.table == "vary" && at.in_inline_table) return std::pair{std::string(), "expected a number" + got};
  if (at.table == "vary")
    return std::pair{"vary.\"" + at.key + "\"",
                     "expected a list of numbers [A, B, ...] or a range { low = A, high = B }" + got};
  return std::nullopt;
}

// For a dotted key written without quotes (labour.job_find_multiplier = [...] is a table
// "labour" in TOML): how to write it, as " (write the dotted key in quotes: ...)"; else nothing.
std::string quote_dotted_key(std::string_view key, const toml::node& node) {
  std::string dotted(key);
  const toml::node* at = &node;
  while (const auto* table = at->as_table()) {
    if (table->size() != 1 || table->contains("low") || table->contains("high")) break;
    const auto entry = *table->begin(); // a pair of references
    dotted += "." + std::string(entry.first.str());
    at = &entry.second;
  }
  if (at == &node) return "";
  return " (write the dotted key in quotes: \"" + excerpt(dotted, 80) + "\" = ...)";
}

// A [sweep] header on a line of its own (perhaps with a comment).
bool has_sweep_header(std::string_view text) {
  for (std::size_t begin = 0; begin < text.size();) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    const std::string line = trim(text.substr(begin, end - begin));
    if (line.rfind("[sweep]", 0) == 0) {
      const std::string rest = trim(std::string_view(line).substr(7));
      if (rest.empty() || rest[0] == '#') return true;
    }
    begin = end + 1;
  }
  return false;
}

} // namespace

bool is_sweep_text(std::string_view text) {
  try {
    return toml::parse(text)["sweep"].is_table();
  } catch (const toml::parse_error&) {
    // Not TOML: a sweep file's syntax errors are the sweep reader's to say, anything else the
    // scenario reader's.
    return has_sweep_header(text);
  }
}

SweepFile parse_sweep(std::string_view text, const std::string& source_name) {
  SweepFile out;
  out.source_name = source_name;
  out.source_text = std::string(text);
  Problems problems{source_name, {}};
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw ScenarioError({syntax_problem(e, text, source_name, sweep_bare_word)});
  }

  for (const auto& [key, node] : root)
    if (key.str() != "sweep" && key.str() != "vary")
      problems.add(key.source(), std::string(key.str()),
                   "unknown section; a sweep file has [sweep] and [vary]" + did_you_mean(key.str(), {"sweep", "vary"}));
  const toml::table* sweep = root["sweep"].as_table();
  const toml::table* vary = root["vary"].as_table();
  if (!sweep) problems.add(root.source(), "sweep", "missing [sweep] (with base = \"SCENARIO\" and design = ...)");
  if (!vary) problems.add(root.source(), "vary", "missing [vary]: the parameters to vary, by their dotted keys");

  std::string design = "grid";
  if (sweep) {
    for (const auto& [key, node] : *sweep) {
      const std::string path = "sweep." + std::string(key.str());
      const std::string_view k = key.str();
      if (k == "base" || k == "design") {
        if (const auto* s = node.as_string())
          (k == "base" ? out.base : design) = s->get();
        else
          problems.add(node.source(), path, "expected a string");
      } else if (k == "samples" || k == "sampling_seed" || k == "max_runs") {
        const auto* v = node.as_integer();
        if (!v || v->get() < (k == "sampling_seed" ? 0 : 1)) {
          problems.add(node.source(), path,
                       k == "sampling_seed" ? "expected an integer >= 0" : "expected an integer >= 1");
          continue;
        }
        if (k == "samples") out.spec.samples = v->get();
        if (k == "sampling_seed") out.spec.sampling_seed = static_cast<std::uint64_t>(v->get());
        if (k == "max_runs") out.max_runs = v->get();
      } else {
        problems.add(key.source(), path,
                     "unknown key" + did_you_mean(k, {"base", "design", "samples", "sampling_seed", "max_runs"}));
      }
    }
    if (out.base.empty() && !sweep->contains("base"))
      problems.add(sweep->source(), "sweep.base", "missing: the base scenario (a path or a bundled name)");
  }
  const auto* known = std::find(std::begin(kSweepDesignIds), std::end(kSweepDesignIds), design);
  if (known == std::end(kSweepDesignIds)) {
    problems.add(sweep && (*sweep)["design"] ? (*sweep)["design"].node()->source() : root.source(), "sweep.design",
                 "'" + design + "' is not a design: list, grid, latin_hypercube or sobol" +
                     did_you_mean(design, {"list", "grid", "latin_hypercube", "sobol"}));
    throw ScenarioError(problems.list);
  }
  out.spec.design = static_cast<SweepDesign>(known - std::begin(kSweepDesignIds));
  const bool sampled = out.spec.design == SweepDesign::LatinHypercube || out.spec.design == SweepDesign::Sobol;
  if (sampled && out.spec.samples < 1 && sweep)
    problems.add(sweep->source(), "sweep.samples", "missing: a " + design + " design needs samples = N");
  if (!sampled && sweep && sweep->contains("samples"))
    problems.add((*sweep)["samples"].node()->source(), "sweep.samples",
                 "only sampling designs (latin_hypercube, sobol) take samples; a " + design +
                     " design runs the values listed");

  if (vary) {
    // In the file's order (a toml++ table is ordered by key): the order of the runs follows it.
    std::vector<std::pair<const toml::key*, const toml::node*>> entries;
    for (const auto& [key, node] : *vary) entries.emplace_back(&key, &node);
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      const auto &at = a.first->source().begin, &bt = b.first->source().begin;
      return std::pair(at.line, at.column) < std::pair(bt.line, bt.column);
    });
    for (const auto& [key_at, node_at] : entries) {
      const toml::key& key = *key_at;
      const toml::node& node = *node_at;
      const std::string path = "vary.\"" + std::string(key.str()) + "\"";
      SweepAxis axis{std::string(key.str()), {}};
      out.axis_positions.push_back({source_name, static_cast<int>(key.source().begin.line),
                                    static_cast<int>(key.source().begin.column), axis.key, ""});
      if (sampled) {
        const auto* range = node.as_table();
        const auto bound = [&](const char* name) -> std::optional<double> {
          const toml::node* at = range ? range->get(name) : nullptr;
          return at ? number(*at) : std::nullopt;
        };
        const auto low = bound("low"), high = bound("high");
        if (!low || !high) {
          problems.add(node.source(), path,
                       "a " + design + " design samples a range: { low = A, high = B }" +
                           quote_dotted_key(key.str(), node));
        } else {
          axis.low = *low;
          axis.high = *high;
          if (!std::isfinite(axis.low) || !std::isfinite(axis.high))
            problems.add(node.source(), path, "the range's low and high must be finite numbers (not nan or inf)");
          else if (!(axis.low <= axis.high))
            problems.add(node.source(), path, "the range is empty: low is above high");
          else if (!std::isfinite(axis.high - axis.low))
            problems.add(node.source(), path, "the range is too wide: high - low is beyond the largest number");
        }
        if (range)
          for (const auto& [k, v] : *range)
            if (k.str() != "low" && k.str() != "high")
              problems.add(k.source(), path + "." + std::string(k.str()), "unknown key; a range has low and high");
      } else {
        const auto* list = node.as_array();
        if (!list) {
          problems.add(node.source(), path,
                       "a " + design + " design lists the values: [A, B, ...]" + quote_dotted_key(key.str(), node));
        } else if (list->empty()) {
          problems.add(node.source(), path, "no values listed");
        } else {
          for (std::size_t i = 0; i < list->size(); ++i) {
            const auto v = number(*list->get(i));
            if (v && std::isfinite(*v))
              axis.values.push_back(*v);
            else
              problems.add(list->get(i)->source(), path + "[" + std::to_string(i) + "]",
                           v ? "expected a finite number (not nan or inf)" : "expected a number");
          }
        }
      }
      out.spec.axes.push_back(std::move(axis));
    }
    if (out.spec.axes.empty()) problems.add(vary->source(), "vary", "nothing to vary");
    if (out.spec.design == SweepDesign::Sobol && out.spec.axes.size() > kSobolMaxAxes)
      problems.add(vary->source(), "vary",
                   "a sobol design varies at most " + std::to_string(kSobolMaxAxes) + " parameters; this varies " +
                       std::to_string(out.spec.axes.size()));
  }
  if (out.spec.design == SweepDesign::List && !out.spec.axes.empty()) {
    const std::size_t n = out.spec.axes.front().values.size();
    for (std::size_t a = 1; a < out.spec.axes.size(); ++a)
      if (out.spec.axes[a].values.size() != n) {
        const Diagnostic& at = out.axis_positions[a];
        problems.list.push_back({source_name, at.line, at.column, at.key,
                                 "a list design pairs the k-th values of every key: this lists " +
                                     std::to_string(out.spec.axes[a].values.size()) + ", " + out.spec.axes[0].key +
                                     " lists " + std::to_string(n)});
      }
  }
  if (problems.list.empty()) {
    const std::int64_t runs = sweep_run_count(out.spec);
    if (runs > out.max_runs)
      problems.add(
          sweep ? sweep->source() : root.source(), "sweep.max_runs",
          "the design makes " +
              (runs == std::numeric_limits<std::int64_t>::max() ? std::string("too many") : std::to_string(runs)) +
              " runs, more than max_runs = " + std::to_string(out.max_runs) + "; raise max_runs to run them");
  }
  if (!problems.list.empty()) throw ScenarioError(problems.list);
  return out;
}

std::vector<Diagnostic> check_sweep_keys(const SweepFile& sweep, const Parameters& base) {
  std::vector<Diagnostic> problems;
  std::vector<std::pair<SweepTarget, std::size_t>> targets; // the keys resolved so far, with their axis
  for (std::size_t a = 0; a < sweep.spec.axes.size(); ++a) {
    const auto resolved = resolve_sweep_key(base, sweep.spec.axes[a].key);
    Diagnostic d = sweep.axis_positions.at(a); // one per axis
    d.key = "vary." + sweep.spec.axes[a].key;
    if (const auto* message = std::get_if<std::string>(&resolved)) {
      // The key leads the diagnostic already; resolve_sweep_key's message starts with it too.
      const std::string lead = sweep.spec.axes[a].key + ": ";
      d.message = message->starts_with(lead) ? message->substr(lead.size()) : *message;
      problems.push_back(std::move(d));
      continue;
    }
    // Two keys for one parameter (a row by its name and by its index): the second would undo the first.
    const SweepTarget& target = std::get<SweepTarget>(resolved);
    const auto same = std::find_if(targets.begin(), targets.end(), [&](const auto& seen) {
      return seen.first.spec == target.spec && seen.first.element == target.element;
    });
    if (same != targets.end()) {
      const Diagnostic& first = sweep.axis_positions.at(same->second);
      d.message = "the same parameter as " + sweep.spec.axes[same->second].key + " (line " +
                  std::to_string(first.line) + "); vary each parameter once";
      problems.push_back(std::move(d));
      continue;
    }
    targets.emplace_back(target, a);
  }
  return problems;
}

} // namespace skillsim::io
