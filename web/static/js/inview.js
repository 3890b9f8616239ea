// Keep the focused field in sight on a phone: never under a sticky bar, the tab bar or the
// on-screen keyboard (which shrinks the visual viewport, not the layout one).

const MARGIN = 12;

function coverTop(covers) {
  // The highest top edge of what sits over the bottom of the screen.
  const view = window.visualViewport;
  let top = view ? view.offsetTop + view.height : window.innerHeight;
  for (const node of covers()) {
    if (!node || node.hidden || !['sticky', 'fixed'].includes(getComputedStyle(node).position)) continue;
    const box = node.getBoundingClientRect();
    if (box.height && box.top < top && box.bottom > box.top) top = Math.min(top, box.top);
  }
  return top;
}

export function reveal(field, covers) {
  // Scroll just enough that the whole field (up to a third of the screen) sits above the
  // covers, with a margin; a field above the top edge comes down the same way.
  const box = field.getBoundingClientRect();
  const bottom = coverTop(covers) - MARGIN;
  const top = (window.visualViewport ? window.visualViewport.offsetTop : 0) + MARGIN;
  const height = Math.min(box.height, window.innerHeight / 3);
  if (box.top + height > bottom) window.scrollBy({ top: box.top + height - bottom, behavior: 'instant' });
  else if (box.top < top) window.scrollBy({ top: box.top - top, behavior: 'instant' });
}

export function keepInView(container, covers) {
  // On focus and whenever the visual viewport changes (the keyboard opens or closes).
  const again = () => {
    const active = document.activeElement;
    if (active && container.contains(active) && active.matches('input, textarea, select')) reveal(active, covers);
  };
  container.addEventListener('focusin', () => requestAnimationFrame(again));
  window.visualViewport?.addEventListener('resize', again);
}
