//! Entry point of the browser app: mount [`ringlab::web::app::App`] on the page's `<body>`.
//! index.html builds this bin without the sweep view (`sweep-view` feature off): opening a
//! sweep hands the page over to the `sweep_view` bundle (src/web/handover.rs).

fn main() {
    ringlab::web::handover::keep(yew::Renderer::<ringlab::web::app::App>::new().render());
}
