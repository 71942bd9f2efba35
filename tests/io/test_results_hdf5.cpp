// Results files: round trip, atomic overwrite rules, the checks before a run, temporary files
// left by killed runs, and the error messages for bad files.

#include "skillsim/io/results_hdf5.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <grp.h>
#include <hdf5.h>
#include <limits>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>

#include "skillsim/core/errors.hpp"

namespace fs = std::filesystem;
using skillsim::Dimension;
using skillsim::Results;
using skillsim::ResultsFileError;
using skillsim::Variable;

namespace {

/// A fresh directory per test, removed afterwards.
class ResultsFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("skillsim_results_hdf5_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(dir_, ignored);
  }
  fs::path dir_;
};

Results sample_results() {
  Results r;
  r.metadata.scenario_name = "baseline";
  r.metadata.scenario_source = "scenarios/baseline.toml";
  // Long, with Chinese text: the scenario is stored verbatim, whatever its size.
  std::string scenario = "# 基准情景 baseline scenario\nname = \"baseline\"\n";
  while (scenario.size() < 70000) scenario += "# 职业培训政策 vocational training policy line\n";
  r.metadata.scenario_text = scenario;
  r.metadata.seed = 20240601;
  r.metadata.replicate_seeds = {11, -22, 9223372036854775807LL};
  r.metadata.threads = 8;
  r.metadata.scale = 100;
  r.metadata.engine_version = "0.1.0";
  r.metadata.git_commit = "abcdef123456";
  r.metadata.created = "2025-01-02T03:04:05Z";
  r.metadata.command_line = "skillsim run scenarios/baseline.toml -o out.h5 --seed 20240601";

  Dimension replicate{"replicate", {0, 1, 2}, {}, {}, {}};
  Dimension time{"time",
                 {19723, 19754, 19783, 19814},
                 {},
                 {},
                 {{"units", "days since 1970-01-01"}, {"calendar", "proleptic_gregorian"}, {"long_name", "time"}}};
  Dimension level{
      "level", {}, {"none", "secondary", "tertiary"}, {"无", "中等职业", "高等职业"}, {{"long_name", "skill level"}}};
  Dimension age{"age", {15, 16, 17, 18, 19}, {}, {}, {}};
  r.dimensions = {replicate, time, level, age};

  Variable employed{"employed", {"replicate", "time", "level", "age"}, {}, "persons", "employed persons", false, {}};
  for (std::int64_t i = 0; i < 3 * 4 * 3 * 5; ++i) employed.data.push_back(i * 1000 - 7);
  Variable trainees{"trainees", {"time", "level"}, {}, "persons", "", false, {}};
  for (std::int64_t i = 0; i < 4 * 3; ++i) trainees.data.push_back(i);
  // Large enough to be chunked and compressed although it has only two dimensions.
  Dimension person{"person", {}, {}, {}, {}};
  for (std::int64_t i = 0; i < 3000; ++i) person.int_coords.push_back(i);
  r.dimensions.push_back(person);
  Variable wages{"wages", {"replicate", "person"}, {}, "", "wage", false, {}};
  for (std::int64_t i = 0; i < 3 * 3000; ++i) wages.data.push_back(i % 97);
  // A real-valued variable (rates, target gaps) with an undefined value.
  Variable rate{"pass_rate",
                {"replicate", "level"},
                {},
                "1",
                "share",
                true,
                {0.95, 0.5, 1.0 / 3, -0.0, 1e-300, 2.5, 0.0, 0.25, 0.75}};
  rate.real_data[4] = std::numeric_limits<double>::quiet_NaN();
  r.variables = {employed, trainees, wages, rate};
  return r;
}

