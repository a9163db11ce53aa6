//! The only place the probe talks to the kernel. Every `unsafe` block lives in this
//! module and its two children, one per interface:
//!
//! - this file: errno, `mmap`/`munmap` ([`Mapping`]), pipes, CPU affinity, `RLIMIT_NOFILE`;
//! - [`io_uring`]: `io_uring_setup`, `io_uring_enter`, the mapped SQ/CQ rings;
//! - [`aio`]: `io_setup`, `io_submit`, `io_getevents`, `io_destroy`, the mapped aio ring.
//!
//! Everything exported from here is a safe API: it writes only into memory the probe
//! mapped or owns, and every resource is released by `Drop`.

pub mod aio;
pub mod io_uring;

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::ptr::NonNull;

/// The calling thread's `errno` after a failed call, as a positive number.
pub fn last_errno() -> i32 {
    io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

/// The C name of an error number, for messages (`ENOSYS`, `EPERM`, ...).
pub fn errno_name(e: i32) -> String {
    let name = match e {
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::EINTR => "EINTR",
        libc::EIO => "EIO",
        libc::EBADF => "EBADF",
        libc::EAGAIN => "EAGAIN",
        libc::ENOMEM => "ENOMEM",
        libc::EFAULT => "EFAULT",
        libc::EBUSY => "EBUSY",
        libc::EEXIST => "EEXIST",
        libc::EINVAL => "EINVAL",
        libc::EMFILE => "EMFILE",
        libc::ENOSYS => "ENOSYS",
        libc::ETIME => "ETIME",
        libc::EBADR => "EBADR",
        libc::EBADFD => "EBADFD",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        _ => return format!("errno {e}"),
    };
    name.to_string()
}

/// Plain-old-data shared with the kernel: integers and `repr(C)` structs of integers, for
/// which every bit pattern is a valid value (so reading what the kernel wrote is sound).
///
/// # Safety
/// Implement only for such types.
unsafe trait Plain: Copy {}

// SAFETY: integers: every bit pattern is valid.
unsafe impl Plain for u32 {}
// SAFETY: repr(C) structs whose fields are all integers.
unsafe impl Plain for io_uring::Sqe {}
// SAFETY: as above.
unsafe impl Plain for io_uring::Cqe {}
// SAFETY: as above.
unsafe impl Plain for aio::IoEvent {}

/// A shared mapping of kernel memory (a ring), unmapped on drop.
struct Mapping {
    ptr: NonNull<u8>,
    len: usize,
}

impl Mapping {
    /// `mmap(NULL, len, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_POPULATE, fd, offset)`.
    fn map_shared(fd: RawFd, len: usize, offset: i64) -> Result<OwnedMapping, i32> {
        // SAFETY: we ask for a fresh mapping at an address the kernel chooses (NULL hint, no
        // MAP_FIXED), so no existing memory is affected; the result is checked for MAP_FAILED.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_POPULATE,
                fd,
                offset,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(last_errno());
        }
        let ptr = NonNull::new(p.cast::<u8>()).ok_or(libc::EFAULT)?;
        Ok(OwnedMapping(Mapping { ptr, len }))
    }

    /// Takes ownership of a mapping the kernel created on our behalf (the aio ring, whose
    /// address `io_setup` returns as the context id), so that it can be read safely.
    ///
    /// Only `aio` constructs one, and it never unmaps it: `io_destroy` does that.
    fn borrowed(ptr: NonNull<u8>, len: usize) -> Mapping {
        Mapping { ptr, len }
    }

    /// A pointer to a `T` at byte `offset`, checked to lie inside the mapping and be aligned.
    fn at<T>(&self, offset: usize) -> *mut T {
        let size = std::mem::size_of::<T>();
        assert!(offset.checked_add(size).is_some_and(|end| end <= self.len), "offset {offset} outside the mapping");
        assert_eq!(offset % std::mem::align_of::<T>(), 0, "offset {offset} misaligned");
        // SAFETY: offset + size <= len (checked above), so the result stays inside the mapping.
        unsafe { self.ptr.as_ptr().add(offset).cast::<T>() }
    }

    /// The kernel-shared `u32` at `offset`, as an atomic (head, tail, flags, counters).
    fn atomic_u32(&self, offset: usize) -> &std::sync::atomic::AtomicU32 {
        let p = self.at::<u32>(offset);
        // SAFETY: `at` checked bounds and 4-byte alignment; the mapping lives as long as `self`
        // (the returned reference borrows it), and the kernel accesses these words atomically
        // too, so treating them as AtomicU32 is the documented sharing protocol.
        unsafe { &*(p as *const std::sync::atomic::AtomicU32) }
    }

    /// Reads a plain value at `offset` (an event or CQE the kernel published before a tail
    /// we loaded with Acquire).
    fn read<T: Plain>(&self, offset: usize) -> T {
        let p = self.at::<T>(offset);
        // SAFETY: in bounds and aligned (`at`); T: Plain, so any bits the kernel left there are a
        // valid T; volatile because the kernel writes this memory behind the compiler's back.
        unsafe { std::ptr::read_volatile(p) }
    }

    /// Writes a plain value at `offset` inside our own mapping (SQEs, the SQ index array).
    fn write<T: Plain>(&self, offset: usize, value: T) {
        let p = self.at::<T>(offset);
        // SAFETY: in bounds and aligned (`at`); the target is memory of this mapping that the
        // ring protocol gives to userspace (SQ entries beyond the kernel's head).
        unsafe { std::ptr::write_volatile(p, value) }
    }

    fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }
}

