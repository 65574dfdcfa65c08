#include "tests/soak/hal_chime_source.h"

#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "tests/testing/stream_reader.h"

namespace caraudio::testing {
namespace {

using StatusStream = StreamReader<v1::HalFocusStatus>;

constexpr v1::AudioUsage kVehicleUsages[] = {v1::USAGE_SAFETY, v1::USAGE_VEHICLE_STATUS,
                                             v1::USAGE_ANNOUNCEMENT, v1::USAGE_EMERGENCY};
constexpr v1::FocusGain kGains[] = {v1::FOCUS_GAIN_TRANSIENT,
                                    v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK};

// A stream that ended other than OK (the car service's LOSS, the sound's
// end) or CANCELLED (this source let go) is an error.
void CheckEnd(StatusStream& stream, const char* what, SoakCounters& counters) {
  std::optional<grpc::Status> status = stream.WaitForEnd(absl::Seconds(5));
  if (status && (status->ok() || status->error_code() == grpc::StatusCode::CANCELLED)) return;
  const std::string why = status ? absl::StrCat(status->error_code(), " ", status->error_message())
                                 : "did not end within 5 s";
  if (counters.errors.fetch_add(1) < 10) {
    std::fprintf(stderr, "soak: error: %s stream: %s\n", what, why.c_str());
  }
}

}  // namespace

HalChimeSource::HalChimeSource(std::shared_ptr<grpc::Channel> channel, int zones, uint64_t seed,
                               SoakCounters* counters)
    : zones_(zones),
      stub_(v1::HalFocus::NewStub(std::move(channel))),
      counters_(counters),
      thread_([this, seed] { Run(seed); }) {}

HalChimeSource::~HalChimeSource() { Stop(); }

void HalChimeSource::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

bool HalChimeSource::SleepUnlessStopped(absl::Duration wait) {
  absl::MutexLock lock(&mutex_);
  auto stopping = [this]() ABSL_SHARED_LOCKS_REQUIRED(mutex_) { return stopping_; };
  mutex_.AwaitWithTimeout(absl::Condition(&stopping), wait);
  return !stopping_;
}

void HalChimeSource::Run(uint64_t seed) {
  std::seed_seq seeds{seed};
  absl::BitGen random(seeds);
  std::vector<std::unique_ptr<StatusStream>> sounds;
  for (int round = 1;; ++round) {
    v1::HoldFocusRequest hold_request;
    hold_request.set_usage(kVehicleUsages[absl::Uniform(random, 0u, std::size(kVehicleUsages))]);
    hold_request.set_gain(kGains[absl::Uniform(random, 0u, std::size(kGains))]);
    hold_request.set_zone_id(absl::Uniform(random, 0, zones_));
    hold_request.set_source_name("soak-chime");
    auto hold = std::make_unique<StatusStream>(
        [this, hold_request](grpc::ClientContext* context) {
          return stub_->HoldFocus(context, hold_request);
        });
    ++counters_->hal_holds;
    if (round % 5 == 0) {
      v1::PlaySoundRequest sound;
      sound.set_usage(v1::USAGE_SAFETY);
      sound.set_zone_id(absl::Uniform(random, 0, zones_));
      sound.set_duration_ms(200);
      sound.set_source_name("soak-seatbelt");
      sounds.push_back(std::make_unique<StatusStream>(
          [this, sound](grpc::ClientContext* context) { return stub_->PlaySound(context, sound); }));
      ++counters_->hal_sounds;
    }
    const bool go_on =
        SleepUnlessStopped(absl::Milliseconds(absl::Uniform(random, 50, 300)));
    hold->Cancel();
    CheckEnd(*hold, "HoldFocus", *counters_);
    hold.reset();
    std::erase_if(sounds, [this](const std::unique_ptr<StatusStream>& stream) {
      if (!stream->ended()) return false;
      CheckEnd(*stream, "PlaySound", *counters_);
      return true;
    });
    if (!go_on || !SleepUnlessStopped(absl::Milliseconds(absl::Uniform(random, 50, 300)))) break;
  }
  for (const std::unique_ptr<StatusStream>& stream : sounds) {
    CheckEnd(*stream, "PlaySound", *counters_);  // 200 ms sounds end on their own
  }
}

}  // namespace caraudio::testing