void expect_equal(const Results& a, const Results& b) {
  EXPECT_EQ(a.metadata.scenario_name, b.metadata.scenario_name);
  EXPECT_EQ(a.metadata.scenario_source, b.metadata.scenario_source);
  EXPECT_EQ(a.metadata.scenario_text, b.metadata.scenario_text);
  EXPECT_EQ(a.metadata.seed, b.metadata.seed);
  EXPECT_EQ(a.metadata.replicate_seeds, b.metadata.replicate_seeds);
  EXPECT_EQ(a.metadata.threads, b.metadata.threads);
  EXPECT_EQ(a.metadata.scale, b.metadata.scale);
  EXPECT_EQ(a.metadata.engine_version, b.metadata.engine_version);
  EXPECT_EQ(a.metadata.git_commit, b.metadata.git_commit);
  EXPECT_EQ(a.metadata.created, b.metadata.created);
  EXPECT_EQ(a.metadata.command_line, b.metadata.command_line);
  ASSERT_EQ(a.dimensions.size(), b.dimensions.size());
  for (std::size_t i = 0; i < a.dimensions.size(); ++i) {
    SCOPED_TRACE(a.dimensions[i].name);
    EXPECT_EQ(a.dimensions[i].name, b.dimensions[i].name);
    EXPECT_EQ(a.dimensions[i].int_coords, b.dimensions[i].int_coords);
    EXPECT_EQ(a.dimensions[i].labels, b.dimensions[i].labels);
    EXPECT_EQ(a.dimensions[i].labels_zh, b.dimensions[i].labels_zh);
    EXPECT_EQ(a.dimensions[i].attributes, b.dimensions[i].attributes);
  }
  ASSERT_EQ(a.variables.size(), b.variables.size());
  for (std::size_t i = 0; i < a.variables.size(); ++i) {
    SCOPED_TRACE(a.variables[i].name);
    EXPECT_EQ(a.variables[i].name, b.variables[i].name);
    EXPECT_EQ(a.variables[i].dims, b.variables[i].dims);
    EXPECT_EQ(a.variables[i].data, b.variables[i].data);
    EXPECT_EQ(a.variables[i].is_real, b.variables[i].is_real);
    ASSERT_EQ(a.variables[i].real_data.size(), b.variables[i].real_data.size());
    for (std::size_t k = 0; k < a.variables[i].real_data.size(); ++k) // bit for bit, NaN included
      EXPECT_EQ(std::bit_cast<std::uint64_t>(a.variables[i].real_data[k]),
                std::bit_cast<std::uint64_t>(b.variables[i].real_data[k]));
    EXPECT_EQ(a.variables[i].units, b.variables[i].units);
    EXPECT_EQ(a.variables[i].long_name, b.variables[i].long_name);
  }
}

/// Runs `action`, expects a ResultsFileError, and returns its message.
template <class Action>
std::string error_message(Action action) {
  try {
    action();
  } catch (const ResultsFileError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a ResultsFileError";
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path().filename());
  return files;
}

/// The id of a process that has ended (a child that exited at once and was reaped).
long finished_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

/// error_message(action), run as the user nobody (65534) when the test runs as root, for whom
/// permission bits are not enforced: in a child process that drops its privileges and sends the
/// message back through a pipe. std::nullopt if the privileges cannot be dropped.
std::optional<std::string> error_message_unprivileged(const std::function<void()>& action) {
  if (::geteuid() != 0) return error_message(action);
  int fds[2];
  if (::pipe(fds) != 0) return std::nullopt;
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    std::string message = "expected a ResultsFileError";
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) {
      ::_exit(2);
    }
    try {
      action();
    } catch (const ResultsFileError& error) {
      message = error.what();
    }
    const bool sent = ::write(fds[1], message.data(), message.size()) == static_cast<ssize_t>(message.size());
    ::_exit(sent ? 0 : 1);
  }
  ::close(fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) message.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 2) return std::nullopt;
  return message;
}

const std::string kHex = "0123456789ab"; // the random part of a temporary name

