#include "tests/engine/engine_invariants.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caraudio::engine_test {

std::string ClientName(int index) {
  return index == kClientCount - 1 ? std::string(kTelephonyClientId)
                                   : "client" + std::to_string(index);
}

std::string Describe(const Op& op) {
  std::ostringstream out;
  switch (op.kind) {
    case Op::Kind::kRequest:
      out << "Request(" << op.request.client_id << ", " << UsageName(op.request.usage) << ", "
          << FocusGainName(op.request.gain) << (op.request.delay_ok ? ", DELAY_OK" : "")
          << (op.request.pause_when_ducked ? ", PAUSE" : "")
          << (op.request.receives_ducking_events ? ", DUCK_EVENTS" : "") << ", uid "
          << op.request.uid;
      if (op.request.requested_zone_id) out << ", zone " << *op.request.requested_zone_id;
      out << ")";
      break;
    case Op::Kind::kAbandon:
      out << "Abandon(" << op.client_id;
      if (op.zone_id) out << ", zone " << *op.zone_id;
      out << ")";
      break;
    case Op::Kind::kRestrict:
      out << "SetRestrictFocus(" << op.flag << ")";
      break;
    case Op::Kind::kNavSetting:
      out << "SetNavigationRejectedDuringCall(" << *op.zone_id << ", " << op.flag << ")";
      break;
    case Op::Kind::kSetUidZone:
      out << "SetZoneForUid(" << op.uid << ", " << *op.zone_id << ")";
      break;
    case Op::Kind::kClearUidZone:
      out << "ClearZoneForUid(" << op.uid << ")";
      break;
  }
  return out.str();
}


Output Apply(FocusEngine& engine, const Op& op) {
  Output output;
  switch (op.kind) {
    case Op::Kind::kRequest:
      output.decision = engine.RequestFocus(op.request);
      break;
    case Op::Kind::kAbandon:
      output.changes = engine.AbandonFocus(op.client_id, op.zone_id);
      break;
    case Op::Kind::kRestrict:
      output.changes = engine.SetRestrictFocus(op.flag);
      break;
    case Op::Kind::kNavSetting:
      output.status = engine.SetNavigationRejectedDuringCall(*op.zone_id, op.flag).code();
      break;
    case Op::Kind::kSetUidZone: {
      absl::StatusOr<FocusChanges> changes = engine.SetZoneForUid(op.uid, *op.zone_id);
      output.status = changes.status().code();
      if (changes.ok()) output.changes = *std::move(changes);
      break;
    }
    case Op::Kind::kClearUidZone:
      output.changes = engine.ClearZoneForUid(op.uid);
      break;
  }
  return output;
}

namespace {

class OpGenerator {
 public:
  explicit OpGenerator(uint64_t seed) : rng_(seed) {
    for (int i = 0; i < kClientCount; ++i) {
      clients_.push_back(ClientName(i));
      preferred_usage_.push_back(kUsagePool[i % std::size(kUsagePool)]);
    }
  }

