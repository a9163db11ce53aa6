//! The view's slot pools: what aio's io_submit checks, as the app draws it (A1.2, A3.3).

use ringlab_core::lessons::{lesson, run_to_pause};
use ringlab_core::model::ModelSpec;
use ringlab_core::view::SlotPools;
use ringlab_core::{ModelKind, Sim};

#[test]
fn aio_oversize_strands_six_slots_in_the_global_pool() {
    let s = lesson("aio-oversize").unwrap();
    let mut sim = Sim::new(&s).unwrap();
    // A3.1: one page, nr 127; req_batch = 126 / (4·2) = 15; nothing reserved yet.
    assert_eq!(sim.view().slot_pools, Some(SlotPools::PerCpu { global: 126, cpus: vec![0, 0], batch: 15 }));
    run_to_pause(&mut sim, &s.lesson.as_ref().unwrap().pauses[0]);
    // A3.3: eight batches of 15 went to CPU 0 and were used; 6, less than a batch, stay in the pool.
    let v = sim.view();
    assert_eq!(v.in_flight, 120);
    assert_eq!(v.slot_pools, Some(SlotPools::PerCpu { global: 6, cpus: vec![0, 0], batch: 15 }));
}

#[test]
fn aio_2012_counts_reqs_active_within_the_ring() {
    let mut s = ringlab_core::lessons::default_scenario();
    s.model = ModelSpec::default_for(ModelKind::Aio2012);
    let mut sim = Sim::new(&s).unwrap();
    let mut busiest = 0;
    for _ in 0..3_000 {
        sim.step();
        let v = sim.view();
        let Some(SlotPools::Global { reqs_active, limit }) = v.slot_pools else { panic!("aio-2012 has reqs_active") };
        // A1.2: events in the ring + reqs_active never exceed nr − 1.
        assert!(v.ring.len + reqs_active <= limit, "{} + {reqs_active} > {limit}", v.ring.len);
        assert_eq!(limit, v.ring.capacity);
        busiest = busiest.max(reqs_active);
    }
    assert!(busiest > 0, "the workload keeps requests in flight");
    for kind in [ModelKind::Proposal, ModelKind::IoUring, ModelKind::IoUring55, ModelKind::IoUring51] {
        s.model = ModelSpec::default_for(kind);
        assert_eq!(Sim::new(&s).unwrap().view().slot_pools, None, "{kind}");
    }
}
