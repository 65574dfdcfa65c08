// The car service and the HAL on two "ECUs": two network namespaces joined
// by a veth pair (VethNamespaces, 10.213.0.1 <-> 10.213.0.2), talking gRPC
// over mutual TLS (TestCertificates). The car service runs in namespace a
// and reaches the HAL at 10.213.0.2; the test drives each daemon through a
// unix socket in a temp dir (files cross network namespaces).
//
// Focus and ducking work across the wire; cutting it is survived (the car
// service abandons the HAL's focus, as AAOS HalAudioFocus.reset(), and keeps
// re-registering with backoff) and recovered when the wire is back (the HAL
// replays the focus it still holds; the car service resends its duck set).
// What the HAL applied is read from its log (`duck zone 0 "..."` from component hal).

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/integration/integration_test_util.h"
#include "tests/integration/test_certificates.h"
#include "tests/integration/tls_split.h"
#include "tests/integration/veth_namespaces.h"

namespace caraudio::testing {
namespace {

constexpr char kHalPort[] = "7001";  // the namespace is fresh: no port is taken
// A cut is noticed by HTTP/2 keepalive (ping every 2 s, 2 s to answer);
// re-registration backs off up to 2 s, reconnection up to 1 s.
constexpr absl::Duration kCutNoticed = absl::Seconds(15);
constexpr absl::Duration kRecovered = absl::Seconds(20);

const char kDuck[] = "duck zone 0 \"bus0_media_out\"";
const char kUnduck[] = "unduck zone 0 \"bus0_media_out\"";

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class SplitEcuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::getuid() != 0) GTEST_SKIP() << "network namespaces need root";
    absl::StatusOr<std::unique_ptr<VethNamespaces>> ecus = VethNamespaces::Create();
    ASSERT_TRUE(ecus.ok()) << ecus.status();
    ecus_ = std::move(*ecus);
    absl::StatusOr<std::unique_ptr<TestCertificates>> certificates = TestCertificates::Create();
    ASSERT_TRUE(certificates.ok()) << certificates.status();
    certificates_ = std::move(*certificates);
    absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-ecu");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<TempDir>(std::move(*dir));

    TlsSplitOptions options;
    options.hal_tcp = absl::StrCat(VethNamespaces::kAddressB, ":", kHalPort);
    options.hal_prefix = ecus_->ExecPrefix(ecus_->namespace_b());
    options.carservice_prefix = ecus_->ExecPrefix(ecus_->namespace_a());
    options.name_suffix = "-ecu";
    absl::StatusOr<TlsSplit> split = StartTlsSplit(*certificates_, *dir_, options);
    ASSERT_TRUE(split.ok()) << split.status();
    hal_ = std::move(split->hal);
    carservice_ = std::move(split->carservice);
    hal_client_ = std::make_unique<Client>(*hal_);
    client_ = std::make_unique<Client>(*carservice_);
  }

  void TearDown() override {
    // Stop the daemons before their namespaces go (members go in reverse).
    client_.reset();
    hal_client_.reset();
    carservice_.reset();
    hal_.reset();
  }

  // Whether the HAL's last applied change of zone 0's media device was a duck.
  bool HalDucksMedia() const {
    bool ducked = false;
    for (const std::string& message : LogMessages(hal_->ReadLog())) {
      if (message.starts_with(kDuck)) ducked = true;
      if (message.starts_with(kUnduck)) ducked = false;
    }
    return ducked;
  }

  std::unique_ptr<VethNamespaces> ecus_;  // first: deleted after the daemons
  std::unique_ptr<TestCertificates> certificates_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<DaemonProcess> hal_;
  std::unique_ptr<DaemonProcess> carservice_;
  std::unique_ptr<Client> hal_client_;
  std::unique_ptr<Client> client_;
};

TEST_F(SplitEcuTest, FocusAndDuckingCrossTheLinkAndACutIsSurvivedAndRecovered) {
  // Focus, vehicle -> car service -> vehicle: a seat-belt chime in zone 1.
  auto chime = hal_client_->HoldFocus(v1::USAGE_SAFETY, 1, v1::FOCUS_GAIN_TRANSIENT, "seatbelt");
  ASSERT_TRUE(AwaitHalStatus(*chime, v1::FOCUS_CHANGE_GAIN_TRANSIENT, kRecovered));
  absl::StatusOr<v1::CarAudioState> state =
      client_->AwaitState([](const v1::CarAudioState& s) { return HalRequestCount(s) == 1; });
  ASSERT_TRUE(state.ok()) << state.status();

  // Ducking, car service -> HAL: navigation over music in zone 0.
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  auto nav = client_->RequestFocus(MakeRequest("maps", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                                               v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0));
  ASSERT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
  ASSERT_TRUE(AwaitLogText(*hal_, kDuck));
  ASSERT_TRUE(HalDucksMedia());

  // Cut the wire. The car service notices, drops the HAL's focus and goes on
  // serving apps.
  ASSERT_TRUE(ecus_->SetLinkUp(false).ok());
  const auto cut_at = std::chrono::steady_clock::now();
  state = client_->AwaitState(
      [](const v1::CarAudioState& s) { return HalRequestCount(s) == 0; }, kCutNoticed);
  ASSERT_TRUE(state.ok()) << state.status() << "\n" << carservice_->FormatLog();
  std::printf("[ measure  ] link cut -> car service dropped the HAL's focus: %.1f s\n",
              SecondsSince(cut_at));
  nav->Cancel();  // the car service unducks; the HAL cannot hear it
  state = client_->AwaitState([](const v1::CarAudioState& s) {
    return DuckedAddresses(s, 0).empty() && HolderIds(s, 0) == std::vector<std::string>{"music"};
  });
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_TRUE(HalDucksMedia()) << "the HAL heard the unduck through a cut wire";
  EXPECT_FALSE(chime->ended()) << "the HAL keeps its vehicle source's hold";

  // Mend it. The car service re-registers: the HAL replays the chime's hold
  // (answered again) and gets the current duck set (nothing ducked).
  ASSERT_TRUE(ecus_->SetLinkUp(true).ok());
  const auto mended_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(AwaitHalStatus(*chime, v1::FOCUS_CHANGE_GAIN_TRANSIENT, kRecovered))
      << carservice_->FormatLog();
  std::printf("[ measure  ] link back -> the HAL's hold answered again: %.1f s\n",
              SecondsSince(mended_at));
  state = client_->AwaitState([](const v1::CarAudioState& s) { return HalRequestCount(s) == 1; });
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_TRUE(AwaitLogText(*hal_, kUnduck));
  EXPECT_FALSE(HalDucksMedia());
  EXPECT_EQ(HolderIds(*state, 0), std::vector<std::string>{"music"});
  EXPECT_TRUE(NoEventWithin(*music)) << "the app never noticed the cut";
}

}  // namespace
}  // namespace caraudio::testing
