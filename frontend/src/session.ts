// The API token of this browser tab's session. It lives in sessionStorage, so it is gone when the
// tab closes, and both pages of this origin see it: the timeline page asks for it and sends it,
// GraphiQL puts it in its request headers. Without sessionStorage (a browser that refuses it) it
// lives in memory, for this page only.

/** The sessionStorage key of the token (GraphiQL and the browser tests read it too). */
export const TOKEN_KEY = 'chronik.token';

/**
 * `set`: a token was entered; `accepted`: the server took it for a change (once per token);
 * `forgotten`: signed out, or the server refused it.
 */
export type TokenChange = 'set' | 'accepted' | 'forgotten';
type Listener = (token: string | null, change: TokenChange) => void;

const listeners = new Set<Listener>();
let memory: string | null = null;
let accepted: string | null = null;

export function currentToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || null;
  } catch {
    return memory;
  }
}

function store(token: string | null): void {
  memory = token;
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Kept in memory only.
  }
}

function emit(change: TokenChange): void {
  const token = currentToken();
  for (const listener of listeners) listener(token, change);
}

/** Keeps a token for this tab's session. */
export function rememberToken(token: string): void {
  store(token);
  emit('set');
}

/** Forgets the token; with `which`, only if that is still the token kept (a refusal may come late). */
export function forgetToken(which?: string): void {
  const token = currentToken();
  if (!token || (which !== undefined && which !== token)) return;
  store(null);
  accepted = null;
  emit('forgotten');
}

/** Notes that the server accepted the token for a change. */
export function tokenAccepted(token: string): void {
  if (token !== currentToken() || token === accepted) return;
  accepted = token;
  emit('accepted');
}

export function onTokenChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The value of the Authorization header (and of the WebSocket's connection_init) for a token. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}
