// The counter-based streams: pure functions of their key and counter, uniform, independent.
#include <gtest/gtest.h>

#include <array>
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

// The monthly pass's Philox4x32-10 blocks (RandomStreams::monthly4x32).

TEST(Random, MonthlyBlocksAreKeyedOnEveryInput) {
  const std::uint64_t seed = 0x123456789abcdefULL;
  const RandomStreams base(seed, 3);
  const auto block = [](const RandomStreams& r, std::uint32_t stream, std::int32_t month, std::uint32_t agent) {
    return r.monthly4x32(stream, month).block(agent).words;
  };
  const auto reference = block(base, streams::kMonthly, 100, 7);
  EXPECT_EQ(reference, block(RandomStreams(seed, 3), streams::kMonthly, 100, 7));
  EXPECT_NE(reference, block(RandomStreams(seed + 1, 3), streams::kMonthly, 100, 7));            // seed, low word
  EXPECT_NE(reference, block(RandomStreams(seed + (1ULL << 32), 3), streams::kMonthly, 100, 7)); // high word
  EXPECT_NE(reference, block(RandomStreams(seed, 4), streams::kMonthly, 100, 7));                // replicate
  EXPECT_NE(reference, block(base, streams::kMonthlyRare, 100, 7));                              // stream
  EXPECT_NE(reference, block(base, streams::kMonthly, 101, 7));                                  // month
  EXPECT_NE(reference, block(base, streams::kMonthly, 100, 8));                                  // agent
  EXPECT_NE(reference, block(base, streams::kMonthly, 100, 7 + (1u << 31)));
}

TEST(Random, MonthlyBlocksArePhilox4x32WithTheDocumentedLayout) {
  // docs/model.md, "Randomness": key (seed low, seed high), counter (agent id, month, replicate,
  // stream). Pinned, so that a change of layout is deliberate (and the golden summary with it).
  const std::uint64_t seed = 0xfedcba9876543210ULL;
  const r123::Philox4x32::key_type key = {{0x76543210u, 0xfedcba98u}};
  const r123::Philox4x32::ctr_type counter = {{4000000000u, 24215u, 5u, streams::kMonthlyRare}};
  const auto expected = r123::Philox4x32()(counter, key);
  const auto got = RandomStreams(seed, 5).monthly4x32(streams::kMonthlyRare, 24215).block(4000000000u);
  for (int lane = 0; lane < 4; ++lane) EXPECT_EQ(got.words[lane], expected.v[lane]) << "lane " << lane;
  // Random123's known-answer vector for Philox4x32-10 (kat_vectors: counter and key all ones),
  // through the streams' layout: seed, replicate, stream, month and agent all ones.
  const auto kat = RandomStreams(~std::uint64_t{0}, 0xffffffffu).monthly4x32(0xffffffffu, -1).block(0xffffffffu);
  const std::array<std::uint32_t, 4> kat_expected = {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu};
  EXPECT_EQ(kat.words, kat_expected);
}

