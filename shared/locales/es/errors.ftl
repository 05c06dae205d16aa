# Refusals and field errors: the `error` of JSON bodies and the sentences next to form fields.

## Upload refusals (the participant's side; field checks from shared::domain are under "Field checks")

err-too_large = El vídeo supera el límite de { $max } MB.
err-not_accepting = Este concurso no admite participaciones en este momento.
err-unreadable = No se ha podido leer la subida. Inténtalo de nuevo.
err-no_file = Elige un archivo de vídeo para subir.
err-duplicate_title = Ya hay un vídeo con este título en el concurso. Elige otro título.
err-interrupted = La subida se ha interrumpido. Inténtalo de nuevo.
err-busy = El sitio está ocupado comprobando otras subidas. Inténtalo de nuevo en unos segundos.
err-empty = El archivo de vídeo está vacío.

## Field checks (`shared::domain::FieldError` codes; $label is the field's name, itself a message)

field-required = El campo «{ $label }» es obligatorio.
field-too_long = El campo «{ $label }» admite como máximo { $max } caracteres.
field-control_chars = El campo «{ $label }» contiene caracteres no permitidos.
field-single_line = El campo «{ $label }» debe ocupar una sola línea.
email-invalid = Introduce una dirección de correo válida, como nombre@ejemplo.org.
slug-length = El nombre en la URL debe tener entre 3 y 64 caracteres.
slug-chars = El nombre en la URL solo puede usar letras minúsculas a-z, dígitos y guiones.
slug-hyphens = El nombre en la URL no puede empezar ni terminar con un guion ni tener dos seguidos.
slug-reserved = Ese nombre en la URL está reservado; elige otro.
slug-taken = Ese nombre en la URL ya está en uso; elige otro.
pw-too_short = La contraseña debe tener al menos { $min } caracteres.
pw-too_long = La contraseña debe tener como máximo { $max } caracteres.
auth-exists = Ya existe una cuenta con este correo. ¿Quieres iniciar sesión?
auth-mismatch = Ese correo y esa contraseña no corresponden a ninguna cuenta.
cform-err_starts = Introduce una fecha y hora de inicio (AAAA-MM-DDTHH:MM, en la zona horaria del concurso).
cform-err_ends = Introduce una fecha y hora de fin (AAAA-MM-DDTHH:MM, en la zona horaria del concurso).
cform-err_order = El concurso debe terminar después de empezar.
cform-err_banner_size = La imagen de cabecera admite como máximo { $max } MB.
cform-err_banner_type = La cabecera debe ser una imagen PNG, JPEG, GIF o WebP.
cform-err_banner_damaged = La imagen de cabecera parece estar dañada.

## Error page sentences (`AppError` keys)

error-msg_not_found = No hemos encontrado esa página.
error-msg_csrf = Tu sesión ha caducado o el formulario no se envió desde este sitio. Recarga la página e inténtalo de nuevo.
error-msg_log_in = Primero inicia sesión como organizador.
error-msg_not_owner = Solo el organizador de este concurso puede hacer eso.
error-msg_internal = Algo ha fallado por nuestra parte. Inténtalo de nuevo en un momento.
error-msg_unreadable_form = No se ha podido leer el formulario. Inténtalo de nuevo.
error-msg_bad_query = La dirección tiene una consulta mal formada.
error-msg_form_too_large = El formulario es demasiado grande. Envía menos texto o una imagen más pequeña.
error-msg_form_fields = El formulario tiene campos que esta página no envía, o un campo repetido.
error-msg_bad_page = El número de página debe ser un número entero positivo.
error-msg_retry_not_failed = Solo se puede reintentar un vídeo que ha fallado.

## Abuse limits ($secs is a number of seconds)

limit-address = Demasiados intentos desde tu dirección. Espera { $secs } segundos e inténtalo de nuevo.
limit-account = Demasiados inicios de sesión fallidos para esta cuenta. Espera { $secs } segundos e inténtalo de nuevo.
limit-uploads = Has enviado muchos vídeos en poco tiempo. Espera { $secs } segundos antes de enviar otro.
limit-uploads_at_once = Ya estás enviando vídeos. Espera a que terminen e inténtalo de nuevo dentro de { $secs } segundos.
limit-busy = El sitio está recibiendo muchos vídeos ahora mismo. Inténtalo de nuevo dentro de { $secs } segundos.
limit-busy_login = El sitio está ocupado. Inténtalo de nuevo dentro de { $secs } segundos.
err-stalled = La subida dejó de enviar datos y se ha cancelado. Inténtalo de nuevo.
err-entries_per_email = Esta dirección de correo ya ha enviado el máximo de participaciones que admite este concurso ({ $max }).
cform-err_entries = Introduce un número entero del 1 al 100.
