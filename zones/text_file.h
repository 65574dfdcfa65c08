// ReadTextFile: the whole of a configuration or scenario file, with errors a
// person can act on: "PATH: cannot open WHAT: No such file or directory" as
// NOT_FOUND (missing), PERMISSION_DENIED, INVALID_ARGUMENT (a directory) or
// UNAVAILABLE (any other I/O error). `what` names the kind of file
// ("car audio configuration", "scenario").

#ifndef CARAUDIO_ZONES_TEXT_FILE_H_
#define CARAUDIO_ZONES_TEXT_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caraudio {

absl::StatusOr<std::string> ReadTextFile(const std::string& path, absl::string_view what);

// The status of a failed file operation, with the message and codes above:
// "PATH: cannot ACTION WHAT: <strerror(error)>", e.g. FileError("out.svg",
// "write", "timeline picture", EACCES).
absl::Status FileError(const std::string& path, absl::string_view action, absl::string_view what,
                       int error);

}  // namespace caraudio

#endif  // CARAUDIO_ZONES_TEXT_FILE_H_
