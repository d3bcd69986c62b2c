#!/usr/bin/env bash
# Trains the LLaMA recipe on the webgpu backend on a Linux machine with an NVIDIA GPU and no
# package registries, and prints tokens/s, MFU and whether the first losses match a CPU run.
#
#   scripts/gpu-check.sh pack [OUT.tar.gz]   here, with registry access: builds the packages and
#                                            writes one self-contained tarball (default
#                                            archzoo-gpu-check.tar.gz)
#   tar xzf archzoo-gpu-check.tar.gz && archzoo-gpu-check/gpu-check.sh run [options]
#                                            on the GPU machine; finishes within 8 minutes
#
# run options: --icd PATH sets the Vulkan ICD manifest (default: the NVIDIA one). --dry-run trains
# 3 short steps of the tiny scale and accepts a CPU Vulkan driver such as SwiftShader. Every other
# option goes to bench.mjs (`gpu-check.sh run --help` lists them, --peak-tflops among them).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

pack() {
  local out="${1:-archzoo-gpu-check.tar.gz}"
  case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
  local root
  root="$(cd "$here/.." && pwd)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  local bundle="$work/archzoo-gpu-check"
  mkdir -p "$bundle/bin" "$bundle/app" "$bundle/vulkan" "$work/packs"

  echo "gpu-check: building the packages" >&2
  (cd "$root" && pnpm --filter '@archzoo/recipe-llama...' run build >/dev/null)

  echo "gpu-check: packing and installing them with npm" >&2
  # The LLaMA recipe and the workspace packages it needs at run time (core among them).
  local dir
  while IFS= read -r dir; do
    (cd "$dir" && pnpm pack --pack-destination "$work/packs" >/dev/null)
  done < <(cd "$root" && pnpm --filter-prod '@archzoo/recipe-llama...' exec pwd)
  echo '{ "name": "archzoo-gpu-check", "private": true, "type": "module" }' >"$bundle/app/package.json"
  (cd "$bundle/app" && npm install --no-audit --no-fund --loglevel=error "$work"/packs/*.tgz >/dev/null)
  # Dawn ships prebuilt binaries for five platforms; the check runs on linux-x64 only.
  find "$bundle/app/node_modules/webgpu/dist" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
  cp "$here/gpu-check/bench.mjs" "$bundle/app/bench.mjs"
  cp "${BASH_SOURCE[0]}" "$bundle/gpu-check.sh"

  echo "gpu-check: adding node $(node --version) and the Vulkan loader" >&2
  cp "$(node -p process.execPath)" "$bundle/bin/node"
  if ! (cd "$bundle/vulkan" && apt-get download libvulkan1 >/dev/null 2>&1 && dpkg-deb -x libvulkan1_*.deb root); then
    echo "gpu-check: error: could not fetch libvulkan1 with apt-get download; run pack on Debian or Ubuntu with apt sources" >&2
    exit 1
  fi

  tar -C "$work" -czf "$out" archzoo-gpu-check
  echo "gpu-check: wrote $out ($(du -h "$out" | cut -f1))" >&2
}

find_nvidia_icd() {
  local path
  for path in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json /etc/vulkan/icd.d/nvidia_icd.x86_64.json; do
    if [ -e "$path" ]; then
      echo "$path"
      return 0
    fi
  done
  return 1
}

run() {
  local icd="" dry_run=0
  local -a bench_args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --icd) icd="$2"; shift 2 ;;
      --icd=*) icd="${1#--icd=}"; shift ;;
      --dry-run) dry_run=1; shift ;;
      *) bench_args+=("$1"); shift ;;
    esac
  done
  if [ ! -e "$here/app/bench.mjs" ]; then
    echo "gpu-check: error: run works inside an unpacked bundle; build one with \`scripts/gpu-check.sh pack\`" >&2
    exit 2
  fi

  if [ -z "$icd" ]; then
    if ! icd="$(find_nvidia_icd)"; then
      echo "gpu-check: error: no NVIDIA Vulkan ICD in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d; install the driver's Vulkan part (in Docker, add graphics to NVIDIA_DRIVER_CAPABILITIES) or pass --icd PATH" >&2
      exit 1
    fi
  fi
  if [ ! -e "$icd" ]; then
    echo "gpu-check: error: --icd $icd does not exist" >&2
    exit 2
  fi
  export VK_ICD_FILENAMES="$icd"
  echo "gpu-check: Vulkan ICD $icd" >&2

  # Use the system's Vulkan loader when there is one, else the one from the bundled libvulkan1.
  if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
    local lib
    lib="$(dirname "$(find "$here/vulkan/root" -name 'libvulkan.so.1' | head -n 1)")"
    export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "gpu-check: using the bundled Vulkan loader in $lib" >&2
  fi

  if [ "$dry_run" = 1 ]; then
    # Small enough for SwiftShader on two CPU cores: it checks the plumbing, not the speed.
    bench_args=(--scale tiny --steps 3 --micro-batch 8 --seq-len 16 --check-steps 2 --check-batch 1 --check-seq 16 --allow-cpu-adapter "${bench_args[@]}")
  fi
  # 7.5 minutes in all: the bench's own budgets (240 s of steps, 150 s of CPU reference) plus start-up.
  cd "$here/app"
  timeout 450 "$here/bin/node" bench.mjs "${bench_args[@]}"
}

case "${1:-}" in
  pack) shift; pack "$@" ;;
  run) shift; run "$@" ;;
  *)
    echo "usage: gpu-check.sh pack [OUT.tar.gz] | gpu-check.sh run [--icd PATH] [--dry-run] [bench options]" >&2
    exit 2
    ;;
esac
