// The page's calls to its own server. The token comes from the link listen printed (?token=…); it is then dropped
// from the address bar so it does not end up in a bookmark or a screenshot, and sent as a header.
const params = new URLSearchParams(location.search);
const token = params.get('token') ?? sessionStorage.getItem('pictify-inspector-token') ?? '';
if (params.has('token')) {
  sessionStorage.setItem('pictify-inspector-token', token);
  history.replaceState(null, '', location.pathname);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function handle<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!response.ok) throw new ApiError(response.status, body.error ?? 'error', body.message ?? response.statusText);
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return handle<T>(await fetch(path, { headers: { 'x-inspector-token': token }, cache: 'no-store' }));
}

export async function postJson<T>(path: string, value: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'x-inspector-token': token, 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  return handle<T>(response);
}

export function streamUrl(): string {
  return `/api/stream?token=${encodeURIComponent(token)}`;
}
