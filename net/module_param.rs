// SPDX-License-Identifier: GPL-2.0

//! Module parameters, as C's `module_param()` and `MODULE_PARM_DESC()`.
//!
//! C header: [`include/linux/moduleparam.h`](srctree/include/linux/moduleparam.h).
//!
//! 6.12's `module!` macro has no `params`. [`module_params!`] fills the gap
//! by emitting exactly what the C macros emit, so that the kernel, `modinfo`,
//! `modprobe` and sysfs cannot tell a Rust module's parameters from a C
//! module's:
//!
//! - one `struct kernel_param` per parameter in the `__param` section
//!   (`__module_param_call()`), whose `arg` points at a static storage cell
//!   that the kernel's standard `param_ops_<type>` parse into;
//! - `parmtype=<name>:<type>` and `parm=<name>:<desc>` strings in `.modinfo`
//!   (`__MODULE_PARM_TYPE()`, `MODULE_PARM_DESC()`).
//!
//! The kernel parses the parameters when it loads the module, before it
//! calls the module's init function, and rejects the load (usually with
//! `EINVAL`) if a value does not parse. It frees `charp` strings when the
//! module is unloaded, after its exit function has returned. A parameter
//! with `perm != 0` also appears in `/sys/module/<module>/parameters/`, and
//! if `perm` has write bits root can change it there at any time.
//!
//! # Reading parameters
//!
//! - `int`, `uint`, `bool` ([`Param::get`]) are read with a single marked
//!   load (`READ_ONCE`). For `perm` without write bits the value is written
//!   only by the loader, which runs before the module's init function in
//!   the same task (or, built in, before any initcall), so every read
//!   happens after the write. For writable parameters the kernel stores the
//!   new value with one aligned store under `kernel_param_lock()`; a read
//!   gets either the old or the new value, never a torn one, which is what
//!   C drivers get from a plain read of such a variable. No ordering with
//!   other memory is implied: a parameter is one self-contained word.
//! - `charp` ([`Param::get`] returning `Option<&CStr>`) and arrays of
//!   `charp` must have a `perm` without write bits (checked at compile
//!   time): a sysfs write would free the string under a reader's feet. With
//!   that rule the string is set by the loader before init and freed only
//!   after the module's exit function has returned, so it lives as long as
//!   the module's own statics: it is handed out as `&'static CStr`, with the
//!   same meaning `'static` has for any other data of a module.
//!
//! # Module name
//!
//! Built in, the kernel expects parameter names and `.modinfo` keys to be
//! prefixed by `KBUILD_MODNAME.` (`MODULE_PARAM_PREFIX`,
//! `__MODULE_INFO_PREFIX`). Rust module crates do not get `KBUILD_MODNAME`,
//! but Kbuild sets `RUST_MODFILE` (the module's path without `.ko`) for
//! every Rust object, which `module!` also reads: the module name is its
//! last component. Loadable modules (`--cfg MODULE`) use no prefix, as in C.

use super::bindings;
use core::{marker::PhantomData, ptr};
use kernel::{str::CStr, types::Opaque};

/// The name of the module this crate is built into, from `RUST_MODFILE`.
///
/// This is the `KBUILD_MODNAME` the C macros use; Kbuild's `name-fix`
/// would turn a `-` or `,` into `_`, so the name is checked to have none.
pub const MODULE_NAME: &str = {
    let name = basename(env!("RUST_MODFILE"));
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Kbuild's `name-fix` would change these in `KBUILD_MODNAME`.
        assert!(
            bytes[i] != b'-' && bytes[i] != b',' && bytes[i] != b' ',
            "module name from RUST_MODFILE has '-', ',' or ' '"
        );
        i += 1;
    }
    name
};

/// Returns the part of `path` after its last `/`.
const fn basename(path: &str) -> &str {
    let bytes = path.as_bytes();
    let mut start = bytes.len();
    while start > 0 && bytes[start - 1] != b'/' {
        start -= 1;
    }
    match core::str::from_utf8(bytes.split_at(start).1) {
        Ok(name) => name,
        Err(_) => panic!("RUST_MODFILE is not UTF-8"),
    }
}

