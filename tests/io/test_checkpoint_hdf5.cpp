// Checkpoint files: a round trip gives equal snapshots and results; the states of the other
// replicates are carried from checkpoint to checkpoint (and from the one branched from); a run
// stopped and continued through the file equals the uninterrupted run; every kind of bad file
// is refused with a message naming the file and what is wrong.
#include "skillsim/io/checkpoint_hdf5.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/version.hpp"
#include "skillsim/io/results_hdf5.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace fs = std::filesystem;

namespace skillsim::io {
namespace {

class CheckpointFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("skillsim_checkpoint_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

const std::vector<std::string> kBusy = {"population.scale=100", "evaluation.capacity_per_month=[[300], [600], [100]]",
                                        "programmes.leakage_share=[0.1, 0.1, 0.1, 0.1]", "audit.share_audited=0.3",
                                        "audit.cost_per_audit=37"};

// The Jincheng plan at scale 100 with queues, leakage and audits: every kind of state.
Scenario busy_scenario() {
  return load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml", kBusy);
}

CheckpointRun run_of(const Scenario& s, std::int64_t replicates) {
  CheckpointRun run;
  run.scenario_source = s.source_name();
  run.scenario_text = s.source_text();
  run.overrides = {"population.scale=100", "audit.cost_per_audit=37"};
  run.replicates = replicates;
  run.seed = 5;
  run.months = s.parameters().scenario.months;
  run.checkpoint_every = 3;
  run.output = "out.h5";
  return run;
}

// Results with distinct values everywhere (counts and reals), for a round trip.
Results numbered_results(const Scenario& s, std::int64_t replicates) {
  Results r = make_results_layout(s, replicates);
  std::int64_t k = 0;
  for (Variable& v : r.variables) {
    for (auto& x : v.data) x = k++;
    for (auto& x : v.real_data) x = 0.5 * static_cast<double>(k++);
  }
  return r;
}

ReplicateSnapshot snapshot_after(const Scenario& s, std::uint32_t replicate, int months) {
  ReplicateState state(s, 5, replicate);
  for (int m = 0; m < months; ++m) state.step();
  return state.snapshot();
}

// Continued from what was read back, the run is the uninterrupted one (three more months).
void expect_continues_alike(const Scenario& s, const ReplicateSnapshot& saved, const ReplicateSnapshot& back) {
  ReplicateState straight(s, saved), resumed(s, back);
  for (int m = 0; m < 3; ++m) {
    straight.step();
    resumed.step();
  }
  EXPECT_TRUE(straight.snapshot() == resumed.snapshot());
}

TEST_F(CheckpointFileTest, RoundTrip) {
  const Scenario s = busy_scenario();
  const ReplicateSnapshot saved = snapshot_after(s, 1, 10);
  ASSERT_GT(saved.training.ledger.fund(0).committed, 0);
  ASSERT_EQ(saved.competitions.winners_due.size(), 1u); // the city's competition
  const Results results = numbered_results(s, 2);
  const CheckpointRun run = run_of(s, 2);
  const fs::path path = dir_ / "c.h5";
  CheckpointWriter writer(path, run);
  writer.write(1, 10, results, saved);
  EXPECT_EQ(writer.written(), 1);
  EXPECT_TRUE(is_checkpoint_file(path));

  const CheckpointInfo info = read_checkpoint_info(path);
  EXPECT_TRUE(info.run == run);
  EXPECT_EQ(info.engine_version, kEngineVersion);
  EXPECT_EQ(info.replicate, 1);
  EXPECT_EQ(info.month, 10);
  EXPECT_EQ(info.months_done, (std::vector<std::int64_t>{-1, 10}));
  EXPECT_FALSE(info.finished());
  EXPECT_TRUE(read_checkpoint_snapshot(path, 1) == saved);
  const Results back = read_checkpoint_results(path);
  test::expect_same_results(back, results);
  EXPECT_EQ(back.dimension("time").size(), results.dimension("time").size());
  EXPECT_NE(describe_checkpoint(info).find("replicate 2 of 2, month 10 of 24"), std::string::npos);
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

// With employer cells (employers.hpp): the `employer` column and the cells' posts go through the file.
TEST_F(CheckpointFileTest, RoundTripWithEmployers) {
  std::vector<std::string> overrides = kBusy;
  for (const char* setting :
       {R"(employers.size_classes=["large", "small"])", R"(employers.labels=["大型企业", "中小企业"])",
        "employers.size_shares=[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]", R"(employers.matching="cobb_douglas")",
        "employers.posts_per_1000=[[0, 0, 0, 0, 0, 0, 0, 5, 1], [0, 0, 0, 0, 0, 0, 0, 1, 0]]"})
    overrides.emplace_back(setting);
  const Scenario s =
      load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml", overrides);
  const ReplicateSnapshot saved = snapshot_after(s, 0, 4);
  ASSERT_FALSE(saved.employers.initial_posts.empty());
  std::size_t with_cell = 0;
  for (std::uint8_t cell : saved.population.employer) with_cell += cell != kNoEmployer;
  ASSERT_GT(with_cell, 0u);
  const fs::path path = dir_ / "c.h5";
  CheckpointWriter writer(path, run_of(s, 1));
  writer.write(0, 4, numbered_results(s, 1), saved);
  const ReplicateSnapshot back = read_checkpoint_snapshot(path, 0);
  EXPECT_TRUE(back == saved);
  expect_continues_alike(s, saved, back);
}

bool has_dataset(const fs::path& path, const std::string& name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0);
  const bool exists = H5Lexists(file, "/replicates", H5P_DEFAULT) > 0 &&
                      H5Lexists(file, "/replicates/0", H5P_DEFAULT) > 0 &&
                      H5Lexists(file, "/replicates/0/population", H5P_DEFAULT) > 0 &&
                      H5Lexists(file, ("/replicates/0/population/" + name).c_str(), H5P_DEFAULT) > 0;
  H5Fclose(file);
  return exists;
}

// Optional columns (population.hpp): a population saved without one (no employers, no cap of
// 以工代训 months) has no dataset for it and reads back without it; one saved with them reads back
// with them; a saved population whose optional columns are not the scenario's is refused with
// the column and the key named.
TEST_F(CheckpointFileTest, OptionalColumnsAreSavedOnlyWhenStored) {
  const Scenario plain = busy_scenario();
  const ReplicateSnapshot without = snapshot_after(plain, 0, 2);
  ASSERT_FALSE(without.population.has(Column::employer)); // (its programmes' columns only)
  ASSERT_TRUE(without.population.has(Column::programme));
  ASSERT_TRUE(without.population.employer.empty());
  const fs::path path = dir_ / "c.h5";
  {
    CheckpointWriter writer(path, run_of(plain, 1));
    writer.write(0, 2, numbered_results(plain, 1), without);
  }
  EXPECT_TRUE(has_dataset(path, "level"));
  EXPECT_TRUE(has_dataset(path, "programme"));
  EXPECT_FALSE(has_dataset(path, "employer"));
  EXPECT_FALSE(has_dataset(path, "subsidised_months"));
  const ReplicateSnapshot back = read_checkpoint_snapshot(path, 0);
  EXPECT_TRUE(back == without);
  EXPECT_EQ(back.population.optional_columns(), without.population.optional_columns());

  // No programme and no evaluator: none of their five columns is saved, and it continues alike;
  // one region: no region column either.
  const Scenario bare = test::small_scenario({}, 20000, 1, 6);
  const ReplicateSnapshot untrained = snapshot_after(bare, 0, 2);
  ASSERT_TRUE(untrained.population.optional_columns().empty());
  const fs::path bare_path = dir_ / "b.h5";
  {
    CheckpointWriter writer(bare_path, run_of(bare, 1));
    writer.write(0, 2, numbered_results(bare, 1), untrained);
  }
  for (const char* column :
       {"programme", "evaluation_wait", "follow_up_programme", "follow_up_months_left", "ui_months", "region"})
    EXPECT_FALSE(has_dataset(bare_path, column)) << column;
  const ReplicateSnapshot bare_back = read_checkpoint_snapshot(bare_path, 0);
  EXPECT_TRUE(bare_back == untrained);
  expect_continues_alike(bare, untrained, bare_back);

  // Two regions: the region column is saved, read back and continued with.
  const Scenario regional = test::small_scenario(
      {R"(population.regions=["east", "west"])", "population.region_shares=[0.3, 0.7]"}, 20000, 1, 6);
  const ReplicateSnapshot two = snapshot_after(regional, 0, 2);
  ASSERT_EQ(two.population.optional_columns(), ColumnSet{}.with(Column::region));
  const fs::path regional_path = dir_ / "r.h5";
  {
    CheckpointWriter writer(regional_path, run_of(regional, 1));
    writer.write(0, 2, numbered_results(regional, 1), two);
  }
  EXPECT_TRUE(has_dataset(regional_path, "region"));
  const ReplicateSnapshot two_back = read_checkpoint_snapshot(regional_path, 0);
  EXPECT_TRUE(two_back == two);
  expect_continues_alike(regional, two, two_back);

  std::vector<std::string> overrides = kBusy;
  for (const char* setting :
       {R"(employers.size_classes=["large", "small"])", R"(employers.labels=["大型企业", "中小企业"])",
        "employers.size_shares=[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]", R"(work_based_training.fund="upgrading_account")",
        "work_based_training.retention_subsidy_per_month=1", "work_based_training.max_months_per_worker=3"})
    overrides.emplace_back(setting);
  const Scenario capped =
      load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml", overrides);
  const ReplicateSnapshot with = snapshot_after(capped, 0, 2);
  ASSERT_TRUE(with.population.has(Column::employer));
  ASSERT_TRUE(with.population.has(Column::subsidised_months));
  std::size_t claimed = 0;
  for (std::uint8_t m : with.population.subsidised_months) claimed += m == 2;
  ASSERT_GT(claimed, 0u) << "kept through both months in an eligible cell";
  const fs::path path2 = dir_ / "d.h5";
  {
    CheckpointWriter writer(path2, run_of(capped, 1));
    writer.write(0, 2, numbered_results(capped, 1), with);
  }
  EXPECT_TRUE(has_dataset(path2, "employer"));
  EXPECT_TRUE(has_dataset(path2, "subsidised_months"));
  const ReplicateSnapshot back2 = read_checkpoint_snapshot(path2, 0);
  EXPECT_TRUE(back2 == with);
  expect_continues_alike(capped, with, back2);

  // Not the scenario's columns: refused, naming the column and the key.
  const auto refusal = [](const Scenario& s, const ReplicateSnapshot& snapshot) -> std::string {
    try {
      const ReplicateState state(s, snapshot);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  const std::string missing = refusal(capped, back);
  EXPECT_NE(missing.find("the saved population lacks the 'employer' column, which this scenario needs "
                         "(employers.size_classes)"),
            std::string::npos)
      << missing;
  EXPECT_NE(missing.find("lacks the 'subsidised_months' column, which this scenario needs "
                         "(work_based_training.max_months_per_worker)"),
            std::string::npos)
      << missing;
  const std::string extra = refusal(plain, back2);
  EXPECT_NE(extra.find("the saved population stores the 'employer' column, which this scenario does not use"),
            std::string::npos)
      << extra;
  const std::string regions = refusal(bare, two_back);
  EXPECT_NE(regions.find("the saved population stores the 'region' column, which this scenario does not use "
                         "(population.regions)"),
            std::string::npos)
      << regions;
}

TEST_F(CheckpointFileTest, OtherReplicatesStatesAreCarriedOn) {
  const Scenario s = busy_scenario();
  const Results results = numbered_results(s, 2);
  const ReplicateSnapshot final0 = snapshot_after(s, 0, 24), month5 = snapshot_after(s, 1, 5);
  const fs::path path = dir_ / "c.h5";
  CheckpointWriter writer(path, run_of(s, 2));
  writer.write(0, 24, results, final0);
  writer.write(1, 5, results, month5);
  CheckpointInfo info = read_checkpoint_info(path);
  EXPECT_EQ(info.months_done, (std::vector<std::int64_t>{24, 5}));
  EXPECT_TRUE(read_checkpoint_snapshot(path, 0) == final0);
  EXPECT_TRUE(read_checkpoint_snapshot(path, 1) == month5);

  // A branch's first checkpoint takes the replicates it has not reached from its origin.
  const fs::path branch = dir_ / "branch.h5";
  const ReplicateSnapshot month7 = snapshot_after(s, 0, 7);
  CheckpointWriter branch_writer(branch, run_of(s, 2), path);
  branch_writer.write(0, 7, results, month7);
  info = read_checkpoint_info(branch);
  EXPECT_EQ(info.months_done, (std::vector<std::int64_t>{7, 5}));
  EXPECT_TRUE(read_checkpoint_snapshot(branch, 0) == month7);
  EXPECT_TRUE(read_checkpoint_snapshot(branch, 1) == month5);
  // A snapshot of another replicate than the position's is refused.
  EXPECT_THROW(branch_writer.write(1, 7, results, month7), CheckpointError);
}

TEST_F(CheckpointFileTest, StoppedAndContinuedThroughTheFileEqualsUninterrupted) {
  const Scenario s = busy_scenario();
  RunOptions options;
  options.replicates = 2;
  options.seed = 5;
  options.threads = 1;
  const Results uninterrupted = run_scenario(s, options);

  const fs::path path = dir_ / "c.h5";
  CheckpointWriter writer(path, run_of(s, 2));
  RunOptions first = options;
  first.checkpoint_every = 3;
  first.checkpoint = [&](const RunCheckpoint& at) {
    if (at.replicate == 1 && at.month == 9) throw Cancelled(); // stopped before saving month 9
    writer.write(at.replicate, static_cast<std::int64_t>(at.month), at.results, at.state); // the live state
  };
  EXPECT_THROW(run_scenario(s, first), Cancelled);
  const CheckpointInfo info = read_checkpoint_info(path);
  EXPECT_EQ(info.months_done, (std::vector<std::int64_t>{24, 6}));

  RunStart start;
  start.results = read_checkpoint_results(path);
  start.months_done = info.months_done;
  start.snapshot = [&](std::int64_t r) { return read_checkpoint_snapshot(path, r); };
  RunOptions second = options;
  second.start = &start;
  second.threads = 2;
  const Results resumed = run_scenario(s, second);
  for (const Variable& v : uninterrupted.variables) {
    EXPECT_EQ(resumed.variable(v.name).data, v.data) << v.name;
    ASSERT_EQ(resumed.variable(v.name).real_data.size(), v.real_data.size()) << v.name;
    for (std::size_t i = 0; i < v.real_data.size(); ++i)
      ASSERT_EQ(std::bit_cast<std::uint64_t>(resumed.variable(v.name).real_data[i]),
                std::bit_cast<std::uint64_t>(v.real_data[i]))
          << v.name;
  }
}

TEST_F(CheckpointFileTest, BranchStoppedAndResumedEqualsUninterrupted) {
  // The origin: the plan's first 12 months (without its targets, which are later).
  const std::string source = std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml";
  std::ifstream in(source);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<std::string> months12 = kBusy;
  months12.emplace_back("scenario.months=12");
  const Scenario longer = busy_scenario(),
                 shorter = parse_scenario_file(text.substr(0, text.find("[[targets]]")), source, months12);
  RunOptions options;
  options.replicates = 2;
  options.seed = 5;
  const fs::path origin = dir_ / "origin.h5", branch = dir_ / "branch.h5";
  CheckpointRun run = run_of(shorter, 2);
  CheckpointWriter origin_writer(origin, run);
  RunOptions first = options;
  first.checkpoint = [&](const RunCheckpoint& at) {
    origin_writer.write(at.replicate, static_cast<std::int64_t>(at.month), at.results, at.state.snapshot());
  };
  run_scenario(shorter, first);
  ASSERT_TRUE(read_checkpoint_info(origin).finished());

  // The branch checkpoints every 5 months and stops after month 20 of replicate 1 (saved at 15):
  // replicate 2's state is still the origin's.
  const auto start_from = [](const fs::path& path) {
    RunStart start;
    start.results = read_checkpoint_results(path);
    start.months_done = read_checkpoint_info(path).months_done;
    start.snapshot = [path](std::int64_t r) { return read_checkpoint_snapshot(path, r); };
    return start;
  };
  const RunStart from_origin = start_from(origin);
  run = run_of(longer, 2);
  run.first_month = 12;
  run.origin = origin.string();
  CheckpointWriter branch_writer(branch, run, origin);
  RunOptions second = options;
  second.start = &from_origin;
  second.checkpoint_every = 5;
  second.checkpoint = [&](const RunCheckpoint& at) {
    if (at.replicate == 0 && at.month == 20) throw Cancelled();
    branch_writer.write(at.replicate, static_cast<std::int64_t>(at.month), at.results, at.state.snapshot());
  };
  EXPECT_THROW(run_scenario(longer, second), Cancelled);
  EXPECT_EQ(read_checkpoint_info(branch).months_done, (std::vector<std::int64_t>{15, 12}));

  const RunStart from_branch = start_from(branch);
  RunOptions third = options;
  third.start = &from_branch;
  third.threads = 2;
  test::expect_same_results(run_scenario(longer, third), run_scenario(longer, options));
}

// ---------------------------------------------------------------------------------------------
// Bad files

// Edits a file with the HDF5 API (as another program, or a damaged disk, might).
void edit(const fs::path& path, const std::function<void(hid_t)>& change) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  change(file);
  H5Fclose(file);
}

void set_string_attribute(hid_t object, const char* name, const std::string& value) {
  H5Adelete(object, name);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attribute = H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  const char* text = value.c_str();
  H5Awrite(attribute, type, &text);
  H5Aclose(attribute);
  H5Sclose(space);
  H5Tclose(type);
}

void set_int_attribute(hid_t object, const char* name, std::int64_t value) {
  H5Adelete(object, name);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attribute = H5Acreate2(object, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(attribute, H5T_NATIVE_INT64, &value);
  H5Aclose(attribute);
  H5Sclose(space);
}

void replace_dataset(hid_t file, const char* path, hid_t type, hsize_t length) {
  H5Ldelete(file, path, H5P_DEFAULT);
  const hid_t space = H5Screate_simple(1, &length, nullptr);
  const hid_t dataset = H5Dcreate2(file, path, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dclose(dataset);
  H5Sclose(space);
}

class BadCheckpointTest : public CheckpointFileTest {
protected:
  void SetUp() override {
    CheckpointFileTest::SetUp();
    static const Scenario s = busy_scenario();
    static const ReplicateSnapshot saved = snapshot_after(s, 0, 2);
    agents_ = saved.population.size();
    path_ = dir_ / "c.h5";
    CheckpointWriter(path_, run_of(s, 2)).write(0, 2, numbered_results(s, 2), saved);
  }

  // The message of reading the snapshot of replicate `replicate` (empty if it reads).
  std::string snapshot_error(std::int64_t replicate = 0) const {
    try {
      read_checkpoint_snapshot(path_, replicate);
    } catch (const CheckpointError& e) {
      return e.what();
    }
    return "";
  }
  std::string info_error() const {
    try {
      read_checkpoint_info(path_);
    } catch (const CheckpointError& e) {
      return e.what();
    }
    return "";
  }

  fs::path path_;
  std::size_t agents_ = 0;
};

TEST_F(BadCheckpointTest, MissingFile) {
  try {
    read_checkpoint_info(dir_ / "nothere.h5");
    FAIL();
  } catch (const CheckpointError& e) {
    EXPECT_EQ(std::string(e.what()), "checkpoint file '" + (dir_ / "nothere.h5").string() + "': no such file");
  }
}

TEST_F(BadCheckpointTest, NotACheckpoint) {
  std::ofstream(dir_ / "text.h5") << "not HDF5\n";
  path_ = dir_ / "text.h5";
  EXPECT_EQ(info_error(), "'" + path_.string() + "' is not an HDF5 file, so not a skillsim checkpoint");

  Results results;
  results.dimensions.push_back(Dimension{"replicate", {0}, {}, {}, {}});
  write_results(results, dir_ / "results.h5", false);
  path_ = dir_ / "results.h5";
  EXPECT_FALSE(is_checkpoint_file(path_));
  EXPECT_NE(info_error().find("'" + path_.string() + "' is a skillsim results file, not a checkpoint"),
            std::string::npos)
      << info_error();
}

TEST_F(BadCheckpointTest, OtherEngineOrFormatVersion) {
  edit(path_, [](hid_t file) { set_string_attribute(file, "engine_version", "0.0.1"); });
  const std::string message = info_error();
  const std::string format = std::to_string(kCheckpointFormatVersion);
  EXPECT_NE(message.find("checkpoint file '" + path_.string() + "': written by skillsim 0.0.1 (checkpoint format " +
                         format + "); this is skillsim " + std::string(kEngineVersion) + " (checkpoint format " +
                         format + ")"),
            std::string::npos)
      << message;
  EXPECT_NE(snapshot_error().find("written by skillsim 0.0.1"), std::string::npos); // every read checks it

  edit(path_, [](hid_t file) {
    set_string_attribute(file, "engine_version", kEngineVersion);
    set_int_attribute(file, "format_version", 99);
  });
  EXPECT_NE(info_error().find("(checkpoint format 99); this is skillsim"), std::string::npos) << info_error();
  // Every earlier format is refused by its number: 1 stored the id, birth month and region in 64,
  // 32 and 16 bits; 2 had no employer column and no employers' state; 3 saved the employer column
  // with or without employers; 4 saved the columns of programmes and evaluation in every scenario.
  for (int earlier = 1; earlier < kCheckpointFormatVersion; ++earlier) {
    edit(path_, [earlier](hid_t file) { set_int_attribute(file, "format_version", earlier); });
    EXPECT_NE(info_error().find("(checkpoint format " + std::to_string(earlier) + "); this is skillsim " +
                                std::string(kEngineVersion) + " (checkpoint format " + format + ")"),
              std::string::npos)
        << info_error();
  }
}

TEST_F(BadCheckpointTest, MissingParts) {
  edit(path_, [](hid_t file) { H5Ldelete(file, "/replicates/0/training/ledger", H5P_DEFAULT); });
  EXPECT_EQ(snapshot_error(),
            "checkpoint file '" + path_.string() + "': dataset '/replicates/0/training/ledger/name' is missing");
  edit(path_, [](hid_t file) { H5Ldelete(file, "/replicates/0/population/level", H5P_DEFAULT); });
  EXPECT_EQ(snapshot_error(),
            "checkpoint file '" + path_.string() + "': dataset '/replicates/0/population/level' is missing");
  edit(path_, [](hid_t file) { H5Adelete(file, "months"); });
  EXPECT_EQ(info_error(), "checkpoint file '" + path_.string() + "': attribute 'months' of '/' is missing");
  EXPECT_EQ(snapshot_error(1), "checkpoint file '" + path_.string() +
                                   "': it holds no state of replicate 2 (group '/replicates/1' is missing)");
}

TEST_F(BadCheckpointTest, WrongShapeOrType) {
  edit(path_, [&](hid_t file) { replace_dataset(file, "/replicates/0/population/sex", H5T_STD_U8LE, agents_ - 1); });
  EXPECT_EQ(snapshot_error(), "checkpoint file '" + path_.string() +
                                  "': dataset '/replicates/0/population/sex' has shape [" +
                                  std::to_string(agents_ - 1) + "], not [" + std::to_string(agents_) + "]");
  edit(path_, [&](hid_t file) {
    replace_dataset(file, "/replicates/0/population/sex", H5T_STD_U8LE, agents_);
    replace_dataset(file, "/replicates/0/population/region", H5T_STD_I64LE, agents_);
  });
  EXPECT_EQ(snapshot_error(), "checkpoint file '" + path_.string() +
                                  "': dataset '/replicates/0/population/region' does not hold 8-bit unsigned integers");
  edit(path_, [](hid_t file) { set_int_attribute(file, "month", 3); });
  EXPECT_NE(info_error().find("is missing or not of month 3"), std::string::npos) << info_error();
}

TEST_F(CheckpointFileTest, PathChecksBeforeARun) {
  const fs::path path = dir_ / "c.h5";
  std::ofstream(path) << "x";
  try {
    check_checkpoint_path(path, false);
    FAIL();
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("exists; use --resume '" + path.string() + "' to continue its run, --force"),
              std::string::npos)
        << e.what();
  }
  EXPECT_NO_THROW(check_checkpoint_path(path, true));
  try {
    check_checkpoint_path(dir_ / "no" / "c.h5", false);
    FAIL();
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist; create it first"), std::string::npos) << e.what();
  }
}

} // namespace
} // namespace skillsim::io
