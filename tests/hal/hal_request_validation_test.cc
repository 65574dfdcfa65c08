// The HAL's request validation, without a server (hal_request_validation.h).

#include "hal/hal_request_validation.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace caraudio {
namespace {

const std::set<int32_t> kZones = {0, 1, 2};

TEST(HalRequestValidationTest, UsageMustBeAListedValue) {
  for (int32_t usage : {0, 1, 10, 17, 1000, 1003}) EXPECT_TRUE(ValidateUsage(usage).ok()) << usage;
  for (int32_t usage : {-1, 18, 999, 1004}) {
    EXPECT_EQ(ValidateUsage(usage).code(), absl::StatusCode::kInvalidArgument) << usage;
  }
}

TEST(HalRequestValidationTest, ZoneMustBeAZoneOfTheCar) {
  EXPECT_TRUE(ValidateZone(kZones, 2).ok());
  EXPECT_EQ(ValidateZone(kZones, 3).message(), "unknown audio zone 3");
  EXPECT_EQ(ValidateZone(kZones, -1).code(), absl::StatusCode::kInvalidArgument);
}

TEST(HalRequestValidationTest, FocusChangeIsAGainOrALoss) {
  for (int32_t change : {1, 2, 3, 4, -1, -2, -3}) {
    EXPECT_TRUE(ValidateFocusChange(change).ok()) << change;
  }
  for (int32_t change : {0, 5, -4}) {
    EXPECT_EQ(ValidateFocusChange(change).code(), absl::StatusCode::kInvalidArgument) << change;
  }
}

TEST(HalRequestValidationTest, GainIsOneToFour) {
  for (int32_t gain : {1, 2, 3, 4}) EXPECT_TRUE(ValidateFocusGain(gain).ok()) << gain;
  for (int32_t gain : {0, 5, -1}) {
    EXPECT_EQ(ValidateFocusGain(gain).code(), absl::StatusCode::kInvalidArgument) << gain;
  }
}

TEST(HalRequestValidationTest, DuckingRequestNamesEachKnownZoneOnce) {
  v1::OnDevicesToDuckChangeRequest request;
  v1::DuckingInfo* zone0 = request.add_ducking_infos();
  zone0->set_zone_id(0);
  zone0->add_device_addresses_to_duck("a");
  zone0->add_device_addresses_to_unduck("b");
  EXPECT_TRUE(ValidateDuckingRequest(kZones, request).ok());

  v1::OnDevicesToDuckChangeRequest twice = request;
  twice.add_ducking_infos()->set_zone_id(0);
  EXPECT_EQ(ValidateDuckingRequest(kZones, twice).message(),
            "ducking_infos[1]: zone 0 appears in more than one entry");

  v1::OnDevicesToDuckChangeRequest unknown = request;
  unknown.add_ducking_infos()->set_zone_id(8);
  EXPECT_EQ(ValidateDuckingRequest(kZones, unknown).message(),
            "ducking_infos[1]: unknown audio zone 8");

  v1::OnDevicesToDuckChangeRequest both = request;
  both.mutable_ducking_infos(0)->add_device_addresses_to_unduck("a");
  EXPECT_EQ(ValidateDuckingRequest(kZones, both).code(), absl::StatusCode::kInvalidArgument);
}

TEST(HalRequestValidationTest, MutingRequestNamesEachKnownZoneOnce) {
  v1::OnDevicesToMuteChangeRequest request;
  request.add_muting_infos()->set_zone_id(1);
  request.add_muting_infos()->set_zone_id(2);
  EXPECT_TRUE(ValidateMutingRequest(kZones, request).ok());
  request.mutable_muting_infos(1)->set_zone_id(1);
  EXPECT_EQ(ValidateMutingRequest(kZones, request).code(), absl::StatusCode::kInvalidArgument);
}

TEST(HalRequestValidationTest, BalanceIsClampedAndNanRejected) {
  const float infinity = std::numeric_limits<float>::infinity();
  EXPECT_EQ(*ClampToUnitRange(0.5f, "value"), 0.5f);
  EXPECT_EQ(*ClampToUnitRange(99999.9f, "value"), 1.0f);
  EXPECT_EQ(*ClampToUnitRange(-99999.9f, "value"), -1.0f);
  EXPECT_EQ(*ClampToUnitRange(infinity, "value"), 1.0f);
  EXPECT_EQ(*ClampToUnitRange(-infinity, "value"), -1.0f);
  EXPECT_EQ(ClampToUnitRange(std::nanf(""), "value").status().code(),
            absl::StatusCode::kInvalidArgument);
}

v1::SetSilencedAppsRequest SilencedApps(std::vector<std::pair<std::string, int32_t>> apps) {
  v1::SetSilencedAppsRequest request;
  for (const auto& [package, uid] : apps) {
    v1::AppIdentity& app = *request.add_apps();
    app.set_package_name(package);
    app.set_uid(uid);
  }
  return request;
}

TEST(HalRequestValidationTest, SilencedAppsNeedAPackageAUidFromZeroAndNoRepeats) {
  struct Case {
    std::vector<std::pair<std::string, int32_t>> apps;
    std::string error;  // "" = valid
  };
  for (const Case& cell : {
           Case{{}, ""},
           Case{{{"com.a", 0}}, ""},
           Case{{{"com.a", 2147483647}, {"com.b", 0}}, ""},
           Case{{{"com.a", 1}, {"com.a", 2}}, ""},  // one package, two uids: two apps
           Case{{{"com.a", 1}, {"com.b", 1}}, ""},  // one uid, two packages: two apps
           Case{{{"", 1}}, "apps[0]: package_name is empty"},
           Case{{{"com.a", 1}, {"com.b", -1}}, "apps[1]: uid -1 is negative"},
           Case{{{"com.a", -2147483647 - 1}}, "apps[0]: uid -2147483648 is negative"},
           Case{{{"com.a", 1}, {"com.a", 1}}, "apps[1]: \"com.a\" uid 1 is listed twice"},
       }) {
    absl::StatusOr<std::set<AppIdentity>> apps = ValidateSilencedApps(SilencedApps(cell.apps));
    if (cell.error.empty()) {
      ASSERT_TRUE(apps.ok()) << apps.status();
      EXPECT_EQ(apps->size(), cell.apps.size());
      for (const auto& [package, uid] : cell.apps) {
        EXPECT_TRUE(apps->contains(AppIdentity{package, uid})) << package << " " << uid;
      }
    } else {
      EXPECT_EQ(apps.status().code(), absl::StatusCode::kInvalidArgument) << cell.error;
      EXPECT_EQ(apps.status().message(), cell.error);
    }
  }
}

TEST(HalRequestValidationTest, StreamLevelsIntervalIsTenToOneThousandAndZeroMeansFifty) {
  v1::WatchStreamLevelsRequest request;
  for (const auto& [sent, used] : std::vector<std::pair<int32_t, int32_t>>{
           {0, 50}, {10, 10}, {50, 50}, {333, 333}, {1000, 1000}}) {
    request.set_interval_ms(sent);
    absl::StatusOr<absl::Duration> interval = ValidateStreamLevelsInterval(request);
    ASSERT_TRUE(interval.ok()) << sent;
    EXPECT_EQ(*interval, absl::Milliseconds(used)) << sent;
  }
  for (int32_t sent : {-1, 1, 9, 1001, 60000}) {
    request.set_interval_ms(sent);
    EXPECT_EQ(ValidateStreamLevelsInterval(request).status().message(),
              absl::StrCat("interval_ms ", sent, " is outside 10..1000 (0 means 50)"));
  }
}

}  // namespace
}  // namespace caraudio
