# SPDX-License-Identifier: GPL-2.0
"""The net layer through its sample driver rdummy, compared with C's dummy.

rdummy (samples/rdummy) is a dummy device written on the Rust net layer
alone: these tests exercise device registration, the ops vtable, skb
ownership, link kinds, receive handlers, notifiers and module unload with
devices present, and compare what a user sees with drivers/net/dummy.c.
"""

import errno
import os
import struct
import time

import pytest

import nlraw
from conftest import kmsg_lines, loaded_modules, sh
from rdummy_lib import (RDummy, Background, cleanup_ns, ip_rc, link,
                        pktgen_run, pktgen_setup, pktgen_stop, veth_port)


@pytest.fixture
def rdummy():
    mod = RDummy()
    yield mod
    mod.unload_and_check()


@pytest.fixture
def dummy():
    """C's dummy, the reference (other tests may have loaded it already,
    e.g. for bond slaves; then it stays)."""
    loaded_here = "dummy" not in loaded_modules()
    if loaded_here:
        sh("modprobe dummy numdummies=0")
    yield
    if loaded_here:
        sh("modprobe -r dummy")


def user_view(dev):
    """What `ip -d link` shows that must not depend on the driver."""
    d = link(dev)
    keep = ("flags", "mtu", "qdisc", "operstate", "linkmode", "group",
            "txqlen", "link_type", "min_mtu", "max_mtu", "num_tx_queues",
            "num_rx_queues", "gso_max_size", "gso_max_segs", "addr_assign_type")
    return {k: d.get(k) for k in keep}


def test_module_creates_numdummies_devices():
    mod = RDummy("")
    try:
        assert link("rdummy0")["linkinfo"]["info_kind"] == "rdummy"
        assert "NOARP" in link("rdummy0")["flags"]
    finally:
        mod.unload_and_check()


def test_link_add_matches_dummy(rdummy, dummy):
    sh("ip link add rd1 type rdummy")
    sh("ip link add d1 type dummy")
    try:
        assert link("rd1")["linkinfo"]["info_kind"] == "rdummy"
        assert user_view("rd1") == user_view("d1")
        sh("ip link set rd1 up; ip link set d1 up")
        assert user_view("rd1") == user_view("d1")
        assert sh("ethtool -i rd1").splitlines()[0] == "driver: rdummy"
    finally:
        sh("ip link del rd1; ip link del d1")


CHANGES = [
    "mtu 9000", "mtu 68", "mtu 0", "mtu 65535", "mtu 70000",
    "address 02:11:22:33:44:55", "address 01:11:22:33:44:55",
    "address 00:00:00:00:00:00", "address 02:11:22:33",
    "carrier off", "carrier on",
]


def test_changes_give_dummys_result(rdummy, dummy):
    """MTU, MAC and carrier changes: same exit status, same message, same
    resulting state as dummy, up or down. Each change on fresh devices;
    the modules are loaded once for all of them (on the debug kernel a
    load and unload cost about 5 s), and every failing change is listed."""
    failures = []
    for cmd in CHANGES:
        sh("ip link add rd1 type rdummy; ip link add d1 type dummy")
        try:
            for up in (False, True):
                if up:
                    sh("ip link set rd1 up; ip link set d1 up")
                r = ip_rc(f"ip link set rd1 {cmd}")
                d = ip_rc(f"ip link set d1 {cmd}")
                if r != d:
                    failures.append(f"{cmd} (up={up}): rdummy {r} dummy {d}")
                    continue
                rv, dv = link("rd1"), link("d1")
                for k in ("mtu", "flags", "operstate"):
                    if rv[k] != dv[k]:
                        failures.append(f"{cmd} (up={up}): {k} {rv[k]} != {dv[k]}")
                if cmd.startswith("address") and r[0] == 0 and rv["address"] != cmd.split()[1]:
                    failures.append(f"{cmd} (up={up}): address {rv['address']}")
        finally:
            sh("ip link del rd1; ip link del d1")
    assert not failures, failures


