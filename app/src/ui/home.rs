use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The landing page: what the portal is and who it is for.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Learn backend development" />
        <Meta
            name="description"
            content="A self-hosted learning portal for backend developers: lessons, quizzes, progress and salary data."
        />
        <section class="hero">
            <h1>"Learn backend development, one lesson at a time"</h1>
            <p class="lead">
                "Backend Academy is a free, self-hostable curriculum for people becoming backend "
                "developers: HTTP, databases, APIs, testing and operations, with quizzes that "
                "check your understanding and a record of your progress."
            </p>
            <p><a class="button" href="/lessons">"Start learning"</a></p>
        </section>
        <section class="audience" aria-labelledby="who">
            <h2 id="who">"Who it is for"</h2>
            <ul class="cards">
                <li class="card">
                    <h3>"Learners"</h3>
                    <p>"Read lessons on any device — even with JavaScript off — take quizzes and pick up where you left off."</p>
                </li>
                <li class="card">
                    <h3>"Instructors"</h3>
                    <p>"Write lessons in markdown, in your editor or the browser, and follow your cohort's progress."</p>
                </li>
                <li class="card">
                    <h3>"Bootcamps"</h3>
                    <p>"Run it yourself: one binary, one SQLite file and a folder of content."</p>
                </li>
            </ul>
        </section>
    }
}
