// The language switch keeps what was typed: before following a language link, the values of the
// page's forms are kept in sessionStorage for this page, and put back into the re-rendered page
// (fields that are still empty only; never passwords, files or hidden fields). Without JS the
// switch is a plain link.
(function () {
  'use strict';
  var KEY = 'clipcontest:form:' + location.pathname;
  var MAX_AGE_MS = 10 * 60 * 1000;
  function keepable(el) {
    return el.name && !el.disabled && ['password', 'file', 'hidden', 'submit', 'button'].indexOf(el.type) === -1;
  }
  function save() {
    var data = {};
    Array.prototype.forEach.call(document.querySelectorAll('form[id]'), function (form) {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!keepable(el)) return;
        if (el.type === 'checkbox' || el.type === 'radio') { if (el.checked) values[el.name + '=' + el.value] = true; return; }
        if (el.value !== '' && el.value !== el.defaultValue) values[el.name] = el.value;
      });
      if (Object.keys(values).length) data[form.id] = values;
    });
    try {
      if (Object.keys(data).length) sessionStorage.setItem(KEY, JSON.stringify({ at: Date.now(), forms: data }));
    } catch (e) { /* storage off: the switch still works */ }
  }
  function restore() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || 'null'); sessionStorage.removeItem(KEY); } catch (e) { return; }
    if (!saved || !saved.forms || Date.now() - saved.at > MAX_AGE_MS) return;
    Object.keys(saved.forms).forEach(function (id) {
      var form = document.getElementById(id);
      if (!form || form.tagName !== 'FORM') return;
      var values = saved.forms[id];
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!keepable(el)) return;
        if (el.type === 'checkbox' || el.type === 'radio') { if (values[el.name + '=' + el.value]) el.checked = true; return; }
        if (Object.prototype.hasOwnProperty.call(values, el.name) && (el.value === '' || el.value === el.defaultValue)) el.value = values[el.name];
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('.lang-switch a[hreflang]'), function (a) {
    a.addEventListener('click', save);
  });
  restore();
})();
