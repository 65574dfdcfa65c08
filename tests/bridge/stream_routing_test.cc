#include "pipewire-bridge/stream_routing.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace caraudio
