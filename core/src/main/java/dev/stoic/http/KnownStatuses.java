package dev.stoic.http;

import static dev.stoic.http.Retryability.AFTER_AUTH_REFRESH;
import static dev.stoic.http.Retryability.ALWAYS;
import static dev.stoic.http.Retryability.NEVER;
import static dev.stoic.http.Retryability.PASS_THROUGH;
import static dev.stoic.http.Retryability.WHEN_SAFE;
import static dev.stoic.http.Retryability.WITH_KEY;
import static dev.stoic.http.Retryability.WITH_RETRY_AFTER;

import java.util.List;

/**
 * The rows of the default {@link StatusTable}: every status code named in the status-code guides
 * the defaults are drawn from ({@code shared/seeds/}), plus 506, which the product design names.
 *
 * <p>Treatments follow the "Outcome classes" section of the product design. Names are the IANA
 * reason phrases, except 413, which keeps the widely used "Payload Too Large" (RFC 9110 renamed it
 * "Content Too Large"), and the non-standard 499 and 599, which use the names proxies log them
 * under. Stateless; safe for any thread.
 */
final class KnownStatuses {
  /** Shared by every 3xx redirect that the HTTP client itself follows. */
  private static final String REDIRECT =
      "a redirect: following it is the HTTP client's job, not a retry";

  /** Shared by the 5xx codes retried when safe: the server may have started the work. */
  private static final String MAY_HAVE_ACTED =
      "the server may have acted before failing; safe only for idempotent or keyed requests";

  private KnownStatuses() {}

