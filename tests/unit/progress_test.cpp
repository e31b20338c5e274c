// patronctl's progress line: counts grouped, the rate, the time left, a bar fitted to the terminal.
#include "apps/patronctl/progress.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace patron::apps {
namespace {

using std::chrono::duration;

TEST(Progress, ALineShowsTheBarTheCountsTheRateAndTheTimeLeft) {
    EXPECT_EQ(progress_line("verify", "members", 4210, 10000, duration<double>(5.0), 100),
              "verify  [################------------------------]  4,210/10,000 members  842/s  0:07 left");
    EXPECT_EQ(progress_line("expire", "members", 0, 1'500'000, duration<double>(0.0), 60).substr(0, 9), "expire  [");
    EXPECT_EQ(progress_line("import", "rows", 2000, 2000, duration<double>(65.0), 80),
              "import  [########################################]  2,000/2,000 rows  31/s  1:05");
}

TEST(Progress, AnUnknownTotalHasNoBarAndNoTimeLeft) {
    EXPECT_EQ(progress_line("rewrap", "keys", 1234567, 0, duration<double>(10.0), 80),
              "rewrap  1,234,567 keys  123,457/s");
}

TEST(Progress, NothingCountedYetShowsTheTimeSoFar) {
    EXPECT_EQ(progress_line("backup: preparing the copy", "MB", 0, 0, duration<double>(72.0), 80),
              "backup: preparing the copy  1:12");
}

TEST(Progress, MoreDoneThanTheTotalFillsTheBarAndNoMore) {
    EXPECT_EQ(progress_line("backup", "MB", 130, 100, duration<double>(10.0), 60),
              "backup  [##########################]  130/100 MB  13/s  0:10");
}

TEST(Progress, ANarrowTerminalDropsTheBarThenCutsTheLine) {
    EXPECT_EQ(progress_line("verify", "members", 50, 100, duration<double>(1.0), 50),
              "verify  50/100 members  50/s  0:01 left");
    EXPECT_EQ(progress_line("verify", "members", 50, 100, duration<double>(1.0), 20).size(), 20u);
    EXPECT_EQ(progress_line("insight refresh", "members", 7, 7200, duration<double>(3600.0), 100),
              "insight refresh  [----------------------------------------]  7/7,200 members  0/s  1027:34:17 left");
}

TEST(Progress, NotOnATerminalNothingIsWanted) {
    EXPECT_FALSE(progress_wanted(true)) << "--quiet";
    // The tests' standard error is a file or a pipe under CTest.
    if (isatty(2) == 0) {
        EXPECT_FALSE(progress_wanted(false));
    }
}

}  // namespace
}  // namespace patron::apps
