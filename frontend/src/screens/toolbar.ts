// The header's actions and the status line: add an event, copy a link to the view, sign out, the
// live-updates light, and what the page has to say (src/store.ts `status`).

import { $, h } from '../dom';
import { forgetToken } from '../session';
import type { PageStore } from '../store';
import { viewOf, writeView } from '../url';
import { openEventForm } from './editing';

export function mountToolbar(store: PageStore): void {
  const statusLine = $('#status');
  store.subscribe(['status'], ({ status }) => {
    const { text, action } = status;
    statusLine.replaceChildren(text, ...(action ? [h('button', { type: 'button', className: 'linklike', onclick: () => action.run() }, action.label)] : []));
  });

  const live = $('#live');
  store.subscribe(['live'], ({ live: state }) => {
    live.dataset.state = state;
    live.title = `Live updates: ${state}`;
  });

  // The sign-out button shows while this tab keeps a token; it forgets the token.
  const signOut = $('#sign-out') as HTMLButtonElement;
  const showSignOut = () => {
    signOut.hidden = !store.state.signedIn;
  };
  store.subscribe(['signedIn'], showSignOut);
  showSignOut();
  signOut.addEventListener('click', () => {
    forgetToken();
    store.say('Signed out: this tab no longer keeps the API token, and the next change asks for one.');
    $('#add-event').focus();
  });

  $('#add-event').addEventListener('click', () => {
    const { asOf, start, end } = store.state;
    if (asOf || start === null || end === null) return;
    const mid = new Date((start + end) / 2).toISOString().slice(0, 10);
    void openEventForm(store, null, { start: mid });
  });
  $('#copy-link').addEventListener('click', async () => {
    writeView(viewOf(store.state), true);
    try {
      await navigator.clipboard.writeText(location.href);
      store.say('Link to this view copied.');
    } catch {
      prompt('Copy this link to the view:', location.href);
    }
  });
}
