// The whole journey in a real browser (Debian's Chromium, driven by playwright-core).
// Started by run.sh, which builds and starts the app and passes E2E_BASE_URL and E2E_DATA_DIR.
// The steps share one app and build on each other, so they run in order (node:test runs a
// file's top-level tests sequentially); a failed step makes the later ones fail fast.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const BASE = process.env.E2E_BASE_URL;
const DATA = process.env.E2E_DATA_DIR;
if (!BASE || !DATA) throw new Error('run through e2e/run.sh (E2E_BASE_URL and E2E_DATA_DIR are not set)');
const ARTIFACTS = process.env.E2E_ARTIFACTS || join(HERE, 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const SLUG = 'cortos-del-mar-2026';
const CONTEST = 'Cortos del Mar 2026';
const ORGANIZER = { email: 'organizer@example.org', password: 'a long enough password' };
const PARTICIPANT = { first: 'Ana', last: 'García', email: 'ana@example.org' };
const TITLE = 'Ocean waves';

let browser;
let organizer; // { context, page }
let visitor;
let media; // generated files
let videoId;
let shot = 0;
let failed = false;
const openPages = new Set();

/// A step of the journey: skipped once an earlier step failed (they build on each other); on
/// failure every open page is captured for the artifacts.
function step(name, fn) {
  test(name, async (t) => {
    if (failed) { t.skip('an earlier step failed'); return; }
    try {
      await fn(t);
    } catch (e) {
      failed = true;
      for (const p of openPages) await screenshot(p, 'FAILED').catch(() => {});
      throw e;
    }
  });
}

async function screenshot(page, name, opts = {}) {
  shot += 1;
  const file = join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? true });
  return file;
}

function ffmpeg(args, out) {
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args, out], { stdio: 'inherit' });
  return out;
}

/// Test media made with ffmpeg's lavfi sources: a banner PNG, a ~5 MB AVI (MPEG-4 + MP3, 12 s)
/// big enough for the upload bar to move, a tiny AVI, a text file named .avi, and subtitles.
function makeMedia() {
  const dir = mkdtempSync(join(tmpdir(), 'clipcontest-e2e-media-'));
  const banner = ffmpeg(['-f', 'lavfi', '-i', 'gradients=s=1200x300:c0=0x0b57d0:c1=0x7b2ff7:c2=0xff7a59:n=3:x0=0:y0=0:x1=1200:y1=300', '-frames:v', '1'], join(dir, 'banner.png'));
  const big = ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=12', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=12',
    '-c:v', 'mpeg4', '-b:v', '4M', '-c:a', 'libmp3lame', '-shortest'], join(dir, 'ocean-waves.avi'));
  const small = ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=1', '-c:v', 'mpeg4'], join(dir, 'small.avi'));
  const fake = join(dir, 'notes.avi');
  writeFileSync(fake, 'This is a text file, not a video.\n'.repeat(200));
  // Subtitles as most editors write them: SRT, CRLF, a styling tag.
  const subs = join(dir, 'waves.srt');
  writeFileSync(subs, '1\r\n00:00:00,500 --> 00:00:03,000\r\nWaves at dawn\r\n\r\n2\r\n00:00:03,500 --> 00:00:06,000\r\n<i>The sea is calm</i>\r\n');
  return { dir, banner, big, small, fake, subs };
}

async function newPage(opts = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', ...opts });
  const page = await context.newPage();
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, errors };
}

