// The map widget (Leaflet): a world basemap bundled into the page (Natural Earth's 1:110m countries
// from world-atlas, served by this server like the rest of the page) or, where the server names
// one, a tile server; a marker per located event, clustered (supercluster) where they crowd. Markers
// are buttons: reachable by Tab in the order of time, labelled with the event, Enter chooses one. The
// selected event is never clustered, so its marker can always be seen.

import 'leaflet/dist/leaflet.css';
import * as L from 'leaflet';
import Supercluster from 'supercluster';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-110m.json?url';

import { h } from '../dom';

/** An event with coordinates, as the map shows it. */
export interface Located {
  id: string;
  title: string;
  /** When, in words (the event's date description). */
  when: string;
  place: string | null;
  latitude: number;
  longitude: number;
}

export interface Tiles {
  url: string;
  attribution: string | null;
}

export interface WorldMapHandlers {
  /** An event's marker was chosen. */
  choose(id: string): void;
  /** A point of the map was clicked (the event form's picker). */
  pick?(latitude: number, longitude: number): void;
}

/** The server's map settings (`GET /map/config`): a tile server, or null for the bundled basemap. */
export async function mapTiles(): Promise<Tiles | null> {
  try {
    const response = await fetch('/map/config');
    if (!response.ok) return null;
    const config = (await response.json()) as { tiles: Tiles | null };
    return config.tiles ?? null;
  } catch {
    return null;
  }
}

/** Markers closer than this many pixels join a cluster. */
const CLUSTER_RADIUS = 36;
/** Fitting the markers never zooms in further than this (one marker would fill the map). */
const FIT_ZOOM = 6;

type Props = { id: string };

function label(event: Located): string {
  return `${event.title} — ${event.when}${event.place ? `, ${event.place}` : ''}`;
}

export class WorldMap {
  private readonly map: L.Map;
  private readonly layer = L.layerGroup();
  private events: Located[] = [];
  private selected: string | null = null;
  private readonly index: Supercluster<Props, Record<string, never>>;
  private fitted = false;

