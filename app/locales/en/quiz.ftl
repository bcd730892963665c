# The quiz at the end of a lesson, its result, past attempts and the
# instructors' review.
quiz-heading = Check your understanding
quiz-visitor-before = You can take the quiz without an account;
quiz-visitor-link = sign in
quiz-visitor-after = to keep your score.
quiz-rules-pass-mark = Pass mark { $mark } %.
quiz-rules-reveal-after-attempt = Right answers and feedback are shown after each attempt.
quiz-rules-reveal-after-pass = Right answers and feedback are shown once you pass.
quiz-rules-reveal-never = Right answers are not shown; you see your score.
quiz-rules-attempts = You have { $count } { $count ->
        [one] attempt
       *[other] attempts
    }.
quiz-question-number = Question { $n }
quiz-true = True
quiz-false = False
quiz-select-all = Select all that apply.
quiz-your-answer = Your answer
quiz-your-answer-number = Your answer (a number)
quiz-essay-help = An instructor marks this answer.
quiz-submit = Submit answers

# Quiz page and attempts
quiz-page-title = Quiz: { $title }
quiz-breadcrumb = Breadcrumb
quiz-breadcrumb-lessons = Lessons
quiz-breadcrumb-quiz = Quiz
quiz-sign-in-to-keep = Sign in to keep your scores.
quiz-try-again = Try again
quiz-back-to-lesson = Back to the lesson
quiz-attempts-title = Quiz attempts: { $title }
quiz-breadcrumb-attempts = Quiz attempts
quiz-attempts-col-when = When (UTC)
quiz-attempts-col-score = Score
quiz-attempts-col-result = Result
quiz-attempt-passed = passed
quiz-attempt-not-passed = not passed
quiz-your-attempts = Your attempts
quiz-no-attempts = No attempts yet.
quiz-take-again = Take the quiz again

# The result
quiz-result-score = Your score: { $percent } %
quiz-result-passed = Passed (pass mark { $mark } %). The lesson is marked complete.
quiz-result-not-passed = Not passed yet: the pass mark is { $mark } %. Review the lesson and try again.
quiz-result-keys-hidden-after-attempt = Right answers and feedback are not shown for this attempt (this lesson's quiz shows them after every attempt).
quiz-result-keys-hidden-after-pass = Right answers and feedback are not shown for this attempt (this lesson's quiz shows them once you pass while signed in).
quiz-result-keys-hidden-never = Right answers and feedback are not shown for this attempt (this lesson's quiz shows them never).
quiz-result-keys-hidden-later = Right answers and feedback are not shown for this attempt (this lesson's quiz shows them later).
quiz-result-keys-hidden-other = Right answers and feedback are not shown for this attempt (this lesson's quiz shows them { $hint }).
quiz-result-essay = — essay, marked by an instructor
quiz-result-right = — right ({ $percent } %)
quiz-result-partly-right = — partly right ({ $percent } %)
quiz-result-wrong = — wrong ({ $percent } %)
quiz-result-your-answer = Your answer: { $answer }
quiz-result-no-answer = (no answer)
quiz-result-right-answer = Right answer: { $answer }
quiz-result-waiting = Waiting for an instructor's mark.
quiz-result-instructor-mark = Instructor's mark: { $mark } %
quiz-result-instructor-comment = Instructor's comment: { $comment }

# The instructors' review of a cohort's quizzes
quiz-review-title = Quizzes: { $cohort }
quiz-breadcrumb-cohorts = Cohorts
quiz-breadcrumb-quizzes = Quizzes
quiz-review-help = Facility: the mean score on a question. Discrimination: how well the question separates learners who do well on the rest of the quiz from those who do not (correlation, as in Moodle's quiz statistics; empty when scores do not vary).
quiz-review-download = Download statistics (CSV)
quiz-review-none = No quiz attempts yet.
quiz-review-col-question = Question
quiz-review-col-type = Type
quiz-review-col-attempts = Attempts
quiz-review-col-facility = Facility
quiz-review-col-discrimination = Discrimination
quiz-review-col-wrong = Most chosen wrong answer
quiz-review-lesson = { $title } ({ $n } attempts)
quiz-review-essays = Essays
quiz-review-marked = Marked: { $mark } %
quiz-review-not-marked = Not marked yet.
quiz-review-mark-label = Mark (%)
quiz-review-comment-label = Comment
quiz-review-save-mark = Save mark
