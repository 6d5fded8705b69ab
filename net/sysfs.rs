// SPDX-License-Identifier: GPL-2.0

//! sysfs attribute files for network drivers.
//!
//! C headers: [`include/linux/sysfs.h`](srctree/include/linux/sysfs.h),
//! [`include/linux/kobject.h`](srctree/include/linux/kobject.h) and
//! [`include/linux/device/class.h`](srctree/include/linux/device/class.h).
//!
//! Three places where a network driver puts files, as bonding does:
//!
//! - [`AttributeGroup`]: a named directory of files in every device that
//!   carries it (`/sys/class/net/<bond>/bonding/*`). The group and its
//!   [`DeviceAttribute`]s are `static`s; a driver names the group in
//!   [`Operations::SYSFS_GROUP`], the layer puts it in
//!   `dev->sysfs_groups[0]` when it sets a device up, and the core creates
//!   and removes the files with the device's own.
//! - [`DeviceDir`]: a directory (a kobject) under another, registered
//!   device, with files of [`Attribute`]s
//!   (`/sys/class/net/<slave>/bonding_slave/*`); dropping it removes it.
//! - [`ClassFile`]: a file in `/sys/class/net/` of one network namespace
//!   (`/sys/class/net/bonding_masters`), kept in the namespace's
//!   [`PernetData`](super::pernet::PernetData).
//!
//! Reading a file calls a `show` method that writes into a [`ShowBuffer`]
//! (one page, like `sysfs_emit`); writing calls `store` with the bytes
//! written. `store` returns `Ok(())` to accept the whole write (the writer's
//! `write(2)` returns the length), or the error the writer gets (`EINVAL`,
//! `EPERM`, `ENODEV`...). Callbacks that need RTNL must take it with
//! [`Rtnl::try_lock_or_restart`](super::Rtnl::try_lock_or_restart), never
//! [`Rtnl::lock`](super::Rtnl::lock): see there why.
//!
//! The layer guarantees that no callback runs once a file is removed: sysfs
//! (kernfs) waits for running `show`/`store` calls when it removes a file,
//! and fails later reads and writes of open files with `ENODEV`.

use super::{bindings, Device, DriverDevice, Namespace, Operations, Rtnl};
use core::{
    fmt,
    marker::PhantomData,
    ptr::NonNull,
    sync::atomic::{AtomicBool, Ordering},
};
use kernel::{
    alloc::{flags::GFP_KERNEL, KBox},
    error::{
        code::{ENODEV, EPERM},
        to_result,
    },
    init::PinInit,
    prelude::*,
    str::CStr,
    types::Opaque,
};

/// The permission bits of an attribute file.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Mode(u16);

impl Mode {
    /// Readable by everyone (`0444`).
    pub const RO: Mode = Mode(0o444);
    /// Readable by everyone, writable by root (`0644`).
    pub const RW: Mode = Mode(0o644);
    /// Readable and writable by root only (`0600`).
    pub const ROOT_RW: Mode = Mode(0o600);

    /// Creates a mode from permission bits (only `0o777` are kept).
    pub const fn from_bits(bits: u16) -> Mode {
        Mode(bits & 0o777)
    }
}

/// The page a `show` callback writes into, like `sysfs_emit`.
///
/// Output beyond `PAGE_SIZE - 1` bytes is silently cut, as `sysfs_emit`
/// does; [`ShowBuffer::remaining`] tells how much room is left, for callers
/// that want to end a long list cleanly (bonding's `++more++`).
pub struct ShowBuffer<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> ShowBuffer<'a> {
    /// The most a show callback may return: sysfs warns at `PAGE_SIZE`.
    const CAPACITY: usize = kernel::page::PAGE_SIZE - 1;

    /// Wraps the page sysfs passes to `show`.
    ///
    /// # Safety
    ///
    /// `buf` must be valid for reads and writes of `PAGE_SIZE` bytes, and
    /// unused by anything else, for `'a`.
    unsafe fn from_raw(buf: *mut kernel::ffi::c_char) -> Self {
        // SAFETY: the caller guarantees a page that only we use for `'a`;
        // sysfs zeroes it before calling `show`, so it is initialised.
        let buf = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), Self::CAPACITY) };
        Self { buf, len: 0 }
    }

    /// Appends bytes, cutting what does not fit.
    pub fn write_bytes(&mut self, data: &[u8]) {
        let n = data.len().min(self.remaining());
        self.buf[self.len..self.len + n].copy_from_slice(&data[..n]);
        self.len += n;
    }

    /// Returns how many more bytes fit.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.len
    }

    /// Returns what was written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Replaces the last byte written (if any) by `byte`, e.g. a trailing
    /// space by a newline, as bonding's `bonding_masters` does.
    pub fn replace_last(&mut self, byte: u8) {
        if self.len > 0 {
            self.buf[self.len - 1] = byte;
        }
    }
}