/// Rewrites the file's schema_version attribute with the HDF5 API.
void set_schema_version(const fs::path& path, int version) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  ASSERT_GE(H5Adelete(file, "schema_version"), 0);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attribute = H5Acreate2(file, "schema_version", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(attribute, 0);
  EXPECT_GE(H5Awrite(attribute, H5T_NATIVE_INT, &version), 0);
  H5Aclose(attribute);
  H5Sclose(space);
  EXPECT_GE(H5Fclose(file), 0);
}

TEST_F(ResultsFileTest, RoundTripsEverything) {
  const Results original = sample_results();
  const fs::path path = dir_ / "out.h5";
  skillsim::io::write_results(original, path, false);
  ASSERT_TRUE(fs::exists(path));
  expect_equal(original, skillsim::io::read_results(path));
}

TEST_F(ResultsFileTest, RoundTripsEdgeCases) {
  Results r;
  r.metadata.scale = 1;
  Dimension empty{"empty", {}, {}, {}, {}};
  Dimension single{"single", {}, {"only"}, {"唯一"}, {}};
  r.dimensions = {empty, single};
  r.variables = {Variable{"nothing", {"empty", "single"}, {}, "", "", false, {}},
                 Variable{"total", {}, {42}, "persons", "", false, {}}};
  const fs::path path = dir_ / "edge.h5";
  skillsim::io::write_results(r, path, false);
  expect_equal(r, skillsim::io::read_results(path));
}

TEST_F(ResultsFileTest, WritesNetcdfLayout) {
  const fs::path path = dir_ / "layout.h5";
  skillsim::io::write_results(sample_results(), path, false);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  EXPECT_GT(H5Aexists(file, "Conventions"), 0);
  const hid_t level_zh = H5Dopen2(file, "level_zh", H5P_DEFAULT);
  ASSERT_GE(level_zh, 0);
  EXPECT_GT(H5Aexists(level_zh, "DIMENSION_LIST"), 0);
  H5Dclose(level_zh);
  const hid_t employed = H5Dopen2(file, "employed", H5P_DEFAULT);
  ASSERT_GE(employed, 0);
  EXPECT_GT(H5Aexists(employed, "coordinates"), 0);
  const hid_t plist = H5Dget_create_plist(employed);
  EXPECT_EQ(H5Pget_layout(plist), H5D_CHUNKED);
  EXPECT_GT(H5Pget_nfilters(plist), 0);
  H5Pclose(plist);
  H5Dclose(employed);
  const hid_t trainees = H5Dopen2(file, "trainees", H5P_DEFAULT);
  EXPECT_EQ(H5Aexists(trainees, "long_name"), 0); // empty long_name is omitted
  const hid_t small_plist = H5Dget_create_plist(trainees);
  EXPECT_EQ(H5Pget_layout(small_plist), H5D_CONTIGUOUS);
  H5Pclose(small_plist);
  H5Dclose(trainees);
  const hid_t wages = H5Dopen2(file, "wages", H5P_DEFAULT);
  const hid_t wages_plist = H5Dget_create_plist(wages);
  EXPECT_EQ(H5Pget_layout(wages_plist), H5D_CHUNKED);
  H5Pclose(wages_plist);
  H5Dclose(wages);
  EXPECT_EQ(H5Fget_obj_count(file, H5F_OBJ_ALL), 1); // only the file itself: the writer left nothing open
  H5Fclose(file);
  EXPECT_EQ(H5Fget_obj_count(static_cast<hid_t>(H5F_OBJ_ALL), H5F_OBJ_ALL), 0);
}

TEST_F(ResultsFileTest, RefusesToOverwriteWithoutFlag) {
  const fs::path path = dir_ / "out.h5";
  { std::ofstream(path) << "precious"; }
  const std::string message = error_message([&] { skillsim::io::write_results(sample_results(), path, false); });
  EXPECT_TRUE(contains(message, path.string())) << message;
  EXPECT_TRUE(contains(message, "exists; use --force to overwrite")) << message;
  std::ifstream in(path);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
  EXPECT_EQ(files_in(dir_).size(), 1u);
}

