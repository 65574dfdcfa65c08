#include "carservice/focus_interaction.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace caraudio {
namespace {

// Column labels as focus-rules.md §1.2 prints them, in context id order.
constexpr const char* kColumnLabels[kAudioContextCount] = {
    "INV", "MUS", "NAV", "VOI", "RING", "CALL", "ALRM", "NOTI", "SYS", "EMER", "SAFE", "VEH", "ANN"};

}  // namespace

const char* InteractionName(Interaction interaction) {
  switch (interaction) {
    case Interaction::kReject:
      return "REJECT";
    case Interaction::kExclusive:
      return "EXCLUSIVE";
    case Interaction::kConcurrent:
      return "CONCURRENT";
  }
  return "?";
}

char InteractionLetter(Interaction interaction) { return InteractionName(interaction)[0]; }

std::string FormatInteractionMatrix(const FocusInteraction& interaction) {
  std::string out = absl::StrFormat("%-15s", "holder\\request");
  for (AudioContext request : kAllAudioContexts) {
    absl::StrAppend(&out, absl::StrFormat(" %4s", kColumnLabels[ContextIndex(request)]));
  }
  absl::StrAppend(&out, "\n");
  for (AudioContext holder : kAllAudioContexts) {
    absl::StrAppend(&out, absl::StrFormat("%-15s", ContextName(holder)));
    for (AudioContext request : kAllAudioContexts) {
      absl::StrAppend(&out,
                      absl::StrFormat(" %4c", InteractionLetter(interaction.Evaluate(holder, request))));
    }
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out, "CALL -> NAVIGATION follows navigation-rejected-during-call = ",
                  interaction.navigation_rejected_during_call() ? "true" : "false", "\n");
  return out;
}

}  // namespace caraudio
