# Writes a C++ source that embeds a text file as a raw string literal.
#   cmake -DINPUT=<file> -DOUTPUT=<file.cc> -DTEMPLATE=<file.cc.in> -P embed_text_file.cmake
# The template receives the file's contents as @EMBEDDED_TEXT@ and its path as
# @EMBEDDED_FROM@.
foreach(var INPUT OUTPUT TEMPLATE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_text_file.cmake: ${var} is not set")
  endif()
endforeach()

file(READ "${INPUT}" EMBEDDED_TEXT)
# The template closes the raw string with )caraudio_xml" (a raw string
# delimiter is at most 16 characters); the text must not contain it.
string(FIND "${EMBEDDED_TEXT}" ")caraudio_xml\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )caraudio_xml\"")
endif()
set(EMBEDDED_FROM "${INPUT}")
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
# configure_file keeps an unchanged file's timestamp; touch it so the build
# does not see the output as out of date forever.
file(TOUCH "${OUTPUT}")
