# The shell around every page: navigation, footer, theme and language.
site-name = Backend Academy
skip-to-content = Skip to content
nav-main = Main
nav-lessons = Lessons
nav-salaries = Salaries
nav-teach = Teach
nav-editor = Editor
nav-users = Users
nav-dashboard = Dashboard
nav-account = Account
nav-sign-in = Sign in
nav-sign-out = Sign out
footer-about = Backend Academy — an open, self-hosted curriculum for backend developers.
footer-status = Status
theme-switch-title = Switch between light and dark theme
theme-toggle = Toggle dark theme
lang-label = Language
lang-unknown = That language is not available. Choose English or Español.

# Home page
home-title = Learn backend development
home-description = A self-hosted learning portal for backend developers: lessons, quizzes, progress and salary data.
home-heading = Learn backend development, one lesson at a time
home-lead = Backend Academy is a free, self-hostable curriculum for people becoming backend developers: HTTP, databases, APIs, testing and operations, with quizzes that check your understanding and a record of your progress.
home-start = Start learning
home-who = Who it is for
home-learners = Learners
home-learners-text = Read lessons on any device — even with JavaScript off — take quizzes and pick up where you left off.
home-instructors = Instructors
home-instructors-text = Write lessons in markdown, in your editor or the browser, and follow your cohort's progress.
home-bootcamps = Bootcamps
home-bootcamps-text = Run it yourself: one binary, one SQLite file and a folder of content.

# Status pages
not-found-title = Page not found
not-found-text = There is no page at this address. It may have moved, or the link may be mistyped.
forbidden-title = Not allowed
forbidden-text = Your account does not have permission to see this page.
status-go-home = Go to the home page
status-or = or
status-browse = browse the lessons

# Forms
form-malformed = The form arrived incomplete or malformed. Please fill it in again.
form-too-large = The form is too large.
loading = Loading…
