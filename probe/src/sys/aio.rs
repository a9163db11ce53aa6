//! Legacy Linux aio through raw system calls: `io_setup`, `io_submit`, `io_getevents`,
//! `io_destroy`, and the ring the kernel maps into the process (its address is the
//! context id). Layouts follow `include/uapi/linux/aio_abi.h` and `fs/aio.c`.

use super::{last_errno, Mapping};
use std::os::fd::RawFd;
use std::ptr::NonNull;
use std::sync::atomic::Ordering;

pub const IOCB_CMD_POLL: u16 = 5;
pub const AIO_RING_MAGIC: u32 = 0xa10a_10a1;
/// `struct aio_ring` header: id, nr, head, tail, magic, compat, incompat, header_length.
const HEADER_LEN: usize = 32;
const OFF_NR: usize = 4;
const OFF_HEAD: usize = 8;
const OFF_TAIL: usize = 12;
const OFF_MAGIC: usize = 16;
const OFF_HEADER_LENGTH: usize = 28;

/// `struct iocb` (little-endian layout of the `aio_key`/`aio_rw_flags` pair).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Iocb {
    pub aio_data: u64,
    #[cfg(target_endian = "little")]
    pub aio_key: u32,
    pub aio_rw_flags: i32,
    #[cfg(target_endian = "big")]
    pub aio_key: u32,
    pub aio_lio_opcode: u16,
    pub aio_reqprio: i16,
    pub aio_fildes: u32,
    pub aio_buf: u64,
    pub aio_nbytes: u64,
    pub aio_offset: i64,
    pub aio_reserved2: u64,
    pub aio_flags: u32,
    pub aio_resfd: u32,
}

/// `struct io_event`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct IoEvent {
    pub data: u64,
    pub obj: u64,
    pub res: i64,
    pub res2: i64,
}

const _: () = assert!(std::mem::size_of::<Iocb>() == 64);
const _: () = assert!(std::mem::size_of::<IoEvent>() == 32);

impl Iocb {
    /// A one-shot poll for readability of `fd`, carrying `data`.
    pub fn poll_in(fd: RawFd, data: u64) -> Iocb {
        Iocb {
            aio_data: data,
            aio_lio_opcode: IOCB_CMD_POLL,
            aio_fildes: fd as u32,
            aio_buf: libc::POLLIN as u64,
            ..Default::default()
        }
    }
}

/// An aio context and its mapped ring. Drop calls `io_destroy`, which cancels what is in
/// flight, waits for it and unmaps the ring.
pub struct AioContext {
    ctx: libc::c_ulong,
    ring: Mapping,
    nr: u32,
}

impl AioContext {
    /// `io_setup(nr_events, &ctx)`; errors are positive errno values.
    pub fn setup(nr_events: u32) -> Result<AioContext, i32> {
        let mut ctx: libc::c_ulong = 0;
        // SAFETY: `ctx` is a valid, zero-initialised aio_context_t the kernel writes once.
        let r = unsafe { libc::syscall(libc::SYS_io_setup, nr_events as libc::c_long, &mut ctx as *mut libc::c_ulong) };
        if r < 0 {
            return Err(last_errno());
        }
        let Some(base) = NonNull::new(ctx as *mut u8) else { return Err(libc::EFAULT) };
        // The header sits at the start of the kernel's mapping; read nr from it, then widen
        // the view to the whole event array.
        let header = Mapping::borrowed(base, HEADER_LEN);
        let nr = header.atomic_u32(OFF_NR).load(Ordering::Acquire);
        let magic = header.atomic_u32(OFF_MAGIC).load(Ordering::Acquire);
        let header_length = header.atomic_u32(OFF_HEADER_LENGTH).load(Ordering::Acquire);
        let mut this = AioContext { ctx, ring: header, nr: 0 };
        if magic != AIO_RING_MAGIC || header_length as usize != HEADER_LEN || nr < 2 {
            return Err(libc::EPROTO); // `this` drops: io_destroy
        }
        // The kernel maps whole pages holding 32 + 32 * nr bytes (A0.7).
        this.ring = Mapping::borrowed(base, HEADER_LEN + nr as usize * std::mem::size_of::<IoEvent>());
        this.nr = nr;
        Ok(this)
    }

    pub fn nr(&self) -> u32 {
        self.nr
    }

