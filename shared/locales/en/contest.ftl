# Running a contest to its winners: settings, review, jury, results, exports.

## Contest form: settings

cform-time_zone = Time zone
cform-time_zone_hint = An IANA name such as Europe/Madrid or America/Mexico_City. The start and end below are in this zone, and the contest's pages show them in it.
cform-err_time_zone = Please enter a time zone name from the list, such as Europe/Madrid or UTC.
cform-err_skipped_time = This time does not exist in { $zone } (the clocks skip it when daylight saving time starts). Please choose another.
cform-review_legend = Review
cform-review_required = Review entries before they are published
cform-review_hint = Converted videos then wait as "awaiting review" and appear on the contest page only after you approve them.
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
