"""Schemathesis hooks for test/e2e/apiFuzz.test.ts, loaded through SCHEMATHESIS_HOOKS.

The fuzzer draws Idempotency-Key values from a small space, so two different requests
often carry the same key, and the API rightly answers the second 422 idempotencyKeyReused:
a client's mistake the fuzzer made, not the server's. Each request whose key is valid by
the document gets a suffix unique to the run, within the 200-character limit; a key the
document forbids, and any negative case, is sent as drawn, so a negative case stays negative.
"""

import atexit
import itertools
import re
import uuid

import schemathesis

# The document's schema for the header (api/openapi.ts): 1 to 200 visible ASCII characters.
VALID_KEY = re.compile(r"[\x21-\x7e]{1,200}")
MAX_LENGTH = 200
RUN = uuid.uuid4().hex[:12]
counter = itertools.count()
# Every request the run sent, whatever its phase: the test reports it beside schemathesis's count of cases.
sent = itertools.count()
atexit.register(lambda: print(f"fuzz requests sent: {next(sent)}", flush=True))


@schemathesis.hook
def before_call(context, case, kwargs):
    next(sent)
    # Only a request meant to be valid: changing a negative one (say, without its token) makes
    # schemathesis validate it again, take it for positive, and send the token after all.
    if case.meta is not None and not case.meta.generation.mode.is_positive:
        return
    headers = case.headers or {}
    for name, value in list(headers.items()):
        if name.lower() != "idempotency-key" or not isinstance(value, str) or not VALID_KEY.fullmatch(value):
            continue
        suffix = f"~{RUN}.{next(counter)}"
        headers[name] = value[: MAX_LENGTH - len(suffix)] + suffix
