# Public voting (web/templates/contests/voting*.html, web/src/routes/voting.rs, the voter's email).

## On the contest page

vote-heading = Public vote
vote-window = Voting runs from { $starts } to { $ends }.
vote-upcoming = Voting opens on { $date }.
vote-ended = Voting has ended.
vote-open = Voting is open
vote-ask_email = To vote, give your email address: we send you a link that confirms it. You can vote for up to { $max } entries, once each.
vote-email = Your email
vote-send_link = Send me the voting link
vote-sent = If that address can vote, a link is on its way to it. Open it to confirm and come back here to vote.
vote-as = You are voting as { $email }.
vote-left = Votes left: { $left } of { $max }.
vote-button = Vote
vote-button_for = Vote for { $title }
vote-take_back = Take back my vote
vote-take_back_for = Take back my vote for { $title }
vote-voted = You voted for this entry.
vote-count = { $count ->
    [one] 1 vote
   *[other] { $count } votes
}
vote-tallies_later = Vote counts are shown when voting ends.
vote-sort = Sort
vote-sort_newest = Newest
vote-sort_votes = Most votes
vote-own = This is your entry: you cannot vote for it.

## Confirmation page

vote-confirm_title = Confirm your email to vote
vote-confirm_lead = Confirm the address you gave to vote in { $contest }.
vote-confirm_button = Confirm and start voting
vote-link_invalid = This link is not valid, has expired or was already used. Ask for a new one on the contest page.

## Organizer: voting settings

vote-settings_title = Public vote
vote-settings_lead = Let the public vote for entries. Voters confirm their email address by a link; each can vote for several entries, once each, and take a vote back while voting is open.
vote-settings_link = Public vote settings
vote-enabled = Public vote on
vote-starts = Voting opens
vote-ends = Voting closes
vote-per_voter = Votes per voter
vote-tallies_live = Show vote counts while voting runs (otherwise only once it has ended)
vote-save = Save voting settings
vote-saved = Voting settings saved.
vote-err_dates = Give both dates, the closing one after the opening one.
vote-err_per_voter = Votes per voter must be a whole number from 1 to { $max }.

## Refusals

vote-err_no_vote = This contest has no public vote.
vote-err_not_open = Voting is not open now.
vote-err_confirm_first = Confirm your email address first: ask for a voting link on the contest page.
vote-err_own_entry = You cannot vote for your own entry.
vote-err_no_votes_left = You have used all { $max } of your votes. Take one back to vote for another entry.
vote-err_entry = This entry cannot receive votes.
limit-voter_links = Too many voting links were asked for. Try again in { $secs } seconds.
limit-vote_changes = You have changed your votes many times in a short while. Please wait { $secs } seconds and try again.

## The voter's email

mail-voter_subject = Confirm your vote in { $contest }
mail-voter_body = Someone (we hope you) asked to vote in { $contest } with this address. Open this link to confirm it; it works once, for { $hours } hours:
mail-voter_ignore = If it was not you, ignore this email: nothing happens without the link.
