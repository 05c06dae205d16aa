# Running a contest to its winners: settings, review, jury, results, exports.

## Contest form: settings

cform-time_zone = Time zone
cform-time_zone_hint = An IANA name such as Europe/Madrid or America/Mexico_City. The start and end below are in this zone, and the contest's pages show them in it.
cform-err_time_zone = Please enter a time zone name from the list, such as Europe/Madrid or UTC.
cform-err_skipped_time = This time does not exist in { $zone } (the clocks skip it when daylight saving time starts). Please choose another.
cform-review_legend = Review
cform-review_required = Review entries before they are published
cform-review_hint = Converted videos then wait as "awaiting review" and appear on the contest page only after you approve them.
cform-notify_legend = Notifications
cform-notify_entries = Email me when new entries arrive
cform-notify_hint = { $minutes ->
    [one] At most one email a minute
   *[other] At most one email every { $minutes } minutes
}, only when there are new entries: how many, and their titles and participants. It is written in the language of this page.
cform-notify_off_hint = Emails about new entries are turned off on this site for now; the choice is kept for when they are back.
cform-terms = Terms of participation (optional)
cform-terms_hint = When set, the entry form shows this text and participants must accept it; the time they accepted is stored with the entry.

## Relative times on public pages ($n is a count)

rel-opens_minutes = { $n ->
    [one] Opens in one minute
   *[other] Opens in { $n } minutes
}
rel-opens_hours = { $n ->
    [one] Opens in one hour
   *[other] Opens in { $n } hours
}
rel-opens_days = { $n ->
    [one] Opens in one day
   *[other] Opens in { $n } days
}
rel-closes_minutes = { $n ->
    [one] Closes in one minute
   *[other] Closes in { $n } minutes
}
rel-closes_hours = { $n ->
    [one] Closes in one hour
   *[other] Closes in { $n } hours
}
rel-closes_days = { $n ->
    [one] Closes in one day
   *[other] Closes in { $n } days
}
rel-closed_minutes = { $n ->
    [one] Closed one minute ago
   *[other] Closed { $n } minutes ago
}
rel-closed_hours = { $n ->
    [one] Closed one hour ago
   *[other] Closed { $n } hours ago
}
rel-closed_days = { $n ->
    [one] Closed one day ago
   *[other] Closed { $n } days ago
}

## Entry form: terms

enter-terms_heading = Terms of participation
enter-accept_terms = I have read and accept the terms of participation
err-accept_terms = Please accept the terms of participation to enter.
org-terms_accepted = Terms accepted { $date }

## Review before publishing

review-awaiting = Awaiting review
review-awaiting_one = awaiting review
review-rejected = rejected
review-heading = Review queue
review-empty = Nothing is waiting for your review.
review-intro = Converted entries of your contests with review on, the longest waiting first. They are public only once approved; a rejection mails the participant, with your message if you write one.
review-select = Select
review-select_one = Select { $title }
review-converted = Converted
review-approve = Approve
review-approve_selected = Approve selected
review-reject = Reject
review-message = Message to the participant
review-message_for = Message to the participant about { $title } (optional)
review-message_placeholder = Message (optional)
review-their_message = Your message: { $message }
review-err_none_selected = Please select at least one entry to approve.
review-err_too_many = Please approve at most { $max } entries at once.
review-video_pending = This video is converted and waiting for the organizer's review; it appears on the contest page once approved.
review-video_rejected = The organizer did not accept this video for the contest.
review-public_after = Once converted and approved by the organizer, it appears on the contest page for everyone.

## Exports

export-entries = Download the entries (CSV)
export-scores = Download the jury's scores (CSV)

## Jury: the organizer's page

