// SPDX-License-Identifier: GPL-2.0

//! seq_file output and per-namespace procfs files.
//!
//! C headers: [`include/linux/seq_file.h`](srctree/include/linux/seq_file.h)
//! and [`include/linux/proc_fs.h`](srctree/include/linux/proc_fs.h).
//!
//! A [`ProcDir<T>`] is a directory in a namespace's `/proc/net` (bonding:
//! `/proc/net/bonding`), kept in the namespace's
//! [`PernetData`](super::pernet::PernetData). Its files each show one item
//! of type `T` (bonding: one bond) through [`SeqShow::show`], which writes
//! to a [`SeqFile`] with `write!`.
//!
//! Lifetimes: the directory owns the files and an `Arc<T>` for each. A file
//! is removed with [`ProcDir::remove`] or when the directory is dropped;
//! removal (`proc_remove`) waits for running `show` calls and makes later
//! reads of still-open files fail with `EIO`, and only then is the
//! directory's reference to the item dropped. So `show` never sees a freed
//! item, and the files never outlive the directory.

use super::{bindings, Namespace};
use core::fmt;
use kernel::{
    alloc::{flags::GFP_KERNEL, KVec},
    error::code::{EEXIST, ENOMEM},
    init::PinInit,
    new_mutex,
    prelude::*,
    str::{CStr, CString},
    sync::{Arc, ArcBorrow, Mutex},
    types::{ForeignOwnable, Opaque},
};

/// A `struct seq_file` being filled by a show callback.
///
/// Write to it with `write!`/`writeln!` ([`fmt::Write`]) or
/// [`SeqFile::write_bytes`]. Output longer than the seq_file's buffer is
/// not lost: the core notices the overflow and calls `show` again with a
/// bigger buffer, so `show` must print the same text again (it must not
/// have side effects).
///
/// # Invariants
///
/// The wrapped `seq_file` is in a show callback of this thread, which has
/// exclusive use of it (the core holds `m->lock`).
#[repr(transparent)]
pub struct SeqFile(Opaque<bindings::seq_file>);

impl SeqFile {
    /// Creates a reference from the pointer a show callback got.
    ///
    /// # Safety
    ///
    /// `ptr` must be the seq_file of a running show callback, used by
    /// nothing else for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::seq_file) -> &'a mut SeqFile {
        // SAFETY: `SeqFile` is `repr(transparent)` over the C struct, and
        // the caller guarantees exclusive use for `'a`.
        unsafe { &mut *ptr.cast() }
    }

    /// Appends bytes (`seq_write`).
    pub fn write_bytes(&mut self, data: &[u8]) {
        // SAFETY: the seq_file is in a show callback of this thread (type
        // invariant); `data` is valid for its length. An overflow is
        // recorded in the seq_file and handled by the core (see the type's
        // docs), so the result is not needed.
        unsafe { bindings::seq_write(self.0.get(), data.as_ptr().cast(), data.len()) };
    }
}

impl fmt::Write for SeqFile {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.write_bytes(s.as_bytes());
        Ok(())
    }
}

/// An item that a file of a [`ProcDir`] shows.
pub trait SeqShow: Send + Sync + 'static {
    /// Writes the file's whole text. An error is what `read(2)` returns.
    fn show(&self, m: &mut SeqFile) -> Result;
}

/// One file of a [`ProcDir`].
///
/// # Invariants
///
/// `pde` is a live proc entry created by [`ProcDir::create`], whose `data`
/// is `item` as turned into a foreign pointer by `Arc::into_foreign`
/// (owned by this struct).
struct Entry<T: SeqShow> {
    pde: *mut bindings::proc_dir_entry,
    name: CString,
    item: *const kernel::ffi::c_void,
    _p: core::marker::PhantomData<Arc<T>>,
}

impl<T: SeqShow> Drop for Entry<T> {
    fn drop(&mut self) {
        // SAFETY: `pde` is live (type invariant); `proc_remove` waits for
        // running callbacks and keeps new ones from starting.
        unsafe { bindings::proc_remove(self.pde) };
        // SAFETY: `item` came from `Arc::into_foreign` and, with the entry
        // gone, nothing else uses it: we take the reference back.
        drop(unsafe { Arc::<T>::from_foreign(self.item) });
    }
}

/// A directory in a namespace's `/proc/net`, holding files that each show
/// an `Arc<T>`.
///
/// # Invariants
///
/// `pde` is a live directory entry under `ns->proc_net`, created by
/// [`ProcDir::new`]; the entries in `entries` are its files (`None` is a
/// free slot). The namespace
/// outlives `self` (it lives in the namespace's pernet data).
#[pin_data(PinnedDrop)]
pub struct ProcDir<T: SeqShow> {
    pde: *mut bindings::proc_dir_entry,
    #[pin]
    entries: Mutex<KVec<Option<Entry<T>>>>,
}