  constructor(container: HTMLElement, private readonly handlers: WorldMapHandlers, tiles: Tiles | null) {
    const maxZoom = tiles ? 18 : 10;
    this.map = L.map(container, {
      center: [30, 10],
      zoom: 2,
      minZoom: 1,
      maxZoom,
      worldCopyJump: false,
      maxBounds: [[-89, -220], [89, 220]],
      attributionControl: true,
    });
    this.map.attributionControl.setPrefix(false);
    // Clustered up to the map's last zoom: events that no zoom separates stay one cluster, which lists them.
    this.index = new Supercluster<Props, Record<string, never>>({ radius: CLUSTER_RADIUS, maxZoom });
    if (tiles) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution ?? '', maxZoom, subdomains: 'abc' }).addTo(this.map);
    } else {
      this.map.attributionControl.addAttribution('Natural Earth');
      void this.drawBasemap();
    }
    this.layer.addTo(this.map);
    this.map.on('moveend zoomend', () => this.draw());
    const pick = handlers.pick;
    if (pick) this.map.on('click', (e: L.LeafletMouseEvent) => pick(e.latlng.lat, e.latlng.wrap().lng));
    // Leaflet measures its container once; the pane changes size with the window and the panels.
    new ResizeObserver(() => this.map.invalidateSize()).observe(container);
  }

  private async drawBasemap(): Promise<void> {
    const response = await fetch(countriesUrl);
    const world = (await response.json()) as Topology<{ countries: GeometryCollection }>;
    const countries = world.objects.countries;
    const land = feature(world, countries);
    const borders = mesh(world, countries, (a, b) => a !== b);
    const basemap = { interactive: false, bubblingMouseEvents: false };
    L.geoJSON(land, { ...basemap, style: { className: 'map-land', stroke: false, fillOpacity: 1 } }).addTo(this.map).bringToBack();
    L.geoJSON(borders, { ...basemap, style: { className: 'map-border', weight: 0.7, fill: false } }).addTo(this.map);
  }

  /** Replaces the events shown; the view moves to them when some would be out of sight. */
  setEvents(events: Located[]): void {
    this.events = events;
    this.reindex();
    const bounds = events.length ? L.latLngBounds(events.map((e) => [e.latitude, e.longitude] as [number, number])) : null;
    if (bounds && (!this.fitted || !this.map.getBounds().contains(bounds))) {
      this.fitted = true;
      this.map.fitBounds(bounds.pad(0.2), { maxZoom: FIT_ZOOM, animate: false });
    }
    this.draw();
  }

  /** Marks an event's marker (null: none), bringing it into sight. */
  select(id: string | null): void {
    if (id === this.selected) return;
    this.selected = id;
    this.reindex();
    const event = this.events.find((e) => e.id === id);
    if (event && !this.map.getBounds().contains([event.latitude, event.longitude])) {
      this.map.panTo([event.latitude, event.longitude], { animate: false });
    }
    this.draw();
  }

  /** The selected event stays out of the clusters. */
  private reindex(): void {
    this.index.load(
      this.events
        .filter((e) => e.id !== this.selected)
        .map((e) => ({ type: 'Feature', properties: { id: e.id }, geometry: { type: 'Point', coordinates: [e.longitude, e.latitude] } })),
    );
  }

  private draw(): void {
    // Markers are drawn anew: the one that had the keyboard's focus gets it back.
    const active = document.activeElement;
    const focused = active instanceof HTMLElement && this.map.getContainer().contains(active) ? active.dataset.id : undefined;
    this.layer.clearLayers();
    const byId = new Map(this.events.map((e) => [e.id, e]));
    const b = this.map.getBounds();
    const zoom = Math.round(this.map.getZoom());
    const found = this.events.length ? this.index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom) : [];
    // Tab follows the order of time (the order the events came in), clusters after the single events.
    const order = new Map(this.events.map((e, i) => [e.id, i]));
    const singles: Located[] = [];
    const clusters: { id: number; count: number; at: L.LatLngExpression }[] = [];
    for (const f of found) {
      const [lng, lat] = f.geometry.coordinates;
      if ('cluster' in f.properties && f.properties.cluster) {
        clusters.push({ id: f.properties.cluster_id, count: f.properties.point_count, at: [lat, lng] });
      } else {
        const event = byId.get((f.properties as Props).id);
        if (event) singles.push(event);
      }
    }
    singles.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
    for (const event of singles) this.layer.addLayer(this.marker(event, false));
    for (const cluster of clusters) this.layer.addLayer(this.cluster(cluster.id, cluster.count, cluster.at));
    const chosen = this.selected ? byId.get(this.selected) : undefined;
    if (chosen) this.layer.addLayer(this.marker(chosen, true));
    if (focused) this.map.getContainer().querySelector<HTMLElement>(`.map-marker[data-id="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
  }

  private marker(event: Located, selected: boolean): L.Marker {
    const icon = L.divIcon({ className: `map-marker${selected ? ' selected' : ''}`, iconSize: selected ? [22, 22] : [16, 16], html: '' });
    const marker = L.marker([event.latitude, event.longitude], { icon, title: label(event), keyboard: true, zIndexOffset: selected ? 1000 : 0 });
    marker.on('click', () => this.handlers.choose(event.id));
    marker.on('add', () => {
      const el = marker.getElement();
      if (!el) return;
      el.dataset.id = event.id;
      el.setAttribute('aria-label', label(event));
      if (selected) el.setAttribute('aria-current', 'true');
      pressable(el, () => this.handlers.choose(event.id));
    });
    return marker;
  }

  private cluster(id: number, count: number, at: L.LatLngExpression): L.Marker {
    const size = count < 10 ? 28 : count < 100 ? 34 : 40;
    const icon = L.divIcon({ className: 'map-cluster', iconSize: [size, size], html: `<span>${count}</span>` });
    const text = `${count} events here: zoom in`;
    const marker = L.marker(at, { icon, title: text, keyboard: true });
    const open = () => {
      const zoom = this.index.getClusterExpansionZoom(id);
      if (zoom <= this.map.getMaxZoom()) this.map.setView(at, zoom);
      else this.list(id, at);
    };
    marker.on('click', open);
    marker.on('add', () => {
      const el = marker.getElement();
      if (!el) return;
      el.setAttribute('aria-label', text);
      pressable(el, open);
    });
    return marker;
  }

  /** Events at one spot, which no zoom separates: a list to choose from. */
  private list(id: number, at: L.LatLngExpression): void {
    const ids = new Set(this.index.getLeaves(id, Infinity).map((f) => f.properties.id));
    const events = this.events.filter((e) => ids.has(e.id));
    const content = h('ul', { className: 'map-spot' }, ...events.map((e) =>
      h('li', {}, h('button', { type: 'button', className: 'linklike', onclick: () => { this.map.closePopup(); this.handlers.choose(e.id); } }, label(e)))));
    L.popup({ maxHeight: 240 }).setLatLng(at).setContent(content).openOn(this.map);
    content.querySelector('button')?.focus();
  }
}

/** Enter and Space choose a marker, as they press a button. */
function pressable(el: HTMLElement, run: () => void): void {
  el.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    e.stopPropagation();
    run();
  });
}
