# orgsim_warnings: an interface target carrying the project's warning flags.
# Linked PRIVATE by every orgsim target, so third-party code is unaffected.
add_library(orgsim_warnings INTERFACE)
target_compile_options(orgsim_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(ORGSIM_WERROR)
  target_compile_options(orgsim_warnings INTERFACE -Werror)
endif()
