# Accounts: sign-in, registration, your account, sessions, password reset,
# two-factor sign-in, and the admin pages for users and the audit log.

## Sign-in and registration
auth-sign-in = Sign in
auth-sign-in-with = Sign in with { $name }
auth-new-here = New here?
auth-create-account = Create an account
auth-already-registered = Already registered?
auth-email = Email
auth-password = Password
auth-forgot-title = Forgot your password?
auth-register-lead = An account keeps your progress and quiz scores. Reading needs none.
auth-your-name = Your name
auth-password-help = At least 8 characters. Long phrases are good; common passwords are refused.
# Followed by auth-invite-code-help in smaller type.
auth-invite-code = Cohort invite code
auth-invite-code-help = (if your instructor gave you one)
auth-create-account-button = Create account

## Notices after an action
auth-done-password = Your password was changed. Other devices have been signed out.
auth-done-everywhere = You were signed out on every device.
auth-done-role = The role was changed.
auth-done-reset = Your password was changed and every session ended. Sign in with the new one.
auth-done-session = That session was ended.
auth-done-disabled = The account was disabled and signed out everywhere.
auth-done-enabled = The account was enabled.
auth-done-ended = Every session of the account was ended.
auth-done-deleted = The account was deleted.

## Your account
auth-account-title = Your account
auth-name = Name
auth-role = Role
auth-role-learner = learner
auth-role-instructor = instructor
auth-role-admin = admin
auth-change-password = Change password
auth-current-password = Current password
auth-new-password = New password
auth-your-password = Your password
# Followed by a link named auth-two-factor.
auth-two-factor-lead = Ask for a code from an app on your phone after your password:
auth-sessions = Sessions
auth-sign-out-everywhere-lead = Signed in on a shared or lost device? End every session, this one included.
auth-sign-out-everywhere = Sign out everywhere
auth-your-sessions = Your sessions
# "Firefox on Linux · 127.0.0.1 · last seen 2026-12-01T14:05:09Z"
auth-last-seen = last seen
# Marks the session of the browser reading the page.
auth-this-session = (this one)
auth-end-session = End
auth-your-data = Your data
auth-export = Download everything stored about you (JSON)
auth-delete-title = Delete your account
auth-delete-lead = Your name, email, password, sessions, quiz attempts and exercise answers are deleted. Lesson completions stay, anonymous ("deleted learner"), so your cohort's counts stay true.
auth-delete-code = or, with two-factor on, a current code
auth-delete-understand = I understand this cannot be undone
auth-delete-submit = Delete my account

## Forgot your password / choose a new one
auth-forgot-sent = If an account has this address, a reset link is on its way. It works once, for 24 hours.
auth-forgot-email = Your account's email
auth-forgot-send = Send me a reset link
auth-forgot-no-mail = Password reset by email is not set up here. Ask an administrator for a reset link.
auth-back-to-sign-in = Back to sign-in
auth-reset-title = Choose a new password
auth-reset-submit = Set password and sign out everywhere
auth-reset-invalid = This reset link cannot be used: it was used already, it is older than 24 hours, or it was copied incompletely.
auth-reset-ask-again = Ask for a new link

## Admin: users
auth-users-title = Users
auth-actions = Actions
# After the admin's own role in the user list.
auth-you = (you)
# Hidden label of the role menu of one account.
auth-role-of = Role of { $name }
auth-save = Save
auth-reset-link = Reset link
auth-enable = Enable
auth-disable = Disable
auth-end-sessions = End sessions
# Label of the checkbox that confirms deleting an account.
auth-delete-user = delete { $name }
auth-delete = Delete
# Followed by the link itself.
auth-reset-link-shown = Reset link (valid 24 hours, once; it is not shown again):

## Admin: audit log
auth-audit-log = Audit log
auth-audit-lead = Who did what to which account, when, and from which address (newest first, the last 500).
auth-audit-when = When (UTC)
auth-audit-who = Who
auth-audit-what = What
auth-audit-account = Account
auth-audit-from = From
auth-audit-detail = Detail

## Two-factor sign-in
auth-two-factor = Two-factor sign-in
auth-two-factor-off-done = Two-factor sign-in is off. Signing in needs only your password now.
auth-two-factor-required = Your role must use two-factor sign-in. Turn it on here to go on; your account page, the lessons and signing out stay open meanwhile.
auth-two-factor-codes = Two-factor sign-in is on. These are your recovery codes: each signs you in once if you lose your phone. Write them down or print them now; they are not shown again.
auth-two-factor-on = Two-factor sign-in is on: signing in asks for a code from your authenticator app after your password.
auth-two-factor-recovery-left = Unused recovery codes: { $count }.
auth-two-factor-turn-off = Turn it off
auth-two-factor-off-button = Turn two-factor sign-in off
auth-two-factor-setup-lead = After your password, signing in will ask for a 6-digit code from an authenticator app on your phone (any app for TOTP codes).
auth-two-factor-step-scan = Scan this QR code with the app, or type the secret below into it.
auth-two-factor-step-confirm = Type the code the app shows to confirm.
auth-two-factor-qr = QR code of the secret
# Followed by the secret.
auth-two-factor-secret = Secret:
auth-two-factor-app-code = Code from the app
auth-two-factor-on-button = Turn two-factor sign-in on
auth-back-to-account = Back to your account
auth-two-factor-login-lead = Type the 6-digit code your authenticator app shows for Backend Academy, or one of your recovery codes.
auth-code = Code
# Followed by a link named auth-start-again.
auth-no-code = No code?
auth-start-again = Start again

# The sessions list names browsers: "Firefox on Linux".
auth-browser-on = { $browser } on { $system }
auth-browser-unknown = unknown browser

# The password reset mail (plain text). The link goes on its own line
# between auth-mail-reset-asked and auth-mail-reset-ignore.
auth-mail-reset-subject = Reset your Backend Academy password
auth-mail-reset-hello = Hello { $name },
auth-mail-reset-asked =
    Someone (hopefully you) asked to reset the password of your Backend Academy account.
    Open this link within 24 hours to choose a new password (it works once):
auth-mail-reset-ignore = If it was not you, ignore this mail: your password stays as it is.
