// The map beside the timeline: the header's "Map" button shows or hides it (`map=1` in the link).
// It places the events the timeline draws in its visible window (the store's `drawn`, `start` and
// `end`: the same window and filters) that have coordinates; choosing a marker selects the event
// (the detail opens, the timeline selects it) and the selected event's marker is marked. The map
// itself, Leaflet and the bundled basemap, is widgets/world-map.ts, loaded when first shown.

import './map.css';

import { extent, type TimelineEvent } from '../api';
import { $ } from '../dom';
import type { PageState, PageStore } from '../store';
import type { Located, WorldMap } from '../widgets/world-map';

const valid = (lat: number | null | undefined, lng: number | null | undefined): boolean =>
  typeof lat === 'number' && typeof lng === 'number' && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;

/** The events of the visible window that have coordinates, in the order of time. */
export function locatedIn(state: Pick<PageState, 'drawn' | 'start' | 'end'>): Located[] {
  const { drawn, start, end } = state;
  if (start === null || end === null) return [];
  const inWindow = (e: TimelineEvent) => {
    const [s, f] = extent(e);
    return f >= start && s <= end;
  };
  return drawn
    .filter((e) => valid(e.place?.latitude, e.place?.longitude) && inWindow(e))
    .sort((a, b) => extent(a)[0] - extent(b)[0])
    .map((e) => ({
      id: e.id,
      title: e.title,
      when: e.start.description,
      place: e.place?.name ?? null,
      latitude: e.place?.latitude as number,
      longitude: e.place?.longitude as number,
    }));
}

export function mountMap(store: PageStore): void {
  const pane = $('#map');
  const toggle = $('#toggle-map');
  const note = $('#map-note');
  let map: WorldMap | null = null;
  let loading: Promise<WorldMap> | null = null;

  const open = (): Promise<WorldMap> => {
    loading ??= import('../widgets/world-map').then(async ({ WorldMap, mapTiles }) => {
      map = new WorldMap($('#map-canvas'), { choose: (id) => store.select(id, true) }, await mapTiles());
      return map;
    });
    return loading;
  };

  const show = () => {
    const located = locatedIn(store.state);
    const n = located.length;
    note.textContent = n === 0 ? 'No event the timeline draws here has a place with coordinates.' : `${n} event${n === 1 ? '' : 's'} in view on the map.`;
    pane.dataset.count = String(n);
    map?.setEvents(located);
    map?.select(store.state.event);
  };

  const follow = () => {
    const shown = store.state.map;
    pane.hidden = !shown;
    toggle.setAttribute('aria-pressed', String(shown));
    document.body.dataset.map = shown ? 'open' : 'closed';
    if (!shown) return;
    void open()
      .then(() => {
        show();
        pane.dataset.ready = 'true';
      })
      .catch((error: unknown) => store.say(`Could not show the map: ${String(error)}`));
  };

  toggle.hidden = false;
  toggle.addEventListener('click', () => store.update({ map: !store.state.map }));
  store.subscribe(['map'], follow);
  store.subscribe(['drawn', 'start', 'end'], () => {
    if (store.state.map && map) show();
  });
  store.subscribe(['event'], ({ event }) => map?.select(event));
  follow();
}
