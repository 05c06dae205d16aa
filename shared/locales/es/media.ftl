# What the participant reads about their file: refusals at upload, failure reasons after.

## Upload refusals by content (`shared::media::Rejection` codes)

probe-unreadable = No se ha podido leer el archivo como vídeo.
probe-unsupported = Este archivo no es un vídeo admitido. Sube un AVI, FLV, WMV, MP4, MOV, MKV o WebM.
probe-no_video = Este archivo no tiene pista de vídeo.
probe-no_duration = No se ha podido determinar la duración del vídeo; puede que el archivo esté dañado.
probe-too_long = El vídeo dura { $secs } segundos; el límite es de { $max } segundos.
probe-too_big = El vídeo mide { $size }; el tamaño máximo admitido es { $max }.
probe-too_many_fps = El vídeo tiene { $fps } fotogramas por segundo; el límite es { $max }.
probe-too_many_frames = El vídeo tiene { $frames } fotogramas; el límite es { $max }.
probe-too_many_streams = El archivo tiene { $streams } pistas; el límite es { $max }.
probe-undecodable = No se ha podido decodificar la pista de vídeo de este archivo; puede que esté dañado.

## Conversion failure reasons (`FailureCode`, stored in `videos.error`)

media-damaged = El archivo está dañado: no se ha podido decodificar su vídeo.
media-unsupported = El archivo usa un formato de vídeo o audio que no podemos convertir.
media-too_long = El vídeo es demasiado largo.
media-timeout = La conversión tardaba demasiado y se ha detenido.
media-missing = El archivo subido se ha perdido; súbelo de nuevo.
media-internal = No se ha podido convertir el vídeo por un problema nuestro.
media-rejected = El vídeo está fuera de los límites admitidos.
media-interrupted = La conversión se interrumpió en todos los intentos. La organización puede volver a intentarlo.

## Subtitles files sent with an upload (`shared::media::Rejection` codes from `shared::media::captions`)

captions-not_text = El archivo de subtítulos no es texto plano (UTF-8). Envía un archivo WebVTT (.vtt) o SRT (.srt).
captions-no_cues = El archivo de subtítulos no contiene ningún subtítulo. Envía un archivo WebVTT (.vtt) o SRT (.srt).
captions-bad_block = El archivo de subtítulos no es WebVTT ni SRT: la línea { $line } debería ser una línea de tiempos como «00:00:01.000 --> 00:00:04.000».
captions-bad_timing = El archivo de subtítulos tiene una línea de tiempos no válida en la línea { $line } (los tiempos deben tener la forma 00:00:01.000 y cada final debe ir después de su inicio).
captions-cue_too_long = El subtítulo de la línea { $line } tiene más de { $max } caracteres.
captions-too_many_cues = El archivo de subtítulos tiene más de { $max } subtítulos.
captions-too_big = El archivo de subtítulos es demasiado grande: el límite es de { $max_kb } KB.
captions-bad_lang = Elige el idioma de los subtítulos en la lista.
