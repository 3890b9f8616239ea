// Downscale a photo on the phone before it is queued: long edge ~2400 px, JPEG.

export const MAX_EDGE = 2400;

async function decode(file) {
  if ('createImageBitmap' in window) {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      // fall through to <img>, which some browsers decode more formats with
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function downscale(file, maxEdge = MAX_EDGE) {
  let image;
  try {
    image = await decode(file);
  } catch {
    // The browser cannot decode it (e.g. HEIC on Chrome): send it as it is, the server decides.
    return { bytes: await file.arrayBuffer(), type: file.type || 'application/octet-stream' };
  }
  const width = image.width || image.naturalWidth;
  const height = image.height || image.naturalHeight;
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
  if (image.close) image.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.88));
  canvas.width = canvas.height = 0; // free the pixels now: phones run out of memory in batches
  if (!blob) return { bytes: await file.arrayBuffer(), type: file.type };
  return { bytes: await blob.arrayBuffer(), type: 'image/jpeg' };
}

async function toJpeg(canvas, quality) {
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  return blob ? blob.arrayBuffer() : null;
}

export const THUMB_EDGE = 192;

export async function thumbnail(bytes, type = 'image/jpeg', edge = THUMB_EDGE) {
  // A small JPEG of a queued capture, so lists show it without decoding the whole photo.
  try {
    const image = await createImageBitmap(new Blob([bytes], { type }));
    const scale = Math.min(1, edge / Math.max(image.width, image.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.width * scale));
    canvas.height = Math.max(1, Math.round(image.height * scale));
    canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
    image.close();
    return await toJpeg(canvas, 0.8);
  } catch {
    return null; // not decodable here (HEIC on Chrome): the list shows a placeholder
  }
}

export function grabFrame(video, maxEdge = MAX_EDGE) {
  // The video's current frame on a canvas, at most maxEdge on its long side (synchronous:
  // the viewfinder is free again as soon as this returns; encoding happens after).
  const scale = Math.min(1, maxEdge / Math.max(video.videoWidth, video.videoHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
  return canvas;
}

export async function encodeFrame(canvas) {
  // A grabbed frame as the queue keeps a capture: JPEG bytes (and frees the pixels).
  const bytes = await toJpeg(canvas, 0.88);
  canvas.width = canvas.height = 0;
  return { bytes, type: 'image/jpeg' };
}
