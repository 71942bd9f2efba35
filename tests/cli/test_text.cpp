// The command line's text: display widths (汉字 take two columns), by which the tables pad.
#include <gtest/gtest.h>

#include "text.hpp"

using skillsim::cli::display_width;

TEST(DisplayWidth, CountsWideCharactersTwice) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("技师"), 4u);
  EXPECT_EQ(display_width("岗位技能提升培训(初级) upgrading_junior"), 16u + 6u + 1u + 16u);
  EXPECT_EQ(display_width("（全角）"), 8u);    // fullwidth parentheses are wide too
  EXPECT_EQ(display_width("é–·"), 3u);         // two-byte and three-byte characters that are narrow
  EXPECT_EQ(display_width("就业率 30%"), 10u); // 3 wide, 4 narrow
}
