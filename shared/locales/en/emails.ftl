# The participant's emails (shared/templates/email/), in the language of the upload page.
# $name is the participant's first name, $title the video's title, $contest the contest's name.

mail-hello = Hello { $name },
mail-video_page = The video's page:

## The video is converted

mail-ready_subject = Your video is ready: { $title }
mail-ready_body = Your video "{ $title }" for { $contest } has been converted and is ready to watch:
mail-ready_luck = Good luck in the contest!
mail-ready_button = Watch your video
mail-ready_share = Share the link with friends and family: the contest page shows your video to everyone.
mail-poster_alt = Poster of "{ $title }"

## The conversion failed ($reason is a sentence from media.ftl)

mail-failed_subject = We could not convert your video: { $title }
mail-failed_body = We are sorry: we could not convert your video "{ $title }" for { $contest }.
mail-failed_reason = Reason: { $reason }
mail-failed_advice = What you can do: check that the file plays on your computer, export it again (MP4 with H.264 works best) and upload it once more with a different title, or reply to the organizer of the contest.

## Review before publishing

mail-ready_review = The organizer reviews entries before they appear on the contest page; we will let you know if yours is not accepted.
mail-rejected_subject = Your entry was not accepted: { $title }
mail-rejected_body = The organizer of { $contest } reviewed your video "{ $title }" and did not accept it for the contest.
mail-rejected_message = Their message:
mail-rejected_thanks = Thank you for taking part.

## Invitation to judge ($contest is the contest's name, $expires when the link stops working)

mail-invite_subject = You are invited to judge { $contest }
mail-invite_hello = Hello,
mail-invite_body = The organizer of { $contest } invites you to its jury. Open this link to set your password (or log in, if you already have an account here) and start scoring the entries:
mail-invite_expires = The link works once, until { $expires }. If you did not expect this invitation, ignore this message.

## Winners ($place: 1, 2 or 3; 0 for an honorable mention)

mail-winner_subject = { $place ->
    [1] Your video won first place: { $title }
    [2] Your video won second place: { $title }
    [3] Your video won third place: { $title }
   *[other] Your video received an honorable mention: { $title }
}
mail-winner_body = { $place ->
    [1] Congratulations! Your video "{ $title }" won first place in { $contest }.
    [2] Congratulations! Your video "{ $title }" won second place in { $contest }.
    [3] Congratulations! Your video "{ $title }" won third place in { $contest }.
   *[other] Congratulations! Your video "{ $title }" received an honorable mention in { $contest }.
}
mail-winner_results = The results are published here:
mail-winner_thanks = The organizer will contact you about the prize. Thank you for taking part.

## Receipt at upload ($name, $title, $contest)

mail-receipt_subject = We received your video: { $title }
mail-receipt_body = We received your video "{ $title }" for { $contest }. We are converting it so it plays in every browser.
mail-receipt_next = We will email you again when it is ready; it then appears on the contest page.
mail-receipt_next_review = We will email you again when it is ready; the organizer reviews entries before they appear on the contest page.
mail-receipt_button = Follow your video
mail-receipt_share = Once it is public, share it with your friends: the more people watch, the better.

## The organizer's digest of new entries ($contest is the contest's name, $count the new entries,
## $more those not listed by name; in a line, $title, $author and $state, one of the vstate-* texts)

mail-digest_subject = { $count ->
    [one] A new entry in { $contest }
   *[other] { $count } new entries in { $contest }
}
mail-digest_hello = Hello,
mail-digest_body = { $count ->
    [one] A new entry arrived in { $contest } since the last summary:
   *[other] { $count } new entries arrived in { $contest } since the last summary:
}
mail-digest_entry = "{ $title }" by { $author } ({ $state })
mail-digest_more = { $more ->
    [one] and one more
   *[other] and { $more } more
}
mail-digest_button = See all entries
mail-digest_why = You get this summary because emails about new entries are on for this contest. To stop them, untick the option in the contest's settings:
