// Adaptive streaming in a real browser: hls.js (served by the site) plays the ladder, the
// quality menu switches rungs, seeking works, and on an ~800 kbit/s link the player settles on
// the lowest rung. Started by run.sh after the journey (same app, its own contest).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
const SLUG = 'olas-hls-2026';
const ORGANIZER = { email: 'hls-organizer@example.org', password: 'a long enough password' };

let browser;
let dir;
let videoId;
let heights = []; // rung heights, highest first
let failed = false;

function step(name, fn) {
  test(name, async (t) => {
    if (failed) { t.skip('an earlier step failed'); return; }
    try { await fn(t); } catch (e) { failed = true; throw e; }
  });
}

function ffmpeg(args) {
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args], { stdio: 'inherit', cwd: dir });
}

async function newPage(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', ...opts });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors = [];
  const foreign = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('request', (r) => { if (!r.url().startsWith(BASE) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) foreign.push(r.url()); });
  return { context, page, errors, foreign };
}

/// Plays (muted) until currentTime passes `t`.
async function playPast(page, t, timeout = 30_000) {
  await page.locator('video#player').evaluate((v) => { v.muted = true; return v.play(); });
  await page.waitForFunction((t) => document.getElementById('player').currentTime > t, t, { timeout });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clipcontest-e2e-hls-'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic', '--autoplay-policy=no-user-gesture-required'],
  });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

