# Refusals and field errors: the `error` of JSON bodies and the sentences next to form fields.

## Upload refusals (the participant's side; field checks from shared::domain are under "Field checks")

err-too_large = The video is larger than the limit of { $max } MB.
err-not_accepting = This contest is not accepting entries right now.
err-unreadable = The upload could not be read. Please try again.
err-no_file = Please choose a video file to upload.
err-duplicate_title = A video with this title is already in the contest. Please choose another title.
err-interrupted = The upload was interrupted. Please try again.
err-busy = The site is busy checking other uploads. Please try again in a few seconds.
err-empty = The video file is empty.

## Field checks (`shared::domain::FieldError` codes; $label is the field's name, itself a message)

field-required = { $label } is required.
field-too_long = { $label } must be at most { $max } characters.
field-control_chars = { $label } contains characters that are not allowed.
field-single_line = { $label } must be a single line.
email-invalid = Please enter a valid email address, like name@example.org.
slug-length = The URL name must be 3 to 64 characters long.
slug-chars = The URL name may only use lowercase letters a-z, digits and hyphens.
slug-hyphens = The URL name cannot start or end with a hyphen or contain two in a row.
slug-reserved = That URL name is reserved; please choose another.
slug-taken = This URL name is already taken; please choose another.
pw-too_short = The password must be at least { $min } characters long.
pw-too_long = The password must be at most { $max } characters long.
auth-exists = An account with this email already exists. Log in instead?
auth-mismatch = That email and password do not match an account.
cform-err_starts = Please enter a start date and time (YYYY-MM-DDTHH:MM, in the contest's time zone).
cform-err_ends = Please enter an end date and time (YYYY-MM-DDTHH:MM, in the contest's time zone).
cform-err_order = The contest must end after it starts.
cform-err_banner_size = The banner image must be at most { $max } MB.
cform-err_banner_type = The banner must be a PNG, JPEG, GIF or WebP image.
cform-err_banner_damaged = The banner image appears to be damaged.

## Error page sentences (`AppError` keys)

error-msg_not_found = We could not find that page.
error-msg_csrf = Your session expired or the form was not sent from this site. Please reload the page and try again.
error-msg_log_in = Please log in as an organizer first.
error-msg_not_owner = Only the organizer of this contest can do that.
error-msg_internal = Something went wrong on our side. Please try again in a moment.
error-msg_unreadable_form = The form could not be read. Please try again.
error-msg_bad_query = The address has a malformed query.
error-msg_form_too_large = The form is too large. Please send less text or a smaller image.
error-msg_form_fields = The form has fields this page does not send, or a field twice.
error-msg_bad_page = The page number must be a positive whole number.
error-msg_retry_not_failed = Only a failed video can be retried.

## Abuse limits ($secs is a number of seconds)

limit-address = Too many attempts from your address. Please wait { $secs } seconds and try again.
limit-account = Too many failed logins for this account. Please wait { $secs } seconds and try again.
limit-uploads = You have sent many videos in a short time. Please wait { $secs } seconds before sending another.
limit-uploads_at_once = You are already sending videos. Please wait until they finish and try again in { $secs } seconds.
limit-busy = The site is receiving many videos right now. Please try again in { $secs } seconds.
limit-busy_login = The site is busy. Please try again in { $secs } seconds.
err-stalled = The upload stopped sending data and was ended. Please try again.
err-entries_per_email = This email address has already sent the most entries this contest allows ({ $max }).
cform-err_entries = Please enter a whole number from 1 to 100.