/// `struct module` of the module this crate is built into, as C's
/// `THIS_MODULE`: `NULL` when built in.
#[cfg(MODULE)]
const THIS_MODULE: *mut bindings::module = ptr::addr_of_mut!(bindings::__this_module);
#[cfg(not(MODULE))]
const THIS_MODULE: *mut bindings::module = ptr::null_mut();

mod private {
    pub trait Sealed {}
}

/// A C parameter type: `int`, `uint`, `bool` or `charp`.
///
/// The implementations name the kernel's `param_ops_<type>`, which parse a
/// string into a `Self::Storage` through `kernel_param.arg`.
pub trait Kind: private::Sealed + 'static {
    /// The C type of the variable the kernel's ops write.
    #[doc(hidden)]
    type Storage: Copy;
    /// Whether a parameter of this kind may have write bits in `perm`.
    #[doc(hidden)]
    const SYSFS_WRITABLE: bool;
    /// The kernel's `param_ops_<type>`.
    #[doc(hidden)]
    const OPS: *const bindings::kernel_param_ops;
}

/// A [`Kind`] whose storage is a plain value (no pointer): any bit
/// pattern the C type allows is valid, so any default is fine.
pub trait ValueKind: Kind {}

/// The C type `int` (`param_ops_int`), read as `i32`.
pub struct Int;
/// The C type `unsigned int` (`param_ops_uint`), read as `u32`.
pub struct UInt;
/// The C type `bool` (`param_ops_bool`; `y`/`n`/`1`/`0`, no value means `y`).
pub struct Bool;
/// The C type `char *` (`param_ops_charp`), read as `Option<&CStr>`.
pub struct CharP;

impl private::Sealed for Int {}
impl Kind for Int {
    type Storage = kernel::ffi::c_int;
    const SYSFS_WRITABLE: bool = true;
    const OPS: *const bindings::kernel_param_ops = ptr::addr_of!(bindings::param_ops_int);
}

impl ValueKind for Int {}

impl private::Sealed for UInt {}
impl Kind for UInt {
    type Storage = kernel::ffi::c_uint;
    const SYSFS_WRITABLE: bool = true;
    const OPS: *const bindings::kernel_param_ops = ptr::addr_of!(bindings::param_ops_uint);
}

impl ValueKind for UInt {}

impl private::Sealed for Bool {}
impl Kind for Bool {
    type Storage = bool;
    const SYSFS_WRITABLE: bool = true;
    const OPS: *const bindings::kernel_param_ops = ptr::addr_of!(bindings::param_ops_bool);
}

impl ValueKind for Bool {}

impl private::Sealed for CharP {}
impl Kind for CharP {
    type Storage = *mut kernel::ffi::c_char;
    // A sysfs write frees the old string (`param_set_charp`).
    const SYSFS_WRITABLE: bool = false;
    const OPS: *const bindings::kernel_param_ops = ptr::addr_of!(bindings::param_ops_charp);
}

/// The storage of a module parameter: the C variable the kernel writes.
///
/// Declared by [`module_params!`]; drivers read it with `get`.
///
/// # Invariants
///
/// The cell holds a valid `K::Storage`. The kernel writes it only through
/// a `kernel_param` made by [`KernelParam::new`], whose `perm` has no write
/// bits unless `K::SYSFS_WRITABLE`. For [`CharP`] the cell holds `NULL` or
/// a NUL-terminated string that the kernel does not free or change before
/// the module is unloaded.
#[repr(transparent)]
pub struct Param<K: Kind>(Opaque<K::Storage>);

// SAFETY: Rust code only reads the cell, with a single load of at most one
// word (see the module docs for why reads cannot race with a torn or freed
// value); the kernel serialises its own writes under `kernel_param_lock`.
unsafe impl<K: Kind> Sync for Param<K> {}

impl<K: ValueKind> Param<K> {
    /// Creates the storage with the value the parameter has if not given.
    pub const fn new(default: K::Storage) -> Self {
        // INVARIANT: any value of a `ValueKind`'s storage is valid.
        Self(Opaque::new(default))
    }
}

