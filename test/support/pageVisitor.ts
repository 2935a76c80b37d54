/** A person at the pages, over plain HTTP: signed in through the local sign-in form, with its cookies and the forms' CSRF tokens. */
export async function pageVisitor(base: string, userId: string) {
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
    const res = await fetch(`${base}${path}`, { headers: { cookie: cookie() }, redirect: 'manual' });
    keep(res);
    return { status: res.status, text: await res.text() };
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
