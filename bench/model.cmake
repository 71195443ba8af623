# Model benchmarks (issue 4).
#   model_bench        Google Benchmark: one 3-year replication of each headline
#                      arm (ms/run, events/run as a counter), graph preparation
#   orgsim-model-bench whole-process: N replications of one arm on one thread,
#                      ms/run, events/run and peak RSS (getrusage), so memory
#                      per replication can be read off two runs with different N
add_executable(model_bench ${CMAKE_CURRENT_LIST_DIR}/model_bench.cc)
target_include_directories(model_bench PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(model_bench PRIVATE orgsim_model benchmark::benchmark_main orgsim_warnings)

add_executable(orgsim-model-bench ${CMAKE_CURRENT_LIST_DIR}/model_bench_main.cc)
target_include_directories(orgsim-model-bench PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(orgsim-model-bench PRIVATE orgsim_model orgsim_warnings)
