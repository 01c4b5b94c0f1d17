/**
 * The JDK adapter's implementation details: not API, may change in any release without notice.
 *
 * <p>The jar is an automatic module ({@code dev.stoic.jdk}), so this package cannot be hidden from
 * other code; do not depend on it.
 */
package dev.stoic.jdk.internal;
