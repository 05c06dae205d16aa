# What the participant reads about their file: refusals at upload, failure reasons after.

## Upload refusals by content (`shared::media::Rejection` codes)

probe-unreadable = The file could not be read as a video.
probe-unsupported = This file is not a supported video. Please upload AVI, FLV, WMV, MP4, MOV, MKV or WebM.
probe-no_video = This file has no video stream.
probe-no_duration = The video's duration could not be determined; the file may be damaged.
probe-too_long = The video is { $secs } seconds long; the limit is { $max } seconds.
probe-too_big = The video is { $size }; the largest accepted size is { $max }.
probe-too_many_fps = The video has { $fps } frames per second; the limit is { $max }.
probe-too_many_frames = The video has { $frames } frames; the limit is { $max }.
probe-too_many_streams = The file has { $streams } streams; the limit is { $max }.
probe-undecodable = The video stream in this file could not be decoded; the file may be damaged.

## Conversion failure reasons (`FailureCode`, stored in `videos.error`)

media-damaged = The file is damaged: its video could not be decoded.
media-unsupported = The file uses a video or audio format we cannot convert.
media-too_long = The video is too long.
media-timeout = The conversion took too long and was stopped.
media-missing = The uploaded file was lost; please upload it again.
media-internal = The video could not be converted because of a problem on our side.
media-rejected = The video is outside the accepted limits.
media-interrupted = The conversion was interrupted on every attempt. The organizer can try again.

## Subtitles files sent with an upload (`shared::media::Rejection` codes from `shared::media::captions`)

captions-not_text = The subtitles file is not plain text (UTF-8). Please send a WebVTT (.vtt) or SRT (.srt) file.
captions-no_cues = The subtitles file has no subtitles in it. Please send a WebVTT (.vtt) or SRT (.srt) file.
captions-bad_block = The subtitles file is not WebVTT or SRT: line { $line } should be a time line such as "00:00:01.000 --> 00:00:04.000".
captions-bad_timing = The subtitles file has a time line that is not valid on line { $line } (times must look like 00:00:01.000, and each end must come after its start).
captions-cue_too_long = The subtitle on line { $line } is longer than { $max } characters.
captions-too_many_cues = The subtitles file has more than { $max } subtitles.
captions-too_big = The subtitles file is too large: the limit is { $max_kb } KB.
captions-bad_lang = Please choose the language of the subtitles from the list.
