# Page texts (web/templates/), including the scripts' messages (data-msg-* attributes).

## Frame

skip = Saltar al contenido
nav-main = Principal
nav-dashboard = Panel
nav-logout = Cerrar sesión
nav-logged_in_as = Sesión iniciada como { $email }
nav-login = Iniciar sesión
nav-organize = Organiza un concurso
nav-language = Idioma
footer = Clipcontest: concursos de vídeo para escuelas, marcas y festivales.

## Home

home-title = Concursos de vídeo
home-lead = Elige un concurso, sube tu vídeo en casi cualquier formato y lo convertimos para que todos puedan verlo en el navegador.
home-open = Abiertos ahora
home-upcoming = Próximos
home-past = Finalizados
home-open_empty = No hay ningún concurso abierto ahora mismo.
home-upcoming_empty = Todavía no hay nada programado.
home-past_empty = No hay concursos anteriores.
prize = Premio: { $prize }

## Auth

auth-register_title = Crea una cuenta de organizador
auth-login_title = Iniciar sesión
auth-email = Correo electrónico
auth-password = Contraseña
auth-password_min = Contraseña (al menos { $min } caracteres)
auth-create = Crear cuenta
auth-login = Entrar
auth-have_account = ¿Ya tienes una cuenta?
auth-new_here = ¿Eres nuevo?

## Dashboard

dash-title = Panel
dash-heading = Tus concursos
dash-new = Nuevo concurso
dash-empty = Todavía no tienes concursos.
dash-create_first = Crea el primero
dash-caption = Tus concursos y sus vídeos por estado
dash-contest = Concurso
dash-dates = Fechas
dash-actions = Acciones
state-queued = En cola
state-processing = Procesando
state-converted = Convertidos
state-failed = Fallidos
state-hidden = Ocultos
edit = Editar

## Contest form

cform-new = Nuevo concurso
cform-edit = Editar concurso
cform-name = Nombre
cform-slug = Nombre en la URL
cform-slug_hint = Minúsculas, dígitos y guiones; la página será /c/<nombre en la URL>. Déjalo vacío para derivarlo del nombre.
cform-prize = Premio
cform-description = Descripción
cform-starts = Empieza
cform-ends = Termina
cform-banner = Imagen de cabecera (PNG, JPEG, GIF o WebP, hasta { $max } MB)
cform-current_banner = Cabecera actual
cform-remove_banner = Quitar la cabecera actual
cform-save = Guardar cambios
cform-create = Crear concurso
cform-delete = Eliminar concurso
cform-delete_confirm = ¿Eliminar este concurso y todos sus vídeos?
cform-optional = (opcional)
cform-error_summary = { $count ->
    [one] Corrige este problema:
   *[other] Corrige estos { $count } problemas:
}
cform-banner_label = Imagen de cabecera
cform-form = Formulario
cform-banner_again = La imagen de cabecera elegida no se pudo conservar porque el formulario tenía errores: elígela de nuevo.
cform-created = Tu concurso está listo.
cform-created_link = Su enlace público, para compartir con los participantes:
cform-copy_link = Copiar el enlace

## Contest page

