// Dragging the timeline as a hand would, shared by the browser tests and the page benchmark
// (bench/page-levels.mjs), which cannot load helpers.mjs (that one needs a server under test).

/**
 * Drags the timeline's drawing area from `from` to `to` (fractions of its width), on a spot that
 * no event, box or overlay covers, in steps. Waits for the page's requests to settle first: a
 * window drawn in the middle of the drag must not be what the drag is measured against. Returns
 * the spot, or throws naming what covers the drawing area when no spot is free.
 */
export async function dragTimeline(page, from, to) {
  await page.waitForLoadState('networkidle');
  const spot = await page.evaluate(({ from, to }) => {
    const panel = document.querySelector('#timeline .vis-panel.vis-center');
    if (!panel) return { error: 'no timeline drawn' };
    const box = panel.getBoundingClientRect();
    const bottom = Math.min(box.bottom, window.innerHeight) - 2;
    const x = box.left + box.width * from;
    const seen = new Set();
    for (let y = box.top + 2; y < bottom; y += 3) {
      const hit = document.elementFromPoint(x, y);
      if (hit && panel.contains(hit) && !hit.closest('.vis-item')) return { x, toX: box.left + box.width * to, y };
      seen.add(hit ? `${hit.tagName.toLowerCase()}.${[...hit.classList].join('.')}` : 'nothing');
    }
    return { error: `the drawing area is covered at x=${Math.round(x)}: ${[...seen].join(', ')}` };
  }, { from, to });
  if (spot.error) throw new Error(`cannot drag the timeline: ${spot.error}`);
  await page.mouse.move(spot.x, spot.y);
  await page.mouse.down();
  await page.mouse.move(spot.toX, spot.y, { steps: 12 });
  await page.mouse.up();
  return spot;
}
