# The layering rule of core (docs/ARCHITECTURE.md): the files of folder TQ_LAYER may include
# "core/<folder>/..." only for their own folder, the folders in TQ_ALLOWED (the layers below it)
# and spm_shim (the C interface of the sentencepiece module). Used by core/CMakeLists.txt at
# configure time (include()) and at build time (cmake -P, re-run whenever a file changes).
# A violation stops with every offending include named.
set(tq_errors "")
foreach(tq_file IN LISTS TQ_FILES)
  file(STRINGS "${tq_file}" tq_includes REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]core/")
  foreach(tq_inc IN LISTS tq_includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[\"<]core/([^/\">]+)/.*" "\\1" tq_dep "${tq_inc}")
    if(tq_dep STREQUAL TQ_LAYER OR tq_dep STREQUAL "spm_shim")
      continue()
    endif()
    list(FIND TQ_ALLOWED "${tq_dep}" tq_at)
    if(tq_at EQUAL -1)
      string(STRIP "${tq_inc}" tq_inc)
      string(APPEND tq_errors "\n  ${tq_file}: ${tq_inc}")
    endif()
  endforeach()
endforeach()
if(tq_errors)
  string(REPLACE ";" " " tq_allowed_text "${TQ_ALLOWED}")
  if(NOT tq_allowed_text)
    set(tq_allowed_text "(none)")
  endif()
  message(FATAL_ERROR "core layering: core/${TQ_LAYER} may include only its own folder and the "
                      "layers below it: ${tq_allowed_text}. Back-edges:${tq_errors}")
endif()