contest-banner_alt = Cabecera de { $name }
contest-from = Del
contest-to = al
contest-open = Abierto
contest-upcoming = Próximamente
contest-closed = Cerrado
contest-enter_cta = Participa en el concurso
contest-edit = Editar concurso
contest-now_playing = Reproduciendo
contest-by = de { $author }
share-button = Compartir
share-copied = Enlace copiado: pégalo donde quieras.
share-copy_this = Copia este enlace: { $url }
player-quality = Calidad
player-auto = Automática
contest-videos = Vídeos
contest-no_videos = Todavía no hay vídeos.
contest-be_first = ¡Sé el primero en participar!
contest-play = Reproducir { $title }
contest-pages = Páginas
contest-previous = Anterior
contest-next = Siguiente
org-heading = Organizador: todas las participaciones
org-nothing = Todavía no hay participaciones.
org-date = Enviado
org-duration = Duración
org-public = público
org-title = Título
org-participant = Participante
org-state = Estado
org-details = Detalles
org-actions = Acciones
org-hidden = oculto
org-retry = Reintentar
org-show = Mostrar
org-hide = Ocultar
org-delete = Eliminar
org-delete_confirm = ¿Eliminar este vídeo?
org-mail_heading = Correos no entregados
org-mail_intro = Mensajes a participantes que no se enviaron, los más recientes primero. No se vuelve a escribir a direcciones que rebotaron definitivamente o se quejaron.
org-mail_to = Para
org-mail_subject = Asunto
org-mail_reason = Motivo
mstate-failed = rechazado
mstate-skipped = no enviado
vstate-queued = en cola
vstate-processing = procesando
vstate-converted = convertido
vstate-failed = fallido
enter-heading = Participa en el concurso
enter-title = Título del vídeo
enter-first_name = Nombre
enter-last_name = Apellidos
enter-email = Correo electrónico (te enviamos el enlace aquí)
enter-description = Descripción (opcional)
enter-video = Archivo de vídeo (AVI, FLV, WMV, MP4, MOV, MKV o WebM; hasta { $max } MB)
enter-uploading = Subiendo…
enter-privacy = Se muestran con tu vídeo: tu nombre, su título y su descripción. Nunca se muestra: tu correo; solo lo usamos para escribirte sobre este vídeo.
enter-submit = Subir vídeo
enter-opens = Este concurso admite participaciones a partir del { $date }.
enter-closed = Este concurso cerró el { $date } y ya no admite participaciones.
enter-failed_http = La subida ha fallado (HTTP { $status }). Inténtalo de nuevo.
enter-interrupted = Se interrumpió la conexión. Inténtalo de nuevo.
enter-progress = { $sent } de { $total } MB, quedan unos { $left }
enter-progress_done = { $total } MB enviados, comprobando el archivo…
enter-left_secs = { $n } s
enter-left_mins = { $n } min
enter-cancel = Cancelar la subida
enter-cancelled = Subida cancelada. No se ha guardado nada; puedes enviarla de nuevo.
enter-not_video = Este archivo no es un vídeo que el sitio pueda leer (AVI, FLV, WMV, MP4, MOV, MKV o WebM). Elige otro archivo.
enter-captions = Subtítulos (opcional): un archivo WebVTT (.vtt) o SRT (.srt), de hasta { $max } KB
enter-captions_lang = Idioma de los subtítulos
enter-captions_not_text = Este archivo de subtítulos no es un .vtt ni un .srt. Elige otro archivo o déjalo vacío.
video-captions = Subtítulos: { $lang }

## Video page

video-back = Volver a { $contest }
video-hidden = oculto por el organizador
video-failed = No hemos podido convertir este vídeo:
video-unknown_error = error desconocido
video-converting = Convirtiendo…
video-received = Recibido, se convertirá en breve…
video-we_will_email = Te enviaremos un enlace por correo cuando esté listo; también puedes dejar esta página abierta.
video-email_to = Te escribiremos a { $email } cuando esté listo.
video-public_after = Cuando esté convertido, aparecerá en la página del concurso para todo el mundo.
video-queue_ahead = { $n ->
    [0] El tuyo es el siguiente.
    [one] Hay un vídeo antes que el tuyo.
   *[other] Hay { $n } vídeos antes que el tuyo.
}
video-progress = Progreso de la conversión
video-ready = ¡Listo! Tu vídeo ya está convertido.

## Contest form, entries limit

cform-entries_per_email = Participaciones por correo de participante
error-too_many = Espera un momento

## Error page

error-title = Error { $status }
error-not_found = No encontrado
error-not_allowed = No permitido
error-log_in = Inicia sesión
error-sorry = Lo sentimos
error-back = Volver a los concursos
