# SPDX-License-Identifier: GPL-2.0
"""Helpers for the tests of the net layer's sample driver, rdummy."""

import json
import os
import subprocess
import threading

from conftest import loaded_modules, netdevs, sh


def link(dev, ns=None):
    """`ip -d -s -j link show DEV` as a dict."""
    pre = f"ip netns exec {ns} " if ns else ""
    return json.loads(sh(f"{pre}ip -d -s -j link show {dev}"))[0]


def ip_rc(cmd):
    """Run an `ip ...` command; return (exit status, stderr)."""
    res = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return res.returncode, res.stderr.strip()


class RDummy:
    """The loaded rdummy module; unloading checks that nothing is left."""

    def __init__(self, params="numdummies=0"):
        assert "rdummy" not in loaded_modules()
        self.devs_before = netdevs()
        sh(f"modprobe rdummy {params}")

    def unload_and_check(self):
        sh("modprobe -r rdummy")
        assert "rdummy" not in loaded_modules()
        left = netdevs() - self.devs_before
        assert not left, f"devices left after unloading rdummy: {sorted(left)}"


PGDIR = "/proc/net/pktgen"


def pktgen_setup(dev, count, size=100, thread=0, ns=None, extra=()):
    """Bind DEV to pktgen thread THREAD with COUNT packets of SIZE bytes.

    Count 0 runs until stopped, at a limited rate: full-rate pktgen on an
    emulated CPU starves everything else in the guest."""
    if count == 0:
        extra = ("ratep 20000", *extra)
    pre = f"ip netns exec {ns} " if ns else ""
    sh("modprobe pktgen")

    def pg(path, cmd):
        sh(f"{pre}sh -c 'echo \"{cmd}\" > {PGDIR}/{path}'")

    pg(f"kpktgend_{thread}", "rem_device_all")
    pg(f"kpktgend_{thread}", f"add_device {dev}")
    for cmd in (f"count {count}", f"pkt_size {size}", "delay 0",
                "dst_mac 02:00:00:00:00:01", "dst 10.255.0.1", *extra):
        pg(dev, cmd)
    return pg


def pktgen_run(ns=None):
    """Start every configured pktgen thread; returns when they finish."""
    pre = f"ip netns exec {ns} " if ns else ""
    sh(f"{pre}sh -c 'echo start > {PGDIR}/pgctrl'")


def pktgen_stop(ns=None):
    pre = f"ip netns exec {ns} " if ns else ""
    sh(f"{pre}sh -c 'echo stop > {PGDIR}/pgctrl'", check=False)


class Background(threading.Thread):
    """Run a blocking callable in a thread (e.g. pktgen_run)."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self.fn, self.args, self.error = fn, args, None
        self.start()

    def run(self):
        try:
            self.fn(*self.args)
        except Exception as e:  # reported by the test through .error
            self.error = e


def veth_port(name, peer, ns):
    """A veth pair NAME <-> PEER with the peer in netns NS, both up, IPv6
    off on the peer so it sends nothing on its own."""
    sh(f"ip netns add {ns}")
    sh(f"ip link add {name} type veth peer name {peer} netns {ns}")
    sh(f"ip netns exec {ns} sysctl -qw net.ipv6.conf.{peer}.disable_ipv6=1")
    sh(f"ip -n {ns} link set {peer} up")


def cleanup_ns(ns):
    if os.path.exists(f"/run/netns/{ns}"):
        sh(f"ip netns del {ns}", check=False)
