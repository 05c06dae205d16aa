// Upload progress: send the form with XHR so the bar can move; without JS the form posts normally.
(function () {
  var form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var box = form.querySelector('.upload-progress');
    var bar = document.getElementById('upload-bar');
    var pct = form.querySelector('.upload-pct');
    var button = form.querySelector('button[type=submit]');
    var old = form.querySelector('.form-error.js');
    if (old) old.remove();
    box.hidden = false;
    button.disabled = true;
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
      box.hidden = true;
      var p = document.createElement('p');
      p.className = 'field-error form-error js';
      p.setAttribute('role', 'alert');
      p.textContent = message;
      var input = field && document.getElementById(field);
      var target = input ? input.closest('.field') : form;
      if (input) input.setAttribute('aria-invalid', 'true');
      target.appendChild(p);
      if (input) input.focus();
    }
    xhr.addEventListener('load', function () {
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 201 && data && data.page_url) { window.location.assign(data.page_url); return; }
      fail((data && data.error) || 'The upload failed (HTTP ' + xhr.status + '). Please try again.', data && data.field);
    });
    xhr.addEventListener('error', function () { fail('The connection was interrupted. Please try again.'); });
    xhr.send(new FormData(form));
  });
})();
