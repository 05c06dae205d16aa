// Share buttons: <a class="share" href="URL" data-title="..."> is a plain link without JS. With JS
// it opens the system share sheet (Web Share API) where there is one, and otherwise copies the
// link and says so (data-msg-copied), or shows it to copy by hand (data-msg-copy-this).
// `data-copy-only` buttons always copy.
(function () {
  'use strict';
  function say(link, text) {
    var out = link.parentNode.querySelector('.share-status');
    if (!out) {
      out = document.createElement('span');
      out.className = 'share-status muted small';
      out.setAttribute('role', 'status');
      link.parentNode.appendChild(out);
    }
    out.textContent = text;
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var t = document.createElement('textarea');
      t.value = text;
      t.setAttribute('readonly', '');
      t.style.position = 'fixed';
      t.style.opacity = '0';
      document.body.appendChild(t);
      t.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      t.remove();
      ok ? resolve() : reject(new Error('copy refused'));
    });
  }
  // Links added later (the contest page's player, swapped in place) are marked by ClipShare.mark;
  // clicks are handled for every share link on the page, whenever it arrived.
  function mark(root) {
    Array.prototype.forEach.call(root.querySelectorAll('a.share'), function (link) {
      link.setAttribute('role', 'button');
    });
  }
  mark(document);
  window.ClipShare = { mark: mark };
  document.addEventListener('click', function (ev) {
    var link = ev.target.closest && ev.target.closest('a.share');
    if (!link) return;
    ev.preventDefault();
    var url = new URL(link.getAttribute('href'), window.location.href).href;
    var title = link.getAttribute('data-title') || document.title;
    if (navigator.share && !link.hasAttribute('data-copy-only')) {
      navigator.share({ title: title, url: url }).catch(function () { /* closed by the user */ });
      return;
    }
    copy(url).then(function () {
      say(link, link.getAttribute('data-msg-copied') || 'Link copied.');
    }, function () {
      say(link, (link.getAttribute('data-msg-copy-this') || 'Copy this link: {url}').replace('{url}', url));
    });
  });
})();