@pytest.mark.parametrize("addr", ["01:00:00:00:00:01", "00:00:00:00:00:00"])
def test_link_add_with_bad_address_matches_dummy(rdummy, dummy, addr):
    r = ip_rc(f"ip link add rd1 address {addr} type rdummy")
    d = ip_rc(f"ip link add d1 address {addr} type dummy")
    assert r == d
    assert r[0] != 0
    assert "rd1" not in sh("ip -o link show")


def test_pktgen_counters_exact_like_dummy(rdummy, dummy):
    """Every packet given to xmit is counted once and freed: the counters
    match pktgen's count exactly, like dummy's."""
    count, size = 20000, 100
    results = {}
    for kind, dev in (("rdummy", "rd1"), ("dummy", "d1")):
        sh(f"ip link add {dev} type {kind}")
        # No IPv6: nothing but pktgen may send on the device.
        sh(f"sysctl -qw net.ipv6.conf.{dev}.disable_ipv6=1; ip link set {dev} up")
        try:
            pktgen_setup(dev, count, size)
            pktgen_run()
            tx = link(dev)["stats64"]["tx"]
            results[kind] = (tx["packets"], tx["bytes"], tx["dropped"])
        finally:
            sh(f"echo rem_device_all > /proc/net/pktgen/kpktgend_0")
            sh(f"ip link del {dev}")
    assert results["rdummy"] == results["dummy"]
    assert results["rdummy"] == (count, count * size, 0)


def test_register_unregister_under_load(rdummy):
    """Create and delete devices while another rdummy transmits at full
    rate, then delete the transmitting device under pktgen's feet."""
    sh("ip link add rd1 type rdummy; ip link set rd1 up")
    pktgen_setup("rd1", 0)
    bg = Background(pktgen_run)
    try:
        for i in range(10):
            sh(f"ip link add rdx{i} type rdummy; ip link set rdx{i} up")
            sh(f"ip link del rdx{i}")
        assert link("rd1")["stats64"]["tx"]["packets"] > 0
        sh("ip link del rd1")  # pktgen drops the device on UNREGISTER
    finally:
        pktgen_stop()
        bg.join(30)
    assert not bg.is_alive()


def test_port_rx_handler_counts_exact(rdummy):
    """A port's receive handler sees every packet once and hands it to the
    rdummy device (RX_HANDLER_ANOTHER)."""
    count = 5000
    veth_port("vA", "vB", "ns1")
    try:
        sh("ip link add rd1 type rdummy")
        sh("ip link set vA master rd1; ip link set vA up; ip link set rd1 up")
        assert link("vA")["master"] == "rd1"
        before = link("rd1")["stats64"]["rx"]["packets"]
        pktgen_setup("vB", count, 100, ns="ns1")
        pktgen_run(ns="ns1")
        time.sleep(0.5)
        rx = link("rd1")["stats64"]["rx"]
        assert rx["packets"] - before == count
        # rx_bytes counts from the network header: 14 bytes of Ethernet
        # header are already pulled when the handler runs.
        assert rx["bytes"] >= count * (100 - 4 - 14)
        sh("ip link set vA nomaster")
        assert "master" not in link("vA")
    finally:
        sh("ip link del rd1", check=False)
        sh("ip link del vA", check=False)
        cleanup_ns("ns1")


def test_port_attach_detach_while_traffic_flows(rdummy):
    veth_port("vA", "vB", "ns1")
    sh("ip link add rd1 type rdummy; ip link set rd1 up; ip link set vA up")
    pktgen_setup("vB", 0, 100, ns="ns1")
    bg = Background(pktgen_run, "ns1")
    try:
        for _ in range(10):
            sh("ip link set vA master rd1")
            sh("ip link set vA nomaster")
        sh("ip link set vA master rd1")
        time.sleep(0.2)
        assert link("rd1")["stats64"]["rx"]["packets"] > 0
        sh("ip link del vA")  # the notifier releases the port
        assert link("rd1")["stats64"]["rx"]["packets"] > 0
    finally:
        pktgen_stop("ns1")
        bg.join(30)
        sh("ip link del rd1", check=False)
        sh("ip link del vA", check=False)
        cleanup_ns("ns1")