TEST_F(ResultsFileTest, OverwritesWithFlag) {
  const fs::path path = dir_ / "out.h5";
  Results first = sample_results();
  skillsim::io::write_results(first, path, false);
  Results second = sample_results();
  second.metadata.seed = 7;
  second.variables.pop_back();
  second.variables[0].data[0] = 123456;
  skillsim::io::write_results(second, path, true);
  expect_equal(second, skillsim::io::read_results(path));
}

TEST_F(ResultsFileTest, LeavesNoTemporaryFile) {
  const fs::path path = dir_ / "out.h5";
  skillsim::io::write_results(sample_results(), path, false);
  skillsim::io::write_results(sample_results(), path, true);
  EXPECT_EQ(files_in(dir_), std::vector<fs::path>{"out.h5"});
}

TEST_F(ResultsFileTest, InvalidResultsLeaveNoFile) {
  Results r = sample_results();
  r.variables[0].data.pop_back();
  const fs::path path = dir_ / "out.h5";
  const std::string message = error_message([&] { skillsim::io::write_results(r, path, false); });
  EXPECT_TRUE(contains(message, path.string())) << message;
  EXPECT_TRUE(contains(message, "employed")) << message;
  EXPECT_TRUE(files_in(dir_).empty());
}

TEST_F(ResultsFileTest, MissingDirectory) {
  const fs::path path = dir_ / "no" / "such" / "out.h5";
  const std::string message = error_message([&] { skillsim::io::write_results(sample_results(), path, false); });
  EXPECT_TRUE(contains(message, path.string())) << message;
  EXPECT_TRUE(contains(message, "does not exist")) << message;
}

TEST_F(ResultsFileTest, ParentIsAFile) {
  { std::ofstream(dir_ / "file") << "x"; }
  const fs::path path = dir_ / "file" / "out.h5";
  const std::string message = error_message([&] { skillsim::io::write_results(sample_results(), path, false); });
  EXPECT_TRUE(contains(message, path.string())) << message;
  EXPECT_TRUE(contains(message, "is not a directory")) << message;
}

// Runs as root too (root ignores permission bits): a directory on the way is a regular file, so
// no file can be made there. Both the check before a run and the writer refuse, name the part
// that is a file, and leave nothing.
TEST_F(ResultsFileTest, UnwritableDirectory) {
  { std::ofstream(dir_ / "file") << "x"; }
  const fs::path path = dir_ / "file" / "sub" / "out.h5";
  for (const std::string& message :
       {error_message([&] { skillsim::io::check_results_path(path, false); }),
        error_message([&] { skillsim::io::write_results(sample_results(), path, false); })}) {
    EXPECT_TRUE(contains(message, "cannot write results file '" + path.string() + "'")) << message;
    EXPECT_TRUE(contains(message, "'" + (dir_ / "file").string() + "' is not a directory; choose another path"))
        << message;
  }
  EXPECT_EQ(files_in(dir_), std::vector<fs::path>{"file"});
}

// The OS refuses to create the file, whoever runs the test: the temporary name is too long.
TEST_F(ResultsFileTest, DirectoryRefusesTheFile) {
  const fs::path path = dir_ / (std::string(250, 'x') + ".h5");
  for (const std::string& message :
       {error_message([&] { skillsim::io::check_results_path(path, false); }),
        error_message([&] { skillsim::io::write_results(sample_results(), path, false); })}) {
    EXPECT_TRUE(contains(message, "cannot create a file in directory '" + dir_.string() + "'")) << message;
    EXPECT_TRUE(contains(message, "File name too long")) << message;
    EXPECT_TRUE(contains(message, "choose a shorter file name")) << message;
  }
  EXPECT_TRUE(files_in(dir_).empty());
}

