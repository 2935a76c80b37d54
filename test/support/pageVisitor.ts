/** A person at the pages, over plain HTTP: signed in locally, with the session cookie and the form's CSRF token. */
export async function pageVisitor(base: string, userId: string) {
  let cookie = '';
  const keep = (res: Response) => {
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (set.length) cookie = set.join('; ');
  };
  const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1];
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
    keep(res);
    return { status: res.status, text: await res.text() };
  };
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    keep(res);
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  };
  const signIn = await get('/sign-in');
  expect((await post('/sign-in', { _csrf: csrfOf(signIn.text), userId, next: '/' })).status).toBe(303);
  return { get, post, csrfOf, cookie: () => cookie };
}