/// The newest .eml in the outbox for `to` (and, if given, with a subject matching `subject`),
/// waiting for the worker to write it.
async function waitForEmail(to, { subject = null, timeoutMs = 60_000 } = {}) {
  const dir = join(DATA, 'outbox');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files = [];
    try { files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort(); } catch { /* not yet */ }
    for (const f of files.reverse()) {
      const raw = readFileSync(join(dir, f), 'utf8');
      if (new RegExp(`^To: .*${to.replace('.', '\\.')}`, 'mi').test(raw) && (!subject || subject.test(raw))) return raw;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no email to ${to} in ${dir} after ${timeoutMs} ms`);
}

/// Every readable text of a MIME message: the raw text, quoted-printable decoded, and base64 parts.
function emailTexts(raw) {
  const qp = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  const b64 = (raw.match(/(?:^[A-Za-z0-9+/]{16,}={0,2}\r?\n)+/gm) || []).map((b) => Buffer.from(b.replace(/\s/g, ''), 'base64').toString('utf8'));
  return [raw, qp, ...b64];
}

async function fillEntry(page, { title, first = PARTICIPANT.first, last = PARTICIPANT.last, email = PARTICIPANT.email, description = '', file }) {
  await page.getByLabel(/Video title|Título del vídeo/).fill(title);
  await page.locator('#first_name').fill(first);
  await page.locator('#last_name').fill(last);
  await page.locator('#email').fill(email);
  await page.locator('#description').fill(description);
  await page.locator('#video').setInputFiles(file);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  media = makeMedia();
  // launch() gives every run a fresh temporary profile (playwright creates and removes it).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  if (media) rmSync(media.dir, { recursive: true, force: true });
});

step('home page renders, is keyboard reachable and has no script errors', async () => {
  const { page, context, errors } = await newPage();
  const res = await page.goto(BASE + '/');
  assert.equal(res.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip', 'first Tab reaches the skip link');
  // The stylesheet is embedded in the binary under a content-hashed, immutable URL.
  const cssUrl = await page.getAttribute('link[rel="stylesheet"]', 'href');
  assert.match(cssUrl, /^\/static\/app\.[0-9a-f]{8}\.css$/);
  const css = await page.request.get(BASE + cssUrl);
  assert.equal(css.status(), 200);
  assert.equal(css.headers()['cache-control'], 'public, max-age=31536000, immutable');
  // Nothing is loaded from another origin (no CDN).
  const external = await page.evaluate((origin) => [...document.querySelectorAll('link[href],script[src],img[src]')]
    .map((e) => e.href || e.src).filter((u) => !u.startsWith(origin)), new URL(BASE).origin);
  assert.deepEqual(external, []);
  assert.deepEqual(errors, []);
  await context.close();
});

step('organizer registers, logs in and creates a contest with a banner', async () => {
  organizer = await newPage();
  const { page } = organizer;
  await page.goto(BASE + '/register');
  await page.getByLabel('Email').fill(ORGANIZER.email);
  await page.getByLabel(/Password/).fill(ORGANIZER.password);
  await screenshot(page, 'register');
  await Promise.all([page.waitForURL(BASE + '/dashboard'), page.getByRole('button', { name: 'Create account' }).click()]);

  // Log out and in again through the login form.
  await Promise.all([page.waitForURL(BASE + '/'), page.getByRole('button', { name: 'Log out' }).click()]);
  await page.goto(BASE + '/login');
  await page.getByLabel('Email').fill(ORGANIZER.email);
  await page.getByLabel('Password').fill(ORGANIZER.password);
  await Promise.all([page.waitForURL(BASE + '/dashboard'), page.getByRole('button', { name: 'Log in' }).click()]);
  await page.getByText('You have no contests yet.').waitFor();

  await Promise.all([page.waitForURL(BASE + '/contests/new'), page.getByRole('link', { name: 'New contest' }).click()]);
  await page.getByLabel('Name', { exact: true }).fill(CONTEST);
  assert.equal(await page.locator('#slug').inputValue(), SLUG, 'the URL name is suggested from the name');
  await page.getByLabel('Prize').fill('A 4K camera');
  await page.getByLabel('Description').fill('Short films about the sea.\nAny format, up to two minutes.');
  const now = Date.now();
  const fmt = (ms) => new Date(ms).toISOString().slice(0, 16);
  await page.locator('#starts_at').fill(fmt(now - 3_600_000));
  await page.locator('#ends_at').fill(fmt(now + 14 * 86_400_000));
  await page.locator('#banner').setInputFiles(media.banner);
  await screenshot(page, 'contest-form');
  await Promise.all([page.waitForURL(`${BASE}/c/${SLUG}?created=1`), page.getByRole('button', { name: 'Create contest' }).click()]);
  const banner = page.locator('img.banner');
  await banner.waitFor();
  assert.equal(await banner.getAttribute('alt'), `Banner of ${CONTEST}`);
  assert.ok(await banner.evaluate((img) => img.complete && img.naturalWidth === 1200), 'banner image loads');
  // The confirmation offers the public link with a copy button.
  assert.equal(await page.getByLabel(/Its public link/).inputValue(), `${BASE}/c/${SLUG}`);
  await organizer.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.locator('.share-status', { hasText: 'Link copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${BASE}/c/${SLUG}`);
  await screenshot(page, 'contest-created');
});