// Permission bits, which root ignores: as root, checked by the user nobody in a child process.
TEST_F(ResultsFileTest, UnwritableDirectoryByPermissions) {
  const fs::path locked = dir_ / "locked";
  fs::create_directory(locked);
  // Readable and searchable by all (nobody must reach it), writable by none.
  fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                              fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  const fs::path path = locked / "out.h5";
  for (const auto& message :
       {error_message_unprivileged([&] { skillsim::io::check_results_path(path, false); }),
        error_message_unprivileged([&] { skillsim::io::write_results(sample_results(), path, false); })}) {
    if (!message) GTEST_SKIP() << "running as root without the right to become another user";
    EXPECT_TRUE(contains(*message, path.string())) << *message;
    EXPECT_TRUE(contains(*message, "Permission denied")) << *message;
    EXPECT_TRUE(contains(*message, "choose a directory you can write to")) << *message;
  }
  fs::permissions(locked, fs::perms::owner_all);
  EXPECT_TRUE(files_in(locked).empty());
}

TEST_F(ResultsFileTest, ChecksThePathBeforeARun) {
  const fs::path path = dir_ / "out.h5";
  skillsim::io::check_results_path(path, false);
  EXPECT_TRUE(files_in(dir_).empty()) << "the probe file is removed";
  skillsim::io::write_results(sample_results(), path, false);
  const std::string exists = error_message([&] { skillsim::io::check_results_path(path, false); });
  EXPECT_TRUE(contains(exists, "exists; use --force")) << exists;
  skillsim::io::check_results_path(path, true);
  EXPECT_EQ(files_in(dir_), std::vector<fs::path>{"out.h5"});
  const fs::path missing = dir_ / "no" / "such" / "out.h5";
  const std::string message = error_message([&] { skillsim::io::check_results_path(missing, false); });
  EXPECT_TRUE(contains(message, "directory '" + (dir_ / "no" / "such").string() + "' does not exist")) << message;
  EXPECT_TRUE(contains(message, "mkdir -p")) << message;
}

TEST_F(ResultsFileTest, RecognisesTemporaryFiles) {
  using skillsim::io::temporary_results_file;
  const auto mine = temporary_results_file(dir_ / ("out.h5.tmp-" + std::to_string(::getpid()) + "-" + kHex));
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->pid, ::getpid());
  EXPECT_TRUE(mine->running);
  const long gone = finished_pid();
  const auto orphan = temporary_results_file("out.h5.tmp-" + std::to_string(gone) + "-" + kHex);
  ASSERT_TRUE(orphan.has_value());
  EXPECT_EQ(orphan->pid, gone);
  EXPECT_FALSE(orphan->running);
  // Not named as write_results names them: not a temporary file (never removed).
  for (const char* name :
       {"out.h5", "out.h5.tmp-123-0123456789a", "out.h5.tmp-123-0123456789abc", "out.h5.tmp-123-0123456789AB",
        "out.h5.tmp--0123456789ab", "out.h5.tmp-0-0123456789ab", "out.h5.tmp-99999999999-0123456789ab",
        ".tmp-123-0123456789ab", "out.h5.tmp-12x-0123456789ab"})
    EXPECT_FALSE(temporary_results_file(name).has_value()) << name;
}

// A run killed while writing (kill -9) leaves NAME.tmp-PID-HEX; the next run removes it, but not
// the temporary file of a process still running, nor other files.
TEST_F(ResultsFileTest, RemovesOrphanedTemporariesOnly) {
  const std::string dead = "out.h5.tmp-" + std::to_string(finished_pid()) + "-" + kHex;
  const std::string live = "out.h5.tmp-" + std::to_string(::getpid()) + "-" + kHex;
  const std::string other = "other.h5.tmp-" + std::to_string(finished_pid()) + "-" + kHex;
  for (const auto& name : {dead, live, other, std::string("out.h5.tmp-notes")}) std::ofstream(dir_ / name) << "x";
  const auto removed = skillsim::io::remove_orphaned_temporaries(dir_ / "out.h5");
  ASSERT_EQ(removed.size(), 1U);
  EXPECT_EQ(removed[0].path, dir_ / dead);
  EXPECT_FALSE(fs::exists(dir_ / dead));
  for (const auto& name : {live, other, std::string("out.h5.tmp-notes")}) EXPECT_TRUE(fs::exists(dir_ / name)) << name;
  EXPECT_TRUE(skillsim::io::remove_orphaned_temporaries(dir_ / "missing" / "out.h5").empty());
}

