//! The main screen: the actors, the ring with its pointers and flag, the overflow list
//! with the timer, the timeline scrubber, charts, counters, the event log and the
//! controls. [`Playground`] holds the [`AppModel`] (as yew's boids example holds its
//! simulation): it forwards actions to [`AppModel::update`], owns the animation-frame
//! loop, the keyboard and `hashchange` listeners and the address-bar sync, performs what
//! the share bar asks for, and draws [`AppModel::screen`]; every component draws a slice
//! of it.

use super::browser::{self, Handle};
use crate::model::export;
use crate::model::keys::action_for_key;
use crate::model::{decode_link, Action, AppModel, Clock};
use crate::web::components::actors::Actors;
use crate::web::components::charts::Charts;
use crate::web::components::compare_view::CompareView;
use crate::web::components::controls::Controls;
use crate::web::components::counters::Counters;
use crate::web::components::event_log::EventLog;
use crate::web::components::header::{explainer, header, stage_head, HeaderProps};
use crate::web::components::lesson_panel::LessonPanel;
use crate::web::components::link_banner::{link_banner, LinkBannerProps};
use crate::web::components::mail_notes::MailNotes;
use crate::web::components::overflow::{full_ring_intro, Overflow};
use crate::web::components::ring_figure::RingFigure;
use crate::web::components::seek_status::{seek_status, SeekStatusProps};
use crate::web::components::share::{ShareBar, ShareRequest};
use crate::web::components::shortcuts::Shortcuts;
use crate::web::components::slot_pools::slot_pools;
#[cfg(feature = "sweep-view")]
use crate::web::components::sweep_view::SweepView;
use crate::web::components::sweep_view::{lesson_sweep_button, sweep_toggle};
use crate::web::components::timeline::Scrubber;
use crate::web::components::trace_loader::trace_loader;
use crate::web::components::transport::{Transport, TransportProps};
#[cfg(feature = "sweep-view")]
use crate::web::sweep_pool::{self, SweepPool};
use ringlab_core::link::Decoded;
use ringlab_core::view::ViewModel;
use ringlab_core::{Scenario, Sim};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// Where the user's choice to turn the single-key shortcuts off is kept (localStorage).
const SHORTCUTS_KEY: &str = "ringlab.shortcuts";
/// The width from which the controls, the charts and the mail notes start open, and the
/// controls stand beside the stage (static/style.css uses the same 60rem).
const WIDE: &str = "(min-width: 60rem)";
/// The width from which the share bar is never folded (static/style.css: 44rem).
const NOT_PHONE: &str = "(min-width: 44rem)";
/// The shortcuts `<dialog>`'s id.
const SHORTCUTS_DIALOG: &str = "shortcuts-dialog";

pub use crate::model::format::format_ns as format_time;

/// What the first screen needs from a scenario: its title and the core's view of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub title: String,
    pub view: ViewModel,
    pub scenario: Scenario,
}

/// Parses `toml` and builds the simulation's initial view; the error is for the user.
/// (Tests only: the app itself has no TOML parser, see [`load_default`].)
#[cfg(test)]
pub fn load(toml: &str) -> Result<Loaded, String> {
    let scenario = Scenario::from_toml_str(toml).map_err(|e| format!("the scenario does not parse: {e}"))?;
    load_scenario(scenario)
}

/// Builds the simulation's initial view of `scenario`; the error is for the user.
pub fn load_scenario(scenario: Scenario) -> Result<Loaded, String> {
    let sim = Sim::new(&scenario).map_err(|e| format!("the scenario is not valid: {e}"))?;
    Ok(Loaded { title: scenario.title.clone(), view: sim.view(), scenario })
}

/// The default scenario ([`crate::DEFAULT_SCENARIO`], embedded by the core as JSON at build
/// time), loaded.
pub fn load_default() -> Result<Loaded, String> {
    let scenario = ringlab_core::Scenario::from_json_str(ringlab_core::lessons::DEFAULT_SCENARIO_JSON)
        .map_err(|e| format!("the scenario does not parse: {e}"))?;
    load_scenario(scenario)
}

