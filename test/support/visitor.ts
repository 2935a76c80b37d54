/**
 * A person's browser as far as the pages' sessions care, over plain HTTP: the cookies
 * it keeps, and the CSRF token of the last form it was shown. Redirects are not
 * followed, so a test sees where the pages send it.
 */
export function visitor(baseUrl: string) {
  const jar = new Map<string, string>();
  let csrf = '';

  async function request(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value && !/expires=Thu, 01 Jan 1970/i.test(line)) jar.set(name, value);
      else jar.delete(name);
    }
    const text = await res.text();
    csrf = /name="_csrf" value="([^"]*)"/.exec(text)?.[1] ?? csrf;
    return { status: res.status, location: res.headers.get('location'), headers: res.headers, text };
  }

  const self = {
    get: (path: string) => request('GET', path),
    /** A form as the page drew it: with the CSRF token of the last page shown. */
    post: (path: string, form: Record<string, string> = {}) => request('POST', path, { _csrf: csrf, ...form }),
    cookie: (name: string) => jar.get(name),
    setCookie: (name: string, value: string) => void jar.set(name, value),
    /** Local sign-in: the sign-in page, then its form, as the person chose. */
    async signIn(userId: string) {
      await self.get('/sign-in');
      const res = await self.post('/sign-in', { userId, next: '/' });
      if (res.status !== 303 || res.location !== '/') throw new Error(`sign-in as ${userId} answered ${res.status} ${res.location}`);
      return res;
    },
    /** Whether the inbox opens, or sends this browser to sign in. */
    async signedIn(): Promise<boolean> {
      const res = await self.get('/');
      if (res.status === 200) return true;
      if (res.status === 303 && res.location?.startsWith('/sign-in')) return false;
      throw new Error(`the inbox answered ${res.status}`);
    },
  };
  return self;
}
export type Visitor = ReturnType<typeof visitor>;