TEST(Random, MonthlyLanesAreUniformAndUncorrelated) {
  // As LanesAreUniformAndUncorrelated, for the four lanes of both monthly streams, and across the
  // streams (the rare block's lane against the common block's lane of the same agent-month).
  const RandomStreams rng(2024, 0);
  const auto common = rng.monthly4x32(streams::kMonthly, 5), rare = rng.monthly4x32(streams::kMonthlyRare, 5);
  constexpr int kDraws = 200000, kBins = 20;
  const auto u = [](std::uint32_t w) { return (static_cast<double>(w) + 0.5) * 0x1p-32; };
  for (int lane = 0; lane < 4; ++lane) {
    std::vector<int> bins(kBins, 0), rare_bins(kBins, 0);
    double cross = 0, across = 0;
    for (int i = 0; i < kDraws; ++i) {
      const DrawBlock4 d = common.block(static_cast<std::uint32_t>(i)), r = rare.block(static_cast<std::uint32_t>(i));
      ++bins[static_cast<int>(d.uniform(lane) * kBins)];
      ++rare_bins[static_cast<int>(r.uniform(lane) * kBins)];
      cross += (d.uniform(lane) - 0.5) * (d.uniform((lane + 1) % 4) - 0.5);
      across += (d.uniform(lane) - 0.5) * (u(r.words[lane]) - 0.5);
    }
    const double expected = double(kDraws) / kBins;
    double chi2 = 0, rare_chi2 = 0;
    for (int b = 0; b < kBins; ++b) {
      chi2 += (bins[b] - expected) * (bins[b] - expected) / expected;
      rare_chi2 += (rare_bins[b] - expected) * (rare_bins[b] - expected) / expected;
    }
    EXPECT_LT(chi2, 43.8) << "lane " << lane;
    EXPECT_LT(rare_chi2, 43.8) << "rare lane " << lane;
    const double bound = 4 * (1.0 / 12) / std::sqrt(double(kDraws));
    EXPECT_LT(std::abs(cross / kDraws), bound) << "lane " << lane;
    EXPECT_LT(std::abs(across / kDraws), bound) << "lane " << lane;
  }
}

TEST(Random, NestedThresholdsGiveTheSecondEventItsConditionalProbability) {
  constexpr std::uint64_t kOne = std::uint64_t{1} << 32;
  // Exact at the ends, and no overflow when neither event is certain to be excluded.
  EXPECT_EQ(nested_threshold(0, kOne), kOne);
  EXPECT_EQ(nested_threshold(kOne, kOne), kOne);
  EXPECT_EQ(nested_threshold(123456, 0), 123456u);
  EXPECT_EQ(nested_threshold(123456, kOne), kOne);
  EXPECT_EQ(nested_threshold(0, probability_threshold(0.25)), probability_threshold(0.25));
  // P(second | not first) = then: (t2 - first) / (2^32 - first) within 2^-32 / (1 - first).
  const std::uint64_t first = probability_threshold(0.03), then = probability_threshold(0.7);
  const double conditional = double(nested_threshold(first, then) - first) / double(kOne - first);
  EXPECT_NEAR(conditional, 0.7, 2.0 / double(kOne - first));
  // Drawn: the share of words in [first, t2) among those at or above first.
  const RandomStreams rng(7, 0);
  const auto monthly = rng.monthly4x32(streams::kMonthly, 1);
  int rest = 0, second = 0;
  for (std::uint32_t i = 0; i < 200000; ++i) {
    const DrawBlock4 d = monthly.block(i);
    if (d.below(streams::kLabour, first)) continue;
    ++rest;
    second += d.below(streams::kLabour, nested_threshold(first, then));
  }
  EXPECT_NEAR(double(second) / rest, 0.7, 4 * std::sqrt(0.7 * 0.3 / rest));
}

TEST(Random, BatchedMonthlyBlocksAreTheBlocksOneByOne) {
  // The vector path (AVX2, when this processor has it) gives every word of the scalar path.
  const RandomStreams rng(0x9e3779b97f4a7c15ULL, 17);
  const auto monthly = rng.monthly4x32(streams::kMonthly, 24215);
  std::uint32_t ids[kBlockBatch];
  for (int batch = 0; batch < 1000; ++batch) {
    for (int j = 0; j < kBlockBatch; ++j)
      ids[j] = static_cast<std::uint32_t>(batch) * 2654435761u + static_cast<std::uint32_t>(j) * 40503u;
    if (batch == 0) ids[kBlockBatch - 1] = 0xffffffffu;
    BlockBatch fast, slow;
    monthly.blocks(ids, fast);
    monthly.blocks_one_by_one(ids, slow);
    for (int j = 0; j < kBlockBatch; ++j) {
      ASSERT_EQ(fast[j].words, monthly.block(ids[j]).words) << "batch " << batch << ", agent " << j;
      ASSERT_EQ(slow[j].words, monthly.block(ids[j]).words) << "batch " << batch << ", agent " << j;
    }
  }
  RecordProperty("vectorised", monthly.vectorised() ? "yes" : "no");
}
