#!/usr/bin/env node
// A minimal Patron POS client: quote, commit, replay, partial return, offline batch.
//
// Node 18+, no dependencies (global fetch, node:crypto). Configuration comes from the
// environment: PATRON_URL, PATRON_KEY_ID, PATRON_SECRET, PATRON_STORE, PATRON_TERMINAL,
// PATRON_CARD, PATRON_CURRENCY. Prints what the till would print and a last line `OK`; on any
// failure it prints one line to standard error and exits 1. The contract is docs/integration.md.
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";

const MAX_ATTEMPTS = 4; // one send and three resends, then give up (queue the sale offline)
const TIMEOUT_MS = 10_000; // per attempt
const MAX_RETRY_AFTER_S = 30; // never sleep longer than this on a server's Retry-After

class Failure extends Error {}

function env(name) {
  const value = process.env[name];
  if (!value) throw new Failure(`missing environment variable ${name}`);
  return value;
}

let config; // read in main(), so that a missing variable ends in one line too
const loadConfig = () => ({
  url: env("PATRON_URL").replace(/\/+$/, ""),
  keyId: env("PATRON_KEY_ID"),
  secret: env("PATRON_SECRET"),
  store: env("PATRON_STORE"),
  terminal: env("PATRON_TERMINAL"),
  card: env("PATRON_CARD"),
  currency: env("PATRON_CURRENCY"),
});

const sha256Hex = (bytes) => createHash("sha256").update(bytes).digest("hex");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// hex(HMAC-SHA256(secret, METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nhex(SHA-256(body))))
function sign(method, path, body, timestamp, nonce) {
  const canonical = [method, path, timestamp, nonce, sha256Hex(body)].join("\n");
  return createHmac("sha256", config.secret).update(canonical, "utf8").digest("hex");
}

// Sends one operation; resends it on a lost answer, a 503 or a 408. The body bytes and the
// Idempotency-Key are fixed before the first attempt and reused by every resend; only the
// timestamp, nonce and signature are new each time. Returns {status, headers, raw}.
async function send(method, path, document, idempotencyKey) {
  const body = Buffer.from(JSON.stringify(document), "utf8"); // sign exactly these bytes
  for (let attempt = 1; ; attempt++) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString("hex"); // 32 of [0-9a-f]: never reused by this key
    const headers = {
      "Content-Type": "application/json",
      "X-Patron-Key": config.keyId,
      "X-Patron-Timestamp": timestamp,
      "X-Patron-Nonce": nonce,
      "X-Patron-Signature": sign(method, path, body, timestamp, nonce),
    };
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    let reason, wait;
    try {
      const answer = await fetch(config.url + path, { method, headers, body, signal: abort.signal });
      const raw = await answer.text(); // still under the time-out: the body may be slow too
      // 503 (UNAVAILABLE, OVERLOADED) and 408 (the request came in too slowly) are safe to
      // resend; any other 4xx/5xx would fail the same way again.
      if (answer.status !== 503 && answer.status !== 408) return { status: answer.status, headers: answer.headers, raw };
      reason = `${answer.status} ${errorCode(raw)}`;
      wait = retryAfter(answer.headers);
    } catch (error) {
      // No answer at all: the operation may or may not have been committed. Resending the same
      // document under the same key is safe either way.
      reason = `no answer (${error.name === "AbortError" ? "timed out" : error.cause?.code ?? error.message})`;
    } finally {
      clearTimeout(timer);
    }
    if (attempt === MAX_ATTEMPTS) throw new Failure(`${method} ${path}: ${reason} after ${attempt} attempts`);
    // Retry-After when given, else exponential back-off with jitter: 0.5 s, 1 s, 2 s, ...
    wait ??= 0.5 * 2 ** (attempt - 1) * (0.8 + 0.4 * Math.random());
    console.error(`  attempt ${attempt}: ${reason}; resending in ${wait.toFixed(1)} s`);
    await sleep(wait * 1000);
  }
}

// send(), then fail unless the status is the expected one.
async function expect(method, path, document, statusWanted, idempotencyKey) {
  const answer = await send(method, path, document, idempotencyKey);
  if (answer.status !== statusWanted) throw new Failure(`${method} ${path}: ${answer.status} ${errorCode(answer.raw)}`);
  return { ...answer, json: JSON.parse(answer.raw) };
}

// "CODE field: message" from Patron's error envelope, for the one-line failure.
function errorCode(raw) {
  try {
    const { code, field, message } = JSON.parse(raw).error;
    return `${code}${field ? ` ${field}` : ""}: ${message}`;
  } catch {
    return String(raw).slice(0, 200);
  }
}

function retryAfter(headers) {
  const seconds = Number(headers.get("Retry-After")); // absent or an HTTP date: NaN
  return headers.has("Retry-After") && Number.isFinite(seconds) ? Math.min(seconds, MAX_RETRY_AFTER_S) : undefined;
}

