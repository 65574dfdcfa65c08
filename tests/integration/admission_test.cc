// Admission control on the real daemon: with --max_queued_operations=1, a
// burst of concurrent RequestFocus calls gets some refused with
// RESOURCE_EXHAUSTED, before any result and without a trace in the focus
// stacks, while every admitted one is decided; closing the admitted streams
// leaves nothing behind.

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

constexpr int kBurst = 48;
constexpr int kMaxRounds = 30;

// One burst of kBurst simultaneous requests, each on its own stream.
struct Burst {
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::FocusEvent>>> admitted;
  std::set<std::string> admitted_ids;
  std::set<std::string> refused_ids;
  std::vector<std::string> refusal_messages;
  int undecided = 0;  // admitted streams that ended without a result
};

void RunBurst(Client& client, int round, Burst& burst) {
  std::mutex mutex;
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kBurst; ++i) {
    threads.emplace_back([&, i] {
      const std::string id = absl::StrCat("burst-", round, "-", i);
      // Navigation prompts: concurrent with each other, so every admitted
      // one stays a holder and keeps its stream.
      const v1::FocusRequest request = MakeRequest(
          id, v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, i % 3);
      auto context = std::make_unique<grpc::ClientContext>();
      ready.fetch_add(1);
      while (ready.load() < kBurst) std::this_thread::yield();
      std::unique_ptr<grpc::ClientReader<v1::FocusEvent>> reader =
          client.focus().RequestFocus(context.get(), request);
      v1::FocusEvent event;
      const bool answered = reader->Read(&event);
      std::lock_guard lock(mutex);
      if (answered) {
        if (!event.has_result()) ++burst.undecided;
        burst.admitted_ids.insert(id);
        burst.admitted.push_back(std::move(reader));
        burst.contexts.push_back(std::move(context));
        return;
      }
      const grpc::Status status = reader->Finish();
      if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
        burst.refused_ids.insert(id);
        burst.refusal_messages.push_back(status.error_message());
      } else {
        ++burst.undecided;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
}

std::set<std::string> ClientIdsInStacks(const v1::CarAudioState& state) {
  std::set<std::string> ids;
  for (const v1::ZoneState& zone : state.zones()) {
    for (const auto& holder : zone.holders()) ids.insert(holder.request().client_id());
    for (const auto& loser : zone.losers()) ids.insert(loser.request().client_id());
  }
  return ids;
}

TEST(AdmissionTest, ABurstBeyondTheQueueLimitIsRefusedAndLeavesNoTrace) {
  DaemonOptions options = TestDaemonOptions("admission");
  options.extra_args = {"--max_queued_operations=1"};
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = StartTestDaemon(std::move(options));
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  Client client(**daemon);

  int refused = 0;
  for (int round = 0; round < kMaxRounds && refused == 0; ++round) {
    Burst burst;
    RunBurst(client, round, burst);
    EXPECT_EQ(burst.undecided, 0) << "every call is either decided or refused";
    EXPECT_EQ(burst.admitted_ids.size() + burst.refused_ids.size(), static_cast<size_t>(kBurst));
    absl::StatusOr<v1::CarAudioState> state = client.GetState();
    ASSERT_TRUE(state.ok()) << state.status();
    const std::set<std::string> in_stacks = ClientIdsInStacks(*state);
    for (const std::string& id : burst.refused_ids) {
      EXPECT_FALSE(in_stacks.contains(id)) << id << " was refused but is in a focus stack";
    }
    for (const std::string& id : burst.admitted_ids) {
      EXPECT_TRUE(in_stacks.contains(id)) << id << " was granted but is not in a focus stack";
    }
    for (const std::string& message : burst.refusal_messages) {
      EXPECT_THAT(message, HasSubstr("car service overloaded"));
      EXPECT_THAT(message, HasSubstr("--max_queued_operations=1"));
    }
    refused += static_cast<int>(burst.refused_ids.size());
    // Close every admitted stream: the stacks empty again.
    for (auto& context : burst.contexts) context->TryCancel();
    for (auto& reader : burst.admitted) {
      v1::FocusEvent event;
      while (reader->Read(&event)) {
      }
      reader->Finish();
    }
    ASSERT_TRUE(client.AwaitState([](const v1::CarAudioState& s) {
      return ClientIdsInStacks(s).empty();
    }).ok());
  }
  EXPECT_GT(refused, 0) << "no burst of " << kBurst << " ever found an operation queued";
}

TEST(AdmissionTest, AQueueLimitBelowOneIsRefusedAtStartUp) {
  DaemonOptions options = TestDaemonOptions("bad-queue-limit");
  options.extra_args = {"--max_queued_operations=0"};
  absl::StatusOr<std::string> log = LogOfDaemonRefusingToStart(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_THAT(LogMessages(*log),
              Contains(HasSubstr("--max_queued_operations must be at least 1, not 0")));
}

}  // namespace
}  // namespace caraudio::testing
