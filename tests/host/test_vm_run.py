# SPDX-License-Identifier: GPL-2.0
"""tools/vm-run's contract, checked from the host (each case boots a VM)."""

import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VM_RUN = os.path.join(ROOT, "tools", "vm-run")


# The bench kernel: the contract is tools/vm-run's and the same for both
# kernels, and a bench boot takes 22 s where a debug one takes minutes.
def vm_run(*cmd, kernel="bench"):
    return subprocess.run(
        [VM_RUN, "--kernel", kernel, "--timeout", "900", "--", *cmd],
        capture_output=True, text=True, cwd=ROOT,
    )


def test_load_unload_and_status():
    """rust_bond loads and unloads; the command's cwd, KSRC and status come through."""
    res = vm_run("sh", "-c",
                 'modprobe rust_bond && modprobe -r rust_bond && test -f tools/vm-run '
                 '&& test -d "$KSRC/drivers/net/bonding" && exit 7')
    assert res.returncode == 7, res.stdout + res.stderr


def test_planted_warning_fails_the_run():
    """A real kernel WARNING (from LKDTM) turns a successful command into a failure."""
    res = vm_run("sh", "-c",
                 "modprobe lkdtm && echo WARNING > /sys/kernel/debug/provoke-crash/DIRECT; true")
    assert res.returncode == 99, res.stdout + res.stderr
    assert "the guest kernel log has reports" in res.stderr
    assert "WARNING:" in res.stderr
