//! Every browser call the app makes: the URL fragment, the history entry, `hashchange`,
//! `keydown`, animation frames, timeouts, the clipboard and downloads. Each is a thin
//! wrapper over web-sys; on other targets (native tests) each has a twin that does
//! nothing, so the components carry no `cfg`.

/// The page's fragment, with its `#` (empty when there is none).
pub fn location_hash() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

/// The page's address with `fragment` (without `#`) as its fragment.
pub fn url_with_fragment(fragment: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        let base = href.split('#').next().unwrap_or_default();
        format!("{base}#{fragment}")
    }
    #[cfg(not(target_arch = "wasm32"))]
    format!("#{fragment}")
}

/// Replaces the current history entry's fragment (no new entry, no `hashchange`).
pub fn replace_fragment(fragment: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = fragment;
}

/// A listener or a timer that stops when dropped (nothing, natively).
pub struct Handle {
    #[cfg(target_arch = "wasm32")]
    _inner: Box<dyn std::any::Any>,
}

impl Handle {
    #[cfg(target_arch = "wasm32")]
    fn of(inner: impl std::any::Any) -> Handle {
        Handle { _inner: Box::new(inner) }
    }
}

/// Calls `f` with the new fragment whenever the user changes it (a pasted link).
pub fn on_hashchange(f: impl Fn(String) + 'static) -> Option<Handle> {
    #[cfg(target_arch = "wasm32")]
    {
        let window = web_sys::window()?;
        Some(Handle::of(gloo_events::EventListener::new(&window, "hashchange", move |_| f(location_hash()))))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = f;
        None
    }
}

/// Calls `f(key, tag of the focused element, a modifier is held)` on every `keydown` of
/// the document; when `f` returns true the key's default action is prevented.
pub fn on_keydown(f: impl Fn(&str, &str, bool) -> bool + 'static) -> Option<Handle> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let document = web_sys::window()?.document()?;
        let options = gloo_events::EventListenerOptions::enable_prevent_default();
        Some(Handle::of(gloo_events::EventListener::new_with_options(&document, "keydown", options, move |event| {
            let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
            let target = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|e| e.tag_name())
                .unwrap_or_default();
            let modifiers = event.ctrl_key() || event.meta_key() || event.alt_key();
            if f(&event.key(), &target, modifiers) {
                event.prevent_default();
            }
        })))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = f;
        None
    }
}

/// Calls `f` once after `ms` milliseconds, unless the handle is dropped first.
pub fn after_ms(ms: u32, f: impl FnOnce() + 'static) -> Option<Handle> {
    #[cfg(target_arch = "wasm32")]
    {
        Some(Handle::of(gloo_timers::callback::Timeout::new(ms, f)))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (ms, f);
        None
    }
}

/// Calls `f(wall ms since the previous frame)` on every animation frame until the
/// handle is dropped (the boids example's owned timer, on `requestAnimationFrame`).
pub fn every_frame(f: impl Fn(f64) + 'static) -> Option<Handle> {
    #[cfg(target_arch = "wasm32")]
    {
        Some(Handle::of(frame_loop::start(std::rc::Rc::new(f))))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = f;
        None
    }
}

#[cfg(target_arch = "wasm32")]
mod frame_loop {
    //! An owned requestAnimationFrame loop: dropping the [`Loop`] stops it.
    use gloo_render::{request_animation_frame, AnimationFrame};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    pub struct Loop {
        running: Rc<Cell<bool>>,
        _next: Rc<RefCell<Option<AnimationFrame>>>,
    }

    impl Drop for Loop {
        fn drop(&mut self) {
            self.running.set(false);
        }
    }

    type OnFrame = Rc<dyn Fn(f64)>;

    pub fn start(on_frame: OnFrame) -> Loop {
        let running = Rc::new(Cell::new(true));
        let next = Rc::new(RefCell::new(None));
        schedule(on_frame, running.clone(), next.clone(), None);
        Loop { running, _next: next }
    }

    fn schedule(
        on_frame: OnFrame,
        running: Rc<Cell<bool>>,
        slot: Rc<RefCell<Option<AnimationFrame>>>,
        last: Option<f64>,
    ) {
        let slot2 = slot.clone();
        let frame = request_animation_frame(move |ts| {
            if !running.get() {
                return;
            }
            on_frame(last.map_or(16.0, |l| ts - l));
            if running.get() {
                schedule(on_frame, running, slot2, Some(ts));
            }
        });
        // Replacing the handle drops the previous (already fired) frame.
        if let Ok(mut s) = slot.try_borrow_mut() {
            *s = Some(frame);
        }
    }
}

/// Copies `text`; `done` gets `true` once it is on the clipboard, `false` if the
/// browser refused (no permission, no secure context).
pub fn copy_text(text: String, done: yew::Callback<bool>) {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            done.emit(false);
            return;
        };
        let promise = clipboard.write_text(&text);
        // The promise's own `then` (no async runtime in the bundle for one promise). The
        // two small closures live as long as the page: one copy click leaks a few bytes.
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsValue;
        let on_ok = {
            let done = done.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_| done.emit(true))
        };
        let on_err = Closure::<dyn FnMut(JsValue)>::new(move |_| done.emit(false));
        let _ = promise.then2(&on_ok, &on_err);
        on_ok.forget();
        on_err.forget();
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = text;
        done.emit(false);
    }
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let run = || -> Option<()> {
            let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
            let options = web_sys::BlobPropertyBag::new();
            options.set_type(mime);
            let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
            let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
            let document = web_sys::window()?.document()?;
            let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
            a.set_href(&url);
            a.set_download(name);
            a.click();
            let _ = web_sys::Url::revoke_object_url(&url);
            Some(())
        };
        let _ = run();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, mime, text);
}

/// The markup of the element with `data-testid="{testid}"` (for the SVG export).
pub fn outer_html(testid: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let document = web_sys::window()?.document()?;
        let el = document.query_selector(&format!("[data-testid=\"{testid}\"]")).ok()??;
        Some(el.outer_html())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = testid;
        None
    }
}
