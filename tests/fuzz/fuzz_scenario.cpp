// libFuzzer target for the scenario reader: arbitrary bytes as a scenario file and as --set
// overrides. The reader may only reject input by throwing skillsim::ScenarioError; any other
// exception escaping, a crash or a sanitizer report is a bug.
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined ... tests/fuzz/fuzz_scenario.cpp
//   ./fuzz_scenario -max_total_time=60 tests/fuzz/corpus
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace {

void parse(std::string_view text, const std::vector<std::string>& overrides) {
  try {
    (void)skillsim::io::parse_scenario(text, "fuzz.toml", overrides);
  } catch (const skillsim::ScenarioError&) {
  }
}

// As a file: also the rule that a file names the scenario, and the reading of syntax errors
// (which looks at the text around the error's column).
void parse_file(std::string_view text) {
  try {
    (void)skillsim::io::parse_scenario_file(text, "fuzz.toml");
  } catch (const skillsim::ScenarioError&) {
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // The bytes as a scenario file.
  parse_file(input);

  // The bytes as one override, verbatim ("key=value" when the fuzzer finds one)...
  parse("", {std::string(input)});

  // ...and as the value of a registry key chosen by the first byte, so that every kind of
  // parameter sees arbitrary values.
  if (size > 0) {
    const auto specs = skillsim::parameter_specs();
    const auto& spec = specs[data[0] % specs.size()];
    parse("", {std::string(spec.key) + "=" + std::string(input.substr(1))});
  }
  return 0;
}
