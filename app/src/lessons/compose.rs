//! Signed-in lesson pages, composed from a cached skeleton.
//!
//! Most page views come from signed-in learners, and a lesson page is the
//! same for all of them but for two parts: the quiz form (its attempt token
//! and draw) and the progress section (done or not, exercises solved).
//! Rendering the whole page per request through Leptos' reactive machinery
//! (resources, `Suspense`, the router) held it at a fraction of the cached
//! visitor page. So the page is rendered once per (path, theme, language,
//! role, content version) with those two parts left as [`slot`]s, kept as
//! a [`Skeleton`], and each request renders only the learner's two parts
//! ([`LearnerParts::render`]) and joins the pieces.
//!
//! Everything outside the slots depends on nothing but the key: the header
//! shows links by role only, the lesson by language and role (drafts,
//! the edit link). The slots' contents come from the same components the
//! full render uses, so both give the same HTML (tested in
//! `server/tests/perf_compose.rs`).

use leptos::prelude::*;

/// The two per-learner parts of a lesson page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Quiz,
    Progress,
}

impl Slot {
    fn name(self) -> &'static str {
        match self {
            Slot::Quiz => "quiz",
            Slot::Progress => "progress",
        }
    }
}

/// Put on a request (by the server's composing middleware) whose page
/// should be rendered as a skeleton.
#[derive(Clone, Copy, Debug)]
pub struct WantSlots;

/// Whether the page being rendered is a skeleton (see [`WantSlots`]).
pub fn slots_wanted() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .is_some_and(|p| p.extensions.get::<WantSlots>().is_some())
    }
    #[cfg(not(feature = "ssr"))]
    false
}

/// The placeholder element of `slot`, unique to this process so that no
/// lesson text can spell it (the sanitizer drops `data-` attributes
/// anyway).
pub fn slot(slot: Slot) -> impl IntoView {
    view! { <div data-academy-slot=marker_value(slot)></div> }
}

