/**
 * The resilience4j module's implementation details: not API, may change in any release without
 * notice.
 *
 * <p>The jar is an automatic module ({@code dev.stoic.resilience4j}), so this package cannot be
 * hidden from other code; do not depend on it.
 */
package dev.stoic.resilience4j.internal;
