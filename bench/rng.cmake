# rng_bench: throughput of RandomStream words and of every distribution in
# engine/kernel/distributions.h, next to std::mt19937_64 references.
#   build/bench/rng_bench --benchmark_min_time=0.5
add_executable(rng_bench ${CMAKE_CURRENT_SOURCE_DIR}/rng_bench.cc)
target_link_libraries(rng_bench PRIVATE orgsim_kernel benchmark::benchmark_main
                                        orgsim_warnings)
