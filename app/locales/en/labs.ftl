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

# Verdicts of a run
labs-verdict-sent = Sent. Check your work when the history shows what the exercise asks for.
labs-verdict-stopped = Not yet: the run stopped before it could be checked.
labs-verdict-no-rows = Your SQL ran but returned no rows to compare: end it with a SELECT.
labs-verdict-probe-not-run = The check's query did not run.
labs-verdict-correct = Correct: your result matches the expected one.
labs-verdict-order = The rows are right, but not in the order the exercise asks for.
# $what is labs-what-result or labs-what-probe.
labs-what-result = Your result
labs-what-probe = After your script, the check's query
labs-verdict-too-many-rows = { $what } returned more than { $max } rows; the expected result has { $expected ->
    [one] { $expected } row
   *[other] { $expected } rows
}.
labs-verdict-columns = { $what } has { $got ->
    [one] { $got } column
   *[other] { $got } columns
}; the expected result has { $expected ->
    [one] { $expected } column
   *[other] { $expected } columns
}.
labs-verdict-rows = { $what } has { $got ->
    [one] { $got } row
   *[other] { $got } rows
}; the expected result has { $expected ->
    [one] { $expected } row
   *[other] { $expected } rows
}.
labs-verdict-missing = { $count ->
    [one] { $count } row of the expected result is missing from yours, and yours has { $count } row that should not be there.
   *[other] { $count } rows of the expected result are missing from yours, and yours has { $count } rows that should not be there.
}
labs-verdict-plan-missing = The query plan does not show "{ $text }" yet: the query still does not use the access path the exercise asks for.
labs-verdict-plan-excluded = The query plan still shows "{ $text }".
labs-verdict-plan-correct = Correct: the query plan uses the access path the exercise asks for.
# The error of a run (the database's own message follows).
labs-probe-failed = After your script, the check's query failed: { $reason }
# Why a reference solution fails (for authors).
labs-dataset-fails = the dataset does not load: { $reason }
labs-probe-fails = the probe fails: { $reason }
labs-reference-not-passing = the reference solution does not pass: { $verdict }

# HTTP exercises: which step is missing. $what is a step described with
# the labs-step-* messages below, e.g. "POST /items answered 201 with Location".
labs-step-missing = Step { $step } of { $total } is still missing: { $what }.
labs-step-found = The step was found in your requests.
labs-steps-found = All { $count } steps were found in your requests, in order.
labs-step-method = a { $method } request
labs-step-path = a request to { $path }
labs-step-any = a request
# Joins header names: "ETag and Location".
labs-step-and = { " and " }
labs-step-sending = { $request } sending { $headers }
labs-step-status = { $request } answered { $status }
labs-step-status-with = { $request } with { $headers }
labs-step-answered-with = { $request } answered with { $headers }

# While the solution is hidden
labs-solution-after-pass = The solution is shown once you pass.
labs-solution-after-tries = The solution is shown once you pass or after { $count } tries.
labs-solution-never = This exercise's solution is not shown.

# Why a raw HTTP request cannot be read (after err-request-unreadable).
labs-raw-too-long = The request is longer than { $raw } KiB; a lab accepts bodies up to { $body } KiB.
labs-raw-empty = Write a request first, for example: GET /items HTTP/1.1
labs-raw-head-too-long = The request line and headers are longer than { $kib } KiB.
labs-raw-first-line = The first line must be a method, a path and optionally the version, for example: GET /items HTTP/1.1
labs-raw-header-line = Each line after the first must be a header, `Name: value` (a name is letters, digits and -), until a blank line before the body.
labs-raw-header-char = A header value holds a character headers cannot.
labs-raw-version = Only HTTP/1.1 is understood here: end the first line with HTTP/1.1, or leave the version out.
labs-raw-too-many-headers = A request here has at most { $max } headers.
# $name is the header name in quotes.
labs-raw-header-name = { $name } is not a header name.
labs-raw-header-value = The value of { $name } has a character a header cannot hold.
labs-raw-transfer-encoding = Transfer-Encoding is not supported here: write the body as it is (Content-Length is optional).
labs-raw-length-nan = Content-Length must be a number of bytes.
labs-raw-length-short = Content-Length says { $said } bytes, but the body has only { $has }. Fix the number, or leave Content-Length out.
# $own is labs-raw-own-lab.
labs-raw-own-lab = This form sends requests to your own lab only: write the path as /items, or as /lab/{ $token }/items.
labs-raw-full-url = Write the path only, not a full URL. { $own }
labs-raw-path-slash = The path must start with /. { $own }
labs-raw-not-your-lab = That is not your lab's path. { $own }

# Why a SQL run stopped (shown as the run's error). $why and $message come
# from the sandbox and SQLite, in English.
labs-run-time-limit = Stopped: the query ran longer than the { $ms } ms a run may take.
labs-run-too-large = Stopped: the result is larger than the { $kb } KB a run may return.
labs-run-out-of-memory = Stopped: the query needed more memory than a run may use ({ $mb } MB).
labs-run-refused = Not allowed here: { $why }.
labs-run-sql-error = SQLite error: { $message }

# Marking a lesson complete before its exercises are solved.
labs-complete-needs-exercises = This lesson is complete once its exercises are solved: { $solved } of { $total } so far.
