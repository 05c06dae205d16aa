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
