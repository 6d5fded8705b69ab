# SPDX-License-Identifier: GPL-2.0
"""Fixtures for the VM tests: load a bonding driver, undo and check after.

Every scenario runs against both drivers: the C `bonding` (the reference)
and `rust_bond`. A test that wants to compare them takes `differential`,
which runs one scenario with each driver loaded in turn and returns both
results; a test about one driver takes the parametrized `driver`.
"""

import hashlib
import os
import pickle
import subprocess
import time

import pytest

ALL_DRIVERS = ("bonding", "rust_bond")
# RB_TEST_DRIVERS=bonding runs the suite against one driver only (e.g. to
# check a new scenario against the reference before rust_bond implements it);
# `differential` then returns one result and comparisons are skipped.
DRIVERS = tuple(
    d for d in os.environ.get("RB_TEST_DRIVERS", ",".join(ALL_DRIVERS)).split(",") if d
)
MODPROBE_CONF = "/etc/modprobe.d/rust-bond-tests.conf"


def sh(cmd, check=True):
    """Run a shell command, return its stdout; raise with its stderr on failure."""
    res = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if check and res.returncode != 0:
        raise AssertionError(f"`{cmd}` exited {res.returncode}: {res.stderr.strip()}")
    return res.stdout


def loaded_modules():
    with open("/proc/modules") as f:
        return {line.split()[0]: line.split() for line in f}


def module_refcount(name):
    with open(f"/sys/module/{name}/refcnt") as f:
        return int(f.read())


def netdevs():
    """Names of the network devices in every network namespace."""
    devs = set(os.listdir("/sys/class/net"))
    for ns in sh("ip netns list", check=False).split():
        out = sh(f"ip netns exec {ns} ls /sys/class/net", check=False)
        devs |= {f"{ns}/{d}" for d in out.split()}
    return devs


def kmsg_lines():
    """All lines of the kernel log, without timestamps."""
    return [line.split("] ", 1)[-1] for line in sh("dmesg").splitlines()]


class Driver:
    """A loaded bonding driver and what the test may ask about it."""

    def __init__(self, name):
        self.name = name
        self.other = next(d for d in ALL_DRIVERS if d != name)
        self._log_start = 0

    def load(self, params=""):
        assert self.name not in loaded_modules(), f"{self.name} already loaded"
        assert self.other not in loaded_modules(), f"{self.other} is loaded"
        # Nothing may load the other driver behind the test's back
        # (`ip link add type bond` autoloads whatever claims the kind).
        with open(MODPROBE_CONF, "w") as f:
            f.write(f"install {self.other} /bin/false\n")
        self._log_start = len(kmsg_lines())
        self.devs_before = netdevs()
        sh(f"modprobe {self.name} {params}")
        self.devs_after_load = netdevs()

    def log(self):
        """Kernel log lines since this driver was loaded."""
        return kmsg_lines()[self._log_start:]

    def unload_and_check(self):
        """Unload; fail if the test left anything behind."""
        left = netdevs() - self.devs_after_load
        assert self.other not in loaded_modules(), f"{self.other} got loaded during the test"
        assert not left, f"devices left behind by the test: {sorted(left)}"
        refcnt = module_refcount(self.name)
        assert refcnt == 0, f"{self.name} refcount is {refcnt} after the test"
        sh(f"modprobe -r {self.name}")
        assert self.name not in loaded_modules(), f"{self.name} still loaded after modprobe -r"
        gone = netdevs() - self.devs_before
        assert not gone, f"devices left after unloading {self.name}: {sorted(gone)}"
        assert not os.path.exists("/sys/class/net/bonding_masters")
        assert not os.path.exists("/proc/net/bonding")
        os.unlink(MODPROBE_CONF)


@pytest.fixture(params=DRIVERS)
def driver(request):
    """The parametrized driver, loaded with default parameters."""
    drv = Driver(request.param)
    drv.load()
    yield drv
    drv.unload_and_check()


