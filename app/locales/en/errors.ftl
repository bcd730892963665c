# Sentences of refused requests (AppError), shown in form error boxes and by
# islands. The English text must stay exactly the sentence the code raises:
# `i18n::sentence` finds the key by it. (form-malformed and form-too-large,
# in common.ftl, are two more.)

## The fixed errors
err-unauthorized = Please sign in to continue.
err-bad-credentials = That email and password do not match an account.
err-forbidden = You do not have permission to do that.
err-internal = Something went wrong on our side. Nothing was saved; please try again.
err-unreachable = The server could not be reached. Check your connection and try again.

## Not found
err-no-such-attempt = There is no such attempt.
err-no-such-cohort = There is no such cohort.
err-no-such-essay = There is no such essay answer in this cohort.
err-no-such-exercise = There is no such exercise.
err-no-such-lesson = There is no such lesson.
err-no-such-quiz = There is no such quiz.
err-no-such-revision = There is no such revision.
err-no-such-user = There is no such user.
err-no-such-track = There is no such track.
err-unknown-lesson = Unknown lesson.

## Accounts, sign-in and two-factor
err-email-taken = An account with this email already exists. Sign in instead, or use another email.
err-invite-needed = Registration needs an invite code from your instructor.
err-invite-invalid = That invite code is not valid. Check it with your instructor.
err-account-disabled = This account has been disabled by an administrator. Ask them to enable it.
err-current-password-wrong = Your current password is not right.
err-password-wrong-2fa-stays = Your password is not right; two-factor sign-in stays on.
err-not-your-password = That is not your password (or a current code of your authenticator); nothing was deleted.
err-reset-not-set-up = Password reset by email is not set up here; ask an administrator for a reset link.
err-reset-link-unusable = This reset link cannot be used: it was used already, it is older than 24 hours, or it was copied incompletely. Ask for a new one.
err-session-ended = That session has ended already, or is not yours.
err-own-account = You cannot do that to your own account here; use your account page or ask another admin.
err-own-role = You cannot change your own role; ask another admin (this keeps at least one admin).
err-confirm-delete = Tick the box to confirm: deleting cannot be undone.
err-no-host = The request has no Host header.
err-mfa-required = Your role must use two-factor sign-in: turn it on at /account/2fa first.
err-2fa-already-on = Two-factor sign-in is already on for this account.
err-2fa-no-secret = Open the two-factor page again to get a secret first.
err-2fa-secret-changed = The secret changed meanwhile. Open the two-factor page again.
err-2fa-code-wrong-clock = That code is not right. Type the 6-digit code your app shows now (check that your phone's clock is right).
err-2fa-code-wrong = That code is not right. Type the 6-digit code your app shows now, or an unused recovery code.
err-2fa-code-used = That code was already used. Wait for the next code in your app and type it.
err-2fa-expired = Your sign-in waited too long for the code (5 minutes) or was not started. Sign in again with your password.

## Progress and cohorts
err-cohort-name = Give the cohort a name of 1 to 100 characters.
err-done-or-not = The form asked for neither done nor not done.

## Quizzes
err-quiz-form-too-large = The quiz form is too large.
err-quiz-form-malformed = The quiz form arrived malformed. Reload the quiz and try again.
err-quiz-no-token = The quiz form is missing its attempt token. Reload the quiz and try again.
err-quiz-unknown-field = The form mentions a question this quiz does not have. Reload the quiz and try again.
err-mark-range = A mark is a percentage from 0 to 100.
err-comment-too-long = The comment is too long (at most 2,000 characters).

## Exercises
err-exercise-unknown-action = The form asked for something this page does not do. Reload it and try again.
err-exercise-wrong-button = That button does not belong to this exercise. Reload the page.
err-exercise-empty-answer = The answer box is empty: write a query, then run it.
err-exercise-no-result = That action has no result to show.
err-exercise-busy = You already have a run in progress. Wait for it to finish.

## Editor
err-text-too-large = The text is too large (at most 1 MiB).
err-not-saved-problems = Not saved: fix the problems listed below first. Your text is kept.
err-not-saved-conflict = Not saved: this lesson changed since you opened it (another save or an edit on disk). Both versions are below; nothing was overwritten.
err-bank-errors = The question bank has errors (listed below); nothing was imported.
err-revision-unloadable = That revision no longer loads (for example, its id is now used by another lesson).
err-bad-name = Names may use lowercase letters, digits and hyphens only (at most 64 characters).
err-path-outside = That path is outside the content folder.
err-upload-not-multipart = Send the image as a file upload form.
err-upload-cut-off = The upload was cut off or is larger than 2 MB.
err-upload-no-file = Choose an image file to upload.
err-upload-too-large = Images may be at most 2 MB.
err-upload-type = Only PNG, JPEG, WebP and GIF images are accepted (checked from the file's content).

## Salaries
err-selection-too-long = The selection is too long.
err-selection-unreadable = The selection could not be read.

## Sentences with values (built where they are raised, with t!)
err-lesson-exists = A lesson named `{ $slug }` already exists in this track.
err-track-exists = A track named `{ $slug }` already exists.
# $what is "lesson" or "track".
err-title-length = Give the { $what } a title of 1 to 120 characters.
err-email-too-long = An email address has at most { $max } characters.
# $why is err-too-many-sign-ins or err-too-many-wrong-passwords.
err-locked-try-again = { $why } Try again in { $minutes } minutes.
err-too-many-sign-ins = Too many failed sign-ins for this email.
err-too-many-wrong-passwords = Too many wrong passwords for this account.
err-quiz-attempts-used = You have used all { $max } attempts at this quiz.
err-quiz-forged = The answer to question { $question } is not one of its choices. Reload the quiz and try again.
err-quiz-duplicate = Question { $question } was answered twice. Reload the quiz and try again.
err-quiz-answer-too-long = The answer to question { $question } is too long (at most 20,000 characters).
err-answer-too-long = The answer is longer than { $kb } KB. Shorten it and run it again.
# $reason says what is wrong with the raw request.
err-request-unreadable = The request could not be read: { $reason }
err-request-malformed = The request was malformed ({ $detail }). Reload the page and try again.
err-lab-no-dataset = The exercise's dataset `{ $name }` does not exist.
err-lab-reference-fails = The exercise's reference solution fails: { $reason }
# $field is role, country, experience or source; $value what was asked for.
err-salaries-no-figures = There are no figures for { $field } “{ $value }”. Choose one from the list.

## New passwords, emails and names
err-password-too-short = Use at least { $min } characters for your password.
err-password-too-long = Use at most { $max } characters for your password.
err-password-common = That password is on a list of commonly used passwords; please choose another.
err-email-invalid = Enter an email address like name@example.com.
err-name-empty = Enter the name other people will see.
err-name-too-long = Use a name of at most 80 characters.

## Signing in with a school account (OpenID Connect)
# $provider is the name the admin gave the provider.
err-oidc-unavailable = Signing in with { $provider } is not available right now. Sign in with your password, or try again in a few minutes.
err-oidc-no-pending = This sign-in was not started here, was already used or took too long. Start again from the sign-in page.
err-oidc-wrong-state = The answer from the sign-in provider does not belong to this sign-in. Start again from the sign-in page.
# $reason is the provider's own error code.
err-oidc-provider-refused = The sign-in provider did not sign you in ({ $reason }). Start again from the sign-in page.
err-oidc-bad-token = The sign-in provider's answer could not be verified (it may have expired). Start again from the sign-in page.
err-oidc-unverified-email = Your account at the sign-in provider has no verified email address, so it cannot be matched to an account here.
err-oidc-domain = Accounts of { $domain } cannot sign in here. Use your school email, or ask your instructor.
err-oidc-no-account = There is no account for { $email } here, and new accounts are not open. Ask your instructor for one.
err-oidc-not-configured = Signing in with a school account is not set up on this server.
