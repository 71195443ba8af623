# Workshop latency (issue 16 section 5): a participant's lever change answered
# with N paired replications of two arms, through the server's HTTP API.
#   orgsim-workshop-bench   wall time from POST /api/runs to "done"
if(TARGET orgsim_serve)
  add_executable(orgsim-workshop-bench ${CMAKE_CURRENT_LIST_DIR}/workshop_bench.cc)
  target_include_directories(orgsim-workshop-bench PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(orgsim-workshop-bench PRIVATE orgsim_serve CLI11::CLI11 orgsim_warnings)
endif()
