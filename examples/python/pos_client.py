#!/usr/bin/env python3
"""A minimal Patron POS client: quote, commit, replay, partial return, offline batch.

Standard library only (Python 3.11). Configuration comes from the environment:
PATRON_URL, PATRON_KEY_ID, PATRON_SECRET, PATRON_STORE, PATRON_TERMINAL, PATRON_CARD,
PATRON_CURRENCY. Prints what the till would print and a last line `OK`; on any failure it
prints one line to standard error and exits 1. The contract is docs/integration.md.
"""
import datetime
import hashlib
import hmac
import http.client
import json
import os
import random
import secrets
import sys
import time
import urllib.error
import urllib.request
import uuid

MAX_ATTEMPTS = 4          # one send and three resends, then give up (queue the sale offline)
TIMEOUT_S = 10            # per attempt; a till should not keep a cashier waiting much longer
MAX_RETRY_AFTER_S = 30    # never sleep longer than this on a server's Retry-After


class Failure(Exception):
    """Anything that ends the run: printed as one line, exit status 1."""


def env(name):
    value = os.environ.get(name, "")
    if not value:
        raise Failure(f"missing environment variable {name}")
    return value


def sign(secret, method, path, body, timestamp, nonce):
    """hex(HMAC-SHA256(secret, METHOD\\nPATH_WITH_QUERY\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body))))."""
    canonical = "\n".join([method, path, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode("ascii"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


class Till:
    def __init__(self):
        self.url = env("PATRON_URL").rstrip("/")
        self.key_id = env("PATRON_KEY_ID")
        self.secret = env("PATRON_SECRET")
        self.store = env("PATRON_STORE")
        self.terminal = env("PATRON_TERMINAL")
        self.card = env("PATRON_CARD")
        self.currency = env("PATRON_CURRENCY")

    def send(self, method, path, document, idempotency_key=None):
        """Sends one operation, resending it on a lost answer, a 503 or a 408: (status, headers, body).

        The body bytes and the Idempotency-Key are fixed before the first attempt and reused by
        every resend; only the timestamp, nonce and signature are new each time.
        """
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        for attempt in range(1, MAX_ATTEMPTS + 1):
            timestamp = str(int(time.time()))
            nonce = secrets.token_hex(16)  # 32 of [0-9a-f]: never reused by this key
            headers = {
                "Content-Type": "application/json",
                "X-Patron-Key": self.key_id,
                "X-Patron-Timestamp": timestamp,
                "X-Patron-Nonce": nonce,
                "X-Patron-Signature": sign(self.secret, method, path, body, timestamp, nonce),
            }
            if idempotency_key:
                headers["Idempotency-Key"] = idempotency_key
            request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
                    return answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as error:  # an answer with a 4xx or 5xx status
                status, answer_headers, answer_body = error.code, error.headers, error.read()
                # 503 (UNAVAILABLE, OVERLOADED) and 408 (the request came in too slowly) are
                # safe to resend; any other 4xx/5xx would fail the same way again.
                if status not in (503, 408):
                    return status, answer_headers, answer_body
                reason, wait = f"{status} {error_code(answer_body)}", retry_after(answer_headers)
            except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out, cut short
                # No answer at all: the operation may or may not have been committed. Resending
                # the same document under the same key is safe either way.
                reason, wait = f"no answer ({getattr(error, 'reason', error)})", None
            if attempt == MAX_ATTEMPTS:
                raise Failure(f"{method} {path}: {reason} after {attempt} attempts")
            if wait is None:  # exponential back-off with jitter: 0.5 s, 1 s, 2 s, ...
                wait = 0.5 * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)
            print(f"  attempt {attempt}: {reason}; resending in {wait:.1f} s", file=sys.stderr)
            time.sleep(wait)

    def expect(self, method, path, document, status_wanted, idempotency_key=None):
        """send(), then fail unless the status is the expected one. Returns (headers, raw, parsed)."""
        status, headers, raw = self.send(method, path, document, idempotency_key)
        if status != status_wanted:
            raise Failure(f"{method} {path}: {status} {error_code(raw)}")
        return headers, raw, json.loads(raw)


def error_code(raw):
    """'CODE field: message' from Patron's error envelope, for the one-line failure."""
    try:
        error = json.loads(raw)["error"]
        field = f" {error['field']}" if error.get("field") else ""
        return f"{error['code']}{field}: {error['message']}"
    except (ValueError, KeyError, TypeError):
        return raw[:200].decode("utf-8", "replace")


def retry_after(headers):
    try:
        return min(float(headers.get("Retry-After")), MAX_RETRY_AFTER_S)
    except (TypeError, ValueError):
        return None  # absent or an HTTP date: fall back to the back-off


def show(title, answer, headers=None):
    """What a till prints: the points and the receipt lines, exactly as Patron wrote them."""
    points = answer.get("points") or {}
    replayed = " (Idempotent-Replayed)" if headers and headers.get("Idempotent-Replayed") == "true" else ""
    print(f"{title}: purchase_id={answer.get('purchase_id')} earned={points.get('earned')} "
          f"redeemed={points.get('redeemed')} available={points.get('available')}{replayed}")
    for line in answer.get("receipt_lines", []):
        print(f"  | {line}")
    if answer.get("feedback"):  # print as a QR code under the last receipt line
        print(f"  [QR] {answer['feedback']['url']}")


def main():
    till = Till()
    now = datetime.datetime.now().astimezone()          # the till's local time and offset
    business_day = now.date().isoformat()
    # A real till numbers its own receipts (plain digits let Patron report gaps); here the
    # numbers only need to be new on every run.
    prefix = f"py{int(now.timestamp() * 1000)}-"
    key = {"store": till.store, "terminal": till.terminal, "business_day": business_day}

    def document(receipt, when, **rest):
        return {**key, "receipt": prefix + receipt, "pos_time": when.isoformat(timespec="seconds"),
                "currency": till.currency, **rest}

    # Amounts are integer minor units of the currency (IRR has none: 450000 is 450,000 rials).
    purchase = document("1", now, card=till.card, lines=[
        {"line": 1, "sku": "COF-1", "category": "coffee", "quantity": 2, "unit_price": 450000, "amount": 900000},
        {"line": 2, "sku": "CAKE-3", "category": "bakery", "quantity": 1, "unit_price": 350000, "amount": 350000,
         "discount": 50000},
    ], total=1200000)

    # 1. Quote: rates the basket exactly as the commit will, writes nothing.
    _, _, quote = till.expect("POST", "/v1/pos/quotes", purchase, 200)
    show("quote", quote)

    # 2. Commit. The Idempotency-Key is chosen once per operation and kept with the sale, so
    #    every resend (by send() or after a restart of the till) carries the same one.
    purchase_key = str(uuid.uuid4())
    headers, first_raw, committed = till.expect("POST", "/v1/pos/purchases", purchase, 201, purchase_key)
    show("purchase", committed, headers)  # a replay already if an earlier attempt's answer was lost

    # 3. The same commit again, as a till would after losing the answer: it is not booked a
    #    second time; Patron answers with the first answer, byte for byte.
    headers, again_raw, again = till.expect("POST", "/v1/pos/purchases", purchase, 201, purchase_key)
    if headers.get("Idempotent-Replayed") != "true" or again_raw != first_raw:
        raise Failure("the resent purchase was not answered as a replay of the first")
    print(f"resent purchase: Idempotent-Replayed: true, same booking purchase_id={again['purchase_id']}")

    # 4. Partial return: one of the two coffees, under a receipt number of its own.
    original = {**key, "receipt": purchase["receipt"]}
    give_back = document("2", now, original=original, lines=[{"line": 1, "quantity": 1}])
    headers, _, returned = till.expect("POST", "/v1/pos/returns", give_back, 201, str(uuid.uuid4()))
    show("return", returned, headers)

    # 5. Offline batch: a sale rung up while the network was down and a return of it, each
    #    with the POS time it happened. The batch has an Idempotency-Key of its own.
    earlier = now - datetime.timedelta(minutes=10)
    offline_sale = document("3", earlier, card=till.card, lines=[
        {"line": 1, "sku": "TEA-2", "category": "tea", "quantity": 3, "unit_price": 200000, "amount": 600000},
    ], total=600000)
    offline_return = document("4", earlier + datetime.timedelta(minutes=5), lines=[{"line": 1, "quantity": 1}],
                              original={**key, "receipt": offline_sale["receipt"]})
    batch = {"operations": [{"type": "purchase", "document": offline_sale},
                            {"type": "return", "document": offline_return}]}
    headers, _, answer = till.expect("POST", "/v1/pos/batches", batch, 200, str(uuid.uuid4()))
    if headers.get("Idempotent-Replayed") == "true":
        print("batch: Idempotent-Replayed (an earlier attempt was applied; this is its answer)")
    for result in answer["results"]:
        # Each result is what the operation would have got alone: a 201 answer or an error.
        if result["status"] != 201:
            raise Failure(f"batch operation {result['index']}: {result['status']} "
                          f"{error_code(json.dumps(result['body']).encode())}")
        show(f"batch[{result['index']}] {result['status']} replayed={result['replayed']}", result["body"])
    print(f"batch gaps: {answer.get('gaps')}")
    print("OK")


if __name__ == "__main__":
    try:
        main()
    except Failure as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        sys.exit(1)
    except Exception as error:  # anything unexpected still ends in one line and a non-zero exit
        print(f"FAIL: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
