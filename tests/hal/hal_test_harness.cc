#include "tests/hal/hal_test_harness.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "hal/hal_request_validation.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio::testing {

CarAudioConfig DefaultCar() {
  absl::StatusOr<CarAudioConfig> config = LoadDefaultCarAudioConfig();
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *std::move(config) : CarAudioConfig();
}

HalHarness::HalHarness() {
  hal_ = std::make_unique<AudioControlHal>(std::vector<int32_t>{0, 1, 2}, &backend_, &access_);
  Start();
}

HalHarness::HalHarness(const CarAudioConfig& config) {
  hal_ = std::make_unique<AudioControlHal>(config, &backend_, &access_);
  Start();
}

void HalHarness::Start() {
  absl::StatusOr<TempDir> dir = TempDir::Create("hal_test");
  if (!dir.ok()) {
    std::fprintf(stderr, "%s\n", dir.status().ToString().c_str());
    std::abort();
  }
  temp_dir_.emplace(std::move(*dir));
  socket_path_ = temp_dir_->File("hal.sock");
  const std::string address = "unix:" + socket_path_;
  absl::StatusOr<DaemonListeners> listeners =
      DaemonListeners::Open({address}, std::nullopt, std::nullopt, &peers_);
  if (!listeners.ok()) {
    std::fprintf(stderr, "%s\n", listeners.status().ToString().c_str());
    std::abort();
  }
  listeners_.emplace(std::move(*listeners));
  grpc::ServerBuilder builder;
  builder.RegisterService(hal_->audio_control_service());
  builder.RegisterService(hal_->hal_focus_service());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr) {
    std::fprintf(stderr, "cannot serve on %s\n", address.c_str());
    std::abort();
  }
  listeners_->Serve(server_.get());
  channel_ = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  audio_control_ = v1::AudioControl::NewStub(channel_);
  hal_focus_ = v1::HalFocus::NewStub(channel_);
}

HalHarness::~HalHarness() {
  hal_->Shutdown();
  listeners_->Stop();
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server_->Wait();
  hal_.reset();
  temp_dir_.reset();  // the socket with it
}

std::unique_ptr<grpc::ClientContext> HalHarness::UnaryContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return context;
}

std::unique_ptr<ListenerStream> HalHarness::RegisterFocusListener(const std::string& name) {
  v1::RegisterFocusListenerRequest request;
  request.set_name(name);
  return std::make_unique<ListenerStream>([this, request](grpc::ClientContext* context) {
    return audio_control_->RegisterFocusListener(context, request);
  });
}

std::unique_ptr<HoldStream> HalHarness::HoldFocus(int32_t usage, int32_t zone_id, int32_t gain,
                                                  const std::string& source_name) {
  v1::HoldFocusRequest request;
  request.set_usage(static_cast<v1::AudioUsage>(usage));
  request.set_zone_id(zone_id);
  request.set_gain(static_cast<v1::FocusGain>(gain));
  request.set_source_name(source_name);
  return std::make_unique<HoldStream>([this, request](grpc::ClientContext* context) {
    return hal_focus_->HoldFocus(context, request);
  });
}

std::unique_ptr<HoldStream> HalHarness::HoldFocusAndWait(int32_t usage, int32_t zone_id,
                                                         int32_t gain,
                                                         const std::string& source_name,
                                                         v1::HalFocusStatus* first_status) {
  std::unique_ptr<HoldStream> hold = HoldFocus(usage, zone_id, gain, source_name);
  std::optional<v1::HalFocusStatus> status = hold->Next();
  if (!status) {
    ADD_FAILURE() << "HoldFocus(" << usage << ", " << zone_id << ", " << gain
                  << ") sent no first status";
  } else if (first_status != nullptr) {
    *first_status = *status;
  }
  return hold;
}

std::unique_ptr<GainCallbackStream> HalHarness::RegisterGainCallback(const std::string& name) {
  v1::RegisterGainCallbackRequest request;
  request.set_name(name);
  return std::make_unique<GainCallbackStream>([this, request](grpc::ClientContext* context) {
    return audio_control_->RegisterGainCallback(context, request);
  });
}

std::unique_ptr<LevelStream> HalHarness::WatchStreamLevels(int32_t interval_ms) {
  v1::WatchStreamLevelsRequest request;
  request.set_interval_ms(interval_ms);
  return std::make_unique<LevelStream>([this, request](grpc::ClientContext* context) {
    return audio_control_->WatchStreamLevels(context, request);
  });
}

grpc::Status HalHarness::OnAudioFocusChange(int32_t usage, int32_t zone_id, int32_t focus_change) {
  v1::OnAudioFocusChangeRequest request;
  request.set_usage(static_cast<v1::AudioUsage>(usage));
  request.set_zone_id(zone_id);
  request.set_focus_change(static_cast<v1::FocusChange>(focus_change));
  v1::OnAudioFocusChangeResponse response;
  return audio_control_->OnAudioFocusChange(UnaryContext().get(), request, &response);
}

grpc::Status HalHarness::OnDevicesToDuckChange(const v1::OnDevicesToDuckChangeRequest& request) {
  v1::OnDevicesToDuckChangeResponse response;
  return audio_control_->OnDevicesToDuckChange(UnaryContext().get(), request, &response);
}

grpc::Status HalHarness::OnDevicesToMuteChange(const v1::OnDevicesToMuteChangeRequest& request) {
  v1::OnDevicesToMuteChangeResponse response;
  return audio_control_->OnDevicesToMuteChange(UnaryContext().get(), request, &response);
}

