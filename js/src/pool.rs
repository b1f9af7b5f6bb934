//! A size-class cache in front of the system allocator (dlmalloc on wasm32).
//!
//! A verification makes a few dozen small allocations (JSON keys and
//! strings, map nodes, vectors) and frees them all again soon after; in
//! dlmalloc each `malloc`/`free` pair costs a search and a coalescing step,
//! which profiling put at about a fifth of the wasm time of a cold verify.
//! Here blocks of up to `MAX_SMALL` bytes (1 KiB: map nodes and token copies
//! included) are rounded up to a multiple of `GRANULE` and, once freed, kept
//! on a per-size free list (LIFO) and handed out again without calling
//! dlmalloc. Larger blocks go to dlmalloc as before.
//!
//! Single-threaded by construction: wasm32-unknown-unknown without the
//! `atomics` feature has one thread, so the free lists need no locking. The
//! cache only grows to the peak number of live small blocks per size.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr;
use std::alloc::System;

/// Block sizes are multiples of this, which is also the guaranteed alignment.
const GRANULE: usize = 8;
/// Largest block served from the free lists.
const MAX_SMALL: usize = 1024;
const CLASSES: usize = MAX_SMALL / GRANULE;

pub struct Pool {
    free: UnsafeCell<[*mut u8; CLASSES]>,
}

// SAFETY: wasm32-unknown-unknown (without threads) runs on one thread; the
// pool is only installed there (see lib.rs).
unsafe impl Sync for Pool {}

impl Pool {
    pub const fn new() -> Self {
        Pool {
            free: UnsafeCell::new([ptr::null_mut(); CLASSES]),
        }
    }
}

/// The free-list index for `layout`, if it is small enough to pool.
fn class(layout: Layout) -> Option<usize> {
    let size = layout.size();
    if size == 0 || size > MAX_SMALL || layout.align() > GRANULE {
        return None;
    }
    Some((size - 1) / GRANULE)
}

fn class_layout(class: usize) -> Layout {
    // SAFETY: a non-zero multiple of GRANULE, a power of two.
    unsafe { Layout::from_size_align_unchecked((class + 1) * GRANULE, GRANULE) }
}

// SAFETY: every block handed out is at least `layout.size()` bytes and
// aligned to `layout.align()` (pooled: a GRANULE-aligned block of the
// class size, which covers the request; otherwise dlmalloc's). A pooled
// block is only reached again through its class list after `dealloc`, and
// the caller's layout always maps to the class it was allocated from.
unsafe impl GlobalAlloc for Pool {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class(layout) else {
            return System.alloc(layout);
        };
        let lists = &mut *self.free.get();
        let head = lists[class];
        if head.is_null() {
            return System.alloc(class_layout(class));
        }
        // A free block holds the pointer to the next free block.
        lists[class] = head.cast::<*mut u8>().read();
        head
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let Some(class) = class(layout) else {
            return System.dealloc(block, layout);
        };
        let lists = &mut *self.free.get();
        block.cast::<*mut u8>().write(lists[class]);
        lists[class] = block;
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        match (class(layout), class(new_layout)) {
            // Same block size: nothing to do.
            (Some(old), Some(new)) if old == new => block,
            // Both large: dlmalloc can often grow in place.
            (None, None) => System.realloc(block, layout, new_size),
            _ => {
                let grown = self.alloc(new_layout);
                if !grown.is_null() {
                    ptr::copy_nonoverlapping(block, grown, layout.size().min(new_size));
                    self.dealloc(block, layout);
                }
                grown
            }
        }
    }
}
