// A minimal Patron POS client: quote, commit, replay, partial return, offline batch.
//
// Java 17, no dependencies; run as `java examples/java/PosClient.java`. Configuration comes
// from the environment: PATRON_URL, PATRON_KEY_ID, PATRON_SECRET, PATRON_STORE,
// PATRON_TERMINAL, PATRON_CARD, PATRON_CURRENCY. Prints what the till would print and a last
// line `OK`; on any failure it prints one line to standard error and exits 1. Answers are read
// with plain string checks here; a real till would use its JSON library. The contract is
// docs/integration.md.

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class PosClient {
    static final int MAX_ATTEMPTS = 4;                          // one send, three resends
    static final Duration TIMEOUT = Duration.ofSeconds(10);     // per attempt
    static final long MAX_RETRY_AFTER_S = 30;                   // cap on a server's Retry-After
    static final SecureRandom RANDOM = new SecureRandom();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

    static String url, keyId, secret, store, terminal, card, currency;

    static class Failure extends Exception {
        Failure(String message) { super(message); }
    }

    record Answer(int status, HttpResponse<byte[]> response, String body) {
        boolean replayed() { return response.headers().firstValue("Idempotent-Replayed").orElse("").equals("true"); }
    }

    static String env(String name) throws Failure {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) throw new Failure("missing environment variable " + name);
        return value;
    }

    static String hex(byte[] bytes) { return HexFormat.of().formatHex(bytes); }

    // hex(HMAC-SHA256(secret, METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nhex(SHA-256(body))))
    static String sign(String method, String path, byte[] body, String timestamp, String nonce) throws Exception {
        String bodyHash = hex(MessageDigest.getInstance("SHA-256").digest(body));
        String canonical = String.join("\n", method, path, timestamp, nonce, bodyHash);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        return hex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    // Sends one operation; resends it on a lost answer, a 503 or a 408. The body bytes and the
    // Idempotency-Key are fixed before the first attempt and reused by every resend; only the
    // timestamp, nonce and signature are new each time.
    static Answer send(String method, String path, String json, String idempotencyKey) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8); // sign exactly these bytes
        for (int attempt = 1; ; attempt++) {
            String timestamp = Long.toString(System.currentTimeMillis() / 1000);
            byte[] nonceBytes = new byte[16];
            RANDOM.nextBytes(nonceBytes);
            String nonce = hex(nonceBytes); // 32 of [0-9a-f]: never reused by this key
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json")
                    .header("X-Patron-Key", keyId)
                    .header("X-Patron-Timestamp", timestamp)
                    .header("X-Patron-Nonce", nonce)
                    .header("X-Patron-Signature", sign(method, path, body, timestamp, nonce));
            if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
            String reason;
            Double wait = null;
            try {
                HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                Answer answer = new Answer(response.statusCode(), response, new String(response.body(), StandardCharsets.UTF_8));
                // 503 (UNAVAILABLE, OVERLOADED) and 408 (the request came in too slowly) are
                // safe to resend; any other 4xx/5xx would fail the same way again.
                if (answer.status != 503 && answer.status != 408) return answer;
                reason = answer.status + " " + answer.body;
                wait = response.headers().firstValue("Retry-After").map(PosClient::seconds).orElse(null);
            } catch (IOException e) { // time-out, refused or dropped connection: no answer at all
                // The operation may or may not have been committed. Resending the same document
                // under the same key is safe either way.
                reason = "no answer (" + e.getClass().getSimpleName() + ")";
            }
            if (attempt == MAX_ATTEMPTS) throw new Failure(method + " " + path + ": " + reason + " after " + attempt + " attempts");
            if (wait == null) wait = 0.5 * Math.pow(2, attempt - 1) * (0.8 + 0.4 * RANDOM.nextDouble());
            System.err.printf("  attempt %d: %s; resending in %.1f s%n", attempt, reason, wait);
            Thread.sleep((long) (wait * 1000));
        }
    }

    static Double seconds(String retryAfter) {
        try {
            return (double) Math.min(Long.parseLong(retryAfter.trim()), MAX_RETRY_AFTER_S);
        } catch (NumberFormatException e) {
            return null; // an HTTP date: fall back to the back-off
        }
    }

    // send(), then fail unless the status is the expected one (the error envelope is the reason).
    static Answer expect(String method, String path, String json, int wanted, String idempotencyKey) throws Exception {
        Answer answer = send(method, path, json, idempotencyKey);
        if (answer.status != wanted) throw new Failure(method + " " + path + ": " + answer.status + " " + answer.body);
        return answer;
    }

    // The text from `"name":` to the bracket that closes it: fine for Patron's compact answers
    // (points and receipt_lines hold no nested brackets), not a JSON parser.
    static String member(String json, String name, char close) {
        int start = json.indexOf("\"" + name + "\":");
        if (start < 0) return "?";
        return json.substring(start + name.length() + 3, json.indexOf(close, start) + 1);
    }

    // What a till prints: the points and the receipt lines, exactly as Patron wrote them.
    static void show(String title, Answer answer) {
        OUT.println(title + ": purchase_id=" + member(answer.body, "purchase_id", ',').replace(",", "")
                + " points=" + member(answer.body, "points", '}') + (answer.replayed() ? " (Idempotent-Replayed)" : ""));
        OUT.println("  receipt_lines=" + member(answer.body, "receipt_lines", ']'));
    }

    // A tiny JSON writer for the documents we send: maps, lists, strings, numbers, booleans.
    static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(json(k)).append(':').append(json(v)));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) out.append(out.length() > 1 ? "," : "").append(json(item));
            return out.append(']').toString();
        }
        if (value instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') out.append('\\').append(c);
                else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                else out.append(c);
            }
            return out.append('"').toString();
        }
        return String.valueOf(value); // Integer, Long, Boolean
    }

    static Map<String, Object> object(Object... pairs) { // object("a", 1, "b", "x") keeps the order
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put((String) pairs[i], pairs[i + 1]);
        return map;
    }

    static Map<String, Object> document(String receipt, OffsetDateTime when, String day, Object... rest) {
        Map<String, Object> doc = object("store", store, "terminal", terminal, "business_day", day, "receipt", receipt,
                "pos_time", when.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                "currency", currency);
        doc.putAll(object(rest));
        return doc;
    }

    static void run() throws Exception {
        url = env("PATRON_URL").replaceAll("/+$", "");
        keyId = env("PATRON_KEY_ID");
        secret = env("PATRON_SECRET");
        store = env("PATRON_STORE");
        terminal = env("PATRON_TERMINAL");
        card = env("PATRON_CARD");
        currency = env("PATRON_CURRENCY");
        OffsetDateTime now = OffsetDateTime.now(); // the till's local time and offset
        String day = now.toLocalDate().toString();
        // A real till numbers its own receipts (plain digits let Patron report gaps); here the
        // numbers only need to be new on every run.
        String prefix = "jv" + System.currentTimeMillis() + "-";

        // Amounts are integer minor units of the currency (IRR has none: 450000 is 450,000 rials).
        String purchase = json(document(prefix + "1", now, day, "card", card, "lines", List.of(
                object("line", 1, "sku", "COF-1", "category", "coffee", "quantity", 2, "unit_price", 450000, "amount", 900000),
                object("line", 2, "sku", "CAKE-3", "category", "bakery", "quantity", 1, "unit_price", 350000,
                        "amount", 350000, "discount", 50000)), "total", 1200000));

        // 1. Quote: rates the basket exactly as the commit will, writes nothing.
        show("quote", expect("POST", "/v1/pos/quotes", purchase, 200, null));

        // 2. Commit. The Idempotency-Key is chosen once per operation and kept with the sale, so
        //    every resend (by send() or after a restart of the till) carries the same one.
        String purchaseKey = UUID.randomUUID().toString();
        Answer first = expect("POST", "/v1/pos/purchases", purchase, 201, purchaseKey);
        show("purchase", first); // a replay already if an earlier attempt's answer was lost

        // 3. The same commit again, as a till would after losing the answer: it is not booked a
        //    second time; Patron answers with the first answer, byte for byte.
        Answer again = expect("POST", "/v1/pos/purchases", purchase, 201, purchaseKey);
        if (!again.replayed() || !again.body.equals(first.body)) {
            throw new Failure("the resent purchase was not answered as a replay of the first");
        }
        OUT.println("resent purchase: Idempotent-Replayed: true, same booking purchase_id="
                + member(again.body, "purchase_id", ',').replace(",", ""));

        // 4. Partial return: one of the two coffees, under a receipt number of its own.
        Map<String, Object> original = object("store", store, "terminal", terminal, "business_day", day, "receipt", prefix + "1");
        String giveBack = json(document(prefix + "2", now, day, "original", original,
                "lines", List.of(object("line", 1, "quantity", 1))));
        show("return", expect("POST", "/v1/pos/returns", giveBack, 201, UUID.randomUUID().toString()));

        // 5. Offline batch: a sale rung up while the network was down and a return of it, each
        //    with the POS time it happened. The batch has an Idempotency-Key of its own.
        OffsetDateTime earlier = now.minusMinutes(10);
        Map<String, Object> offlineSale = document(prefix + "3", earlier, day, "card", card, "lines", List.of(
                object("line", 1, "sku", "TEA-2", "category", "tea", "quantity", 3, "unit_price", 200000, "amount", 600000)),
                "total", 600000);
        Map<String, Object> offlineReturn = document(prefix + "4", earlier.plusMinutes(5), day,
                "original", object("store", store, "terminal", terminal, "business_day", day, "receipt", prefix + "3"),
                "lines", List.of(object("line", 1, "quantity", 1)));
        String batch = json(object("operations", List.of(
                object("type", "purchase", "document", offlineSale),
                object("type", "return", "document", offlineReturn))));
        Answer uploaded = expect("POST", "/v1/pos/batches", batch, 200, UUID.randomUUID().toString());
        // Each result is what the operation would have got alone: a 201 answer or an error.
        // Two operations sent, so two results must say 201.
        int applied = uploaded.body.split("\"status\":201", -1).length - 1;
        if (applied != 2) throw new Failure("batch: " + applied + " of 2 operations applied: " + uploaded.body);
        OUT.println("batch: 2 operations applied" + (uploaded.replayed() ? " (Idempotent-Replayed)" : "")
                + "; gaps=" + member(uploaded.body, "gaps", ']'));
        for (int at = 0, i = 0; (at = uploaded.body.indexOf("\"receipt_lines\":", at)) >= 0; at++, i++) {
            OUT.println("  result " + i + " receipt_lines=" + member(uploaded.body.substring(at), "receipt_lines", ']'));
        }
        OUT.println("OK");
    }

    public static void main(String[] args) {
        try {
            run();
        } catch (Failure e) {
            System.err.println("FAIL: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("FAIL: " + e);
            System.exit(1);
        }
    }
}
