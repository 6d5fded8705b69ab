# Shared paths and helpers for the tools/ scripts. Sourced, never executed.
# shellcheck shell=bash

RB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RB_CACHE=${RB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rust_bond}
RB_TOOLS=$RB_CACHE/tools          # cargo-installed tools (bindgen)
RB_VENV=$RB_CACHE/venv            # virtme-ng, pytest, pyroute2
RB_SRC_ROOT=$RB_CACHE/src         # extracted kernel sources

# Pinned versions: bump deliberately, the caches are keyed on them.
RB_BINDGEN_VERSION=0.73.2
RB_KERNEL_PKG=linux-source-6.12

export PATH="$RB_VENV/bin:$RB_TOOLS/bin:$HOME/.cargo/bin:$PATH"

die() { echo "rust_bond: error: $*" >&2; exit 1; }
step() { echo "==> $*" >&2; }

# The kernel source tree of the installed linux-source package, set by
# rb_kernel_src (the directory name carries the package's version).
rb_kernel_src() {
	local ver
	ver=$(dpkg-query -W -f='${Version}' "$RB_KERNEL_PKG" 2>/dev/null) ||
		die "$RB_KERNEL_PKG is not installed: run tools/setup"
	echo "$RB_SRC_ROOT/linux-${ver//\~/_}"
}

# Build directory of one kernel flavour (test|bench): keyed by kernel
# package version, the toolchain and the hash of every fragment that makes
# its config, so a changed fragment or compiler gets a fresh build dir.
rb_kernel_fragments() {
	case $1 in
	test) echo "$RB_ROOT/tools/kconfig/base.config $RB_ROOT/tools/kconfig/debug.config" ;;
	bench) echo "$RB_ROOT/tools/kconfig/base.config" ;;
	*) die "unknown kernel flavour '$1' (want test or bench)" ;;
	esac
}

# The toolchain is part of the key: Rust modules must be built with the
# rustc that built the kernel's crates, and the bindings with the same bindgen.
rb_toolchain_id() {
	rustc --version
	clang --version | head -n 1
	"$RB_TOOLS/bin/bindgen" --version 2>/dev/null || echo "bindgen $RB_BINDGEN_VERSION"
}

rb_kernel_build_dir() {
	local flavour=$1 src key
	src=$(rb_kernel_src)
	# shellcheck disable=SC2046
	key=$( (basename "$src"; rb_toolchain_id; cat $(rb_kernel_fragments "$flavour")) |
		sha256sum | cut -c1-12)
	echo "$RB_CACHE/build/$flavour-$(basename "$src" | sed 's/^linux-//')-$key"
}
