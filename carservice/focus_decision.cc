#include "carservice/focus_decision.h"

namespace caraudio {

const char* DecisionRuleName(DecisionRule rule) {
  switch (rule) {
    case DecisionRule::kMatrix:
      return "MATRIX";
    case DecisionRule::kRestricted:
      return "RESTRICTED";
    case DecisionRule::kDelayedClientDifferentContext:
      return "DELAYED_CLIENT_DIFFERENT_CONTEXT";
    case DecisionRule::kNotificationVsExclusive:
      return "NOTIFICATION_VS_EXCLUSIVE";
    case DecisionRule::kSameClientDifferentContext:
      return "SAME_CLIENT_DIFFERENT_CONTEXT";
    case DecisionRule::kHardening:
      return "HARDENING";
    case DecisionRule::kNoZone:
      return "NO_ZONE";
  }
  return "?";
}

}  // namespace caraudio
