# Llevar un concurso hasta sus ganadores: ajustes, revisión, jurado, resultados, exportaciones.

## Formulario del concurso: ajustes

cform-time_zone = Zona horaria
cform-time_zone_hint = Un nombre IANA como Europe/Madrid o America/Mexico_City. El inicio y el fin de abajo están en esta zona, y las páginas del concurso las muestran en ella.
cform-err_time_zone = Escribe un nombre de zona horaria de la lista, como Europe/Madrid o UTC.
cform-err_skipped_time = Esta hora no existe en { $zone } (los relojes se la saltan al empezar el horario de verano). Elige otra.
cform-review_legend = Revisión
cform-review_required = Revisar las participaciones antes de publicarlas
cform-review_hint = Los vídeos convertidos esperan entonces "pendientes de revisión" y aparecen en la página del concurso solo cuando los apruebas.
cform-notify_legend = Avisos
cform-notify_entries = Enviarme un correo cuando lleguen participaciones nuevas
cform-notify_hint = { $minutes ->
    [one] Como mucho un correo por minuto
   *[other] Como mucho un correo cada { $minutes } minutos
}, y solo si hay participaciones nuevas: cuántas, con sus títulos y participantes. Se escribe en el idioma de esta página.
cform-notify_off_hint = Los correos sobre participaciones nuevas están desactivados en este sitio por ahora; la opción se guarda para cuando vuelvan.
cform-terms = Bases de participación (opcional)
cform-terms_hint = Si las escribes, el formulario de participación muestra este texto y hay que aceptarlo; la hora de aceptación se guarda con la participación.

## Tiempos relativos en las páginas públicas ($n es un número)

rel-opens_minutes = { $n ->
    [one] Abre en un minuto
   *[other] Abre en { $n } minutos
}
rel-opens_hours = { $n ->
    [one] Abre en una hora
   *[other] Abre en { $n } horas
}
rel-opens_days = { $n ->
    [one] Abre en un día
   *[other] Abre en { $n } días
}
rel-closes_minutes = { $n ->
    [one] Cierra en un minuto
   *[other] Cierra en { $n } minutos
}
rel-closes_hours = { $n ->
    [one] Cierra en una hora
   *[other] Cierra en { $n } horas
}
rel-closes_days = { $n ->
    [one] Cierra en un día
   *[other] Cierra en { $n } días
}
rel-closed_minutes = { $n ->
    [one] Cerró hace un minuto
   *[other] Cerró hace { $n } minutos
}
rel-closed_hours = { $n ->
    [one] Cerró hace una hora
   *[other] Cerró hace { $n } horas
}
rel-closed_days = { $n ->
    [one] Cerró hace un día
   *[other] Cerró hace { $n } días
}

## Formulario de participación: bases

enter-terms_heading = Bases de participación
enter-accept_terms = He leído y acepto las bases de participación
err-accept_terms = Acepta las bases de participación para participar.
org-terms_accepted = Bases aceptadas el { $date }

## Revisión antes de publicar

review-awaiting = Pendientes de revisión
review-awaiting_one = pendiente de revisión
review-rejected = rechazado
review-heading = Cola de revisión
review-empty = No hay nada pendiente de tu revisión.
review-intro = Participaciones convertidas de tus concursos con revisión, primero las que más esperan. Solo son públicas cuando las apruebas; al rechazar una se avisa por correo al participante, con tu mensaje si escribes uno.
review-select = Seleccionar
review-select_one = Seleccionar { $title }
review-converted = Convertido
review-approve = Aprobar
review-approve_selected = Aprobar las seleccionadas
review-reject = Rechazar
review-message = Mensaje al participante
review-message_for = Mensaje al participante sobre { $title } (opcional)
review-message_placeholder = Mensaje (opcional)
review-their_message = Tu mensaje: { $message }
review-err_none_selected = Selecciona al menos una participación para aprobar.
review-err_too_many = Aprueba como mucho { $max } participaciones a la vez.
review-video_pending = Este vídeo está convertido y espera la revisión de la organización; aparecerá en la página del concurso cuando se apruebe.
review-video_rejected = La organización no aceptó este vídeo en el concurso.
review-public_after = Una vez convertido y aprobado por la organización, aparecerá en la página del concurso para todos.

## Exportaciones

export-entries = Descargar las participaciones (CSV)
export-scores = Descargar las puntuaciones del jurado (CSV)

## Jurado: la página de la organización