step('a participant uploads an AVI with a moving progress bar and watches it convert live', async () => {
  visitor = await newPage();
  const { page, context, errors } = visitor;
  await page.goto(BASE + '/');
  await Promise.all([page.waitForURL(`${BASE}/c/${SLUG}`), page.getByRole('link', { name: CONTEST }).click()]);
  await page.getByText('No videos yet.').waitFor();
  await fillEntry(page, { title: TITLE, description: 'Waves at dawn, shot on a phone.', file: media.big });
  await page.locator('#captions').setInputFiles(media.subs);
  assert.equal(await page.locator('#captions_lang').inputValue(), 'en', 'the page language is preselected');
  await screenshot(page, 'upload-form-filled');

  // Slow the upload down (≈2 MB/s) so the bar is seen between 0 and 100 on any machine.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 2 * 1024 * 1024 });
  const seen = [];
  await page.exposeFunction('__reportProgress', (v) => seen.push(v));
  await page.evaluate(() => {
    const bar = document.getElementById('upload-bar');
    setInterval(() => window.__reportProgress(Number(bar.value)), 25);
  });
  let shotTaken = false;
  const midShot = (async () => {
    // One screenshot while the bar is part-way.
    await page.waitForFunction(() => { const v = Number(document.getElementById('upload-bar')?.value); return v > 5 && v < 95; }, null, { timeout: 20_000 });
    await screenshot(page, 'upload-progress', { fullPage: false });
    shotTaken = true;
  })().catch(() => {});
  await Promise.all([page.waitForURL(new RegExp(`/c/${SLUG}/v/[0-9a-f-]+$`), { timeout: 60_000 }), page.getByRole('button', { name: 'Upload video' }).click()]);
  await midShot;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const between = seen.filter((v) => v > 0 && v < 100);
  assert.ok(between.length > 0, `progress was seen between 0 and 100 (saw ${[...new Set(seen)].join(',')})`);
  assert.ok(shotTaken, 'screenshot of the moving bar');

  videoId = page.url().split('/').pop();
  // The status page polls; it must reach "converted" without navigating.
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations += 1; });
  await page.evaluate(() => { window.__samePage = true; });
  const status = page.locator('#video-status');
  assert.match(await status.getAttribute('data-state'), /^(queued|processing|uploaded|converted)$/);
  await screenshot(page, 'video-processing', { fullPage: false });
  await page.waitForFunction(() => document.getElementById('video-status').dataset.state === 'processing' || document.getElementById('video-status').dataset.state === 'converted', null, { timeout: 60_000 });
  // A screenshot with the conversion bar part-way, when the machine is slow enough to catch it.
  await page.waitForFunction(() => Number(document.querySelector('.conv-bar')?.value) >= 10 || document.getElementById('video-status').dataset.state === 'converted', null, { timeout: 60_000 });
  if ((await status.getAttribute('data-state')) === 'processing') await screenshot(page, 'video-converting', { fullPage: false });
  await page.waitForFunction(() => document.getElementById('video-status').dataset.state === 'converted', null, { timeout: 120_000 });
  await page.locator('#player-live').waitFor({ state: 'visible' });
  assert.equal(navigations, 0, 'no navigation happened');
  assert.equal(await page.evaluate(() => window.__samePage), true, 'same document, not reloaded');
  await page.locator('#player-live').evaluate((v) => new Promise((ok) => (v.readyState >= 1 ? ok() : v.addEventListener('loadedmetadata', ok, { once: true }))));
  // The live player got the subtitles from the status API too.
  const live = page.locator('#player-live track');
  assert.equal(await live.getAttribute('kind'), 'subtitles');
  assert.equal(await live.getAttribute('srclang'), 'en');
  assert.equal(await live.getAttribute('src'), `/files/media/${videoId}/captions.vtt`);
  await screenshot(page, 'video-converted', { fullPage: false });
  assert.deepEqual(errors, []);
});

