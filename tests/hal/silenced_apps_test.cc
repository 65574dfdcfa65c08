// SetSilencedApps (audio_control.proto): oneway, the whole set each call,
// kept by the HAL and handed to the backend on changes; bad input changes
// nothing.

#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "tests/hal/hal_test_harness.h"

namespace caraudio::testing {
namespace {

using Apps = std::set<AppIdentity>;

TEST(SilencedAppsTest, EachCallReplacesTheWholeSet) {
  HalHarness hal;
  ASSERT_TRUE(hal.SetSilencedApps({{"com.example.radio", 10100}, {"com.example.game", 10200}}).ok());
  const Apps both = {{"com.example.game", 10200}, {"com.example.radio", 10100}};
  EXPECT_EQ(hal.hal().snapshot().silenced_apps, both);
  EXPECT_EQ(hal.backend().snapshot().silenced_apps, both);

  // Not added to: replaced. The same package under another uid is another app.
  ASSERT_TRUE(hal.SetSilencedApps({{"com.example.radio", 10101}}).ok());
  const Apps other_uid = {{"com.example.radio", 10101}};
  EXPECT_EQ(hal.hal().snapshot().silenced_apps, other_uid);
  EXPECT_EQ(hal.backend().snapshot().silenced_apps, other_uid);

  // Empty: nobody is silenced.
  ASSERT_TRUE(hal.SetSilencedApps({}).ok());
  EXPECT_TRUE(hal.hal().snapshot().silenced_apps.empty());
  EXPECT_TRUE(hal.backend().snapshot().silenced_apps.empty());
}

TEST(SilencedAppsTest, InvalidSetsAreRejectedAndTheCurrentOneStays) {
  HalHarness hal;
  ASSERT_TRUE(hal.SetSilencedApps({{"com.example.radio", 0}}).ok());
  struct Case {
    std::vector<AppIdentity> apps;
    std::string message;
  };
  for (const Case& bad : {
           Case{{{"com.example.a", 1}, {"", 2}}, "apps[1]: package_name is empty"},
           Case{{{"com.example.a", -1}}, "apps[0]: uid -1 is negative"},
           Case{{{"com.example.a", 5}, {"com.example.b", 5}, {"com.example.a", 5}},
                "apps[2]: \"com.example.a\" uid 5 is listed twice"},
       }) {
    const grpc::Status status = hal.SetSilencedApps(bad.apps);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.message;
    EXPECT_EQ(status.error_message(), bad.message);
  }
  const Apps radio = {{"com.example.radio", 0}};
  EXPECT_EQ(hal.hal().snapshot().silenced_apps, radio);
  EXPECT_EQ(hal.SettledBackend().silenced_apps, radio);
}

TEST(SilencedAppsTest, RefusedAfterShutdown) {
  HalHarness hal;
  hal.hal().Shutdown();
  EXPECT_EQ(hal.SetSilencedApps({{"com.example.radio", 1}}).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(hal.SettledBackend().silenced_apps.empty());
}

}  // namespace
}  // namespace caraudio::testing
