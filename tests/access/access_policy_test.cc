// AccessPolicy: the uid sets, who always holds every permission, and the
// messages a refused caller gets.

#include "carservice/access_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace caraudio {
namespace {

using ::testing::HasSubstr;

constexpr uid_t kDaemonUid = 500;

Caller UnixPeer(uid_t uid) {
  Caller caller;
  caller.kind = Caller::Kind::kUnixPeer;
  caller.uid = uid;
  caller.pid = 77;
  caller.description = "uid " + std::to_string(uid) + " (pid 77)";
  return caller;
}

Caller OfKind(Caller::Kind kind) {
  Caller caller;
  caller.kind = kind;
  caller.description = "someone";
  return caller;
}

constexpr Permission kAll[] = {Permission::kSpeakForOtherUids, Permission::kTargetZones,
                               Permission::kHal, Permission::kAdmin};

TEST(AccessPolicyTest, RootAndTheDaemonsUidMayDoEverythingOthersNothing) {
  const AccessPolicy policy(kDaemonUid, {});
  for (Permission permission : kAll) {
    EXPECT_TRUE(policy.Allows(UnixPeer(0), permission));
    EXPECT_TRUE(policy.Allows(UnixPeer(kDaemonUid), permission));
    EXPECT_FALSE(policy.Allows(UnixPeer(10000), permission));
  }
}

TEST(AccessPolicyTest, EachFlagGrantsOnlyItsPermission) {
  AccessPolicy::Uids uids;
  uids.trusted = {1001};
  uids.zone_targeting = {1002};
  uids.hal = {1003};
  uids.admin = {1004};
  const AccessPolicy policy(kDaemonUid, uids);
  EXPECT_TRUE(policy.Allows(UnixPeer(1001), Permission::kSpeakForOtherUids));
  EXPECT_TRUE(policy.Allows(UnixPeer(1001), Permission::kTargetZones)) << "trusted implies it";
  EXPECT_FALSE(policy.Allows(UnixPeer(1001), Permission::kHal));
  EXPECT_FALSE(policy.Allows(UnixPeer(1001), Permission::kAdmin));
  EXPECT_TRUE(policy.Allows(UnixPeer(1002), Permission::kTargetZones));
  EXPECT_FALSE(policy.Allows(UnixPeer(1002), Permission::kSpeakForOtherUids));
  EXPECT_TRUE(policy.Allows(UnixPeer(1003), Permission::kHal));
  EXPECT_FALSE(policy.Allows(UnixPeer(1003), Permission::kAdmin));
  EXPECT_TRUE(policy.Allows(UnixPeer(1004), Permission::kAdmin));
  EXPECT_FALSE(policy.Allows(UnixPeer(1004), Permission::kHal));
}

TEST(AccessPolicyTest, InProcessAndTlsPeersMayDoEverythingUnidentifiedCallersNothing) {
  const AccessPolicy policy(kDaemonUid, {});
  for (Permission permission : kAll) {
    EXPECT_TRUE(policy.Allows(OfKind(Caller::Kind::kInProcess), permission));
    EXPECT_TRUE(policy.Allows(OfKind(Caller::Kind::kTlsPeer), permission));
    EXPECT_FALSE(policy.Allows(OfKind(Caller::Kind::kUnknown), permission));
  }
}

TEST(AccessPolicyTest, ARefusalSaysWhoWhatAndWhichFlag) {
  const AccessPolicy policy(kDaemonUid, {});
  absl::Status refused =
      policy.Check(UnixPeer(10000), Permission::kAdmin, "call CarAudioAdmin.SetRestrictFocus");
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.message(),
            "uid 10000 (pid 77) may not call CarAudioAdmin.SetRestrictFocus (not in "
            "--admin_uids)");
  absl::Status unknown =
      policy.Check(OfKind(Caller::Kind::kUnknown), Permission::kHal, "call HalFocus.HoldFocus");
  EXPECT_EQ(unknown.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(unknown.message(), HasSubstr("not identified"));
  EXPECT_TRUE(policy.Check(UnixPeer(0), Permission::kAdmin, "x").ok());
}

TEST(AccessPolicyTest, DescribeListsEverySetAndTheAppLimit) {
  AccessPolicy::Uids uids;
  uids.hal = {1003};
  EXPECT_EQ(AccessPolicy(kDaemonUid, uids).Describe(),
            "trusted uids 0,500; zone-targeting uids 0,500; hal uids 0,500,1003; admin uids "
            "0,500; at most 32 focus requests per app");
  EXPECT_EQ(AccessPolicy(kDaemonUid, uids, 4).max_focus_requests_per_app(), 4);
}

TEST(ParseUidListTest, DecimalUidsSeparatedByCommas) {
  absl::StatusOr<std::set<uid_t>> uids = ParseUidList(" 1000, 1001,,65534 ", "--hal_uids");
  ASSERT_TRUE(uids.ok()) << uids.status();
  EXPECT_EQ(*uids, (std::set<uid_t>{1000, 1001, 65534}));
  EXPECT_TRUE(ParseUidList("", "--hal_uids")->empty());
  for (const char* bad : {"root", "-1", "1000x", "4294967295", "99999999999"}) {
    absl::StatusOr<std::set<uid_t>> parsed = ParseUidList(bad, "--hal_uids");
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr("--hal_uids"));
  }
}

}  // namespace
}  // namespace caraudio
