# Votación del público (web/templates/contests/voting*.html, web/src/routes/voting.rs, el correo del votante).

## En la página del concurso

vote-heading = Votación del público
vote-window = La votación va del { $starts } al { $ends }.
vote-upcoming = La votación abre el { $date }.
vote-ended = La votación ha terminado.
vote-open = Votación abierta
vote-ask_email = Para votar, indica tu correo: te enviamos un enlace que lo confirma. Puedes votar hasta { $max } obras, una vez cada una.
vote-email = Tu correo
vote-send_link = Enviarme el enlace para votar
vote-sent = Si esa dirección puede votar, le estamos enviando un enlace. Ábrelo para confirmar y vuelve aquí para votar.
vote-as = Votas como { $email }.
vote-left = Votos restantes: { $left } de { $max }.
vote-button = Votar
vote-button_for = Votar por { $title }
vote-take_back = Retirar mi voto
vote-take_back_for = Retirar mi voto por { $title }
vote-voted = Votaste por esta obra.
vote-count = { $count ->
    [one] 1 voto
   *[other] { $count } votos
}
vote-tallies_later = Los recuentos se muestran cuando termina la votación.
vote-sort = Ordenar
vote-sort_newest = Más recientes
vote-sort_votes = Más votados
vote-own = Es tu obra: no puedes votar por ella.

## Página de confirmación

vote-confirm_title = Confirma tu correo para votar
vote-confirm_lead = Confirma la dirección que indicaste para votar en { $contest }.
vote-confirm_button = Confirmar y empezar a votar
vote-link_invalid = Este enlace no es válido, ha caducado o ya se usó. Pide uno nuevo en la página del concurso.

## Organización: ajustes de la votación

vote-settings_title = Votación del público
vote-settings_lead = Deja que el público vote las obras. Quien vota confirma su correo con un enlace; puede votar varias obras, una vez cada una, y retirar un voto mientras la votación está abierta.
vote-settings_link = Ajustes de la votación del público
vote-enabled = Votación del público activada
vote-starts = La votación abre
vote-ends = La votación cierra
vote-per_voter = Votos por persona
vote-tallies_live = Mostrar los recuentos durante la votación (si no, solo al terminar)
vote-save = Guardar los ajustes de la votación
vote-saved = Ajustes de la votación guardados.
vote-err_dates = Indica las dos fechas, la de cierre después de la de apertura.
vote-err_per_voter = Los votos por persona deben ser un número entero de 1 a { $max }.

## Rechazos

vote-err_no_vote = Este concurso no tiene votación del público.
vote-err_not_open = La votación no está abierta ahora.
vote-err_confirm_first = Primero confirma tu correo: pide un enlace para votar en la página del concurso.
vote-err_own_entry = No puedes votar por tu propia obra.
vote-err_no_votes_left = Ya usaste tus { $max } votos. Retira uno para votar por otra obra.
vote-err_entry = Esta obra no puede recibir votos.
limit-voter_links = Se han pedido demasiados enlaces para votar. Vuelve a intentarlo en { $secs } segundos.
limit-vote_changes = Has cambiado tus votos muchas veces en poco tiempo. Espera { $secs } segundos y vuelve a intentarlo.

## El correo del votante

mail-voter_subject = Confirma tu voto en { $contest }
mail-voter_body = Alguien (esperamos que tú) pidió votar en { $contest } con esta dirección. Abre este enlace para confirmarla; funciona una vez, durante { $hours } horas:
mail-voter_ignore = Si no fuiste tú, ignora este correo: sin el enlace no pasa nada.