impl fmt::Write for ShowBuffer<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // Cutting is not an error, as with `sysfs_emit`.
        self.write_bytes(s.as_bytes());
        Ok(())
    }
}

/// Runs a show callback and turns its outcome into the `ssize_t` sysfs
/// wants.
///
/// # Safety
///
/// As for [`ShowBuffer::from_raw`].
unsafe fn do_show(
    buf: *mut kernel::ffi::c_char,
    f: impl FnOnce(&mut ShowBuffer<'_>) -> Result,
) -> isize {
    // SAFETY: the caller passes sysfs's page.
    let mut out = unsafe { ShowBuffer::from_raw(buf) };
    match f(&mut out) {
        Ok(()) => out.len as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// Runs a store callback and turns its outcome into the `ssize_t` sysfs
/// wants: the whole length on success.
///
/// # Safety
///
/// `buf` must be valid for reads of `count` bytes for the call.
unsafe fn do_store(
    buf: *const kernel::ffi::c_char,
    count: usize,
    f: impl FnOnce(&[u8]) -> Result,
) -> isize {
    // SAFETY: the caller guarantees `count` readable bytes.
    let input = unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), count) };
    match f(input) {
        // Never return 0: the writer would retry forever.
        Ok(()) => count as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// Returns an `attribute` with a name and mode, for `const` tables.
const fn raw_attribute(name: &'static CStr, mode: Mode) -> bindings::attribute {
    // SAFETY: `struct attribute` is plain C data for which all zeroes is a
    // valid value (NULL name, mode 0, and with lockdep, no key: sysfs then
    // uses the static `skey` inside the attribute, which is fine for
    // attributes in static or constant memory).
    let mut attr: bindings::attribute = unsafe { core::mem::zeroed() };
    attr.name = name.as_char_ptr();
    attr.mode = mode.0;
    attr
}

// ---------------------------------------------------------------------------
// Attribute groups of network devices.

/// What reading and writing the files of an [`AttributeGroup`] does.
///
/// One type serves all the files of a group; each [`DeviceAttribute`]
/// carries an `id` that tells the file apart (bonding: the option number).
pub trait DeviceAttributeOps: 'static {
    /// The driver whose devices carry the files.
    type Driver: Operations;

    /// Writes the content of file `id` of `dev` into `out`.
    fn show(dev: &DriverDevice<Self::Driver>, id: usize, out: &mut ShowBuffer<'_>) -> Result;

    /// Handles a write of `input` to file `id` of `dev`.
    ///
    /// Returning `Ok(())` accepts the whole write. The default refuses it
    /// with `EPERM`; read-only files never get here.
    fn store(dev: &DriverDevice<Self::Driver>, id: usize, input: &[u8]) -> Result {
        let _ = (dev, id, input);
        Err(EPERM)
    }
}

/// A file of an [`AttributeGroup`] (`struct device_attribute`).
///
/// # Invariants
///
/// `raw.show` and `raw.store` are this type's callbacks for `H`, and `raw`
/// is the first field (so a `struct attribute *` of it points to `Self`).
#[repr(C)]
pub struct DeviceAttribute<H: DeviceAttributeOps> {
    raw: bindings::device_attribute,
    id: usize,
    _p: PhantomData<fn() -> H>,
}

// SAFETY: the attribute is immutable C data (a name, a mode and function
// pointers); the kernel only reads it.
unsafe impl<H: DeviceAttributeOps> Sync for DeviceAttribute<H> {}

impl<H: DeviceAttributeOps> DeviceAttribute<H> {
    /// Creates a file description; use it in a `static`.
    pub const fn new(name: &'static CStr, mode: Mode, id: usize) -> Self {
        // SAFETY: all zeroes is a valid `device_attribute` (no callbacks).
        let mut raw: bindings::device_attribute = unsafe { core::mem::zeroed() };
        raw.attr = raw_attribute(name, mode);
        raw.show = Some(Self::show_callback);
        raw.store = Some(Self::store_callback);
        // INVARIANT: the callbacks are ours; `raw` is the first field of a
        // `repr(C)` struct.
        Self {
            raw,
            id,
            _p: PhantomData,
        }
    }

    /// # Safety
    ///
    /// Called by sysfs only, for a file of a group that the setup of driver
    /// `H::Driver` put on the net device `dev` belongs to.
    unsafe extern "C" fn show_callback(
        dev: *mut bindings::device,
        attr: *mut bindings::device_attribute,
        buf: *mut kernel::ffi::c_char,
    ) -> isize {
        // SAFETY: `dev` is the `struct device` of a net device of driver
        // `H::Driver` (only that driver's setup installs an
        // `AttributeGroup<H::Driver>`). Its files exist only while it is
        // registered, so during this call the device is allocated and its
        // private data exists.
        let dev =
            unsafe { DriverDevice::<H::Driver>::from_raw(bindings::rust_net_to_net_dev(dev)) };
        // SAFETY: `attr` is the `raw` field at the start of a `Self`
        // (type invariant), and the attribute is static.
        let this = unsafe { &*attr.cast::<Self>() };
        // SAFETY: sysfs passes its page.
        unsafe { do_show(buf, |out| H::show(dev, this.id, out)) }
    }

    /// # Safety
    ///
    /// As for `show_callback`; `buf` holds `count` bytes.
    unsafe extern "C" fn store_callback(
        dev: *mut bindings::device,
        attr: *mut bindings::device_attribute,
        buf: *const kernel::ffi::c_char,
        count: usize,
    ) -> isize {
        // SAFETY: as in `show_callback`.
        let dev =
            unsafe { DriverDevice::<H::Driver>::from_raw(bindings::rust_net_to_net_dev(dev)) };
        // SAFETY: as in `show_callback`.
        let this = unsafe { &*attr.cast::<Self>() };
        // SAFETY: sysfs passes `count` bytes.
        unsafe { do_store(buf, count, |input| H::store(dev, this.id, input)) }
    }
}

/// A named directory of files in each network device of driver `T`
/// (`struct attribute_group`), such as `/sys/class/net/<bond>/bonding/`.
///
/// Declare the files and the group as `static`s; the list of files ends
/// with `None` (it becomes C's NULL-terminated array). The driver names the
/// group in [`Operations::SYSFS_GROUP`], and the layer installs it on every
/// device it sets up, so the files appear at registration and go at
/// unregistration:
///
/// ```ignore
/// static MODE: DeviceAttribute<BondFiles> = DeviceAttribute::new(c_str!("mode"), Mode::RW, 0);
/// static MIIMON: DeviceAttribute<BondFiles> = DeviceAttribute::new(c_str!("miimon"), Mode::RW, 1);
/// static FILES: [Option<&DeviceAttribute<BondFiles>>; 3] = [Some(&MODE), Some(&MIIMON), None];
/// static GROUP: AttributeGroup<Bond> = AttributeGroup::new(Some(c_str!("bonding")), &FILES);
/// ```
///
/// # Invariants
///
/// `raw.attrs` points to a static, NULL-terminated array of attributes that
/// all start a [`DeviceAttribute`] of one [`DeviceAttributeOps`] type whose
/// `Driver` is `T`.
#[repr(transparent)]
pub struct AttributeGroup<T: Operations>(bindings::attribute_group, PhantomData<fn() -> T>);

// SAFETY: immutable C data the kernel only reads.
unsafe impl<T: Operations> Sync for AttributeGroup<T> {}

impl<T: Operations> AttributeGroup<T> {
    /// Creates a group named `name` (`None` puts the files in the device's
    /// own directory) of the files in `attrs`, whose last entry must be
    /// `None` and only that one (checked at compile time in a `static`).
    pub const fn new<H: DeviceAttributeOps<Driver = T>>(
        name: Option<&'static CStr>,
        attrs: &'static [Option<&'static DeviceAttribute<H>>],
    ) -> Self {
        let n = attrs.len();
        assert!(
            n > 0 && attrs[n - 1].is_none(),
            "the list must end with None"
        );
        let mut i = 0;
        while i + 1 < n {
            assert!(attrs[i].is_some(), "only the last entry may be None");
            i += 1;
        }
        // SAFETY: all zeroes is a valid `attribute_group`.
        let mut raw: bindings::attribute_group = unsafe { core::mem::zeroed() };
        raw.name = match name {
            Some(name) => name.as_char_ptr(),
            None => core::ptr::null(),
        };
        // `Option<&T>` is a nullable pointer, and a `&DeviceAttribute`
        // points to its `struct attribute`: the slice is C's array.
        // INVARIANT: checked above; `attrs` is static and `H::Driver` is `T`.
        raw.attrs = attrs.as_ptr() as *mut *mut bindings::attribute;
        Self(raw, PhantomData)
    }

    /// Returns the raw group for `dev->sysfs_groups`.
    pub(crate) fn as_raw(&'static self) -> *const bindings::attribute_group {
        &self.0
    }
}

// ---------------------------------------------------------------------------
// Directories under a device.

/// A file of a [`DeviceDir`] (`struct attribute`) with an `id`.
///
/// # Invariants
///
/// `raw` is the first field, so an `attribute *` of it points to `Self`.
#[repr(C)]
pub struct Attribute {
    raw: bindings::attribute,
    id: usize,
}

// SAFETY: immutable C data the kernel only reads.
unsafe impl Sync for Attribute {}

impl Attribute {
    /// Creates a file description, for a `const` table.
    pub const fn new(name: &'static CStr, mode: Mode, id: usize) -> Self {
        // INVARIANT: `repr(C)`, `raw` first.
        Self {
            raw: raw_attribute(name, mode),
            id,
        }
    }
}

/// What a [`DeviceDir`] holds and what its files do.
pub trait DeviceDirOps: Send + Sync + Sized + 'static {
    /// The files of the directory; `id` tells them apart in the callbacks.
    const ATTRIBUTES: &'static [Attribute];

    /// Writes the content of file `id` into `out`. `dev` is the device the
    /// directory is in.
    fn show(&self, dev: &Device, id: usize, out: &mut ShowBuffer<'_>) -> Result;

    /// Handles a write of `input` to file `id`. The default refuses it with
    /// `EPERM`; read-only files never get here.
    fn store(&self, dev: &Device, id: usize, input: &[u8]) -> Result {
        let _ = (dev, id, input);
        Err(EPERM)
    }
}

/// The allocation behind a [`DeviceDir`], owned by its kobject.
#[repr(C)]
struct DirInner<T: DeviceDirOps> {
    kobj: Opaque<bindings::kobject>,
    dev: *mut bindings::net_device,
    data: T,
}

/// A directory of files under a registered network device, such as
/// `/sys/class/net/<slave>/bonding_slave/`, holding data of type `T`.
///
/// Dropping it removes the directory (waiting for running callbacks); the
/// data is dropped when the kobject's last reference goes, normally at once.
///
/// # Invariants
///
/// `inner` points to a `DirInner<T>` allocated with `KBox`, whose `kobj` was
/// added with a kobj_type of `DeviceDir<T>` under `(*dev).dev.kobj`; this
/// handle owns one reference to the kobject. The kobject's release frees the
/// allocation. The kobject's reference to its parent keeps the device
/// allocated.
pub struct DeviceDir<T: DeviceDirOps> {
    inner: NonNull<DirInner<T>>,
}

// SAFETY: the handle gives `&T` (needs `T: Sync`) and may drop the data from
// any thread (needs `T: Send`); both are bounds of `DeviceDirOps`.
unsafe impl<T: DeviceDirOps> Send for DeviceDir<T> {}
// SAFETY: see `Send`.
unsafe impl<T: DeviceDirOps> Sync for DeviceDir<T> {}

impl<T: DeviceDirOps> DeviceDir<T> {
    const SYSFS_OPS: bindings::sysfs_ops = bindings::sysfs_ops {
        show: Some(Self::show_callback),
        store: Some(Self::store_callback),
    };

    const KTYPE: bindings::kobj_type = bindings::kobj_type {
        release: Some(Self::release_callback),
        sysfs_ops: &Self::SYSFS_OPS,
        default_groups: core::ptr::null_mut(),
        child_ns_type: None,
        namespace: None,
        get_ownership: None,
    };

    /// Creates the directory `name` under `dev` with the files
    /// `T::ATTRIBUTES`, holding `data`.
    ///
    /// `dev` must be registered (else `ENODEV`); RTNL keeps it so during
    /// the call. Like bonding's per-slave directory, no uevent is sent.
    pub fn new(_rtnl: &Rtnl, dev: &Device, name: &CStr, data: T) -> Result<Self> {
        let raw_dev = dev.as_raw();
        // SAFETY: the device is allocated; `sd` is set by `device_add` and
        // cleared by `device_del`, which run under RTNL for net devices
        // (`register_netdevice`/`unregister_netdevice_many`), and we hold
        // RTNL: no concurrent write.
        if unsafe { (*raw_dev).dev.kobj.sd.is_null() } {
            return Err(ENODEV);
        }
        let inner = KBox::new(
            DirInner {
                kobj: Opaque::new(bindings::kobject::default()),
                dev: raw_dev,
                data,
            },
            GFP_KERNEL,
        )?;
        let inner = NonNull::new(KBox::into_raw(inner)).ok_or(ENOMEM)?;
        // SAFETY: `inner` points to a live, zeroed kobject.
        let kobj = unsafe { (*inner.as_ptr()).kobj.get() };
        // SAFETY: `kobj` is zeroed; `KTYPE` is a promoted constant
        // (`'static`); the parent is the registered device's kobject; the
        // format is "%s" with a NUL-terminated argument. From here on the
        // kobject owns the allocation (release frees it), even on failure.
        let ret = unsafe {
            bindings::kobject_init_and_add(
                kobj,
                &Self::KTYPE,
                core::ptr::addr_of_mut!((*raw_dev).dev.kobj),
                c"%s".as_ptr().cast(),
                name.as_char_ptr(),
            )
        };
        // INVARIANT: the kobject is initialised (and, on success, added) and
        // we hold its initial reference; on error, dropping `this` puts it.
        let this = Self { inner };
        to_result(ret)?;
        for attr in T::ATTRIBUTES {
            // SAFETY: `kobj` is in sysfs; the attribute is in constant
            // memory, which outlives the directory.
            to_result(unsafe {
                bindings::sysfs_create_file_ns(kobj, &attr.raw, core::ptr::null())
            })?;
        }
        Ok(this)
    }

    /// Returns the device the directory is in.
    pub fn device(&self) -> &Device {
        // SAFETY: the kobject holds a reference to the device's kobject,
        // which keeps the device allocated while `self` lives.
        unsafe { Device::from_raw((*self.inner.as_ptr()).dev) }
    }

    /// Returns the data of the kobject `kobj`.
    ///
    /// # Safety
    ///
    /// `kobj` must be the kobject of a live `DirInner<T>`.
    unsafe fn inner_of<'a>(kobj: *mut bindings::kobject) -> &'a DirInner<T> {
        // SAFETY: `kobj` is the first field of a `repr(C)` `DirInner<T>`
        // (an `Opaque` has the layout of its content), which the caller
        // guarantees is live.
        unsafe { &*kobj.cast::<DirInner<T>>() }
    }

    /// # Safety
    ///
    /// Called by sysfs only, for a file of a `DeviceDir<T>`.
    unsafe extern "C" fn show_callback(
        kobj: *mut bindings::kobject,
        attr: *mut bindings::attribute,
        buf: *mut kernel::ffi::c_char,
    ) -> isize {
        // SAFETY: sysfs calls us for a file of our kobject, which stays
        // alive while the call runs (the handle's drop waits for it).
        let inner = unsafe { Self::inner_of(kobj) };
        // SAFETY: the files we create are `Attribute`s (type invariant).
        let attr = unsafe { &*attr.cast::<Attribute>() };
        // SAFETY: the parent reference keeps the device allocated.
        let dev = unsafe { Device::from_raw(inner.dev) };
        // SAFETY: sysfs passes its page.
        unsafe { do_show(buf, |out| inner.data.show(dev, attr.id, out)) }
    }

    /// # Safety
    ///
    /// As for `show_callback`; `buf` holds `count` bytes.
    unsafe extern "C" fn store_callback(
        kobj: *mut bindings::kobject,
        attr: *mut bindings::attribute,
        buf: *const kernel::ffi::c_char,
        count: usize,
    ) -> isize {
        // SAFETY: as in `show_callback`.
        let inner = unsafe { Self::inner_of(kobj) };
        // SAFETY: as in `show_callback`.
        let attr = unsafe { &*attr.cast::<Attribute>() };
        // SAFETY: as in `show_callback`.
        let dev = unsafe { Device::from_raw(inner.dev) };
        // SAFETY: sysfs passes `count` bytes.
        unsafe { do_store(buf, count, |input| inner.data.store(dev, attr.id, input)) }
    }

    /// # Safety
    ///
    /// Called by the kobject core only, when the last reference to the
    /// kobject of a `DeviceDir<T>` goes.
    unsafe extern "C" fn release_callback(kobj: *mut bindings::kobject) {
        // SAFETY: the allocation came from `KBox::into_raw` in `new`, and
        // nothing uses it after the last reference (the core does not touch
        // the kobject after `release`).
        drop(unsafe { KBox::from_raw(kobj.cast::<DirInner<T>>()) });
    }
}

impl<T: DeviceDirOps> core::ops::Deref for DeviceDir<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the handle's reference keeps the allocation alive.
        unsafe { &(*self.inner.as_ptr()).data }
    }
}

