#include "tests/soak/soak_app.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace caraudio::testing {
namespace {

// What the apps ask for, with how often: the mix of a busy head unit.
struct Ask {
  v1::AudioUsage usage;
  v1::FocusGain gain;
  int weight;
};
constexpr Ask kAsks[] = {
    {v1::USAGE_MEDIA, v1::FOCUS_GAIN, 30},
    {v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 20},
    {v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN_TRANSIENT, 8},
    {v1::USAGE_NOTIFICATION_RINGTONE, v1::FOCUS_GAIN_TRANSIENT_EXCLUSIVE, 4},
    {v1::USAGE_ASSISTANT, v1::FOCUS_GAIN_TRANSIENT, 8},
    {v1::USAGE_NOTIFICATION, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 12},
    {v1::USAGE_ALARM, v1::FOCUS_GAIN_TRANSIENT, 5},
    {v1::USAGE_ASSISTANCE_SONIFICATION, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 5},
    {v1::USAGE_GAME, v1::FOCUS_GAIN, 8},
};

const Ask& PickAsk(absl::BitGen& random) {
  int total = 0;
  for (const Ask& ask : kAsks) total += ask.weight;
  int pick = absl::Uniform(random, 0, total);
  for (const Ask& ask : kAsks) {
    if (pick < ask.weight) return ask;
    pick -= ask.weight;
  }
  return kAsks[0];
}

void CountError(SoakCounters& counters, const std::string& what) {
  // The first few are printed; the count says how many there were.
  if (counters.errors.fetch_add(1) < 10) std::fprintf(stderr, "soak: error: %s\n", what.c_str());
}

}  // namespace

// ---------------------------------------------------------------------------
// FocusCall

FocusCall::FocusCall(v1::AudioFocus::Stub* stub, v1::FocusRequest request,
                     SoakCounters* counters)
    : stub_(stub), request_(std::move(request)), counters_(counters) {}

void FocusCall::Start() {
  started_ = absl::Now();
  stub_->async()->RequestFocus(&context_, &request_, this);
  StartRead(&event_);
  StartCall();
}

void FocusCall::OnReadDone(bool ok) {
  if (!ok) return;  // OnDone follows
  Count(event_);
  StartRead(&event_);
}

void FocusCall::Count(const v1::FocusEvent& event) {
  if (!answered() && !event.has_result()) {
    CountError(*counters_, "a RequestFocus stream began without a result: " +
                               event.ShortDebugString());
  }
  switch (event.event_case()) {
    case v1::FocusEvent::kResult:
      answered_.store(true, std::memory_order_release);
      counters_->result_latency.Add(absl::Now() - started_);
      switch (event.result().result()) {
        case v1::REQUEST_GRANTED:
          ++counters_->granted;
          standing_.store(true, std::memory_order_release);
          break;
        case v1::REQUEST_DELAYED:
          ++counters_->delayed;
          standing_.store(true, std::memory_order_release);
          break;
        default:
          ++counters_->failed;
          break;
      }
      break;
    case v1::FocusEvent::kFocusChange:
      switch (event.focus_change().change()) {
        case v1::FOCUS_CHANGE_GAIN:
          ++counters_->gains;
          break;
        case v1::FOCUS_CHANGE_LOSS:
          ++counters_->losses;
          standing_.store(false, std::memory_order_release);
          break;
        default:
          ++counters_->transient_losses;
          break;
      }
      break;
    case v1::FocusEvent::kReplaced:
      ++counters_->replaced;
      standing_.store(false, std::memory_order_release);
      break;
    case v1::FocusEvent::kAbandoned:
      ++counters_->abandoned;
      standing_.store(false, std::memory_order_release);
      break;
    case v1::FocusEvent::EVENT_NOT_SET:
      CountError(*counters_, "a FocusEvent without an event");
      break;
  }
}

void FocusCall::OnDone(const grpc::Status& status) {
  standing_.store(false, std::memory_order_release);
  if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
    CountError(*counters_, absl::StrCat("RequestFocus ", request_.client_id(), " ended with ",
                                        status.error_code(), " ", status.error_message()));
  }
  // Last: once set, the owner may destroy this object.
  done_.store(true, std::memory_order_release);
}

