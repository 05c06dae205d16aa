// Asks before destructive organizer actions. The question is in the form's data-confirm
// attribute so the server renders it in the page's language (no inline handlers).
(function () {
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    var q = form && form.getAttribute && form.getAttribute('data-confirm');
    if (q && !window.confirm(q)) ev.preventDefault();
  }, true);
})();
