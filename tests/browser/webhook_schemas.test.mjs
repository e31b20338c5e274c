// Every event body patrond really delivers to a webhook subscriber, checked against the JSON
// Schema api/openapi.yaml documents for its type under `webhooks:` (the EventEnvelope with the
// type's data), with every header documented there as required, and a signature that verifies by
// docs/events.md's recipe with the secret shown at subscription. No Chromium: a receiver on
// loopback (patrond is started with PATRON_WEBHOOK_PRIVATE_RECEIVERS=yes) is subscribed to every
// type ("*"), and the events are caused through the real API: an enrolment, an update, purchases
// that earn points, cashback and stamps, fill a stamp card (its coupon reward) and lift the tier,
// a coupon assigned by staff and redeemed at the till, a return, a void, staff adjustments (one
// over the fraud policy's limit), an anonymous purchase claimed by support, another voided, a
// merge and an erasure. Lots are made to expire a month after they are earned with a notice of 90
// days, so patrond's minute job announces them (points_expiring) within about a minute.
// points_expired needs a lot's expiry to pass, which no API can make happen now: not caused here.
// Started by tests/e2e/webhook_schemas_test.cpp.
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";

import { demo, expectStaff, baseUrl, pos, setUpProgramme } from "./patron.mjs";

// The event types this test causes: a type among them that stops arriving fails it.
const caused = [
  "member_enrolled",
  "member_updated",
  "member_merged",
  "member_erased",
  "purchase_committed",
  "purchase_returned",
  "purchase_voided",
  "purchase_claimed",
  "points_adjusted",
  "points_expiring",
  "tier_changed",
  "reward_issued",
  "coupon_issued",
  "coupon_redeemed",
  "stamp_card_completed",
  "cashback_credited",
  "fraud_signal_raised",
];
// Time for the deliveries to arrive once everything is caused: points_expiring waits for patrond's
// minute job (its first run is a minute after patrond started).
const waitMs = 80_000;

// --- The documented contract -------------------------------------------------------------------

const specPath = process.env.PATRON_SOURCE_DIR
  ? join(process.env.PATRON_SOURCE_DIR, "api", "openapi.yaml")
  : fileURLToPath(new URL("../../api/openapi.yaml", import.meta.url));
// Strict YAML: a key given twice (a schema defined twice, the later silently winning) fails here.
const spec = parseYaml(readFileSync(specPath, "utf8"));
// The whole document is added under an id, so that "#/components/schemas/X" in a webhook's schema
// resolves within it.
const specId = "https://patron.invalid/api/openapi.yaml";
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec, specId);

// The validator of the body documented for `type`, or undefined when the type has no entry.
function bodyValidator(type) {
  if (!Object.hasOwn(spec.webhooks ?? {}, type)) return undefined;
  return ajv.getSchema(`${specId}#/webhooks/${type}/post/requestBody/content/application~1json/schema`);
}

// The object a local "#/..." reference names.
function resolved(node) {
  if (!node?.$ref) return node;
  assert.ok(node.$ref.startsWith("#/"), `a reference outside the document: ${node.$ref}`);
  return node.$ref
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((at, part) => at?.[part], spec);
}

// The headers documented as required for `type`: [{name, schema, check(value) -> errors or null}].
const headerCache = new Map();
function requiredHeaders(type) {
  if (!headerCache.has(type)) {
    const parameters = (spec.webhooks[type].post.parameters ?? []).map(resolved);
    const headers = parameters
      .filter((parameter) => parameter?.in === "header" && parameter.required === true)
      .map((parameter) => {
        const validate = ajv.compile(parameter.schema ?? {});
        const integer = [parameter.schema?.type].flat().includes("integer");
        return {
          name: parameter.name,
          check(value) {
            if (integer && !/^-?[0-9]+$/.test(value)) return `${JSON.stringify(value)} is not an integer`;
            return validate(integer ? Number(value) : value) ? null : ajv.errorsText(validate.errors);
          },
        };
      });
    headerCache.set(type, headers);
  }
  return headerCache.get(type);
}