def test_bad_ports_are_refused(rdummy):
    sh("ip link add rd1 type rdummy; ip link add rd2 type rdummy")
    sh("ip link add d0 type veth peer name d1")
    try:
        # A device cannot be its own port.
        assert ip_rc("ip link set rd1 master rd1")[0] != 0
        # The lower device of a macvlan already has a receive handler (and
        # no master to release it from): EBUSY, and nothing changes.
        sh("ip link add mv0 link d0 type macvlan")
        rc, err = ip_rc("ip link set d0 master rd1")
        assert rc != 0 and "busy" in err.lower(), err
        assert "master" not in link("d0")
        assert sh("ip -o link show master rd1") == ""
        # Moving a port to another master releases it from the first
        # (do_set_master calls del_slave, then add_slave).
        sh("ip link set d1 master rd1")
        sh("ip link set d1 master rd2")
        assert link("d1")["master"] == "rd2"
        assert sh("ip -o link show master rd1") == ""
    finally:
        sh("ip link del rd1; ip link del rd2; ip link del d0", check=False)


def test_notifier_events_in_order(rdummy):
    sh("ip link add rd1 type rdummy; ip link add pA type veth peer name pB")
    start = len(kmsg_lines())
    sh("ip link set pA master rd1")
    sh("ip link set pA mtu 1400")
    sh("ip link set pA up")
    sh("ip link set pA down")
    sh("ip link set pA address 02:00:00:00:00:aa")
    sh("ip link del pA")
    events = [l.split("rd1: ", 1)[1] for l in kmsg_lines()[start:] if "rd1: " in l]
    expected = [
        "port pA event ChangeUpper", "attached port pA",
        "port pA event PreChangeMtu", "port pA event ChangeMtu",
        "port pA event PreUp", "port pA event Up",
        "port pA event GoingDown", "port pA event Down",
        "port pA event PreChangeAddr", "port pA event ChangeAddr",
        "port pA event Unregister", "port pA event PreChangeUpper",
        "released port pA",
    ]
    # Other events (e.g. CHANGE on carrier) may interleave; the expected
    # ones must all appear, in this order.
    it = iter(events)
    missing = [e for e in expected if not any(e == x for x in it)]
    assert not missing, f"missing or out of order: {missing}; got {events}"
    sh("ip link del rd1")


def test_unload_with_devices_ports_and_traffic():
    """rmmod with devices, a port and traffic in flight: every device goes,
    the port is released, nothing leaks (the guest checks kmemleak)."""
    veth_port("vA", "vB", "ns1")
    mod = RDummy("numdummies=3")
    try:
        sh("ip link set vA master rdummy0; ip link set vA up; ip link set rdummy0 up")
        sh("ip link set rdummy1 up")
        pktgen_setup("vB", 0, 100, ns="ns1")
        rx_bg = Background(pktgen_run, "ns1")
        pktgen_setup("rdummy1", 0, 100, thread=1)
        tx_bg = Background(pktgen_run)
        time.sleep(0.5)
        mod.unload_and_check()
        assert "master" not in link("vA")
    finally:
        pktgen_stop("ns1")
        pktgen_stop()
        sh("ip link del vA", check=False)
        cleanup_ns("ns1")
    rx_bg.join(30)
    tx_bg.join(30)


