# SPDX-License-Identifier: GPL-2.0
"""A minimal rtnetlink client for link kinds iproute2 does not know.

`ip` cannot send or show the IFLA_INFO_DATA of a kind it has no module for
(such as rdummy), so the tests build RTM_NEWLINK/RTM_GETLINK by hand and
read back the error, the extended ack message and the attributes.
"""

import errno as errno_mod
import socket
import struct

SOL_NETLINK = 270  # not exported by Python's socket module
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
NLMSG_ERROR = 2
NLMSG_DONE = 3
RTM_NEWLINK = 16
RTM_GETLINK = 18
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000
IFLA_IFNAME = 3
IFLA_LINKINFO = 18
IFLA_INFO_KIND = 1
IFLA_INFO_DATA = 2
IFLA_INFO_SLAVE_KIND = 4
IFLA_INFO_SLAVE_DATA = 5


def attr(kind, payload):
    data = struct.pack("=HH", 4 + len(payload), kind) + payload
    return data + b"\0" * (-len(data) % 4)


def nested(kind, attrs):
    return attr(kind | NLA_F_NESTED, b"".join(attrs))


def u32(v):
    return struct.pack("=I", v)


def parse_attrs(buf):
    out = {}
    while len(buf) >= 4:
        length, kind = struct.unpack_from("=HH", buf)
        if length < 4:
            break
        out.setdefault(kind & ~NLA_F_NESTED & 0xFFFF, []).append(buf[4:length])
        buf = buf[(length + 3) & ~3:]
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}


def parse_attr_list(buf):
    """Attributes in order, repeated types kept: [(type, payload)]."""
    out = []
    while len(buf) >= 4:
        length, kind = struct.unpack_from("=HH", buf)
        if length < 4:
            break
        out.append((kind & ~NLA_F_NESTED & 0xFFFF, buf[4:length]))
        buf = buf[(length + 3) & ~3:]
    return out


class Rtnl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0

    def close(self):
        self.sock.close()

    def request(self, msg_type, flags, ifindex, attrs):
        """Send one request; return (errno, extack message, [reply payloads])."""
        self.seq += 1
        body = struct.pack("=BBHiII", 0, 0, 0, ifindex, 0, 0) + b"".join(attrs)
        hdr = struct.pack("=IHHII", 16 + len(body), msg_type, flags | NLM_F_REQUEST, self.seq, 0)
        self.sock.send(hdr + body)
        replies = []
        while True:
            data = self.sock.recv(65536)
            while len(data) >= 16:
                length, mtype, mflags, seq, _ = struct.unpack_from("=IHHII", data)
                payload = data[16:length]
                data = data[(length + 3) & ~3:]
                if seq != self.seq:
                    continue
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", payload)[0]
                    msg = ""
                    if mflags & NLM_F_ACK_TLVS:
                        # error code, then the request's header (capped).
                        tlvs = parse_attrs(payload[4 + 16:])
                        raw = tlvs.get(NLMSGERR_ATTR_MSG, b"")
                        msg = raw.split(b"\0")[0].decode()
                    return err, msg, replies
                if mtype == NLMSG_DONE:
                    return 0, "", replies
                replies.append(payload)

    def newlink(self, name, kind, data=(), create=True, ifindex=0):
        attrs = [attr(IFLA_LINKINFO, attr(IFLA_INFO_KIND, kind.encode() + b"\0")
                      + (nested(IFLA_INFO_DATA, data) if data else b""))]
        if isinstance(name, bytes):  # a name is bytes; b"" sends an empty one
            attrs.insert(0, attr(IFLA_IFNAME, name + b"\0"))
        elif name:
            attrs.insert(0, attr(IFLA_IFNAME, name.encode() + b"\0"))
        flags = NLM_F_ACK | (NLM_F_CREATE | NLM_F_EXCL if create else 0)
        err, msg, _ = self.request(RTM_NEWLINK, flags, ifindex, attrs)
        return err, msg

    def getlink(self, name):
        """The link's IFLA_LINKINFO as a dict of its attributes."""
        err, msg, replies = self.request(
            RTM_GETLINK, NLM_F_ACK, 0, [attr(IFLA_IFNAME, name.encode() + b"\0")])
        if err:
            raise OSError(err, f"{errno_mod.errorcode.get(err)}: {msg}")
        top = parse_attrs(replies[0][16:])
        return parse_attrs(top.get(IFLA_LINKINFO, b""))