/// `munmap` on drop for mappings we created with [`Mapping::map_shared`].
struct OwnedMapping(Mapping);

impl Drop for OwnedMapping {
    fn drop(&mut self) {
        // SAFETY: the mapping was created by `map_shared` with this address and length, and no
        // reference into it outlives `self` (all accessors borrow it).
        unsafe {
            libc::munmap(self.0.as_ptr().cast(), self.0.len);
        }
    }
}

impl std::ops::Deref for OwnedMapping {
    type Target = Mapping;
    fn deref(&self) -> &Mapping {
        &self.0
    }
}

/// An anonymous pipe: a request's "device". Writing one byte makes the read end readable,
/// which completes a poll waiting on it. Both ends close on drop.
pub struct Pipe {
    pub read: OwnedFd,
    pub write: File,
}

impl Pipe {
    pub fn new() -> Result<Pipe, i32> {
        let mut fds = [-1 as libc::c_int; 2];
        // SAFETY: `fds` is a valid, writable array of two c_ints, as pipe2 requires.
        let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) };
        if r != 0 {
            return Err(last_errno());
        }
        // SAFETY: pipe2 succeeded, so both descriptors are open and owned by nobody else.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) };
        Ok(Pipe { read, write })
    }

    /// Makes the read end readable.
    pub fn fire(&mut self) -> io::Result<()> {
        use std::io::Write;
        self.write.write_all(&[1])
    }

    pub fn read_fd(&self) -> RawFd {
        self.read.as_raw_fd()
    }
}

/// Raises the soft `RLIMIT_NOFILE` to the hard limit (to `fs.nr_open` when the hard limit is
/// unlimited, the most the kernel lets a process open). Returns the limits in force
/// afterwards, `(soft, hard)`; when raising is refused the soft limit stays as it was.
pub fn raise_nofile_limit() -> Result<(u64, u64), i32> {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `lim` is a valid, writable rlimit; getrlimit writes only that struct.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return Err(last_errno());
    }
    let target = if lim.rlim_max == libc::RLIM_INFINITY {
        std::fs::read_to_string("/proc/sys/fs/nr_open")
            .ok()
            .and_then(|t| t.trim().parse::<libc::rlim_t>().ok())
            .unwrap_or(1 << 20)
    } else {
        lim.rlim_max
    };
    if lim.rlim_cur < target {
        let raised = libc::rlimit { rlim_cur: target, rlim_max: lim.rlim_max };
        // SAFETY: `raised` is a valid rlimit that lives for the call; setrlimit only reads it.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            lim.rlim_cur = target;
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is 32 bits on some targets
    Ok((lim.rlim_cur as u64, lim.rlim_max as u64))
}

/// Pins the calling thread to `cpu` (`sched_setaffinity(0, ...)` acts on the calling thread).
pub fn pin_to_cpu(cpu: usize) -> Result<(), i32> {
    if cpu >= libc::CPU_SETSIZE as usize {
        return Err(libc::EINVAL);
    }
    // SAFETY: cpu_set_t is a plain bit array; all-zero is a valid, empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `cpu` < CPU_SETSIZE (checked above), so CPU_SET stays inside `set`.
    unsafe { libc::CPU_SET(cpu, &mut set) };
    // SAFETY: `set` is a valid cpu_set_t and we pass its exact size.
    let r = unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) };
    if r != 0 {
        return Err(last_errno());
    }
    Ok(())
}