def test_xmit_sends_a_copy_out_of_every_port(rdummy):
    """With ports, start_xmit sends a clone out of every port but the last,
    which gets the original (an RCU-published array read on the transmit
    path): each peer receives every packet once."""
    count = 3000
    veth_port("vA", "vB", "ns1")
    sh("ip link add wA type veth peer name wB netns ns1")
    sh("ip netns exec ns1 sysctl -qw net.ipv6.conf.wB.disable_ipv6=1")
    sh("ip -n ns1 link set wB up")
    try:
        sh("ip link add rd1 type rdummy")
        for dev in ("rd1", "vA", "wA"):
            sh(f"sysctl -qw net.ipv6.conf.{dev}.disable_ipv6=1")
        sh("ip link set vA master rd1; ip link set wA master rd1")
        sh("ip link set vA up; ip link set wA up; ip link set rd1 up")
        time.sleep(0.5)
        peers = ("vB", "wB")

        def rx():
            return [link(p, ns="ns1")["stats64"]["rx"]["packets"] for p in peers]

        before = rx()
        pktgen_setup("rd1", count, 100)
        pktgen_run()
        time.sleep(0.5)
        assert [a - b for a, b in zip(rx(), before)] == [count, count]
        assert link("rd1")["stats64"]["tx"]["packets"] == count
        # One port left: the original only.
        sh("ip link set wA nomaster")
        pktgen_run()
        assert [a - b for a, b in zip(rx(), before)] == [2 * count, count]
        # No ports: counted and freed again.
        sh("ip link set vA nomaster")
        pktgen_run()
        assert [a - b for a, b in zip(rx(), before)] == [2 * count, count]
        assert link("rd1")["stats64"]["tx"]["packets"] == 3 * count
    finally:
        sh("echo rem_device_all > /proc/net/pktgen/kpktgend_0", check=False)
        sh("ip link del rd1", check=False)
        sh("ip link del vA", check=False)
        sh("ip link del wA", check=False)
        cleanup_ns("ns1")


def test_sync_selftest_at_load():
    """The self-test of RCU (RcuPtr replace, deferred free), the BH lock and
    delayed work (self-requeueing, modify, cancel_sync) passes, and the work
    it leaves pending is cancelled at unload."""
    start = len(kmsg_lines())
    mod = RDummy("numdummies=0 selftest=1")
    assert "rdummy: selftest: ok" in kmsg_lines()[start:]
    mod.unload_and_check()
    assert "rdummy: selftest: cancelled the pending work at unload" in kmsg_lines()[start:]


def test_per_device_sysfs_files(rdummy):
    """/sys/class/net/<dev>/rdummy/: values, errno of bad writes (and no
    change), the heartbeat delayed work running only while the device is
    up, and the files going with the device."""
    sh("ip link add rd1 type rdummy; ip link add pA type veth peer name pB")
    d = "/sys/class/net/rd1/rdummy"
    try:
        def read(f):
            with open(f"{d}/{f}") as fh:
                return fh.read()

        def write(f, v):
            with open(f"{d}/{f}", "w") as fh:
                fh.write(v)

        assert sorted(os.listdir(d)) == ["beats", "heartbeat_ms", "last_beat_ms", "ports"]
        assert read("heartbeat_ms") == "100\n"
        assert read("beats") == "0\n" and read("last_beat_ms") == "none\n"
        assert read("ports") == ""
        for bad in ("abc", "-1", "60001", "1.5", "99999999999"):
            with pytest.raises(OSError) as e:
                write("heartbeat_ms", bad)
            assert e.value.errno == errno.EINVAL, bad
            assert read("heartbeat_ms") == "100\n"
        with pytest.raises(OSError) as e:
            write("beats", "1")
        assert e.value.errno in (errno.EACCES, errno.EPERM)
        write("heartbeat_ms", "10")
        assert read("heartbeat_ms") == "10\n"
        sh("ip link set rd1 up")
        time.sleep(1)
        up = int(read("beats"))
        assert up > 0
        sh("ip link set rd1 down")
        down = int(read("beats"))
        time.sleep(0.5)
        assert int(read("beats")) == down  # cancelled when the device went down
        sh("ip link set rd1 up")
        write("heartbeat_ms", "0")  # stops it while up
        stopped = int(read("beats"))
        time.sleep(0.5)
        assert int(read("beats")) == stopped
        write("heartbeat_ms", "20")  # and restarts it
        sh("ip link set pA master rd1; ip link set pB master rd1")
        assert read("ports") == "pA pB\n"
    finally:
        sh("ip link del rd1; ip link del pA", check=False)
    assert not os.path.exists(d)



# rdummy's netlink attributes (samples/rdummy/link_attrs.rs).
HEARTBEAT_MS, BEATS, PORTS, PORT_IFINDEX, PORT_RX_PACKETS = 1, 2, 3, 1, 1


@pytest.fixture
def nl():
    sock = nlraw.Rtnl()
    yield sock
    sock.close()