// ---------------------------------------------------------------------------
// SoakApp

SoakApp::SoakApp(int index, int zones, bool fresh_client_ids,
                 std::shared_ptr<grpc::Channel> channel, SoakCounters* counters)
    : index_(index),
      zones_(zones),
      fresh_client_ids_(fresh_client_ids),
      channel_(std::move(channel)),
      stub_(v1::AudioFocus::NewStub(channel_)),
      counters_(counters),
      abandons_in_flight_(std::make_shared<std::atomic<int>>(0)) {}

SoakApp::~SoakApp() { Shutdown(); }

void SoakApp::Act(absl::BitGen& random) {
  Reap();
  FocusCall* standing = Standing();
  if (standing == nullptr) {
    Request(random);
    return;
  }
  const int pick = absl::Uniform(random, 0, 100);
  if (pick < 40) return;  // keep it
  if (pick < 60) {
    Abandon(*standing);
  } else if (pick < 78) {
    ++counters_->re_requests;
    Open(standing->request());
  } else {
    ++counters_->disconnects;
    standing->Cancel();
  }
}

void SoakApp::Request(absl::BitGen& random) {
  const Ask& ask = PickAsk(random);
  v1::FocusRequest request;
  if (fresh_client_ids_) ++generation_;
  request.set_client_id(absl::StrCat("soak-", index_, "-", generation_));
  request.set_package_name(absl::StrCat("com.soak.app", index_));
  request.set_usage(ask.usage);
  request.set_gain(ask.gain);
  request.set_zone_id(absl::Uniform(random, 0, zones_));
  request.set_delay_ok(ask.gain == v1::FOCUS_GAIN && absl::Bernoulli(random, 0.4));
  request.set_pause_when_ducked(absl::Bernoulli(random, 0.2));
  request.set_receive_ducking_events(absl::Bernoulli(random, 0.2));
  Open(std::move(request));
}

void SoakApp::Abandon(const FocusCall& call) {
  struct Call {
    grpc::ClientContext context;
    v1::AbandonFocusRequest request;
    v1::AbandonFocusResponse response;
  };
  auto abandon = std::make_shared<Call>();
  abandon->context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  abandon->request.set_client_id(call.request().client_id());
  abandon->request.set_zone_id(call.request().zone_id());
  ++counters_->abandons;
  ++*abandons_in_flight_;
  stub_->async()->AbandonFocus(
      &abandon->context, &abandon->request, &abandon->response,
      [abandon, counters = counters_, in_flight = abandons_in_flight_](grpc::Status status) {
        if (!status.ok()) {
          CountError(*counters, absl::StrCat("AbandonFocus ", abandon->request.client_id(), ": ",
                                             status.error_code(), " ", status.error_message()));
        }
        --*in_flight;
      });
}

void SoakApp::Open(v1::FocusRequest request) {
  ++counters_->requests;
  calls_.push_back(std::make_unique<FocusCall>(stub_.get(), std::move(request), counters_));
  calls_.back()->Start();
}

FocusCall* SoakApp::Standing() const {
  // A call that is not yet answered counts as standing: its answer decides.
  for (auto call = calls_.rbegin(); call != calls_.rend(); ++call) {
    if (!(*call)->cancelled() && ((*call)->standing() || !(*call)->answered())) {
      return call->get();
    }
  }
  return nullptr;
}

void SoakApp::Reap() {
  std::erase_if(calls_, [](const std::unique_ptr<FocusCall>& call) { return call->done(); });
}

int SoakApp::LingeringCalls() const {
  int lingering = 0;
  for (const std::unique_ptr<FocusCall>& call : calls_) {
    if (!call->done() && (call->cancelled() || (call->answered() && !call->standing()))) {
      ++lingering;
    }
  }
  return lingering;
}

bool SoakApp::Shutdown(absl::Duration timeout) {
  for (const std::unique_ptr<FocusCall>& call : calls_) call->Cancel();
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    Reap();
    if (calls_.empty() && abandons_in_flight_->load() == 0) return true;
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
}

}  // namespace caraudio::testing
