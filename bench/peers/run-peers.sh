#!/usr/bin/env bash
# Times one MLP training step (784-256-128-10, batch 128, float32, SGD) in numpy and PyTorch on this CPU, so the
# bench report can show Lanewise's TrainingStepBenchmark beside them. Installs the peers from Debian's packages when
# they are missing and we are root (machines of this kind reach Debian's mirrors); otherwise says what to install.
#
# Usage: run-peers.sh OUTPUT_FILE [THREADS...]   (default threads: 1 2)
set -euo pipefail
out=${1:?usage: run-peers.sh OUTPUT_FILE [THREADS...]}
shift
threads=("$@")
[ ${#threads[@]} -gt 0 ] || threads=(1 2)
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
packages=(python3-numpy python3-torch python3-threadpoolctl libopenblas0-pthread)

have_peers() {
  "$py" -c 'import numpy, torch' >/dev/null 2>&1 && dpkg -s libopenblas0-pthread >/dev/null 2>&1
}

if ! have_peers; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "peers: installing ${packages[*]} from Debian's packages" >&2
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${packages[@]}" >&2
  else
    echo "peers: numpy/PyTorch missing; install with: apt-get install -y ${packages[*]}" | tee "$out" >&2
    exit 0
  fi
fi

{
  echo "# numpy and PyTorch peers, $(date -u +%Y-%m-%dT%H:%MZ), $(lscpu | sed -n 's/^Model name: *//p')"
  "$py" -c 'import numpy, torch; print("numpy", numpy.__version__, "torch", torch.__version__)'
  for t in "${threads[@]}"; do
    echo "## threads=$t"
    # OPENBLAS_CORETYPE pins OpenBLAS to older kernels on some machines: compare against the peers at their best.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" \
      "$py" "$here/mlp_step.py" both 5
  done
} > "$out" 2>&1
cat "$out"