impl<T: DeviceDirOps> Drop for DeviceDir<T> {
    fn drop(&mut self) {
        // SAFETY: we own a reference to the kobject (type invariant).
        let kobj = unsafe { (*self.inner.as_ptr()).kobj.get() };
        // SAFETY: `kobject_del` removes the directory and its files and
        // waits for running callbacks (it is a no-op if the add failed);
        // then we give up our reference, which normally frees the data.
        unsafe {
            bindings::kobject_del(kobj);
            bindings::kobject_put(kobj);
        }
    }
}

// ---------------------------------------------------------------------------
// Files of the `net` class, per namespace.

/// What a [`ClassFile`] holds and what reading and writing it does.
pub trait ClassFileOps: Send + Sync {
    /// Writes the content of the file of namespace `ns` into `out`.
    fn show(&self, ns: &Namespace, out: &mut ShowBuffer<'_>) -> Result;

    /// Handles a write of `input`. The default refuses it with `EPERM`.
    fn store(&self, ns: &Namespace, input: &[u8]) -> Result {
        let _ = (ns, input);
        Err(EPERM)
    }
}

/// A file in `/sys/class/net/` of one network namespace, such as
/// `bonding_masters` (`netdev_class_create_file_ns`), holding data `T`.
///
/// Keep it in the namespace's [`PernetData`](super::pernet::PernetData):
/// created in its init, removed when it is dropped at the namespace's exit.
/// The file stands for its namespace only: `/sys/class/net` shows each
/// process the files of its own namespace.
///
/// # Invariants
///
/// While `registered` is set, `attr` is a class attribute in sysfs for the
/// namespace `ns`, created by [`ClassFile::new`]; `ns` stays live while
/// `self` does (it lives in the namespace's pernet data).
#[pin_data(PinnedDrop)]
pub struct ClassFile<T: ClassFileOps> {
    #[pin]
    attr: Opaque<bindings::class_attribute>,
    ns: *mut bindings::net,
    registered: AtomicBool,
    data: T,
}

// SAFETY: the file is used from any thread through `&self` (needs
// `T: Sync`) and dropped in the namespace's cleanup thread (needs `T: Send`).
unsafe impl<T: ClassFileOps> Send for ClassFile<T> {}
// SAFETY: see `Send`.
unsafe impl<T: ClassFileOps> Sync for ClassFile<T> {}

impl<T: ClassFileOps> ClassFile<T> {
    /// Creates the file `name` in the `/sys/class/net` of `ns`.
    ///
    /// Call it from [`PernetData::init`](super::pernet::PernetData::init)
    /// of `ns`, so that the file goes away with the namespace's data. If
    /// `allow_exists`, a name already in use is not an error: the data is
    /// kept and no file is made (as bonding does for `bonding_masters`,
    /// see [`ClassFile::is_registered`]).
    pub fn new(
        ns: &Namespace,
        name: &'static CStr,
        mode: Mode,
        allow_exists: bool,
        data: T,
    ) -> impl PinInit<Self, Error> {
        let net = ns.as_raw();
        // SAFETY: on success every field is written and, if registered, the
        // attribute is in sysfs at its pinned address; on failure nothing
        // was registered and `data` (the only field needing drop) was
        // dropped again before returning.
        unsafe {
            kernel::init::pin_init_from_closure(move |slot: *mut Self| {
                let mut raw = bindings::class_attribute::default();
                raw.attr.name = name.as_char_ptr();
                raw.attr.mode = mode.0;
                raw.show = Some(Self::show_callback);
                raw.store = Some(Self::store_callback);
                let attr = Opaque::raw_get(core::ptr::addr_of!((*slot).attr));
                attr.write(raw);
                // The attribute is in the heap: give lockdep a static key.
                bindings::rust_net_sysfs_attr_init(core::ptr::addr_of_mut!((*attr).attr));
                core::ptr::addr_of_mut!((*slot).ns).write(net);
                core::ptr::addr_of_mut!((*slot).data).write(data);
                // Before the file exists: `show` may run as soon as it does.
                core::ptr::addr_of_mut!((*slot).registered).write(AtomicBool::new(true));
                let ret = bindings::netdev_class_create_file_ns(attr, net.cast());
                match to_result(ret) {
                    Ok(()) => Ok(()),
                    Err(e) if e == EEXIST && allow_exists => {
                        // INVARIANT: not registered.
                        (*slot).registered.store(false, Ordering::Relaxed);
                        Ok(())
                    }
                    Err(e) => {
                        core::ptr::drop_in_place(core::ptr::addr_of_mut!((*slot).data));
                        Err(e)
                    }
                }
            })
        }
    }

    /// Returns whether the file was made (see `allow_exists` in
    /// [`ClassFile::new`]).
    pub fn is_registered(&self) -> bool {
        self.registered.load(Ordering::Acquire)
    }

    /// Removes the file now rather than when it is dropped, waiting for
    /// its running reads and writes (as a namespace's `pre_exit` must, so
    /// that no write adds a device to a dying namespace). Never call it
    /// from the file's own `show` or `store`: the removal would wait for
    /// itself. Later calls do nothing.
    pub fn remove(&self) {
        if self.registered.swap(false, Ordering::AcqRel) {
            // SAFETY: the attribute is in sysfs for `ns` (type invariant,
            // and the flag says not removed yet); removing it waits for
            // running callbacks, after which none can start.
            unsafe { bindings::netdev_class_remove_file_ns(self.attr.get(), self.ns.cast()) };
        }
    }

    /// Returns the data from a sysfs callback's attribute pointer.
    ///
    /// # Safety
    ///
    /// `attr` must be the `attr` field of a live `ClassFile<T>`.
    unsafe fn from_attr<'a>(attr: *const bindings::class_attribute) -> &'a Self {
        let offset = core::mem::offset_of!(Self, attr);
        // SAFETY: `attr` is the `attr` field (an `Opaque` of the same
        // layout) of a live `Self` at `offset`, as the caller guarantees.
        unsafe { &*attr.cast::<u8>().sub(offset).cast::<Self>() }
    }

