#include "carservice/service_supervisor.h"

#include <mutex>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_join.h"
#include "common/log.h"

namespace caraudio {

struct ServiceSupervisor::State {
  State(const SystemdNotifier* notifier_in, std::vector<HealthProbe> probes_in)
      : notifier(notifier_in), probes(std::move(probes_in)) {}

  const SystemdNotifier* const notifier;
  const std::vector<HealthProbe> probes;

  mutable std::mutex mutex;
  bool stopped ABSL_GUARDED_BY(mutex) = false;
  bool round_in_flight ABSL_GUARDED_BY(mutex) = false;
  bool ping_asked ABSL_GUARDED_BY(mutex) = false;
  // Asked for while the round in flight had already begun: pinged by the
  // round after it.
  bool ping_asked_later ABSL_GUARDED_BY(mutex) = false;
  bool ready ABSL_GUARDED_BY(mutex) = false;
  int reloads_in_flight ABSL_GUARDED_BY(mutex) = 0;
  std::string status ABSL_GUARDED_BY(mutex);
};

ServiceSupervisor::ServiceSupervisor(const SystemdNotifier* notifier,
                                     std::vector<HealthProbe> probes)
    : state_(std::make_shared<State>(notifier, std::move(probes))) {}

ServiceSupervisor::~ServiceSupervisor() {
  std::lock_guard lock(state_->mutex);
  state_->stopped = true;
}

void ServiceSupervisor::Tick(bool watchdog) {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopped) return;
    if (state_->round_in_flight) {
      if (watchdog) state_->ping_asked_later = true;
      return;
    }
    state_->round_in_flight = true;
    state_->ping_asked = watchdog || state_->ping_asked_later;
    state_->ping_asked_later = false;
  }
  RunProbe(state_, 0, {});
}

void ServiceSupervisor::RunProbe(const std::shared_ptr<State>& state, size_t index,
                                 std::vector<ComponentHealth> healths) {
  if (index == state->probes.size()) {
    FinishRound(state, healths);
    return;
  }
  {
    // Once stopped, the components are going away: probe none of them.
    std::lock_guard lock(state->mutex);
    if (state->stopped) {
      state->round_in_flight = false;
      return;
    }
  }
  state->probes[index]([state, index, healths](ComponentHealth health) mutable {
    healths.push_back(std::move(health));
    RunProbe(state, index + 1, std::move(healths));
  });
}

void ServiceSupervisor::FinishRound(const std::shared_ptr<State>& state,
                                    const std::vector<ComponentHealth>& healths) {
  bool all_ready = true;
  std::vector<std::string> summaries;
  for (const ComponentHealth& health : healths) {
    all_ready = all_ready && health.ready;
    if (!health.summary.empty()) summaries.push_back(health.summary);
  }
  const std::string status = absl::StrJoin(summaries, "; ");

  std::lock_guard lock(state->mutex);
  state->round_in_flight = false;
  if (state->stopped) return;
  if (state->ping_asked) state->notifier->Watchdog();
  state->ping_asked = false;
  if (state->reloads_in_flight > 0) return;  // EndReload reports
  if (!state->ready && all_ready) {
    state->ready = true;
    state->status = status;
    LogInfo("audiocontrold", "service ready", {{"status", status}});
    state->notifier->Ready(status);
  } else if (status != state->status) {
    state->status = status;
    state->notifier->Status(status);
  }
}

bool ServiceSupervisor::ready() const {
  std::lock_guard lock(state_->mutex);
  return state_->ready;
}

std::string ServiceSupervisor::status() const {
  std::lock_guard lock(state_->mutex);
  return state_->status;
}

void ServiceSupervisor::BeginReload(const std::string& status) {
  std::lock_guard lock(state_->mutex);
  if (state_->stopped) return;
  ++state_->reloads_in_flight;
  state_->notifier->Reloading(status);
}

void ServiceSupervisor::EndReload(const std::string& status) {
  std::lock_guard lock(state_->mutex);
  if (state_->stopped || state_->reloads_in_flight == 0) return;
  if (--state_->reloads_in_flight > 0) return;
  // The next round sends the summary again.
  state_->status.clear();
  if (state_->ready) {
    state_->notifier->Ready(status);
  } else {
    state_->notifier->Status(status);
  }
}

void ServiceSupervisor::Stop(const std::string& status) {
  std::lock_guard lock(state_->mutex);
  if (state_->stopped) return;
  state_->stopped = true;
  state_->notifier->Stopping(status);
}

}  // namespace caraudio
