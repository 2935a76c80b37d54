/**
 * A person at the pages, over plain HTTP: signed in through the local sign-in form, with
 * its cookies and the forms' CSRF tokens. A page answered 503 (the case's workflow did not
 * answer in time on a busy machine) is asked again after its Retry-After, for up to a
 * minute, as a person follows its "try again" link; `{ retryUnavailable: false }` shows it.
 */
export async function pageVisitor(base: string, userId: string, { retryUnavailable = true } = {}) {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair);
    }
  };
  const cookie = () => [...cookies.values()].join('; ');
  const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1];
  const get = async (path: string) => {
    const until = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${base}${path}`, { headers: { cookie: cookie() }, redirect: 'manual' });
      keep(res);
      const answer = { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
      if (answer.status !== 503 || !retryUnavailable || Date.now() > until) return answer;
      await new Promise((r) => setTimeout(r, (Number(answer.retryAfter) || 1) * 1000));
    }
  };
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    keep(res);
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  };
  const signIn = await get('/sign-in');
  const signedIn = await post('/sign-in', { _csrf: csrfOf(signIn.text), userId, next: '/' });
  if (signedIn.status !== 303) throw new Error(`signing in ${userId} answered ${signedIn.status}`);
  return { get, post, csrfOf, cookie };
}
