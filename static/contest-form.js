// Suggests the URL name from the contest name while the organizer has not typed one.
(function () {
  var name = document.getElementById('name');
  var slug = document.getElementById('slug');
  if (!name || !slug) return;
  var touched = slug.value !== '';
  slug.addEventListener('input', function () { touched = slug.value !== ''; });
  name.addEventListener('input', function () {
    if (touched) return;
    slug.value = name.value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  });
})();

// After a refused submit the page starts at the error summary; focus goes to the first field
// with an error (the summary above lists every one, each a link to its field).
(function () {
  if (!document.querySelector('#contest-form .error-summary')) return;
  var first = document.querySelector('#contest-form [aria-invalid="true"]');
  if (first) first.focus();
})();