impl<K: Kind> Param<K> {
    fn load(&self) -> K::Storage {
        // SAFETY: the cell is valid and initialised (type invariant); the
        // only concurrent writer is the kernel's parameter code, which
        // stores at most one aligned word (see the module docs), so a
        // volatile (`READ_ONCE`) load sees a whole value.
        unsafe { ptr::read_volatile(self.0.get()) }
    }
}

impl Param<Int> {
    /// Returns the current value.
    pub fn get(&self) -> i32 {
        self.load()
    }
}

impl Param<UInt> {
    /// Returns the current value.
    pub fn get(&self) -> u32 {
        self.load()
    }
}

impl Param<Bool> {
    /// Returns the current value.
    pub fn get(&self) -> bool {
        // SAFETY: as in `load`; read as a byte so that no byte value the C
        // side might leave there can make an invalid `bool`.
        unsafe { ptr::read_volatile(self.0.get().cast::<u8>()) != 0 }
    }
}

impl Param<CharP> {
    /// Creates the storage of a `charp` parameter that defaults to `NULL`.
    pub const fn null() -> Self {
        // INVARIANT: `NULL` means "not given".
        Self(Opaque::new(ptr::null_mut()))
    }

    /// Returns the string given at load, or `None` if it was not given.
    pub fn get(&'static self) -> Option<&'static CStr> {
        let p = self.load();
        if p.is_null() {
            return None;
        }
        // SAFETY: by the type invariant, a non-NULL value is a NUL-terminated
        // string that stays valid and unchanged until the module is
        // unloaded, that is, as long as the module's statics.
        Some(unsafe { CStr::from_char_ptr(p) })
    }
}

/// The storage of an array parameter (`module_param_array()` with
/// `nump == NULL`): `N` elements, unset ones keep their default.
///
/// # Invariants
///
/// As for [`Param`], for each element.
#[repr(transparent)]
pub struct ParamArray<K: Kind, const N: usize>(Opaque<[K::Storage; N]>);

// SAFETY: as for `Param`.
unsafe impl<K: Kind, const N: usize> Sync for ParamArray<K, N> {}

impl<const N: usize> ParamArray<CharP, N> {
    /// Creates the storage of a `charp` array whose elements are all `NULL`.
    pub const fn null() -> Self {
        // INVARIANT: all elements are `NULL`.
        Self(Opaque::new([ptr::null_mut(); N]))
    }

    /// The number of elements (`ARRAY_SIZE()` in C).
    pub const fn max(&self) -> usize {
        N
    }

