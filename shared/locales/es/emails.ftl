# Los correos al participante (shared/templates/email/), en el idioma de la página de subida.
# $name es el nombre del participante, $title el título del vídeo, $contest el nombre del concurso.

mail-hello = Hola { $name }:
mail-video_page = La página del vídeo:

## El vídeo está convertido

mail-ready_subject = Tu vídeo está listo: { $title }
mail-ready_body = Tu vídeo "{ $title }" para { $contest } ya está convertido y listo para verse:
mail-ready_luck = ¡Mucha suerte en el concurso!
mail-ready_button = Ver tu vídeo
mail-ready_share = Comparte el enlace con tus amigos y tu familia: la página del concurso muestra tu vídeo a todo el mundo.
mail-poster_alt = Fotograma de «{ $title }»

## La conversión ha fallado ($reason es una frase de media.ftl)

mail-failed_subject = No hemos podido convertir tu vídeo: { $title }
mail-failed_body = Lo sentimos: no hemos podido convertir tu vídeo "{ $title }" para { $contest }.
mail-failed_reason = Motivo: { $reason }
mail-failed_advice = Qué puedes hacer: comprueba que el archivo se reproduce en tu ordenador, expórtalo de nuevo (MP4 con H.264 funciona mejor) y vuelve a subirlo con otro título, o responde al organizador del concurso.

## Revisión antes de publicar

mail-ready_review = La organización revisa las participaciones antes de que aparezcan en la página del concurso; te avisaremos si la tuya no es aceptada.
mail-rejected_subject = Tu participación no fue aceptada: { $title }
mail-rejected_body = La organización de { $contest } revisó tu vídeo "{ $title }" y no lo aceptó en el concurso.
mail-rejected_message = Su mensaje:
mail-rejected_thanks = Gracias por participar.

## Invitación al jurado ($contest es el nombre del concurso, $expires cuándo deja de valer el enlace)

mail-invite_subject = Te invitan al jurado de { $contest }
mail-invite_hello = Hola:
mail-invite_body = La organización de { $contest } te invita a su jurado. Abre este enlace para elegir tu contraseña (o iniciar sesión, si ya tienes una cuenta aquí) y empezar a puntuar las participaciones:
mail-invite_expires = El enlace vale una sola vez, hasta el { $expires }. Si no esperabas esta invitación, ignora este mensaje.

## Ganadores ($place: 1, 2 o 3; 0 para una mención de honor)

mail-winner_subject = { $place ->
    [1] Tu vídeo ganó el primer premio: { $title }
    [2] Tu vídeo ganó el segundo premio: { $title }
    [3] Tu vídeo ganó el tercer premio: { $title }
   *[other] Tu vídeo recibió una mención de honor: { $title }
}
mail-winner_body = { $place ->
    [1] ¡Enhorabuena! Tu vídeo "{ $title }" ganó el primer premio de { $contest }.
    [2] ¡Enhorabuena! Tu vídeo "{ $title }" ganó el segundo premio de { $contest }.
    [3] ¡Enhorabuena! Tu vídeo "{ $title }" ganó el tercer premio de { $contest }.
   *[other] ¡Enhorabuena! Tu vídeo "{ $title }" recibió una mención de honor en { $contest }.
}
mail-winner_results = Los resultados están publicados aquí:
mail-winner_thanks = La organización se pondrá en contacto contigo por el premio. Gracias por participar.

## Acuse de recibo al subir ($name, $title, $contest)

mail-receipt_subject = Hemos recibido tu vídeo: { $title }
mail-receipt_body = Hemos recibido tu vídeo «{ $title }» para { $contest }. Lo estamos convirtiendo para que se vea en cualquier navegador.
mail-receipt_next = Te escribiremos de nuevo cuando esté listo; entonces aparecerá en la página del concurso.
mail-receipt_next_review = Te escribiremos de nuevo cuando esté listo; la organización revisa las obras antes de que aparezcan en la página del concurso.
mail-receipt_button = Sigue tu vídeo
mail-receipt_share = Cuando sea público, compártelo con tus amigos: cuanta más gente lo vea, mejor.

## Resumen de participaciones nuevas para la organización ($contest es el nombre del concurso,
## $count las participaciones nuevas, $more las que no se nombran; en una línea, $title, $author y
## $state, uno de los textos vstate-*)

mail-digest_subject = { $count ->
    [one] Una participación nueva en { $contest }
   *[other] { $count } participaciones nuevas en { $contest }
}
mail-digest_hello = Hola:
mail-digest_body = { $count ->
    [one] Ha llegado una participación nueva a { $contest } desde el último resumen:
   *[other] Han llegado { $count } participaciones nuevas a { $contest } desde el último resumen:
}
mail-digest_entry = «{ $title }», de { $author } ({ $state })
mail-digest_more = { $more ->
    [one] y una más
   *[other] y { $more } más
}
mail-digest_button = Ver todas las participaciones
mail-digest_why = Recibes este resumen porque los correos sobre participaciones nuevas están activados en este concurso. Para dejar de recibirlos, desmarca la opción en la configuración del concurso:
