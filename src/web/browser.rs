//! Every browser call the app makes: the URL fragment, the history entry, `hashchange`,
//! `keydown`, animation frames, timeouts, the clipboard, downloads, reading a chosen or
//! dropped file, localStorage, media queries and the modal dialog (open, and focus back
//! to its opener). Each is a thin wrapper over web-sys; on other targets (native tests)
//! each has a twin that does nothing, so the components carry no `cfg`.

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

/// A file's name, and its text or why it could not be read.
pub type FileText = (String, Result<String, String>);

/// Reads the file chosen in an `<input type=file>` (its `change` event) as text; `done`
/// gets its name and text. The file stays on this machine.
pub fn read_input_file(event: &yew::Event, done: yew::Callback<FileText>) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let input = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                read_file(file, done);
            }
            input.set_value(""); // the same file again is a new change
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (event, done);
}

/// Reads the first file of a drop as text (see [`read_input_file`]).
pub fn read_dropped_file(event: &yew::DragEvent, done: yew::Callback<FileText>) {
    #[cfg(target_arch = "wasm32")]
    if let Some(file) = event.data_transfer().and_then(|d| d.files()).and_then(|files| files.get(0)) {
        read_file(file, done);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (event, done);
}

/// `Blob.text()`, through the promise's own `then` (as [`copy_text`]).
#[cfg(target_arch = "wasm32")]
fn read_file(file: web_sys::File, done: yew::Callback<FileText>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;
    let name = file.name();
    let on_ok = {
        let (done, name) = (done.clone(), name.clone());
        Closure::<dyn FnMut(JsValue)>::new(move |text: JsValue| {
            done.emit((name.clone(), text.as_string().ok_or_else(|| "the file is not text".to_string())))
        })
    };
    let on_err = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        done.emit((name.clone(), Err("the browser could not read it".into())))
    });
    let _ = file.text().then2(&on_ok, &on_err);
    on_ok.forget();
    on_err.forget();
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
            // Revoked later, not now: the browser starts the download after this task.
            gloo_timers::callback::Timeout::new(10_000, move || {
                let _ = web_sys::Url::revoke_object_url(&url);
            })
            .forget();
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

/// The value stored under `key` in the page's localStorage (`None` when absent, or when
/// the browser refuses storage).
pub fn storage_get(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = key;
        None
    }
}

/// Stores `value` under `key` in localStorage (nothing when the browser refuses).
pub fn storage_set(key: &str, value: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (key, value);
}

/// Whether the CSS media query `query` matches now (`false` natively).
pub fn media_matches(query: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.match_media(query).ok().flatten()).is_some_and(|m| m.matches())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = query;
        false
    }
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// The element that had focus when the modal dialog opened: focus returns there.
    static OPENER: std::cell::RefCell<Option<web_sys::HtmlElement>> = const { std::cell::RefCell::new(None) };
}

/// Opens the `<dialog>` with id `id` as a modal (`showModal`: the rest of the page is
/// inert, Escape closes it), remembering the focused element for [`restore_focus`].
pub fn show_modal(id: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(dialog) = document.get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlDialogElement>().ok())
        else {
            return;
        };
        if dialog.open() {
            return;
        }
        let opener = document.active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        OPENER.with(|o| *o.borrow_mut() = opener);
        let _ = dialog.show_modal();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Gives focus back to the element that had it when the last modal dialog opened (if
/// it is still in the page).
pub fn restore_focus() {
    #[cfg(target_arch = "wasm32")]
    if let Some(opener) = OPENER.with(|o| o.borrow_mut().take()) {
        if opener.is_connected() {
            let _ = opener.focus();
        }
    }
}
