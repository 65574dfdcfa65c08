// ReplaceFile: writes a whole file so that readers see either its old
// contents or all of the new ones, never a part: the bytes go to a
// temporary file next to it, which is then renamed over it. On any error the
// temporary file is removed and `path` is left as it was (absent stays
// absent). Errors are zones/text_file.h FileErrors naming `what`
// ("out/drive.svg: cannot write timeline picture: Permission denied").

#ifndef CARAUDIO_TOOLS_TIMELINE_REPLACE_FILE_H_
#define CARAUDIO_TOOLS_TIMELINE_REPLACE_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace caraudio::timeline {

absl::Status ReplaceFile(const std::string& path, absl::string_view bytes,
                         absl::string_view what);

}  // namespace caraudio::timeline

#endif  // CARAUDIO_TOOLS_TIMELINE_REPLACE_FILE_H_