def info_data(nl, name):
    return nlraw.parse_attrs(nl.getlink(name)[nlraw.IFLA_INFO_DATA])


def test_netlink_create_with_attributes_and_dump(rdummy, nl):
    """newlink parses IFLA_INFO_DATA against the kind's policy; fill_info
    dumps it, with a nested list of ports; fill_slave_info dumps a port."""
    assert nl.newlink("rd1", "rdummy", [nlraw.attr(HEARTBEAT_MS, nlraw.u32(250))]) == (0, "")
    try:
        data = info_data(nl, "rd1")
        assert struct.unpack("=I", data[HEARTBEAT_MS])[0] == 250
        assert struct.unpack("=Q", data[BEATS])[0] == 0
        assert data[PORTS] == b""
        with open("/sys/class/net/rd1/rdummy/heartbeat_ms") as f:
            assert f.read() == "250\n"  # one setting, two front ends
        sh("ip link add pA type veth peer name pB")
        sh("ip link set pA master rd1; ip link set pB master rd1")
        ports = nlraw.parse_attr_list(info_data(nl, "rd1")[PORTS])
        want = [(PORT_IFINDEX, struct.pack("=I", link(d)["ifindex"])) for d in ("pA", "pB")]
        assert ports == want
        info = nl.getlink("pA")
        assert info[nlraw.IFLA_INFO_SLAVE_KIND] == b"rdummy\0"
        slave = nlraw.parse_attrs(info[nlraw.IFLA_INFO_SLAVE_DATA])
        assert struct.unpack("=Q", slave[PORT_RX_PACKETS])[0] == 0
        assert link("pA")["linkinfo"]["info_slave_kind"] == "rdummy"
    finally:
        sh("ip link del rd1; ip link del pA", check=False)


@pytest.mark.parametrize("data,err,msg", [
    ([nlraw.attr(HEARTBEAT_MS, nlraw.u32(60001))], errno.EINVAL,
     "rdummy: heartbeat_ms must be at most 60000"),
    ([nlraw.attr(BEATS, struct.pack("=Q", 5))], errno.EINVAL,
     "rdummy: attribute is read-only"),
    ([nlraw.nested(PORTS, [])], errno.EINVAL, "rdummy: attribute is read-only"),
])
def test_netlink_bad_attributes_refused_with_extack(rdummy, nl, data, err, msg):
    """Bad data: the errno and extack message user space sees, and no
    device left; on an existing device, nothing changes."""
    assert nl.newlink("rd1", "rdummy", data) == (err, msg)
    assert "rd1" not in sh("ip -o link show")
    assert nl.newlink("rd2", "rdummy", [nlraw.attr(HEARTBEAT_MS, nlraw.u32(30))]) == (0, "")
    try:
        assert nl.newlink(None, "rdummy", data, create=False,
                          ifindex=link("rd2")["ifindex"]) == (err, msg)
        assert struct.unpack("=I", info_data(nl, "rd2")[HEARTBEAT_MS])[0] == 30
    finally:
        sh("ip link del rd2")


def test_netlink_policy_rejects_short_attribute(rdummy, nl):
    """The core checks the policy (NLA_U32 needs 4 bytes) before the driver
    sees the request."""
    e, _ = nl.newlink("rd1", "rdummy", [nlraw.attr(HEARTBEAT_MS, b"\x01\x00")])
    assert e in (errno.EINVAL, errno.ERANGE)
    assert "rd1" not in sh("ip -o link show")


def test_netlink_changelink(rdummy, nl):
    sh("ip link add rd1 type rdummy")
    try:
        idx = link("rd1")["ifindex"]
        assert nl.newlink(None, "rdummy", [nlraw.attr(HEARTBEAT_MS, nlraw.u32(40))],
                          create=False, ifindex=idx) == (0, "")
        assert struct.unpack("=I", info_data(nl, "rd1")[HEARTBEAT_MS])[0] == 40
        with open("/sys/class/net/rd1/rdummy/heartbeat_ms") as f:
            assert f.read() == "40\n"
    finally:
        sh("ip link del rd1")
