"""Checks schemathesis runs on every answer of the studio's API (npm run fuzz)."""
import re

import schemathesis

# What must never reach a client: database and query text, server paths and source lines,
# stack frames, image-library messages, connection errors.
LEAK = re.compile(
    r"prisma|invocation|/work/|/home/|node_modules|\.ts:\d+|\bat \S+ \(|Traceback|"
    r"vips|libpng|ECONNREFUSED|\bSELECT\b|\bINSERT\b|\bUPDATE \"",
    re.IGNORECASE,
)


@schemathesis.check
def no_internals(ctx, response, case):
    body = response.text or ""
    found = LEAK.search(body)
    if found:
        raise AssertionError(f"The answer shows internals ({found.group(0)!r}): {body[:300]}")