step('the emailed link opens the video, which plays and seeks', async () => {
  // A receipt came at upload, the "ready" mail after the conversion.
  const receipt = await waitForEmail(PARTICIPANT.email, { subject: /^Subject: We received your video: /m });
  assert.ok(emailTexts(receipt).some((t) => t.includes(`/c/${SLUG}/v/${videoId}`)), 'the receipt links the video page');
  const raw = await waitForEmail(PARTICIPANT.email, { subject: /^Subject: Your video is ready: /m });
  writeFileSync(join(ARTIFACTS, 'ready.eml'), raw);
  // The raw text may fold a long line (quoted-printable); the longest decoded match is the link.
  const link = emailTexts(raw).flatMap((t) => t.match(/https?:\/\/[^\s"<>=]+\/c\/[a-z0-9-]+\/v\/[0-9a-f-]{36}/g) || [])
    .sort((a, b) => b.length - a.length)[0];
  assert.ok(link, 'the email has a link to the video page');
  assert.equal(link, `${BASE}/c/${SLUG}/v/${videoId}`, 'the link uses APP_BASE_URL');

  const { page, context } = await newPage();
  await page.goto(link);
  const video = page.locator('video#player');
  await video.waitFor();
  const played = await video.evaluate(async (v) => {
    v.muted = true;
    const wait = (cond, ms) => new Promise((ok, fail) => {
      const t0 = performance.now();
      (function poll() { if (cond()) ok(); else if (performance.now() - t0 > ms) fail(new Error('timeout')); else setTimeout(poll, 50); })();
    });
    await wait(() => v.readyState >= 1, 15000);
    await v.play();
    await wait(() => v.currentTime > 0.5, 15000);
    return { readyState: v.readyState, currentTime: v.currentTime, duration: v.duration, paused: v.paused };
  });
  assert.ok(played.readyState >= 2, `readyState ${played.readyState}`);
  assert.ok(played.currentTime > 0.5, `time advanced to ${played.currentTime}`);
  assert.ok(Math.abs(played.duration - 12) < 0.5, `duration ${played.duration}`);
  const seeked = await video.evaluate((v) => new Promise((ok) => {
    v.pause();
    v.addEventListener('seeked', () => ok(v.currentTime), { once: true });
    v.currentTime = 8;
  }));
  assert.ok(Math.abs(seeked - 8) < 0.5, `seeked to ${seeked}`);
  // The subtitles sent with the upload are a track of the player, converted from SRT.
  const track = await video.evaluate((v) => new Promise((ok, fail) => {
    const t = v.textTracks[0];
    const el = v.querySelector('track');
    if (!t || !el) { fail(new Error('no subtitles track')); return; }
    const done = () => ok({ kind: t.kind, label: t.label, lang: t.language, cues: [...t.cues].map((c) => c.text) });
    t.mode = 'showing';
    if (el.readyState === 2) done();
    else {
      el.addEventListener('load', done, { once: true });
      el.addEventListener('error', () => fail(new Error('the subtitles did not load')), { once: true });
    }
  }));
  assert.deepEqual(track, { kind: 'subtitles', label: 'English', lang: 'en', cues: ['Waves at dawn', '<i>The sea is calm</i>'] });
  await screenshot(page, 'email-link-player', { fullPage: false });
  await context.close();
});

step('the contest page lists the video and plays it', async () => {
  const { page } = visitor;
  await page.goto(`${BASE}/c/${SLUG}`);
  const card = page.locator('li.video-card', { hasText: TITLE });
  await card.waitFor();
  assert.equal(await card.locator('img').getAttribute('alt'), '', 'decorative poster, the title is the link text');
  // One click plays, in place: no reload, the address becomes the video's.
  await page.evaluate(() => { window.__samePage = true; });
  await card.getByRole('link').click();
  await page.waitForURL(new RegExp(`\\?v=${videoId}$`));
  await page.waitForFunction(() => { const v = document.getElementById('player'); return v && !v.paused && v.currentTime > 0.3; }, null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => window.__samePage), true, 'the page was not reloaded');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'playing-h', 'focus moves to the title of what plays');
  await page.locator('video#player').evaluate((v) => v.pause());
  // A jump within the page (#enter) is not a move to another page: nothing reloads...
  await page.locator('a.enter-cta').click();
  await page.waitForURL(new RegExp(`\\?v=${videoId}#enter$`));
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__samePage), true, 'a jump to #enter does not reload');
  // ...and back past the tap shows the page as it was before it (no player).
  await page.goBack();
  await page.waitForURL(new RegExp(`\\?v=${videoId}$`));
  await page.goBack();
  await page.waitForURL(`${BASE}/c/${SLUG}`);
  await page.waitForFunction(() => window.__samePage === undefined && document.readyState === 'complete');
  assert.equal(await page.locator('section.player').count(), 0, 'back to the page before the tap');
  // An impatient double click fetches twice: still one player, in the page, playing.
  await card.getByRole('link').dblclick();
  await page.waitForURL(new RegExp(`\\?v=${videoId}$`));
  await page.waitForFunction(() => { const v = document.getElementById('player'); return v && v.isConnected && !v.paused && v.currentTime > 0.3; }, null, { timeout: 30_000 });
  await page.waitForTimeout(1000);
  assert.equal(await page.locator('section.player').count(), 1, 'one player after a double click');
  assert.equal(await page.locator('video').count(), 1, 'one video element');
  await page.locator('video#player').evaluate((v) => v.pause());
  // Share: no system share sheet on desktop Linux, so the link is copied and the page says so.
  await visitor.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const share = page.locator('section.player a.share');
  assert.equal(await share.getAttribute('role'), 'button');
  await share.click();
  await page.locator('.share-status', { hasText: 'Link copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${BASE}/c/${SLUG}/v/${videoId}`);
  assert.match(page.url(), new RegExp(`\\?v=${videoId}$`), 'sharing does not navigate');
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'contest-with-player');
});

step('on a phone one tap on a card plays the video in place, the player fully in view', async () => {
  const inView = (page) => page.evaluate(() => {
    const r = document.getElementById('player').getBoundingClientRect();
    return { top: Math.round(r.top), bottom: Math.round(r.bottom), height: Math.round(r.height), viewport: innerHeight };
  });
  const phone = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
  const { page, context, errors } = await newPage(phone);
  try {
    await page.goto(`${BASE}/c/${SLUG}`);
    await page.evaluate(() => { window.__samePage = true; });
    await page.locator('li.video-card', { hasText: TITLE }).getByRole('link').tap();
    await page.waitForURL(new RegExp(`\\?v=${videoId}$`));
    await page.waitForFunction(() => { const v = document.getElementById('player'); return v && !v.paused && v.currentTime > 0.3; }, null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => window.__samePage), true, 'one tap, no reload');
    const box = await inView(page);
    assert.ok(box.height > 100 && box.top >= 0 && box.bottom <= box.viewport, `the player is fully in view: ${JSON.stringify(box)}`);
    await screenshot(page, 'phone-one-tap-play', { fullPage: false });
    await page.locator('video#player').evaluate((v) => v.pause());
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  // Without JavaScript the card opens ?v=ID#player, which lands on the whole player too.
  const nojs = await newPage({ ...phone, javaScriptEnabled: false });
  try {
    await nojs.page.goto(`${BASE}/c/${SLUG}`);
    await Promise.all([nojs.page.waitForURL(new RegExp(`\\?v=${videoId}#player$`)), nojs.page.locator('li.video-card', { hasText: TITLE }).getByRole('link').tap()]);
    const box = await inView(nojs.page);
    assert.ok(box.height > 100 && box.top >= 0 && box.bottom <= box.viewport, `the player is fully in view without JS: ${JSON.stringify(box)}`);
  } finally {
    await nojs.context.close();
  }
});