// docs/events.md, "Verifying a delivery": HMAC-SHA256 keyed with the secret as shown, over the
// Patron-Timestamp value, "." and the body's bytes as received; "v1=" and 64 lower-case hex digits.
function signatureHolds(secret, timestamp, body, header) {
  if (typeof header !== "string" || !/^v1=[0-9a-f]{64}$/.test(header)) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
  return timingSafeEqual(Buffer.from(header.slice(3), "hex"), expected);
}

const receiverPath = "/patron/events";
const envelopeOrder = Object.keys(resolved({ $ref: "#/components/schemas/EventEnvelope" }).properties);

// What is wrong with one delivery ({method, url, headers (lower-case names), body (Buffer),
// receivedAt (ms)}, its body parsed) against the documented contract, in words: [] when nothing.
function problemsOf(delivery, body, secret) {
  const problems = [];
  const said = (problem) => problems.push(problem);
  if (delivery.method !== "POST" || delivery.url !== receiverPath) said(`sent as ${delivery.method} ${delivery.url}`);
  if (!/^application\/json\b/.test(delivery.headers["content-type"] ?? "")) {
    said(`Content-Type ${delivery.headers["content-type"]}`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    said("the body is not a JSON object");
    return problems;
  }

  const validate = bodyValidator(body.type);
  if (!validate) {
    said(`type ${JSON.stringify(body.type)} has no entry under webhooks in api/openapi.yaml`);
    return problems;
  }
  if (!validate(body)) said(`does not match its schema: ${JSON.stringify(validate.errors, null, 1)}`);
  const order = Object.keys(body);
  if (JSON.stringify(order) !== JSON.stringify(envelopeOrder)) {
    said(`the envelope's fields are in the order ${order}, not ${envelopeOrder}`);
  }
  if (typeof body.occurred_at === "string" && !/\.[0-9]{6}Z$/.test(body.occurred_at)) {
    said(`occurred_at ${body.occurred_at} is not UTC with microseconds`);
  }

  for (const header of requiredHeaders(body.type)) {
    const value = delivery.headers[header.name.toLowerCase()];
    if (value === undefined) {
      said(`no ${header.name} header`);
      continue;
    }
    const wrong = header.check(value);
    if (wrong) said(`${header.name}: ${value}: ${wrong}`);
  }
  if (delivery.headers["patron-event-id"] !== String(body.id)) {
    said(`Patron-Event-Id ${delivery.headers["patron-event-id"]}, but the body's id is ${body.id}`);
  }
  if (delivery.headers["patron-event-type"] !== body.type) {
    said(`Patron-Event-Type ${delivery.headers["patron-event-type"]}, but the body's type is ${body.type}`);
  }
  if (!/^Patron-Webhooks\/1\b/.test(delivery.headers["user-agent"] ?? "")) {
    said(`User-Agent ${delivery.headers["user-agent"]}`);
  }
  const timestamp = delivery.headers["patron-timestamp"] ?? "";
  if (!signatureHolds(secret, timestamp, delivery.body, delivery.headers["patron-signature"])) {
    said(`Patron-Signature ${delivery.headers["patron-signature"]} does not verify (Patron-Timestamp ${timestamp})`);
  }
  if (!(Math.abs(Number(timestamp) - delivery.receivedAt / 1000) <= 300)) {
    said(`Patron-Timestamp ${timestamp} is more than 5 minutes from the receiver's clock`);
  }
  return problems;
}

// --- The receiver ------------------------------------------------------------------------------

const deliveries = []; // {method, url, headers (lower-case names), body (Buffer), receivedAt (ms)}
const receiver = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    deliveries.push({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: Buffer.concat(chunks),
      receivedAt: Date.now(),
    });
    response.writeHead(200, { "Content-Type": "text/plain" });
    response.end("kept");
  });
});

before(async () => {
  await new Promise((listening) => receiver.listen(0, "127.0.0.1", listening));
});
after(async () => {
  receiver.closeAllConnections();
  await new Promise((closed) => receiver.close(closed));
});

// The bodies received so far, parsed (null where a body is not JSON).
function bodies() {
  return deliveries.map((delivery) => {
    try {
      return JSON.parse(delivery.body.toString("utf8"));
    } catch {
      return null;
    }
  });
}

// --- Causing events through the API ------------------------------------------------------------

