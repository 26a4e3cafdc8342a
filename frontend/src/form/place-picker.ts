// "Pick on the map" in the event form: a small map under the coordinates (widgets/world-map.ts,
// loaded when first asked for); a click on it writes the point into the latitude and longitude
// fields, and the fields' point is marked on it. The fields stay the form's: typing is the other
// way, and the one for the keyboard.

import { h } from '../dom';
import type { WorldMap } from '../widgets/world-map';

/** Four decimals: about 10 m, finer than a click on a small map. */
const round = (degrees: number) => String(Math.round(degrees * 10_000) / 10_000);

export function placePicker(latitude: HTMLInputElement, longitude: HTMLInputElement, name: HTMLInputElement): HTMLElement {
  const canvas = h('div', { className: 'form-map', hidden: true, 'aria-label': 'Map: a click sets the latitude and longitude' });
  const toggle = h('button', { type: 'button', className: 'quiet', id: 'pick-on-map', 'aria-expanded': 'false' }, 'Pick on the map');
  let map: WorldMap | null = null;

  const mark = () => {
    const lat = Number(latitude.value.replace(',', '.'));
    const lng = Number(longitude.value.replace(',', '.'));
    const valid = latitude.value.trim() !== '' && longitude.value.trim() !== '' && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
    map?.setEvents(valid ? [{ id: 'picked', title: name.value.trim() || 'The event', when: `${lat}, ${lng}`, place: null, latitude: lat, longitude: lng }] : []);
  };

  toggle.addEventListener('click', async () => {
    canvas.hidden = !canvas.hidden;
    toggle.setAttribute('aria-expanded', String(!canvas.hidden));
    if (canvas.hidden || map) return;
    const { WorldMap, mapTiles } = await import('../widgets/world-map');
    map = new WorldMap(canvas, {
      choose: () => undefined,
      pick: (lat, lng) => {
        latitude.value = round(lat);
        longitude.value = round(lng);
        mark();
      },
    }, await mapTiles());
    mark();
  });
  latitude.addEventListener('change', mark);
  longitude.addEventListener('change', mark);
  return h('div', { className: 'place-picker' }, toggle, canvas);
}
