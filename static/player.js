// Adaptive playback for <video data-hls="..."> elements. The <video> already has the MP4 as its
// src (no-JS and fallback path). Where Media Source Extensions exist, hls.js (vendored, same
// origin, loaded on demand) plays the master playlist; without MSE (older iPhones) the browser's
// own HLS does. Any unrecoverable problem returns to the MP4 at the same position.
// A quality menu (<select data-quality-for="VIDEO_ID">, labels rendered by the server in the
// page's language) offers Auto and each rung when hls.js plays.
(function () {
  'use strict';
  var hlsJsPromise = null;

  function loadHlsJs(src) {
    if (window.Hls) return Promise.resolve(window.Hls);
    if (!hlsJsPromise) {
      hlsJsPromise = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = src;
        s.async = true;
        s.onload = function () { window.Hls ? resolve(window.Hls) : reject(new Error('hls.js missing')); };
        s.onerror = function () { reject(new Error('hls.js did not load')); };
        document.head.appendChild(s);
      });
    }
    return hlsJsPromise;
  }

  function menuFor(video) {
    return video.id ? document.querySelector('select[data-quality-for="' + video.id + '"]') : null;
  }

  // Back to the progressive MP4, keeping the position and the play state.
  function fallBack(video, hls) {
    var t = video.currentTime, playing = !video.paused;
    if (hls) hls.destroy();
    video.__hls = null;
    var menu = menuFor(video);
    if (menu) menu.closest('.quality').hidden = true;
    video.dataset.engine = 'mp4';
    var mp4 = video.dataset.mp4;
    if (!mp4) return;
    video.src = mp4;
    video.addEventListener('loadedmetadata', function () {
      if (t > 0) video.currentTime = t;
      if (playing) video.play().catch(function () {});
    }, { once: true });
  }

  function setUpMenu(video, hls) {
    var menu = menuFor(video);
    if (!menu || hls.levels.length < 2) return;
    var autoLabel = menu.getAttribute('data-auto') || 'Auto';
    menu.textContent = '';
    var auto = document.createElement('option');
    auto.value = '-1';
    auto.textContent = autoLabel;
    menu.appendChild(auto);
    hls.levels
      .map(function (l, i) { return { i: i, h: l.height, b: l.bitrate }; })
      .sort(function (a, b) { return b.h - a.h || b.b - a.b; })
      .forEach(function (l) {
        var o = document.createElement('option');
        o.value = String(l.i);
        o.textContent = l.h + 'p';
        o.setAttribute('data-height', String(l.h));
        menu.appendChild(o);
      });
    menu.value = '-1';
    menu.addEventListener('change', function () {
      var level = parseInt(menu.value, 10);
      // currentLevel switches now (flushing what is buffered); -1 hands back to the ABR.
      hls.currentLevel = level;
      if (level === -1) hls.nextLevel = -1;
    });
    hls.on(window.Hls.Events.LEVEL_SWITCHED, function (_e, data) {
      var l = hls.levels[data.level];
      if (!l) return;
      video.dataset.level = String(l.height);
      auto.textContent = hls.autoLevelEnabled ? autoLabel + ' (' + l.height + 'p)' : autoLabel;
    });
    menu.closest('.quality').hidden = false;
  }

  function attachHlsJs(video, Hls, src) {
    var resumeAt = video.currentTime, playing = !video.paused || !!video.__playWhenReady, menuReady = false;
    video.__playWhenReady = false;
    // The worker is a blob: script, which a strict CSP refuses; transmuxing is light for fMP4.
    var hls = new Hls({ enableWorker: false, capLevelToPlayerSize: false, startLevel: -1 });
    video.__hls = hls;
    var reloads = 0;
    hls.on(Hls.Events.MANIFEST_PARSED, function () {
      video.dataset.engine = 'hls.js';
      if (!menuReady) { menuReady = true; setUpMenu(video, hls); }
      if (resumeAt > 0) video.currentTime = resumeAt;
      resumeAt = 0;
      if (playing) video.play().catch(function () {});
    });
    hls.on(Hls.Events.FRAG_LOADED, function () { reloads = 0; });
    hls.on(Hls.Events.ERROR, function (_e, data) {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR && reloads < 2) {
        // Segment URLs are short-lived: ask the site for the playlist again (it re-checks that
        // the video is still public and signs fresh URLs) and go on from here.
        reloads += 1;
        resumeAt = video.currentTime;
        playing = !video.paused;
        hls.loadSource(src);
      } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && reloads < 2) {
        reloads += 1;
        hls.recoverMediaError();
      } else {
        fallBack(video, hls);
      }
    });
    hls.loadSource(src);
    hls.attachMedia(video);
  }

  function attach(video) {
    var src = video.dataset.hls;
    if (!src || video.dataset.engine) return;
    if (!video.dataset.mp4) video.dataset.mp4 = video.getAttribute('src') || '';
    var Mse = window.MediaSource || window.ManagedMediaSource;
    // hls.js wherever Media Source Extensions exist (it brings the quality menu and the same
    // behaviour everywhere, Chromium's new native HLS included); the browser's own HLS only
    // where there is no MSE (older iPhones); otherwise the MP4 stays.
    if (Mse) {
      video.dataset.engine = 'loading';
      loadHlsJs(video.dataset.hlsjs).then(function (Hls) {
        if (!Hls.isSupported()) { native(video, src); return; }
        attachHlsJs(video, Hls, src);
      }).catch(function () { native(video, src); });
      return;
    }
    native(video, src);
  }

  // The browser plays HLS itself and chooses the rung (no menu), or the MP4 stays.
  function native(video, src) {
    if (!video.canPlayType('application/vnd.apple.mpegurl')) { video.dataset.engine = 'mp4'; return; }
    video.dataset.engine = 'native';
    var t = video.currentTime;
    video.addEventListener('error', function () { fallBack(video, null); }, { once: true });
    video.src = src;
    if (t > 0) video.currentTime = t;
  }

  function attachAll() {
    var list = document.querySelectorAll('video[data-hls]');
    for (var i = 0; i < list.length; i++) attach(list[i]);
  }

  // Starts `video` (attached or not) and plays it as soon as it can: hls.js sets its own source
  // when it attaches, which would cancel a play() made before, so it is told instead.
  function start(video) {
    if (video.dataset.hls) {
      video.__playWhenReady = true;
      attach(video);
      if (video.dataset.engine !== 'loading') video.play().catch(function () {});
    } else {
      video.play().catch(function () {});
    }
  }

  // The old player's engine stops and its element takes the new one's sources and tracks: a
  // phone that let this element play once lets it play again without another tap.
  function reuse(old, fresh) {
    if (old.__hls) { old.__hls.destroy(); old.__hls = null; }
    old.pause();
    ['src', 'poster', 'data-hls', 'data-hlsjs', 'aria-label'].forEach(function (a) {
      if (fresh.hasAttribute(a)) old.setAttribute(a, fresh.getAttribute(a)); else old.removeAttribute(a);
    });
    delete old.dataset.engine;
    delete old.dataset.mp4;
    delete old.dataset.level;
    Array.prototype.forEach.call(old.querySelectorAll('track'), function (t) { t.remove(); });
    Array.prototype.forEach.call(fresh.querySelectorAll('track'), function (t) { old.appendChild(t.cloneNode(true)); });
    fresh.replaceWith(old);
    return old;
  }

  // The page the document shows (path and query), to tell history moves from fragment jumps.
  var shown = window.location.pathname + window.location.search;

  // One tap plays: a contest card's link (`a[data-play]`; without JS it opens `?v=ID#player`)
  // fetches that page, puts its player section in place of this one (or above the grid) and
  // plays, without leaving the page; the address becomes the video's (back returns).
  function playInPlace(link) {
    var grid = document.getElementById('videos-h');
    var url = link.href.split('#')[0];
    link.setAttribute('aria-busy', 'true');
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('section.player');
        var video = fresh && fresh.querySelector('video');
        if (!video) throw new Error('no player in the page');
        fresh = document.importNode(fresh, true);
        video = fresh.querySelector('video');
        // Looked up now, not at the tap: a second tap's page may have arrived first.
        var current = document.querySelector('section.player');
        var old = current && current.querySelector('video');
        if (old) video = reuse(old, video);
        if (current) current.replaceWith(fresh);
        else grid.closest('section').parentNode.insertBefore(fresh, grid.closest('section'));
        if (doc.title) document.title = doc.title;
        history.pushState({ clipPlayer: url }, '', url);
        shown = window.location.pathname + window.location.search;
        if (window.ClipShare) window.ClipShare.mark(fresh);
        fresh.scrollIntoView({ block: 'start' });
        var heading = fresh.querySelector('h2');
        if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus({ preventScroll: true }); }
        start(video);
      })
      .catch(function () { window.location.href = link.href; })
      .then(function () { link.removeAttribute('aria-busy'); });
  }

  if (window.fetch && window.DOMParser && window.history && history.pushState) {
    document.addEventListener('click', function (ev) {
      if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      var link = ev.target.closest && ev.target.closest('a[data-play]');
      if (!link || !document.getElementById('videos-h')) return;
      ev.preventDefault();
      playInPlace(link);
    });
    // The addresses pushed above are real pages: going back or forward to another one shows
    // it. A jump within the page (#enter) changes only the fragment and is left alone.
    window.addEventListener('popstate', function () {
      if (window.location.pathname + window.location.search !== shown) window.location.reload();
    });
  }

  window.ClipPlayer = { attach: attach, start: start };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', attachAll);
  else attachAll();
})();
