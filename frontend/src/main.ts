// The timeline page's start: makes the store (src/store.ts) from the URL, mounts the screens
// (src/screens/), keeps the address bar, the session's token and the live subscription in step
// with the store, then loads what the screens need. An actor's or a source's address (`?actor=`,
// `?source=`, `?sources=`) shows that page instead of the timeline (src/screens/pages.ts).

import 'vis-timeline/styles/vis-timeline-graph2d.css';
import './style.css';

import { errorText, loadActors, loadSources, loadVocabulary } from './api';
import { describeDate } from './dates';
import { subscribeToChanges } from './live';
import { mountDetail } from './screens/detail';
import { mountFilters } from './screens/filters';
import { mountFromArticle } from './screens/from-article';
import { mountMap } from './screens/map';
import { mountRecordPage } from './screens/pages';
import { mountPast } from './screens/past';
import { defaultWindow, TimelineScreen } from './screens/timeline';
import { mountDownload } from './screens/download';
import { mountToolbar } from './screens/toolbar';
import { mountStories } from './screens/story';
import { mountViews, resolveViewLink } from './screens/views';
import { mountZone } from './screens/zone';
import { currentToken, onTokenChange } from './session';
import { createPageStore, type PageStore } from './store';
import { authorized } from './token';
import { readView, recordPageOf, VIEW_KEYS, viewOf, writeView } from './url';

/** The view follows the store into the address bar: at once, but for panning and zooming. */
function keepInAddressBar(store: PageStore): void {
  store.subscribe(VIEW_KEYS, (state, changed) => {
    const onlyWindow = VIEW_KEYS.filter((k) => changed.has(k)).every((k) => k === 'start' || k === 'end');
    writeView(viewOf(state), !onlyWindow);
  });
}

async function main(): Promise<void> {
  // A saved view's link (`?view=`) becomes the view's state in the address bar first.
  const opened = await resolveViewLink();
  const store = createPageStore(readView());
  keepInAddressBar(store);
  store.update({ signedIn: currentToken() !== null });
  onTokenChange((token) => store.update({ signedIn: token !== null }));
  mountToolbar(store);
  mountDownload(store);
  mountZone(store);
  if (opened) store.say(opened);
  const recordPage = recordPageOf();
  if (recordPage) {
    // An actor's or a source's page, or the list of sources, instead of the timeline.
    try {
      store.update({ vocabulary: await authorized(() => loadVocabulary(), { purpose: 'read' }) });
      await mountRecordPage(store, recordPage);
    } catch (error) {
      store.say(`Could not reach the server: ${errorText(error)}`);
      return;
    }
    document.body.dataset.ready = 'true';
    return;
  }
  mountFilters(store);
  mountPast(store);
  mountFromArticle(store);
  mountViews(store);
  try {
    // Reading is public unless the server wants a token for it: then this asks for one.
    const [vocabulary, knownActors, knownSources] = await authorized(() => Promise.all([loadVocabulary(), loadActors(), loadSources()]), { purpose: 'read' });
    store.update({ vocabulary, knownActors, knownSources });
    // The period of the address bar, as the server reads it, before anything is filtered by it.
    await Promise.all([store.state.from, store.state.to].filter((text) => text).map((text) => describeDate(text)));
  } catch (error) {
    store.say(`Could not reach the server: ${errorText(error)}`);
    return;
  }
  const { start, end } = store.state;
  const window0 = start !== null && end !== null ? { start, end } : await defaultWindow(store);
  store.update(window0);
  writeView(viewOf(store.state), true);
  const timeline = new TimelineScreen(store, window0);
  mountMap(store);
  await timeline.refresh(true);
  await mountDetail(store);
  mountStories(store);

  const changes = subscribeToChanges(
    (change) => store.tell({ kind: 'live', change }),
    (live) => store.update({ live }),
    // Changes may have been missed while reconnecting: load again, without a word.
    () => timeline.resyncSoon(0, true),
  );
  // The live connection presents the token once the server has accepted it, and drops it when it is gone.
  onTokenChange((_, change) => {
    if (change !== 'set') changes.reconnect();
  });
  document.body.dataset.ready = 'true';
}

void main();
