use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::t;

/// The landing page: what the portal is and who it is for.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=t!("home-title") />
        <Meta
            name="description"
            content=t!("home-description")
        />
        <section class="hero">
            <h1>{t!("home-heading")}</h1>
            <p class="lead">{t!("home-lead")}</p>
            <p><a class="button" href="/lessons">{t!("home-start")}</a></p>
        </section>
        <section class="audience" aria-labelledby="who">
            <h2 id="who">{t!("home-who")}</h2>
            <ul class="cards">
                <li class="card">
                    <h3>{t!("home-learners")}</h3>
                    <p>{t!("home-learners-text")}</p>
                </li>
                <li class="card">
                    <h3>{t!("home-instructors")}</h3>
                    <p>{t!("home-instructors-text")}</p>
                </li>
                <li class="card">
                    <h3>{t!("home-bootcamps")}</h3>
                    <p>{t!("home-bootcamps-text")}</p>
                </li>
            </ul>
        </section>
    }
}