    /// # Safety
    ///
    /// Called by sysfs only, for the attribute of a `ClassFile<T>`.
    unsafe extern "C" fn show_callback(
        _class: *const bindings::class,
        attr: *const bindings::class_attribute,
        buf: *mut kernel::ffi::c_char,
    ) -> isize {
        // SAFETY: sysfs calls us only for a file in sysfs, which `drop`
        // removes (waiting for us) before the `ClassFile` goes away.
        let this = unsafe { Self::from_attr(attr) };
        // SAFETY: `ns` is live while `self` is (type invariant).
        let ns = unsafe { Namespace::from_raw(this.ns) };
        // SAFETY: sysfs passes its page.
        unsafe { do_show(buf, |out| this.data.show(ns, out)) }
    }

    /// # Safety
    ///
    /// As for `show_callback`; `buf` holds `count` bytes.
    unsafe extern "C" fn store_callback(
        _class: *const bindings::class,
        attr: *const bindings::class_attribute,
        buf: *const kernel::ffi::c_char,
        count: usize,
    ) -> isize {
        // SAFETY: as in `show_callback`.
        let this = unsafe { Self::from_attr(attr) };
        // SAFETY: as in `show_callback`.
        let ns = unsafe { Namespace::from_raw(this.ns) };
        // SAFETY: sysfs passes `count` bytes.
        unsafe { do_store(buf, count, |input| this.data.store(ns, input)) }
    }
}

impl<T: ClassFileOps> core::ops::Deref for ClassFile<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

#[pinned_drop]
impl<T: ClassFileOps> PinnedDrop for ClassFile<T> {
    fn drop(self: Pin<&mut Self>) {
        // Once removed, no callback runs: `data` may then be dropped.
        self.remove();
    }
}
