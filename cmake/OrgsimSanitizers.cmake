# Sanitizer builds apply to every target of the build tree (libraries, tests,
# tools) so that instrumented and uninstrumented code never mix.
if(ORGSIM_SANITIZE AND ORGSIM_TSAN)
  message(FATAL_ERROR "ORGSIM_SANITIZE and ORGSIM_TSAN are mutually exclusive")
endif()
if(ORGSIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(ORGSIM_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
# libFuzzer builds (tests/fuzz/, tests/ci/fuzz.sh; clang only): coverage
# instrumentation plus ASan+UBSan on every target, so the fuzzer sees the
# libraries' branches; fuzz targets add -fsanitize=fuzzer at link time.
if(ORGSIM_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
