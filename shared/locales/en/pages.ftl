# Page texts (web/templates/), including the scripts' messages (data-msg-* attributes).

## Frame

skip = Skip to content
nav-main = Main
nav-dashboard = Dashboard
nav-logout = Log out
nav-logged_in_as = Logged in as { $email }
nav-login = Log in
nav-organize = Organize a contest
nav-language = Language
footer = Clipcontest: video contests for schools, brands and festivals.

## Home

home-title = Video contests
home-lead = Pick a contest, upload your video in almost any format, and we convert it so everyone can watch it in the browser.
home-open = Open now
home-upcoming = Upcoming
home-past = Past
home-open_empty = No contest is open right now.
home-upcoming_empty = Nothing scheduled yet.
home-past_empty = No past contests.
prize = Prize: { $prize }

## Auth

auth-register_title = Create an organizer account
auth-login_title = Log in
auth-email = Email
auth-password = Password
auth-password_min = Password (at least { $min } characters)
auth-create = Create account
auth-login = Log in
auth-have_account = Already have an account?
auth-new_here = New here?

## Dashboard

dash-title = Dashboard
dash-heading = Your contests
dash-new = New contest
dash-empty = You have no contests yet.
dash-create_first = Create your first one
dash-caption = Your contests and their videos by state
dash-contest = Contest
dash-dates = Dates
dash-actions = Actions
state-queued = Queued
state-processing = Processing
state-converted = Converted
state-failed = Failed
state-hidden = Hidden
edit = Edit

## Contest form

cform-new = New contest
cform-edit = Edit contest
cform-name = Name
cform-slug = URL name
cform-slug_hint = Lowercase letters, digits and hyphens; the page will be /c/<URL name>. Leave empty to derive it from the name.
cform-prize = Prize
cform-description = Description
cform-starts = Starts
cform-ends = Ends
cform-banner = Banner image (PNG, JPEG, GIF or WebP, up to { $max } MB)
cform-current_banner = Current banner
cform-remove_banner = Remove the current banner
cform-save = Save changes
cform-create = Create contest
cform-delete = Delete contest
cform-delete_confirm = Delete this contest and all its videos?
cform-optional = (optional)
cform-error_summary = { $count ->
    [one] Please correct this problem:
   *[other] Please correct these { $count } problems:
}
cform-banner_label = Banner image
cform-form = Form
cform-banner_again = The banner you chose could not be kept while the form had errors: please choose it again.
cform-created = Your contest is ready.
cform-created_link = Its public link, to share with participants:
cform-copy_link = Copy link

## Contest page

contest-banner_alt = Banner of { $name }
contest-from = From
contest-to = to
contest-open = Open
contest-upcoming = Upcoming
contest-closed = Closed
contest-edit = Edit contest
contest-enter_cta = Enter the contest
contest-now_playing = Now playing
contest-by = by { $author }
share-button = Share
share-copied = Link copied: paste it wherever you like.
share-copy_this = Copy this link: { $url }
player-quality = Quality
player-auto = Auto
contest-videos = Videos
contest-no_videos = No videos yet.
contest-be_first = Be the first to enter!
contest-play = Play { $title }
contest-pages = Pages
contest-previous = Previous
contest-next = Next
org-heading = Organizer: all entries
org-nothing = No entries yet.
org-date = Sent
org-duration = Duration
org-public = public
org-title = Title
org-participant = Participant
org-state = State
org-details = Details
org-actions = Actions
org-hidden = hidden
org-retry = Retry
org-show = Show
org-hide = Hide
org-delete = Delete
org-delete_confirm = Delete this video?
org-mail_heading = Emails not delivered
org-mail_intro = Messages to participants that did not go out, newest first. Addresses that bounced for good or complained are not mailed again.
org-mail_to = To
org-mail_subject = Subject
org-mail_reason = Reason
mstate-failed = refused
mstate-skipped = not sent
vstate-queued = queued
vstate-processing = processing
vstate-converted = converted
vstate-failed = failed
enter-heading = Enter the contest
enter-title = Video title
enter-first_name = First name
enter-last_name = Last name
enter-email = Email (we send the link here)
enter-description = Description (optional)
enter-video = Video file (AVI, FLV, WMV, MP4, MOV, MKV or WebM; up to { $max } MB)
enter-uploading = Uploading…
enter-submit = Upload video
enter-privacy = Shown with your video: your name, its title and its description. Never shown: your email; we only use it to write to you about this video.
enter-opens = This contest opens for entries on { $date }.
enter-closed = This contest closed on { $date } and no longer accepts entries.
enter-failed_http = The upload failed (HTTP { $status }). Please try again.
enter-interrupted = The connection was interrupted. Please try again.
enter-progress = { $sent } of { $total } MB, about { $left } left
enter-progress_done = { $total } MB sent, checking the file…
enter-left_secs = { $n } s
enter-left_mins = { $n } min
enter-cancel = Cancel upload
enter-cancelled = Upload cancelled. Nothing was kept; you can send it again.
enter-not_video = This file is not a video the site can read (AVI, FLV, WMV, MP4, MOV, MKV or WebM). Choose another file.
enter-captions = Subtitles (optional): a WebVTT (.vtt) or SRT (.srt) file, up to { $max } KB
enter-captions_lang = Language of the subtitles
enter-captions_not_text = This subtitles file is not a .vtt or .srt file. Choose another file or leave it empty.
video-captions = Subtitles: { $lang }

## Video page

video-back = Back to { $contest }
video-hidden = hidden by the organizer
video-failed = We could not convert this video:
video-unknown_error = unknown error
video-converting = Converting…
video-received = Received, converting soon…
video-we_will_email = We will email you a link when it is ready; you can also keep this page open.
video-progress = Conversion progress
video-email_to = We will email { $email } when it is ready.
video-public_after = Once converted, it appears on the contest page for everyone.
video-queue_ahead = { $n ->
    [0] Yours is next in line.
    [one] One video is ahead of yours.
   *[other] { $n } videos are ahead of yours.
}
video-ready = Ready! Your video has been converted.

## Contest form, entries limit

cform-entries_per_email = Entries per participant email
error-too_many = Please wait

## Error page

error-title = Error { $status }
error-not_found = Not found
error-not_allowed = Not allowed
error-log_in = Please log in
error-sorry = Sorry
error-back = Back to the contests
