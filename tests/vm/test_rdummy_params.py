# SPDX-License-Identifier: GPL-2.0
"""Module parameters of a Rust module (net/module_param.rs, via rdummy).

rdummy declares, with the net layer's `module_params!`:
  numdummies  int = 1, perm 0       (as drivers/net/dummy.c)
  label       charp, perm 0444
  tags        array of charp (4), perm 0
  msg_level   int = 0, perm 0644, and its alias verbosity (same storage)
The C module dummy.ko is the reference for what users see.
"""

import ctypes
import errno
import os

import pytest

from conftest import kmsg_lines, loaded_modules, sh

SYS_finit_module = 313  # x86_64
PARAMS_DIR = "/sys/module/rdummy/parameters"


@pytest.fixture(autouse=True)
def rdummy_unloaded():
    """Each test starts and ends with rdummy not loaded."""
    assert "rdummy" not in loaded_modules()
    yield
    if "rdummy" in loaded_modules():
        sh("rmmod rdummy", check=False)
        pytest.fail("rdummy was still loaded after the test")


def load(params=""):
    """modprobe rdummy PARAMS; return the kernel log lines it printed."""
    start = len(kmsg_lines())
    sh(f"modprobe rdummy {params}")
    return [l for l in kmsg_lines()[start:] if l.startswith("rdummy: ")]


def finit_module(name, params):
    """Load module NAME's file with PARAMS directly; return 0 or the errno."""
    path = sh(f"modinfo -n {name}").strip()
    if not path.endswith(".ko"):
        pytest.skip(f"{path} is not an uncompressed module file")
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        ret = libc.syscall(SYS_finit_module, fd, params.encode(), 0)
    finally:
        os.close(fd)
    return 0 if ret == 0 else ctypes.get_errno()


def is_loadable_module(name):
    return sh(f"modinfo -n {name}", check=False).strip().endswith(".ko")


def parm_lines(name):
    """`modinfo` parm: lines of module NAME, as modinfo prints them."""
    out = sh(f"modinfo {name}")
    return [l.split(None, 1)[1] for l in out.splitlines() if l.startswith("parm:")]


def test_modinfo_parm_lines():
    assert sorted(parm_lines("rdummy")) == sorted([
        "numdummies:Number of rdummy pseudo devices (int)",
        "label:Text printed at load (charp)",
        "tags:Up to 4 words printed at load (array of charp)",
        "msg_level:Message level (alias of verbosity) (int)",
        "verbosity:Message level (alias of msg_level) (int)",
        "selftest:Run the net layer's RCU, BH lock and delayed work self-test at load (bool)",
    ])
    assert "numdummies:int" in sh("modinfo -F parmtype rdummy").splitlines()


def test_modinfo_matches_c_dummy():
    """The numdummies line is C dummy.ko's, but for the module's name."""
    if not is_loadable_module("dummy"):
        pytest.skip("dummy is not a loadable module in this kernel")
    c_line = next(l for l in parm_lines("dummy") if l.startswith("numdummies:"))
    r_line = next(l for l in parm_lines("rdummy") if l.startswith("numdummies:"))
    assert r_line == c_line.replace(" dummy ", " rdummy ")


def test_defaults():
    log = load()
    try:
        assert "rdummy: numdummies=1 label=(null)" in log
        assert "rdummy: msg_level=0" in log
        assert not any("tags[" in l for l in log)
        with open(f"{PARAMS_DIR}/label") as f:
            assert f.read() == "(null)\n"  # param_get_charp of NULL, as C
    finally:
        sh("rmmod rdummy")


def test_values_arrive():
    log = load("numdummies=3 label=hello tags=a,bb,c verbosity=5")
    try:
        assert log == [
            "rdummy: numdummies=3 label=hello",
            "rdummy: tags[0]=a",
            "rdummy: tags[1]=bb",
            "rdummy: tags[2]=c",
            "rdummy: msg_level=5",  # set through its alias
        ]
    finally:
        sh("rmmod rdummy")


def test_sysfs_only_for_nonzero_perm():
    load("label=hello")
    try:
        modes = {
            n: oct(os.stat(f"{PARAMS_DIR}/{n}").st_mode & 0o777)
            for n in os.listdir(PARAMS_DIR)
        }
        assert modes == {"label": "0o444", "msg_level": "0o644", "verbosity": "0o644"}
        with open(f"{PARAMS_DIR}/label") as f:
            assert f.read() == "hello\n"
        # A write to one name shows through the alias (one storage, as C's
        # module_param_named pair num_grat_arp/num_unsol_na in bonding).
        with open(f"{PARAMS_DIR}/msg_level", "w") as f:
            f.write("7")
        with open(f"{PARAMS_DIR}/verbosity") as f:
            assert f.read() == "7\n"
        # A bad value written through sysfs is refused with EINVAL.
        with pytest.raises(OSError) as e:
            with open(f"{PARAMS_DIR}/verbosity", "w") as f:
                f.write("x")
        assert e.value.errno == errno.EINVAL
    finally:
        sh("rmmod rdummy")


@pytest.mark.parametrize("params,message", [
    ("numdummies=bad", "`bad' invalid for parameter `numdummies'"),
    ("tags=1,2,3,4,5", "`1' invalid for parameter `tags'"),
])
def test_bad_value_refused_like_c(params, message):
    """A bad value fails the load with EINVAL and the kernel's usual line."""
    start = len(kmsg_lines())
    assert finit_module("rdummy", params) == errno.EINVAL
    assert f"rdummy: {message}" in kmsg_lines()[start:]
    assert "rdummy" not in loaded_modules()
    assert not os.path.exists("/sys/module/rdummy")


def test_bad_int_c_reference():
    """The C dummy.ko fails the same way: the same errno and log line."""
    if "dummy" in loaded_modules():
        # Earlier tests may have loaded it for their devices (gone now).
        sh("modprobe -r dummy", check=False)
    if not is_loadable_module("dummy") or "dummy" in loaded_modules():
        pytest.skip("dummy.ko is not loadable here")
    start = len(kmsg_lines())
    assert finit_module("dummy", "numdummies=bad") == errno.EINVAL
    assert "dummy: `bad' invalid for parameter `numdummies'" in kmsg_lines()[start:]
    assert "dummy" not in loaded_modules()
