//! Page languages: English and Spanish (the seed system's users wrote in Spanish).
//!
//! Why a static catalogue and not Fluent: two languages, a few hundred short strings, no plural
//! rules beyond what a sentence can avoid. A `(key, en, es)` table is checked at test time
//! (every key used in a template exists, no duplicates) and costs no dependency or runtime
//! loading. Should a third language with real plural rules arrive, the `t`/`tf` call sites map
//! one-to-one onto `fluent-bundle` messages.
//!
//! How the language reaches a page: the `negotiate` middleware picks it once per request (the
//! `lang` cookie wins over `Accept-Language`) and runs the rest of the request inside a task-local
//! scope. Handlers build their `Layout` from it, and so does `AppError::error_response`, which has
//! no access to the request; threading a `Lang` through every handler signature would reach
//! the same pages with more code.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

pub const COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
}

/// What a page needs to know about the request it answers: its language and, for GET pages,
/// the path to come back to after switching language.
#[derive(Debug, Clone, Default)]
pub struct RequestLang {
    pub lang: Lang,
    pub back_to: Option<String>,
}

tokio::task_local! {
    static CURRENT: RequestLang;
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// `es`, `es-MX`, `ES` → Spanish; unknown tags → `None`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The supported language with the highest `q` in an `Accept-Language` header (ties keep the
    /// header's order); English when none matches.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// The language of the request being handled (English outside a request).
    pub fn current() -> Lang {
        CURRENT.try_with(|c| c.lang).unwrap_or_default()
    }

    /// The message for `key`; the key itself if the catalogue lacks it (a test keeps that from
    /// happening for every key used in a template).
    pub fn t(self, key: &str) -> &str {
        match CATALOGUE.iter().find(|(k, _, _)| *k == key) {
            Some((_, en, es)) => match self {
                Lang::En => en,
                Lang::Es => es,
            },
            None => {
                tracing::warn!(key, "missing translation key");
                key
            }
        }
    }

    /// A validation failure from `shared::domain` in this language: English keeps the domain's
    /// own sentence; other languages look its `code` up, naming the field by its translated label.
    pub fn field_error(self, e: &shared::domain::FieldError) -> String {
        if self == Lang::En || !CATALOGUE.iter().any(|(k, _, _)| *k == e.code) {
            return e.message.clone();
        }
        let mut out = self.t(e.code).to_string();
        if let Some(label) = &e.label {
            let label = match LABELS.iter().find(|(en, _)| en == label) {
                Some((_, key)) => self.t(key),
                None => label.as_str(),
            };
            out = out.replace("{label}", label);
        }
        match &e.arg {
            Some(arg) => out.replacen("{}", arg, 1),
            None => out,
        }
    }

    /// An ffprobe refusal in this language (English keeps the worker's own sentence).
    pub fn rejection(self, r: &shared::media::Rejection) -> String {
        if self == Lang::En || !CATALOGUE.iter().any(|(k, _, _)| *k == r.code) {
            return r.message.clone();
        }
        r.args.iter().fold(self.t(r.code).to_string(), |out, arg| {
            out.replacen("{}", arg, 1)
        })
    }

    /// A conversion failure's public sentence from the stored code (`videos.error`): one of a
    /// fixed set, never raw ffmpeg output.
    pub fn failure(self, stored: &str) -> &'static str {
        shared::media::failure::public_sentence(stored, self.code())
    }

    /// A message with one `{}` placeholder filled in (askama escapes the result).
    pub fn tf(self, key: &str, arg: impl std::fmt::Display) -> String {
        self.t(key).replacen("{}", &arg.to_string(), 1)
    }
}

/// The request's language, chosen once; the request then runs inside that scope.
pub async fn negotiate(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let from_cookie = req.cookie(COOKIE).and_then(|c| Lang::parse(c.value()));
    let lang = from_cookie.unwrap_or_else(|| {
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    });
    let back_to =
        (req.method() == actix_web::http::Method::GET).then(|| match req.query_string() {
            "" => req.path().to_string(),
            q => format!("{}?{}", req.path(), q),
        });
    let mut res = CURRENT
        .scope(RequestLang { lang, back_to }, next.call(req))
        .await?;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.code()),
        );
        // Shared caches must not hand a Spanish page to an English reader.
        h.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
    }
    Ok(res)
}