const store = demo.terminal.store;
const terminal = demo.terminal.terminal;
const day = new Date().toISOString().slice(0, 10); // One business day for every document of the test.
const receiptPrefix = "WH";

// A document of the demo till, received now, with `rest`.
function atTheTill(receipt, rest) {
  // To the millisecond: the rules in force at pos_time rate the sale, and the stamp card published a
  // moment before must be (cut to the second, the first coffee could fall before it and the card
  // never fill).
  const pos_time = new Date().toISOString();
  return { store, terminal, receipt, business_day: day, pos_time, currency: "IRR", ...rest };
}

function sale(receipt, card, amount, extra = {}) {
  return atTheTill(receipt, {
    ...(card ? { card } : {}),
    lines: [{ line: 1, sku: "COF-1", category: "coffee", quantity: 1, unit_price: amount, amount, discount: 0 }],
    total: amount,
    ...extra,
  });
}

// A return (with `lines`) or a void (without) at the demo till of the purchase `original`.
function takingBack(receipt, original, lines) {
  return atTheTill(receipt, {
    original: { store, terminal, business_day: day, receipt: original },
    ...(lines ? { lines } : {}),
  });
}

async function till(path, document) {
  const answer = await pos("POST", path, document);
  assert.equal(answer.status, 201, `${path} ${document.receipt}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

// A staff call with `token` (a signed-in user's), as expectStaff does with the demo admin's.
async function asUser(token, method, path, document, status) {
  const response = await fetch(baseUrl + path, {
    method,
    body: document === undefined ? undefined : JSON.stringify(document),
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  assert.equal(response.status, status, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function signedIn(role) {
  const user = { email: `webhooks.${role}@staff.example`, password: `a long ${role} password`, role };
  await expectStaff("POST", "/v1/staff/users", { ...user, name: `Webhooks ${role}` }, 201);
  const session = await fetch(`${baseUrl}/v1/staff/sessions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const answer = await session.json();
  assert.equal(session.status, 201, JSON.stringify(answer));
  return answer.token;
}

// What the test caused, beyond the types: events about no member (an anonymous purchase and its
// void: no receipt or total) and both sources of coupon_issued (stamp_card and purchase_id null
// for staff's) are bodies of their own shape.
function variantsSeen(received) {
  const seen = new Set();
  for (const body of received) {
    if (body?.member_id === null && ["purchase_committed", "purchase_voided"].includes(body.type)) {
      seen.add(`anonymous ${body.type}`);
    }
    if (body?.type === "coupon_issued") seen.add(`coupon_issued from ${body.data?.source}`);
  }
  return seen;
}
const variants = [
  "anonymous purchase_committed",
  "anonymous purchase_voided",
  "coupon_issued from stamp_card",
  "coupon_issued from staff",
];

test("the documented worked example verifies by the recipe this test checks signatures with", () => {
  const secret = "whsec_5c2e9a0f4b7d18e6a3c0f92d7b5e41a8c6f0d3b9e2a7c5f18d4b6e0a9c3f7d21";
  const body =
    '{"id":1042,"type":"points_adjusted","version":1,"program_id":1,"member_id":7,"occurred_at":"2026-12-02T15:00:00.000000Z","data":{"member_id":7,"points":500,"points_available":1740,"transfer_id":311}}';
  const header = "v1=14f217620f01224390cb4a991146d50a14e3e81f3c4fb3ed181773e06aeb4a04";
  assert.ok(signatureHolds(secret, "1796223660", Buffer.from(body), header));
  assert.ok(!signatureHolds(secret, "1796223661", Buffer.from(body), header));
  // The example body is also what the documented schema takes, and a body of another type's is not.
  const validate = bodyValidator("points_adjusted");
  assert.ok(validate, "api/openapi.yaml documents points_adjusted under webhooks");
  assert.ok(validate(JSON.parse(body)), ajv.errorsText(validate.errors));
  assert.ok(!validate({ ...JSON.parse(body), type: "points_expired" }));
  assert.ok(!validate({ ...JSON.parse(body), data: { member_id: 7, points: 500 } }));

  // A delivery of it as the documentation describes one passes this test's checks; one with a
  // header missing, a bad signature or a body off its schema does not.
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
  const delivery = {
    method: "POST",
    url: receiverPath,
    headers: {
      "content-type": "application/json",
      "user-agent": "Patron-Webhooks/1",
      "patron-event-id": "1042",
      "patron-event-type": "points_adjusted",
      "patron-delivery-id": "9",
      "patron-attempt": "1",
      "patron-timestamp": timestamp,
      "patron-signature": signature,
    },
    body: Buffer.from(body),
    receivedAt: Date.now(),
  };
  assert.deepEqual(problemsOf(delivery, JSON.parse(body), secret), []);
  const { "patron-delivery-id": _, ...withoutDeliveryId } = delivery.headers;
  assert.deepEqual(problemsOf({ ...delivery, headers: withoutDeliveryId }, JSON.parse(body), secret), [
    "no Patron-Delivery-Id header",
  ]);
  const attemptZero = { ...delivery, headers: { ...delivery.headers, "patron-attempt": "0" } };
  assert.equal(problemsOf(attemptZero, JSON.parse(body), secret).length, 1, "Patron-Attempt is at least 1");
  assert.equal(problemsOf(delivery, JSON.parse(body), `${secret.slice(0, -1)}0`).length, 1);
  const offSchema = { ...JSON.parse(body), data: { member_id: 7 } };
  assert.ok(problemsOf(delivery, offSchema, secret).some((problem) => problem.startsWith("does not match its schema")));
});

test("every body delivered to a subscriber matches its type's documented schema, with its headers and signature", async () => {
  for (const type of caused) assert.ok(bodyValidator(type), `api/openapi.yaml has no webhooks entry for ${type}`);

  // An admin subscribes the receiver to every type; the secret is shown this once.
  const url = `http://127.0.0.1:${receiver.address().port}${receiverPath}`;
  const webhook = await expectStaff("POST", "/v1/webhooks", { url, event_types: ["*"], description: "schemas" }, 201);
  const secret = webhook.secret;
  assert.match(secret, /^whsec_[0-9a-f]{64}$/);

  // Lots expire a month after they are earned and are announced 90 days before: every lot earned
  // from now on is announced by the next minute's job.
  await expectStaff("PATCH", "/v1/program/settings", {
    points: { expiry: { mode: "months", months: 1 }, expiry_notice_days: 90 },
  }, 200);
  // Tiers (Silver from 50 points), 5% cashback, a coffee stamp card of three whose reward is a
  // free-coffee coupon.
  await setUpProgramme();
  const support = await signedIn("support");

  // Enrolled by staff, then updated.
  const wanda = await expectStaff("POST", "/v1/members", {
    full_name: "Wanda Webhook",
    email: "wanda.webhook@example.com",
    language: "fa",
  }, 201);
  const card = wanda.cards[0].number;
  await expectStaff("PATCH", `/v1/members/${wanda.id}`, { city: "Shiraz", language: "en" }, 200);

  // Three coffees of 250,000 IRR: 25 points and 12,500 IRR cashback each; the second reaches
  // Silver, the third fills the stamp card (its free-coffee coupon).
  for (const receipt of [1, 2, 3]) await till("/v1/pos/purchases", sale(`${receiptPrefix}-P${receipt}`, card, 250000));

  // A code staff assign to her, redeemed at the till.
  const campaign = await expectStaff("POST", "/v1/coupon-campaigns", {
    name: "Webhook 20%",
    type: "percent_off_basket",
    percent: 20,
    conditions: { min_basket: 100000 },
  }, 201);
  await expectStaff("POST", `/v1/coupon-campaigns/${campaign.id}/codes`, { code: "WEBHOOK20", single_use: true }, 201);
  await expectStaff("POST", `/v1/coupon-campaigns/${campaign.id}/publish`, undefined, 200);
  await expectStaff("POST", "/v1/coupon-codes/WEBHOOK20/assignment", { member_id: wanda.id }, 200);
  const redeemed = await till("/v1/pos/purchases", sale(`${receiptPrefix}-P4`, card, 500000, { coupons: ["WEBHOOK20"] }));
  assert.equal(redeemed.coupons?.redeemed?.length, 1, JSON.stringify(redeemed));

  // A purchase returned, another voided.
  await till("/v1/pos/purchases", sale(`${receiptPrefix}-P5`, card, 300000));
  await till("/v1/pos/returns", takingBack(`${receiptPrefix}-R5`, `${receiptPrefix}-P5`, [{ line: 1, quantity: 1 }]));
  await till("/v1/pos/purchases", sale(`${receiptPrefix}-P6`, card, 200000));
  await till("/v1/pos/voids", takingBack(`${receiptPrefix}-V6`, `${receiptPrefix}-P6`));

  // Support adjusts her points; then, under a policy watching grants over 1,000 points, a grant of
  // 2,000 raises a signal (flag only).
  const adjustments = `/v1/members/${wanda.id}/points/adjustments`;
  await asUser(support, "POST", adjustments, { points: 100, reason: "goodwill" }, 201);
  await expectStaff("PUT", "/v1/fraud/policy", { staff_adjustment: { action: "flag", points_over: 1000 } }, 200);
  await asUser(support, "POST", adjustments, { points: 2000, reason: "a large goodwill gesture" }, 201);

  // A purchase without a card, then claimed for her by support.
  await till("/v1/pos/purchases", sale(`${receiptPrefix}-A7`, undefined, 250000));
  await expectStaff("POST", `/v1/members/${wanda.id}/claims`, {
    store,
    terminal,
    business_day: day,
    receipt: `${receiptPrefix}-A7`,
    total: 250000,
  }, 201);
  // Another without a card, voided: an event about no member, without receipt or total.
  await till("/v1/pos/purchases", sale(`${receiptPrefix}-A9`, undefined, 150000));
  await till("/v1/pos/voids", takingBack(`${receiptPrefix}-V9`, `${receiptPrefix}-A9`));

  // A duplicate record of hers, with a purchase, merged into hers.
  const duplicate = await expectStaff("POST", "/v1/members", {
    full_name: "Wanda Webhook (again)",
    email: "wanda.again@example.com",
  }, 201);
  await till("/v1/pos/purchases", sale(`${receiptPrefix}-D8`, duplicate.cards[0].number, 100000));
  await expectStaff("POST", `/v1/members/${wanda.id}/merge`, { from: duplicate.id }, 200);

  // A member enrolled and erased.
  const erin = await expectStaff("POST", "/v1/members", { full_name: "Erin Erased", email: "erin.erased@example.com" }, 201);
  await expectStaff("DELETE", `/v1/members/${erin.id}`, undefined, 204);

  // Every type caused, and each shape listed in `variants`, has arrived.
  const missing = () => {
    const received = bodies();
    const types = new Set(received.map((body) => body?.type));
    const seen = variantsSeen(received);
    return [...caused.filter((type) => !types.has(type)), ...variants.filter((variant) => !seen.has(variant))];
  };
  const deadline = Date.now() + waitMs;
  while (missing().length > 0 && Date.now() < deadline) await sleep(250);
  await sleep(500); // Whatever was on its way as the last one came: checked too.
  const absent = missing();
  if (absent.length > 0) {
    // What patrond says of the deliveries it has not made (a refused address, a failed attempt).
    const { deliveries: listed } = await expectStaff("GET", `/v1/webhooks/${webhook.id}/deliveries?limit=200`, undefined, 200);
    const undelivered = listed
      .filter((delivery) => delivery.state !== "delivered")
      .map((delivery) => `${delivery.event_type} ${delivery.state} after ${delivery.attempts}: ${delivery.last_error}`);
    assert.fail(
      `not delivered within ${waitMs / 1000} s: ${absent.join(", ")} (${deliveries.length} deliveries came; ` +
        `patrond's undelivered: ${undelivered.join("; ") || "none"})`,
    );
  }

  // Each delivery: the documented body, headers and signature.
  const received = bodies();
  const problems = deliveries.flatMap((delivery, index) =>
    problemsOf(delivery, received[index], secret).map(
      (problem) => `delivery ${index + 1} (${received[index]?.type ?? "?"}): ${problem}\n  body: ${delivery.body}`,
    ),
  );
  assert.deepEqual(problems, [], problems.join("\n"));

  const types = new Set(received.map((body) => body.type));
  for (const type of caused) assert.ok(types.has(type), `no ${type} was delivered`);
  console.log(`${deliveries.length} deliveries of ${types.size} types checked: ${[...types].sort().join(", ")}`);
});
