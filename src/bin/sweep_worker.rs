//! The sweep's Web Worker (index.html: `data-bin="sweep_worker" data-type="worker"`):
//! registers [`ringlab::web::sweep_pool::SweepWorker`], which runs sweep cells with the
//! core. It uses nothing of yew, so none is linked: the bundle is the core and the
//! worker's plumbing (scripts/size.sh reports it apart from the app's).

fn main() {
    #[cfg(target_arch = "wasm32")]
    ringlab::web::sweep_pool::register();
}
