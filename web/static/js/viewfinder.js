// The live viewfinder: the camera stays open card after card; the card's outline is drawn
// when found; a tap anywhere takes it (or, as a choice, it takes itself once the card is
// steady and sharp). Taking only grabs the frame: the viewfinder is ready again at once and
// the photo is encoded and queued behind it.

import { findCard, sharpness, toGray } from './edges.js';
import { grabFrame } from './image.js';

const FIND_EDGE = 160; // px, long edge of the frame the outline is looked for in
const SHARP_EDGE = 320; // px, for the sharpness measure
const EVERY_MS = 90;
const STEADY_FRAMES = 5;
const STEADY_MOVE = 0.02; // of the frame's diagonal, per corner, between frames
const AUTO_KEY = 'cardscan.viewfinder.auto';

export async function cameraAvailable() {
  // A camera the page may ask for: none on most laptops, none on plain http.
  if (!navigator.mediaDevices?.getUserMedia || !window.isSecureContext) return false;
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.some((d) => d.kind === 'videoinput');
  } catch {
    return false;
  }
}

function explain(error) {
  if (error.name === 'NotAllowedError' || error.name === 'SecurityError') return 'the camera permission was refused';
  if (error.name === 'NotFoundError' || error.name === 'OverconstrainedError') return 'no camera was found';
  if (error.name === 'NotReadableError') return 'another app is using the camera';
  return error.message || 'the camera did not start';
}

function moved(a, b, diag) {
  return Math.max(...a.map((p, i) => Math.hypot(p[0] - b[i][0], p[1] - b[i][1]))) / diag;
}

