// Upload progress: send the form with XHR so the bar can move; without JS the form posts normally.
// While sending: "12 of 48 MB, about 30 s left", a Cancel button, the fields locked, and a
// warning when leaving the page. Before sending, the file's first bytes are checked against the
// containers the site reads (the server still decides, by ffprobe). A refusal is shown next to
// its field (the server names it), with everything typed kept.
(function () {
  var form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  function msg(name, fallback) { return form.getAttribute('data-msg-' + name) || fallback; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll('.js-error, .js-status'), function (el) { el.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll('.field.invalid'), function (el) {
      el.classList.remove('invalid');
      var input = el.querySelector('[aria-invalid]');
      if (input) { input.removeAttribute('aria-invalid'); input.removeAttribute('aria-describedby'); }
      var old = el.querySelector('.field-error');
      if (old) old.remove();
    });
  }

  // The containers ffmpeg may open here (shared::media::FORMAT_WHITELIST), by their first bytes.
  function looksLikeVideo(b) {
    function at(off, bytes) {
      if (b.length < off + bytes.length) return false;
      for (var i = 0; i < bytes.length; i++) if (b[off + i] !== bytes[i]) return false;
      return true;
    }
    function ascii(off, s) { return at(off, s.split('').map(function (c) { return c.charCodeAt(0); })); }
    if (ascii(0, 'RIFF') && ascii(8, 'AVI')) return true; // AVI
    if (ascii(0, 'FLV')) return true; // FLV
    if (at(0, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return true; // ASF: WMV
    if (at(0, [0x1a, 0x45, 0xdf, 0xa3])) return true; // EBML: MKV, WebM
    // ISO BMFF / QuickTime: a box type at offset 4 (MP4, MOV, 3GP, M4A, MJ2).
    return ['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].some(function (t) { return ascii(4, t); });
  }
  function sniff(file, then) {
    if (!file || !file.slice || !window.FileReader) { then(true); return; }
    var reader = new FileReader();
    reader.onload = function () { then(looksLikeVideo(new Uint8Array(reader.result))); };
    reader.onerror = function () { then(true); }; // cannot tell: the server decides
    reader.readAsArrayBuffer(file.slice(0, 64));
  }

  // Subtitles: under the size cap and text (no NUL byte in the first KB); the server checks
  // every line.
  function checkCaptions(then) {
    var input = document.getElementById('captions');
    var file = input && input.files && input.files[0];
    if (!file) { then(true); return; }
    var notText = input.getAttribute('data-msg-not-text') || 'This subtitles file is not a .vtt or .srt file.';
    var max = Number(input.getAttribute('data-max-bytes'));
    if (max > 0 && file.size > max) { fail(msg('captions-too-large', notText), 'captions'); then(false); return; }
    if (!file.slice || !window.FileReader) { then(true); return; }
    var reader = new FileReader();
    reader.onload = function () {
      var b = new Uint8Array(reader.result);
      for (var i = 0; i < b.length; i++) {
        if (b[i] === 0) { fail(notText, 'captions'); then(false); return; }
      }
      then(true);
    };
    reader.onerror = function () { then(true); };
    reader.readAsArrayBuffer(file.slice(0, 1024));
  }

  var box = form.querySelector('.upload-progress');
  var bar = document.getElementById('upload-bar');
  var pct = form.querySelector('.upload-pct');
  var detail = form.querySelector('.upload-detail');
  var cancel = form.querySelector('.upload-cancel');
  var button = form.querySelector('button[type=submit]');
  var xhr = null;
  var locked = [];

  function warnOnLeave(e) { e.preventDefault(); e.returnValue = ''; return ''; }
  function lock() {
    locked = Array.prototype.filter.call(form.elements, function (el) { return !el.disabled && el !== cancel; });
    locked.forEach(function (el) { el.disabled = true; });
    form.setAttribute('aria-busy', 'true');
    window.addEventListener('beforeunload', warnOnLeave);
  }
  function unlock() {
    locked.forEach(function (el) { el.disabled = false; });
    locked = [];
    form.removeAttribute('aria-busy');
    window.removeEventListener('beforeunload', warnOnLeave);
    box.hidden = true;
    if (cancel) cancel.hidden = true;
  }
  function fail(message, field) {
    unlock();
    var p = document.createElement('p');
    p.setAttribute('role', 'alert');
    p.textContent = message;
    var input = field && document.getElementById(field);
    if (input) {
      var wrap = input.closest('.field');
      p.className = 'field-error js-error';
      p.id = field + '-error';
      wrap.classList.add('invalid');
      wrap.appendChild(p);
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', p.id);
      input.focus();
    } else {
      p.className = 'form-error js-error';
      form.insertBefore(p, form.firstChild);
    }
  }
  function mb(bytes) { return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0); }
  function timeLeft(secs) {
    if (secs < 60) return fill(msg('secs', '{n} s'), { n: Math.max(1, Math.ceil(secs)) });
    return fill(msg('mins', '{n} min'), { n: Math.ceil(secs / 60) });
  }

  if (cancel) {
    cancel.addEventListener('click', function () {
      if (!xhr) return;
      var x = xhr;
      xhr = null;
      x.abort();
      unlock();
      var p = document.createElement('p');
      p.className = 'notice js-status';
      p.setAttribute('role', 'status');
      p.textContent = msg('cancelled', 'Upload cancelled. Nothing was sent in full; you can send it again.');
      form.insertBefore(p, form.firstChild);
      button.focus();
    });
  }

  function send(data, size) {
    bar.value = 0;
    pct.textContent = '0%';
    if (detail) detail.textContent = '';
    box.hidden = false;
    if (cancel) cancel.hidden = false;
    lock();
    var started = Date.now();
    var shown = 0;
    xhr = new XMLHttpRequest();
    var x = xhr;
    x.open('POST', form.action);
    x.setRequestHeader('Accept', 'application/json');
    x.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable || x !== xhr) return;
      var p = Math.floor((e.loaded / e.total) * 100);
      bar.value = p;
      pct.textContent = p + '%';
      // The words at most once a second (a screen reader reads each change).
      var now = Date.now();
      if (detail && (now - shown >= 1000 || e.loaded === e.total)) {
        shown = now;
        var elapsed = (now - started) / 1000;
        var rate = elapsed > 0.5 ? e.loaded / elapsed : 0;
        var total = size || e.total;
        var sent = Math.min(e.loaded, total);
        detail.textContent = rate > 0 && sent < total
          ? fill(msg('progress', '{sent} of {total} MB, about {left} left'), { sent: mb(sent), total: mb(total), left: timeLeft((total - sent) / rate) })
          : fill(msg('progress-done', '{total} MB sent'), { total: mb(total) });
      }
    });
    x.addEventListener('load', function () {
      if (x !== xhr) return;
      xhr = null;
      var data = null;
      try { data = JSON.parse(x.responseText); } catch (e) { /* not JSON */ }
      if (x.status === 201 && data && data.page_url) {
        window.removeEventListener('beforeunload', warnOnLeave);
        window.location.assign(data.page_url);
        return;
      }
      fail((data && data.error) || fill(msg('failed', 'The upload failed (HTTP {status}). Please try again.'), { status: x.status }), data && data.field);
    });
    x.addEventListener('error', function () {
      if (x !== xhr) return;
      xhr = null;
      fail(msg('interrupted', 'The connection was interrupted. Please try again.'));
    });
    x.send(data);
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (xhr) return;
    clearErrors();
    var input = document.getElementById('video');
    var file = input && input.files && input.files[0];
    // Refuse an oversized file before sending a byte (the server enforces the cap too).
    var maxMb = Number(form.getAttribute('data-max-mb'));
    if (file && maxMb > 0 && file.size > maxMb * 1024 * 1024) {
      fail(msg('too-large', 'The video is too large.'), 'video');
      return;
    }
    sniff(file, function (ok) {
      if (!ok) { fail(msg('not-video', 'This file is not a video the site can read.'), 'video'); return; }
      checkCaptions(function (captionsOk) {
        if (!captionsOk) return;
        // The form's values are read now, before the fields are locked (disabled fields are not sent).
        send(new FormData(form), file ? file.size : 0);
      });
    });
  });
})();
