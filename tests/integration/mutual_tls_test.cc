// TCP means mutual TLS: the car service and the HAL split over
// 127.0.0.1:PORT with throwaway certificates (TestCertificates, made with
// openssl). Focus and ducking work across; a client without a certificate,
// with only the CA, or with a certificate of another CA is refused at the
// handshake; a daemon asked to use TCP without TLS refuses to start.
//
// The HAL also listens on a unix socket, where the test (root) drives it as
// a vehicle sound source and probes its readiness.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/integration/integration_test_util.h"
#include "tests/integration/test_certificates.h"
#include "tests/integration/tls_split.h"
#include "zones/text_file.h"

#ifndef CARAUDIO_AUDIOCTL_PATH
#error "CARAUDIO_AUDIOCTL_PATH must name the audioctl binary (set by CMake)"
#endif

namespace caraudio::testing {
namespace {

using ::testing::HasSubstr;

// How long a car service may take to (re-)register with a HAL: its backoff
// grows to 2 s between attempts.
constexpr absl::Duration kRegistrationTimeout = absl::Seconds(8);

class MutualTlsSplitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestCertificates>> certificates = TestCertificates::Create();
    ASSERT_TRUE(certificates.ok()) << certificates.status();
    certificates_ = std::move(*certificates);
    absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-mtls");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<TempDir>(std::move(*dir));
    absl::StatusOr<int> port = PickFreeLocalPort();
    ASSERT_TRUE(port.ok()) << port.status();
    hal_tcp_ = absl::StrCat("127.0.0.1:", *port);

    TlsSplitOptions options;
    options.hal_tcp = hal_tcp_;
    absl::StatusOr<TlsSplit> split = StartTlsSplit(*certificates_, *dir_, options);
    ASSERT_TRUE(split.ok()) << split.status();
    hal_ = std::move(split->hal);
    carservice_ = std::move(split->carservice);
    hal_client_ = std::make_unique<Client>(*hal_);
    client_ = std::make_unique<Client>(*carservice_);
  }

  // GetInterfaceInfo on the HAL's TCP port with `credentials`.
  grpc::Status CallHalOverTcp(const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
    grpc::ChannelArguments arguments = FastReconnectChannelArguments();
    Client client(grpc::CreateCustomChannel(hal_tcp_, credentials, arguments));
    v1::InterfaceInfo info;
    return client.control().GetInterfaceInfo(UnaryContext().get(), v1::GetInterfaceInfoRequest(),
                                              &info);
  }

  std::unique_ptr<TestCertificates> certificates_;
  std::unique_ptr<TempDir> dir_;  // before the daemons: removed after them
  std::string hal_tcp_;
  std::unique_ptr<DaemonProcess> hal_;
  std::unique_ptr<DaemonProcess> carservice_;
  std::unique_ptr<Client> hal_client_;
  std::unique_ptr<Client> client_;
};

TEST_F(MutualTlsSplitTest, FocusAndDuckingWorkAcross) {
  // Vehicle -> car service: a HAL hold is arbitrated by the car service and
  // its answer comes back over the TLS link.
  auto chime = hal_client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK,
                                      "lane-keep-assist");
  ASSERT_TRUE(
      AwaitHalStatus(*chime, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK, kRegistrationTimeout));
  absl::StatusOr<v1::CarAudioState> state =
      client_->AwaitState([](const v1::CarAudioState& s) { return HalRequestCount(s) == 1; });
  ASSERT_TRUE(state.ok()) << state.status();
  chime->Cancel();
  ASSERT_TRUE(client_->AwaitState([](const v1::CarAudioState& s) {
                        return HalRequestCount(s) == 0;
                      }).ok());

  // Car service -> HAL: navigation ducks the music; the HAL applies it.
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  const int ducks_before = CountLogText(*hal_, "duck zone 0 \"bus0_media_out\"");
  auto nav = client_->RequestFocus(MakeRequest("maps", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                                               v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0));
  ASSERT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
  EXPECT_TRUE(AwaitLogText(*hal_, "duck zone 0 \"bus0_media_out\"", ducks_before + 1));
  const int unducks_before = CountLogText(*hal_, "unduck zone 0 \"bus0_media_out\"");
  nav->Cancel();
  EXPECT_TRUE(AwaitLogText(*hal_, "unduck zone 0 \"bus0_media_out\"", unducks_before + 1));
}