    /// Returns element `i`, or `None` if it was not given (or `i >= N`).
    ///
    /// The kernel fills the elements from index 0 in the order given
    /// (`arp_ip_target=a,b` sets 0 and 1), so the first `None` marks the
    /// end, as C's `for (i = 0; i < N && arr[i]; i++)` assumes.
    pub fn get(&'static self, i: usize) -> Option<&'static CStr> {
        if i >= N {
            return None;
        }
        // SAFETY: `i < N`, so the element is in bounds of the valid cell; as
        // in `Param::load`, a volatile load sees a whole pointer.
        let p =
            unsafe { ptr::read_volatile(self.0.get().cast::<*mut kernel::ffi::c_char>().add(i)) };
        if p.is_null() {
            return None;
        }
        // SAFETY: as in `Param::<CharP>::get`, by the type invariant.
        Some(unsafe { CStr::from_char_ptr(p) })
    }

    /// Returns the elements given at load: those before the first unset one.
    pub fn iter(&'static self) -> impl Iterator<Item = &'static CStr> {
        (0..N).map_while(move |i| self.get(i))
    }
}

/// `struct kernel_param`, the entry the kernel finds in `__param`.
///
/// Made by [`module_params!`]; only useful in that section.
#[doc(hidden)]
#[repr(transparent)]
pub struct KernelParam(bindings::kernel_param);

// SAFETY: the struct is never written after it is built; the kernel only
// reads it (and the pointers in it lead to `Sync` data or to C's ops).
unsafe impl Sync for KernelParam {}

/// Checks `perm` as C's `VERIFY_OCTAL_PERMISSIONS()`, at compile time when
/// called in a constant.
const fn check_perm(perm: u16, writable: bool) -> u16 {
    assert!(perm <= 0o777, "perm must be at most 0o777");
    assert!(
        (perm >> 6) & 4 >= (perm >> 3) & 4,
        "perm: group may read, user may not"
    );
    assert!(
        (perm >> 3) & 4 >= perm & 4,
        "perm: others may read, group may not"
    );
    assert!(
        (perm >> 6) & 2 >= (perm >> 3) & 2,
        "perm: group may write, user may not"
    );
    assert!(perm & 2 == 0, "perm: others may not write");
    assert!(
        writable || perm & 0o222 == 0,
        "perm: this parameter type cannot be writable through sysfs"
    );
    perm
}

/// Checks that `name` is a NUL-terminated C string with no other NUL.
const fn check_cstr(name: &[u8]) -> *const kernel::ffi::c_char {
    assert!(!name.is_empty() && name[name.len() - 1] == 0);
    let mut i = 0;
    while i < name.len() - 1 {
        assert!(name[i] != 0);
        i += 1;
    }
    name.as_ptr().cast()
}

impl KernelParam {
    /// Builds the entry of a scalar parameter, as `__module_param_call()`.
    ///
    /// `name` is the NUL-terminated parameter name including the prefix
    /// (see [`module_params!`]). Panics (at compile time, in a static) if
    /// `perm` is not a valid permission for `K`.
    pub const fn new<K: Kind>(name: &'static [u8], storage: &'static Param<K>, perm: u16) -> Self {
        Self(bindings::kernel_param {
            name: check_cstr(name),
            mod_: THIS_MODULE,
            ops: K::OPS,
            perm: check_perm(perm, K::SYSFS_WRITABLE),
            level: -1,
            flags: 0,
            __bindgen_anon_1: bindings::kernel_param__bindgen_ty_1 {
                arg: storage.0.get().cast(),
            },
        })
    }

    /// Builds the entry of an array parameter, as
    /// `module_param_array_named()`.
    pub const fn new_array<K: Kind, const N: usize>(
        name: &'static [u8],
        array: &'static KParamArray<K, N>,
        perm: u16,
    ) -> Self {
        Self(bindings::kernel_param {
            name: check_cstr(name),
            mod_: THIS_MODULE,
            ops: ptr::addr_of!(bindings::param_array_ops),
            perm: check_perm(perm, K::SYSFS_WRITABLE),
            level: -1,
            flags: 0,
            __bindgen_anon_1: bindings::kernel_param__bindgen_ty_1 {
                arr: ptr::addr_of!(array.0),
            },
        })
    }
}

/// `struct kparam_array`, the description of an array parameter.
#[doc(hidden)]
#[repr(transparent)]
pub struct KParamArray<K: Kind, const N: usize>(bindings::kparam_array, PhantomData<K>);

// SAFETY: never written after it is built; the kernel only reads it.
unsafe impl<K: Kind, const N: usize> Sync for KParamArray<K, N> {}

impl<K: Kind, const N: usize> KParamArray<K, N> {
    /// Describes `storage` with `num == NULL`, as C's
    /// `module_param_array(name, type, NULL, perm)`.
    pub const fn new(storage: &'static ParamArray<K, N>) -> Self {
        assert!(N > 0 && N <= u32::MAX as usize);
        Self(
            bindings::kparam_array {
                max: N as u32,
                elemsize: core::mem::size_of::<K::Storage>() as u32,
                num: ptr::null_mut(),
                ops: K::OPS,
                elem: storage.0.get().cast(),
            },
            PhantomData,
        )
    }
}

/// The `.modinfo` key prefix: `<module>.` when built in, none for a
/// loadable module (`__MODULE_INFO_PREFIX`); also `MODULE_PARAM_PREFIX`.
#[doc(hidden)]
#[cfg(MODULE)]
pub const PREFIX: &[&str] = &[];
#[doc(hidden)]
#[cfg(not(MODULE))]
pub const PREFIX: &[&str] = &[MODULE_NAME, "."];

/// The length of the concatenation of `prefix` and `parts`.
#[doc(hidden)]
pub const fn concat_len(prefix: &[&str], parts: &[&str]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < prefix.len() {
        len += prefix[i].len();
        i += 1;
    }
    i = 0;
    while i < parts.len() {
        len += parts[i].len();
        i += 1;
    }
    len
}

/// Concatenates `prefix` and `parts` into an array of exactly `N` bytes.
#[doc(hidden)]
pub const fn concat<const N: usize>(prefix: &[&str], parts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut pos = 0;
    let mut i = 0;
    while i < prefix.len() + parts.len() {
        let s = if i < prefix.len() {
            prefix[i].as_bytes()
        } else {
            parts[i - prefix.len()].as_bytes()
        };
        let mut j = 0;
        while j < s.len() {
            out[pos] = s[j];
            pos += 1;
            j += 1;
        }
        i += 1;
    }
    assert!(pos == N);
    out
}

/// Declares module parameters, as C's `module_param()`,
/// `module_param_named()`, `module_param_array()` and `MODULE_PARM_DESC()`.
///
/// The first line names a module (`mod params;`, any visibility) that the
/// macro creates to hold the storage: one `pub(crate)` static per parameter
/// (aliases excepted), named like the parameter, a [`Param`] or a
/// [`ParamArray`] that the driver reads with `get`. The statics have
/// lower-case names, as in C; keeping them in their own module means they
/// cannot clash with local variables of the same name elsewhere.
///
/// ```ignore
/// module_params! {
///     mod params;
///     // module_param(max_bonds, int, 0); MODULE_PARM_DESC(max_bonds, "...");
///     max_bonds: int = BOND_DEFAULT_MAX_BONDS, perm = 0, desc = "Max number of bonded devices";
///     // module_param(mode, charp, 0);  (charp always defaults to NULL)
///     mode: charp, perm = 0, desc = "Mode of operation; ...";
///     // module_param_array(arp_ip_target, charp, NULL, 0);
///     arp_ip_target: [charp; 16], perm = 0, desc = "arp targets in n.n.n.n form";
///     // module_param_named(num_grat_arp, num_peer_notif, int, 0644);
///     num_grat_arp: int = 1, perm = 0o644, desc = "...";
///     // module_param_named(num_unsol_na, num_peer_notif, int, 0644): same storage
///     num_unsol_na: int = alias num_grat_arp, perm = 0o644, desc = "...";
/// }
/// // In init: `params::max_bonds.get()` is an `i32`,
/// // `params::mode.get()` an `Option<&'static CStr>`,
/// // `params::arp_ip_target.iter()` yields the targets given.
/// ```
///
/// Types: `int`, `uint`, `bool`, `charp` and `[charp; N]`. `perm` follows
/// C's rules (`VERIFY_OCTAL_PERMISSIONS`), and `charp` and arrays of it may
/// not be writable; both are checked at compile time. An entry may start
/// with attributes; the storage's doc is `desc`, which may be a
/// `concat!()` for long texts. Defaults are constant
/// expressions, evaluated in the module (which glob-imports its parent).
///
/// Use it once per module crate (it reads `RUST_MODFILE` for the module
/// name), in a crate that mounts this layer as `crate::net`.
#[macro_export]
macro_rules! module_params {
    (
        $(#[$m:meta])* $vis:vis mod $modname:ident;
        $($body:tt)*
    ) => {
        /// The module's parameters, declared with `module_params!`.
        $(#[$m])*
        $vis mod $modname {
            #[allow(unused_imports)]
            use super::*;
            $crate::module_params!(@params $($body)*);
        }
    };
    (@params) => {};
    // Alias: another parameter name for an existing storage.
    (
        @params
        $(#[$attr:meta])* $name:ident : $kind:ident = alias $storage:ident,
        perm = $perm:expr, desc = $desc:expr;
        $($rest:tt)*
    ) => {
        $crate::module_params!(@entry $name, $kind, $perm, $desc,
            $crate::net::module_param::KernelParam::new::<$crate::module_params!(@kind $kind)>(
                &NAME, &$storage, $perm));
        $crate::module_params!(@params $($rest)*);
    };
    // Array of charp, `num == NULL`.
    (
        @params
        $(#[$attr:meta])* $name:ident : [$kind:ident; $n:expr],
        perm = $perm:expr, desc = $desc:expr;
        $($rest:tt)*
    ) => {
        #[doc = $desc]
        $(#[$attr])*
        #[allow(non_upper_case_globals)]
        pub(crate) static $name: $crate::net::module_param::ParamArray<
            $crate::module_params!(@kind $kind), { $n }> =
            $crate::net::module_param::ParamArray::null();
        const _: () = {
            static ARRAY: $crate::net::module_param::KParamArray<
                $crate::module_params!(@kind $kind), { $n }> =
                $crate::net::module_param::KParamArray::new(&$name);
            $crate::module_params!(@entry $name, "array of " $kind, $perm, $desc,
                $crate::net::module_param::KernelParam::new_array(&NAME, &ARRAY, $perm));
        };
        $crate::module_params!(@params $($rest)*);
    };
    // charp, defaults to NULL.
    (
        @params
        $(#[$attr:meta])* $name:ident : charp,
        perm = $perm:expr, desc = $desc:expr;
        $($rest:tt)*
    ) => {
        #[doc = $desc]
        $(#[$attr])*
        #[allow(non_upper_case_globals)]
        pub(crate) static $name: $crate::net::module_param::Param<$crate::net::module_param::CharP> =
            $crate::net::module_param::Param::null();
        $crate::module_params!(@entry $name, charp, $perm, $desc,
            $crate::net::module_param::KernelParam::new(&NAME, &$name, $perm));
        $crate::module_params!(@params $($rest)*);
    };
    // int, uint, bool with a default.
    (
        @params
        $(#[$attr:meta])* $name:ident : $kind:ident = $default:expr,
        perm = $perm:expr, desc = $desc:expr;
        $($rest:tt)*
    ) => {
        #[doc = $desc]
        $(#[$attr])*
        #[allow(non_upper_case_globals)]
        pub(crate) static $name: $crate::net::module_param::Param<$crate::module_params!(@kind $kind)> =
            $crate::net::module_param::Param::new($default);
        $crate::module_params!(@entry $name, $kind, $perm, $desc,
            $crate::net::module_param::KernelParam::new(&NAME, &$name, $perm));
        $crate::module_params!(@params $($rest)*);
    };

    (@kind int) => { $crate::net::module_param::Int };
    (@kind uint) => { $crate::net::module_param::UInt };
    (@kind bool) => { $crate::net::module_param::Bool };
    (@kind charp) => { $crate::net::module_param::CharP };

    // The `__param` entry and the two `.modinfo` strings of one parameter.
    (@entry $name:ident, $($type:tt)+) => {
        $crate::module_params!(@entry2 $name, [$($type)+]);
    };
    (@entry2 $name:ident, [$($type:literal)? $kind:ident, $perm:expr, $desc:expr, $kp:expr]) => {
        const _: () = {
            use $crate::net::module_param::{concat, concat_len, PREFIX};
            const NAME_PARTS: &[&str] = &[::core::stringify!($name), "\0"];
            static NAME: [u8; concat_len(PREFIX, NAME_PARTS)] = concat(PREFIX, NAME_PARTS);

            #[link_section = "__param"]
            #[used(compiler)]
            static PARAM: $crate::net::module_param::KernelParam = $kp;

            const TYPE_PARTS: &[&str] = &[
                "parmtype=",
                ::core::stringify!($name),
                ":",
                $($type,)?
                ::core::stringify!($kind),
                "\0",
            ];
            #[link_section = ".modinfo"]
            #[used(compiler)]
            static PARMTYPE: [u8; concat_len(PREFIX, TYPE_PARTS)] = concat(PREFIX, TYPE_PARTS);

            const DESC_PARTS: &[&str] = &["parm=", ::core::stringify!($name), ":", $desc, "\0"];
            #[link_section = ".modinfo"]
            #[used(compiler)]
            static PARM: [u8; concat_len(PREFIX, DESC_PARTS)] = concat(PREFIX, DESC_PARTS);
        };
    };
}
