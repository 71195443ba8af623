# Experiment-layer benchmarks (issue 5): whole-process measurements on a real
# scenario.
#   orgsim-experiment-bench   runs/s with N threads, store on/off, peak RSS
#   experiment_bench.sh       1 vs 2 threads vs two processes, store cost,
#                             memory at N and 10N replications
if(TARGET orgsim_io AND TARGET orgsim_experiment)
  add_executable(orgsim-experiment-bench ${CMAKE_CURRENT_LIST_DIR}/experiment_bench.cc)
  target_include_directories(orgsim-experiment-bench PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(orgsim-experiment-bench PRIVATE orgsim_io orgsim_experiment CLI11::CLI11
                        orgsim_warnings)
endif()
