// SPDX-License-Identifier: GPL-2.0

//! Module parameters declared in Rust. 6.12's `module!` macro has no `params` (upstream
//! added `rust/kernel/module_param.rs` later), so [`module_param!`](crate::module_param)
//! emits what C's `module_param()` and `MODULE_PARM_DESC()` do: a `struct kernel_param` in
//! the `__param` section, with the kernel's own `param_ops_bool`/`param_ops_uint`/`param_ops_int`, and the
//! `parmtype=` and `parm=` strings in `.modinfo` (as `module!` emits its own strings for a
//! loadable module). The kernel writes a value (module load, sysfs) under its parameter
//! lock; the driver reads it with [`BoolParam::get`]/[`UintParam::get`]/[`IntParam::get`], a relaxed atomic
//! load (`READ_ONCE`).

use crate::kernel_api::bindings;
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering};

/// Declares the storage type of one kind of parameter: a `repr(transparent)` atomic laid
/// out as the C type its kernel operations read and write, with `new` and `get`, and its
/// [`ParamKind`] promise (`$safety` says why it holds).
macro_rules! param_storage {
    ($(#[$doc:meta])* $name:ident($atomic:ty, $value:ty), $safety:literal) => {
        $(#[$doc])*
        #[repr(transparent)]
        pub(crate) struct $name($atomic);

        impl $name {
            /// A parameter whose default is `value`.
            pub(crate) const fn new(value: $value) -> Self {
                Self(<$atomic>::new(value))
            }

            /// The current value (`READ_ONCE`).
            pub(crate) fn get(&self) -> $value {
                self.0.load(Ordering::Relaxed)
            }
        }

        #[doc = $safety]
        // SAFETY: As the line above says.
        unsafe impl ParamKind for $name {}
    };
}

param_storage!(
    /// The storage of a `bool` parameter (`param_ops_bool` writes it as a C `bool`).
    BoolParam(AtomicBool, bool),
    "A C `bool`, which `AtomicBool` is laid out as (`repr(transparent)`); the kernel writes only 0 and 1."
);

param_storage!(
    /// The storage of an `unsigned int` parameter (`param_ops_uint` writes it as a C
    /// `unsigned int`).
    UintParam(AtomicU32, u32),
    "A C `unsigned int`, which `AtomicU32` is laid out as (`repr(transparent)`)."
);

param_storage!(
    /// The storage of an `int` parameter (`param_ops_int` writes it as a C `int`).
    IntParam(AtomicI32, i32),
    "A C `int`, which `AtomicI32` is laid out as (`repr(transparent)`)."
);

/// The storage types of parameters: each is laid out as the C type of some kernel
/// parameter operations (`param_ops_bool`, `param_ops_uint`, `param_ops_int`).
///
/// # Safety
///
/// `Self` has the size and layout of that C type, every value those operations write is a
/// valid `Self`, and it may be written by C while shared (interior mutability).
pub(crate) unsafe trait ParamKind: Sync {}

/// A `struct kernel_param` in the `__param` section, which the module loader reads (it is
/// never accessed from Rust).
///
/// # Invariants
///
/// `name` is a NUL-terminated `'static` string, `arg` points to a `'static` storage of the
/// kind `ops` reads and writes ([`ParamKind`]), `mod_` is this module.
#[repr(transparent)]
pub(crate) struct KernelParam(bindings::kernel_param);

// SAFETY: Only the kernel reads the structure (its pointers are to statics that are `Sync`
// themselves); nothing in Rust reads or writes it.
unsafe impl Sync for KernelParam {}

impl KernelParam {
    /// The parameter `name` of this module (`module`), stored in `arg`, with permissions
    /// `perm` (as `module_param`'s: 0 for none in sysfs).
    ///
    /// # Safety
    ///
    /// `module` must be this module's `struct module` (`THIS_MODULE`), `ops` operations that
    /// read and write exactly the C type `P` is laid out as ([`ParamKind`]), and `name` end
    /// with a NUL.
    pub(crate) const unsafe fn new<P: ParamKind>(
        name: &'static [u8],
        module: *mut bindings::module,
        ops: *const bindings::kernel_param_ops,
        arg: &'static P,
        perm: u16,
    ) -> Self {
        // Same checks as `VERIFY_OCTAL_PERMISSIONS`: octal permission bits only, each class
        // reads no more than the one before, no write for "other", and "group" writes only
        // with "user" writes.
        assert!(perm <= 0o777, "module parameter permissions are 9 bits");
        assert!(
            (perm >> 6) & 0o4 >= (perm >> 3) & 0o4 && (perm >> 3) & 0o4 >= perm & 0o4,
            "a module parameter readable by a class must be readable by the classes before it"
        );
        assert!(
            perm & 0o002 == 0,
            "module parameters may not be world-writable"
        );
        assert!(
            (perm >> 3) & 0o2 == 0 || (perm >> 6) & 0o2 != 0,
            "a group-writable module parameter must be user-writable"
        );
        // INVARIANT: Per the caller, and `arg` is a `'static P`.
        Self(bindings::kernel_param {
            name: name.as_ptr().cast(),
            mod_: module,
            ops,
            perm,
            level: -1,
            flags: 0,
            __bindgen_anon_1: bindings::kernel_param__bindgen_ty_1 {
                arg: core::ptr::from_ref(arg).cast_mut().cast(),
            },
        })
    }
}

/// A `.modinfo` string of `N` bytes (with its NUL) from `s` (which must be exactly that
/// long), for a `static` in the `.modinfo` section.
pub(crate) const fn modinfo<const N: usize>(s: &str) -> [u8; N] {
    let bytes = s.as_bytes();
    assert!(bytes.len() == N && N > 0 && bytes[N - 1] == 0);
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// Declares module parameters: for each, a `static` the driver reads (a [`BoolParam`], a
/// [`UintParam`] or an [`IntParam`]), the kernel's `struct kernel_param` for it, and its `modinfo` type and
/// description, as C's `module_param()` and `MODULE_PARM_DESC()`:
///
/// ```ignore
/// module_param! {
///     /// Rust documentation.
///     pub(crate) static FORCE_SOFTWARE: bool = false, perm 0o644,
///         "force_software", "the description modinfo shows";
/// }
/// ```
#[macro_export]
macro_rules! module_param {
    ($(
        $(#[$attr:meta])*
        $vis:vis static $id:ident : $kind:ident = $default:expr, perm $perm:literal,
            $name:literal, $desc:literal;
    )+) => {$(
        $(#[$attr])*
        $vis static $id: $crate::module_param!(@storage $kind) =
            <$crate::module_param!(@storage $kind)>::new($default);

        const _: () = {
            use $crate::kernel_api::module_param::{modinfo, KernelParam};

            const NAME: &str = ::core::concat!($name, "\0");
            #[link_section = "__param"]
            #[used]
            static PARAM: KernelParam = {
                extern "C" {
                    static __this_module: ::kernel::types::Opaque<$crate::kernel_api::bindings::module>;
                }
                let ops = $crate::module_param!(@ops $kind);
                let arg = &$id;
                let perm: u16 = $perm;
                // SAFETY: `__this_module` is this module's `struct module` (it is being
                // built as a loadable module, and the loader sets the structure up before
                // it reads `__param`); `ops` are those of the storage's kind (both from
                // `$kind`), and `NAME` ends with a NUL.
                unsafe { KernelParam::new(NAME.as_bytes(), __this_module.get(), ops, arg, perm) }
            };

            const TYPE: &str =
                ::core::concat!("parmtype=", $name, ":", $crate::module_param!(@ctype $kind), "\0");
            #[link_section = ".modinfo"]
            #[used]
            static PARMTYPE: [u8; TYPE.len()] = modinfo(TYPE);

            const DESC: &str = ::core::concat!("parm=", $name, ":", $desc, "\0");
            #[link_section = ".modinfo"]
            #[used]
            static PARM: [u8; DESC.len()] = modinfo(DESC);
        };
    )+};
    (@storage bool) => { $crate::kernel_api::module_param::BoolParam };
    (@storage uint) => { $crate::kernel_api::module_param::UintParam };
    (@storage int) => { $crate::kernel_api::module_param::IntParam };
    (@ctype bool) => { "bool" };
    (@ctype uint) => { "uint" };
    (@ctype int) => { "int" };
    (@ops bool) => { ::core::ptr::addr_of!($crate::kernel_api::bindings::param_ops_bool) };
    (@ops uint) => { ::core::ptr::addr_of!($crate::kernel_api::bindings::param_ops_uint) };
    (@ops int) => { ::core::ptr::addr_of!($crate::kernel_api::bindings::param_ops_int) };
}
