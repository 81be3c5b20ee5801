"""Checks and hooks schemathesis runs with on the studio's API (npm run fuzz)."""
import json
import os
import re

import schemathesis
from hypothesis import strategies as st

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


# Real sessions of the fuzzing user at every stage, made by test/fuzz/fixtures.ts: without them
# every id the fuzzer sends is made up and it never reaches the sessions' own logic.
FIXTURES = None
if os.environ.get("FUZZ_FIXTURES"):
    with open(os.environ["FUZZ_FIXTURES"], encoding="utf-8") as file:
        FIXTURES = json.load(file)


def _aim(case, session, pick, count, with_bodies):
    """Points a generated case at a real session, its assets and its photo (in place)."""
    params = case.path_parameters
    if session is not None and params and "id" in params:
        params["id"] = session["id"]
        assets = session["imageIds"] + session["clipIds"]
        if "assetId" in params and assets:
            params["assetId"] = assets[pick % len(assets)]
    body = case.body
    if with_bodies and isinstance(body, dict):
        source = session or FIXTURES["sessions"][pick % len(FIXTURES["sessions"])]
        if isinstance(body.get("imageIds"), list) and source["imageIds"]:
            body["imageIds"] = source["imageIds"][: max(1, count)]
        if isinstance(body.get("clipIds"), list) and source["clipIds"]:
            body["clipIds"] = source["clipIds"][: max(1, count)]
        if isinstance(body.get("moodBoardImageIds"), list) and source["imageIds"]:
            body["moodBoardImageIds"] = source["imageIds"][:count]
        if "productPhotoKey" in body:
            body["productPhotoKey"] = FIXTURES["photoKey"]
    return case


@schemathesis.hook
def flatmap_case(ctx, case):
    if FIXTURES is None:
        return st.just(case)
    sessions = FIXTURES["sessions"]
    path = ctx.operation.path if ctx.operation is not None else ""
    # Cancelling is tried on the session that is already cancelled (and on made-up ids), so the
    # other stages stay there for the rest of the run.
    if path.endswith("/cancel"):
        sessions = [s for s in sessions if s["stage"] == "cancelled"]
    return st.tuples(
        st.sampled_from([None, *sessions]),
        st.integers(min_value=0, max_value=15),
        st.integers(min_value=1, max_value=4),
        st.booleans(),
    ).map(lambda choice: _aim(case, *choice))
