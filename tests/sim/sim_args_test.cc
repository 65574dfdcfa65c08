// audiofocus-sim's command line (tools/audiofocus_sim/sim_args.h).

#include "tools/audiofocus_sim/sim_args.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace caraudio::sim {
namespace {

TEST(SimArgsTest, EveryOptionBothSpellings) {
  absl::StatusOr<SimArgs> args =
      ParseSimArgs({"--scenario", "a.textproto", "--socket=/tmp/s.sock", "--config", "car.xml",
                    "--record=out.wav", "--quiet"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->scenario_path, "a.textproto");
  EXPECT_EQ(args->socket, "/tmp/s.sock");
  EXPECT_EQ(args->config_path, "car.xml");
  EXPECT_EQ(args->record_path, "out.wav");
  EXPECT_TRUE(args->quiet);
  EXPECT_FALSE(args->help);
}

TEST(SimArgsTest, SplitDaemonAndOutputOptions) {
  absl::StatusOr<SimArgs> args =
      ParseSimArgs({"--scenario=drive.textproto", "--socket", "/r/cs.sock", "--hal-socket",
                    "/r/hal.sock", "--carservice-pid=4242", "--levels", "--events"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->hal_socket, "/r/hal.sock");
  EXPECT_EQ(args->carservice_pid, 4242);
  EXPECT_TRUE(args->levels);
  EXPECT_TRUE(args->events);
  EXPECT_FALSE(args->quiet);
}

TEST(SimArgsTest, CarServicePidMustBeAPositiveNumber) {
  for (const char* bad : {"0", "-3", "12x", "pid"}) {
    EXPECT_EQ(ParseSimArgs({"--scenario=a", "--carservice-pid", bad}).status().message(),
              absl::StrCat("--carservice-pid must be a process id (a positive number), not \"",
                           bad, "\""));
  }
}

TEST(SimArgsTest, DefaultsWithOnlyTheScenario) {
  absl::StatusOr<SimArgs> args = ParseSimArgs({"--scenario=x.json"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_FALSE(args->socket.has_value());
  EXPECT_FALSE(args->config_path.has_value());
  EXPECT_FALSE(args->record_path.has_value());
  EXPECT_FALSE(args->hal_socket.has_value());
  EXPECT_FALSE(args->carservice_pid.has_value());
  EXPECT_FALSE(args->levels);
  EXPECT_FALSE(args->events);
  EXPECT_FALSE(args->quiet);
}

TEST(SimArgsTest, HelpNeedsNothingElse) {
  absl::StatusOr<SimArgs> args = ParseSimArgs({"--help"});
  ASSERT_TRUE(args.ok());
  EXPECT_TRUE(args->help);
  EXPECT_NE(SimUsage().find("Exit codes: 0"), std::string::npos);
}

TEST(SimArgsTest, Mistakes) {
  EXPECT_EQ(ParseSimArgs({}).status().message(), "--scenario FILE is required");
  EXPECT_EQ(ParseSimArgs({"--scenario"}).status().message(), "--scenario needs a value");
  EXPECT_EQ(ParseSimArgs({"--scenario="}).status().message(), "--scenario is empty");
  EXPECT_EQ(ParseSimArgs({"--scenario", "a", "--speed", "2"}).status().message(),
            "unknown option --speed");
  EXPECT_EQ(ParseSimArgs({"a.textproto"}).status().message(),
            "unexpected argument \"a.textproto\"");
}

}  // namespace
}  // namespace caraudio::sim