#[component]
pub fn App() -> Html {
    let loaded = use_memo((), |_| load_default());
    // The share link in the address, read once; later links arrive by `hashchange`.
    let link = use_memo((), |_| Rc::new(decode_link(&browser::location_hash())));
    match &*loaded {
        Ok(_) => html! { <Playground link={(*link).clone()} /> },
        Err(message) => html! {
            <div class="app">
                { header(&HeaderProps { on_action: None }) }
                <main class="layout">
                    <section class="stage stage--error" role="alert">
                        <h2>{ "The default scenario could not be loaded" }</h2>
                        <p>{ message }</p>
                    </section>
                </main>
            </div>
        },
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct PlaygroundProps {
    /// The share link the page opened with (decoded; an empty link is the default scenario).
    pub link: Rc<Decoded>,
}

/// What the playground's scope receives: an action for the model, or a request of the
/// share bar that needs the model and the browser.
pub enum Msg {
    Act(Action),
    Share(ShareRequest),
    /// Fold or unfold the share bar (on a phone).
    ToggleShareBar,
}

/// The component that holds the app model and the browser handles that feed it.
pub struct Playground {
    model: AppModel,
    /// Made once, so that the components taking them keep equal props.
    on_action: Callback<Action>,
    on_share: Callback<ShareRequest>,
    /// The animation-frame loop: running while the model wants frames.
    frames: Option<Handle>,
    _keys: Option<Handle>,
    _hashchange: Option<Handle>,
    /// The link last scheduled for the address bar (`None` while playing), and its timer.
    address: Option<String>,
    address_timer: Option<Handle>,
    /// Whether the single-key shortcuts act (the model's setting, shared with the keyboard
    /// listener).
    shortcuts_on: Rc<Cell<bool>>,
    /// Whether the shortcuts dialog was open at the last render (to open it as a modal,
    /// and to give focus back when it closes).
    dialog_shown: bool,
    /// A wide window at start: the controls, charts and mail notes start open.
    wide: bool,
    /// The share bar unfolded (folded from the start on a phone-sized window; never
    /// folded from 44rem up, whatever this says).
    share_open: bool,
    /// The sweep's Web Workers, while a sweep runs (`sweep_pool::follow`).
    #[cfg(feature = "sweep-view")]
    sweep_pool: Option<SweepPool>,
}

impl Component for Playground {
    type Message = Msg;
    type Properties = PlaygroundProps;

    fn create(ctx: &Context<Self>) -> Self {
        let on_action = ctx.link().callback(Msg::Act);
        let mut model = AppModel::from_link(&ctx.props().link);
        #[cfg(feature = "sweep-view")]
        model.open_link_sweep(&ctx.props().link);
        #[cfg(not(feature = "sweep-view"))]
        if ctx.props().link.sweep_keys {
            super::handover::to_sweep_bundle(browser::location_hash().trim_start_matches('#'));
        }
        if browser::storage_get(SHORTCUTS_KEY).as_deref() == Some("off") {
            model.update(Action::SetShortcutsEnabled(false));
        }
        let shortcuts_on = Rc::new(Cell::new(model.screen.shortcuts_enabled));
        let keys = {
            let cb = on_action.clone();
            let on = shortcuts_on.clone();
            browser::on_keydown(move |key, target, modifiers| {
                let action = action_for_key(key, target, modifiers, on.get());
                let handled = action.is_some();
                if let Some(action) = action {
                    cb.emit(action);
                }
                handled
            })
        };
        let hashchange = {
            let cb = on_action.clone();
            browser::on_hashchange(move |hash| cb.emit(Action::OpenLink(Rc::new(decode_link(&hash)))))
        };
        let mut playground = Playground {
            model,
            on_share: ctx.link().callback(Msg::Share),
            on_action,
            frames: None,
            _keys: keys,
            _hashchange: hashchange,
            address: None,
            address_timer: None,
            shortcuts_on,
            dialog_shown: false,
            wide: browser::media_matches(WIDE),
            share_open: browser::media_matches(NOT_PHONE),
            #[cfg(feature = "sweep-view")]
            sweep_pool: None,
        };
        playground.follow_model();
        playground
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Act(action) => {
                #[cfg(not(feature = "sweep-view"))]
                if let Some(link) = self.sweep_handover(&action) {
                    super::handover::to_sweep_bundle(&link);
                    return false;
                }
                let changed = self.model.update(action);
                self.follow_model();
                changed
            }
            Msg::Share(request) => {
                self.share(request);
                false
            }
            Msg::ToggleShareBar => {
                self.share_open = !self.share_open;
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let s = &self.model.screen;
        // The clock and the counters, charts, scrubber and log: at most READOUT_MS behind
        // while playing (model::READOUT_MS).
        let readouts = &s.readouts;
        let (present, embed) = (s.present, s.embed);
        let bare = present || embed;
        html! {
            <div class={classes!("app", present.then_some("app--present"), embed.then_some("app--embed"), s.fast.then_some("app--fast"))}
                 data-testid="app" data-present={present.to_string()} data-embed={embed.to_string()}>
            if !embed {
                { header(&HeaderProps { on_action: Some(self.on_action.clone()) }) }
            }
            { link_banner(&LinkBannerProps { problems: s.link_problems.clone(), on_action: self.on_action.clone() }) }
            if !bare {
                // Folded on a phone, so that the ring and the transport fit its first screen
                // (a button, not a <details>: the bar's own "Compare, teach and export" stays
                // the page's first summary).
                <button type="button" class="btn share-toggle" aria-expanded={self.share_open.to_string()} aria-controls="share-bar"
                        onclick={ctx.link().callback(|_| Msg::ToggleShareBar)}>
                    { "Scenario, share link and exports" }
                </button>
                <div id="share-bar" class={classes!("share-wrap", (!self.share_open).then_some("share-wrap--folded"))}>
                <ShareBar on_action={self.on_action.clone()} on_share={self.on_share.clone()} lesson_name={s.lesson_name.clone()}
                          lecture_name={s.lecture.as_ref().map(|l| l.name.clone())}
                          present={present} compare={s.compare.clone()} compare_reapers={s.compare_reapers.clone()} />
                </div>
            }
            <ContextProvider<Clock> context={s.shown}>
            <main class="layout">
                // The transport and the controls first: beside the stage on a wide window,
                // above it (the controls folded) on a phone or a tablet.
                if !bare {
                    <Controls values={s.controls.clone()} error={s.error.clone()} transport={self.transport()}
                              on_action={self.on_action.clone()} open={self.wide} />
                }
                { self.stage() }
                if !embed {
                    <section class="panel panel--counters">
                        <Counters frame={readouts.counters.clone()} />
                    </section>
                }
                if !bare {
                    <section class="panel panel--log">
                        <EventLog frame={readouts.log.clone()} live={!s.playing} />
                    </section>
                }
                // While playing, the log is not a live region: this summary is, at most
                // once a second (model::live).
                <p class="sr-only" data-testid="live-summary" role="status" aria-live="polite" aria-atomic="true">
                    { &s.live_summary }
                </p>
                if s.blank {
                    <div class="blank" data-testid="blank" role="img" aria-label="Screen blanked: press b to bring it back" />
                }
            </main>
            </ContextProvider<Clock>>
            if s.shortcuts_open {
                <Shortcuts id={SHORTCUTS_DIALOG} on_action={self.on_action.clone()} enabled={s.shortcuts_enabled} />
            }
            </div>
        }
    }

    /// Opens the shortcuts dialog as a modal once it is drawn; when it is gone, gives focus
    /// back to what had it (the "Keyboard shortcuts" button, or the page).
    fn rendered(&mut self, _ctx: &Context<Self>, _first_render: bool) {
        let open = self.model.screen.shortcuts_open;
        if open != self.dialog_shown {
            self.dialog_shown = open;
            if open {
                browser::show_modal(SHORTCUTS_DIALOG);
            } else {
                browser::restore_focus();
            }
        }
    }
}

impl Playground {
    /// The sweep view, when one is open.
    #[cfg(feature = "sweep-view")]
    fn sweep_view(&self) -> Html {
        match &self.model.screen.sweep {
            Some(sweep) => html! { <SweepView sweep={sweep.clone()} on_action={self.on_action.clone()} /> },
            None => html! {},
        }
    }

    /// Built without the sweep view, this bundle never shows one (see `sweep_handover`).
    #[cfg(not(feature = "sweep-view"))]
    fn sweep_view(&self) -> Html {
        html! {}
    }

    /// Built without the sweep view: the link to open in the sweep bundle when `action`
    /// opens a sweep (a button, or a link with sweep keys arriving by `hashchange`).
    #[cfg(not(feature = "sweep-view"))]
    fn sweep_handover(&self, action: &Action) -> Option<String> {
        match action {
            Action::Sweep(a) => self.model.sweep_link(a),
            Action::OpenLink(d) if d.sweep_keys => Some(browser::location_hash().trim_start_matches('#').to_string()),
            _ => None,
        }
    }

    /// The transport's props (Play, Step, Back, speed).
    fn transport(&self) -> TransportProps {
        let s = &self.model.screen;
        TransportProps {
            playing: s.playing,
            speed: s.speed,
            at_start: s.frame.view.events == 0,
            on_action: self.on_action.clone(),
        }
    }

    /// The stage: the clock, the lesson, the actors, the ring and the list, the scrubber,
    /// the compared runs and the charts (in presenter and embed modes, with the transport
    /// and a caption instead of the panels).
    fn stage(&self) -> Html {
        let s = &self.model.screen;
        let frame = &s.frame;
        let bare = s.present || s.embed;
        // Without a lesson, the presenter's caption is the newest event (a lesson's panel
        // carries its own caption).
        let caption = frame.log.last().filter(|_| frame.lesson.is_none()).map(|l| l.text.clone());
        html! {
            <section class="stage" aria-labelledby="scenario-title">
                { stage_head(s, s.shown) }
                { seek_status(&SeekStatusProps { seeking: s.seeking.clone(), notice: s.notice.clone(), on_action: self.on_action.clone() }) }
                if !s.note.is_empty() {
                    <p class="link-note" data-testid="link-note">{ &s.note }</p>
                }
                if bare {
                    <div class="stage__transport">
                        <Transport ..self.transport() />
                        if let (Some(lesson), true) = (&frame.lesson, s.embed) {
                            <button type="button" class="btn" data-testid="lesson-next" onclick={self.on_action.reform(|_| Action::LessonNext)}>
                                { lesson.next_label() }
                            </button>
                        }
                    </div>
                }
                if s.present {
                    if let Some(text) = caption {
                        <p class="caption" data-testid="caption" aria-live="polite">{ text }</p>
                    }
                }
                if let (Some(lesson), false) = (&frame.lesson, s.embed) {
                    <LessonPanel lesson={lesson.clone()} playing={s.playing} present={s.present} on_action={self.on_action.clone()} />
                    { lesson_sweep_button(s, &self.on_action) }
                }
                <Actors frame={frame.clone()} />
                <div class="stage__core">
                    <RingFigure frame={frame.clone()} />
                    <div class="stage__side">
                        // aio's slot pools (nothing for the other models) first: what its lessons are about.
                        { slot_pools(frame) }
                        <Overflow frame={frame.clone()} />
                        if !bare {
                            <MailNotes scenario={s.scenario.0.clone()} open={self.wide} />
                        }
                    </div>
                </div>
                // After the picture (so that the ring is on the first screen of a phone).
                if !bare {
                    if frame.view.has_overflow_list { { explainer() } } else { { full_ring_intro(frame.view.model) } }
                    { trace_loader(&s.scenario, &s.trace, &self.on_action) }
                }
                <Scrubber frame={s.readouts.scrubber.clone()} now_ns={s.shown.now_ns} on_action={self.on_action.clone()} />
                <CompareView comparison={s.comparison.clone()} />
                // Beside the compared runs, below the ring (the first screen stays the ring's).
                if !bare {
                    { sweep_toggle(s, &self.on_action) }
                }
                { self.sweep_view() }
                if !bare {
                    <details class="fold fold--charts" open={self.wide}>
                        <summary>{ "Charts" }</summary>
                        <Charts frame={s.readouts.charts.clone()} />
                    </details>
                }
            </section>
        }
    }
}

impl Playground {
    /// Starts or stops the animation frames, and keeps the address's fragment in step
    /// with the model (debounced, and only while paused, so playing never floods the
    /// history).
    fn follow_model(&mut self) {
        let on = self.model.screen.shortcuts_enabled;
        if on != self.shortcuts_on.get() {
            self.shortcuts_on.set(on);
            browser::storage_set(SHORTCUTS_KEY, if on { "on" } else { "off" });
        }
        if !self.model.wants_frames() {
            self.frames = None;
        } else if self.frames.is_none() {
            let cb = self.on_action.clone();
            self.frames = browser::every_frame(move |ms| cb.emit(Action::Tick(ms)));
        }
        #[cfg(feature = "sweep-view")]
        {
            let cb = self.on_action.clone();
            let sweep = self.model.screen.sweep.as_deref();
            let animating = self.model.wants_frames();
            sweep_pool::follow(&mut self.sweep_pool, sweep, animating, move |cells| {
                cb.emit(Action::Sweep(crate::model::sweep::SweepAction::Cells(Rc::new(cells))))
            });
        }
        let address = (!self.model.screen.playing).then(|| self.model.address_link());
        if address != self.address {
            self.address = address.clone();
            self.address_timer = address.and_then(|link| {
                browser::after_ms(300, move || {
                    if browser::location_hash().trim_start_matches('#') != link {
                        browser::replace_fragment(&link);
                    }
                })
            });
        }
    }

    /// What the share bar asked for: the link copied or drawn as a QR code, or an export.
    fn share(&self, request: ShareRequest) {
        // With the sweep's keys while the sweep view shows the run's own scenario.
        let link = self.model.address_link();
        let frame = &self.model.screen.frame;
        let name = |ext: &str| export::file_name(frame.view.model.name(), &frame.run_hash, ext);
        match request {
            ShareRequest::CopyLink(done) => {
                let url = browser::url_with_fragment(&link);
                browser::replace_fragment(&link);
                let fallback = url.clone();
                browser::copy_text(
                    url,
                    Callback::from(move |ok: bool| done.emit(if ok { Ok(()) } else { Err(fallback.clone()) })),
                );
            }
            ShareRequest::Qr(done) => {
                let url = browser::url_with_fragment(&link);
                done.emit(export::qr_svg(&url).map(|svg| export::svg_data_url(&svg)).unwrap_or_default());
            }
            ShareRequest::TraceCsv => {
                browser::download(&name("csv"), "text/csv", &export::trace_csv(self.model.trace().events()))
            }
            ShareRequest::TraceJson => {
                browser::download(&name("json"), "application/json", &export::trace_json(self.model.trace().events()))
            }
            ShareRequest::RingSvg => {
                if let Some(svg) = browser::outer_html("ring") {
                    browser::download(&name("svg"), "image/svg+xml", &export::standalone_svg(&svg));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DEFAULT_SCENARIO;

    #[test]
    fn the_default_scenario_loads() {
        assert_eq!(load_default(), load(DEFAULT_SCENARIO));
        let loaded = load(DEFAULT_SCENARIO).expect("the default scenario loads");
        assert!(!loaded.title.is_empty());
        assert_eq!(loaded.view.ring.slots.len() as u32, loaded.view.ring.entries);
    }

    #[test]
    fn a_broken_scenario_is_an_error_not_a_panic() {
        assert!(load("this is = = not toml").is_err());
    }
}
