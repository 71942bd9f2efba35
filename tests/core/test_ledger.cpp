// The money ledger: granted = paid + committed + remaining + lapsed, always; no fund goes negative.
#include <gtest/gtest.h>

#include <random>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/ledger.hpp"

using namespace skillsim;

namespace {
Ledger two_funds() { return Ledger({{"skills_upgrading_account", 1000, true}, {"employment_subsidy", 500, false}}); }
} // namespace

TEST(Ledger, CommitPayAndReleaseMoveMoneyBetweenAccounts) {
  Ledger ledger = two_funds();
  ledger.start_year();
  EXPECT_EQ(ledger.fund(0).remaining, 1000);
  ASSERT_TRUE(ledger.commit(0, 600));
  EXPECT_FALSE(ledger.commit(0, 401)) << "only 400 remain";
  EXPECT_EQ(ledger.fund(0).remaining, 400) << "a refused commitment changes nothing";
  ledger.pay(0, 200, 20);
  ledger.release(0, 100);
  EXPECT_EQ(ledger.fund(0).paid, 200);
  EXPECT_EQ(ledger.fund(0).leaked, 20);
  EXPECT_EQ(ledger.fund(0).committed, 300);
  EXPECT_EQ(ledger.fund(0).remaining, 500);
  EXPECT_TRUE(ledger.balanced());
}

TEST(Ledger, UncommittedMoneyLapsesOrCarriesOverAtTheYearEnd) {
  Ledger ledger = two_funds();
  ledger.start_year();
  ASSERT_TRUE(ledger.commit(0, 300));
  ASSERT_TRUE(ledger.commit(1, 100));
  ledger.start_year();
  EXPECT_EQ(ledger.fund(0).remaining, 700 + 1000) << "carried over";
  EXPECT_EQ(ledger.fund(1).remaining, 500) << "400 lapsed";
  EXPECT_EQ(ledger.fund(1).lapsed, 400);
  EXPECT_EQ(ledger.fund(1).committed, 100) << "commitments survive the year end";
  EXPECT_TRUE(ledger.balanced());
}

TEST(Ledger, OverpaymentAndOverreleaseAreErrorsNamingTheFund) {
  Ledger ledger = two_funds();
  ledger.start_year();
  ASSERT_TRUE(ledger.commit(1, 50));
  try {
    ledger.pay(1, 60);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "fund 'employment_subsidy': paying 60 yuan but only 50 are committed");
  }
  EXPECT_THROW(ledger.release(1, 51), Error);
  EXPECT_THROW(ledger.commit(1, -1), Error);
  EXPECT_THROW(Ledger({{"bad", -5, true}}), Error);
  EXPECT_TRUE(ledger.balanced());
}

TEST(Ledger, IdentityHoldsOverRandomOperations) {
  std::mt19937_64 gen(2019); // fixed seed: reproducible sequence of operations
  Ledger ledger = two_funds();
  for (int year = 0; year < 5; ++year) {
    ledger.start_year();
    for (int month = 0; month < 12; ++month) {
      for (int op = 0; op < 20; ++op) {
        const std::size_t f = gen() % 2;
        const auto amount = static_cast<std::int64_t>(gen() % 120);
        switch (gen() % 3) {
        case 0:
          ledger.commit(f, amount);
          break;
        case 1: {
          const std::int64_t pay = std::min(amount, ledger.fund(f).committed);
          ledger.pay(f, pay, pay / 10);
          break;
        }
        default:
          ledger.release(f, std::min(amount, ledger.fund(f).committed));
          break;
        }
        ASSERT_TRUE(ledger.balanced()) << "year " << year << " month " << month;
      }
    }
  }
  EXPECT_EQ(ledger.fund(0).granted, 5000);
  EXPECT_EQ(ledger.fund(1).granted, 2500);
  EXPECT_GT(ledger.fund(0).paid, 0);
}
