// Finds a business card's outline in a small frame of the viewfinder, ~10 times a second on a
// phone. Not the server's detector (that one flattens the card for OCR): a light guide for
// the eye and for "take it by itself when steady".
//
// 1. Gray levels of a frame downscaled to ~160 px, Sobel gradients.
// 2. A small Hough transform: each strong edge pixel votes for the lines through it whose
//    normal is close to its gradient, in two families (near-horizontal, near-vertical).
// 3. Per family, the two outermost strong lines far enough apart; their four crossings are
//    the corners, kept when they make a convex quad of a card's size and shape.

const DEG = Math.PI / 180;
const SPREAD = 35; // degrees either side of horizontal/vertical a side may lean
const STEP = 1.5; // degrees between tried angles
const VOTE_WINDOW = 9; // degrees either side of a pixel's gradient it votes for

export function toGray(image) {
  // ImageData -> Float32Array of luma (0..255).
  const { data, width, height } = image;
  const gray = new Float32Array(width * height);
  for (let i = 0, j = 0; i < gray.length; i += 1, j += 4) {
    gray[i] = 0.299 * data[j] + 0.587 * data[j + 1] + 0.114 * data[j + 2];
  }
  return gray;
}

function gradients(gray, w, h) {
  const mag = new Float32Array(w * h);
  const ang = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y += 1) {
    for (let x = 1; x < w - 1; x += 1) {
      const i = y * w + x;
      const gx =
        gray[i - w + 1] + 2 * gray[i + 1] + gray[i + w + 1] - gray[i - w - 1] - 2 * gray[i - 1] - gray[i + w - 1];
      const gy =
        gray[i + w - 1] + 2 * gray[i + w] + gray[i + w + 1] - gray[i - w - 1] - 2 * gray[i - w] - gray[i - w + 1];
      mag[i] = Math.hypot(gx, gy);
      ang[i] = Math.atan2(gy, gx); // the normal of the edge through this pixel
    }
  }
  return { mag, ang };
}

function threshold(mag) {
  // Strong edges: the top ~8% of gradient magnitudes, and never faint ones.
  const sample = [];
  for (let i = 0; i < mag.length; i += 7) sample.push(mag[i]);
  sample.sort((a, b) => a - b);
  return Math.max(40, sample[Math.floor(sample.length * 0.92)] || 0);
}

function family(centre) {
  // Angles (radians) of line normals around `centre` degrees.
  const out = [];
  for (let d = -SPREAD; d <= SPREAD + 1e-9; d += STEP) out.push((centre + d) * DEG);
  return out;
}

const FAMILIES = { horizontal: family(90), vertical: family(0) };

function accumulate(mag, ang, w, h, limit) {
  const diag = Math.ceil(Math.hypot(w, h));
  const acc = {};
  for (const [name, thetas] of Object.entries(FAMILIES)) {
    acc[name] = { thetas, votes: new Float32Array(thetas.length * (2 * diag + 1)), cos: thetas.map(Math.cos), sin: thetas.map(Math.sin) };
  }
  for (let y = 1; y < h - 1; y += 1) {
    for (let x = 1; x < w - 1; x += 1) {
      const i = y * w + x;
      if (mag[i] < limit) continue;
      // The normal's direction, folded to [0, 180): dark-to-light and light-to-dark alike.
      let a = ang[i] / DEG;
      if (a < 0) a += 180;
      for (const f of Object.values(acc)) {
        for (let t = 0; t < f.thetas.length; t += 1) {
          let d = Math.abs(a - f.thetas[t] / DEG) % 180;
          if (d > 90) d = 180 - d;
          if (d > VOTE_WINDOW) continue;
          const rho = Math.round(x * f.cos[t] + y * f.sin[t]) + diag;
          f.votes[t * (2 * diag + 1) + rho] += 1;
        }
      }
    }
  }
  return { acc, diag };
}

function peaks(f, diag, count) {
  // The strongest lines of a family, each a (theta, rho, votes), neighbours suppressed.
  const span = 2 * diag + 1;
  const votes = f.votes.slice();
  const out = [];
  for (let k = 0; k < count; k += 1) {
    let best = -1;
    let bestVotes = 0;
    for (let i = 0; i < votes.length; i += 1) {
      if (votes[i] > bestVotes) {
        bestVotes = votes[i];
        best = i;
      }
    }
    if (best < 0) break;
    const t = Math.floor(best / span);
    const rho = (best % span) - diag;
    out.push({ theta: f.thetas[t], rho, votes: bestVotes });
    for (let dt = -4; dt <= 4; dt += 1) {
      for (let dr = -6; dr <= 6; dr += 1) {
        const tt = t + dt;
        const rr = rho + diag + dr;
        if (tt >= 0 && tt < f.thetas.length && rr >= 0 && rr < span) votes[tt * span + rr] = 0;
      }
    }
  }
  return out;
}