fn marker_value(slot: Slot) -> String {
    #[cfg(feature = "ssr")]
    {
        static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let token = TOKEN.get_or_init(crate::common::random::hex::<8>);
        format!("{}-{token}", slot.name())
    }
    #[cfg(not(feature = "ssr"))]
    slot.name().to_string()
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use std::sync::Arc;

    use super::{marker_value, Slot};
    use crate::{
        auth::model::User,
        error::AppError,
        i18n::Lang,
        lessons::{model::Lesson, pages::LessonProgress},
        state::AppState,
    };
    use leptos::prelude::*;

    /// A rendered signed-in lesson page cut at its two slots.
    #[derive(Clone, Debug)]
    pub struct Skeleton {
        /// Before the quiz slot, between the slots, after the progress slot.
        pieces: [Arc<str>; 3],
    }

    impl Skeleton {
        /// Cuts a page rendered with slots; `None` if it lacks either (a
        /// "not found", a redirect: such pages are never kept).
        pub fn cut(html: &str) -> Option<Skeleton> {
            let quiz = format!(
                "<div data-academy-slot=\"{}\"></div>",
                marker_value(Slot::Quiz)
            );
            let progress = format!(
                "<div data-academy-slot=\"{}\"></div>",
                marker_value(Slot::Progress)
            );
            let (head, rest) = html.split_once(&quiz)?;
            let (middle, tail) = rest.split_once(&progress)?;
            if tail.contains(&quiz) || tail.contains(&progress) || middle.contains(&quiz) {
                return None;
            }
            Some(Skeleton {
                pieces: [head.into(), middle.into(), tail.into()],
            })
        }

        /// The page with `parts` in its slots.
        pub fn fill(&self, parts: &RenderedParts) -> String {
            let [a, b, c] = &self.pieces;
            let mut out = String::with_capacity(
                a.len() + b.len() + c.len() + parts.quiz.len() + parts.progress.len(),
            );
            out.push_str(a);
            out.push_str(&parts.quiz);
            out.push_str(b);
            out.push_str(&parts.progress);
            out.push_str(c);
            out
        }
    }

    /// What a learner's slots show of one lesson.
    #[derive(Clone, Debug, PartialEq)]
    pub struct LearnerParts {
        pub lesson: Arc<Lesson>,
        /// The quiz form's attempt token (`None`: no quiz).
        pub attempt: Option<String>,
        pub done: bool,
        pub solved: Option<crate::labs::model::Solved>,
    }

    /// The slots' HTML.
    #[derive(Clone, Debug, Default)]
    pub struct RenderedParts {
        pub quiz: Arc<str>,
        pub progress: Arc<str>,
    }

    /// What a slot's HTML depends on, and nothing else: a quiz form on the
    /// lesson, the language and the attempt token (which fixes the draw);
    /// the progress part on the lesson, the language, done and solved (a
    /// few variants per lesson, shared by every learner).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    enum FragmentKey {
        Quiz {
            lesson: String,
            lang: Lang,
            attempt: String,
        },
        Progress {
            lesson: String,
            lang: Lang,
            done: bool,
            solved: Option<crate::labs::model::Solved>,
        },
    }

    /// Most fragments kept; then the cache starts over (bounded memory). A
    /// quiz form is 5–15 KB: 2,000 of them are the current attempt of as
    /// many (learner, lesson) pairs, in at most ~30 MB. Starting over costs
    /// one render per pair (a few hundred µs). At 20,000 the mixed load's
    /// ever-new attempts held the process at 97 MB after 60 s.
    const MAX_FRAGMENTS: usize = 2_000;

    /// Rendered slot contents of one content version. Rendering a quiz form
    /// was most of a composed page's cost (profiled: 46 % of CPU, the
    /// draw, the views and a copy of the lesson), and a learner re-reading
    /// a lesson, or the next learner who has done it, asks for the same
    /// HTML again.
    /// The fragments of one content version.
    type FragmentMap = (u64, std::collections::HashMap<FragmentKey, Arc<str>>);

    #[derive(Clone, Default)]
    pub struct Fragments {
        inner: Arc<std::sync::Mutex<FragmentMap>>,
    }

    impl Fragments {
        fn get(&self, version: u64, key: &FragmentKey) -> Option<Arc<str>> {
            let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            (guard.0 == version)
                .then(|| guard.1.get(key).cloned())
                .flatten()
        }

        fn put(&self, version: u64, key: FragmentKey, html: Arc<str>) {
            let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            if guard.0 != version || guard.1.len() >= MAX_FRAGMENTS {
                guard.0 = version;
                guard.1.clear();
            }
            guard.1.insert(key, html);
        }
    }

    /// Reads what `user`'s slots of `lesson` (as shown in the reader's
    /// language) show, from the learner's cached records, and records the
    /// visit, as the full page does.
    pub async fn learner_parts(
        state: &AppState,
        user: &User,
        lesson: Arc<Lesson>,
    ) -> Result<LearnerParts, AppError> {
        let learner = state.progress.learner(user.id).await?;
        let id = &lesson.meta.id;
        let attempt = match lesson.quiz {
            Some(_) => Some(crate::quiz::service::attempt_token(state, Some(user), id).await?),
            None => None,
        };
        let solved = (!lesson.exercises.is_empty())
            .then(|| crate::labs::service::solved_in(&learner, &lesson));
        state.progress.visit(user.id, id);
        Ok(LearnerParts {
            done: learner.completed.contains(id),
            attempt,
            solved,
            lesson,
        })
    }

    impl LearnerParts {
        /// The two slots' HTML: from `fragments` when rendered before for
        /// content `version`, else rendered with the components the full
        /// page uses, outside the router (plain views, no resources), and
        /// kept. `request` is the request's parts (the signed-in user, the
        /// headers), given to the components as the page gets them.
        pub fn render(
            self,
            state: &AppState,
            request: &http::request::Parts,
            lang: Lang,
            fragments: &Fragments,
            version: u64,
        ) -> RenderedParts {
            let LearnerParts {
                lesson,
                attempt,
                done,
                solved,
            } = self;
            let progress_key = FragmentKey::Progress {
                lesson: lesson.meta.id.clone(),
                lang,
                done,
                solved,
            };
            let quiz_key = attempt.clone().map(|attempt| FragmentKey::Quiz {
                lesson: lesson.meta.id.clone(),
                lang,
                attempt,
            });
            let progress = fragments.get(version, &progress_key);
            let quiz = match &quiz_key {
                Some(key) => fragments.get(version, key),
                None => Some(Arc::from("")),
            };
            if let (Some(quiz), Some(progress)) = (&quiz, &progress) {
                return RenderedParts {
                    quiz: quiz.clone(),
                    progress: progress.clone(),
                };
            }
            // A root with a server-side shared context, as leptos_axum
            // gives a page: islands with children need one.
            let owner = Owner::new_root(Some(Arc::new(hydration_context::SsrSharedContext::new())));
            owner.with(|| {
                provide_context(state.clone());
                provide_context(request.clone());
                provide_context(lang);
                let progress = progress.unwrap_or_else(|| {
                    let html: Arc<str> = view! {
                        <LessonProgress
                            lesson_id=lesson.meta.id.clone()
                            done
                            solved
                            required=lesson.requires_exercises
                        />
                    }
                    .to_html()
                    .into();
                    fragments.put(version, progress_key, html.clone());
                    html
                });
                let quiz = quiz.unwrap_or_else(|| {
                    let (Some(key), Some(attempt)) = (quiz_key, attempt) else {
                        return Arc::from("");
                    };
                    let html: Arc<str> = view! {
                        <crate::quiz::pages::QuizBody lesson=(*lesson).clone() attempt />
                    }
                    .to_html()
                    .into();
                    fragments.put(version, key, html.clone());
                    html
                });
                RenderedParts { quiz, progress }
            })
        }
    }
}