TEST_F(MutualTlsSplitTest, ClientsWithoutACertificateOfOurCaAreRefused) {
  // Our CA's certificate: served (a TLS peer holds the HAL permission).
  grpc::Status ok = CallHalOverTcp(certificates_->carservice().ChannelCredentials());
  EXPECT_TRUE(ok.ok()) << ok.error_code() << " " << ok.error_message();

  grpc::Status plaintext = CallHalOverTcp(grpc::InsecureChannelCredentials());
  EXPECT_EQ(plaintext.error_code(), grpc::StatusCode::UNAVAILABLE) << plaintext.error_message();

  // Trusts our CA but presents no certificate.
  grpc::SslCredentialsOptions ca_only;
  absl::StatusOr<std::string> ca = ReadTextFile(certificates_->ca(), "CA certificate");
  ASSERT_TRUE(ca.ok()) << ca.status();
  ca_only.pem_root_certs = *ca;
  grpc::Status anonymous = CallHalOverTcp(grpc::SslCredentials(ca_only));
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAVAILABLE) << anonymous.error_message();

  grpc::Status intruder = CallHalOverTcp(certificates_->intruder().ChannelCredentials());
  EXPECT_EQ(intruder.error_code(), grpc::StatusCode::UNAVAILABLE) << intruder.error_message();

  // The refused handshakes left the car service's link alone.
  auto chime = hal_client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT, "chime");
  EXPECT_TRUE(AwaitHalStatus(*chime, v1::FOCUS_CHANGE_GAIN_TRANSIENT, kRegistrationTimeout));
}

// audioctl speaks mutual TLS with --tls_*, and gets a clear error without a
// certificate of our CA.
TEST_F(MutualTlsSplitTest, AudioctlReachesTheHalOverTcpWithItsCertificate) {
  auto run = [this](const TlsIdentityFiles& identity, const std::string& name) {
    Subprocess::Options options;
    options.argv = {CARAUDIO_AUDIOCTL_PATH, "--address", hal_tcp_};
    for (const std::string& flag : identity.Flags()) options.argv.push_back(flag);
    for (const char* arg : {"hal-abandon", "--usage", "safety", "--zone", "0"}) {
      options.argv.push_back(arg);
    }
    options.log_path = dir_->File(name + ".log");
    absl::StatusOr<std::unique_ptr<Subprocess>> audioctl = Subprocess::Spawn(std::move(options));
    EXPECT_TRUE(audioctl.ok()) << audioctl.status();
    absl::StatusOr<ExitStatus> exit = (*audioctl)->Wait(absl::Seconds(10));
    EXPECT_TRUE(exit.ok()) << exit.status();
    return std::make_pair(exit.ok() ? *exit : ExitStatus{}, (*audioctl)->ReadLog());
  };
  auto [ours, our_log] = run(certificates_->carservice(), "audioctl-ours");
  EXPECT_TRUE(ours.Success()) << ours.ToString() << "\n" << our_log;
  auto [theirs, their_log] = run(certificates_->intruder(), "audioctl-intruder");
  EXPECT_TRUE(theirs.exited && theirs.code == 1) << theirs.ToString() << "\n" << their_log;
  EXPECT_THAT(their_log, HasSubstr("cannot reach audiocontrold at " + hal_tcp_));
}

TEST(MutualTlsStartUpTest, TcpWithoutMutualTlsRefusesToStart) {
  absl::StatusOr<int> port = PickFreeLocalPort();
  ASSERT_TRUE(port.ok()) << port.status();
  const std::string tcp = absl::StrCat("127.0.0.1:", *port);
  struct Case {
    std::string name;
    std::string role;
    std::vector<std::string> listen;  // empty: the default unix socket
    std::string hal;
    std::vector<std::string> extra_args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"hal-on-tcp", "hal", {tcp}, "", {}, "without mutual TLS: give --tls_cert, --tls_key and"},
      {"carservice-to-tcp-hal", "carservice", {}, tcp, {}, "is a TCP address: mutual TLS needs"},
      {"half-the-flags", "hal", {tcp}, "", {"--tls_cert=/x.pem"}, "go together"},
  };
  for (const Case& c : cases) {
    DaemonOptions options = TestDaemonOptions(c.name);
    options.role = c.role;
    options.listen = c.listen;
    options.hal = c.hal;
    options.extra_args = c.extra_args;
    absl::StatusOr<std::string> log = LogOfDaemonRefusingToStart(std::move(options));
    ASSERT_TRUE(log.ok()) << c.name << ": " << log.status();
    EXPECT_THAT(*log, HasSubstr(c.message)) << c.name;
  }
}

}  // namespace
}  // namespace caraudio::testing