    pub fn head(&self) -> u32 {
        self.ring.atomic_u32(OFF_HEAD).load(Ordering::Acquire)
    }

    pub fn tail(&self) -> u32 {
        self.ring.atomic_u32(OFF_TAIL).load(Ordering::Acquire)
    }

    /// Userspace reaping (fio's `user_io_getevents`, QEMU's commit): stores a new head.
    pub fn set_head(&self, head: u32) {
        assert!(head < self.nr, "head {head} outside [0, {})", self.nr);
        self.ring.atomic_u32(OFF_HEAD).store(head, Ordering::Release);
    }

    /// The event in slot `index` (`0 <= index < nr`).
    pub fn event(&self, index: u32) -> IoEvent {
        assert!(index < self.nr, "slot {index} outside [0, {})", self.nr);
        self.ring.read::<IoEvent>(HEADER_LEN + index as usize * std::mem::size_of::<IoEvent>())
    }

    /// `io_submit(ctx, iocbs.len(), pointers)`: the count accepted or a positive errno.
    pub fn submit(&self, iocbs: &[Iocb]) -> Result<u32, i32> {
        let ptrs: Vec<*const Iocb> = iocbs.iter().map(|i| i as *const Iocb).collect();
        // SAFETY: `ptrs` holds `iocbs.len()` pointers to live iocbs that outlive the call; the
        // kernel copies each iocb during io_submit and keeps only the address as an opaque
        // value (`io_event.obj`), never writing through it (IOCB_CMD_POLL has no buffer).
        let r = unsafe { libc::syscall(libc::SYS_io_submit, self.ctx, ptrs.len() as libc::c_long, ptrs.as_ptr()) };
        if r < 0 {
            return Err(last_errno());
        }
        Ok(r as u32)
    }

    /// `io_getevents(ctx, min, max, events, timeout)`; returns the events copied out.
    ///
    /// The kernel copies at most `nr - 1` events (all the ring can hold), so `max` is
    /// capped at `nr` to bound the buffer; a request with `min > max` is passed on as an
    /// invalid pair so the kernel's own `EINVAL` check answers it.
    pub fn getevents(&self, min: u32, max: u32, timeout_ns: u64) -> Result<Vec<IoEvent>, i32> {
        let cap = max.min(self.nr);
        let min = if min > max { cap as i64 + 1 } else { min.min(cap) as i64 };
        let mut events = vec![IoEvent::default(); cap as usize];
        let ts = libc::timespec {
            tv_sec: (timeout_ns / 1_000_000_000) as libc::time_t,
            tv_nsec: (timeout_ns % 1_000_000_000) as libc::c_long,
        };
        // SAFETY: `events` has room for `cap` io_events and we pass `cap` as nr, so the kernel
        // writes inside it; `ts` lives for the call and is only read.
        let r = unsafe {
            libc::syscall(
                libc::SYS_io_getevents,
                self.ctx,
                min as libc::c_long,
                cap as libc::c_long,
                events.as_mut_ptr(),
                &ts as *const libc::timespec,
            )
        };
        if r < 0 {
            return Err(last_errno());
        }
        events.truncate(r as usize);
        Ok(events)
    }
}

impl AioContext {
    /// `io_destroy(ctx)`: cancels what is in flight, waits for it and unmaps the ring.
    /// Returns the call's result (0, or a positive errno).
    pub fn destroy(self) -> Result<u32, i32> {
        let ctx = self.ctx;
        // The ring view is a borrowed mapping (no Drop of its own); forgetting `self` only
        // skips the io_destroy in our Drop, which is made here instead, exactly once.
        std::mem::forget(self);
        // SAFETY: `ctx` came from a successful io_setup and is destroyed exactly once, here;
        // `self` (and with it every view of the ring) is gone, so nothing reads the mapping
        // after io_destroy unmaps it.
        let r = unsafe { libc::syscall(libc::SYS_io_destroy, ctx) };
        if r < 0 {
            return Err(last_errno());
        }
        Ok(r as u32)
    }
}

impl Drop for AioContext {
    fn drop(&mut self) {
        // SAFETY: `ctx` came from a successful io_setup and is destroyed exactly once, here;
        // the ring view dies with `self`, so nothing reads the mapping after io_destroy
        // unmaps it.
        unsafe {
            libc::syscall(libc::SYS_io_destroy, self.ctx);
        }
    }
}