function pair(lines, length, minGap) {
  // The two lines farthest apart among the strong ones (a card's opposite sides), each long
  // enough to be a side and leaning alike.
  const strong = lines.filter((l) => l.votes >= Math.max(lines[0]?.votes * 0.45 || 0, length * 0.3));
  let best = null;
  for (let i = 0; i < strong.length; i += 1) {
    for (let j = i + 1; j < strong.length; j += 1) {
      const a = strong[i];
      const b = strong[j];
      if (Math.abs(a.theta - b.theta) > 20 * DEG) continue;
      const gap = Math.abs(a.rho - b.rho);
      if (gap < minGap) continue;
      if (!best || gap > best.gap) best = { lines: a.rho < b.rho ? [a, b] : [b, a], gap };
    }
  }
  return best && best.lines;
}

function cross(a, b) {
  const det = Math.cos(a.theta) * Math.sin(b.theta) - Math.sin(a.theta) * Math.cos(b.theta);
  if (Math.abs(det) < 1e-6) return null;
  return [
    (a.rho * Math.sin(b.theta) - b.rho * Math.sin(a.theta)) / det,
    (b.rho * Math.cos(a.theta) - a.rho * Math.cos(b.theta)) / det,
  ];
}

function area(quad) {
  let s = 0;
  for (let i = 0; i < 4; i += 1) {
    const [x1, y1] = quad[i];
    const [x2, y2] = quad[(i + 1) % 4];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

function convex(quad) {
  let sign = 0;
  for (let i = 0; i < 4; i += 1) {
    const [ax, ay] = quad[i];
    const [bx, by] = quad[(i + 1) % 4];
    const [cx, cy] = quad[(i + 2) % 4];
    const z = (bx - ax) * (cy - by) - (by - ay) * (cx - bx);
    if (sign && Math.sign(z) !== sign) return false;
    sign = Math.sign(z);
  }
  return true;
}

function side(p, q) {
  return Math.hypot(p[0] - q[0], p[1] - q[1]);
}

export function findCard(gray, w, h) {
  // The card's corners (top-left, top-right, bottom-right, bottom-left, in frame pixels) and
  // a 0..1 score, or null when no card-shaped outline stands out.
  const { mag, ang } = gradients(gray, w, h);
  const { acc, diag } = accumulate(mag, ang, w, h, threshold(mag));
  const rows = pair(peaks(acc.horizontal, diag, 8), w, h * 0.2);
  const cols = pair(peaks(acc.vertical, diag, 8), h, w * 0.2);
  if (!rows || !cols) return null;
  const [top, bottom] = rows;
  const [left, right] = cols;
  const quad = [cross(top, left), cross(top, right), cross(bottom, right), cross(bottom, left)];
  if (quad.some((p) => !p || p[0] < -0.05 * w || p[0] > 1.05 * w || p[1] < -0.05 * h || p[1] > 1.05 * h)) return null;
  if (!convex(quad)) return null;
  const share = area(quad) / (w * h);
  const long = (side(quad[0], quad[1]) + side(quad[3], quad[2])) / 2;
  const short = (side(quad[0], quad[3]) + side(quad[1], quad[2])) / 2;
  const aspect = Math.max(long, short) / Math.max(1, Math.min(long, short));
  if (share < 0.1 || share > 0.97 || aspect < 1.15 || aspect > 2.4) return null;
  const support = (top.votes + bottom.votes) / (2 * long) + (left.votes + right.votes) / (2 * short);
  return { quad, score: Math.min(1, support / 2) };
}

export function sharpness(gray, w, h) {
  // Mean absolute Laplacian over the middle of the frame: drops when the phone moves.
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(h / 4); y < (3 * h) / 4; y += 1) {
    for (let x = Math.floor(w / 4); x < (3 * w) / 4; x += 1) {
      const i = y * w + x;
      sum += Math.abs(4 * gray[i] - gray[i - 1] - gray[i + 1] - gray[i - w] - gray[i + w]);
      n += 1;
    }
  }
  return n ? sum / n : 0;
}