/// The current request's language and switcher target.
pub fn request_lang() -> RequestLang {
    CURRENT.try_with(Clone::clone).unwrap_or_default()
}

/// A local path to send the visitor back to: absolute path, no scheme-relative `//host` or
/// backslash tricks (no open redirect), otherwise the home page.
pub fn safe_back_to(next: Option<&str>) -> &str {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control) =>
        {
            p
        }
        _ => "/",
    }
}

/// The English field labels the domain names in its messages, and the catalogue key of each.
static LABELS: &[(&str, &str)] = &[
    ("Name", "cform.name"),
    ("Description", "cform.description"),
    ("Prize", "cform.prize"),
    ("Title", "org.title"),
    ("First name", "enter.first_name"),
    ("Last name", "enter.last_name"),
];

/// `(key, English, Spanish)`.
static CATALOGUE: &[(&str, &str, &str)] = &[
    // Frame
    ("skip", "Skip to content", "Saltar al contenido"),
    ("nav.main", "Main", "Principal"),
    ("nav.dashboard", "Dashboard", "Panel"),
    ("nav.logout", "Log out", "Cerrar sesión"),
    ("nav.logged_in_as", "Logged in as {}", "Sesión iniciada como {}"),
    ("nav.login", "Log in", "Iniciar sesión"),
    ("nav.organize", "Organize a contest", "Organiza un concurso"),
    ("nav.language", "Language", "Idioma"),
    ("footer", "Clipcontest: video contests for schools, brands and festivals.", "Clipcontest: concursos de vídeo para escuelas, marcas y festivales."),
    // Home
    ("home.title", "Video contests", "Concursos de vídeo"),
    (
        "home.lead",
        "Pick a contest, upload your video in almost any format, and we convert it so everyone can watch it in the browser.",
        "Elige un concurso, sube tu vídeo en casi cualquier formato y lo convertimos para que todos puedan verlo en el navegador.",
    ),
    ("home.open", "Open now", "Abiertos ahora"),
    ("home.upcoming", "Upcoming", "Próximos"),
    ("home.past", "Past", "Finalizados"),
    ("home.open_empty", "No contest is open right now.", "No hay ningún concurso abierto ahora mismo."),
    ("home.upcoming_empty", "Nothing scheduled yet.", "Todavía no hay nada programado."),
    ("home.past_empty", "No past contests.", "No hay concursos anteriores."),
    ("prize", "Prize: {}", "Premio: {}"),
    // Auth
    ("auth.register_title", "Create an organizer account", "Crea una cuenta de organizador"),
    ("auth.login_title", "Log in", "Iniciar sesión"),
    ("auth.email", "Email", "Correo electrónico"),
    ("auth.password", "Password", "Contraseña"),
    ("auth.password_min", "Password (at least {} characters)", "Contraseña (al menos {} caracteres)"),
    ("auth.create", "Create account", "Crear cuenta"),
    ("auth.login", "Log in", "Entrar"),
    ("auth.have_account", "Already have an account?", "¿Ya tienes una cuenta?"),
    ("auth.new_here", "New here?", "¿Eres nuevo?"),
    // Dashboard
    ("dash.title", "Dashboard", "Panel"),
    ("dash.heading", "Your contests", "Tus concursos"),
    ("dash.new", "New contest", "Nuevo concurso"),
    ("dash.empty", "You have no contests yet.", "Todavía no tienes concursos."),
    ("dash.create_first", "Create your first one", "Crea el primero"),
    ("dash.caption", "Your contests and their videos by state", "Tus concursos y sus vídeos por estado"),
    ("dash.contest", "Contest", "Concurso"),
    ("dash.dates", "Dates", "Fechas"),
    ("dash.actions", "Actions", "Acciones"),
    ("state.queued", "Queued", "En cola"),
    ("state.processing", "Processing", "Procesando"),
    ("state.converted", "Converted", "Convertidos"),
    ("state.failed", "Failed", "Fallidos"),
    ("state.hidden", "Hidden", "Ocultos"),
    ("edit", "Edit", "Editar"),
    // Contest form
    ("cform.new", "New contest", "Nuevo concurso"),
    ("cform.edit", "Edit contest", "Editar concurso"),
    ("cform.name", "Name", "Nombre"),
    ("cform.slug", "URL name", "Nombre en la URL"),
    (
        "cform.slug_hint",
        "Lowercase letters, digits and hyphens; the page will be /c/<URL name>. Leave empty to derive it from the name.",
        "Minúsculas, dígitos y guiones; la página será /c/<nombre en la URL>. Déjalo vacío para derivarlo del nombre.",
    ),
    ("cform.prize", "Prize", "Premio"),
    ("cform.description", "Description", "Descripción"),
    ("cform.starts", "Starts (UTC)", "Empieza (UTC)"),
    ("cform.ends", "Ends (UTC)", "Termina (UTC)"),
    ("cform.banner", "Banner image (PNG, JPEG, GIF or WebP, up to {} MB)", "Imagen de cabecera (PNG, JPEG, GIF o WebP, hasta {} MB)"),
    ("cform.current_banner", "Current banner", "Cabecera actual"),
    ("cform.remove_banner", "Remove the current banner", "Quitar la cabecera actual"),
    ("cform.save", "Save changes", "Guardar cambios"),
    ("cform.create", "Create contest", "Crear concurso"),
    ("cform.delete", "Delete contest", "Eliminar concurso"),
    ("cform.delete_confirm", "Delete this contest and all its videos?", "¿Eliminar este concurso y todos sus vídeos?"),
    // Contest page
    ("contest.banner_alt", "Banner of {}", "Cabecera de {}"),
    ("contest.from", "From", "Del"),
    ("contest.to", "to", "al"),
    ("contest.open", "Open", "Abierto"),
    ("contest.upcoming", "Upcoming", "Próximamente"),
    ("contest.closed", "Closed", "Cerrado"),
    ("contest.edit", "Edit contest", "Editar concurso"),
    ("contest.now_playing", "Now playing", "Reproduciendo"),
    ("contest.by", "by {}", "de {}"),
    ("contest.permalink", "Permalink", "Enlace permanente"),
    ("player.quality", "Quality", "Calidad"),
    ("player.auto", "Auto", "Automática"),
    ("contest.videos", "Videos", "Vídeos"),
    ("contest.no_videos", "No videos yet.", "Todavía no hay vídeos."),
    ("contest.be_first", "Be the first to enter!", "¡Sé el primero en participar!"),
    ("contest.play", "Play {}", "Reproducir {}"),
    ("contest.pages", "Pages", "Páginas"),
    ("contest.previous", "Previous", "Anterior"),
    ("contest.next", "Next", "Siguiente"),
    ("org.heading", "Organizer: videos not on the public page", "Organizador: vídeos que no están en la página pública"),
    ("org.nothing", "Nothing waiting: every video is converted and visible.", "Nada pendiente: todos los vídeos están convertidos y visibles."),
    ("org.title", "Title", "Título"),
    ("org.participant", "Participant", "Participante"),
    ("org.state", "State", "Estado"),
    ("org.details", "Details", "Detalles"),
    ("org.actions", "Actions", "Acciones"),
    ("org.hidden", "hidden", "oculto"),
    ("org.retry", "Retry", "Reintentar"),
    ("org.show", "Show", "Mostrar"),
    ("org.hide", "Hide", "Ocultar"),
    ("org.delete", "Delete", "Eliminar"),
    ("org.delete_confirm", "Delete this video?", "¿Eliminar este vídeo?"),
    ("org.published", "Published videos", "Vídeos publicados"),
    ("org.none_published", "No published videos yet.", "Todavía no hay vídeos publicados."),
    ("org.mail_heading", "Emails not delivered", "Correos no entregados"),
    ("org.mail_intro", "Messages to participants that did not go out, newest first. Addresses that bounced for good or complained are not mailed again.", "Mensajes a participantes que no se enviaron, los más recientes primero. No se vuelve a escribir a direcciones que rebotaron definitivamente o se quejaron."),
    ("org.mail_to", "To", "Para"),
    ("org.mail_subject", "Subject", "Asunto"),
    ("org.mail_reason", "Reason", "Motivo"),
    ("mstate.failed", "refused", "rechazado"),
    ("mstate.skipped", "not sent", "no enviado"),
    ("vstate.uploaded", "uploaded", "subido"),
    ("vstate.queued", "queued", "en cola"),
    ("vstate.processing", "processing", "procesando"),
    ("vstate.converted", "converted", "convertido"),
    ("vstate.failed", "failed", "fallido"),
    ("enter.heading", "Enter the contest", "Participa en el concurso"),
    ("enter.title", "Video title", "Título del vídeo"),
    ("enter.first_name", "First name", "Nombre"),
    ("enter.last_name", "Last name", "Apellidos"),
    ("enter.email", "Email (we send the link here)", "Correo electrónico (te enviamos el enlace aquí)"),
    ("enter.description", "Description (optional)", "Descripción (opcional)"),
    ("enter.video", "Video file (AVI, FLV, WMV, MP4, MOV, MKV or WebM; up to {} MB)", "Archivo de vídeo (AVI, FLV, WMV, MP4, MOV, MKV o WebM; hasta {} MB)"),
    ("enter.uploading", "Uploading…", "Subiendo…"),
    ("enter.submit", "Upload video", "Subir vídeo"),
    ("enter.opens", "This contest opens for entries on {}.", "Este concurso admite participaciones a partir del {}."),
    ("enter.closed", "This contest closed on {} and no longer accepts entries.", "Este concurso cerró el {} y ya no admite participaciones."),
    ("enter.failed_http", "The upload failed (HTTP {}). Please try again.", "La subida ha fallado (HTTP {}). Inténtalo de nuevo."),
    ("enter.interrupted", "The connection was interrupted. Please try again.", "Se interrumpió la conexión. Inténtalo de nuevo."),
    // Video page
    ("video.back", "Back to {}", "Volver a {}"),
    ("video.hidden", "hidden by the organizer", "oculto por el organizador"),
    ("video.failed", "We could not convert this video:", "No hemos podido convertir este vídeo:"),
    ("video.unknown_error", "unknown error", "error desconocido"),
    ("video.converting", "Converting…", "Convirtiendo…"),
    ("video.received", "Received, converting soon…", "Recibido, se convertirá en breve…"),
    (
        "video.we_will_email",
        "We will email you a link when it is ready; you can also keep this page open.",
        "Te enviaremos un enlace por correo cuando esté listo; también puedes dejar esta página abierta.",
    ),
    ("video.progress", "Conversion progress", "Progreso de la conversión"),
    ("video.ready", "Ready! Your video has been converted.", "¡Listo! Tu vídeo ya está convertido."),
    // Upload refusals (the participant's side; field checks from shared::domain are under "Field checks")
    ("err.too_large", "The video is larger than the limit of {} MB.", "El vídeo supera el límite de {} MB."),
    ("err.not_accepting", "This contest is not accepting entries right now.", "Este concurso no admite participaciones en este momento."),
    ("err.unreadable", "The upload could not be read. Please try again.", "No se ha podido leer la subida. Inténtalo de nuevo."),
    ("err.no_file", "Please choose a video file to upload.", "Elige un archivo de vídeo para subir."),
    (
        "err.duplicate_title",
        "A video with this title is already in the contest. Please choose another title.",
        "Ya hay un vídeo con este título en el concurso. Elige otro título.",
    ),
    ("err.interrupted", "The upload was interrupted. Please try again.", "La subida se ha interrumpido. Inténtalo de nuevo."),
    ("err.busy", "The site is busy checking other uploads. Please try again in a few seconds.", "El sitio está ocupado comprobando otras subidas. Inténtalo de nuevo en unos segundos."),
    ("err.empty", "The video file is empty.", "El archivo de vídeo está vacío."),
    // Field checks (`shared::domain::FieldError` codes; `{label}` is the field's name)
    ("field.required", "{label} is required.", "El campo «{label}» es obligatorio."),
    ("field.too_long", "{label} must be at most {} characters.", "El campo «{label}» admite como máximo {} caracteres."),
    ("field.control_chars", "{label} contains characters that are not allowed.", "El campo «{label}» contiene caracteres no permitidos."),
    ("field.single_line", "{label} must be a single line.", "El campo «{label}» debe ocupar una sola línea."),
    ("email.invalid", "Please enter a valid email address, like name@example.org.", "Introduce una dirección de correo válida, como nombre@ejemplo.org."),
    ("slug.length", "The URL name must be 3 to 64 characters long.", "El nombre en la URL debe tener entre 3 y 64 caracteres."),
    ("slug.chars", "The URL name may only use lowercase letters a-z, digits and hyphens.", "El nombre en la URL solo puede usar letras minúsculas a-z, dígitos y guiones."),
    (
        "slug.hyphens",
        "The URL name cannot start or end with a hyphen or contain two in a row.",
        "El nombre en la URL no puede empezar ni terminar con un guion ni tener dos seguidos.",
    ),
    ("slug.reserved", "That URL name is reserved; please choose another.", "Ese nombre en la URL está reservado; elige otro."),
    ("slug.taken", "This URL name is already taken; please choose another.", "Ese nombre en la URL ya está en uso; elige otro."),
    ("pw.too_short", "The password must be at least {} characters long.", "La contraseña debe tener al menos {} caracteres."),
    ("pw.too_long", "The password must be at most {} characters long.", "La contraseña debe tener como máximo {} caracteres."),
    ("auth.exists", "An account with this email already exists. Log in instead?", "Ya existe una cuenta con este correo. ¿Quieres iniciar sesión?"),
    ("auth.mismatch", "That email and password do not match an account.", "Ese correo y esa contraseña no corresponden a ninguna cuenta."),
    ("cform.err_starts", "Please enter a start date and time (YYYY-MM-DDTHH:MM, UTC).", "Introduce una fecha y hora de inicio (AAAA-MM-DDTHH:MM, UTC)."),
    ("cform.err_ends", "Please enter an end date and time (YYYY-MM-DDTHH:MM, UTC).", "Introduce una fecha y hora de fin (AAAA-MM-DDTHH:MM, UTC)."),
    ("cform.err_order", "The contest must end after it starts.", "El concurso debe terminar después de empezar."),
    ("cform.err_banner_size", "The banner image must be at most {} MB.", "La imagen de cabecera admite como máximo {} MB."),
    ("cform.err_banner_type", "The banner must be a PNG, JPEG, GIF or WebP image.", "La cabecera debe ser una imagen PNG, JPEG, GIF o WebP."),
    ("cform.err_banner_damaged", "The banner image appears to be damaged.", "La imagen de cabecera parece estar dañada."),
    // Upload refusals by content (`shared::media::Rejection` codes)
    ("probe.unreadable", "The file could not be read as a video.", "No se ha podido leer el archivo como vídeo."),
    (
        "probe.unsupported",
        "This file is not a supported video. Please upload AVI, FLV, WMV, MP4, MOV, MKV or WebM.",
        "Este archivo no es un vídeo admitido. Sube un AVI, FLV, WMV, MP4, MOV, MKV o WebM.",
    ),
    ("probe.no_video", "This file has no video stream.", "Este archivo no tiene pista de vídeo."),
    (
        "probe.no_duration",
        "The video's duration could not be determined; the file may be damaged.",
        "No se ha podido determinar la duración del vídeo; puede que el archivo esté dañado.",
    ),
    ("probe.too_long", "The video is {} seconds long; the limit is {} seconds.", "El vídeo dura {} segundos; el límite es de {} segundos."),
    ("probe.too_big", "The video is {}; the largest accepted size is {}.", "El vídeo mide {}; el tamaño máximo admitido es {}."),
    ("probe.too_many_fps", "The video has {} frames per second; the limit is {}.", "El vídeo tiene {} fotogramas por segundo; el límite es {}."),
    ("probe.too_many_frames", "The video has {} frames; the limit is {}.", "El vídeo tiene {} fotogramas; el límite es {}."),
    ("probe.too_many_streams", "The file has {} streams; the limit is {}.", "El archivo tiene {} pistas; el límite es {}."),
    (
        "probe.undecodable",
        "The video stream in this file could not be decoded; the file may be damaged.",
        "No se ha podido decodificar la pista de vídeo de este archivo; puede que esté dañado.",
    ),
    // Error page sentences (`AppError` keys)
    ("error.msg_not_found", "We could not find that page.", "No hemos encontrado esa página."),
    (
        "error.msg_csrf",
        "Your session expired or the form was not sent from this site. Please reload the page and try again.",
        "Tu sesión ha caducado o el formulario no se envió desde este sitio. Recarga la página e inténtalo de nuevo.",
    ),
    ("error.msg_log_in", "Please log in as an organizer first.", "Primero inicia sesión como organizador."),
    ("error.msg_not_owner", "Only the organizer of this contest can do that.", "Solo el organizador de este concurso puede hacer eso."),
    ("error.msg_internal", "Something went wrong on our side. Please try again in a moment.", "Algo ha fallado por nuestra parte. Inténtalo de nuevo en un momento."),
    ("error.msg_unreadable_form", "The form could not be read. Please try again.", "No se ha podido leer el formulario. Inténtalo de nuevo."),
    ("error.msg_bad_query", "The address has a malformed query.", "La dirección tiene una consulta mal formada."),
    ("error.msg_form_too_large", "The form is too large. Please send less text or a smaller image.", "El formulario es demasiado grande. Envía menos texto o una imagen más pequeña."),
    ("error.msg_form_fields", "The form has fields this page does not send, or a field twice.", "El formulario tiene campos que esta página no envía, o un campo repetido."),
    // Abuse limits (`{}` is a number of seconds)
    ("limit.address", "Too many attempts from your address. Please wait {} seconds and try again.", "Demasiados intentos desde tu dirección. Espera {} segundos e inténtalo de nuevo."),
    ("limit.account", "Too many failed logins for this account. Please wait {} seconds and try again.", "Demasiados inicios de sesión fallidos para esta cuenta. Espera {} segundos e inténtalo de nuevo."),
    ("limit.uploads", "You have sent many videos in a short time. Please wait {} seconds before sending another.", "Has enviado muchos vídeos en poco tiempo. Espera {} segundos antes de enviar otro."),
    ("limit.uploads_at_once", "You are already sending videos. Please wait until they finish and try again in {} seconds.", "Ya estás enviando vídeos. Espera a que terminen e inténtalo de nuevo dentro de {} segundos."),
    ("limit.busy", "The site is receiving many videos right now. Please try again in {} seconds.", "El sitio está recibiendo muchos vídeos ahora mismo. Inténtalo de nuevo dentro de {} segundos."),
    ("limit.busy_login", "The site is busy. Please try again in {} seconds.", "El sitio está ocupado. Inténtalo de nuevo dentro de {} segundos."),
    ("err.stalled", "The upload stopped sending data and was ended. Please try again.", "La subida dejó de enviar datos y se ha cancelado. Inténtalo de nuevo."),
    ("err.entries_per_email", "This email address has already sent the most entries this contest allows ({}).", "Esta dirección de correo ya ha enviado el máximo de participaciones que admite este concurso ({})."),
    ("cform.entries_per_email", "Entries per participant email", "Participaciones por correo de participante"),
    ("cform.err_entries", "Please enter a whole number from 1 to 100.", "Introduce un número entero del 1 al 100."),
    ("error.too_many", "Please wait", "Espera un momento"),
    // Error page
    ("error.title", "Error {}", "Error {}"),
    ("error.not_found", "Not found", "No encontrado"),
    ("error.not_allowed", "Not allowed", "No permitido"),
    ("error.log_in", "Please log in", "Inicia sesión"),
    ("error.sorry", "Sorry", "Lo sentimos"),
    ("error.back", "Back to the contests", "Volver a los concursos"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(Lang::from_accept_language("es"), Lang::Es);
        assert_eq!(
            Lang::from_accept_language("es-ES,es;q=0.9,en;q=0.8"),
            Lang::Es
        );
        assert_eq!(
            Lang::from_accept_language("fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7"),
            Lang::Es
        );
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,es;q=0.8"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("en;q=0.5, es;q=0.6"), Lang::Es);
        assert_eq!(Lang::from_accept_language("es;q=0"), Lang::En);
        assert_eq!(Lang::from_accept_language("de"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }

    #[test]
    fn back_to_is_local_only() {
        assert_eq!(safe_back_to(Some("/c/sea?page=2")), "/c/sea?page=2");
        assert_eq!(safe_back_to(Some("//evil.example/")), "/");
        assert_eq!(safe_back_to(Some("https://evil.example/")), "/");
        assert_eq!(safe_back_to(Some("/\\evil.example")), "/");
        assert_eq!(safe_back_to(None), "/");
    }

    #[test]
    fn field_errors_follow_the_language() {
        let e = shared::domain::BoundedText::parse("name", "Name", "", true, 10).unwrap_err();
        assert_eq!(Lang::En.field_error(&e), "Name is required.");
        assert_eq!(
            Lang::Es.field_error(&e),
            "El campo «Nombre» es obligatorio."
        );
        let e = shared::domain::BoundedText::parse("prize", "Prize", "12345678901", false, 10)
            .unwrap_err();
        assert_eq!(
            Lang::Es.field_error(&e),
            "El campo «Premio» admite como máximo 10 caracteres."
        );
        for bad in ["ab", "Upper", "-lead", "new"] {
            let e = shared::domain::ContestSlug::parse(bad).unwrap_err();
            assert!(CATALOGUE.iter().any(|(k, _, _)| *k == e.code), "{}", e.code);
            assert_eq!(
                Lang::En.t(e.code),
                e.message,
                "the catalogue's English matches the domain's"
            );
        }
        let e = shared::domain::EmailAddress::parse("email", "nope").unwrap_err();
        assert_eq!(Lang::En.t(e.code), e.message);
        assert!(Lang::Es
            .field_error(&e)
            .starts_with("Introduce una dirección de correo válida"));
    }

    #[test]
    fn probe_rejections_follow_the_language() {
        let r = shared::media::Rejection {
            message: "The video is 700 seconds long; the limit is 600 seconds.".into(),
            code: "probe.too_long",
            args: vec!["700".into(), "600".into()],
        };
        assert_eq!(Lang::En.rejection(&r), r.message);
        assert_eq!(
            Lang::Es.rejection(&r),
            "El vídeo dura 700 segundos; el límite es de 600 segundos."
        );
        assert_eq!(
            Lang::En
                .t("probe.too_long")
                .replacen("{}", "700", 1)
                .replacen("{}", "600", 1),
            r.message
        );
    }

    #[test]
    fn catalogue_has_unique_keys_and_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for (k, en, es) in CATALOGUE {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!en.is_empty() && !es.is_empty(), "empty message for {k}");
            assert_eq!(
                en.matches("{}").count(),
                es.matches("{}").count(),
                "placeholders differ for {k}"
            );
        }
    }

    /// Every `t("…")`/`tf("…", …)` in the templates and the scripts' message attributes names a key
    /// that exists, so no page shows a raw key.
    #[test]
    fn every_template_key_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut files = vec![dir.clone()];
        let mut checked = 0;
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for marker in ["t(\"", "tf(\""] {
                for (i, _) in text.match_indices(marker) {
                    let rest = &text[i + marker.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    assert!(
                        CATALOGUE.iter().any(|(k, _, _)| *k == key),
                        "{}: unknown key {key}",
                        p.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(
            checked > 50,
            "found only {checked} keys: is the scan broken?"
        );
    }
}
