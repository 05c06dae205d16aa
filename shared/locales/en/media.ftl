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
