// The journal of a sweep: finished runs, one record each, appended and synced as they finish,
// beside the results file (NAME.journal). It is what makes a sweep resumable after kill -9 or a
// lost node, and what keeps memory flat: the results file is assembled from it at the end.
//
// A record is self-describing (a run's dimensions and variables with their data, or its failure
// message), so the journal needs nothing from the run to be read, and MPI ranks send records to
// the rank that writes. Layout: a header (magic, format version, the sweep's fingerprint, the
// number of runs), then records (magic, payload length, payload checksum, payload). A record torn
// by a kill fails its length or checksum and is dropped with everything after it. Native byte
// order: a journal is transient, read by the machine type that wrote it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "skillsim/core/results.hpp"

namespace skillsim::io {

/// A finished run: its results, or why it failed.
struct RunRecord {
  std::int64_t run = 0;
  std::optional<Results> results; ///< dimensions and variables (no metadata); empty if it failed
  std::string failure;            ///< the message of a failed run
};

/// Encodes a run's record (the payload MPI ranks send and the journal stores).
std::string encode_run_record(std::int64_t run, const Results* results, const std::string& failure);
/// Decodes a payload made by encode_run_record.
/// @throws Error if the bytes are not a valid record
RunRecord decode_run_record(std::string_view payload);

/// 64-bit FNV-1a, for the fingerprint and the records' checksums.
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash = 0xcbf29ce484222325ULL);

class SweepJournal {
public:
  /// Opens the journal at `path`, creating it if missing. An existing journal must have the same
  /// fingerprint and run count (else ResultsFileError naming the file and what to do); its
  /// complete records are indexed and a torn tail is cut off.
  SweepJournal(std::filesystem::path path, std::uint64_t fingerprint, std::int64_t runs);
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;
  ~SweepJournal();

  /// Whether a journal file is at `path`, and how many complete records it holds (0 if it is
  /// unreadable): for the message that asks for --resume.
  static std::optional<std::int64_t> records_in(const std::filesystem::path& path);

  /// Appends an encoded record and syncs it to disk.
  void append(std::int64_t run, std::string_view payload);
  bool has(std::int64_t run) const { return offsets_.count(run) != 0; }
  std::int64_t size() const { return static_cast<std::int64_t>(offsets_.size()); }
  std::int64_t failed() const { return failed_; }
  /// The record of a run (which must be in the journal).
  RunRecord read(std::int64_t run) const;
  /// Closes and deletes the journal file.
  void remove();

  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t end_ = 0;                         // where the next record goes
  std::map<std::int64_t, std::uint64_t> offsets_; // run -> offset of its record's payload
  std::map<std::int64_t, std::uint64_t> lengths_;
  std::int64_t failed_ = 0;
};

} // namespace skillsim::io
