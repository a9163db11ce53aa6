//! Entry point of the browser app: mount [`ringlab::web::app::App`] on the page's `<body>`.

fn main() {
    yew::Renderer::<ringlab::web::app::App>::new().render();
}
