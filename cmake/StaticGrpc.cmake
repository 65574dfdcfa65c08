# Links gRPC, protobuf, Abseil and their private dependencies (OpenSSL, c-ares,
# re2, upb, zlib) from Debian's static archives instead of their shared
# objects, for every target of the project.
#
# Why: audiocontrold is a resident daemon on a head unit, and most of what it
# kept resident at idle was not its own memory but dynamic-linking overhead of
# ~70 shared objects: their symbol tables, read while binding, and the pages of
# startup code around each touched function. Linked from the archives, only the
# objects the daemon uses are in it and nothing is bound at run time: idle RSS
# fell from 24.1 to 19.5 MiB, startup got faster, and the daemon no longer
# depends on the exact gRPC/Abseil sonames installed (docs/development.md#build).
#
# Only the imported targets' locations change; every target keeps linking the
# same names (gRPC::grpc++, absl::strings, ...). Libraries that have no archive
# stay shared. -DCARAUDIO_STATIC_GRPC=OFF links everything shared again.
#
# Sanitizer and fuzzer builds link them shared: they test behaviour, not
# footprint, and ThreadSanitizer must tell the uninstrumented libraries from
# the project's code by module (ignore_noninstrumented_modules and the
# library-named suppressions of scripts/tsan.supp); linked in, gRPC's
# calls to free() and memcpy() would count as instrumented code whose
# futex-based locking TSan cannot see.

if(SANITIZE OR CARAUDIO_FUZZ)
  set(caraudio_static_grpc_default OFF)
else()
  set(caraudio_static_grpc_default ON)
endif()
option(CARAUDIO_STATIC_GRPC "Link gRPC, protobuf and Abseil statically"
       ${caraudio_static_grpc_default})

# Points imported library `target` at the archive next to its shared object.
function(caraudio_use_archive target)
  if(NOT TARGET ${target})
    return()
  endif()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    # Targets made from pkg-config or bare names (re2::re2): rewrite the
    # names they link, but never the C library's own (dl, m, rt).
    get_target_property(links ${target} INTERFACE_LINK_LIBRARIES)
    if(NOT links)
      return()
    endif()
    set(rewritten)
    foreach(link IN LISTS links)
      string(REGEX REPLACE "^-l" "" name "${link}")  # pkg-config gives -lre2
      set(archive "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/lib${name}.a")
      if(name IN_LIST CARAUDIO_STATIC_NAMES AND EXISTS "${archive}")
        set(link "${archive}")
      endif()
      list(APPEND rewritten "${link}")
    endforeach()
    set_target_properties(${target} PROPERTIES INTERFACE_LINK_LIBRARIES "${rewritten}")
    return()
  endif()
  get_target_property(configurations ${target} IMPORTED_CONFIGURATIONS)
  set(suffixes "")
  foreach(configuration IN LISTS configurations)
    list(APPEND suffixes "_${configuration}")
  endforeach()
  foreach(suffix "" ${suffixes})
    get_target_property(location ${target} IMPORTED_LOCATION${suffix})
    if(NOT location)
      continue()
    endif()
    string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${location}")
    if(archive STREQUAL location OR NOT EXISTS "${archive}")
      continue()
    endif()
    set_target_properties(${target} PROPERTIES IMPORTED_LOCATION${suffix} "${archive}")
  endforeach()
endfunction()

# Bare library names an INTERFACE target may link that have an archive to use.
set(CARAUDIO_STATIC_NAMES re2 cares z ssl crypto upb gpr address_sorting)

if(CARAUDIO_STATIC_GRPC)
  get_directory_property(imported_targets IMPORTED_TARGETS)
  foreach(target IN LISTS imported_targets)
    if(target MATCHES "^absl::")
      caraudio_use_archive(${target})
    endif()
  endforeach()
  foreach(target gRPC::grpc++ gRPC::grpc gRPC::gpr gRPC::upb gRPC::address_sorting
                 protobuf::libprotobuf OpenSSL::SSL OpenSSL::Crypto ZLIB::ZLIB c-ares::cares
                 re2::re2)
    caraudio_use_archive(${target})
  endforeach()
  # A static libcrypto needs these at the end of every link line.
  if(TARGET OpenSSL::Crypto)
    set_property(TARGET OpenSSL::Crypto APPEND PROPERTY INTERFACE_LINK_LIBRARIES
                 ${CMAKE_DL_LIBS} Threads::Threads)
  endif()
endif()