TEST_F(ResultsFileTest, ReadingATemporaryFileExplains) {
  skillsim::io::write_results(sample_results(), dir_ / "out.h5", false);
  const fs::path dead = dir_ / ("out.h5.tmp-" + std::to_string(finished_pid()) + "-" + kHex);
  const fs::path live = dir_ / ("out.h5.tmp-" + std::to_string(::getpid()) + "-" + kHex);
  fs::copy_file(dir_ / "out.h5", dead); // even a complete copy: the name says it was never finished
  { std::ofstream(live) << ""; }
  const std::string gone = error_message([&] { skillsim::io::read_results(dead); });
  EXPECT_TRUE(contains(gone, "'" + dead.string() + "' is an unfinished results file left by process ")) << gone;
  EXPECT_TRUE(contains(gone, "which is no longer running; it is not a valid results file")) << gone;
  const std::string running = error_message([&] { skillsim::io::read_results(live); });
  EXPECT_TRUE(contains(running, "which is still running; it is not a valid results file")) << running;
}

TEST_F(ResultsFileTest, MissingFile) {
  const fs::path path = dir_ / "missing.h5";
  const std::string message = error_message([&] { skillsim::io::read_results(path); });
  EXPECT_TRUE(contains(message, path.string())) << message;
  EXPECT_TRUE(contains(message, "no such file")) << message;
}

TEST_F(ResultsFileTest, NotHdf5) {
  const fs::path path = dir_ / "notes.h5";
  { std::ofstream(path) << "this is plain text\n"; }
  const std::string message = error_message([&] { skillsim::io::read_results(path); });
  EXPECT_TRUE(contains(message, path.string())) << message;
  EXPECT_TRUE(contains(message, "is not an HDF5 file")) << message;
}

TEST_F(ResultsFileTest, HdfFileThatIsNotOurs) {
  const fs::path path = dir_ / "other.h5";
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  H5Fclose(file);
  const std::string message = error_message([&] { skillsim::io::read_results(path); });
  EXPECT_TRUE(contains(message, path.string())) << message;
  EXPECT_TRUE(contains(message, "is not a skillsim results file")) << message;
}

TEST_F(ResultsFileTest, WrongSchemaVersion) {
  const fs::path path = dir_ / "future.h5";
  skillsim::io::write_results(sample_results(), path, false);
  set_schema_version(path, 2);
  const std::string message = error_message([&] { skillsim::io::read_results(path); });
  EXPECT_TRUE(contains(message, path.string())) << message;
  EXPECT_TRUE(contains(message, "written with results schema version 2; this engine reads version 1")) << message;
}

TEST_F(ResultsFileTest, DescribesResults) {
  const std::string text = skillsim::io::describe_results(sample_results());
  for (const char* part : {"baseline", "scenarios/baseline.toml", "0.1.0", "abcdef123456", "2025-01-02T03:04:05Z",
                           "20240601", "11, -22", "Threads:         8", "Scale:           100", "time",
                           "2024-01-01 .. 2024-04-01", "size 4", "none (无) .. tertiary (高等职业)", "employed",
                           "(replicate, time, level, age)", "3x4x3x5", "[persons]", "employed persons"}) {
    EXPECT_TRUE(contains(text, part)) << "missing '" << part << "' in:\n" << text;
  }
}

} // namespace
