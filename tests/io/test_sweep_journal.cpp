// A sweep's journal and results file: records round trip, a torn or damaged tail is cut off, a
// journal of another sweep or no journal at all is refused with a message, and the sweep file
// written run by run (out of order, with a failed run) reads back as the runs were.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "skillsim/core/errors.hpp"
#include "skillsim/io/results_hdf5.hpp"
#include "sweep_journal.hpp"

namespace fs = std::filesystem;
using namespace skillsim;
using namespace skillsim::io;

namespace {

class SweepJournalTest : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("skillsim_sweep_journal_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// A run's results: replicate x time counts and a real rate, with value `v` everywhere it varies.
Results run_results(std::int64_t v) {
  Results r;
  r.dimensions.push_back({"replicate", {0, 1}, {}, {}, {}});
  r.dimensions.push_back({"level", {}, {"junior", "senior"}, {"初级工", "高级工"}, {{"long_name", "level"}}});
  Variable counts{"workers", {"replicate", "level"}, {v, v + 1, v + 2, v + 3}, "persons", "persons", false, {}};
  Variable rate{"rate", {"level"}, {}, "1", "a rate", true, {0.5 * static_cast<double>(v), std::nan("")}};
  r.variables = {counts, rate};
  return r;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_F(SweepJournalTest, RecordsRoundTripWithTheirDimensionsAndFailures) {
  const Results r = run_results(7);
  const RunRecord ok = decode_run_record(encode_run_record(3, &r, {}));
  EXPECT_EQ(ok.run, 3);
  ASSERT_TRUE(ok.results);
  EXPECT_EQ(ok.results->dimension("level").labels_zh, r.dimension("level").labels_zh);
  EXPECT_EQ(ok.results->dimension("level").attributes, r.dimension("level").attributes);
  EXPECT_EQ(ok.results->variable("workers").data, r.variable("workers").data);
  EXPECT_EQ(ok.results->variable("rate").real_data[0], 3.5);
  EXPECT_TRUE(std::isnan(ok.results->variable("rate").real_data[1]));

  const RunRecord failed = decode_run_record(encode_run_record(4, nullptr, "out of memory"));
  EXPECT_FALSE(failed.results);
  EXPECT_EQ(failed.failure, "out of memory");

  std::string cut = encode_run_record(3, &r, {});
  cut.resize(cut.size() - 5);
  EXPECT_THROW(decode_run_record(cut), Error);
}

TEST_F(SweepJournalTest, KeepsCompleteRecordsAndCutsATornTail) {
  const fs::path path = dir_ / "s.h5.journal";
  const Results r0 = run_results(1), r2 = run_results(5);
  {
    SweepJournal j(path, 42, 4);
    j.append(0, encode_run_record(0, &r0, {}));
    j.append(2, encode_run_record(2, &r2, {}));
    j.append(1, encode_run_record(1, nullptr, "refused"));
  }
  const auto complete = fs::file_size(path);
  { // a kill in the middle of the next record
    std::ofstream(path, std::ios::app | std::ios::binary) << std::string("SRUN\x40\0\0\0", 8) << "torn";
  }
  EXPECT_EQ(SweepJournal::records_in(path), 3);
  SweepJournal j(path, 42, 4);
  EXPECT_EQ(j.size(), 3);
  EXPECT_EQ(j.failed(), 1);
  EXPECT_TRUE(j.has(0) && j.has(1) && j.has(2) && !j.has(3));
  EXPECT_EQ(fs::file_size(path), complete); // the torn tail is gone
  EXPECT_EQ(j.read(2).results->variable("workers").data, r2.variable("workers").data);
  EXPECT_EQ(j.read(1).failure, "refused");
  j.append(3, encode_run_record(3, &r0, {}));
  EXPECT_EQ(j.size(), 4);
  j.remove();
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(SweepJournal::records_in(path));
}

TEST_F(SweepJournalTest, ADamagedRecordEndsTheJournalThere) {
  const fs::path path = dir_ / "s.h5.journal";
  const Results r = run_results(1);
  {
    SweepJournal j(path, 42, 3);
    j.append(0, encode_run_record(0, &r, {}));
    j.append(1, encode_run_record(1, &r, {}));
  }
  const auto size = fs::file_size(path);
  { // flip a byte in the last record's payload: its checksum fails
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size) - 3);
    f.put('\x7f');
  }
  SweepJournal j(path, 42, 3);
  EXPECT_EQ(j.size(), 1);
  EXPECT_TRUE(j.has(0));
  EXPECT_FALSE(j.has(1)); // run again on resume
}

TEST_F(SweepJournalTest, AnotherSweepsJournalOrAnotherFileIsRefused) {
  const fs::path path = dir_ / "s.h5.journal";
  { SweepJournal j(path, 42, 3); }
  EXPECT_NE(message_of([&] { SweepJournal j(path, 43, 3); }).find("belongs to another sweep"), std::string::npos);
  EXPECT_NE(message_of([&] { SweepJournal j(path, 42, 4); }).find("belongs to another sweep"), std::string::npos);
  const fs::path other = dir_ / "notes.journal";
  std::ofstream(other) << "some notes that are long enough to look like a header";
  const std::string message = message_of([&] { SweepJournal j(other, 42, 3); });
  EXPECT_NE(message.find("is not a skillsim sweep journal"), std::string::npos) << message;
  EXPECT_NE(message.find(other.string()), std::string::npos) << message;
}

TEST_F(SweepJournalTest, SweepFileWrittenRunByRunReadsBackAsTheRuns) {
  const fs::path path = dir_ / "sweep.h5";
  Results layout = run_results(0);
  layout.metadata.scenario_name = "test";
  layout.metadata.attributes["sweep"] = "[sweep]\nbase = \"x\"";
  {
    SweepResultsWriter writer(layout, {{"labour.job_find_multiplier", {0.8, 1.0, 1.2}}}, 3, path, false);
    writer.write_run(2, run_results(20)); // out of order
    writer.write_failure(1, "a value was refused");
    writer.write_run(0, run_results(10));
    EXPECT_FALSE(fs::exists(path)); // only renamed onto the name when complete
    writer.commit();
  }
  const Results back = read_results(path);
  EXPECT_EQ(back.dimensions.front().name, "scenario");
  EXPECT_EQ(back.metadata.attributes.at("sweep"), "[sweep]\nbase = \"x\"");
  EXPECT_EQ(back.metadata.attributes.at("failed_runs"), "scenario 1: a value was refused\n");
  EXPECT_EQ(back.variable("labour.job_find_multiplier").real_data, (std::vector<double>{0.8, 1.0, 1.2}));
  EXPECT_EQ(back.variable("run_failed").data, (std::vector<std::int64_t>{0, 1, 0}));
  const Variable& w = back.variable("workers");
  EXPECT_EQ(w.dims, (std::vector<std::string>{"scenario", "replicate", "level"}));
  EXPECT_EQ(std::vector<std::int64_t>(w.data.begin(), w.data.begin() + 4), run_results(10).variable("workers").data);
  EXPECT_EQ(std::vector<std::int64_t>(w.data.begin() + 8, w.data.end()), run_results(20).variable("workers").data);
  EXPECT_EQ(w.data[4], -9223372036854775806LL); // the failed run: netCDF's fill value
  EXPECT_TRUE(std::isnan(back.variable("rate").real_data[2]));

  // A run that does not fit the layout is refused with its name.
  SweepResultsWriter writer(layout, {}, 2, dir_ / "other.h5", false);
  Results wrong = run_results(1);
  wrong.variables[0].name = "jobs";
  const std::string message = message_of([&] { writer.write_run(1, wrong); });
  EXPECT_NE(message.find("run 2 of 2: variable 'jobs' does not match the first run's 'workers'"), std::string::npos)
      << message;
}

} // namespace