/// axe-core (from npm, same version everywhere) on a page: its serious and critical violations.
const AXE = readFileSync(join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
async function axeViolations(page) {
  // Evaluated through the DevTools protocol: the site's CSP (script-src 'self') stays as it is.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

step('accessibility: axe-core finds no serious or critical violation, both languages, desktop and phone', async () => {
  const publicPages = ['/', '/login', '/register', `/c/${SLUG}`, `/c/${SLUG}?v=${videoId}`, `/c/${SLUG}/v/${videoId}`];
  const organizerPages = ['/dashboard', '/contests/new', `/c/${SLUG}`, `/c/${SLUG}/edit`, `/c/${SLUG}/voting`, `/c/${SLUG}/judging`];
  const state = await organizer.context.storageState();
  const found = [];
  let checked = 0;
  for (const [lang, header] of [['en', 'en-US,en;q=0.9'], ['es', 'es-ES,es;q=0.9']]) {
    for (const [device, opts] of [['desktop', { viewport: DESKTOP }], ['phone', { viewport: PHONE, isMobile: true, hasTouch: true }]]) {
      for (const [who, pages, extra] of [['visitor', publicPages, {}], ['organizer', organizerPages, { storageState: state }]]) {
        const context = await browser.newContext({ ...opts, ...extra, locale: lang, extraHTTPHeaders: { 'Accept-Language': header } });
        try {
          const page = await context.newPage();
          for (const path of pages) {
            const res = await page.goto(BASE + path);
            assert.equal(res.status(), 200, `${path} as ${who}`);
            assert.equal(await page.evaluate(() => document.documentElement.lang), lang, `${path} is in ${lang}`);
            for (const v of await axeViolations(page)) found.push(`${lang} ${device} ${who} ${path}: ${v}`);
            checked += 1;
          }
        } finally {
          await context.close();
        }
      }
    }
  }
  assert.equal(checked, 4 * (publicPages.length + organizerPages.length));
  assert.deepEqual(found, [], found.join('\n'));
});

step('the organizer opens a public vote; a visitor confirms the emailed link and votes', async () => {
  const { page } = organizer;
  await page.goto(`${BASE}/c/${SLUG}/voting`);
  const input = (d) => d.toISOString().slice(0, 16); // datetime-local, UTC like the server
  await page.getByLabel('Public vote on').check();
  await page.getByLabel('Voting opens').fill(input(new Date(Date.now() - 3600e3)));
  await page.getByLabel('Voting closes').fill(input(new Date(Date.now() + 2 * 86400e3)));
  await page.getByLabel('Votes per voter').fill('2');
  await page.getByLabel(/Show vote counts while voting runs/).check();
  await page.getByRole('button', { name: 'Save voting settings' }).click();
  await page.getByText('Voting settings saved.').waitFor();

  const voter = await newPage();
  try {
    await voter.page.goto(`${BASE}/c/${SLUG}`);
    await voter.page.getByLabel('Your email').fill('voter@example.org');
    await voter.page.getByRole('button', { name: 'Send me the voting link' }).click();
    await voter.page.getByText(/a link is on its way/).waitFor();
    const raw = await waitForEmail('voter@example.org');
    const link = emailTexts(raw).map((t) => t.match(/https?:\/\/[^\s"<]+\/voters\/confirm\?token=[0-9a-f]{64}/)).find(Boolean)?.[0];
    assert.ok(link, 'the mail carries the voting link');
    await voter.page.goto(link);
    await voter.page.getByRole('button', { name: 'Confirm and start voting' }).click();
    await voter.page.getByText('You are voting as voter@example.org.').waitFor();
    const card = voter.page.locator(`#v-${videoId}`);
    await card.getByRole('button', { name: `Vote for ${TITLE}` }).click();
    await card.getByText('You voted for this entry.').waitFor();
    assert.equal(await card.locator('.votes').innerText(), '1 vote');
    assert.match(await voter.page.locator('.voter').innerText(), /Votes left: 1 of 2/);
    await screenshot(voter.page, 'voted');
    await voter.page.locator(`#v-${videoId}`).getByRole('button', { name: `Take back my vote for ${TITLE}` }).click();
    await voter.page.locator(`#v-${videoId} .votes`, { hasText: '0 votes' }).waitFor();
  } finally {
    await voter.context.close();
  }
});

step('jury: the organizer sets a rubric and invites a judge, who joins from the mail and scores; the winners are published', async () => {
  const { page } = organizer;
  await page.goto(`${BASE}/c/${SLUG}/judging`);
  await page.locator('#name_1').fill('Story');
  await page.locator('#description_1').fill('Does it hold you?');
  await page.locator('#weight_1').fill('2');
  await page.locator('#name_2').fill('Image');
  await page.getByLabel(/Jury share of the final ranking/).fill('70');
  await Promise.all([page.waitForURL(new RegExp(`/c/${SLUG}/judging#rubric$`)), page.getByRole('button', { name: 'Save rubric' }).click()]);
  await page.getByLabel('Invite a judge (email)').fill('judge@example.org');
  await Promise.all([page.waitForURL(new RegExp(`/c/${SLUG}/judging#judges$`)), page.getByRole('button', { name: 'Send invitation' }).click()]);
  assert.match(await page.locator('tr[data-judge="judge@example.org"]').innerText(), /invited/);
  await screenshot(page, 'jury-setup');

  const judge = await newPage();
  try {
    const raw = await waitForEmail('judge@example.org');
    const link = emailTexts(raw).map((t) => t.match(/https?:\/\/[^\s"<]+\/jury\/invite\/[0-9a-f]{64}/)).find(Boolean)?.[0];
    assert.ok(link, 'the mail carries the invitation link');
    assert.ok(link.startsWith(BASE), 'the link uses APP_BASE_URL');
    await judge.page.goto(link);
    await judge.page.getByText('Choose a password for judge@example.org').waitFor();
    await judge.page.getByLabel(/Password/).fill('judge password 1234');
    await Promise.all([judge.page.waitForURL(`${BASE}/c/${SLUG}/jury`), judge.page.getByRole('button', { name: 'Join the jury' }).click()]);
    await Promise.all([judge.page.waitForURL(`${BASE}/c/${SLUG}/jury/v/${videoId}`), judge.page.getByRole('link', { name: TITLE }).click()]);
    await judge.page.getByRole('group', { name: 'Story' }).getByLabel('4').check();
    await judge.page.getByRole('group', { name: 'Image' }).getByLabel('5').check();
    await judge.page.getByLabel(/Comment/).fill('Lovely light.');
    await screenshot(judge.page, 'jury-score');
    await Promise.all([judge.page.waitForURL(new RegExp(`/c/${SLUG}/jury#v-${videoId}$`)), judge.page.getByRole('button', { name: 'Save scores' }).click()]);
    assert.match(await judge.page.locator(`#v-${videoId}`).innerText(), /scored/);
    assert.equal(await judge.page.locator('table.ranking').count(), 0, 'no ranking for judges while judging is open');
    assert.deepEqual(judge.errors, []);
  } finally {
    await judge.context.close();
  }

  // The organizer: averages and completion; (4 × 2 + 5 × 1) / 3 = 4.3; then close and publish.
  await page.goto(`${BASE}/c/${SLUG}/judging`);
  const row = page.locator(`table.ranking tr[data-video="${videoId}"]`);
  assert.equal((await row.locator('.jury-score').innerText()).trim(), '4.3');
  assert.match(await page.locator('tr[data-judge="judge@example.org"] .completion').innerText(), /1 \/ 1/);
  await screenshot(page, 'jury-ranking');
  await page.getByRole('button', { name: 'Close judging' }).click();
  await page.getByRole('button', { name: 'Reopen judging' }).waitFor();

  assert.equal((await page.request.get(`${BASE}/c/${SLUG}/results`)).status(), 404, 'no results before publishing');
  await page.goto(`${BASE}/c/${SLUG}/winners`);
  await page.getByLabel('First place').selectOption(videoId);
  await Promise.all([page.waitForURL(`${BASE}/c/${SLUG}/results`), page.getByRole('button', { name: 'Publish the results and email the winners' }).click()]);
  const first = page.locator('li.winner-card[data-place="1"]');
  assert.match(await first.innerText(), new RegExp(`First place[\\s\\S]*${TITLE}`));
  // The participant has several mails by now (receipt, ready): wait for the winner's one.
  let mail = '';
  for (let i = 0; i < 240 && !mail; i += 1) {
    let files = [];
    try { files = readdirSync(join(DATA, 'outbox')).filter((f) => f.endsWith('.eml')); } catch { /* not yet */ }
    mail = files.map((f) => emailTexts(readFileSync(join(DATA, 'outbox', f), 'utf8')).join('\n'))
      .find((t) => /^To: ana@example\.org/mi.test(t) && /won first place/.test(t)) || '';
    if (!mail) await new Promise((r) => setTimeout(r, 250));
  }
  assert.match(mail, /won first place/);
  await visitor.page.goto(`${BASE}/c/${SLUG}`);
  await visitor.page.locator('#winners-h').waitFor();
  await screenshot(visitor.page, 'contest-winners');
});

step('form errors show next to the field and keep what was typed (JS upload)', async () => {
  const { page } = visitor;
  await page.goto(`${BASE}/c/${SLUG}`);
  // Same title, different case: refused before the file is read.
  await fillEntry(page, { title: 'OCEAN WAVES', first: 'Luis', last: 'Pérez', email: 'luis@example.org', description: 'Keep me', file: media.small });
  await page.getByRole('button', { name: 'Upload video' }).click();
  const titleError = page.locator('#title-error');
  await titleError.waitFor();
  assert.match(await titleError.textContent(), /already in the contest/);
  assert.equal(await page.locator('#title').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#title').getAttribute('aria-describedby'), 'title-error');
  assert.ok(await titleError.evaluate((e) => e.closest('.field').querySelector('#title') !== null), 'message sits in the title field');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'title', 'focus moves to the field');
  assert.equal(await page.locator('#first_name').inputValue(), 'Luis');
  assert.equal(await page.locator('#description').inputValue(), 'Keep me');
  await screenshot(page, 'error-duplicate-title');

  // A text file named .avi: refused by its first bytes in the browser, before anything is sent
  // (the server refuses it by content too: see the no-JS and API tests).
  await page.locator('#title').fill('Not a video');
  await page.locator('#video').setInputFiles(media.fake);
  let posts = 0;
  const countPosts = (r) => { if (r.method() === 'POST' && r.url().includes('/videos')) posts += 1; };
  page.on('request', countPosts);
  await page.getByRole('button', { name: 'Upload video' }).click();
  const videoError = page.locator('#video-error');
  await videoError.waitFor();
  assert.match(await videoError.textContent(), /not a video the site can read/);
  page.off('request', countPosts);
  assert.equal(posts, 0, 'nothing was sent');
  assert.equal(await page.locator('#title-error').count(), 0, 'the old message is gone');
  assert.equal(await page.locator('#title').inputValue(), 'Not a video');
  assert.equal(await page.locator('#email').inputValue(), 'luis@example.org');
  await screenshot(page, 'error-wrong-file');
});

step('a slow upload says MB and time left, locks the fields, warns before leaving, and can be cancelled', async () => {
  const { page, context } = visitor;
  await page.goto(`${BASE}/c/${SLUG}`);
  await fillEntry(page, { title: 'Cancelled waves', file: media.big });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // ≈150 KB/s: the 5 MB file takes half a minute, long enough to read and cancel.
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 150 * 1024 });
  try {
    await page.getByRole('button', { name: 'Upload video' }).click();
    const detail = page.locator('.upload-detail');
    await page.waitForFunction(() => /of [0-9.]+ MB, about [0-9]+ (s|min) left/.test(document.querySelector('.upload-detail')?.textContent || ''), null, { timeout: 20_000 });
    assert.match(await detail.textContent(), /^[0-9.]+ of [0-9.]+ MB, about [0-9]+ (s|min) left$/);
    assert.equal(await page.locator('#title').isDisabled(), true, 'fields are locked while sending');
    assert.equal(await page.getByRole('button', { name: 'Upload video' }).isDisabled(), true);
    const warns = () => page.evaluate(() => { const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; });
    assert.equal(await warns(), true, 'leaving mid-upload asks first');
    await screenshot(page, 'upload-slow', { fullPage: false });
    await page.getByRole('button', { name: 'Cancel upload' }).click();
    await page.getByText('Upload cancelled.').waitFor();
    assert.equal(await page.locator('#title').isDisabled(), false, 'fields are unlocked');
    assert.equal(await page.locator('#title').inputValue(), 'Cancelled waves', 'what was typed is kept');
    assert.equal(await page.locator('.upload-progress').isHidden(), true);
    assert.equal(await warns(), false, 'no warning once nothing is being sent');
    assert.equal(page.url(), `${BASE}/c/${SLUG}`);
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  }
  // Nothing of it was kept: the organizer does not see the entry.
  await organizer.page.goto(`${BASE}/c/${SLUG}#organizer`);
  assert.equal(await organizer.page.locator('table.entries', { hasText: 'Cancelled waves' }).count(), 0);
});

step('without JavaScript the server re-renders the form with the message and the values', async () => {
  const { page, context } = await newPage({ javaScriptEnabled: false });
  await page.goto(`${BASE}/c/${SLUG}`);
  await fillEntry(page, { title: TITLE, first: 'Eva', last: 'Ruiz', email: 'eva@example.org', description: 'No JS here', file: media.small });
  const [res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Upload video' }).click()]);
  assert.equal(res.status(), 409);
  assert.match(await page.locator('#title-error').textContent(), /already in the contest/);
  assert.equal(await page.locator('#title').inputValue(), TITLE);
  assert.equal(await page.locator('#first_name').inputValue(), 'Eva');
  assert.equal(await page.locator('#description').inputValue(), 'No JS here');
  await screenshot(page, 'error-duplicate-title-nojs');
  await context.close();
});

step('the organizer dashboard counts the video; hiding it removes it from the public page', async () => {
  const { page } = organizer;
  await page.goto(BASE + '/dashboard');
  assert.equal((await page.locator('td[data-state="converted"]').first().textContent()).trim(), '1');
  await screenshot(page, 'dashboard');

  await page.goto(`${BASE}/c/${SLUG}#organizer`);
  // One entries table: the published entry is there with its participant's email and a Hide button.
  const row = page.locator(`#organizer tr[data-video="${videoId}"]`);
  assert.match(await row.textContent(), /public/);
  await Promise.all([page.waitForURL(new RegExp(`/c/${SLUG}#organizer$`)), row.getByRole('button', { name: `Hide ${TITLE}` }).click()]);
  await page.locator(`#organizer tr[data-video="${videoId}"] td.state`, { hasText: 'hidden' }).waitFor();
  await screenshot(page, 'organizer-hidden');

  const v = visitor.page;
  await v.goto(`${BASE}/c/${SLUG}`);
  assert.equal(await v.locator('li.video-card', { hasText: TITLE }).count(), 0, 'hidden video is not listed');
  const api = await v.request.get(`${BASE}/api/videos/${videoId}`);
  assert.equal(api.status(), 404, 'and not visible through the API');
});

step('language: Accept-Language es gives Spanish; the switcher changes it and the cookie wins', async () => {
  const es = await newPage({ locale: 'es-ES' });
  await es.page.goto(`${BASE}/c/${SLUG}`);
  assert.equal(await es.page.getAttribute('html', 'lang'), 'es');
  await es.page.getByRole('heading', { name: 'Participa en el concurso' }).waitFor();
  await es.page.getByLabel('Título del vídeo').waitFor();
  await es.page.getByRole('button', { name: 'Subir vídeo' }).waitFor();
  // Refusals from the upload handler follow the page language too (JS path).
  await fillEntry(es.page, { title: TITLE, first: 'Lucía', last: 'Martín', email: 'lucia@example.org', file: media.small });
  await es.page.getByRole('button', { name: 'Subir vídeo' }).click();
  await es.page.locator('#title-error').waitFor();
  assert.match(await es.page.locator('#title-error').textContent(), /Ya hay un vídeo con este título/);
  await screenshot(es.page, 'contest-es');
  // Switch to English with the link in the header: same page, English now, what was typed
  // is still there, and the choice sticks.
  const english = es.page.locator('header .lang-switch').getByRole('link', { name: 'English' });
  await Promise.all([es.page.waitForURL(`${BASE}/c/${SLUG}`), english.click()]);
  assert.equal(await es.page.getAttribute('html', 'lang'), 'en');
  await es.page.getByLabel('Video title').waitFor();
  assert.equal(await es.page.locator('#title').inputValue(), TITLE);
  assert.equal(await es.page.locator('#first_name').inputValue(), 'Lucía');
  assert.equal(await es.page.locator('#email').inputValue(), 'lucia@example.org');
  await es.page.goto(BASE + '/');
  assert.equal(await es.page.getAttribute('html', 'lang'), 'en', 'the cookie wins over Accept-Language');
  await es.context.close();

  // An English browser switching to Spanish.
  const { page, context } = await newPage();
  await page.goto(`${BASE}/c/${SLUG}`);
  await Promise.all([page.waitForURL(`${BASE}/c/${SLUG}`), page.getByRole('link', { name: 'Español' }).click()]);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  await page.getByLabel('Título del vídeo').waitFor();
  await page.getByText('Iniciar sesión').first().waitFor();
  await context.close();
});

step('phone layout: no horizontal scrolling, form usable, labelled controls', async () => {
  const { page, context } = await newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  for (const path of ['/', `/c/${SLUG}`, '/login']) {
    await page.goto(BASE + path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px on a phone`);
    // Every visible form control has a label (or an accessible name); every image has alt.
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]),textarea,select')]
      .filter((e) => e.labels.length === 0 && !e.getAttribute('aria-label')).map((e) => e.name || e.id));
    assert.deepEqual(unlabelled, [], `${path}: unlabelled controls`);
    const noAlt = await page.evaluate(() => [...document.querySelectorAll('img')].filter((i) => !i.hasAttribute('alt')).map((i) => i.src));
    assert.deepEqual(noAlt, [], `${path}: images without alt`);
  }
  await page.goto(`${BASE}/c/${SLUG}`);
  await screenshot(page, 'phone-contest');
  await page.goto(BASE + '/');
  await screenshot(page, 'phone-home');
  await context.close();

  // The organizer's dashboard on a phone: as wide as the screen, one card per contest.
  const org = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, storageState: await organizer.context.storageState() });
  try {
    const p = await org.newPage();
    await p.goto(BASE + '/dashboard');
    const widths = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.equal(widths[0], widths[1], `the dashboard is ${widths[0]}px wide on a ${widths[1]}px screen`);
    const row = p.locator('table.dash tbody tr').first();
    assert.equal(await row.evaluate((r) => getComputedStyle(r).display), 'block', 'a card per contest');
    const cell = row.locator('td[data-state="converted"]');
    assert.match(await cell.innerText(), /^\d+$/);
    assert.match(await cell.evaluate((td) => getComputedStyle(td, '::before').content), /Converted/, 'each number says what it counts');
    await screenshot(p, 'phone-dashboard');
  } finally {
    await org.close();
  }
});

step('home page after the journey', async () => {
  const { page, context } = await newPage();
  await page.goto(BASE + '/');
  await page.getByRole('link', { name: CONTEST }).waitFor();
  await screenshot(page, 'home');
  await context.close();
  await organizer.context.close();
  await visitor.context.close();
});