jury-manage_title = Jurado
jury-status = Evaluación
jury-open_text = La evaluación está abierta: el jurado puntúa las participaciones y cada miembro ve solo sus puntuaciones.
jury-closed_text = La evaluación está cerrada: el jurado ya no puede puntuar y ve las puntuaciones de todos y la clasificación.
jury-close = Cerrar la evaluación
jury-reopen = Reabrir la evaluación
jury-closed_badge = evaluación cerrada
jury-rubric = Criterios
jury-rubric_intro = Hasta 6 criterios. El jurado puntúa cada participación de 1 a 5 en cada criterio; la nota del jurado es la media ponderada de las medias por criterio. Deja vacío el nombre de una fila para quitarla (con sus puntuaciones).
jury-criterion_n = Criterio { $n }
jury-criterion_name = Nombre
jury-criterion_description = Descripción (opcional)
jury-criterion_weight = Peso (de 1 a 10)
jury-jury_weight = Peso del jurado en la clasificación final (%)
jury-jury_weight_hint = El resto es el voto del público: 70 significa 70 % jurado y 30 % voto del público.
jury-save_rubric = Guardar los criterios
jury-err_name_missing = Pon nombre a este criterio o vacía su descripción.
jury-err_weight = Escribe un número entero de 1 a 10.
jury-err_jury_weight = Escribe un número entero de 0 a 100.
jury-judges = Miembros del jurado
jury-no_judges = Aún no has invitado a nadie al jurado.
jury-completion = Participaciones puntuadas
jury-accepted = aceptó
jury-invited = invitado
jury-expired = invitación caducada
jury-resend = Enviar un enlace nuevo
jury-remove = Quitar
jury-remove_confirm = ¿Quitar a este miembro del jurado y sus puntuaciones?
jury-invite_email = Invitar al jurado (correo)
jury-invite_hint = Recibe por correo un enlace para elegir su contraseña (o iniciar sesión); vale una vez, durante { $days } días.
jury-invite = Enviar la invitación
jury-err_too_many_judges = Un concurso tiene como mucho { $max } miembros del jurado.
jury-err_already_judge = Esta dirección ya forma parte del jurado de este concurso.
jury-ranking = Clasificación
jury-mix = Jurado { $jury } %,
jury-public_share = voto del público { $public } %.
jury-no_entries = Aún no hay participaciones publicadas que puntuar.
jury-rank = N.º
jury-jury_score = Jurado (1–5)
jury-judges_done = Jurado
jury-votes = Votos
jury-points = Puntos (de 100)

## Jurado: las páginas del jurado

jury-my_title = Concursos en los que eres jurado
jury-my_empty = No formas parte del jurado de ningún concurso.
jury-judge_title = Evaluación
jury-judge_closed = La evaluación está cerrada: las puntuaciones ya no pueden cambiar.
jury-judge_no_rubric = La organización aún no ha fijado los criterios; vuelve pronto.
jury-judge_progress = Participaciones que has puntuado: { $done }
jury-entries = Participaciones
jury-scored = puntuada
jury-to_score = por puntuar
jury-your_scores = Tus puntuaciones (1 = flojo, 5 = excelente)
jury-comment = Comentario (opcional; lo ven la organización y, al cerrar la evaluación, el jurado)
jury-save_scores = Guardar las puntuaciones
jury-err_score = Elige una puntuación de 1 a 5 para "{ $criterion }".
jury-err_closed = La evaluación está cerrada: las puntuaciones ya no pueden cambiar.
jury-err_no_rubric = Los criterios aún no están fijados.
jury-err_not_judge = No formas parte del jurado de este concurso.
jury-invite_title = Únete al jurado
jury-invite_welcome = Te invitan al jurado de { $contest }.
jury-invite_set_password = Elige una contraseña para { $email }: iniciarás sesión con esta dirección y esta contraseña.
jury-invite_login = { $email } ya tiene una cuenta aquí: escribe su contraseña para unirte.
jury-invite_accept = Unirme al jurado
jury-err_invite_gone = Este enlace de invitación ya se usó o ha caducado. Pide uno nuevo a la organización.
dash-judging = Concursos en los que eres jurado
dash-jury = Jurado

## Resultados

results-title = Resultados
results-winners = Ganadores
results-permalink = Página de resultados
results-none = No se nombraron ganadores.
results-first = Primer premio
results-second = Segundo premio
results-third = Tercer premio
results-mention = Mención de honor
results-pick_title = Ganadores
results-draft_text = Sin publicar: nada de la clasificación ni de los ganadores es público todavía.
results-published_text = Los resultados están publicados.
results-see_public = Ver la página de resultados
results-unpublish = Retirar la publicación
results-suggestion = La clasificación del jurado es una sugerencia: cada lista muestra las participaciones de mejor a peor, con sus puntos.
results-nobody = Nadie
results-mentions = Menciones de honor
results-save_draft = Guardar como borrador
results-publish = Publicar los resultados y avisar a los ganadores
results-err_not_entry = Elige una participación publicada de este concurso.
results-err_twice = Una participación solo puede ganar una vez.
results-err_too_many_mentions = Como mucho { $max } menciones de honor.
results-err_nothing = Elige al menos un ganador antes de publicar.

## Jury: the judges' comments (organizer, and judges once judging is closed)

jury-comments = Comentarios del jurado
jury-judge = Miembro del jurado
jury-comment_col = Comentario
