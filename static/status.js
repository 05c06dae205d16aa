// Live status on the video page: polls /api/videos/{id} until the video is converted or failed.
// Messages come from the page's data-msg-* attributes, rendered in the page's language.
(function () {
  var root = document.getElementById('video-status');
  if (!root) return;
  var state = root.getAttribute('data-state');
  if (state === 'converted' || state === 'failed') return;
  var id = root.getAttribute('data-id');
  var bar = root.querySelector('.conv-bar');
  var pct = root.querySelector('.conv-pct');
  var text = root.querySelector('.status-text');
  function msg(name, fallback) { return root.getAttribute('data-msg-' + name) || fallback; }
  function tick() {
    fetch('/api/videos/' + encodeURIComponent(id), { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (v) {
        root.setAttribute('data-state', v.state);
        if (v.state === 'converted' && v.mp4_url) {
          root.querySelector('.processing').hidden = true;
          var ready = root.querySelector('.ready');
          var video = document.getElementById('player-live');
          video.poster = v.poster_url || '';
          video.src = v.mp4_url;
          if (v.captions && !video.querySelector('track')) {
            var track = document.createElement('track');
            track.kind = 'subtitles';
            track.src = v.captions.url;
            track.srclang = v.captions.lang;
            track.label = v.captions.label;
            video.appendChild(track);
          }
          ready.hidden = false;
          // Adaptive streaming when the video has an HLS ladder (player.js).
          if (v.hls_url && window.ClipPlayer) {
            video.setAttribute('data-hls', v.hls_url);
            video.setAttribute('data-mp4', v.mp4_url);
            window.ClipPlayer.attach(video);
          }
          return;
        }
        if (v.state === 'converted' && v.review !== 'approved') {
          // Converted, but the organizer reviews entries first: no player for visitors yet.
          root.querySelector('.processing').hidden = true;
          var note = root.querySelector('.error-message');
          note.className = 'notice';
          note.setAttribute('role', 'status');
          note.textContent = msg('review', 'Converted; waiting for the organizer\'s review.');
          note.hidden = false;
          return;
        }
        if (v.state === 'failed') {
          root.querySelector('.processing').hidden = true;
          var err = root.querySelector('.error-message');
          err.textContent = msg('failed', 'We could not convert this video:') + ' ' + (v.error || msg('unknown', 'unknown error'));
          err.hidden = false;
          return;
        }
        if (v.state === 'processing') text.textContent = msg('converting', 'Converting…');
        bar.value = v.progress;
        pct.textContent = v.progress + '%';
        setTimeout(tick, 1000);
      })
      .catch(function () { setTimeout(tick, 3000); });
  }
  setTimeout(tick, 500);
})();
