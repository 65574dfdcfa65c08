// LoadTlsIdentity: all three files or none, and errors that name the flag.

#include "carservice/tls_credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/testing/temp_dir.h"

namespace caraudio {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

constexpr char kPem[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

std::string Write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.File(name);
  std::ofstream(path) << text;
  return path;
}

TEST(TlsCredentialsTest, NoFilesMeansNoTls) {
  absl::StatusOr<std::optional<TlsIdentity>> identity = LoadTlsIdentity({}, "--tls_");
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_FALSE(identity->has_value());
}

TEST(TlsCredentialsTest, AllThreeFilesAreRead) {
  absl::StatusOr<TempDir> dir = TempDir::Create("tls-test");
  ASSERT_TRUE(dir.ok());
  const TlsFiles files{Write(*dir, "ca.pem", kPem), Write(*dir, "cert.pem", kPem),
                       Write(*dir, "key.pem", "-----BEGIN PRIVATE KEY-----\nx\n")};
  absl::StatusOr<std::optional<TlsIdentity>> identity = LoadTlsIdentity(files, "--tls_");
  ASSERT_TRUE(identity.ok()) << identity.status();
  ASSERT_TRUE(identity->has_value());
  EXPECT_EQ((*identity)->ca_pem, kPem);
  EXPECT_THAT((*identity)->key_pem, HasSubstr("PRIVATE KEY"));
}

TEST(TlsCredentialsTest, SomeButNotAllFilesIsAnError) {
  absl::StatusOr<std::optional<TlsIdentity>> identity =
      LoadTlsIdentity({"", "/etc/cert.pem", "/etc/key.pem"}, "--tls_");
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(identity.status().message(), HasSubstr("--tls_ca, --tls_cert and --tls_key go together"));
}

TEST(TlsCredentialsTest, MissingOrNonPemFilesNameTheirFlag) {
  absl::StatusOr<TempDir> dir = TempDir::Create("tls-test");
  ASSERT_TRUE(dir.ok());
  const std::string pem = Write(*dir, "ok.pem", kPem);
  absl::StatusOr<std::optional<TlsIdentity>> missing =
      LoadTlsIdentity({pem, dir->File("nope.pem"), pem}, "--tls_");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("--tls_cert: "));

  const std::string text = Write(*dir, "text.pem", "hello\n");
  absl::StatusOr<std::optional<TlsIdentity>> not_pem = LoadTlsIdentity({pem, pem, text}, "--tls_");
  ASSERT_FALSE(not_pem.ok());
  EXPECT_EQ(not_pem.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(not_pem.status().message(), HasSubstr("--tls_key: "));
  EXPECT_THAT(not_pem.status().message(), HasSubstr("is not a PEM file"));
}

TEST(TlsCredentialsTest, UnixAddressesAreLocal) {
  EXPECT_TRUE(IsUnixAddress("unix:/run/caraudio/hal.sock"));
  EXPECT_TRUE(IsUnixAddress("unix-abstract:caraudio"));
  EXPECT_FALSE(IsUnixAddress("10.213.0.2:7001"));
  EXPECT_FALSE(IsUnixAddress("localhost:7001"));
}

}  // namespace
}  // namespace caraudio
