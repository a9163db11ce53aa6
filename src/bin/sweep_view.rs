//! The app with its sweep view (index.html: `data-bin="sweep_view"`, default features):
//! loaded by the first bundle when a sweep is opened (src/web/handover.rs), it opens the
//! link that bundle left in the address.

fn main() {
    ringlab::web::handover::arrived();
    yew::Renderer::<ringlab::web::app::App>::new().render();
}