step('a 480p upload converts and gets an HLS ladder', async () => {
  // 30 s of 854x480 H.264/AAC: the remux path for the top rung (480p, copied) and 360p encoded,
  // several 4 s segments per rung.
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=854x480:rate=25:duration=30', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=30',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', 'waves-480p.mp4']);
  const { page, context } = await newPage();
  await page.goto(BASE + '/register');
  await page.getByLabel('Email').fill(ORGANIZER.email);
  await page.getByLabel(/Password/).fill(ORGANIZER.password);
  await Promise.all([page.waitForURL(BASE + '/dashboard'), page.getByRole('button', { name: 'Create account' }).click()]);
  await page.goto(BASE + '/contests/new');
  await page.getByLabel('Name', { exact: true }).fill('Olas HLS 2026');
  await page.locator('#slug').fill(SLUG);
  const fmt = (ms) => new Date(ms).toISOString().slice(0, 16);
  await page.locator('#starts_at').fill(fmt(Date.now() - 3_600_000));
  await page.locator('#ends_at').fill(fmt(Date.now() + 86_400_000));
  await Promise.all([page.waitForURL(`${BASE}/c/${SLUG}?created=1`), page.getByRole('button', { name: 'Create contest' }).click()]);
  await page.getByLabel(/Video title/).fill('Ladder waves');
  await page.locator('#first_name').fill('Ana');
  await page.locator('#last_name').fill('García');
  await page.locator('#email').fill('ana-hls@example.org');
  await page.locator('#video').setInputFiles(join(dir, 'waves-480p.mp4'));
  await Promise.all([page.waitForURL(new RegExp(`/c/${SLUG}/v/[0-9a-f-]+$`), { timeout: 60_000 }), page.getByRole('button', { name: 'Upload video' }).click()]);
  videoId = page.url().split('/').pop();
  await page.waitForFunction(() => document.getElementById('video-status').dataset.state === 'converted', null, { timeout: 120_000 });
  const status = await (await page.request.get(`${BASE}/api/videos/${videoId}`)).json();
  assert.equal(status.hls_url, `/files/media/${videoId}/hls/master.m3u8`);
  const master = await (await page.request.get(BASE + status.hls_url)).text();
  heights = [...master.matchAll(/RESOLUTION=\d+x(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => b - a);
  assert.ok(heights.length >= 2, `at least two rungs: ${master}`);
  await context.close();
});

step('hls.js from the site plays the ladder; the quality menu switches rungs; seeking works', async () => {
  const { page, context, errors, foreign } = await newPage();
  await page.goto(`${BASE}/c/${SLUG}/v/${videoId}`);
  const video = page.locator('video#player');
  await video.waitFor();
  // No-JS source and poster are in the markup; the poster shows before play.
  // The server-rendered source (kept in data-mp4 once the player takes over) is the MP4.
  assert.match(await video.evaluate((v) => v.dataset.mp4 || v.getAttribute('src')), /\/video\.mp4$/);
  const poster = await video.getAttribute('poster');
  const posterRes = await page.request.get(new URL(poster, BASE).href);
  assert.equal(posterRes.status(), 200);
  assert.equal(posterRes.headers()['content-type'], 'image/jpeg');
  // Before play the element shows the poster: nothing has been decoded yet.
  assert.equal(await video.evaluate((v) => v.paused && v.currentTime === 0), true);
  await page.waitForFunction(() => document.getElementById('player').dataset.engine === 'hls.js');
  // hls.js is preferred where MSE exists, even when the browser could play HLS itself.
  await playPast(page, 2);
  await page.screenshot({ path: join(ARTIFACTS, 'hls-playing.png') });

  // The menu: a labelled select with Auto and each rung, highest first.
  const menu = page.getByLabel('Quality');
  await menu.waitFor();
  const options = await menu.locator('option').allTextContents();
  assert.equal(options.length, heights.length + 1, options.join(','));
  assert.match(options[0], /^Auto/);
  assert.deepEqual(options.slice(1), heights.map((h) => `${h}p`));
  // Keyboard: focus the menu and pick the lowest rung with the arrow keys.
  await menu.focus();
  for (let i = 0; i < heights.length; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await menu.evaluate((s) => s.selectedOptions[0].textContent), `${heights.at(-1)}p`);
  const low = heights.at(-1);
  await page.waitForFunction((h) => document.getElementById('player').videoHeight === h, low, { timeout: 20_000 });
  // And the highest with the mouse-free API a user's click ends in.
  await menu.selectOption({ label: `${heights[0]}p` });
  await page.waitForFunction((h) => document.getElementById('player').videoHeight === h, heights[0], { timeout: 20_000 });
  const before = await page.evaluate(() => document.getElementById('player').currentTime);
  await page.waitForFunction((t) => document.getElementById('player').currentTime > t + 1, before, { timeout: 20_000 });

  // Seek forward to 20 s: it lands there and keeps playing.
  const seeked = await video.evaluate((v) => new Promise((ok) => {
    v.addEventListener('seeked', () => ok(v.currentTime), { once: true });
    v.currentTime = 20;
  }));
  assert.ok(Math.abs(seeked - 20) < 1, `seeked to ${seeked}`);
  await page.waitForFunction(() => document.getElementById('player').currentTime > 21, null, { timeout: 20_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'hls-quality-menu.png') });
  assert.deepEqual(foreign, [], 'no request leaves the site');
  assert.deepEqual(errors, []);
  await context.close();
});

step('on an ~800 kbit/s link the player settles on the lowest rung', async () => {
  const { page, context, errors } = await newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 800_000 / 8, uploadThroughput: 800_000 / 8 });
  await page.goto(`${BASE}/c/${SLUG}/v/${videoId}`);
  await page.waitForFunction(() => document.getElementById('player').dataset.engine === 'hls.js', null, { timeout: 60_000 });
  await playPast(page, 1, 60_000);
  const low = heights.at(-1);
  await page.waitForFunction((h) => document.getElementById('player').dataset.level === String(h), low, { timeout: 60_000 });
  // It stays there while playing on.
  const t = await page.evaluate(() => document.getElementById('player').currentTime);
  await page.waitForFunction((t) => document.getElementById('player').currentTime > t + 4, t, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.getElementById('player').dataset.level), String(low));
  assert.equal(await page.evaluate(() => document.getElementById('player').videoHeight), low);
  assert.match(await page.getByLabel('Quality').evaluate((s) => s.options[0].textContent), new RegExp(`^Auto \\(${low}p\\)$`));
  assert.deepEqual(errors, []);
  await context.close();
});

step('the quality menu speaks Spanish on a Spanish page', async () => {
  const { page, context } = await newPage({ locale: 'es-ES' });
  await page.goto(`${BASE}/c/${SLUG}/v/${videoId}`);
  const menu = page.getByLabel('Calidad');
  await menu.waitFor();
  assert.match(await menu.evaluate((s) => s.options[0].textContent), /^Automática/);
  await context.close();
});