// What a till prints: the points and the receipt lines, exactly as Patron wrote them.
function show(title, answer, headers) {
  const p = answer.points ?? {};
  const replayed = headers?.get("Idempotent-Replayed") === "true" ? " (Idempotent-Replayed)" : "";
  console.log(`${title}: purchase_id=${answer.purchase_id} earned=${p.earned} redeemed=${p.redeemed} available=${p.available}${replayed}`);
  for (const line of answer.receipt_lines ?? []) console.log(`  | ${line}`);
  if (answer.feedback) console.log(`  [QR] ${answer.feedback.url}`); // print as a QR code under the last line
}

// RFC 3339 in the till's local time with its offset, e.g. 2026-11-22T18:03:40+03:30.
function localTime(date) {
  const pad = (n) => String(Math.trunc(Math.abs(n))).padStart(2, "0");
  const offset = -date.getTimezoneOffset();
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${offset >= 0 ? "+" : "-"}${pad(offset / 60)}:${pad(offset % 60)}`;
}

async function main() {
  config = loadConfig();
  const now = new Date();
  const businessDay = localTime(now).slice(0, 10);
  // A real till numbers its own receipts (plain digits let Patron report gaps); here the
  // numbers only need to be new on every run.
  const prefix = `js${now.getTime()}-`;
  const key = { store: config.store, terminal: config.terminal, business_day: businessDay };
  const document = (receipt, when, rest) =>
    ({ ...key, receipt: prefix + receipt, pos_time: localTime(when), currency: config.currency, ...rest });

  // Amounts are integer minor units of the currency (IRR has none: 450000 is 450,000 rials).
  const purchase = document("1", now, {
    card: config.card,
    lines: [
      { line: 1, sku: "COF-1", category: "coffee", quantity: 2, unit_price: 450000, amount: 900000 },
      { line: 2, sku: "CAKE-3", category: "bakery", quantity: 1, unit_price: 350000, amount: 350000, discount: 50000 },
    ],
    total: 1200000,
  });

  // 1. Quote: rates the basket exactly as the commit will, writes nothing.
  const quote = await expect("POST", "/v1/pos/quotes", purchase, 200);
  show("quote", quote.json);

  // 2. Commit. The Idempotency-Key is chosen once per operation and kept with the sale, so
  //    every resend (by send() or after a restart of the till) carries the same one.
  const purchaseKey = randomUUID();
  const first = await expect("POST", "/v1/pos/purchases", purchase, 201, purchaseKey);
  show("purchase", first.json, first.headers); // a replay already if an earlier attempt's answer was lost

  // 3. The same commit again, as a till would after losing the answer: it is not booked a
  //    second time; Patron answers with the first answer, byte for byte.
  const again = await expect("POST", "/v1/pos/purchases", purchase, 201, purchaseKey);
  if (again.headers.get("Idempotent-Replayed") !== "true" || again.raw !== first.raw) {
    throw new Failure("the resent purchase was not answered as a replay of the first");
  }
  console.log(`resent purchase: Idempotent-Replayed: true, same booking purchase_id=${again.json.purchase_id}`);

  // 4. Partial return: one of the two coffees, under a receipt number of its own.
  const giveBack = document("2", now, { original: { ...key, receipt: purchase.receipt }, lines: [{ line: 1, quantity: 1 }] });
  const returned = await expect("POST", "/v1/pos/returns", giveBack, 201, randomUUID());
  show("return", returned.json, returned.headers);

  // 5. Offline batch: a sale rung up while the network was down and a return of it, each with
  //    the POS time it happened. The batch has an Idempotency-Key of its own.
  const earlier = new Date(now.getTime() - 10 * 60_000);
  const offlineSale = document("3", earlier, {
    card: config.card,
    lines: [{ line: 1, sku: "TEA-2", category: "tea", quantity: 3, unit_price: 200000, amount: 600000 }],
    total: 600000,
  });
  const offlineReturn = document("4", new Date(earlier.getTime() + 5 * 60_000), {
    original: { ...key, receipt: offlineSale.receipt },
    lines: [{ line: 1, quantity: 1 }],
  });
  const batch = {
    operations: [
      { type: "purchase", document: offlineSale },
      { type: "return", document: offlineReturn },
    ],
  };
  const uploaded = await expect("POST", "/v1/pos/batches", batch, 200, randomUUID());
  if (uploaded.headers.get("Idempotent-Replayed") === "true") {
    console.log("batch: Idempotent-Replayed (an earlier attempt was applied; this is its answer)");
  }
  for (const result of uploaded.json.results) {
    // Each result is what the operation would have got alone: a 201 answer or an error.
    if (result.status !== 201) {
      throw new Failure(`batch operation ${result.index}: ${result.status} ${errorCode(JSON.stringify(result.body))}`);
    }
    show(`batch[${result.index}] ${result.status} replayed=${result.replayed}`, result.body);
  }
  console.log(`batch gaps: ${JSON.stringify(uploaded.json.gaps)}`);
  console.log("OK");
}

main().catch((error) => {
  const reason = error instanceof Failure ? error.message : `${error.name}: ${error.message}`;
  console.error(`FAIL: ${reason}`);
  process.exit(1);
});
