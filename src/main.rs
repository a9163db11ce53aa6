//! Entry point of the browser app: mount [`ringlab::app::App`] on the page's `<body>`.

fn main() {
    yew::Renderer::<ringlab::app::App>::new().render();
}
