# Kernel benchmarks: PHOLD in three forms and the event-calendar hold model.
#   orgsim-phold     whole-process PHOLD on the orgsim kernel (public API)
#   phold-baseline   the minimal hand-written reference loop, -O2
#   phold_bench      Google Benchmark: BM_Phold per calendar and size,
#                    BM_EventQueueHold per calendar and population
#   phold_simpy.py   the SimPy 2 peer; compare_phold.sh runs them side by side

add_executable(orgsim-phold ${CMAKE_CURRENT_LIST_DIR}/orgsim_phold_main.cc)
target_link_libraries(orgsim-phold PRIVATE orgsim_phold CLI11::CLI11 orgsim_warnings)

add_executable(phold-baseline ${CMAKE_CURRENT_LIST_DIR}/phold_baseline.cc)
target_link_libraries(phold-baseline PRIVATE CLI11::CLI11 orgsim_warnings)
# The issue fixes the reference at -O2 (the last -O flag wins over the build
# type's).
target_compile_options(phold-baseline PRIVATE -O2)

add_executable(phold_bench ${CMAKE_CURRENT_LIST_DIR}/phold_bench.cc)
target_link_libraries(phold_bench PRIVATE orgsim_phold benchmark::benchmark_main orgsim_warnings)
