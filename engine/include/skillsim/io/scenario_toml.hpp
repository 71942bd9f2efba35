// Reading scenarios from TOML: the engine's defaults (data/defaults.toml, embedded at build
// time) overlaid with a scenario file, then with command-line overrides (--set KEY=VALUE).
// Every problem is reported at once, each with file, line, column and key path.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim::io {

/// The embedded text of data/defaults.toml.
std::string_view defaults_toml();

/// The default parameters (data/defaults.toml) alone.
/// @throws ScenarioError if the embedded defaults are incomplete or invalid (a build defect)
Parameters default_parameters();

/// Parses scenario text. `source_name` names the file in messages; `overrides` are
/// "dotted.key=TOML value" strings applied after the file (they may change any key). Every key
/// the text and the overrides leave out keeps its default, so "" with overrides builds a scenario
/// from the defaults (as tests and Scenario.from_dict do).
/// @throws ScenarioError listing every problem (syntax errors with their line, unknown keys with
///         a "did you mean", wrong types, out-of-range values, bad schedules and targets)
Scenario parse_scenario(std::string_view text, const std::string& source_name,
                        const std::vector<std::string>& overrides = {});

/// Parses the text of a scenario file: like parse_scenario, and the scenario must be named and
/// dated, by a [scenario] table with `name` and `start` (or by overrides of scenario.name and
/// scenario.start), so that an empty or mistaken file is not run as the defaults.
/// @throws ScenarioError as parse_scenario, and for a missing [scenario], name or start
Scenario parse_scenario_file(std::string_view text, const std::string& source_name,
                             const std::vector<std::string>& overrides = {});

/// Reads and parses a scenario file (parse_scenario_file).
/// @throws ScenarioError also when the file cannot be read
Scenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

/// Like load_scenario but returns the problems instead of throwing (empty when valid).
std::vector<Diagnostic> validate_scenario_file(const std::filesystem::path& path,
                                               const std::vector<std::string>& overrides = {});

/// A complete TOML text of the scenario: every registered parameter with its value, then the
/// schedule (one entry per month, as it takes effect) and the targets. It reads back to an
/// equal scenario whatever the defaults become. `header` (comment lines) goes first.
std::string scenario_to_toml(const Scenario& scenario, const std::string& header = {});

/// The reference documentation of every parameter (Markdown), generated from the registry and
/// the defaults; docs/scenario-reference.md is this text.
std::string parameter_reference_markdown();

} // namespace skillsim::io
