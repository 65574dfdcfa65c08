#include "tools/resilient_focus_client.h"

#include <algorithm>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"

namespace caraudio {
namespace {

// The channel reconnects on the client's own schedule: without these, gRPC's
// default (1 s growing to 120 s) would keep a fail-fast call failing long
// after the daemon is back. (Not GRPC_ARG_MIN_RECONNECT_BACKOFF_MS: gRPC also
// takes it as the handshake timeout.)
grpc::ChannelArguments ChannelArgumentsFor(const ResilientFocusClient::Options& options) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
                   static_cast<int>(absl::ToInt64Milliseconds(options.initial_backoff)));
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
                   static_cast<int>(absl::ToInt64Milliseconds(options.max_backoff)));
  // Its own connection: a dead one shared with other channels is never reused.
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return arguments;
}

}  // namespace

std::unique_ptr<ResilientFocusClient> ResilientFocusClient::Start(const std::string& target,
                                                                  v1::FocusRequest desired,
                                                                  Options options) {
  return std::make_unique<ResilientFocusClient>(PrivateTag{}, target, std::move(desired),
                                                std::move(options));
}

ResilientFocusClient::ResilientFocusClient(PrivateTag, const std::string& target,
                                           v1::FocusRequest desired, Options options)
    : desired_(std::move(desired)),
      options_(std::move(options)),
      stub_(v1::AudioFocus::NewStub(grpc::CreateCustomChannel(
          target, grpc::InsecureChannelCredentials(), ChannelArgumentsFor(options_)))),
      thread_([this] { Run(); }) {}

ResilientFocusClient::~ResilientFocusClient() { Stop(); }

void ResilientFocusClient::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

ResilientFocusClient::State ResilientFocusClient::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

ResilientFocusClient::State ResilientFocusClient::AwaitState(
    const std::function<bool(const State&)>& done, absl::Duration timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, absl::ToChronoNanoseconds(timeout), [this, &done] { return done(state_); });
  return state_;
}

void ResilientFocusClient::Run() {
  absl::BitGen random;
  absl::Duration backoff = options_.initial_backoff;
  for (;;) {
    const int answered_before = state().answered;
    const grpc::Status status = RunStream();
    {
      std::lock_guard lock(mutex_);
      state_.connected = false;
      bool done = stopping_ || state_.ended;
      if (!done && status.error_code() != grpc::StatusCode::UNAVAILABLE) {
        state_.ended = absl::StrCat("status ", status.error_code(), " ", status.error_message());
        done = true;
      }
      if (!done) ++state_.drops;
      changed_.notify_all();
      if (done) return;
    }
    // A daemon answered since the last drop: it was up, so start over fast.
    if (state().answered > answered_before) backoff = options_.initial_backoff;
    const double spread = absl::Uniform(random, -options_.jitter, options_.jitter);
    if (!SleepUnlessStopped(backoff * (1.0 + spread))) return;
    backoff = std::min(backoff * options_.multiplier, options_.max_backoff);
  }
}

grpc::Status ResilientFocusClient::RunStream() {
  grpc::ClientContext context;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return grpc::Status::CANCELLED;
    context_ = &context;
    ++state_.requests;
  }
  changed_.notify_all();
  // Fail fast while no daemon listens: the backoff, not gRPC, paces retries.
  context.set_wait_for_ready(false);
  std::unique_ptr<grpc::ClientReader<v1::FocusEvent>> reader =
      stub_->RequestFocus(&context, desired_);
  v1::FocusEvent event;
  std::optional<std::string> final_word;
  while (!final_word && reader->Read(&event)) {
    final_word = OnEvent(event);
    if (options_.on_event) options_.on_event(event);
  }
  if (final_word) context.TryCancel();  // the daemon ends it too; do not wait
  grpc::Status status = reader->Finish();
  {
    std::lock_guard lock(mutex_);
    context_ = nullptr;
    if (final_word) state_.ended = std::move(final_word);
  }
  changed_.notify_all();
  return status;
}

std::optional<std::string> ResilientFocusClient::OnEvent(const v1::FocusEvent& event) {
  std::optional<std::string> final_word = RecordEvent(event);
  changed_.notify_all();
  return final_word;
}

std::optional<std::string> ResilientFocusClient::RecordEvent(const v1::FocusEvent& event) {
  std::lock_guard lock(mutex_);
  switch (event.event_case()) {
    case v1::FocusEvent::kResult:
      ++state_.answered;
      state_.connected = true;
      state_.result = event.result().result();
      state_.last_change.reset();
      if (event.result().result() == v1::REQUEST_FAILED) return "result FAILED";
      return std::nullopt;
    case v1::FocusEvent::kFocusChange:
      state_.last_change = event.focus_change().change();
      if (event.focus_change().change() == v1::FOCUS_CHANGE_LOSS) return "LOSS";
      return std::nullopt;
    case v1::FocusEvent::kReplaced:
      return "replaced";
    case v1::FocusEvent::kAbandoned:
      return "abandoned";
    case v1::FocusEvent::EVENT_NOT_SET:
      return std::nullopt;
  }
  return std::nullopt;
}

bool ResilientFocusClient::SleepUnlessStopped(absl::Duration wait) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, absl::ToChronoNanoseconds(wait), [this] { return stopping_; });
  return !stopping_;
}

}  // namespace caraudio