absl::StatusOr<v1::HalState> HalHarness::GetHalState() {
  v1::HalState state;
  const grpc::Status status =
      audio_control_->GetHalState(UnaryContext().get(), v1::GetHalStateRequest(), &state);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return state;
}

grpc::Status HalHarness::SetBalanceTowardRight(float value) {
  v1::SetBalanceTowardRightRequest request;
  request.set_value(value);
  v1::SetBalanceTowardRightResponse response;
  return audio_control_->SetBalanceTowardRight(UnaryContext().get(), request, &response);
}

grpc::Status HalHarness::SetFadeTowardFront(float value) {
  v1::SetFadeTowardFrontRequest request;
  request.set_value(value);
  v1::SetFadeTowardFrontResponse response;
  return audio_control_->SetFadeTowardFront(UnaryContext().get(), request, &response);
}

grpc::Status HalHarness::ReleaseFocus(int32_t usage, int32_t zone_id,
                                      int32_t* released_holders) {
  v1::ReleaseFocusRequest request;
  request.set_usage(static_cast<v1::AudioUsage>(usage));
  request.set_zone_id(zone_id);
  v1::ReleaseFocusResponse response;
  grpc::Status status = hal_focus_->ReleaseFocus(UnaryContext().get(), request, &response);
  if (released_holders != nullptr) *released_holders = response.released_holders();
  return status;
}

grpc::Status HalHarness::SetSilencedApps(const std::vector<AppIdentity>& apps) {
  v1::SetSilencedAppsResponse response;
  return audio_control_->SetSilencedApps(UnaryContext().get(), SilencedAppsRequest(apps),
                                         &response);
}

InMemoryAudioBackend::Snapshot HalHarness::SettledBackend() {
  hal_->snapshot();  // runs after every task posted before it
  return backend_.snapshot();
}

bool HalHarness::WaitFor(const std::function<bool(const AudioControlHal::Snapshot&)>& done) {
  const absl::Time deadline = absl::Now() + kEventTimeout;
  while (!done(hal_->snapshot())) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

v1::DuckingInfo Ducking(int32_t zone_id, std::vector<std::string> to_duck,
                        std::vector<std::string> to_unduck) {
  v1::DuckingInfo info;
  info.set_zone_id(zone_id);
  for (std::string& address : to_duck) info.add_device_addresses_to_duck(std::move(address));
  for (std::string& address : to_unduck) info.add_device_addresses_to_unduck(std::move(address));
  return info;
}

v1::MutingInfo Muting(int32_t zone_id, std::vector<std::string> to_mute,
                      std::vector<std::string> to_unmute) {
  v1::MutingInfo info;
  info.set_zone_id(zone_id);
  for (std::string& address : to_mute) info.add_device_addresses_to_mute(std::move(address));
  for (std::string& address : to_unmute) info.add_device_addresses_to_unmute(std::move(address));
  return info;
}

::testing::AssertionResult NextIsRegistered(ListenerStream& listener, uint64_t registration_id,
                                            int32_t replay_count) {
  std::optional<v1::FocusListenerCall> call = listener.Next();
  if (!call) return ::testing::AssertionFailure() << "no listener call";
  if (!call->has_registered() || call->registered().registration_id() != registration_id ||
      call->registered().replay_count() != replay_count) {
    return ::testing::AssertionFailure()
           << "expected registered{" << registration_id << ", replay " << replay_count
           << "}, got " << call->ShortDebugString();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult NextIsRequest(ListenerStream& listener, int32_t usage, int32_t zone_id,
                                         int32_t gain, bool replay) {
  std::optional<v1::FocusListenerCall> call = listener.Next();
  if (!call) return ::testing::AssertionFailure() << "no listener call";
  const v1::RequestAudioFocusCall& request = call->request_audio_focus();
  if (!call->has_request_audio_focus() || request.usage() != usage ||
      request.zone_id() != zone_id || request.focus_gain() != gain || request.replay() != replay) {
    return ::testing::AssertionFailure()
           << "expected request_audio_focus{usage " << usage << ", zone " << zone_id << ", gain "
           << gain << ", replay " << replay << "}, got " << call->ShortDebugString();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult NextIsAbandon(ListenerStream& listener, int32_t usage,
                                         int32_t zone_id) {
  std::optional<v1::FocusListenerCall> call = listener.Next();
  if (!call) return ::testing::AssertionFailure() << "no listener call";
  if (!call->has_abandon_audio_focus() || call->abandon_audio_focus().usage() != usage ||
      call->abandon_audio_focus().zone_id() != zone_id) {
    return ::testing::AssertionFailure() << "expected abandon_audio_focus{usage " << usage
                                         << ", zone " << zone_id << "}, got "
                                         << call->ShortDebugString();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult NextIsStatus(HoldStream& hold, int32_t usage, int32_t zone_id,
                                        int32_t focus_change) {
  std::optional<v1::HalFocusStatus> status = hold.Next();
  if (!status) return ::testing::AssertionFailure() << "no status";
  if (status->usage() != usage || status->zone_id() != zone_id ||
      status->focus_change() != focus_change || status->timestamp_ns() <= 0) {
    return ::testing::AssertionFailure()
           << "expected status{usage " << usage << ", zone " << zone_id << ", change "
           << focus_change << ", timestamp > 0}, got " << status->ShortDebugString();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace caraudio::testing