// SAFETY: the directory is used from any thread; its entries hold `Arc<T>`
// (`T: Send + Sync`), and its mutable state is behind a mutex.
unsafe impl<T: SeqShow> Send for ProcDir<T> {}
// SAFETY: see `Send`.
unsafe impl<T: SeqShow> Sync for ProcDir<T> {}

impl<T: SeqShow> ProcDir<T> {
    /// Creates `/proc/net/<name>` in the namespace `ns`.
    ///
    /// Call it from [`PernetData::init`](super::pernet::PernetData::init)
    /// of `ns` and keep it in that data: it must go before the namespace's
    /// `/proc/net` does, which happens after the pernet data is dropped.
    pub fn new(ns: &Namespace, name: &'static CStr) -> impl PinInit<Self, Error> {
        // SAFETY: `ns` is live; `proc_net` is set while it is.
        let parent = unsafe { (*ns.as_raw()).proc_net };
        try_pin_init!(Self {
            entries <- new_mutex!(KVec::new(), "ProcDir::entries"),
            // Last, so that nothing can fail after the directory is made.
            // INVARIANT: a new directory under `ns->proc_net`, no files yet.
            pde: {
                // SAFETY: `name` is NUL-terminated and static; `parent` is
                // the namespace's `/proc/net`.
                let pde = unsafe { bindings::proc_mkdir(name.as_char_ptr(), parent) };
                if pde.is_null() {
                    return Err(ENOMEM);
                }
                pde
            },
        })
    }

    /// Creates the file `name` in the directory, showing `item`.
    ///
    /// Fails with `EEXIST` if the directory already has a file `name`.
    pub fn create(&self, name: &CStr, item: Arc<T>) -> Result {
        let mut entries = self.entries.lock();
        let mut free = None;
        for (i, slot) in entries.iter().enumerate() {
            match slot {
                Some(e) if e.name.as_bytes() == name.as_bytes() => return Err(EEXIST),
                Some(_) => {}
                None => free = Some(i),
            }
        }
        // A copy of the bytes: `CStr`'s `Display` escapes the bytes that are
        // not printable ASCII, so a formatted copy names another file.
        let name = name.to_cstring()?;
        if free.is_none() {
            entries.push(None, GFP_KERNEL)?;
            free = Some(entries.len() - 1);
        }
        let foreign = item.into_foreign();
        // SAFETY: `self.pde` is a live directory (type invariant); `name` is
        // NUL-terminated; the data pointer stays valid until the entry is
        // removed (the `Entry` owns it).
        let pde = unsafe {
            bindings::proc_create_single_data(
                name.as_char_ptr(),
                0o444,
                self.pde,
                Some(show_callback::<T>),
                foreign as *mut _,
            )
        };
        if pde.is_null() {
            // SAFETY: `foreign` came from `into_foreign` above and nothing
            // else saw it.
            drop(unsafe { Arc::<T>::from_foreign(foreign) });
            return Err(ENOMEM);
        }
        // INVARIANT: a live entry whose data is `foreign`, owned here.
        let entry = Entry {
            pde,
            name,
            item: foreign,
            _p: core::marker::PhantomData,
        };
        if let Some(i) = free {
            entries[i] = Some(entry);
        }
        Ok(())
    }

    /// Removes the file `name`, waiting for readers inside `show`, and
    /// returns whether it existed.
    pub fn remove(&self, name: &CStr) -> bool {
        let mut entries = self.entries.lock();
        for slot in entries.iter_mut() {
            if matches!(slot, Some(e) if e.name.as_bytes() == name.as_bytes()) {
                // Dropping the entry removes the file.
                drop(slot.take());
                return true;
            }
        }
        false
    }
}

#[pinned_drop]
impl<T: SeqShow> PinnedDrop for ProcDir<T> {
    fn drop(self: Pin<&mut Self>) {
        // Remove the files first: `Entry`'s drop waits for their readers.
        drop(core::mem::take(&mut *self.entries.lock()));
        // SAFETY: the directory is live and now empty (type invariant).
        unsafe { bindings::proc_remove(self.pde) };
    }
}

/// The show callback of the files of a `ProcDir<T>`.
///
/// # Safety
///
/// Called by `single_open`'s seq_file only, for an entry created by
/// [`ProcDir::create`]: `m->private` is the entry's data.
unsafe extern "C" fn show_callback<T: SeqShow>(
    m: *mut bindings::seq_file,
    _v: *mut kernel::ffi::c_void,
) -> kernel::ffi::c_int {
    // SAFETY: `single_open` stored the entry's data in `private`; it is an
    // `Arc<T>` from `into_foreign`, which the entry keeps until
    // `proc_remove` has waited for this call.
    let item: ArcBorrow<'_, T> = unsafe { Arc::<T>::borrow((*m).private) };
    // SAFETY: we are the show callback of `m`.
    let seq = unsafe { SeqFile::from_raw(m) };
    match item.show(seq) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}
