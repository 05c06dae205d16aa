// Upload progress: send the form with XHR so the bar can move; without JS the form posts normally.
// A refusal is shown next to its field (the server names it), with everything typed kept.
(function () {
  var form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  function msg(name, fallback) { return form.getAttribute('data-msg-' + name) || fallback; }
  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll('.js-error'), function (el) { el.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll('.field.invalid'), function (el) {
      el.classList.remove('invalid');
      var input = el.querySelector('[aria-invalid]');
      if (input) { input.removeAttribute('aria-invalid'); input.removeAttribute('aria-describedby'); }
      var old = el.querySelector('.field-error');
      if (old) old.remove();
    });
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var box = form.querySelector('.upload-progress');
    var bar = document.getElementById('upload-bar');
    var pct = form.querySelector('.upload-pct');
    var button = form.querySelector('button[type=submit]');
    // Refuse an oversized file before sending a byte (the server enforces the cap too).
    var file = document.getElementById('video');
    var maxMb = Number(form.getAttribute('data-max-mb'));
    if (file && file.files && file.files[0] && maxMb > 0 && file.files[0].size > maxMb * 1024 * 1024) {
      clearErrors();
      fail(msg('too-large', 'The video is too large.'), 'video');
      return;
    }
    clearErrors();
    bar.value = 0;
    pct.textContent = '0%';
    box.hidden = false;
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) return;
      var p = Math.floor((e.loaded / e.total) * 100);
      bar.value = p;
      pct.textContent = p + '%';
    });
    function fail(message, field) {
      button.disabled = false;
      form.removeAttribute('aria-busy');
      box.hidden = true;
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
    xhr.addEventListener('load', function () {
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 201 && data && data.page_url) { window.location.assign(data.page_url); return; }
      fail((data && data.error) || msg('failed', 'The upload failed (HTTP {status}). Please try again.').replace('{status}', xhr.status), data && data.field);
    });
    xhr.addEventListener('error', function () { fail(msg('interrupted', 'The connection was interrupted. Please try again.')); });
    xhr.send(new FormData(form));
  });
})();
