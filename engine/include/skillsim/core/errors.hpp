// Typed exceptions: callers (CLI, Python) catch by type and show the message as it is.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace skillsim {

/// Base of every error skillsim throws on purpose.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// One located problem in a scenario: file, line (0 if unknown), key path and message.
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key;
  std::string message;

  /// "file:line:column: key: message" (parts that are unknown are left out).
  std::string to_string() const;
};

/// "N problems" with where they are, for the line after a listing: "2 problems in bad.toml",
/// "1 problem in --set", "3 problems: 2 in bad.toml, 1 in --set" (sources in the listing's order;
/// the sources are the diagnostics' own files, so --set problems are not counted as the file's).
std::string problem_count(const std::vector<Diagnostic>& diagnostics);

/// A scenario (file, dict or --set override) is invalid. Holds every problem found.
class ScenarioError : public Error {
public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
  std::vector<Diagnostic> diagnostics_;
};

/// A results file could not be written or read (path and reason in the message).
class ResultsFileError : public Error {
public:
  using Error::Error;
};

/// Memory ran out; the message says while doing what (synthesis, month M of replicate R) and
/// what to do.
class OutOfMemory : public Error {
public:
  using Error::Error;
};

/// A run was cancelled (Ctrl-C, a signal, or a caller's request).
class Cancelled : public Error {
public:
  Cancelled() : Error("run cancelled") {}
};

} // namespace skillsim
