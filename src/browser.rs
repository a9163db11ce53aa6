//! The few browser calls the share link and the exports need: the URL fragment, the
//! history entry, `hashchange`, the clipboard and downloads. Each is a thin wrapper over
//! web-sys; on other targets (native tests) they do nothing.

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

/// Calls `f` with the new fragment whenever the user changes it (a pasted link).
#[cfg(target_arch = "wasm32")]
pub fn on_hashchange(f: impl Fn(String) + 'static) -> Option<gloo_events::EventListener> {
    let window = web_sys::window()?;
    Some(gloo_events::EventListener::new(&window, "hashchange", move |_| f(location_hash())))
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