export function viewfinder(root, { onShot, onClose, onLast }) {
  const video = root.querySelector('video');
  const overlay = root.querySelector('canvas.vf-overlay');
  const hint = root.querySelector('.vf-hint');
  const auto = root.querySelector('.vf-auto');
  const last = root.querySelector('.vf-last');
  const flash = root.querySelector('.vf-flash');
  const sharpCanvas = document.createElement('canvas');
  const findCanvas = document.createElement('canvas');
  let stream = null;
  let timer = null;
  let history = []; // recent outlines found (in find-frame pixels), newest last
  let sharpSeen = []; // [time, sharpness]
  let armed = true; // auto-take waits for a new card after each shot
  let lostFrames = 0;
  let busyUntil = 0;
  let current = null; // the outline now: {quad (video pixels), steady}

  auto.setAttribute('aria-pressed', String(localStorage.getItem(AUTO_KEY) === 'on'));
  auto.addEventListener('click', () => {
    const on = auto.getAttribute('aria-pressed') !== 'true';
    auto.setAttribute('aria-pressed', String(on));
    localStorage.setItem(AUTO_KEY, on ? 'on' : 'off');
    armed = true;
  });

  function draw() {
    root.dataset.found = current ? (current.steady ? 'steady' : 'yes') : 'no';
    const box = video.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    if (overlay.width !== Math.round(box.width * ratio)) overlay.width = Math.round(box.width * ratio);
    if (overlay.height !== Math.round(box.height * ratio)) overlay.height = Math.round(box.height * ratio);
    const g = overlay.getContext('2d');
    g.clearRect(0, 0, overlay.width, overlay.height);
    if (!current || !video.videoWidth) return;
    // The video fills its box (object-fit: cover): video pixels -> box pixels.
    const scale = Math.max(box.width / video.videoWidth, box.height / video.videoHeight);
    const dx = (box.width - video.videoWidth * scale) / 2;
    const dy = (box.height - video.videoHeight * scale) / 2;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.lineWidth = 4;
    g.lineJoin = 'round';
    g.strokeStyle = current.steady ? '#2da44e' : 'rgba(255, 255, 255, 0.9)';
    g.shadowColor = 'rgba(0, 0, 0, 0.6)';
    g.shadowBlur = 4;
    g.beginPath();
    current.quad.forEach(([x, y], i) => g[i ? 'lineTo' : 'moveTo'](dx + x * scale, dy + y * scale));
    g.closePath();
    g.stroke();
  }

  function look() {
    if (!stream || !video.videoWidth) return;
    const vw = video.videoWidth;
    const vh = video.videoHeight;
    const s1 = SHARP_EDGE / Math.max(vw, vh);
    sharpCanvas.width = Math.round(vw * s1);
    sharpCanvas.height = Math.round(vh * s1);
    const sc = sharpCanvas.getContext('2d', { willReadFrequently: true });
    sc.drawImage(video, 0, 0, sharpCanvas.width, sharpCanvas.height);
    const sharpGray = toGray(sc.getImageData(0, 0, sharpCanvas.width, sharpCanvas.height));
    const sharp = sharpness(sharpGray, sharpCanvas.width, sharpCanvas.height);
    const s2 = FIND_EDGE / Math.max(vw, vh);
    findCanvas.width = Math.round(vw * s2);
    findCanvas.height = Math.round(vh * s2);
    const fc = findCanvas.getContext('2d', { willReadFrequently: true });
    fc.drawImage(sharpCanvas, 0, 0, findCanvas.width, findCanvas.height);
    const w = findCanvas.width;
    const h = findCanvas.height;
    const found = findCard(toGray(fc.getImageData(0, 0, w, h)), w, h);
    const now = performance.now();
    sharpSeen = sharpSeen.filter(([t]) => now - t < 2000);
    sharpSeen.push([now, sharp]);
    if (!found) {
      lostFrames += 1;
      if (lostFrames >= 3) {
        history = [];
        armed = true; // the card left the frame: the next one may be taken by itself
      }
      current = null;
      hint.textContent = 'Hold a card inside the frame';
      draw();
      return;
    }
    lostFrames = 0;
    const diag = Math.hypot(w, h);
    const previous = history[history.length - 1];
    if (previous && moved(found.quad, previous, diag) > 0.15) armed = true; // another card
    history = previous && moved(found.quad, previous, diag) > STEADY_MOVE ? [found.quad] : [...history, found.quad].slice(-STEADY_FRAMES);
    const steady = history.length >= STEADY_FRAMES;
    const best = Math.max(...sharpSeen.map(([, v]) => v));
    const isSharp = sharp >= 0.85 * best;
    current = { quad: found.quad.map(([x, y]) => [x / s2, y / s2]), steady: steady && isSharp };
    const on = auto.getAttribute('aria-pressed') === 'true';
    hint.textContent = !steady ? 'Hold still…' : on && !armed ? 'Taken: next card' : on ? 'Taking…' : 'Tap to take';
    draw();
    if (on && armed && steady && isSharp) take('auto');
  }

  function take(how = 'tap') {
    const started = performance.now();
    if (!stream || !video.videoWidth || started < busyUntil) return;
    busyUntil = started + 350; // one photo per tap
    armed = false;
    const canvas = grabFrame(video);
    flash.hidden = false;
    setTimeout(() => {
      flash.hidden = true;
    }, 120);
    const ms = performance.now() - started;
    window.dispatchEvent(new CustomEvent('viewfinder-shot', { detail: { how, ms, outline: Boolean(current) } }));
    onShot(canvas, { how, outline: current && current.quad });
  }

  video.addEventListener('click', () => take('tap'));
  overlay.addEventListener('click', () => take('tap'));
  root.querySelector('.vf-shutter').addEventListener('click', () => take('tap'));
  root.querySelector('.vf-close').addEventListener('click', () => close());
  last.addEventListener('click', () => onLast && onLast());
  document.addEventListener('visibilitychange', () => {
    if (!stream) return;
    clearInterval(timer);
    if (document.visibilityState === 'visible') timer = setInterval(look, EVERY_MS);
  });

  async function open() {
    root.hidden = false;
    document.body.classList.add('camera-open');
    hint.textContent = 'Starting the camera…';
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1920 }, height: { ideal: 1080 } },
      });
    } catch (error) {
      close();
      throw new Error(explain(error));
    }
    video.srcObject = stream;
    await video.play().catch(() => undefined);
    history = [];
    armed = true;
    timer = setInterval(look, EVERY_MS);
    hint.textContent = 'Hold a card inside the frame';
    root.querySelector('.vf-shutter').focus({ preventScroll: true });
  }

  function close() {
    clearInterval(timer);
    timer = null;
    if (stream) for (const track of stream.getTracks()) track.stop();
    const was = Boolean(stream);
    stream = null;
    video.srcObject = null;
    current = null;
    root.hidden = true;
    document.body.classList.remove('camera-open');
    if (was && onClose) onClose();
  }

  return {
    open,
    close,
    take,
    get isOpen() {
      return Boolean(stream);
    },
    pause() {
      clearInterval(timer);
    },
    resume() {
      if (stream) timer = setInterval(look, EVERY_MS);
    },
    showLast(url) {
      last.hidden = !url;
      last.querySelector('img').src = url || '';
    },
  };
}
