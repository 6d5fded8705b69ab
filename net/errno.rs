// SPDX-License-Identifier: GPL-2.0

//! Error codes that network drivers return and 6.12's
//! [`kernel::error::code`] does not name.
//!
//! C header: [`include/uapi/asm-generic/errno.h`](srctree/include/uapi/asm-generic/errno.h).

use super::bindings;
use kernel::error::Error;

macro_rules! errno {
    ($($(#[$m:meta])* $name:ident;)*) => {
        $(
            $(#[$m])*
            #[allow(non_snake_case)]
            pub fn $name() -> Error {
                Error::from_errno(-(bindings::$name as i32))
            }
        )*
    };
}

errno! {
    /// Cannot assign requested address.
    EADDRNOTAVAIL;
    /// Message too long (a netlink message is full).
    EMSGSIZE;
    /// Operation not supported on transport endpoint.
    EOPNOTSUPP;
    /// Transport endpoint is not connected.
    ENOTCONN;
    /// Protocol not available.
    ENOPROTOOPT;
    /// Network is down.
    ENETDOWN;
    /// Address family not supported by protocol.
    EAFNOSUPPORT;
    /// Address already in use.
    EADDRINUSE;
    /// No buffer space available (a queue dropped the packet).
    ENOBUFS;
}
