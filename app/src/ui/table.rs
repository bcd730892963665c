//! A data table that scrolls sideways on a narrow screen instead of
//! widening the page (phones are most of the readers).

use leptos::prelude::*;

/// `<table>` inside a horizontally scrolling box: `head` is its `<thead>`
/// (and caption), `children` the `<tbody>` rows.
#[component]
pub fn ScrollTable(
    head: AnyView,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] id: String,
    children: Children,
) -> impl IntoView {
    let id = (!id.is_empty()).then_some(id);
    view! {
        <div class="table-scroll">
            <table class=class id=id>
                {head}
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
