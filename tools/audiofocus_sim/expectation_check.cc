#include "tools/audiofocus_sim/expectation_check.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace caraudio::sim {
namespace {

CheckOutcome Outcome(bool passed, std::string text) { return {passed, false, std::move(text)}; }

// An audit that could not be read: which call failed and how.
CheckOutcome Unchecked(absl::string_view head, const absl::Status& status) {
  std::string why =
      status.code() == absl::StatusCode::kUnimplemented
          ? "CarAudioAdmin.GetAudit is UNIMPLEMENTED on this daemon"
          : absl::StrCat("CarAudioAdmin.GetAudit failed: ", absl::StatusCodeToString(status.code()),
                         ": ", status.message());
  return {false, true, absl::StrCat(head, ": cannot check: ", why)};
}

// "PLAYED_WITHOUT_FOCUS (detail)" per finding of the app.
std::string FindingList(const caraudio::v1::AuditReport& audit) {
  std::vector<std::string> findings;
  for (const caraudio::v1::AuditFinding& finding : audit.findings()) {
    findings.push_back(
        absl::StrCat(caraudio::v1::FindingKind_Name(finding.kind()), " (", finding.detail(), ")"));
  }
  return absl::StrJoin(findings, ", ");
}

}  // namespace

CheckOutcome CheckResult(const v1::ExpectResult& expect,
                         const std::optional<ObservedResult>& observed) {
  const std::string head = absl::StrCat("expect_result ", expect.app(), " ",
                                        caraudio::v1::RequestResult_Name(expect.result()));
  if (!observed) return Outcome(false, absl::StrCat(head, ": no answer to its latest request yet"));
  return Outcome(
      observed->result == expect.result(),
      absl::StrFormat("%s: got %s at %.3f s", head,
                      caraudio::v1::RequestResult_Name(observed->result), observed->at_s));
}

CheckOutcome CheckFocusChange(const v1::ExpectFocusChange& expect,
                              const std::optional<ObservedChange>& observed) {
  const std::string head = absl::StrCat("expect_focus_change ", expect.app(), " ",
                                        caraudio::v1::FocusChange_Name(expect.change()));
  if (!observed) return Outcome(false, absl::StrCat(head, ": no focus change received"));
  return Outcome(observed->change == expect.change(),
                 absl::StrFormat("%s: latest was %s at %.3f s", head,
                                 caraudio::v1::FocusChange_Name(observed->change), observed->at_s));
}

CheckOutcome CheckAudible(const v1::ExpectAudible& expect,
                          const absl::StatusOr<ToneMeasurement>& measured) {
  std::string head =
      absl::StrCat("expect_audible ", expect.app(), " ", expect.audible() ? "audible" : "silent");
  if (expect.has_min_dbfs() && expect.has_max_dbfs()) {
    absl::StrAppendFormat(&head, " between %.1f and %.1f dBFS", expect.min_dbfs(),
                          expect.max_dbfs());
  } else if (expect.has_min_dbfs()) {
    absl::StrAppendFormat(&head, " at or above %.1f dBFS", expect.min_dbfs());
  } else if (expect.has_max_dbfs()) {
    absl::StrAppendFormat(&head, " at or below %.1f dBFS", expect.max_dbfs());
  }
  if (!measured.ok()) {
    return {false, true, absl::StrCat(head, ": cannot measure: ", measured.status().message())};
  }
  const double level = measured->level_dbfs;
  const bool audible = level > kAudibleThresholdDbfs;
  const bool within = (!expect.has_min_dbfs() || level >= expect.min_dbfs()) &&
                      (!expect.has_max_dbfs() || level <= expect.max_dbfs());
  return Outcome(audible == expect.audible() && (!expect.audible() || within),
                 absl::StrFormat("%s: %g Hz at %.1f dBFS on %s (audible above %.1f dBFS)", head,
                                 measured->frequency_hz, measured->level_dbfs,
                                 measured->device_address, kAudibleThresholdDbfs));
}

CheckOutcome CheckDeviceAudible(const v1::ExpectDeviceAudible& expect,
                                const absl::StatusOr<DeviceMeasurement>& measured) {
  const std::string head = absl::StrCat("expect_device_audible ", expect.device(), " ",
                                        expect.audible() ? "audible" : "silent");
  if (!measured.ok()) {
    return {false, true, absl::StrCat(head, ": cannot measure: ", measured.status().message())};
  }
  const bool audible = measured->rms_dbfs > kAudibleThresholdDbfs;
  return Outcome(audible == expect.audible(),
                 absl::StrFormat("%s: %.1f dBFS RMS (audible above %.1f dBFS)", head,
                                 measured->rms_dbfs, kAudibleThresholdDbfs));
}

CheckOutcome CheckFinding(const v1::ExpectFinding& expect,
                          const absl::StatusOr<caraudio::v1::AuditReport>& audit) {
  const std::string head = absl::StrCat("expect_finding ", expect.app(), " ",
                                        caraudio::v1::FindingKind_Name(expect.kind()));
  if (!audit.ok()) return Unchecked(head, audit.status());
  for (const caraudio::v1::AuditFinding& finding : audit->findings()) {
    if (finding.kind() == expect.kind()) {
      return Outcome(true, absl::StrCat(head, ": found (", finding.detail(), ")"));
    }
  }
  if (audit->findings().empty()) return Outcome(false, absl::StrCat(head, ": no findings"));
  return Outcome(false, absl::StrCat(head, ": only ", FindingList(*audit)));
}

CheckOutcome CheckNoFindings(const v1::ExpectNoFindings& expect,
                             const absl::StatusOr<caraudio::v1::AuditReport>& audit) {
  const std::string head = absl::StrCat("expect_no_findings ", expect.app());
  if (!audit.ok()) return Unchecked(head, audit.status());
  if (audit->findings().empty()) return Outcome(true, absl::StrCat(head, ": none"));
  return Outcome(false, absl::StrCat(head, ": found ", FindingList(*audit)));
}

}  // namespace caraudio::sim
