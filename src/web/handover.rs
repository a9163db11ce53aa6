//! The page's first bundle (`ringlab`, built without the `sweep-view` feature) and the
//! sweep's (`sweep_view`, the same app with the sweep view). Opening a sweep in the first
//! bundle writes the sweep's link into the address, stops this app and loads the other
//! bundle, which opens that link: the sweep view's code is downloaded only by those who
//! open a sweep, and the first download stays within its budget (scripts/size.sh).
//!
//! The link is the only thing handed over, as between two tabs: the sweep bundle opens
//! exactly the run, the lesson and the sweep that the link names.

use std::cell::RefCell;

/// Where the sweep bundle's loading note is (removed when that bundle starts).
#[cfg(target_arch = "wasm32")]
const NOTE_ID: &str = "handover-note";

thread_local! {
    /// The running app, so that a handover can stop it (its listeners, its frames).
    static RUNNING: RefCell<Option<yew::AppHandle<super::app::App>>> = const { RefCell::new(None) };
    /// The timer that stops the app and loads the other bundle (kept: dropped, it would not fire).
    static PENDING: RefCell<Option<super::browser::Handle>> = const { RefCell::new(None) };
}

/// Keeps the first bundle's app so that [`to_sweep_bundle`] can stop it.
pub fn keep(app: yew::AppHandle<super::app::App>) {
    RUNNING.with(|r| *r.borrow_mut() = Some(app));
}

/// Opens `fragment` (a link with sweep keys) in the sweep bundle: stops this app (on the
/// next task: this may be called from one of its own callbacks), says what is loading and
/// loads `sweep_view.js` beside this page's script.
pub fn to_sweep_bundle(fragment: &str) {
    super::browser::replace_fragment(fragment);
    let stop_and_load = super::browser::after_ms(0, || {
        if let Some(app) = RUNNING.with(|r| r.borrow_mut().take()) {
            app.destroy();
        }
        load("sweep_view", "Loading the sweep view…");
    });
    PENDING.with(|p| *p.borrow_mut() = stop_and_load);
}

/// Called first by the sweep bundle: removes the loading note.
pub fn arrived() {
    #[cfg(target_arch = "wasm32")]
    if let Some(note) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(NOTE_ID)) {
        note.remove();
    }
}

/// Shows `note` and loads bundle `name` (trunk's no-modules build: `name.js` defines
/// `wasm_bindgen`, whose init fetches `name_bg.wasm` and runs the bundle's `main`).
fn load(name: &str, note: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        let script = format!(
            "const p = document.createElement('p'); p.id = '{NOTE_ID}'; p.className = 'handover-note'; \
             p.setAttribute('role', 'status'); p.textContent = {note:?}; document.body.append(p); \
             const s = document.createElement('script'); s.src = new URL('{name}.js', document.baseURI).href; \
             s.onload = () => wasm_bindgen({{ module_or_path: new URL('{name}_bg.wasm', document.baseURI).href }}); \
             s.onerror = () => {{ p.textContent = 'The sweep view could not be loaded: reload the page to try again.'; }}; \
             document.head.append(s);"
        );
        let _ = js_sys::Function::new_no_args(&script).call0(&wasm_bindgen::JsValue::NULL);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, note);
}
