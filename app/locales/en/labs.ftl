# Exercises: the exercise page, its lab and the result of a run.
labs-title = Exercise: { $title }
labs-breadcrumb = Breadcrumb
labs-exercise = Exercise
labs-kind-sql = SQL exercise
labs-kind-http = HTTP exercise
labs-solved = Solved
labs-not-solved-yet = Not solved yet · { $count ->
    [one] { $count } try
   *[other] { $count } tries
}
labs-not-tried = Not tried yet
labs-sql-label = Your SQL
labs-run-check = Run and check
labs-http-label = A raw HTTP request to your lab
labs-send = Send request
labs-check = Check my work
labs-lab-heading = Your lab
# Followed by the lab's address (code), then labs-lab-api-after.
labs-lab-api = Your practice API:
labs-lab-api-after = . Send requests with your own client, for example:
labs-lab-raw-help = Or write a raw request below (paths are relative to your lab) and send it from this page.
labs-lab-history = Requests so far
labs-lab-none = None yet.
labs-lab-reset = Start over (clear the lab)
labs-ctrl-enter = Ctrl+Enter runs it when JavaScript is on.
labs-sign-in-to-run = Sign in to run this exercise
labs-sign-in-note = Runs are checked on the server and count towards your progress.
labs-hints = Hints
labs-no-hints = This exercise has no hints.
labs-hint-prompt = Stuck? Reveal a hint, one at a time.
labs-show-hint = Show a hint ({ $count } left)
labs-solution = Solution
labs-show-solution = Show the reference solution
labs-back = Back to the lesson
labs-next = Next exercise: { $title }

# The result of a run
labs-run-response = Response
labs-run-passed = Passed
labs-run-not-yet = Not yet
labs-rows-truncated = Showing the first { $count } rows; there are more.
labs-rows = { $count ->
    [one] { $count } row
   *[other] { $count } rows
}
