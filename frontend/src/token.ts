// Asking for the API token: a small dialog the first time the page changes something (or reads,
// on a server that wants a token to read), and again when the server refuses the token. The token
// is kept for the tab's session (src/session.ts) and sent with every request.

import { ApiError } from './api';
import { h } from './dom';
import { currentToken, forgetToken, rememberToken, tokenAccepted } from './session';

/** What the token is for: changes need an editor token; reading needs one only where configured. */
export type Purpose = 'edit' | 'read';

let asking: Promise<string | null> | null = null;

function dialogElement(): HTMLDialogElement {
  let dialog = document.getElementById('token-dialog') as HTMLDialogElement | null;
  if (!dialog) {
    dialog = h('dialog', { id: 'token-dialog', className: 'token-dialog', 'aria-labelledby': 'token-title' });
    document.body.append(dialog);
  }
  return dialog;
}

/**
 * Asks for a token, saying why (`problem`: what was wrong with the last one). Resolves to the token,
 * kept for the session, or null when the user cancels. One dialog at a time.
 */
export function askForToken(purpose: Purpose, problem: string | null = null): Promise<string | null> {
  asking ??= new Promise<string | null>((resolve) => {
    const dialog = dialogElement();
    const role = purpose === 'edit' ? 'editor' : 'reader';
    const input = h('input', {
      type: 'password', id: 'token-input', name: 'api-token', autocomplete: 'off', spellcheck: false,
      placeholder: 'chronik_…', 'aria-describedby': 'token-problem token-explained',
    });
    const problemLine = h('p', { className: 'token-problem', id: 'token-problem', role: 'alert' }, problem ?? '');
    let settled = false;
    const settle = (token: string | null) => {
      if (settled) return;
      settled = true;
      if (dialog.open) dialog.close();
      resolve(token);
    };
    const form = h(
      'form',
      { method: 'dialog', className: 'token-form', novalidate: true },
      h('h2', { id: 'token-title' }, purpose === 'edit' ? 'A token to make changes' : 'A token to read'),
      problemLine,
      h(
        'p',
        { id: 'token-explained' },
        purpose === 'edit'
          ? 'Adding, changing or deleting anything here needs an API token with the editor (or admin) role. '
          : 'This Chronik shows its timeline only to holders of an API token. ',
        'Whoever runs the server creates one with ',
        h('code', {}, `chronik token create --name YOUR_NAME --role ${role}`),
        ', which prints it once, on its last line.',
      ),
      h('label', {}, 'API token', input),
      h('p', { className: 'hint' }, 'This browser tab keeps it until you close the tab or sign out, and sends it with each request to this server.'),
      h(
        'footer',
        {},
        h('button', { type: 'button', className: 'quiet', id: 'token-cancel', onclick: () => settle(null) }, 'Cancel'),
        h('button', { type: 'submit', className: 'primary', id: 'token-submit' }, 'Use this token'),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const token = input.value.trim().replace(/^Bearer\s+/i, '');
      if (!token) {
        problemLine.textContent = 'Paste the token first.';
        input.focus();
        return;
      }
      rememberToken(token);
      settle(token);
    });
    // Escape, or the dialog closed any other way.
    dialog.addEventListener('close', () => settle(null), { once: true });
    dialog.replaceChildren(form);
    dialog.showModal();
    input.focus();
  }).finally(() => {
    asking = null;
  });
  return asking;
}

/** What a refusal means, in words for the person at the form. */
function explain(error: ApiError, hadToken: boolean, purpose: Purpose): string {
  if (error.code === 'FORBIDDEN') {
    return 'This token may not edit: its role is too low (a reader token?). Changes need a token with the editor role.';
  }
  if (hadToken) return 'Unknown or revoked token: the server does not accept it. Check it, or ask for a new one.';
  return purpose === 'edit' ? 'Changes need an API token.' : 'This Chronik needs an API token to read.';
}

const refused = (error: unknown) =>
  error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN');

/**
 * Runs `run` with the session's token. For changes, asks for a token first when there is none.
 * When the server refuses the token (UNAUTHENTICATED, FORBIDDEN or HTTP 401), says so through
 * `rejected`, forgets the token and asks again; if the user cancels, rejects with an ApiError
 * that says why nothing was done.
 */
export async function authorized<T>(
  run: () => Promise<T>,
  { purpose = 'edit', rejected }: { purpose?: Purpose; rejected?: (message: string) => void } = {},
): Promise<T> {
  let problem: string | null = null;
  for (;;) {
    if (problem !== null || (purpose === 'edit' && !currentToken())) {
      const token = await askForToken(purpose, problem);
      if (!token) {
        const why = problem ?? (purpose === 'edit' ? 'Nothing was changed: changes need an API token.' : 'This Chronik needs an API token to read.');
        throw new ApiError([{ message: why, extensions: { code: 'UNAUTHENTICATED' } }]);
      }
    }
    const token = currentToken();
    try {
      const result = await run();
      if (token) tokenAccepted(token);
      return result;
    } catch (error) {
      if (!refused(error)) throw error;
      if (token) forgetToken(token);
      problem = explain(error as ApiError, token !== null, purpose);
      rejected?.(problem);
    }
  }
}
