// The detail panel of the selected event: loads the store's selection (as known at its instant)
// into `opened`, shows it (widgets/event-detail.ts) with edit and delete where the present is
// shown, its relations (screens/relations.ts), the team's notes (screens/notes.ts) and a button to
// its history (screens/history.ts), its evidence (screens/evidence.ts: the accounts, a notice of
// its support, recording a source's correction), and follows live changes to it.

import { errorText, loadDetail } from '../api';
import { $, h } from '../dom';
import type { PageStore } from '../store';
import { inThePast, knownAt } from '../view';
import { renderDetail } from '../widgets/event-detail';
import { openEventForm, removeEvent } from './editing';
import { accountsSection, evidenceNotice, sourceActions } from './evidence';
import { openHistory } from './history';
import { notesSection } from './notes';
import { relationsSection } from './relations';
import { formatInstant } from '../zone';

/** Mounts the panel; resolves once the event selected at start (if any) has loaded. */
export function mountDetail(store: PageStore): Promise<void> {
  const panel = $('#detail');

  const load = async (id: string) => {
    try {
      const event = await loadDetail(id, knownAt(store.state));
      if (store.state.event !== id) return;
      if (!event) {
        store.say(store.state.asOf ? 'That event did not exist at that instant (or had been deleted then).' : 'That event no longer exists.');
        store.select(null);
        return;
      }
      store.update({ opened: event });
    } catch (error) {
      store.say(`Could not load the event: ${errorText(error)}`);
    }
  };

  store.subscribe(['event', 'asOf'], (state, changed) => {
    if (!state.event) store.update({ opened: null });
    // Saved here and selected with the result: nothing to read.
    else if (!(changed.has('opened') && state.opened?.id === state.event)) void load(state.event);
  });

  const render = () => {
    const { opened, asOf } = store.state;
    if (!opened) {
      panel.hidden = true;
      panel.replaceChildren();
      document.body.dataset.detail = 'closed';
      return;
    }
    const close = () => {
      store.select(null);
      $('#timeline').focus();
    };
    const sections = [relationsSection(store, opened, !asOf, knownAt(store.state)), notesSection(store, opened, !asOf)];
    const history = h('button', { type: 'button', id: 'open-history', onclick: () => void openHistory(store, opened, !asOf) }, 'History');
    const evidence = {
      notice: evidenceNotice(opened),
      leading: [accountsSection(store, opened, !asOf)],
      sourceActions: (source: { id: string; title: string }) => sourceActions(store, source, !asOf),
      instant: (iso: string) => formatInstant(iso, store.state.tz),
    };
    renderDetail(
      panel,
      opened,
      asOf
        ? { close, sections, actions: [history], ...evidence }
        : { edit: (e) => void openEventForm(store, e), remove: (e) => void removeEvent(store, e), close, sections, actions: [history], ...evidence },
    );
    panel.hidden = false;
    document.body.dataset.detail = 'open';
  };
  store.subscribe(['opened', 'asOf', 'tz'], render);

  store.listen((news) => {
    // Changed here through a source: read it again (the announcement may come later, or not at all when offline).
    if (news.kind === 'changed' && store.state.event && news.events.some((e) => e.id === store.state.event)) {
      void load(store.state.event);
      return;
    }
    if (news.kind !== 'live' || inThePast(store.state)) return;
    const { change } = news;
    if (change.eventId !== store.state.event) return;
    if (change.kind === 'DELETED' || !change.event) {
      store.select(null);
      store.say('The event you were reading was deleted.');
    } else void load(change.eventId);
  });

  return store.state.event ? load(store.state.event) : Promise.resolve();
}
