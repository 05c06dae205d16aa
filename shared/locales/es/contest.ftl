# Llevar un concurso hasta sus ganadores: ajustes, revisión, jurado, resultados, exportaciones.

## Formulario del concurso: ajustes

cform-time_zone = Zona horaria
cform-time_zone_hint = Un nombre IANA como Europe/Madrid o America/Mexico_City. El inicio y el fin de abajo están en esta zona, y las páginas del concurso las muestran en ella.
cform-err_time_zone = Escribe un nombre de zona horaria de la lista, como Europe/Madrid o UTC.
cform-err_skipped_time = Esta hora no existe en { $zone } (los relojes se la saltan al empezar el horario de verano). Elige otra.
cform-review_legend = Revisión
cform-review_required = Revisar las participaciones antes de publicarlas
cform-review_hint = Los vídeos convertidos esperan entonces "pendientes de revisión" y aparecen en la página del concurso solo cuando los apruebas.
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
