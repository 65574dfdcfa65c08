// The compliance audit through the real daemon (in-memory audio, so no
// stream levels): the rules that need no audio — an app's own volume calls
// and a second focus session of one app — become findings in GetAudit and
// audit_finding events; the head unit's calls and well-behaved requests do
// not.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

using ::testing::HasSubstr;

class AuditTest : public DaemonFixture<::testing::Test> {
 protected:
  v1::AuditReport Audit(const std::string& package = "") {
    v1::GetAuditRequest request;
    request.set_package_name(package);
    v1::AuditReport report;
    grpc::Status status = client_->admin().GetAudit(UnaryContext().get(), request, &report);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return report;
  }
};

TEST_F(AuditTest, AnAppsOwnVolumeCallIsAFindingAndTheHeadUnitsIsNot) {
  std::unique_ptr<EventStream> events = client_->WatchEvents(false);
  ASSERT_TRUE(events->Next(kEventTimeout).has_value());  // subscribed
  v1::SetGroupVolumeRequest request;
  request.set_zone_id(0);
  request.set_group("media");
  request.set_gain_index(20);
  v1::GroupVolume answer;
  ASSERT_TRUE(client_->focus().SetGroupVolume(UnaryContext().get(), request, &answer).ok());
  EXPECT_EQ(Audit().findings_size(), 0);

  request.set_package_name("com.example.loud");
  request.set_uid(10050);
  ASSERT_TRUE(client_->focus().SetGroupVolume(UnaryContext().get(), request, &answer).ok());
  v1::AuditReport report = Audit();
  ASSERT_EQ(report.findings_size(), 1);
  const v1::AuditFinding& finding = report.findings(0);
  EXPECT_EQ(finding.kind(), v1::FINDING_KIND_CHANGED_VOLUME_ITSELF);
  EXPECT_EQ(finding.package_name(), "com.example.loud");
  EXPECT_EQ(finding.uid(), 10050);
  EXPECT_EQ(finding.zone_id(), 0);
  EXPECT_EQ(finding.detail(), "called setStreamVolume on its own");
  EXPECT_GT(finding.timestamp_ns(), 0);
  EXPECT_FALSE(report.levels_available());
  EXPECT_EQ(report.settings().reaction_ms(), 300);
  std::vector<v1::Event> seen;
  EXPECT_TRUE(AwaitEvent(
      *events, [](const v1::Event& e) { return e.has_audit_finding(); }, "audit_finding",
      &seen));
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().audit_finding().kind(), v1::FINDING_KIND_CHANGED_VOLUME_ITSELF);
  // Bad calls are errors, not findings.
  request.set_gain_index(999);
  EXPECT_EQ(client_->focus().SetGroupVolume(UnaryContext().get(), request, &answer).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Audit().findings_size(), 1);
}

TEST_F(AuditTest, ASecondSessionOfOneAppIsAFindingForThatAppOnly) {
  auto session = [](const std::string& client) {
    v1::FocusRequest request = MakeRequest(client, v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0);
    request.set_package_name("com.example.twice");
    return request;
  };
  auto nav = client_->RequestFocus(
      MakeRequest("nav", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
  auto first = client_->RequestFocus(session("twice-1"));
  ASSERT_TRUE(NextIsResult(*first, v1::REQUEST_GRANTED, 0));
  EXPECT_EQ(Audit().findings_size(), 0);  // taking nav's focus is no finding
  auto second = client_->RequestFocus(session("twice-2"));
  ASSERT_TRUE(NextIsResult(*second, v1::REQUEST_GRANTED, 0));

  v1::AuditReport report = Audit("com.example.twice");
  ASSERT_EQ(report.findings_size(), 1);
  EXPECT_EQ(report.findings(0).kind(), v1::FINDING_KIND_MULTIPLE_STACK_ENTRIES);
  EXPECT_THAT(report.findings(0).detail(), HasSubstr("twice-2 took focus from its own twice-1"));
  EXPECT_EQ(Audit("com.example.nav").findings_size(), 0);
}

}  // namespace
}  // namespace caraudio::testing