jury-manage_title = Jury
jury-status = Judging
jury-open_text = Judging is open: judges score the entries and see only their own scores.
jury-closed_text = Judging is closed: judges can no longer score, and they see everyone's scores and the ranking.
jury-close = Close judging
jury-reopen = Reopen judging
jury-closed_badge = judging closed
jury-rubric = Rubric
jury-rubric_intro = Up to 6 criteria. Judges score each entry from 1 to 5 on every criterion; an entry's jury score is the weighted mean of its criterion averages. Leave a row's name empty to remove it (with its scores).
jury-criterion_n = Criterion { $n }
jury-criterion_name = Name
jury-criterion_description = Description (optional)
jury-criterion_weight = Weight (1 to 10)
jury-jury_weight = Jury share of the final ranking (%)
jury-jury_weight_hint = The rest is the public vote: 70 means 70% jury, 30% public vote.
jury-save_rubric = Save rubric
jury-err_name_missing = Please name this criterion, or empty its description.
jury-err_weight = Please enter a whole number from 1 to 10.
jury-err_jury_weight = Please enter a whole number from 0 to 100.
jury-judges = Judges
jury-no_judges = No judges invited yet.
jury-completion = Entries scored
jury-accepted = joined
jury-invited = invited
jury-expired = invitation expired
jury-resend = Send a new link
jury-remove = Remove
jury-remove_confirm = Remove this judge and their scores?
jury-invite_email = Invite a judge (email)
jury-invite_hint = They get a link by email to set their password (or log in); it works once, for { $days } days.
jury-invite = Send invitation
jury-err_too_many_judges = A contest has at most { $max } judges.
jury-err_already_judge = This address already judges this contest.
jury-ranking = Ranking
jury-mix = Jury { $jury }%,
jury-public_share = public vote { $public }%.
jury-no_entries = No published entries to score yet.
jury-rank = #
jury-jury_score = Jury (1–5)
jury-judges_done = Judges
jury-votes = Votes
jury-points = Points (of 100)

## Jury: the judge's pages

jury-my_title = Contests you judge
jury-my_empty = You do not judge any contest.
jury-judge_title = Judging
jury-judge_closed = Judging is closed: scores can no longer change.
jury-judge_no_rubric = The organizer has not set the rubric yet; come back soon.
jury-judge_progress = Entries you scored: { $done }
jury-entries = Entries
jury-scored = scored
jury-to_score = to score
jury-your_scores = Your scores (1 = weak, 5 = excellent)
jury-comment = Comment (optional, only the organizer and, after judging closes, the jury see it)
jury-save_scores = Save scores
jury-err_score = Please choose a score from 1 to 5 for "{ $criterion }".
jury-err_closed = Judging is closed: scores can no longer change.
jury-err_no_rubric = The rubric is not set yet.
jury-err_not_judge = You are not a judge of this contest.
jury-invite_title = Join the jury
jury-invite_welcome = You are invited to judge { $contest }.
jury-invite_set_password = Choose a password for { $email }: you will log in with this address and password.
jury-invite_login = { $email } already has an account here: enter its password to join.
jury-invite_accept = Join the jury
jury-err_invite_gone = This invitation link was already used or has expired. Ask the organizer for a new one.
dash-judging = Contests you judge
dash-jury = Jury

## Results

results-title = Results
results-winners = Winners
results-permalink = Results page
results-none = No winners were named.
results-first = First place
results-second = Second place
results-third = Third place
results-mention = Honorable mention
results-pick_title = Winners
results-draft_text = Not published: nothing of the ranking or the winners is public yet.
results-published_text = The results are published.
results-see_public = See the results page
results-unpublish = Unpublish
results-suggestion = The jury's ranking is a suggestion: each list shows the entries best first, with their points.
results-nobody = Nobody
results-mentions = Honorable mentions
results-save_draft = Save as draft
results-publish = Publish the results and email the winners
results-err_not_entry = Please choose a published entry of this contest.
results-err_twice = An entry can win only once.
results-err_too_many_mentions = At most { $max } honorable mentions.
results-err_nothing = Choose at least one winner before publishing.

## Jury: the judges' comments (organizer, and judges once judging is closed)

jury-comments = Judges' comments
jury-judge = Judge
jury-comment_col = Comment
