#!/usr/bin/env bash
# orgsim developer entry point: the two README commands go through here.
#
#   tools/dev.sh demo   install missing Debian packages, build, run the headline comparison
#   tools/dev.sh test   install missing Debian packages, build, run every test
#                       (release build, then the ASan+UBSan build)
#   tools/dev.sh deps   only install missing Debian packages
#   tools/dev.sh build  only configure and build (build/)
#   tools/dev.sh format-check   list C++ files that differ from .clang-format (exit 1 if any);
#                       `test` runs it first
#
# Idempotent: packages already present are not reinstalled; builds are incremental.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${ORGSIM_JOBS:-$(nproc)}"

# Debian 12 packages the build and the tests need (see shared infra facts).
PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libtbb-dev libboost-graph-dev protobuf-compiler libprotobuf-dev libprotoc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev sqlite3 libcli11-dev nlohmann-json3-dev libcpp-httplib-dev
  librandom123-dev libqrencode-dev clang clang-format libclang-rt-14-dev python3 python3-simpy
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_deps() {
  local missing=()
  for pkg in "${PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    log "all Debian packages present"
    return
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "orgsim: missing packages: ${missing[*]}; run as root or install them with apt-get" >&2
    exit 2
  fi
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
}

# configure_and_build DIR [cmake args...]
configure_and_build() {
  local dir="$1"; shift
  if [[ ! -f "$dir/build.ninja" ]]; then
    cmake -S . -B "$dir" -G Ninja "$@"
  fi
  cmake --build "$dir" -j "$JOBS"
}

# The C++ files git tracks (generated code lives in build folders).
cxx_sources() {
  git ls-files -- '*.h' '*.cc' '*.cpp' '*.hpp'
}

# Lists the tracked C++ files clang-format would change; exit 1 if any.
format_check() {
  install_deps clang-format
  local bad=()
  while IFS= read -r file; do
    if ! clang-format --dry-run -Werror --style=file "$file" >/dev/null 2>&1; then
      bad+=("$file")
    fi
  done < <(cxx_sources)
  if ((${#bad[@]} > 0)); then
    printf '%s\n' "${bad[@]}"
    echo "orgsim: ${#bad[@]} files differ from .clang-format (clang-format -i --style=file FILE)" >&2
    return 1
  fi
  log "every C++ file matches .clang-format"
}

run_ctest() {
  local dir="$1"; shift
  ctest --test-dir "$dir" --output-on-failure -j "$JOBS" "$@"
}

cmd="${1:-}"
case "$cmd" in
  deps)
    install_deps
    ;;
  build)
    install_deps
    configure_and_build build -DCMAKE_BUILD_TYPE=Release -DORGSIM_WERROR=ON
    ;;
  demo)
    install_deps
    configure_and_build build -DCMAKE_BUILD_TYPE=Release -DORGSIM_WERROR=ON
    if [[ -f scenarios/product_led_vs_project_mode.textproto ]] && ./build/orgsim run --help >/dev/null 2>&1; then
      log "headline comparison: product-led vs project mode"
      # --resume: a second demo reuses results/<scenario>.db instead of refusing it.
      ./build/orgsim run scenarios/product_led_vs_project_mode.textproto --resume
    else
      log "PHOLD demo (the organization model is not built yet)"
      ./build/bench/orgsim-phold --lps 1024 --per-lp 16 --end 100 --mean 1 --lookahead 0 --seed 1
    fi
    ;;
  test)
    install_deps
    log "format check (.clang-format)"
    format_check
    log "release build + tests"
    configure_and_build build -DCMAKE_BUILD_TYPE=Release -DORGSIM_WERROR=ON
    run_ctest build
    log "ASan+UBSan build + tests"
    configure_and_build build-asan -DCMAKE_BUILD_TYPE=Debug -DORGSIM_SANITIZE=ON \
      -DORGSIM_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS=-O1
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      run_ctest build-asan -LE slow
    for extra in tests/ci/*.sh; do
      [[ -e "$extra" ]] || continue
      log "extra check: $extra"
      bash "$extra"
    done
    log "all tests passed"
    ;;
  format-check)
    format_check
    ;;
  *)
    echo "usage: tools/dev.sh demo|test|deps|build|format-check" >&2
    exit 2
    ;;
esac
