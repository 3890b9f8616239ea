// The card's image with the words OCR read on it, tappable, zoomable (buttons, keys, pinch).
//
// Two views of a read card: the card itself, cut out of the photo flat and upright by the
// server (the OCR's boxes fall on it as they are), and the whole photo, where each word's box
// is mapped through the card's outline (a perspective transform the server sends) and drawn
// as a polygon. Cards read before outlines were kept show boxes on the photo only when OCR read
// the photo as it is; otherwise the words are offered as a list under the image.

import { el } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const LONG_PRESS_MS = 500;
const NEAR_PX = 22; // a tap this close to a word's middle still takes it
const MAX_ZOOM = 5;

function lineWords(line) {
  return line.words && line.words.length ? line.words : [line];
}

function apply(m, x, y) {
  const w = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w];
}

function corners([x, y, w, h]) {
  return [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ];
}

// (`hidden` is an HTML property: the SVG layer is shown and hidden by its attribute.)
export function wordBoard({ scroll, frame, img, layer, shapes, list, details, onWord }) {
  let card = null; // {ocr, outline, cardImage, photo, thumb}
  let view = 'card';
  let words = []; // {text, line, cx, cy, node}: cx, cy in fractions of the frame
  let zoom = 1;
  let lineMode = false;

  function setZoom(value, anchor) {
    const old = zoom;
    zoom = Math.min(MAX_ZOOM, Math.max(1, value));
    const rect = scroll.getBoundingClientRect();
    const ax = anchor ? anchor.x - rect.left : scroll.clientWidth / 2;
    const ay = anchor ? anchor.y - rect.top : scroll.clientHeight / 2;
    const cx = scroll.scrollLeft + ax;
    const cy = scroll.scrollTop + ay;
    frame.style.width = `${zoom * 100}%`;
    const ratio = zoom / old;
    scroll.scrollLeft = cx * ratio - ax;
    scroll.scrollTop = cy * ratio - ay;
  }

  function clear() {
    layer.replaceChildren();
    shapes.replaceChildren();
    words = [];
  }

  function boxesOnImage(ocr) {
    // Boxes in the pixels of the image shown (the flat card, or a photo OCR read as it is).
    layer.hidden = false;
    shapes.setAttribute('hidden', '');
    for (const line of ocr.lines) {
      for (const word of lineWords(line)) {
        const [x, y, w, h] = word.box;
        const node = el('button', {
          type: 'button',
          class: 'word',
          title: word.text,
          'aria-label': `Use “${word.text}”`,
          tabindex: '-1',
          'data-i': words.length,
          'data-text': word.text,
        });
        node.style.left = `${(100 * x) / ocr.width}%`;
        node.style.top = `${(100 * y) / ocr.height}%`;
        node.style.width = `${(100 * w) / ocr.width}%`;
        node.style.height = `${(100 * h) / ocr.height}%`;
        layer.append(node);
        words.push({ text: word.text, line: line.text, cx: (x + w / 2) / ocr.width, cy: (y + h / 2) / ocr.height, node });
      }
    }
  }

  function shapesOnPhoto(ocr, matrix) {
    // Boxes mapped from the card onto the photo: turned and skewed like the card.
    layer.hidden = true;
    shapes.removeAttribute('hidden');
    for (const line of ocr.lines) {
      for (const word of lineWords(line)) {
        const points = corners(word.box).map(([x, y]) => apply(matrix, x, y));
        const node = document.createElementNS(SVG, 'polygon');
        node.setAttribute('points', points.map(([x, y]) => `${(1000 * x).toFixed(1)},${(1000 * y).toFixed(1)}`).join(' '));
        node.setAttribute('class', 'word-shape');
        node.setAttribute('data-i', String(words.length));
        node.setAttribute('data-text', word.text);
        const title = document.createElementNS(SVG, 'title');
        title.textContent = word.text;
        node.append(title);
        shapes.append(node);
        const cx = points.reduce((s, p) => s + p[0], 0) / 4;
        const cy = points.reduce((s, p) => s + p[1], 0) / 4;
        words.push({ text: word.text, line: line.text, cx, cy, node });
      }
    }
  }

  function renderList(ocr) {
    list.replaceChildren();
    if (!ocr || !ocr.lines.length) {
      list.append(el('li', { class: 'muted', text: 'No words were read on this photo.' }));
      return;
    }
    for (const line of ocr.lines) {
      const items = lineWords(line);
      list.append(
        el(
          'li',
          {},
          items.map((word) => el('button', { type: 'button', class: 'word-chip', 'data-text': word.text, text: word.text })),
          items.length > 1
            ? el('button', {
                type: 'button',
                class: 'word-chip line',
                'data-text': line.text,
                'data-line': 'true',
                'aria-label': `Use the whole line “${line.text}”`,
                text: '⤶ line',
              })
            : null,
        ),
      );
    }
  }

  function overlay() {
    clear();
    const ocr = card && card.ocr;
    let shown = false;
    if (ocr && ocr.lines.length && view !== 'back') {
      if (view === 'card' && card.cardImage) {
        boxesOnImage(ocr);
        shown = true;
      } else if (view === 'photo' && card.outline) {
        shapesOnPhoto(ocr, card.outline.to_photo);
        shown = true;
      } else if (view === 'photo' && img.naturalWidth === ocr.width && img.naturalHeight === ocr.height) {
        boxesOnImage(ocr);
        shown = true;
      }
    }
    if (!shown) {
      layer.hidden = true;
      shapes.setAttribute('hidden', '');
    }
    frame.classList.toggle('has-words', shown);
    // Words not drawn on the image are listed instead; on a phone the list stays closed (one
    // tap opens it), so the fields follow the photo without a screen of words between.
    details.open = !shown && view !== 'back' && !window.matchMedia('(max-width: 799px)').matches;
  }

  function sizeFor(which) {
    const o = card.outline;
    if (which === 'card' && o) return o.card;
    if (which === 'photo' && o) return o.photo;
    return null;
  }

  function show(which) {
    view = which;
    const src = which === 'card' ? card.cardImage : which === 'back' ? card.back : card.photo;
    const size = sizeFor(which);
    // Known proportions reserve the space before the image arrives (no jump on slow wifi);
    // the thumbnail stands in meanwhile.
    if (size) {
      img.width = size[0];
      img.height = size[1];
    } else {
      img.removeAttribute('width');
      img.removeAttribute('height');
    }
    img.classList.toggle('preview', which === 'card' && Boolean(card.thumb));
    if (which === 'card' && card.thumb) img.style.backgroundImage = `url("${card.thumb}")`;
    else img.style.backgroundImage = '';
    layer.hidden = true;
    shapes.setAttribute('hidden', '');
    if (img.getAttribute('src') !== src) {
      img.addEventListener('load', overlay, { once: true });
      img.addEventListener('error', overlay, { once: true });
      img.src = src;
    } else overlay();
    setZoom(1);
  }

  function load(data) {
    card = data;
    renderList(card.ocr);
    show(card.cardImage ? 'card' : 'photo');
  }

  // --- taps, long presses and pinches --------------------------------------------------------

  function nearest(event) {
    const rect = frame.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    const centre = (word) => Math.hypot(word.cx * rect.width - x, word.cy * rect.height - y);
    // Boxes of neighbouring words can overlap (mapped onto a tilted photo): of those under
    // the finger, the word whose centre is closest.
    const under = document
      .elementsFromPoint(event.clientX, event.clientY)
      .filter((node) => frame.contains(node) && node.dataset.i !== undefined)
      .map((node) => words[Number(node.dataset.i)]);
    if (under.length) return under.reduce((a, b) => (centre(b) < centre(a) ? b : a));
    let best = null;
    let bestDistance = NEAR_PX;
    for (const word of words) {
      const d = centre(word);
      if (d < bestDistance) {
        best = word;
        bestDistance = d;
      }
    }
    return best;
  }

  function use(word, asLine) {
    word.node.classList.add('used');
    setTimeout(() => word.node.classList.remove('used'), 700);
    onWord(asLine ? word.line : word.text, asLine);
  }

  const pointers = new Map();
  let pinch = null;
  let press = null; // {timer, x, y, word}
  let swallowClick = false;

  function cancelPress() {
    if (press) clearTimeout(press.timer);
    press = null;
  }

  frame.addEventListener('pointerdown', (e) => {
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.size === 2) {
      cancelPress();
      const [a, b] = [...pointers.values()];
      pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, zoom };
      return;
    }
    const word = words.length ? nearest(e) : null;
    if (!word) return;
    press = {
      x: e.clientX,
      y: e.clientY,
      timer: setTimeout(() => {
        press = null;
        swallowClick = true;
        use(word, true);
      }, LONG_PRESS_MS),
    };
  });
  frame.addEventListener('pointermove', (e) => {
    if (!pointers.has(e.pointerId)) return;
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pinch && pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      setZoom(pinch.zoom * (distance / pinch.distance), { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
    } else if (press && Math.hypot(e.clientX - press.x, e.clientY - press.y) > 10) {
      cancelPress(); // scrolling, not pressing
    }
  });
  for (const type of ['pointerup', 'pointercancel', 'pointerleave']) {
    frame.addEventListener(type, (e) => {
      pointers.delete(e.pointerId);
      if (pointers.size < 2 && pinch) {
        pinch = null;
        swallowClick = true; // the lifted finger of a pinch is no tap
        setTimeout(() => (swallowClick = false), 350);
      }
      cancelPress();
    });
  }
  frame.addEventListener('contextmenu', (e) => {
    if (words.length) e.preventDefault(); // a long press takes the line, not the image menu
  });
  frame.addEventListener('mousedown', (e) => e.preventDefault()); // keep the field focused
  frame.addEventListener('click', (e) => {
    if (swallowClick) {
      swallowClick = false;
      return;
    }
    const word = words.length ? nearest(e) : null;
    if (word) use(word, lineMode);
  });
  list.addEventListener('mousedown', (e) => e.preventDefault());
  list.addEventListener('click', (e) => {
    const chip = e.target.closest('button[data-text]');
    if (chip) onWord(chip.dataset.text, chip.dataset.line === 'true' || lineMode);
  });

  return {
    load,
    show,
    get view() {
      return view;
    },
    zoomBy(step) {
      setZoom(zoom + step);
    },
    setLineMode(on) {
      lineMode = on;
    },
    get lineMode() {
      return lineMode;
    },
  };
}
