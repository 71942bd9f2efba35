// iso_date, the one date formatter: the same text as the printf format it replaced.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "skillsim/core/dates.hpp"

using namespace skillsim;

TEST(Dates, FirstOfTheMonth) {
  EXPECT_EQ(iso_date(Month::of(2020, 1)), "2020-01-01");
  EXPECT_EQ(iso_date(Month::of(2021, 12)), "2021-12-01");
  EXPECT_EQ(iso_date(Month::of(2016, 1) + 23), "2017-12-01");
}

TEST(Dates, SameTextAsPrintf) {
  for (int year : {-12, -1, 0, 7, 42, 999, 1000, 1970, 2020, 9999, 10000, 123456})
    for (int month : {1, 9, 10, 12})
      for (int day : {1, 9, 10, 31}) {
        char expected[64];
        std::snprintf(expected, sizeof expected, "%04d-%02d-%02d", year, month, day);
        EXPECT_EQ(iso_date(year, month, day), expected) << year << " " << month << " " << day;
      }
}