class References:
    """The C driver's results, kept across boots (`RB_REFERENCE_DIR`).

    bonding.ko does not change while the kernel build and the test sources
    do not, so its result of a deterministic scenario can be computed once
    and compared against rust_bond's in later boots. A result is keyed by
    the running kernel (its version string, which carries the build's
    timestamp, and the bytes of bonding.ko), the shared files of tests/vm
    (all but the test_*.py), the test's own file, the user-space tools the
    scenarios run, the test's node id, the call's number within the test
    and its parameters: any change computes it afresh, in the same boot,
    and editing one test file recomputes only that file's references.
    Scenarios whose C result depends on timing carry the `live_reference`
    mark and always run both drivers. RB_REFERENCE=live turns the store
    off (`make check-full`).
    """

    def __init__(self):
        self.dir = os.environ.get("RB_REFERENCE_DIR", "")
        if os.environ.get("RB_REFERENCE", "") == "live" or not os.path.isdir(self.dir):
            self.dir = ""
        self.reused = self.stored = self.live = 0
        self._identity = None
        self._file_hashes = {}

    def identity(self):
        """What every key shares: kernel, bonding.ko, shared test sources, tools."""
        if self._identity is None:
            h = hashlib.sha256()
            with open("/proc/version", "rb") as f:
                h.update(f.read())
            ko = sh("modinfo -n bonding").strip()
            with open(ko, "rb") as f:
                h.update(f.read())
            here = os.path.dirname(os.path.abspath(__file__))
            for name in sorted(os.listdir(here)):
                path = os.path.join(here, name)
                if os.path.isfile(path) and not name.startswith("test_"):
                    h.update(name.encode() + b"\0")
                    with open(path, "rb") as f:
                        h.update(f.read())
            h.update(sh("dpkg-query -W iproute2 ethtool iputils-ping ifupdown ifenslave "
                        "iputils-arping ndisc6 kmod", check=False).encode())
            self._identity = h.hexdigest()
        return self._identity

    def file_hash(self, path):
        if path not in self._file_hashes:
            with open(path, "rb") as f:
                self._file_hashes[path] = hashlib.sha256(f.read()).hexdigest()
        return self._file_hashes[path]

    def path(self, test_file, nodeid, call, params):
        key = hashlib.sha256(repr((self.identity(), self.file_hash(test_file), nodeid, call,
                                   params)).encode()).hexdigest()
        return os.path.join(self.dir, key[:40] + ".pickle")

    def get(self, path):
        try:
            with open(path, "rb") as f:
                kept = pickle.load(f)
            os.utime(path)  # in use: tools/vm-run prunes what no run read for weeks
            return kept
        except (OSError, EOFError, pickle.UnpicklingError):
            return None

    def put(self, path, value):
        """Keep `value`; returns it as a later boot will read it back.

        Comparing the round-tripped value, not the live object, makes the
        boot that computes a reference see what the boots that reuse it see
        (an object that does not pickle faithfully fails in both).
        """
        data = pickle.dumps(value)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        return pickle.loads(data)


REFERENCES = References()


@pytest.fixture
def per_driver(request):
    """Call `fn(name)` for each driver; returns {name: result}.

    The C driver's result comes from the reference store when this
    scenario's was kept by an earlier boot (see `References`); `fn` must
    then be deterministic for C. Results must be plain data that pickles
    faithfully (a pyroute2 message does not: convert it first).
    """
    calls = iter(range(1 << 30))
    live = REFERENCES.dir == "" or request.node.get_closest_marker("live_reference") is not None

    def run(fn, params=""):
        call = next(calls)
        results = {}
        for name in DRIVERS:
            if name == "bonding" and not live:
                path = REFERENCES.path(str(request.node.path), request.node.nodeid, call, params)
                kept = REFERENCES.get(path)
                if kept is None:
                    kept = REFERENCES.put(path, (fn(name),))
                    REFERENCES.stored += 1
                else:
                    REFERENCES.reused += 1
                results[name] = kept[0]
            else:
                if name == "bonding":
                    REFERENCES.live += 1
                results[name] = fn(name)
        return results

    return run


@pytest.fixture
def differential(per_driver):
    """Run `scenario(driver)` with each driver loaded in turn.

    Returns {"bonding": result, "rust_bond": result}; the test compares them
    with `same(got)`, which passes trivially when RB_TEST_DRIVERS selects one.
    C's result may come from the reference store (`per_driver`).
    """

    def scenario_with(scenario, params):
        def run_one(name):
            drv = Driver(name)
            drv.load(params)
            try:
                return scenario(drv)
            finally:
                drv.unload_and_check()
        return run_one

    return lambda scenario, params="": per_driver(scenario_with(scenario, params), params)


@pytest.fixture(autouse=True)
def no_bonding_driver_loaded():
    """Each test starts and ends with neither driver loaded."""
    for name in ALL_DRIVERS:
        assert name not in loaded_modules(), f"{name} loaded before the test"
    yield
    for name in ALL_DRIVERS:
        if name in loaded_modules():
            # A failed test may leave it; unload so the next test is not
            # blamed, but this test still fails.
            sh(f"ip -o link show type bond | cut -d: -f2 | xargs -rn1 ip link del", check=False)
            time.sleep(0.1)
            sh(f"modprobe -r {name}", check=False)
            pytest.fail(f"{name} was still loaded after the test")


def same(got):
    """Assert a `differential` result is the same for every driver run; return it."""
    values = list(got.values())
    for name, value in got.items():
        assert value == values[0], f"{name} differs from {next(iter(got))}:\n{value!r}\n!=\n{values[0]!r}"
    return values[0]


def pytest_configure(config):
    config.addinivalue_line("markers", "bond: a bond differential scenario (slow: see Makefile)")
    config.addinivalue_line("markers", "debug_smoke: a bond scenario the debug kernel runs too")
    config.addinivalue_line("markers", "live_reference: the C result depends on timing: "
                            "both drivers run in every boot")


def pytest_terminal_summary(terminalreporter):
    r = REFERENCES
    if "bonding" in DRIVERS:
        where = r.dir or "off"
        terminalreporter.write_line(
            f"C references ({where}): {r.reused} reused, {r.stored} computed and kept, "
            f"{r.live} run live")
