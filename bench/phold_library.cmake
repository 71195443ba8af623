# orgsim_phold: the PHOLD model on the public kernel API (bench/phold.h).
# Included by bench/CMakeLists.txt and, when benchmarks are off (the sanitizer
# build), by tests/kernel/CMakeLists.txt for phold_test; defined once.
if(TARGET orgsim_phold)
  return()
endif()
add_library(orgsim_phold STATIC ${PROJECT_SOURCE_DIR}/bench/phold.cc)
target_include_directories(orgsim_phold PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(orgsim_phold PUBLIC orgsim_kernel PRIVATE orgsim_warnings)