  /** Returns every known row, in ascending code order. */
  static List<StatusEntry> all() {
    return List.of(
        // 1xx: interim responses, consumed by the HTTP client before the final one.
        row(100, "Continue", PASS_THROUGH,
            "interim response: the client goes on sending the body and awaits the final status",
            "The server accepted the request headers and is waiting for the body. HTTP clients"
                + " handle this themselves; it is never a final answer."),
        row(101, "Switching Protocols", PASS_THROUGH,
            "the connection changes protocol as the caller asked; nothing failed",
            "The server agreed to move the connection to another protocol, usually WebSocket."
                + " It is the expected answer to an upgrade request, not an error."),
        row(102, "Processing", PASS_THROUGH,
            "interim progress signal: the final status is still to come",
            "A WebDAV server reports that it is still working on the request. Wait for the"
                + " final status instead of treating this as an outcome."),
        row(103, "Early Hints", PASS_THROUGH,
            "interim hints sent ahead of the final response; nothing failed",
            "The server sends some headers, such as preload links, before its real answer."
                + " It is an optimization; the final response follows."),

        // 2xx: success; sending again could only repeat work that already happened.
        row(200, "OK", PASS_THROUGH,
            "the request succeeded; there is nothing to retry",
            "The request succeeded and the body carries the result."),
        row(201, "Created", PASS_THROUGH,
            "success: a resource was created, and sending again could create a second one",
            "The request succeeded and made a new resource, usually named by the Location"
                + " header. Keep the identifier it returns."),
        row(202, "Accepted", PASS_THROUGH,
            "the server took the work on; sending again would queue it twice",
            "The server queued the request and has not finished it yet. Follow the job or"
                + " status link it returns rather than sending the request again."),
        row(203, "Non-Authoritative Information", PASS_THROUGH,
            "success, with content supplied or altered by an intermediary",
            "The request succeeded, but a proxy or cache changed or supplied the content"
                + " instead of the origin server. Treat it as success; the body may differ from"
                + " the origin's."),
        row(204, "No Content", PASS_THROUGH,
            "success with an intentionally empty body",
            "The request worked and the server deliberately sent an empty body; there is nothing"
                + " to read."),
        row(205, "Reset Content", PASS_THROUGH,
            "success: the client is asked to clear the input that sent the request",
            "The request worked, and the server wants the client to clear the form or input it was"
                + " sent from. No body comes with it."),
        row(206, "Partial Content", PASS_THROUGH,
            "success for a range request: the requested range was delivered",
            "The server sent only the byte range the request asked for, described by"
                + " Content-Range. Combine it with the other parts to rebuild the resource."),
        row(207, "Multi-Status", PASS_THROUGH,
            "a WebDAV summary of several results, each with its own status",
            "A WebDAV response that bundles the outcomes of several operations in one body."
                + " Inspect each contained status; the response as a whole is not a failure."),
        row(208, "Already Reported", PASS_THROUGH,
            "WebDAV bookkeeping inside a multi-status body; nothing failed",
            "In a WebDAV multi-status body, it marks a member that an earlier part of the same"
                + " response already listed, so it is not repeated. It signals no error."),
        row(226, "IM Used", PASS_THROUGH,
            "success, with a delta encoding applied to the result",
            "The body is not the whole resource but the outcome of transformations, such as a"
                + " delta, that the request asked for. Apply it to the copy you already hold."),

        // 3xx: redirects and cache hits, left to the HTTP client.
        row(300, "Multiple Choices", PASS_THROUGH, REDIRECT,
            "The resource has several representations and the server leaves the choice to the"
                + " client. Pick one of the listed alternatives, or follow Location if given."),
        row(301, "Moved Permanently", PASS_THROUGH, REDIRECT,
            "The resource now lives for good at the address in Location. Follow it and update"
                + " stored links; clients may turn a POST into a GET on the way."),
        row(302, "Found", PASS_THROUGH, REDIRECT,
            "The resource is served from the address in Location for now; keep using the"
                + " original address later. Clients may turn a POST into a GET when following"
                + " it."),
        row(303, "See Other", PASS_THROUGH, REDIRECT,
            "The server sends the client elsewhere to fetch the result with GET, often after"
                + " a form or job submission. Follow Location with a GET."),
        row(304, "Not Modified", PASS_THROUGH,
            "a cache revalidation hit: the copy the client holds is current",
            "Nothing changed since the client's cached copy was stored, so the server answered"
                + " without a body. Serve the response from the cache."),
        row(305, "Use Proxy", PASS_THROUGH,
            "a deprecated redirect through a proxy, which clients ignore for security",
            "A deprecated instruction to repeat the request through a named proxy, which"
                + " clients no longer obey for security reasons. Treat it as a server"
                + " misconfiguration."),
        row(306, "Unused", PASS_THROUGH,
            "a reserved code that is no longer sent; there is nothing to act on",
            "A retired code: it was reserved long ago and no server should send it today."
                + " Receiving it points at a faulty server or proxy."),
        row(307, "Temporary Redirect", PASS_THROUGH, REDIRECT,
            "The resource is at the address in Location for now, and the request must be"
                + " repeated there with the same method and body. Keep the original address for"
                + " later requests."),
        row(308, "Permanent Redirect", PASS_THROUGH, REDIRECT,
            "The resource has moved for good to the address in Location, and the request must"
                + " be repeated there with the same method and body. Update stored links."),

        // 4xx: the request must change first, except where the server says it did not act.
        row(400, "Bad Request", NEVER,
            "the request itself is malformed; sending it again gets the same answer",
            "The request was malformed, for example broken syntax, missing fields or wrong types,"
                + " so the server rejected it. Read the error body and fix the request before"
                + " sending it again."),
        row(401, "Unauthorized", AFTER_AUTH_REFRESH,
            "credentials are missing or stale; one retry, and only with fresh ones from the"
                + " auth-refresh hook",
            "The server did not accept the credentials, or none were sent; the name is historical,"
                + " as the code concerns identity rather than permission. Refresh the token or"
                + " sign in again, then repeat the request."),
        row(402, "Payment Required", NEVER,
            "access depends on payment or plan; repeating the request pays nothing",
            "The service wants payment, credit or a higher plan before it serves this request."
                + " Settle the account; the request alone cannot fix it."),
        row(403, "Forbidden", NEVER,
            "the caller is known and refused; nothing about a repeat would change that",
            "The caller is identified but lacks permission for this action. Check roles, scopes or"
                + " account state; new credentials for the same identity will not change the"
                + " answer."),
        row(404, "Not Found", NEVER,
            "nothing exists at this address; asking again will not create it",
            "Nothing is found at the requested address. Check the URL and the identifier in it,"
                + " and treat the resource as absent."),
        row(405, "Method Not Allowed", NEVER,
            "the endpoint does not accept this method",
            "The address is valid, but not for this HTTP method. Use one of the methods named in"
                + " the Allow header."),
        row(406, "Not Acceptable", NEVER,
            "no representation matches the Accept headers sent",
            "None of the formats the server can produce fits what the request's Accept headers"
                + " allow. Widen or correct those headers."),
        row(407, "Proxy Authentication Required", NEVER,
            "a proxy wants credentials, which belong in the client's proxy settings",
            "A proxy between client and server requires authentication before it forwards the"
                + " request. Configure proxy credentials on the HTTP client."),
        row(408, "Request Timeout", ALWAYS,
            "the server gave up waiting for the request and did not process it",
            "The client was too slow to deliver the whole request, so the server dropped it"
                + " without acting on it; sending it again is safe. If it keeps happening, the"
                + " upload is too slow or a proxy's read timeout too short."),
        row(409, "Conflict", WITH_KEY,
            "with an idempotency key the original may still be in flight; without one the"
                + " conflict needs a decision",
            "The request clashes with the resource's current state, such as a duplicate or a"
                + " concurrent edit. Fetch the current state and resolve the conflict; a keyed"
                + " request may only be racing its own earlier attempt."),
        row(410, "Gone", NEVER,
            "the resource was removed on purpose and will not return",
            "The resource existed but has been withdrawn for good. Stop calling this address"
                + " and drop stored references to it."),
        row(411, "Length Required", NEVER,
            "the server insists on a Content-Length, so the request must change",
            "The server refuses a request body whose length is not declared. Send a"
                + " Content-Length header."),
        row(412, "Precondition Failed", NEVER,
            "a conditional header no longer matches, and resending it fails the same way",
            "A condition in the request, such as If-Match, did not hold against the current"
                + " resource. Fetch the latest version and try again with its validator."),
        row(413, "Payload Too Large", WITH_RETRY_AFTER,
            "temporary only when the server sends Retry-After; otherwise the body must shrink",
            "The request body is larger than the server accepts (RFC 9110 calls this Content"
                + " Too Large). Send less data, or wait as long as Retry-After says if the"
                + " server gave one."),
        row(414, "URI Too Long", NEVER,
            "the URL exceeds the server's limit and must get shorter",
            "The request target is longer than the server will read. Shorten the URL or move"
                + " its parameters into the body."),
        row(415, "Unsupported Media Type", NEVER,
            "the body's format is not accepted, so the request must change",
            "The server does not accept a body in the format that Content-Type declares. Send"
                + " a supported format with the matching Content-Type."),
        row(416, "Range Not Satisfiable", NEVER,
            "the requested range lies outside the resource",
            "None of the requested byte ranges fits the current resource. Check its size and"
                + " ask for a valid range, or fetch it whole."),
        row(417, "Expectation Failed", NEVER,
            "the server cannot meet the request's Expect header",
            "The server cannot honour the request's Expect header. Send the request without"
                + " it, for example without Expect: 100-continue."),
        row(418, "I'm a teapot", NEVER,
            "a joke code that some servers use to turn callers away",
            "An April Fools' code that some servers send to refuse requests they will not"
                + " serve. Treat it as a refusal; repeating the request changes nothing."),
        row(421, "Misdirected Request", NEVER,
            "clients such as OkHttp re-send it on a fresh connection themselves; a plain retry"
                + " may reach the same server",
            "The request reached a server that cannot answer for the requested host, often"
                + " because a connection was shared across hosts. Send it over a new connection"
                + " to the right origin."),
        row(422, "Unprocessable Content", NEVER,
            "the content breaks validation rules and must be corrected",
            "The server parsed the request, but its values break the server's rules (this code was"
                + " formerly named Unprocessable Entity). Read the field errors and correct the"
                + " data."),
        row(423, "Locked", NEVER,
            "the resource is locked, and how long to wait is the caller's call",
            "A WebDAV resource is locked and cannot be changed right now. Wait for the lock to"
                + " be released, or release it, before changing the resource."),
        row(424, "Failed Dependency", NEVER,
            "an action this one depended on failed",
            "The request could not be carried out because an operation it relied on failed,"
                + " typically within a WebDAV batch. Fix the failing operation first."),
        row(425, "Too Early", ALWAYS,
            "the server declined early data and did not process the request",
            "The server refused to act on a request sent in TLS early data, because it could"
                + " be replayed. Sending it again after the handshake completes is safe."),
        row(426, "Upgrade Required", NEVER,
            "the server requires a different protocol, so the client must switch",
            "The server will not serve this request over the current protocol, such as plain"
                + " HTTP or an old version. Switch to the protocol the Upgrade header names."),
        row(428, "Precondition Required", NEVER,
            "the server insists on a conditional request",
            "The server only takes this change as a conditional request, for example with"
                + " If-Match, so that concurrent updates are not lost. Fetch the current validator"
                + " and send it with the change."),
        row(429, "Too Many Requests", ALWAYS,
            "rate limited before processing: wait as hinted, then retry any method",
            "The caller went over a rate limit and the request was not processed. Wait at least"
                + " as long as Retry-After or the rate-limit headers say, then try again more"
                + " slowly."),
        row(431, "Request Header Fields Too Large", NEVER,
            "the headers exceed the server's limit and must shrink",
            "The request's headers, often cookies or tokens, are larger than the server"
                + " accepts. Trim them."),
        row(451, "Unavailable For Legal Reasons", NEVER,
            "withheld for legal reasons; repeating the request changes nothing",
            "The server withholds the resource because of a legal demand or a regional"
                + " restriction. No change to the request will help from where it is sent."),
        row(499, "Client Closed Request", NEVER,
            "a non-standard nginx code for a client that hung up: the caller already gave up",
            "A non-standard nginx code logged when the client closed the connection before the"
                + " answer was ready. If a caller receives it, a proxy relayed an abandoned"
                + " request; check client and proxy timeouts."),

        // 5xx: retried when safe if the fault may pass; never when the server lacks a feature.
        row(500, "Internal Server Error", WHEN_SAFE, MAY_HAVE_ACTED,
            "Something broke inside the server while it worked on this request. It is often"
                + " transient; if it persists, report it to the service with the request details."),
        row(501, "Not Implemented", NEVER,
            "the server lacks the capability, and it will not appear on a retry",
            "This server has no implementation of the method or feature the request relies on. Use"
                + " an operation it supports; waiting will not add one."),
        row(502, "Bad Gateway", WHEN_SAFE,
            "a proxy's upstream failed and may have acted first; safe only for idempotent or"
                + " keyed requests",
            "The proxy or gateway in front of the service could not get a usable answer from it."
                + " It is usually transient; if it persists, that service or the link to it is"
                + " unhealthy."),
        row(503, "Service Unavailable", WHEN_SAFE,
            "temporary overload or maintenance; repeat after Retry-After, and only idempotent"
                + " or keyed requests",
            "The server cannot serve right now because of overload, maintenance or a deploy."
                + " Try again later, honouring Retry-After if the server sent it."),
        row(504, "Gateway Timeout", WHEN_SAFE,
            "the upstream may have processed the request before the gateway gave up; safe only"
                + " for idempotent or keyed requests",
            "An intermediary gave up waiting on the service behind it, and that service may still"
                + " have completed the work. Check whether the operation took effect before"
                + " repeating a non-idempotent request, and prefer idempotency keys."),
        row(505, "HTTP Version Not Supported", NEVER,
            "the server refuses this HTTP version, so the client's configuration must change",
            "The server refuses the HTTP version the request was sent with. Configure the client"
                + " to speak a version the server accepts."),
        row(506, "Variant Also Negotiates", NEVER,
            "a content-negotiation loop in the server's configuration",
            "The server's content negotiation is misconfigured and refers back to itself. Only"
                + " the server's operator can fix it."),
        row(507, "Insufficient Storage", NEVER,
            "the server is out of storage or quota, and a retry frees none",
            "The server cannot store what the request needs because its disk or quota is full."
                + " Free space or raise the quota before trying again."),
        row(508, "Loop Detected", NEVER,
            "the server found an endless loop, and repeating walks the same loop",
            "The server stopped because it found a cycle, such as circular WebDAV bindings or"
                + " services calling each other. Break the cycle in the data or the routing."),
        row(510, "Not Extended", NEVER,
            "the server needs an extension the request did not declare",
            "The server wants the request to declare an extension that it depends on. Add the"
                + " extension the server names; sent as it is, the request fails again."),
        row(511, "Network Authentication Required", NEVER,
            "a captive portal or network proxy wants a login; a retry stays stuck behind it",
            "The network, usually a captive portal or filtering proxy, requires a login before"
                + " it lets requests through. Sign in to the network; the service was not"
                + " reached."),
        row(599, "Network Connect Timeout Error", WHEN_SAFE,
            "a non-standard proxy code for an upstream connect timeout, treated like a gateway"
                + " failure",
            "A non-standard code some proxies send when they time out connecting to the server"
                + " behind them. It is usually transient; repeat only requests that are safe to"
                + " repeat."));
  }

  private static StatusEntry row(
      int code, String name, Retryability retryability, String reason, String meaning) {
    return new StatusEntry(code, name, retryability, reason, meaning);
  }
}
