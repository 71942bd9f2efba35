// The counter-based streams: pure functions of their key and counter, uniform, independent.
#include <gtest/gtest.h>

#include <cmath>

#include "skillsim/core/random.hpp"

using namespace skillsim;

TEST(Random, SameKeyAndCounterGiveTheSameBlock) {
  const RandomStreams a(42, 3), b(42, 3);
  EXPECT_EQ(a.block(streams::kMonthly, 100, 7).words, b.block(streams::kMonthly, 100, 7).words);
}

TEST(Random, EveryKeyAndCounterComponentChangesTheBlock) {
  const RandomStreams base(42, 3);
  const auto reference = base.block(streams::kMonthly, 100, 7).words;
  EXPECT_NE(reference, RandomStreams(43, 3).block(streams::kMonthly, 100, 7).words);
  EXPECT_NE(reference, RandomStreams(42, 4).block(streams::kMonthly, 100, 7).words);
  EXPECT_NE(reference, base.block(streams::kEntry, 100, 7).words);
  EXPECT_NE(reference, base.block(streams::kMonthly, 101, 7).words);
  EXPECT_NE(reference, base.block(streams::kMonthly, 100, 8).words);
}

TEST(Random, StreamIdsAreStableHashesOfTheirNames) {
  // FNV-1a of "a" is 0xe40c292c: a stream's numbers must not change between versions.
  EXPECT_EQ(stream_id("a"), 0xe40c292cu);
  EXPECT_NE(streams::kMonthly, streams::kEntry);
}

TEST(Random, ProbabilityThresholdsAreExactAtTheEnds) {
  EXPECT_EQ(probability_threshold(0.0), 0u);
  EXPECT_EQ(probability_threshold(-0.5), 0u);
  EXPECT_EQ(probability_threshold(1.0), std::uint64_t{1} << 32);
  DrawBlock all_ones;
  all_ones.words.fill(0xFFFFFFFFu);
  EXPECT_TRUE(all_ones.below(0, probability_threshold(1.0)));
  EXPECT_FALSE(all_ones.below(0, probability_threshold(0.999)));
}

TEST(Random, LanesAreUniformAndUncorrelated) {
  // Chi-square over 20 bins per lane; 99.9% critical value for 19 degrees of freedom is 43.8.
  const RandomStreams rng(2024, 0);
  constexpr int kDraws = 200000, kBins = 20;
  for (int lane = 0; lane < 8; ++lane) {
    std::vector<int> bins(kBins, 0);
    double cross = 0; // mean of (u_lane - 1/2)(u_next - 1/2): 0 for independent lanes
    for (int i = 0; i < kDraws; ++i) {
      const DrawBlock d = rng.block(streams::kMonthly, 5, static_cast<std::uint64_t>(i));
      ++bins[static_cast<int>(d.uniform(lane) * kBins)];
      cross += (d.uniform(lane) - 0.5) * (d.uniform((lane + 1) % 8) - 0.5);
    }
    double chi2 = 0;
    const double expected = double(kDraws) / kBins;
    for (int b : bins) chi2 += (b - expected) * (b - expected) / expected;
    EXPECT_LT(chi2, 43.8) << "lane " << lane;
    // Standard error of the mean product is (1/12)/sqrt(n); allow 4 of them.
    EXPECT_LT(std::abs(cross / kDraws), 4 * (1.0 / 12) / std::sqrt(double(kDraws))) << "lane " << lane;
  }
}
