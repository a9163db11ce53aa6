//! io_uring through raw system calls: `io_uring_setup`, the three mappings (SQ ring, CQ
//! ring, SQE array), `io_uring_enter`. Struct layouts follow the uapi header
//! `include/uapi/linux/io_uring.h`; their sizes are asserted at compile time.

use super::{last_errno, Mapping, OwnedMapping};
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::sync::atomic::Ordering;

pub const IORING_SETUP_CQSIZE: u32 = 1 << 3;
pub const IORING_SETUP_CLAMP: u32 = 1 << 4;
pub const IORING_FEAT_SINGLE_MMAP: u32 = 1 << 0;
pub const IORING_FEAT_EXT_ARG: u32 = 1 << 8;
pub const IORING_ENTER_GETEVENTS: u32 = 1 << 0;
pub const IORING_ENTER_EXT_ARG: u32 = 1 << 3;
pub const IORING_SQ_CQ_OVERFLOW: u32 = 1 << 1;
pub const IORING_OP_NOP: u8 = 0;
pub const IORING_OP_POLL_ADD: u8 = 6;
const IORING_OFF_SQ_RING: i64 = 0;
const IORING_OFF_CQ_RING: i64 = 0x800_0000;
const IORING_OFF_SQES: i64 = 0x1000_0000;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct SqringOffsets {
    pub head: u32,
    pub tail: u32,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub flags: u32,
    pub dropped: u32,
    pub array: u32,
    pub resv1: u32,
    pub user_addr: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CqringOffsets {
    pub head: u32,
    pub tail: u32,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub overflow: u32,
    pub cqes: u32,
    pub flags: u32,
    pub resv1: u32,
    pub user_addr: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Params {
    pub sq_entries: u32,
    pub cq_entries: u32,
    pub flags: u32,
    pub sq_thread_cpu: u32,
    pub sq_thread_idle: u32,
    pub features: u32,
    pub wq_fd: u32,
    pub resv: [u32; 3],
    pub sq_off: SqringOffsets,
    pub cq_off: CqringOffsets,
}

/// `struct io_uring_sqe`, with the unions flattened to the members the probe uses.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Sqe {
    pub opcode: u8,
    pub flags: u8,
    pub ioprio: u16,
    pub fd: i32,
    pub off: u64,
    pub addr: u64,
    pub len: u32,
    /// `rw_flags` / `poll32_events` / ...
    pub op_flags: u32,
    pub user_data: u64,
    pub buf_index: u16,
    pub personality: u16,
    pub splice_fd_in: i32,
    pub addr3: u64,
    pub pad2: u64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Cqe {
    pub user_data: u64,
    pub res: i32,
    pub flags: u32,
}

/// `struct io_uring_getevents_arg` (IORING_ENTER_EXT_ARG).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
struct GeteventsArg {
    sigmask: u64,
    sigmask_sz: u32,
    min_wait_usec: u32,
    ts: u64,
}

/// `struct __kernel_timespec`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
struct KernelTimespec {
    tv_sec: i64,
    tv_nsec: i64,
}

const _: () = assert!(std::mem::size_of::<SqringOffsets>() == 40);
const _: () = assert!(std::mem::size_of::<CqringOffsets>() == 40);
const _: () = assert!(std::mem::size_of::<Params>() == 120);
const _: () = assert!(std::mem::size_of::<Sqe>() == 64);
const _: () = assert!(std::mem::size_of::<Cqe>() == 16);
const _: () = assert!(std::mem::size_of::<GeteventsArg>() == 24);
const _: () = assert!(std::mem::size_of::<KernelTimespec>() == 16);

/// An io_uring instance with its rings mapped. Drop unmaps them and closes the fd (which
/// cancels whatever is still in flight).
pub struct IoUring {
    // Field order is drop order: the mappings go before the descriptor.
    sq_ring: OwnedMapping,
    /// `None` when the kernel has IORING_FEAT_SINGLE_MMAP (CQ ring shares the SQ mapping).
    cq_ring: Option<OwnedMapping>,
    sqes: OwnedMapping,
    fd: OwnedFd,
    params: Params,
}

/// `io_uring_setup(entries, params)`; returns the fd or a positive errno.
fn setup_raw(entries: u32, params: &mut Params) -> Result<OwnedFd, i32> {
    // SAFETY: `params` is a valid, exclusively borrowed io_uring_params of the size the
    // kernel expects (asserted above); the kernel reads and writes only that struct.
    let r = unsafe { libc::syscall(libc::SYS_io_uring_setup, entries as libc::c_long, params as *mut Params) };
    if r < 0 {
        return Err(last_errno());
    }
    // SAFETY: on success the return value is a new descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(r as i32) })
}

impl IoUring {
    /// `io_uring_setup` with `entries`, an optional CQ size (`IORING_SETUP_CQSIZE`) and
    /// `IORING_SETUP_CLAMP`, then maps the rings. Errors are positive errno values.
    pub fn setup(entries: u32, cq_entries: Option<u32>, clamp: bool) -> Result<IoUring, i32> {
        let mut params = Params::default();
        if let Some(cq) = cq_entries {
            params.flags |= IORING_SETUP_CQSIZE;
            params.cq_entries = cq;
        }
        if clamp {
            params.flags |= IORING_SETUP_CLAMP;
        }
        let fd = setup_raw(entries, &mut params)?;
        let raw = fd.as_raw_fd();
        let sq_len = params.sq_off.array as usize + params.sq_entries as usize * 4;
        let cq_len = params.cq_off.cqes as usize + params.cq_entries as usize * std::mem::size_of::<Cqe>();
        let single = params.features & IORING_FEAT_SINGLE_MMAP != 0;
        let sq_ring = Mapping::map_shared(raw, if single { sq_len.max(cq_len) } else { sq_len }, IORING_OFF_SQ_RING)?;
        let cq_ring = if single { None } else { Some(Mapping::map_shared(raw, cq_len, IORING_OFF_CQ_RING)?) };
        let sqes = Mapping::map_shared(raw, params.sq_entries as usize * std::mem::size_of::<Sqe>(), IORING_OFF_SQES)?;
        Ok(IoUring { sq_ring, cq_ring, sqes, fd, params })
    }

    /// Ring teardown as liburing's `io_uring_queue_exit` does it: unmap the rings, then
    /// `close` the fd (the last reference: the kernel discards the backlog and cancels what
    /// is in flight). Returns close's result (0, or a positive errno).
    pub fn close(self) -> Result<u32, i32> {
        let IoUring { sq_ring, cq_ring, sqes, fd, params: _ } = self;
        drop(sqes);
        drop(cq_ring);
        drop(sq_ring);
        let raw = fd.into_raw_fd();
        // SAFETY: `raw` is our ring's descriptor, released from its OwnedFd above, so it is
        // closed exactly once, here.
        let r = unsafe { libc::close(raw) };
        if r != 0 {
            return Err(last_errno());
        }
        Ok(0)
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn raw_fd(&self) -> i32 {
        self.fd.as_raw_fd()
    }

    fn cq(&self) -> &Mapping {
        self.cq_ring.as_deref().unwrap_or(&self.sq_ring)
    }

    pub fn sq_head(&self) -> u32 {
        self.sq_ring.atomic_u32(self.params.sq_off.head as usize).load(Ordering::Acquire)
    }

    pub fn sq_tail(&self) -> u32 {
        // Only userspace writes the SQ tail.
        self.sq_ring.atomic_u32(self.params.sq_off.tail as usize).load(Ordering::Relaxed)
    }

    /// `sq_flags` (IORING_SQ_CQ_OVERFLOW, ...).
    pub fn sq_flags(&self) -> u32 {
        self.sq_ring.atomic_u32(self.params.sq_off.flags as usize).load(Ordering::Acquire)
    }

    /// SQEs queued and not yet consumed by the kernel.
    pub fn sq_pending(&self) -> u32 {
        self.sq_tail().wrapping_sub(self.sq_head())
    }

    pub fn sq_space(&self) -> u32 {
        self.params.sq_entries - self.sq_pending()
    }

    /// Queues one SQE (no system call). Returns false when the SQ ring is full.
    pub fn push_sqe(&mut self, sqe: Sqe) -> bool {
        if self.sq_space() == 0 {
            return false;
        }
        let tail = self.sq_tail();
        let mask = self.sq_ring.atomic_u32(self.params.sq_off.ring_mask as usize).load(Ordering::Relaxed);
        let idx = tail & mask;
        // The slot at tail is beyond the kernel's head, so it belongs to userspace.
        self.sqes.write::<Sqe>(idx as usize * std::mem::size_of::<Sqe>(), sqe);
        self.sq_ring.write::<u32>(self.params.sq_off.array as usize + idx as usize * 4, idx);
        self.sq_ring.atomic_u32(self.params.sq_off.tail as usize).store(tail.wrapping_add(1), Ordering::Release);
        true
    }

    pub fn cq_head(&self) -> u32 {
        self.cq().atomic_u32(self.params.cq_off.head as usize).load(Ordering::Relaxed)
    }

    pub fn cq_tail(&self) -> u32 {
        self.cq().atomic_u32(self.params.cq_off.tail as usize).load(Ordering::Acquire)
    }

    /// Userspace reaping: publishes a new CQ head (no system call).
    pub fn set_cq_head(&self, head: u32) {
        self.cq().atomic_u32(self.params.cq_off.head as usize).store(head, Ordering::Release);
    }

    /// `cq.overflow` (the kernel's drop counter).
    pub fn cq_overflow(&self) -> u32 {
        self.cq().atomic_u32(self.params.cq_off.overflow as usize).load(Ordering::Acquire)
    }

    /// The CQE at counter value `counter` (masked to a slot). Call with `head <= counter < tail`
    /// for a tail loaded with [`IoUring::cq_tail`].
    pub fn cqe(&self, counter: u32) -> Cqe {
        let mask = self.params.cq_entries - 1;
        let slot = (counter & mask) as usize;
        self.cq().read::<Cqe>(self.params.cq_off.cqes as usize + slot * std::mem::size_of::<Cqe>())
    }

    /// `io_uring_enter(fd, to_submit, min_complete, flags)`, with an optional wait timeout
    /// passed through IORING_ENTER_EXT_ARG. Returns the kernel's count or a positive errno.
    pub fn enter(&self, to_submit: u32, min_complete: u32, flags: u32, timeout_ns: Option<u64>) -> Result<u32, i32> {
        let ts = KernelTimespec {
            tv_sec: timeout_ns.unwrap_or(0) as i64 / 1_000_000_000,
            tv_nsec: timeout_ns.unwrap_or(0) as i64 % 1_000_000_000,
        };
        let arg = GeteventsArg { ts: &ts as *const KernelTimespec as u64, ..Default::default() };
        let (flags, argp, argsz) = match timeout_ns {
            Some(_) => (
                flags | IORING_ENTER_EXT_ARG,
                &arg as *const GeteventsArg as *const libc::c_void,
                std::mem::size_of::<GeteventsArg>(),
            ),
            None => (flags, std::ptr::null(), 0),
        };
        // SAFETY: the fd is our ring; `argp` is null or points to `arg`, which (with the `ts`
        // it points to) lives on this stack frame for the whole call, and `argsz` is its exact
        // size. The kernel only reads it. Submitted SQEs reference no user memory (NOP,
        // POLL_ADD carry only an fd and an event mask).
        let r = unsafe {
            libc::syscall(
                libc::SYS_io_uring_enter,
                self.fd.as_raw_fd() as libc::c_long,
                to_submit as libc::c_long,
                min_complete as libc::c_long,
                flags as libc::c_long,
                argp,
                argsz as libc::c_long,
            )
        };
        if r < 0 {
            return Err(last_errno());
        }
        Ok(r as u32)
    }
}