  Op Next(bool restricted) {
    Op op;
    const int roll = Uniform(0, 999);
    if (restricted ? roll < 40 : roll < 3) {
      op.kind = Op::Kind::kRestrict;
      op.flag = !restricted;
    } else if (roll < 25) {
      op.kind = Op::Kind::kNavSetting;
      op.zone_id = Uniform(0, 9) == 0 ? 4 : Pick(kZones);  // 4 is not a zone
      op.flag = Uniform(0, 1) == 1;
    } else if (roll < 45) {
      op.kind = Op::Kind::kSetUidZone;
      op.uid = Uid(Uniform(0, kUidCount - 1));
      op.zone_id = Uniform(0, 9) == 0 ? 3 : Pick(kZones);  // 3 is not a zone
    } else if (roll < 52) {
      op.kind = Op::Kind::kClearUidZone;
      op.uid = Uid(Uniform(0, kUidCount - 1));
    } else if (roll < 300) {
      op.kind = Op::Kind::kAbandon;
      op.client_id = Uniform(0, 49) == 0 ? "stranger" : clients_[Uniform(0, kClientCount - 1)];
      if (Uniform(0, 9) < 3) op.zone_id = Pick(kZones);
    } else {
      op.kind = Op::Kind::kRequest;
      op.request = RandomRequest();
    }
    return op;
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T, size_t N>
  T Pick(const T (&values)[N]) {
    return values[Uniform(0, static_cast<int>(N) - 1)];
  }
  static int32_t Uid(int index) { return 10000 + index; }

  FocusRequest RandomRequest() {
    const int client = Uniform(0, kClientCount - 1);
    FocusRequest request;
    request.client_id = clients_[client];
    request.package_name = "pkg." + request.client_id;
    request.uid = Uniform(0, 4) == 0 ? Uid(Uniform(0, kUidCount - 1)) : Uid(client % kUidCount);
    if (client == kClientCount - 1) {
      const int32_t phone_usages[] = {2, 3, 6, 17};
      request.usage = Uniform(0, 4) == 0 ? Pick(kUsagePool) : Pick(phone_usages);
    } else {
      request.usage = Uniform(0, 9) < 7 ? preferred_usage_[client] : Pick(kUsagePool);
    }
    request.content_type = Uniform(0, 4);
    request.gain = static_cast<FocusGain>(Uniform(1, 4));
    request.delay_ok = Uniform(0, 9) < 3;
    request.pause_when_ducked = Uniform(0, 9) < 2;
    request.receives_ducking_events = Uniform(0, 9) < 3;
    if (Uniform(0, 3) == 0) {
      const int32_t explicit_zones[] = {0, 1, 2, 2, 1, 5, -1};
      request.requested_zone_id = Pick(explicit_zones);
    }
    return request;
  }

  std::mt19937_64 rng_;
  std::vector<std::string> clients_;
  std::vector<int32_t> preferred_usage_;
};

std::map<int32_t, ZoneSnapshot> SnapshotAll(const FocusEngine& engine) {
  std::map<int32_t, ZoneSnapshot> out;
  for (const auto& [zone_id, zone] : engine.zones()) out.emplace(zone_id, Snapshot(zone));
  return out;
}

bool IsCritical(const FocusRequest& request) { return IsCriticalUsage(request.usage); }

// Structural invariants of one zone (§3.1, §3.3 step 6, §3.5, §3.7).
void CheckZone(const ZoneFocus& zone, bool engine_restricted, const std::string& where) {
  SCOPED_TRACE(where + " zone " + std::to_string(zone.zone_id()));
  std::set<std::string> holder_clients;
  std::set<std::string> loser_clients;
  std::set<FocusEntryId> ids;
  for (const FocusEntry& holder : zone.holders()) {
    EXPECT_TRUE(holder_clients.insert(holder.client_id()).second)
        << "duplicate holder " << holder.client_id();
    EXPECT_TRUE(ids.insert(holder.id).second) << "duplicate entry id " << holder.id;
    EXPECT_TRUE(holder.blockers.empty()) << "holder with blockers " << holder.client_id();
    EXPECT_FALSE(holder.ducked) << "ducked holder " << holder.client_id();
    EXPECT_EQ(holder.context, ContextForUsage(holder.request.usage));
  }
  for (const FocusEntry& loser : zone.losers()) {
    EXPECT_TRUE(loser_clients.insert(loser.client_id()).second)
        << "duplicate loser " << loser.client_id();
    EXPECT_EQ(holder_clients.count(loser.client_id()), 0u)
        << loser.client_id() << " is both holder and loser";
    EXPECT_TRUE(ids.insert(loser.id).second) << "duplicate entry id " << loser.id;
    EXPECT_EQ(loser.context, ContextForUsage(loser.request.usage));
  }
  for (const FocusEntry& loser : zone.losers()) {
    EXPECT_FALSE(loser.blockers.empty()) << "loser without blockers " << loser.client_id();
    for (FocusEntryId blocker : loser.blockers) {
      EXPECT_NE(blocker, loser.id) << loser.client_id() << " blocks itself";
      EXPECT_EQ(ids.count(blocker), 1u)
          << loser.client_id() << " is blocked by removed entry #" << blocker;
    }
  }
  if (const std::optional<FocusRequest>& delayed = zone.delayed_request()) {
    // A delayed request is always G + DELAY_OK and is neither holder nor loser.
    EXPECT_TRUE(delayed->is_delayable()) << delayed->client_id;
    EXPECT_EQ(holder_clients.count(delayed->client_id), 0u)
        << "delayed client " << delayed->client_id << " is also a holder";
    EXPECT_EQ(loser_clients.count(delayed->client_id), 0u)
        << "delayed client " << delayed->client_id << " is also a loser";
  }
  EXPECT_EQ(zone.restricted(), engine_restricted);
  if (engine_restricted) {
    for (const FocusEntry& entry : zone.holders()) {
      EXPECT_TRUE(IsCritical(entry.request)) << "non-critical holder " << entry.client_id();
    }
    for (const FocusEntry& entry : zone.losers()) {
      EXPECT_TRUE(IsCritical(entry.request)) << "non-critical loser " << entry.client_id();
    }
    if (zone.delayed_request()) {
      EXPECT_TRUE(IsCritical(*zone.delayed_request())) << "non-critical delayed request";
    }
  }
}


// Checks that need the state before the operation and its output.
void CheckStep(const Op& op, const Output& output, const FocusEngine& engine,
               const std::map<int32_t, ZoneSnapshot>& before, int32_t expected_request_zone,
               const std::map<int32_t, bool>& nav_settings, Stats& stats) {
  const std::map<int32_t, ZoneSnapshot> after = SnapshotAll(engine);
  const std::vector<FocusCallback>& callbacks = output.callbacks();
  for (const FocusCallback& callback : callbacks) {
    EXPECT_TRUE(engine.HasZone(callback.zone_id)) << "callback for unknown zone";
    ++stats.changes[callback.change];
  }
  for (const auto& [zone_id, zone] : engine.zones()) {
    EXPECT_EQ(zone.navigation_rejected_during_call(), nav_settings.at(zone_id));
  }

  // The last change each (zone, client) was told must match where it ended up.
  const bool is_move = op.kind == Op::Kind::kSetUidZone || op.kind == Op::Kind::kClearUidZone;
  if (!is_move) {
    std::map<std::pair<int32_t, std::string>, FocusChange> last;
    for (const FocusCallback& callback : callbacks) {
      last[{callback.zone_id, callback.client_id}] = callback.change;
    }
    for (const auto& [key, change] : last) {
      const ZoneFocus& zone = *engine.zone(key.first);
      const bool holder = FindHolder(zone, key.second) != nullptr;
      const bool loser = FindLoser(zone, key.second) != nullptr;
      switch (change) {
        case FocusChange::kLoss:
          // No exception: a request supersedes its client's own delayed
          // request before cleanup, so a LOSS is always final (deviation
          // from AAOS, which could retry the stale request and say LOSS to a
          // client it then keeps delayed).
          EXPECT_FALSE(zone.Contains(key.second))
              << key.second << " was told LOSS but is still in zone " << key.first;
          break;
        case FocusChange::kLossTransient:
        case FocusChange::kLossTransientCanDuck:
          EXPECT_TRUE(loser) << key.second << " was told " << FocusChangeName(change)
                             << " but is not waiting in zone " << key.first;
          break;
        case FocusChange::kGain:
          EXPECT_TRUE(holder) << key.second << " was told GAIN but does not hold focus in zone "
                              << key.first;
          break;
      }
    }
  }

  switch (op.kind) {
    case Op::Kind::kRequest: {
      ASSERT_TRUE(output.decision.has_value());
      const FocusDecision& decision = *output.decision;
      ++stats.results[decision.result];
      EXPECT_EQ(decision.zone_id, expected_request_zone);
      for (const FocusCallback& callback : callbacks) {
        EXPECT_EQ(callback.zone_id, decision.zone_id) << "request touched another zone";
      }
      for (const auto& [zone_id, snapshot] : before) {
        if (zone_id != decision.zone_id) {
          EXPECT_EQ(after.at(zone_id), snapshot) << "request changed zone " << zone_id;
        }
      }
      const ZoneFocus& zone = *engine.zone(decision.zone_id);
      const std::string& client = op.request.client_id;
      bool requester_told = false;
      for (const FocusCallback& callback : callbacks) requester_told |= callback.client_id == client;
      switch (decision.result) {
        case RequestResult::kFailed:
          // FAILED changes nothing at all (§3.3 steps 1-5).
          EXPECT_THAT(callbacks, ::testing::IsEmpty());
          EXPECT_EQ(after.at(decision.zone_id), before.at(decision.zone_id));
          break;
        case RequestResult::kGranted:
          if (!requester_told) {
            const FocusEntry* entry = FindHolder(zone, client);
            EXPECT_NE(entry, nullptr) << "GRANTED but not a holder";
            if (entry != nullptr) {
              EXPECT_EQ(entry->request.usage, op.request.usage);
            }
          }
          // Deviation: a granted request never leaves a delayed request of its own.
          if (zone.delayed_request()) {
            EXPECT_NE(zone.delayed_request()->client_id, client);
          }
          break;
        case RequestResult::kDelayed:
          EXPECT_TRUE(op.request.is_delayable());
          ASSERT_TRUE(zone.delayed_request().has_value());
          EXPECT_EQ(zone.delayed_request()->client_id, client);
          EXPECT_EQ(zone.delayed_request()->usage, op.request.usage);
          break;
      }
      break;
    }
    case Op::Kind::kAbandon: {
      ASSERT_TRUE(output.changes.has_value());
      for (const FocusCallback& callback : callbacks) {
        EXPECT_NE(callback.client_id, op.client_id) << "abandoning client was told something";
      }
      for (const auto& [zone_id, zone] : engine.zones()) {
        if (!op.zone_id || *op.zone_id == zone_id) {
          EXPECT_FALSE(zone.Contains(op.client_id)) << "still in zone " << zone_id;
        } else {
          EXPECT_EQ(after.at(zone_id), before.at(zone_id)) << "abandon changed zone " << zone_id;
        }
      }
      break;
    }
    case Op::Kind::kRestrict: {
      ASSERT_TRUE(output.changes.has_value());
      EXPECT_THAT(output.changes->changed_zones, ::testing::UnorderedElementsAre(0, 1, 2));
      EXPECT_EQ(engine.restricted(), op.flag);
      if (!op.flag) {
        EXPECT_THAT(callbacks, ::testing::IsEmpty());
        for (const auto& [zone_id, snapshot] : before) {
          ZoneSnapshot expected = snapshot;
          expected.restricted = false;
          EXPECT_EQ(after.at(zone_id), expected);
        }
      } else {
        for (const FocusCallback& callback : callbacks) {
          EXPECT_TRUE(callback.change == FocusChange::kLoss ||
                      (callback.change == FocusChange::kGain && IsCriticalUsage(callback.usage)))
              << ::testing::PrintToString(callback);
        }
      }
      break;
    }
    case Op::Kind::kNavSetting:
      EXPECT_EQ(output.status, engine.HasZone(*op.zone_id) ? absl::StatusCode::kOk
                                                           : absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(after, before);
      break;
    case Op::Kind::kSetUidZone:
      if (!engine.HasZone(*op.zone_id)) {
        ++stats.rejected_invalid_zone;
        EXPECT_EQ(output.status, absl::StatusCode::kInvalidArgument);
        EXPECT_EQ(after, before);
        break;
      }
      EXPECT_EQ(output.status, absl::StatusCode::kOk);
      EXPECT_EQ(engine.ZoneForUid(op.uid), *op.zone_id);
      [[fallthrough]];
    case Op::Kind::kClearUidZone:
      if (op.kind == Op::Kind::kClearUidZone) {
        EXPECT_EQ(engine.ZoneForUid(op.uid), 0);
      }
      if (!callbacks.empty()) ++stats.moves_with_callbacks;
      for (const FocusCallback& callback : callbacks) {
        EXPECT_TRUE(engine.HasZone(callback.zone_id));
      }
      break;
  }
}

}  // namespace

OpSource RandomOps(uint64_t seed) {
  auto generator = std::make_shared<OpGenerator>(seed);
  return [generator](bool restricted) -> std::optional<Op> { return generator->Next(restricted); };
}

int FailureCount() {
  // Outside a test (the fuzzer) failures land in the ad hoc result.
  const ::testing::UnitTest& unit_test = *::testing::UnitTest::GetInstance();
  const ::testing::TestInfo* test = unit_test.current_test_info();
  return test != nullptr ? test->result()->total_part_count()
                         : unit_test.ad_hoc_test_result().total_part_count();
}


RunResult RunOps(const OpSource& next, int steps, const std::string& label) {
  RunResult run;
  absl::StatusOr<FocusEngine> created = FocusEngine::Create({0, 1, 2});
  EXPECT_TRUE(created.ok());
  FocusEngine engine = *std::move(created);
  std::map<int32_t, bool> nav_settings = {{0, false}, {1, false}, {2, false}};
  run.ops.reserve(steps);
  run.outputs.reserve(steps);
  int failures_reported = 0;

  for (int step = 0; step < steps; ++step) {
    const std::optional<Op> next_op = next(engine.restricted());
    if (!next_op) break;
    const Op& op = *next_op;
    const std::map<int32_t, ZoneSnapshot> before = SnapshotAll(engine);
    const int32_t request_zone =
        op.kind == Op::Kind::kRequest ? engine.ZoneForRequest(op.request) : -1;
    Output output = Apply(engine, op);
    if (op.kind == Op::Kind::kNavSetting && engine.HasZone(*op.zone_id)) {
      nav_settings[*op.zone_id] = op.flag;
    }

    const int failures_before = FailureCount();
    {
      const std::string where =
          label + " step " + std::to_string(step) + ": " + Describe(op);
      SCOPED_TRACE(where);
      CheckStep(op, output, engine, before, request_zone, nav_settings, run.stats);
      for (const auto& [zone_id, zone] : engine.zones()) {
        CheckZone(zone, engine.restricted(), where);
      }
    }
    const int failures_after = FailureCount();
    if (failures_after != failures_before) {
      // Print the recent history once per failure, then stop early if it keeps failing.
      std::ostringstream history;
      for (int i = std::max(0, step - 15); i <= step; ++i) {
        history << "  " << i << ": " << Describe(i == step ? op : run.ops[i]) << "\n";
      }
      std::ostringstream state;
      for (const auto& [zone_id, snapshot] : before) {
        state << "  zone " << zone_id << " before: " << ::testing::PrintToString(snapshot) << "\n";
      }
      for (const auto& [zone_id, zone] : engine.zones()) {
        state << "  zone " << zone_id << " after:  " << ::testing::PrintToString(Snapshot(zone))
              << "\n";
      }
      state << "  result: "
            << (output.decision ? RequestResultName(output.decision->result) : "-")
            << (output.decision ? " (" + output.decision->explanation.text + ")" : "")
            << "\n  callbacks: " << ::testing::PrintToString(output.callbacks()) << "\n";
      ADD_FAILURE() << "history up to the failing step:\n"
                    << history.str() << "state:\n"
                    << state.str();
      if (++failures_reported >= 5) break;
    }
    run.ops.push_back(op);
    run.outputs.push_back(std::move(output));
  }
  run.final_state = SnapshotAll(engine);
  return run;
}

void ReplayAndCompare(const RunResult& run) {
  absl::StatusOr<FocusEngine> created = FocusEngine::Create({0, 1, 2});
  ASSERT_TRUE(created.ok());
  FocusEngine engine = *std::move(created);
  for (size_t i = 0; i < run.ops.size(); ++i) {
    const Output output = Apply(engine, run.ops[i]);
    ASSERT_TRUE(output == run.outputs[i]) << "replay diverged at step " << i << ": "
                                          << Describe(run.ops[i]);
  }
  EXPECT_EQ(SnapshotAll(engine), run.final_state);
}

void ExpectCoverage(const Stats& stats) {
  if (std::getenv("ENGINE_INVARIANT_STATS") != nullptr) {
    std::cout << "results:";
    for (const auto& [result, count] : stats.results) {
      std::cout << " " << RequestResultName(result) << "=" << count;
    }
    std::cout << "\nchanges:";
    for (const auto& [change, count] : stats.changes) {
      std::cout << " " << FocusChangeName(change) << "=" << count;
    }
    std::cout << "\nmoves with callbacks: " << stats.moves_with_callbacks << "\n";
  }
  for (RequestResult result :
       {RequestResult::kGranted, RequestResult::kFailed, RequestResult::kDelayed}) {
    EXPECT_GT(stats.results.count(result) ? stats.results.at(result) : 0, 0)
        << RequestResultName(result) << " never happened";
  }
  for (FocusChange change : {FocusChange::kGain, FocusChange::kLoss, FocusChange::kLossTransient,
                             FocusChange::kLossTransientCanDuck}) {
    EXPECT_GT(stats.changes.count(change) ? stats.changes.at(change) : 0, 0)
        << FocusChangeName(change) << " never happened";
  }
  EXPECT_GT(stats.moves_with_callbacks, 0);
  EXPECT_GT(stats.rejected_invalid_zone, 0);
}

}  // namespace caraudio::engine_test
