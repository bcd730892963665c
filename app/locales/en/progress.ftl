# Progress: dashboard, progress bars, mark-complete button, cohorts and the
# instructor pages.

# Progress bars ("3 of 8 · 37 %")
progress-all-lessons = All lessons
progress-all-exercises = Exercises solved
progress-bar-text = { $done } of { $total } · { $pct } %
progress-bar-lessons-label = { $title }: { $done } of { $total } lessons done
progress-bar-exercises-label = { $title }: { $done } of { $total } exercises solved
progress-percent = { $pct } %

# Dashboard
progress-dashboard-title = Dashboard
progress-welcome = Welcome, { $name }
progress-resume = Continue where you left off:
progress-all-done = You have completed every lesson. Well done!
progress-start = Start learning
progress-your-progress = Your progress
progress-exercises = Exercises
progress-no-exercises = No exercises solved yet. Lessons with an exercise card have them.
progress-col-lesson = Lesson
progress-col-solved = Solved
progress-solved-of = { $solved } of { $total }
progress-quiz-scores = Quiz scores
progress-no-quizzes = No quizzes taken yet. Each lesson ends with one.
progress-col-best = Best score
progress-col-attempts = Attempts
progress-activity = Activity
progress-your-cohorts = Your cohorts

# Activity heatmap
progress-heatmap-summary = Active on { $active } of the last { $days } days.
progress-heatmap-title = Days active, last 12 weeks
progress-day-active = { $date }: active
progress-day-inactive = { $date }: no activity

# Mark-complete button on a lesson
progress-mark-completed = ✓ You completed this lesson.
progress-mark-prompt = Finished reading?
progress-mark-undo = Mark as not done
progress-mark-complete = Mark as complete

# Joining a cohort (account page)
progress-join-heading = Join a cohort
progress-joined = You joined the cohort.
progress-invite-code = Invite code
progress-join = Join

# Instructor: cohorts
progress-teach-title = Teach
progress-create-heading = Create a cohort
progress-cohort-name = Name
progress-cohort-name-placeholder = Spring 2027 evening class
progress-create-cohort = Create cohort
progress-no-cohorts = No cohorts yet. Create one below and share its invite code.
# After the cohort's name and " · "; followed by the code.
progress-cohort-summary =
    { $count ->
        [one] { $n } learner
       *[other] { $n } learners
    } · invite code

# Instructor: a cohort's matrix
progress-breadcrumb = Breadcrumb
progress-cohorts = Cohorts
# Between the invite code and the registration address.
progress-invite-how = — learners enter it when registering or on their account page, or follow
progress-download-csv = Download CSV
progress-quiz-stats = Quiz statistics and essays
progress-sort-by = Sort by:
progress-sort-name = name
progress-sort-progress = progress
progress-sort-idle = days inactive
progress-no-learners = No learners have joined yet.
progress-matrix-legend = Learners by lesson: ✓ done, ○ visited, · not started; quiz best score in percent
progress-col-learner = Learner
progress-col-done = Done
progress-col-inactive = Inactive
progress-idle-days = { $days } d
progress-never-active = never active
progress-completion = Completion
progress-completion-percent = { $pct }%
# Text alternatives of the matrix marks ✓ ○ ·
progress-status-done = done
progress-status-visited = visited
progress-status-not-started = not started
