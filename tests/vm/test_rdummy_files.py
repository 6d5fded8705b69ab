# SPDX-License-Identifier: GPL-2.0
"""The net layer's user files (pernet, sysfs, procfs), through rdummy.

samples/rdummy/files.rs makes, per network namespace,
/sys/class/net/rdummy_masters (a counter: `+N`, `-N`, `N`) and
/proc/net/rdummy/info, and /sys/class/net/lo/rdummy_test/{value,device}
in the initial namespace. Independent of the bonding `driver` fixture.
"""

import errno
import os
import subprocess

import pytest

from conftest import loaded_modules, sh

MASTERS = "/sys/class/net/rdummy_masters"
PROC_DIR = "/proc/net/rdummy"
INFO = f"{PROC_DIR}/info"
LO_DIR = "/sys/class/net/lo/rdummy_test"
NS = "rbfiles0"
NS_EARLY = "rbfiles1"

# Run in a namespace: write argv[2] to argv[1], print "ok" or the errno.
NS_WRITE = (
    "import os, sys\n"
    "fd = os.open(sys.argv[1], os.O_WRONLY)\n"
    "try:\n"
    "    os.write(fd, sys.argv[2].encode()); print('ok')\n"
    "except OSError as e:\n"
    "    print(e.errno)\n"
    "finally:\n"
    "    os.close(fd)\n"
)


def read(path):
    with open(path) as f:
        return f.read()


def write(path, data):
    """write(2) `data` in one call; raises OSError with the errno."""
    fd = os.open(path, os.O_WRONLY)
    try:
        return os.write(fd, data.encode())
    finally:
        os.close(fd)


def ns_read(ns, path):
    return sh(f"ip netns exec {ns} cat {path}")


def ns_write(ns, path, data):
    res = subprocess.run(
        ["ip", "netns", "exec", ns, "python3", "-c", NS_WRITE, path, data],
        capture_output=True, text=True, check=True,
    )
    out = res.stdout.strip()
    return out if out == "ok" else int(out)


def ns_exists(ns, path):
    return sh(f"ip netns exec {ns} sh -c 'test -e {path} && echo yes || echo no'").strip() == "yes"


def assert_gone():
    for path in (MASTERS, PROC_DIR, LO_DIR):
        assert not os.path.exists(path), f"{path} left after unload"


@pytest.fixture
def rdummy():
    assert "rdummy" not in loaded_modules()
    sh("modprobe rdummy")
    yield
    if "rdummy" in loaded_modules():
        sh("modprobe -r rdummy")
    assert_gone()
    for ns in (NS, NS_EARLY):
        sh(f"ip netns del {ns}", check=False)


def test_files_in_init_namespace(rdummy):
    assert read(MASTERS) == "0\n"
    assert read(INFO) == "rdummy files sample\nnamespace: init\ncounter: 0\n"
    assert oct(os.stat(MASTERS).st_mode & 0o777) == "0o644"
    assert oct(os.stat(INFO).st_mode & 0o777) == "0o444"


def test_store_good_and_bad_values(rdummy):
    assert write(MASTERS, "7\n") == 2
    assert read(MASTERS) == "7\n"
    assert write(MASTERS, "+3") == 2
    assert write(MASTERS, "-4\n") == 3
    assert read(MASTERS) == "6\n"
    assert "counter: 6\n" in read(INFO)
    # (An empty write never reaches `store`: sysfs returns 0 itself.)
    for bad in ("abc", "\n", "+", "-", "+-1", "1x", "99999999999999999999", "++1"):
        with pytest.raises(OSError) as exc:
            write(MASTERS, bad)
            pytest.fail(f"write {bad!r} was accepted")
        assert exc.value.errno == errno.EINVAL, f"write {bad!r}: {exc.value}"
        assert read(MASTERS) == "6\n", f"value changed by {bad!r}"


def test_per_namespace_files(rdummy):
    sh(f"ip netns add {NS}")
    assert ns_exists(NS, MASTERS)
    assert ns_read(NS, MASTERS) == "0\n"
    assert ns_write(NS, MASTERS, "+5") == "ok"
    assert ns_write(NS, MASTERS, "bogus") == errno.EINVAL
    assert ns_read(NS, MASTERS) == "5\n"
    assert ns_read(NS, INFO) == "rdummy files sample\nnamespace: other\ncounter: 5\n"
    # The namespaces do not share the counter.
    assert read(MASTERS) == "0\n"
    assert "counter: 0\n" in read(INFO)
    # Deleting the namespace runs the exit (asynchronously); the module
    # must still unload cleanly afterwards (the fixture checks).
    sh(f"ip netns del {NS}")


def test_existing_namespace_gets_files():
    """A namespace created before the module loads gets its files too."""
    sh(f"ip netns add {NS_EARLY}")
    try:
        assert not ns_exists(NS_EARLY, MASTERS)
        sh("modprobe rdummy")
        try:
            assert ns_read(NS_EARLY, MASTERS) == "0\n"
            assert "namespace: other" in ns_read(NS_EARLY, INFO)
        finally:
            sh("modprobe -r rdummy")
        assert not ns_exists(NS_EARLY, MASTERS)
        assert not ns_exists(NS_EARLY, PROC_DIR)
        assert_gone()
    finally:
        sh(f"ip netns del {NS_EARLY}")


def test_kobject_dir_under_lo(rdummy):
    assert sorted(os.listdir(LO_DIR)) == ["device", "value"]
    assert read(f"{LO_DIR}/device") == "lo\n"
    assert read(f"{LO_DIR}/value") == "0\n"
    write(f"{LO_DIR}/value", "+12")
    assert read(f"{LO_DIR}/value") == "12\n"
    with pytest.raises(OSError) as exc:
        write(f"{LO_DIR}/value", "twelve")
    assert exc.value.errno == errno.EINVAL
    assert read(f"{LO_DIR}/value") == "12\n"
    with pytest.raises(OSError) as exc:
        write(f"{LO_DIR}/device", "x")
    assert exc.value.errno == errno.EACCES or exc.value.errno == errno.EPERM


def test_files_gone_after_unload(rdummy):
    sh(f"ip netns add {NS}")
    assert ns_exists(NS, MASTERS)
    sh("modprobe -r rdummy")
    assert_gone()
    assert not ns_exists(NS, MASTERS)
    assert not ns_exists(NS, PROC_DIR)


def test_unload_with_open_files(rdummy):
    """Readers that hold the files open across rmmod get errors, not a crash."""
    files = [open(p, "rb", buffering=0) for p in (INFO, MASTERS, f"{LO_DIR}/value")]
    try:
        sh("modprobe -r rdummy")
        assert "rdummy" not in loaded_modules()
        for f in files:
            with pytest.raises(OSError) as exc:
                f.read()
            assert exc.value.errno in (errno.EIO, errno.ENODEV), f"{f.name}: {exc.value}"
    finally:
        for f in files:
            f.close()
    assert_gone()
