#include "pipewire-bridge/stream_routing.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

class StreamRoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<CarAudioConfig> config = LoadDefaultCarAudioConfig();
    ASSERT_TRUE(config.ok()) << config.status();
    config_ = *config;
  }
  absl::StatusOr<std::optional<StreamRoute>> Route(std::map<std::string, std::string> props) {
    return RouteStream(props, config_);
  }
  CarAudioConfig config_;
};

TEST_F(StreamRoutingTest, UsageAndZoneSelectTheZoneDevice) {
  auto route = Route({{"caraudio.usage", "media"}, {"caraudio.zone-id", "0"},
                      {"caraudio.client-id", "player"}});
  ASSERT_TRUE(route.ok());
  ASSERT_TRUE(route->has_value());
  EXPECT_EQ((*route)->device_address, "bus0_media_out");
  EXPECT_EQ((*route)->zone_id, 0);
  EXPECT_EQ((*route)->usage, 1);
  EXPECT_EQ((*route)->client_id, "player");
  EXPECT_EQ((*Route({{"caraudio.usage", "USAGE_ASSISTANCE_NAVIGATION_GUIDANCE"}}))->device_address,
            "bus1_navigation_out");
  // Rear zone 1 plays navigation on its media device.
  EXPECT_EQ((*Route({{"caraudio.usage", "nav"}, {"caraudio.zone-id", "1"}}))->device_address,
            "bus100_media_out");
  EXPECT_EQ((*Route({{"caraudio.usage", "1001"}}))->device_address, "bus4_safety_out");
}

TEST_F(StreamRoutingTest, MediaRoleIsTheFallbackAndUsageWins) {
  EXPECT_EQ((*Route({{"media.role", "Navigation"}}))->device_address, "bus1_navigation_out");
  EXPECT_EQ((*Route({{"media.role", "music"}}))->device_address, "bus0_media_out");
  EXPECT_EQ((*Route({{"media.role", "Navigation"}, {"caraudio.usage", "media"}}))->device_address,
            "bus0_media_out");
  for (size_t i = 0; i < kMediaRoleUsageCount; ++i) {
    auto route = Route({{"media.role", kMediaRoleUsages[i].role}});
    ASSERT_TRUE(route.ok()) << kMediaRoleUsages[i].role;
    EXPECT_TRUE(route->has_value()) << kMediaRoleUsages[i].role;
  }
}

TEST_F(StreamRoutingTest, StreamsWithoutUsageOrRoleAreNotOurs) {
  auto route = Route({{"node.name", "pw-play"}, {"caraudio.zone-id", "1"}});
  ASSERT_TRUE(route.ok());
  EXPECT_FALSE(route->has_value());
}

TEST_F(StreamRoutingTest, BadValuesAreErrorsThatSayWhy) {
  auto unknown_usage = Route({{"caraudio.usage", "podcast"}});
  EXPECT_EQ(unknown_usage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown_usage.status().message().find("podcast"), std::string::npos);
  auto unknown_role = Route({{"media.role", "Theremin"}});
  EXPECT_EQ(unknown_role.status().code(), absl::StatusCode::kInvalidArgument);
  auto bad_zone = Route({{"caraudio.usage", "media"}, {"caraudio.zone-id", "x"}});
  EXPECT_EQ(bad_zone.status().code(), absl::StatusCode::kInvalidArgument);
  auto unknown_zone = Route({{"caraudio.usage", "media"}, {"caraudio.zone-id", "9"}});
  EXPECT_EQ(unknown_zone.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown_zone.status().message().find("unknown audio zone 9"), std::string::npos);
}

TEST_F(StreamRoutingTest, PackageAndUidNameTheApp) {
  auto route = Route({{"caraudio.usage", "media"},
                      {"caraudio.package", "com.example.radio"},
                      {"caraudio.uid", "10123"}});
  ASSERT_TRUE(route.ok()) << route.status();
  ASSERT_TRUE(route->has_value());
  EXPECT_EQ((*route)->package_name, "com.example.radio");
  EXPECT_EQ((*route)->uid, 10123);
  EXPECT_EQ((*route)->app(), (AppIdentity{"com.example.radio", 10123}));
}

TEST_F(StreamRoutingTest, AbsentPackageAndUidAreEmptyAndZero) {
  auto route = Route({{"caraudio.usage", "media"}});
  ASSERT_TRUE(route.ok());
  EXPECT_EQ((*route)->package_name, "");
  EXPECT_EQ((*route)->uid, 0);
  // Each alone is kept as it is.
  EXPECT_EQ((*Route({{"caraudio.usage", "media"}, {"caraudio.uid", "7"}}))->app(),
            (AppIdentity{"", 7}));
  EXPECT_EQ((*Route({{"caraudio.usage", "media"}, {"caraudio.package", "p"}}))->app(),
            (AppIdentity{"p", 0}));
}

TEST_F(StreamRoutingTest, UidIsADecimalIntegerFromZeroToInt32Max) {
  struct Cell {
    const char* uid;
    int32_t parsed;  // -1: unroutable
  };
  for (const Cell& cell : {Cell{"0", 0}, Cell{"1000", 1000}, Cell{"007", 7},
                           Cell{"2147483647", 2147483647}, Cell{"2147483648", -1},
                           Cell{"-1", -1}, Cell{"+5", -1}, Cell{" 5", -1}, Cell{"5 ", -1},
                           Cell{"", -1}, Cell{"u0_a12", -1}, Cell{"1e3", -1}, Cell{"0x10", -1},
                           Cell{"99999999999999999999", -1}}) {
    SCOPED_TRACE(::testing::Message() << "caraudio.uid \"" << cell.uid << "\"");
    auto route = Route({{"caraudio.usage", "media"}, {"caraudio.uid", cell.uid}});
    if (cell.parsed >= 0) {
      ASSERT_TRUE(route.ok()) << route.status();
      EXPECT_EQ((*route)->uid, cell.parsed);
    } else {
      EXPECT_EQ(route.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(route.status().message(),
                absl::StrCat("caraudio.uid \"", cell.uid,
                             "\" is not a decimal integer in 0..2147483647"));
    }
  }
}

}  // namespace
}  // namespace caraudio
